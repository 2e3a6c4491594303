package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"tiru/internal/kb"
)

// innovationFormValues is a full write-up as an organiser types it.
func innovationFormValues() url.Values {
	return url.Values{
		"title": {"Lapor Jalan Rusak lewat Aplikasi"}, "region": {"Kabupaten Banjar"}, "agency": {banjarAgency},
		"summary": {"Warga memotret jalan berlubang; petugas menambal dalam tujuh hari."},
		"problem": {"Laporan jalan rusak tersebar di media sosial."}, "solution": {"Satu formulir dengan foto dan lokasi."},
		"results": {"2024-06-30 | 1.240 laporan ditangani | semester I\n2024-12-31 | 2.100 laporan"},
		"body":    {"## Cara kerja\n\n1. Foto\n2. Tambal <script>alert(1)</script>"},
		"urusan":  {"1.03"}, "urusan_related": {"2.16"}, "stage": {"penerapan"},
		"stage_uji_coba": {"2022-03-01"}, "stage_penerapan": {"2023-01-09"},
		"innovation_type": {"digital"}, "form": {"pelayanan publik"}, "initiator": {"opd"}, "year_started": {"2022"},
		"cost_per_year": {"350.000.000"}, "partners": {"Telkom Indonesia\nForum Warga"},
		"legal_basis": {"Peraturan Bupati tentang Pengaduan"}, "prerequisites": {"Petugas lapangan."},
		"contacts":       {"Bidang Jalan | Pengelola | jalan@example.go.id | 0511-123"},
		"evidence_level": {"3"}, "sustainability": {"berlanjut"}, "sustainability_verified": {"2024-07-01"},
		"sources": {"Laporan kinerja 2024 | https://example.go.id/lkj-2024"}, "tags": {"jalan rusak, pengaduan"},
		"language": {"id"}, "visibility": {"public"},
	}
}

// An organiser writes up an innovation through the form, every part of its
// profile, edits it, and is warned when the form is stale.
func TestOrganiserWritesUpAnInnovationThroughTheForm(t *testing.T) {
	ts := newTestServer(t)
	c := ts.banjarOrganiser(t)
	if r := ts.getAs(t, c, "/inovasi"); !strings.Contains(r.body, `href="/inovasi/baru"`) {
		t.Error("the innovation list offers an organiser no way to write one up")
	}
	if r := ts.getAs(t, c, "/inovasi/baru"); r.status != http.StatusOK {
		t.Fatalf("new innovation form: %v", r)
	}
	r := ts.postAs(t, c, "/inovasi/baru", innovationFormValues())
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/inovasi/lapor-jalan-rusak-lewat-aplikasi" {
		t.Fatalf("save: %v", r)
	}
	page := ts.getAs(t, c, "/inovasi/lapor-jalan-rusak-lewat-aplikasi")
	for _, want := range []string{"1.240 laporan ditangani", "Telkom Indonesia", "Peraturan Bupati tentang Pengaduan", "jalan@example.go.id",
		"Rp 350 juta", "Laporan kinerja 2024", "Cara kerja", `href="/inovasi/lapor-jalan-rusak-lewat-aplikasi/ubah"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the innovation's page lacks %q", want)
		}
	}
	if strings.Contains(page.body, "<script>alert") {
		t.Error("the write-up's script reached the page")
	}
	edit := ts.getAs(t, c, "/inovasi/lapor-jalan-rusak-lewat-aplikasi/ubah")
	for _, want := range []string{"2024-06-30 | 1.240 laporan ditangani | semester I", `value="350000000"`, `<option value="3" selected>`, `name="version" value="1"`} {
		if !strings.Contains(edit.body, want) {
			t.Errorf("the edit form lacks %q", want)
		}
	}
	v := innovationFormValues()
	v.Set("version", "1")
	v.Set("stage", "uji_coba")
	if r := ts.postAs(t, c, "/inovasi/lapor-jalan-rusak-lewat-aplikasi/ubah", v); r.status != http.StatusSeeOther {
		t.Fatalf("edit: %v", r)
	}
	v.Set("title", "Judul dari formulir lama")
	if r := ts.postAs(t, c, "/inovasi/lapor-jalan-rusak-lewat-aplikasi/ubah", v); r.status != http.StatusConflict || !strings.Contains(r.body, "Judul dari formulir lama") {
		t.Errorf("stale form: %v, want 409 with the typed title kept", r)
	}
}

// A refused write-up names each problem by its field, keeps what was typed
// and stores nothing; only organisers of the agency may use the form.
func TestInnovationFormRefusals(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "penyelenggara@banjarkab.go.id", "Penyelenggara Banjar", kb.RolePenyelenggara, banjarAgency, banjarRegion)
	ts.addUser(t, "staf@banjarkab.go.id", "Staf Banjar", kb.RoleStaf, banjarAgency, banjarRegion)
	c := ts.login(t, "penyelenggara@banjarkab.go.id", testPassword)
	v := innovationFormValues()
	v.Set("stage_uji_coba", "2022-14-01")
	v.Set("cost_per_year", "tiga ratus juta")
	v.Set("sources", "Laporan | javascript:alert(1)")
	v.Set("results", "2024-06-30 | | catatan tanpa angka")
	before, _, _ := ts.db.Counts(t.Context())
	r := ts.postAs(t, c, "/inovasi/baru", v)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad form: %v", r)
	}
	for _, want := range []string{"Tanggal tahap uji coba:", "Biaya per tahun: tulis sebagai angka bulat", "Sumber, butir 1, Alamat web:", "Hasil, butir 1, Angka: wajib diisi",
		`href="#f-stage_uji_coba"`, `value="tiga ratus juta"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the refused form lacks %q", want)
		}
	}
	if after, _, _ := ts.db.Counts(t.Context()); after != before {
		t.Errorf("innovations after a refused form: %d, before %d", after, before)
	}
	// Another agency's region, or a staff member: refused.
	other := innovationFormValues()
	other.Set("region", "Kota Surakarta")
	if r := ts.postAs(t, c, "/inovasi/baru", other); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "harus instansi Anda sendiri") {
		t.Errorf("Banjar writes up a Surakarta innovation: %v", r)
	}
	staf := ts.login(t, "staf@banjarkab.go.id", testPassword)
	if r := ts.getAs(t, staf, "/inovasi/baru"); r.status != http.StatusForbidden {
		t.Errorf("staff opens the form: %v", r)
	}
	if r := ts.getAs(t, c, "/inovasi/aplikasi-pengaduan-warga-surakarta/ubah"); r.status != http.StatusForbidden {
		t.Errorf("Banjar opens Surakarta's innovation in the form: %v", r)
	}
}

