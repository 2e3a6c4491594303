package web

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"tiru/internal/kb"
)

// browser starts a headless Chromium for one test, or skips when there is
// none. CI installs Chromium and sets TIRU_BROWSER=1, which turns a missing
// browser into a failure instead of a skip.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("TIRU_BROWSER") == "1" {
			t.Fatal("TIRU_BROWSER=1 but no Chromium on PATH")
		}
		t.Skip("no Chromium on PATH; .ci/run installs it")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	return ctx
}

// TestSearchUpdatesAsYouType types into the search box of a real browser and
// checks that results change without a form submit and that the address bar
// keeps a bookmarkable URL.
func TestSearchUpdatesAsYouType(t *testing.T) {
	ts := newTestServer(t)
	ctx := browser(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/cari"),
		chromedp.WaitVisible(chromedp.CSS(`#q`)),
		chromedp.SendKeys(chromedp.CSS(`#q`), "wifi gratis"),
		// The empty page browses everything; highlighted words only appear
		// once the typed query has fetched its own results.
		chromedp.Poll[chromedp.Void](`location.search.includes("wifi") && document.querySelector("#results mark") !== null`,
			chromedp.WithPollingTimeout(15*time.Second)),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	results, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#results`)))
	if err != nil {
		t.Fatal(err)
	}
	url, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(results, "Internet Gratis di Taman dan Ruang Publik") {
		t.Errorf("results did not update as typed: %q", results[:min(len(results), 300)])
	}
	if !strings.Contains(url, "q=wifi+gratis") {
		t.Errorf("address bar %q does not carry the query", url)
	}
}

// TestSearchCompletesTheWordBeingTyped stops typing in the middle of a word,
// as the results update: they are already those of the word being typed.
func TestSearchCompletesTheWordBeingTyped(t *testing.T) {
	ts := newTestServer(t)
	ctx := browser(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/cari"),
		chromedp.WaitVisible(chromedp.CSS(`#q`)),
		chromedp.SendKeys(chromedp.CSS(`#q`), "pengad"),
		chromedp.Poll[chromedp.Void](`location.search.includes("pengad") && document.querySelector("#results mark") !== null`,
			chromedp.WithPollingTimeout(15*time.Second)),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	first, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#results ol.results h3`)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(first, "Aplikasi Pengaduan Warga") {
		t.Errorf("typing pengad: first result %q, want the complaint app", first)
	}
}

// TestPagesWorkInABrowser logs in through the real form and follows the
// seeded visit, as a user would, with JavaScript on.
func TestPagesWorkInABrowser(t *testing.T) {
	ts := newTestServer(t)
	ctx := browser(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/"),
		chromedp.Click(chromedp.CSS(`nav a[href="/kunjungan"]`)),
		chromedp.WaitVisible(chromedp.CSS(`ul.list`)),
		chromedp.Click(chromedp.CSS(`ul.list a[href^="/kunjungan/"]`)),
		chromedp.WaitVisible(chromedp.CSS(`dl.facts`)),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	title, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`h1`)))
	if err != nil {
		t.Fatal(err)
	}
	body, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main`)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(title, "Banjar") || !strings.Contains(body, "Heny Ermawati") {
		t.Errorf("visit page: %q", title)
	}
}

// browserLogin logs email in through the real login form, with the test
// password, and waits for the page after it.
func browserLogin(t *testing.T, ctx context.Context, ts *testServer, email string) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/masuk"),
		chromedp.WaitVisible(chromedp.CSS(`#email`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), email),
		chromedp.SendKeys(chromedp.CSS(`#password`), testPassword),
		chromedp.Submit(chromedp.CSS(`#password`)),
		// Logged in once the page after the form offers to log out (the
		// login page itself has navigation too).
		chromedp.WaitVisible(chromedp.CSS(`form[action="/keluar"]`)),
	)
	if err != nil {
		t.Fatalf("log in as %s: %v", email, err)
	}
}

