package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"tiru/internal/kb"
)

// An adoption can always move on: past kb.MaxList steps its history keeps
// the first step and the latest ones, where it used to refuse every
// further move. A bad status is reported once, as the field sent.
func TestAdoptionMovesOnPastItsHistoryLimit(t *testing.T) {
	ts := newTestServer(t)
	pimp := ts.newMember(t, "pimpinan-banjar", "pimpinan@banjarkab.go.id", kb.RolePimpinan, banjarAgency, banjarRegion)
	const path = "/api/v1/innovations/aplikasi-pengaduan-warga-surakarta/adoptions/" + banjarRegion
	statuses := []string{"dikaji", "perencanaan"}
	for i := range kb.MaxList + 5 {
		if r := ts.apiAs(t, pimp, viaToken, http.MethodPut, path, `{"status":"`+statuses[i%2]+`","note":"langkah"}`); r.status != http.StatusOK {
			t.Fatalf("move %d: %v", i+1, r)
		}
	}
	a, ok := ts.adoptionOf(t, pimp, "aplikasi-pengaduan-warga-surakarta", banjarRegion)
	if !ok {
		t.Fatal("no adoption by Banjar")
	}
	if len(a.History) != kb.MaxList {
		t.Errorf("history of %d steps, want %d", len(a.History), kb.MaxList)
	}
	if last := a.History[len(a.History)-1]; last.Status != statuses[(kb.MaxList+4)%2] || last.By != "pimpinan@banjarkab.go.id" {
		t.Errorf("last step %+v, want the latest move by its mover", last)
	}
	// A step older than the first, with the history full, would push the
	// first step out: it is refused, and the first step stays.
	if r := ts.apiAs(t, pimp, viaToken, http.MethodPut, path, `{"status":"diminati","date":"2020-01-01"}`); r.status != http.StatusUnprocessableEntity {
		t.Errorf("a step before the first, history full: %v, want 422", r)
	}
	if again, _ := ts.adoptionOf(t, pimp, "aplikasi-pengaduan-warga-surakarta", banjarRegion); again.History[0] != a.History[0] {
		t.Errorf("first step %+v, want still %+v", again.History[0], a.History[0])
	}
	// A region's first move starts its history with one step.
	solo := ts.newMember(t, "penyelenggara-surakarta", "penyelenggara@surakarta.go.id", kb.RolePenyelenggara, soloAgency, soloRegion)
	if r := ts.apiAs(t, solo, viaToken, http.MethodPost, "/api/v1/innovations", innovationJSON("baru-solo", "Inovasi Baru Solo", soloRegion, soloAgency, "")); r.status != http.StatusCreated {
		t.Fatalf("create innovation: %v", r)
	}
	first := ts.apiAs(t, pimp, viaToken, http.MethodPut, "/api/v1/innovations/baru-solo/adoptions/"+banjarRegion, `{"status":"diminati"}`)
	var fa kb.Adoption
	if err := json.Unmarshal([]byte(first.body), &fa); err != nil || len(fa.History) != 1 || fa.History[0].By == "" {
		t.Errorf("first move: %v, history %+v, want one step with its mover", first, fa.History)
	}
	bad := ts.apiAs(t, pimp, viaToken, http.MethodPut, path, `{"status":"bogus"}`)
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, `"field":"status"`) || strings.Contains(bad.body, "history[") {
		t.Errorf("bad status: %v, want 422 naming status only", bad)
	}
}