// The form's pages are valid HTML, empty, refused, filled and in English.
func TestInnovationFormIsValidHTML(t *testing.T) {
	jar := vnuJar(t)
	ts := newTestServer(t)
	ts.addUser(t, "penyelenggara@surakarta.go.id", "Penyelenggara Surakarta", kb.RolePenyelenggara, soloAgency, soloRegion)
	c := ts.login(t, "penyelenggara@surakarta.go.id", testPassword)
	bad := innovationFormValues()
	bad.Set("stage_uji_coba", "2022-14-01")
	bad.Set("year_started", "dua ribu")
	bad.Set("results", "a | b | c | d")
	pages := map[string]string{
		"new.html":    ts.getAs(t, c, "/inovasi/baru").body,
		"new-en.html": ts.getAs(t, c, "/inovasi/baru?lang=en").body,
		"bad.html":    ts.postAs(t, c, "/inovasi/baru", bad).body,
		"edit.html":   ts.getAs(t, c, "/inovasi/aplikasi-pengaduan-warga-surakarta/ubah").body,
		"page.html":   ts.getAs(t, c, "/inovasi/aplikasi-pengaduan-warga-surakarta").body,
		"list.html":   ts.getAs(t, c, "/inovasi").body,
	}
	checkHTML(t, jar, pages)
}

// A record opened in the form and saved unchanged stays as it was, even
// with "|", commas and line breaks inside its list items, and with the
// line breaks a browser sends (\r\n): nothing changes and no revision is
// recorded.
func TestUnchangedFormSavesNothing(t *testing.T) {
	ts := newTestServer(t)
	solo := ts.newMember(t, "penyelenggara-surakarta", "penyelenggara@surakarta.go.id", kb.RolePenyelenggara, soloAgency, soloRegion)
	body := innovationJSON("pelik", "Inovasi Pelik", soloRegion, soloAgency,
		`,"tags":["Jawa Tengah, Indonesia","wifi"],"results":[{"date":"2024-01-01","figure":"50% | naik","note":"baris satu\nbaris dua"}],`+
			`"sources":[{"title":"Data","url":"https://x.go.id/a?q=1|2"}],"problem":"Baris satu.\n\nBaris dua.","body":"## Judul\n\nIsi."`)
	if r := ts.apiAs(t, solo, viaToken, http.MethodPost, "/api/v1/innovations", body); r.status != http.StatusCreated {
		t.Fatalf("create: %v", r)
	}
	rec, err := ts.db.GetInnovation(t.Context(), "pelik", kb.Viewer{AllInternal: true})
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"version": {"1"}}
	for k, v := range innovationValues(&rec.Innovation) {
		form.Set(k, strings.ReplaceAll(v, "\n", "\r\n")) // as a browser sends a textarea
	}
	if r := ts.postAs(t, solo, "/inovasi/pelik/ubah", form); r.status != http.StatusSeeOther {
		t.Fatalf("unchanged save: %v", r)
	}
	after, err := ts.db.GetInnovation(t.Context(), "pelik", kb.Viewer{AllInternal: true})
	if err != nil {
		t.Fatal(err)
	}
	if after.Version != 1 {
		revs, _ := ts.db.Revisions(t.Context(), "innovation", "pelik")
		t.Errorf("an unchanged save made version %d: %+v", after.Version, revs)
	}
	// The same for a visit whose person's role holds a "|".
	visit := visitJSON("kunjungan-pelik", soloRegion, soloAgency, bandungRegion, bandungAgency,
		`,"people_met":[{"name":"Ibu Sri","role":"Kabid | Plt Sekretaris"}],"body":"Catatan\n\nperjalanan."`)
	if r := ts.apiAs(t, solo, viaToken, http.MethodPost, "/api/v1/visits", visit); r.status != http.StatusCreated {
		t.Fatalf("create visit: %v", r)
	}
	vrec, err := ts.db.GetVisit(t.Context(), "kunjungan-pelik", kb.Viewer{AllInternal: true})
	if err != nil {
		t.Fatal(err)
	}
	vform := url.Values{"version": {"1"}}
	for k, v := range visitValues(&vrec.Visit) {
		vform.Set(k, strings.ReplaceAll(v, "\n", "\r\n"))
	}
	if r := ts.postAs(t, solo, "/kunjungan/kunjungan-pelik/ubah", vform); r.status != http.StatusSeeOther {
		t.Fatalf("unchanged visit save: %v", r)
	}
	if v, _ := ts.db.GetVisit(t.Context(), "kunjungan-pelik", kb.Viewer{AllInternal: true}); v.Version != 1 {
		t.Errorf("an unchanged visit save made version %d", v.Version)
	}
}