// TestOrganiserLogsAVisitInABrowser logs in through the real form, opens
// the visit form from the list of visits, types a visit with its people
// and follow-ups, and finds them on the visit's page.
func TestOrganiserLogsAVisitInABrowser(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "penyelenggara@banjarkab.go.id", "Penyelenggara Banjar", kb.RolePenyelenggara, banjarAgency, banjarRegion)
	ctx := browser(t)
	browserLogin(t, ctx, ts, "penyelenggara@banjarkab.go.id")
	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/kunjungan"),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/kunjungan/baru"]`)),
		chromedp.Click(chromedp.CSS(`a[href="/kunjungan/baru"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-title`)),
		chromedp.SendKeys(chromedp.CSS(`#f-title`), "Studi Tiru Banjar ke Denpasar tentang Wifi Taman"),
		chromedp.SetValue(chromedp.CSS(`#f-host_region`), "Kota Denpasar"),
		chromedp.SendKeys(chromedp.CSS(`#f-host_agency`), "Diskominfos Kota Denpasar"),
		chromedp.SendKeys(chromedp.CSS(`#f-people_met`), "Bu Komang | Kepala Bidang TIK | Diskominfos\n"),
		chromedp.SendKeys(chromedp.CSS(`#f-follow_ups`), "Menghitung biaya wifi taman | Kabid Aplikasi | 2099-06-30 | terbuka\n"),
		// The innovation seen is found by a few words of its title and
		// chosen from the suggestions, as a browser's list offers them.
		chromedp.WaitVisible(chromedp.CSS(`#pick-innovations`)),
		chromedp.SendKeys(chromedp.CSS(`#pick-innovations`), "internet gratis taman"),
		chromedp.WaitReady(chromedp.CSS(`#pick-innovations-list option`)),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(function () {
			var i = document.getElementById("pick-innovations");
			i.value = document.querySelector("#pick-innovations-list option").value;
			i.dispatchEvent(new Event("input", { bubbles: true }));
			return true;
		})()`)); err != nil {
		t.Fatalf("choosing a suggestion: %v", err)
	}
	picked, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`#f-innovations`)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(picked, "(internet-gratis-ruang-publik-surakarta)") {
		t.Errorf("the innovation chosen is not in the field: %q", picked)
	}
	err = chromedp.Do(ctx,
		chromedp.Submit(chromedp.CSS(`#f-title`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href$="/ubah"]`)),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	body, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main`)))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Studi Tiru Banjar ke Denpasar tentang Wifi Taman", "Bu Komang", "Menghitung biaya wifi taman", "Kota Denpasar", "Internet Gratis di Taman dan Ruang Publik Kota Surakarta"} {
		if !strings.Contains(body, want) {
			t.Errorf("the logged visit's page lacks %q", want)
		}
	}
}