// The leader's adoption form starts at where their region stands, so a
// note alone does not move the adoption back, and a refused move says why.
func TestAdoptionFormStartsAtTheCurrentStep(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "pimpinan@banjarkab.go.id", "Pimpinan Banjar", kb.RolePimpinan, banjarAgency, banjarRegion)
	c := ts.login(t, "pimpinan@banjarkab.go.id", testPassword)
	const page = "/inovasi/aplikasi-pengaduan-warga-surakarta"
	if r := ts.postAs(t, c, page+"/replikasi", url.Values{"status": {"uji_coba"}}); r.status != http.StatusSeeOther {
		t.Fatalf("move: %v", r)
	}
	r := ts.getAs(t, c, page)
	status := regexp.MustCompile(`(?s)<select id="adopt-status".*?</select>`).FindString(r.body)
	if !strings.Contains(status, `<option value="uji_coba" selected>`) || strings.Count(status, " selected>") != 1 {
		t.Errorf("the form does not start at the region's step (uji_coba)")
	}
	// A refused step: the page again, saying why, with the note typed.
	bad := ts.postAs(t, c, page+"/replikasi", url.Values{"status": {"uji_coba"}, "date": {"2999-01-01"}, "note": {"surat dari bupati"}})
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, "Status replikasi belum tersimpan") ||
		!strings.Contains(bad.body, "tanggal") || !strings.Contains(bad.body, `value="surat dari bupati"`) {
		t.Errorf("a refused move: %d, want 422 with the reason and the note kept", bad.status)
	}
	// A leader of the region that made the innovation is told why there
	// is no form, instead of a form that always refuses.
	ts.addUser(t, "pimpinan@surakarta.go.id", "Pimpinan Solo", kb.RolePimpinan, soloAgency, soloRegion)
	solo := ts.login(t, "pimpinan@surakarta.go.id", testPassword)
	own := ts.getAs(t, solo, page)
	if strings.Contains(own.body, `action="`+page+`/replikasi"`) || !strings.Contains(own.body, "tidak direplikasi olehnya") {
		t.Error("the owner region's leader is offered the adoption form")
	}
}