// Saves of one form sent at once: exactly one is taken, the others are
// told the record changed since the form was opened.
func TestConcurrentFormSavesConflict(t *testing.T) {
	ts := newTestServer(t)
	c := ts.banjarOrganiser(t)
	r := ts.postAs(t, c, "/kunjungan/baru", visitFormValues())
	if r.status != http.StatusSeeOther {
		t.Fatalf("save: %v", r)
	}
	edit := r.header.Get("Location") + "/ubah"
	const n = 8
	statuses := make(chan int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			v := visitFormValues()
			v.Set("version", "1")
			v.Set("purpose", fmt.Sprintf("Tujuan versi %d", i))
			statuses <- ts.postAs(t, c, edit, v).status
		})
	}
	wg.Wait()
	close(statuses)
	counts := map[int]int{}
	for st := range statuses {
		counts[st]++
	}
	if counts[http.StatusSeeOther] != 1 || counts[http.StatusConflict] != n-1 {
		t.Errorf("%d saves of one form at once: %v, want one 303 and the rest 409", n, counts)
	}
}

// An address the writer left empty is made from the title; when that one
// is taken the next number is added, and a title too short for an address
// gets one from the kind and the time, never an error on the empty field.
func TestEmptySlugIsMadeFree(t *testing.T) {
	ts := newTestServer(t)
	c := ts.banjarOrganiser(t)
	v := innovationFormValues()
	v.Del("slug")
	for _, want := range []string{"/inovasi/lapor-jalan-rusak-lewat-aplikasi", "/inovasi/lapor-jalan-rusak-lewat-aplikasi-2"} {
		if r := ts.postAs(t, c, "/inovasi/baru", v); r.status != http.StatusSeeOther || r.header.Get("Location") != want {
			t.Fatalf("save with the title's address %s: %v", strings.TrimPrefix(want, "/inovasi/"), r)
		}
	}
	v.Set("title", "Ab")
	if r := ts.postAs(t, c, "/inovasi/baru", v); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/inovasi/inovasi-") {
		t.Errorf("a two-letter title: %v", r)
	}
	// A typed address that is taken is the writer's to change.
	v.Set("slug", "lapor-jalan-rusak-lewat-aplikasi")
	if r := ts.postAs(t, c, "/inovasi/baru", v); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "sudah dipakai") {
		t.Errorf("a taken typed address: %v", r)
	}
}

// An organiser writes up their own agency's innovations only, so the form
// shows their region and agency without offering to change them; an
// admin's form lets them be typed.
func TestInnovationFormKeepsTheOrganisersAgency(t *testing.T) {
	ts := newTestServer(t)
	c := ts.banjarOrganiser(t)
	form := ts.getAs(t, c, "/inovasi/baru")
	for _, f := range []string{"region", "agency"} {
		if !regexp.MustCompile(`<input id="f-` + f + `"[^>]* readonly`).MatchString(form.body) {
			t.Errorf("the organiser's %s can be typed over", f)
		}
	}
	admin := ts.sessionAdmin(t, "admin@tiru.go.id")
	if af := ts.getAs(t, admin, "/inovasi/baru"); strings.Contains(af.body, " readonly") {
		t.Error("the admin's form does not let region and agency be typed")
	}
}