// An organiser whose session ends while a form is open loses nothing: the
// submit sends them to log in, the login brings them back to the form, and
// the page offers the input typed before. Once the record is saved, the
// form no longer offers it.
func TestFormInputSurvivesAnEndedSession(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "penyelenggara@banjarkab.go.id", "Penyelenggara Banjar", kb.RolePenyelenggara, banjarAgency, banjarRegion)
	ctx := browser(t)
	const title = "Studi Tiru Banjar ke Denpasar tentang Wifi Taman"
	login := func(then ...chromedp.Action[chromedp.Void]) []chromedp.Action[chromedp.Void] {
		return append([]chromedp.Action[chromedp.Void]{
			chromedp.WaitVisible(chromedp.CSS(`#email`)),
			chromedp.SendKeys(chromedp.CSS(`#email`), "penyelenggara@banjarkab.go.id"),
			chromedp.SendKeys(chromedp.CSS(`#password`), testPassword),
			chromedp.Submit(chromedp.CSS(`#password`)),
		}, then...)
	}
	err := chromedp.Do(ctx, append([]chromedp.Action[chromedp.Void]{chromedp.Navigate(ts.URL + "/masuk")},
		login(
			chromedp.WaitVisible(chromedp.CSS(`form[action="/keluar"]`)),
			chromedp.Navigate(ts.URL+"/kunjungan/baru"),
			chromedp.WaitVisible(chromedp.CSS(`#f-title`)),
			chromedp.SendKeys(chromedp.CSS(`#f-title`), title),
			chromedp.SetValue(chromedp.CSS(`#f-host_region`), "Kota Denpasar"),
			chromedp.SendKeys(chromedp.CSS(`#f-host_agency`), "Diskominfos Kota Denpasar"),
		)...)...)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	// The session ends while the form is open.
	if _, err := chromedp.Call(ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	// A click on the form's button, as a reader sends it (a script's
	// form.submit() skips the submit event).
	save := chromedp.Click(chromedp.CSS(`form[data-draft] button[type="submit"]`))
	err = chromedp.Do(ctx, append([]chromedp.Action[chromedp.Void]{save},
		login(
			chromedp.WaitVisible(chromedp.CSS(`#draft-notice`)),
			chromedp.Click(chromedp.CSS(`[data-draft-restore]`)),
		)...)...)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	got, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`#f-title`)))
	if err != nil || got != title {
		t.Fatalf("restored title %q (%v), want %q", got, err, title)
	}
	err = chromedp.Do(ctx,
		save,
		chromedp.WaitVisible(chromedp.CSS(`a[href$="/ubah"]`)),
		chromedp.Navigate(ts.URL+"/kunjungan/baru"),
		chromedp.WaitVisible(chromedp.CSS(`#f-title`)),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	if hidden, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("draft-notice").hidden`)); err != nil || !hidden {
		t.Error("after the visit was saved, the new-visit form still offers its input")
	}
}

// On a shared computer, a draft left by one user is never offered to the
// next one who logs in in the same tab.
func TestDraftIsNotOfferedToAnotherUser(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "ani@banjarkab.go.id", "Ani", kb.RolePenyelenggara, banjarAgency, banjarRegion)
	ts.addUser(t, "budi@banjarkab.go.id", "Budi", kb.RolePenyelenggara, banjarAgency, banjarRegion)
	ctx := browser(t)
	login := func(email string) []chromedp.Action[chromedp.Void] {
		return []chromedp.Action[chromedp.Void]{
			chromedp.WaitVisible(chromedp.CSS(`#email`)),
			chromedp.SendKeys(chromedp.CSS(`#email`), email),
			chromedp.SendKeys(chromedp.CSS(`#password`), testPassword),
			chromedp.Submit(chromedp.CSS(`#password`)),
		}
	}
	steps := append([]chromedp.Action[chromedp.Void]{chromedp.Navigate(ts.URL + "/masuk")}, login("ani@banjarkab.go.id")...)
	steps = append(steps,
		chromedp.WaitVisible(chromedp.CSS(`form[action="/keluar"]`)),
		chromedp.Navigate(ts.URL+"/kunjungan/baru"),
		chromedp.WaitVisible(chromedp.CSS(`#f-title`)),
		chromedp.SendKeys(chromedp.CSS(`#f-title`), "Catatan rahasia Ani"),
		chromedp.SetValue(chromedp.CSS(`#f-host_region`), "Kota Denpasar"),
		chromedp.SendKeys(chromedp.CSS(`#f-host_agency`), "Diskominfos Kota Denpasar"),
	)
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("browser: %v", err)
	}
	if _, err := chromedp.Call(ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	steps = append([]chromedp.Action[chromedp.Void]{chromedp.Click(chromedp.CSS(`form[data-draft] button[type="submit"]`))}, login("budi@banjarkab.go.id")...)
	steps = append(steps, chromedp.WaitVisible(chromedp.CSS(`#f-title`)))
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("browser: %v", err)
	}
	hidden, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("draft-notice").hidden`))
	if err != nil || !hidden {
		t.Errorf("Ani's draft is offered to Budi (hidden=%v, %v)", hidden, err)
	}
	left, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify(sessionStorage)`))
	if err != nil || strings.Contains(left, "rahasia") {
		t.Errorf("Ani's draft is still in the tab after Budi logged in: %s (%v)", left, err)
	}
}

// An organiser attaches the travel report to a visit in a real browser,
// through the plain upload form, and marks a follow-up done with the select
// beside it: the page lists the file, and the follow-up's new status.
func TestOrganiserAttachesAReportAndClosesAFollowUpInABrowser(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "penyelenggara@banjarkab.go.id", "Penyelenggara Banjar", kb.RolePenyelenggara, banjarAgency, banjarRegion)
	report := filepath.Join(t.TempDir(), "Laporan Perjalanan Dinas.pdf")
	if err := os.WriteFile(report, testPDF[:50_000], 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := browser(t)
	browserLogin(t, ctx, ts, "penyelenggara@banjarkab.go.id")
	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/kunjungan/"+seedVisit),
		chromedp.WaitVisible(chromedp.CSS(`#lampiran-file`)),
		chromedp.SetUploadFiles(chromedp.CSS(`#lampiran-file`), []string{report}),
		chromedp.Submit(chromedp.CSS(`#lampiran-file`)),
		chromedp.WaitVisible(chromedp.CSS(`ul.attachments`)),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	body, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main`)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, "Laporan Perjalanan Dinas.pdf") {
		t.Error("the visit's page does not list the uploaded report")
	}
	// The follow-up's form leads back to the page with the new status
	// selected.
	err = chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(`#fu-0`), "selesai"),
		chromedp.Submit(chromedp.CSS(`#fu-0`)),
		// An option has no box to be visible: present is enough.
		chromedp.WaitReady(chromedp.CSS(`#fu-0 option[value="selesai"][selected]`)),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	rec, err := ts.db.GetVisit(context.Background(), seedVisit, kb.Viewer{AllInternal: true})
	if err != nil {
		t.Fatal(err)
	}
	if rec.FollowUps[0].Status != "selesai" || len(rec.Attachments) != 1 {
		t.Errorf("after the browser: follow-up %q, %d files", rec.FollowUps[0].Status, len(rec.Attachments))
	}
}