// The form records the degree, the date and the visit a step came from,
// and the page shows the adoption's history.
func TestAdoptionFormRecordsTheWholeStep(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "pimpinan@banjarkab.go.id", "Pimpinan Banjar", kb.RolePimpinan, banjarAgency, banjarRegion)
	c := ts.login(t, "pimpinan@banjarkab.go.id", testPassword)
	const page = "/inovasi/aplikasi-pengaduan-warga-surakarta"
	form := ts.getAs(t, c, page)
	if !strings.Contains(form.body, `name="visit"`) || !strings.Contains(form.body, `<option value="`+seedVisit+`"`) {
		t.Fatal("the form offers no visit that observed the innovation")
	}
	r := ts.postAs(t, c, page+"/replikasi", url.Values{"status": {"dikaji"}, "degree": {"adaptasi"}, "date": {"2025-01-15"}, "visit": {seedVisit}, "note": {"kajian dimulai"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("move: %v", r)
	}
	got := ts.getAs(t, c, page)
	for _, want := range []string{"Riwayat (", "kajian dimulai", "15 Januari 2025", "(Diadaptasi)", `href="/kunjungan/` + seedVisit + `"`} {
		if !strings.Contains(got.body, want) {
			t.Errorf("the page does not show %q", want)
		}
	}
	if n := ts.noticeAfter(t, c, r); !strings.Contains(n, "Tersimpan.") {
		t.Errorf("after the move the page says %q, want it saved", n)
	}

	// A step dated before the latest joins the history; the page says the
	// degree asked for did not become the adoption's.
	r = ts.postAs(t, c, page+"/replikasi", url.Values{"status": {"surat_minat"}, "degree": {"penuh"}, "date": {"2025-01-12"}, "note": {"surat minat dikirim"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("earlier step: %v", r)
	}
	if n := ts.noticeAfter(t, c, r); !strings.Contains(n, "langkah yang lebih baru") {
		t.Errorf("after an earlier step the page says %q, want it to say a newer step stands", n)
	}
	got = ts.getAs(t, c, page)
	if !strings.Contains(got.body, "surat minat dikirim") || !strings.Contains(got.body, "(Diadaptasi)") {
		t.Error("the earlier step is not in the history, or it changed the degree")
	}
}

// noticeAfter follows the redirect r as c, carrying the notice cookie r set,
// and returns the notice the page shows.
func (ts *testServer) noticeAfter(t *testing.T, c *client, r response) string {
	t.Helper()
	cookie := c.cookie
	if n := noticeCookieOf(r); n != "" {
		cookie += "; " + n
	}
	page := ts.send(t, http.MethodGet, r.header.Get("Location"), "", "Cookie", cookie)
	m := regexp.MustCompile(`<p class="notice" role="status">([^<]*)</p>`).FindStringSubmatch(page.body)
	if m == nil {
		return ""
	}
	return m[1]
}

// noticeCookieOf returns the notice cookie r sets, as "name=value" for a
// Cookie header, or "" when it sets none.
func noticeCookieOf(r response) string {
	for _, ck := range (&http.Response{Header: r.header}).Cookies() {
		if ck.Name == noticeCookie {
			return ck.Name + "=" + ck.Value
		}
	}
	return ""
}

// An adoption may name the visit it came from only if the mover may read
// that visit: another region's internal visit is answered as one that
// does not exist, as a visit that does not exist is.
func TestAdoptionNamesOnlyVisitsTheMoverMayRead(t *testing.T) {
	ts := newTestServer(t)
	ts.importJSONL(t, `{"kind":"visit","slug":"kunjungan-rahasia-solo","title":"Kunjungan Rahasia Solo","visit_type":"studi_tiru","start_date":"2025-02-11","end_date":"2025-02-12",`+
		`"visitor_region":"33.72","visitor_agency":"Diskominfo SP Kota Surakarta","host_region":"32.73","visibility":"internal"}`+"\n")
	pimp := ts.newMember(t, "pimpinan-banjar", "pimpinan@banjarkab.go.id", kb.RolePimpinan, banjarAgency, banjarRegion)
	const path = "/api/v1/innovations/aplikasi-pengaduan-warga-surakarta/adoptions/" + banjarRegion
	for _, visit := range []string{"kunjungan-rahasia-solo", "tidak-ada-sama-sekali"} {
		r := ts.apiAs(t, pimp, viaToken, http.MethodPut, path, `{"status":"dikaji","visit":"`+visit+`"}`)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `"field":"visit"`) || !strings.Contains(r.body, "tidak ditemukan") {
			t.Errorf("naming %s: %v, want 422 not found on visit", visit, r)
		}
	}
	if r := ts.apiAs(t, pimp, viaToken, http.MethodPut, path, `{"status":"dikaji","visit":"`+seedVisit+`"}`); r.status != http.StatusOK {
		t.Errorf("naming a public visit: %v", r)
	}
	// An admin links the adoption to the internal visit; the leader's next
	// step keeps the link stored, but the answer does not show it.
	admin := ts.sessionAdmin(t, "admin@tiru.go.id")
	if r := ts.apiAs(t, admin, viaSession, http.MethodPut, path, `{"status":"dikaji","note":"dikaji ulang","visit":"kunjungan-rahasia-solo"}`); r.status != http.StatusOK {
		t.Fatalf("admin links the internal visit: %v", r)
	}
	r := ts.apiAs(t, pimp, viaToken, http.MethodPut, path, `{"status":"surat_minat"}`)
	if r.status != http.StatusOK || strings.Contains(r.body, "kunjungan-rahasia-solo") {
		t.Errorf("the leader's next step: %v, want it saved without naming the internal visit", r)
	}
	rec, err := ts.db.GetInnovation(context.Background(), "aplikasi-pengaduan-warga-surakarta", kb.Viewer{AllInternal: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range rec.Adoptions {
		if a.Region == banjarRegion && a.Visit != "kunjungan-rahasia-solo" {
			t.Errorf("after the leader's step the adoption links %q, want the internal visit kept", a.Visit)
		}
	}
}

// An adoption records another region taking up an innovation, a step that
// happened, once: the owner cannot adopt its own innovation, a step dated
// in the future is refused naming the date, and the same step sent twice
// is one step of the history.
func TestAdoptionStepsAreReal(t *testing.T) {
	ts := newTestServer(t)
	pimp := ts.newMember(t, "pimpinan-banjar", "pimpinan@banjarkab.go.id", kb.RolePimpinan, banjarAgency, banjarRegion)
	admin := ts.sessionAdmin(t, "admin@tiru.go.id")
	const path = "/api/v1/innovations/aplikasi-pengaduan-warga-surakarta/adoptions/"
	if r := ts.apiAs(t, admin, viaSession, http.MethodPut, path+soloRegion, `{"status":"dikaji"}`); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `"field":"region"`) || !strings.Contains(r.body, "pemilik inovasinya") {
		t.Errorf("Surakarta adopting its own innovation: %v", r)
	}
	if r := ts.apiAs(t, pimp, viaToken, http.MethodPut, path+banjarRegion, `{"status":"dikaji","date":"2099-01-01"}`); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `"field":"date"`) || !strings.Contains(r.body, "2099-01-01") {
		t.Errorf("a step dated 2099: %v", r)
	}
	for range 2 {
		if r := ts.apiAs(t, pimp, viaToken, http.MethodPut, path+banjarRegion, `{"status":"perencanaan","date":"2025-03-01","note":"Anggaran 2026"}`); r.status != http.StatusOK {
			t.Fatalf("move: %v", r)
		}
	}
	r := ts.apiAs(t, pimp, viaToken, http.MethodGet, "/api/v1/innovations/aplikasi-pengaduan-warga-surakarta", "")
	var d struct {
		Adoptions []kb.Adoption `json:"adoptions"`
	}
	if err := json.Unmarshal([]byte(r.body), &d); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, a := range d.Adoptions {
		if a.Region != banjarRegion {
			continue
		}
		found = true
		n := 0
		for _, e := range a.History {
			if e.Status == "perencanaan" && e.Date == "2025-03-01" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("the step sent twice is %d steps of the history: %+v", n, a.History)
		}
	}
	if !found {
		t.Errorf("no adoption by Banjar in %s", r.body)
	}
}

// A step recorded late ("the letter of interest went out in February")
// joins the history at its date, and the adoption stays at its latest
// step instead of moving back.
func TestAdoptionStepRecordedLateKeepsTheLatest(t *testing.T) {
	ts := newTestServer(t)
	pimp := ts.newMember(t, "pimpinan-banjar", "pimpinan@banjarkab.go.id", kb.RolePimpinan, banjarAgency, banjarRegion)
	const path = "/api/v1/innovations/aplikasi-pengaduan-warga-surakarta/adoptions/" + banjarRegion
	for _, body := range []string{
		`{"status":"dikaji","date":"2025-01-10"}`,
		`{"status":"uji_coba","date":"2025-06-01","note":"uji coba di dua kecamatan"}`,
		`{"status":"surat_minat","date":"2025-02-01","degree":"sebagian"}`,
	} {
		if r := ts.apiAs(t, pimp, viaToken, http.MethodPut, path, body); r.status != http.StatusOK {
			t.Fatalf("%s: %v", body, r)
		}
	}
	a, ok := ts.adoptionOf(t, pimp, "aplikasi-pengaduan-warga-surakarta", banjarRegion)
	if !ok {
		t.Fatal("no adoption by Banjar")
	}
	if a.Status != "uji_coba" || a.Date != "2025-06-01" || a.Note != "uji coba di dua kecamatan" || a.Degree == "sebagian" {
		t.Errorf("adoption at %s %s %q, want still at its trial of 2025-06-01", a.Status, a.Date, a.Note)
	}
	var steps []string
	for _, e := range a.History {
		steps = append(steps, e.Date+" "+e.Status)
	}
	// The seed data's Banjar adoption began with an interest in 2024.
	if want := "2025-01-10 dikaji|2025-02-01 surat_minat|2025-06-01 uji_coba"; !strings.HasSuffix(strings.Join(steps, "|"), want) {
		t.Errorf("history %q, want it to end %q", strings.Join(steps, "|"), want)
	}
}

// adoptionOf reads, through the API as c, the adoption of an innovation by
// a region.
func (ts *testServer) adoptionOf(t *testing.T, c *client, slug, region string) (kb.Adoption, bool) {
	t.Helper()
	r := ts.apiAs(t, c, viaToken, http.MethodGet, "/api/v1/innovations/"+slug, "")
	var d struct {
		Adoptions []kb.Adoption `json:"adoptions"`
	}
	if err := json.Unmarshal([]byte(r.body), &d); err != nil {
		t.Fatal(err)
	}
	for _, a := range d.Adoptions {
		if a.Region == region {
			return a, true
		}
	}
	return kb.Adoption{}, false
}

// Steps sent at once (a leader and an admin, a retried request) are all
// kept: the history was read before the write's transaction, so the step
// written last overwrote the others.
func TestAdoptionStepsSentAtOnceAreAllKept(t *testing.T) {
	ts := newTestServer(t)
	pimp := ts.newMember(t, "pimpinan-banjar", "pimpinan@banjarkab.go.id", kb.RolePimpinan, banjarAgency, banjarRegion)
	const slug = "aplikasi-pengaduan-warga-surakarta"
	before, _ := ts.adoptionOf(t, pimp, slug, banjarRegion)
	const n = 8
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := fmt.Sprintf(`{"status":"dikaji","date":"2025-03-%02d","note":"langkah %d"}`, i+1, i+1)
			if r := ts.apiAs(t, pimp, viaToken, http.MethodPut, "/api/v1/innovations/"+slug+"/adoptions/"+banjarRegion, body); r.status != http.StatusOK {
				t.Errorf("step %d: %v", i+1, r)
			}
		}()
	}
	wg.Wait()
	after, _ := ts.adoptionOf(t, pimp, slug, banjarRegion)
	if got := len(after.History) - len(before.History); got != n {
		t.Errorf("%d steps sent at once, %d kept in the history", n, got)
	}
	if after.Date != "2025-03-08" || after.Note != "langkah 8" {
		t.Errorf("adoption at %s %q, want its latest step, 2025-03-08", after.Date, after.Note)
	}
}

// A region keeps reading an innovation it adopts after the region that made
// it turns it internal: its leader opens the page and moves the adoption
// on, and its staff find it in a search. Other regions still see nothing.
func TestAdoptingRegionKeepsReadingAnInnovationMadeInternal(t *testing.T) {
	ts := newTestServer(t)
	pimp := ts.newMember(t, "pimpinan-banjar", "pimpinan@banjarkab.go.id", kb.RolePimpinan, banjarAgency, banjarRegion)
	solo := ts.newMember(t, "penyelenggara-surakarta", "penyelenggara@surakarta.go.id", kb.RolePenyelenggara, soloAgency, soloRegion)
	other := ts.newMember(t, "staf-bandung", "staf@bandung.go.id", kb.RoleStaf, "Diskominfo Kota Bandung", "32.73")
	const slug = "antrean-daring-solo"
	if r := ts.apiAs(t, solo, viaToken, http.MethodPost, "/api/v1/innovations", innovationJSON(slug, "Antrean Daring Puskesmas", soloRegion, soloAgency, "")); r.status != http.StatusCreated {
		t.Fatalf("create innovation: %v", r)
	}
	adoption := "/api/v1/innovations/" + slug + "/adoptions/" + banjarRegion
	if r := ts.apiAs(t, pimp, viaToken, http.MethodPut, adoption, `{"status":"diminati"}`); r.status != http.StatusOK {
		t.Fatalf("Banjar takes it up: %v", r)
	}
	if r := ts.apiAs(t, solo, viaToken, http.MethodPut, "/api/v1/innovations/"+slug,
		innovationJSON(slug, "Antrean Daring Puskesmas", soloRegion, soloAgency, `,"visibility":"internal"`)); r.status != http.StatusOK {
		t.Fatalf("Solo makes it internal: %v", r)
	}
	if err := ts.indexer.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r := ts.getAs(t, pimp, "/inovasi/"+slug); r.status != http.StatusOK || !strings.Contains(r.body, "Antrean Daring Puskesmas") {
		t.Errorf("Banjar's leader opens the page: %d, want 200 with the write-up", r.status)
	}
	if r := ts.apiAs(t, pimp, viaToken, http.MethodPut, adoption, `{"status":"perencanaan","note":"anggaran 2026"}`); r.status != http.StatusOK {
		t.Errorf("Banjar moves its adoption on: %v, want 200", r)
	}
	if err := ts.indexer.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	found := func(c *client) bool {
		r := ts.apiAs(t, c, viaToken, http.MethodGet, "/api/v1/search?q="+url.QueryEscape("antrean daring puskesmas"), "")
		return r.status == http.StatusOK && strings.Contains(r.body, `"slug":"`+slug+`"`)
	}
	if !found(pimp) {
		t.Error("Banjar does not find the innovation it adopts")
	}
	if found(other) {
		t.Error("Bandung, which does not adopt it, finds the internal innovation")
	}
	if r := ts.getAs(t, other, "/inovasi/"+slug); r.status != http.StatusNotFound {
		t.Errorf("Bandung opens the internal innovation: %d, want 404", r.status)
	}
	if r := ts.apiAs(t, other, viaToken, http.MethodPut, "/api/v1/innovations/"+slug+"/adoptions/32.73", `{"status":"diminati"}`); r.status != http.StatusNotFound {
		t.Errorf("Bandung takes up the internal innovation: %v, want 404", r)
	}
}
