package web

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"tiru/internal/kb"
)

// visitFormValues is a complete visit as an organiser types it into the form.
func visitFormValues() url.Values {
	return url.Values{
		"title": {"Studi Tiru DKISP Banjar ke Bandung tentang Laporan Jalan"}, "visit_type": {"studi_tiru"},
		"start_date": {"2025-02-11"}, "end_date": {"2025-02-12"},
		"visitor_region": {"Kabupaten Banjar"}, "visitor_agency": {banjarAgency},
		"host_region": {"Kota Bandung"}, "host_agency": {bandungAgency},
		"delegation_size": {"6"}, "delegation": {"Kepala bidang dan lima staf"},
		"purpose":     {"Mempelajari penanganan laporan jalan rusak."},
		"body":        {"## Catatan\n\nAplikasi dipakai sejak 2022; <script>alert(1)</script> laporan ditangani tujuh hari."},
		"people_met":  {"Ibu Rina | Kepala Bidang Jalan | Dinas SDA dan Bina Marga\nPak Dedi | Operator aplikasi\n"},
		"follow_ups":  {"Menyusun kajian biaya | Kabid Aplikasi Informatika | 2025-04-30 | terbuka\nMengirim surat minat | Sekretaris | | berjalan"},
		"innovations": {"aplikasi-pengaduan-warga-surakarta"},
		"language":    {"id"}, "visibility": {"public"},
	}
}

// An organiser logs a visit through the form, without a script: people met
// and follow-ups one a line, and the visit's page shows them all.
func TestOrganiserLogsAVisitThroughTheForm(t *testing.T) {
	ts := newTestServer(t)
	c := ts.banjarOrganiser(t)
	if r := ts.getAs(t, c, "/kunjungan"); !strings.Contains(r.body, `href="/kunjungan/baru"`) {
		t.Error("the visit list offers an organiser no way to log a visit")
	}
	form := ts.getAs(t, c, "/kunjungan/baru")
	if !strings.Contains(form.body, `<label for="f-body">Catatan perjalanan</label>`) {
		t.Error("the visit form does not call the body the trip notes")
	}
	if form.status != http.StatusOK || !strings.Contains(form.body, `value="Kabupaten Banjar"`) && !strings.Contains(form.body, `value="63.03"`) {
		t.Fatalf("new visit form: %v", form)
	}
	r := ts.postAs(t, c, "/kunjungan/baru", visitFormValues())
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/kunjungan/studi-tiru-dkisp-banjar-ke-bandung-tentang-laporan-jalan-2025") {
		t.Fatalf("save: %v", r)
	}
	page := ts.getAs(t, c, r.header.Get("Location"))
	for _, want := range []string{"Ibu Rina", "Operator aplikasi", "Menyusun kajian biaya", "30 April 2025", "Sedang berjalan", "Aplikasi Pengaduan Warga", "Kepala bidang dan lima staf"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the visit's page lacks %q", want)
		}
	}
	if strings.Contains(page.body, "<script>alert") {
		t.Error("the trip notes' script reached the page")
	}
	// Editing: the form shows the visit as saved, and a change is kept.
	slug := strings.TrimPrefix(r.header.Get("Location"), "/kunjungan/")
	if !strings.Contains(page.body, `href="/kunjungan/`+slug+`/ubah"`) {
		t.Error("the visit's page offers its organiser no way to edit it")
	}
	edit := ts.getAs(t, c, "/kunjungan/"+slug+"/ubah")
	if !strings.Contains(edit.body, "Ibu Rina | Kepala Bidang Jalan | Dinas SDA dan Bina Marga") || !strings.Contains(edit.body, `name="version" value="1"`) {
		t.Fatalf("edit form does not show the visit as saved")
	}
	v := visitFormValues()
	v.Set("version", "1")
	v.Set("follow_ups", "Menyusun kajian biaya | Kabid Aplikasi Informatika | 2025-04-30 | selesai")
	if r := ts.postAs(t, c, "/kunjungan/"+slug+"/ubah", v); r.status != http.StatusSeeOther {
		t.Fatalf("edit: %v", r)
	}
	if page := ts.getAs(t, c, "/kunjungan/"+slug); !strings.Contains(page.body, "Selesai") || strings.Contains(page.body, "Mengirim surat minat") {
		t.Error("the edited follow-ups are not what the page shows")
	}
	// Saving from a form opened before that edit is a conflict, and keeps
	// what was typed.
	v.Set("title", "Judul dari formulir lama")
	if r := ts.postAs(t, c, "/kunjungan/"+slug+"/ubah", v); r.status != http.StatusConflict || !strings.Contains(r.body, "Judul dari formulir lama") {
		t.Errorf("stale form: %v, want 409 with the typed title kept", r)
	}
}

// A refused form names each problem by its field, in Indonesian, keeps what
// was typed, and stores nothing.
func TestVisitFormNamesWhatIsWrong(t *testing.T) {
	ts := newTestServer(t)
	c := ts.banjarOrganiser(t)
	v := visitFormValues()
	v.Set("end_date", "2025-02-10")
	v.Set("host_region", "Negeri Antah Berantah")
	v.Set("follow_ups", "Menyusun kajian | Kabid | 2025-13-40 | terbuka\nTerlalu | banyak | bagian | di | sini")
	r := ts.postAs(t, c, "/kunjungan/baru", v)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad form: %v", r)
	}
	for _, want := range []string{"Tanggal selesai: tanggal selesai sebelum tanggal mulai", "Wilayah tuan rumah:", "Tindak lanjut, butir 1, Tenggat:", "Tindak lanjut, butir 2:",
		`value="Negeri Antah Berantah"`, `href="#f-end_date"`, `aria-invalid="true"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the refused form lacks %q", want)
		}
	}
	if _, visits, err := ts.db.Counts(t.Context()); err != nil || visits != 1 {
		// Only the seeded visit.
		t.Errorf("visits stored after a refused form: %d, %v", visits, err)
	}
}

// Only organisers of one of the visit's agencies, and admins, may use the
// form: the server refuses everyone else, whatever the page offers.
func TestVisitFormIsForOrganisersOnly(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "staf@banjarkab.go.id", "Staf Banjar", kb.RoleStaf, banjarAgency, banjarRegion)
	ts.addUser(t, "pimpinan@banjarkab.go.id", "Pimpinan Banjar", kb.RolePimpinan, banjarAgency, banjarRegion)
	ts.addUser(t, "penyelenggara@surakarta.go.id", "Penyelenggara Surakarta", kb.RolePenyelenggara, soloAgency, soloRegion)
	ts.addUser(t, "penyelenggara@banjarkab.go.id", "Penyelenggara Banjar", kb.RolePenyelenggara, banjarAgency, banjarRegion)
	for _, email := range []string{"staf@banjarkab.go.id", "pimpinan@banjarkab.go.id"} {
		c := ts.login(t, email, testPassword)
		if r := ts.getAs(t, c, "/kunjungan/baru"); r.status != http.StatusForbidden {
			t.Errorf("%s opens the form: %v", email, r)
		}
		if r := ts.postAs(t, c, "/kunjungan/baru", visitFormValues()); r.status != http.StatusForbidden {
			t.Errorf("%s saves the form: %v", email, r)
		}
	}
	if r := ts.send(t, http.MethodGet, "/kunjungan/baru", ""); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/masuk") {
		t.Errorf("anonymous form: %v, want sent to log in", r)
	}
	// An organiser of Surakarta may not log a visit between Banjar and
	// Bandung, nor edit one.
	solo := ts.login(t, "penyelenggara@surakarta.go.id", testPassword)
	if r := ts.postAs(t, solo, "/kunjungan/baru", visitFormValues()); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "instansi Anda harus menjadi pengunjung atau tuan rumah") {
		t.Errorf("Surakarta logs Banjar's visit: %v", r)
	}
	banjar := ts.login(t, "penyelenggara@banjarkab.go.id", testPassword)
	// Without the form's token the post is refused, as every form's is.
	if r := ts.send(t, http.MethodPost, "/kunjungan/baru", visitFormValues().Encode(), "Cookie", banjar.cookie,
		"Content-Type", "application/x-www-form-urlencoded"); r.status != http.StatusForbidden {
		t.Errorf("a post without the form token: %v", r)
	}
	r := ts.postAs(t, banjar, "/kunjungan/baru", visitFormValues())
	if r.status != http.StatusSeeOther {
		t.Fatalf("Banjar logs its visit: %v", r)
	}
	edit := r.header.Get("Location") + "/ubah"
	if r := ts.getAs(t, solo, edit); r.status != http.StatusForbidden {
		t.Errorf("Surakarta opens Banjar's visit in the form: %v", r)
	}
	v := visitFormValues()
	v.Set("version", "1")
	v.Set("title", "Diubah Surakarta")
	if r := ts.postAs(t, solo, edit, v); r.status != http.StatusForbidden {
		t.Errorf("Surakarta saves Banjar's visit: %v", r)
	}
}

// The form's pages are valid HTML, empty, refused and in English, when CI
// has installed the Nu HTML Checker.
func TestVisitFormIsValidHTML(t *testing.T) {
	jar := vnuJar(t)
	ts := newTestServer(t)
	c := ts.banjarOrganiser(t)
	bad := visitFormValues()
	bad.Set("end_date", "2025-02-10")
	bad.Set("start_date", "11 Februari 2025")
	bad.Set("delegation_size", "enam")
	bad.Set("follow_ups", "a | b | 2025-13-40 | x | y")
	pages := map[string]string{
		"new.html":    ts.getAs(t, c, "/kunjungan/baru").body,
		"new-en.html": ts.getAs(t, c, "/kunjungan/baru?lang=en").body,
		"bad.html":    ts.postAs(t, c, "/kunjungan/baru", bad).body,
		"edit.html":   ts.getAs(t, c, "/kunjungan/"+seedVisit+"/ubah").body,
		"list.html":   ts.getAs(t, c, "/kunjungan").body,
		// The visit's page as its organiser sees it: each follow-up
		// with a control to change its status.
		"visit.html":    ts.getAs(t, c, "/kunjungan/"+seedVisit).body,
		"visit-en.html": ts.getAs(t, c, "/kunjungan/"+seedVisit+"?lang=en").body,
		// The home page reminding the organiser of follow-ups due.
		"home.html": ts.getAs(t, c, "/").body,
	}
	if !strings.Contains(pages["home.html"], `id="due-title"`) {
		t.Error("the organiser's home page lists no follow-up due to check")
	}
	if !strings.Contains(pages["visit.html"], "/tindak-lanjut\"") {
		t.Error("the organiser's view of the visit has no follow-up control to check")
	}
	checkHTML(t, jar, pages)
}

// An organiser deletes a visit from its edit page, once the confirmation
// is ticked; unticked, nothing is deleted and the form says why.
func TestVisitIsDeletedFromItsForm(t *testing.T) {
	ts := newTestServer(t)
	c := ts.banjarOrganiser(t)
	r := ts.postAs(t, c, "/kunjungan/baru", visitFormValues())
	if r.status != http.StatusSeeOther {
		t.Fatalf("save: %v", r)
	}
	page := r.header.Get("Location")
	if r := ts.getAs(t, c, page+"/ubah"); !strings.Contains(r.body, `action="`+page+`/hapus"`) {
		t.Error("the edit page offers no delete")
	}
	if r := ts.postAs(t, c, page+"/hapus", nil); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Belum dihapus") {
		t.Errorf("unconfirmed delete: %v", r)
	}
	if r := ts.getAs(t, c, page); r.status != http.StatusOK {
		t.Fatalf("the visit is gone after an unconfirmed delete: %v", r)
	}
	if r := ts.postAs(t, c, page+"/hapus", url.Values{"confirm": {"ya"}}); r.status != http.StatusSeeOther || r.header.Get("Location") != "/kunjungan" {
		t.Fatalf("delete: %v", r)
	}
	if r := ts.getAs(t, c, page); r.status != http.StatusNotFound {
		t.Errorf("after the delete the visit's page answers %d", r.status)
	}
}

// Every problem of a visit form at once: an unknown observed innovation is
// named with the other problems, not after they are fixed; the edit form
// lists the observed innovations one a line, as its hint says.
func TestVisitFormNamesEveryProblemAtOnce(t *testing.T) {
	ts := newTestServer(t)
	c := ts.banjarOrganiser(t)
	form := visitFormValues()
	form.Set("title", "")
	form.Set("innovations", "aplikasi-pengaduan-warga-surakarta\ninovasi-yang-tidak-ada")
	r := ts.postAs(t, c, "/kunjungan/baru", form)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "inovasi-yang-tidak-ada") || !strings.Contains(r.body, `href="#f-title"`) {
		t.Errorf("title and observed innovation both wrong: %d, want 422 naming both", r.status)
	}
	// Another region's internal innovation is answered as one that does
	// not exist, as saving answers it: the form tells no more than the
	// record's page would.
	ts.importJSONL(t, innovationJSON("catatan-internal-solo", "Catatan Internal Solo", soloRegion, soloAgency, `,"visibility":"internal"`)+"\n")
	form = visitFormValues()
	form.Set("title", "")
	form.Set("innovations", "catatan-internal-solo\ninovasi-yang-tidak-ada")
	r = ts.postAs(t, c, "/kunjungan/baru", form)
	for _, slug := range []string{"catatan-internal-solo", "inovasi-yang-tidak-ada"} {
		if !strings.Contains(r.body, slug+"&#34; tidak ditemukan") {
			t.Errorf("the form does not answer %s as not found", slug)
		}
	}
	form = visitFormValues()
	form.Set("innovations", "aplikasi-pengaduan-warga-surakarta\ninternet-gratis-ruang-publik-surakarta")
	saved := ts.postAs(t, c, "/kunjungan/baru", form)
	if saved.status != http.StatusSeeOther {
		t.Fatalf("save: %v", saved)
	}
	edit := ts.getAs(t, c, saved.header.Get("Location")+"/ubah")
	if !strings.Contains(edit.body, "aplikasi-pengaduan-warga-surakarta\ninternet-gratis-ruang-publik-surakarta</textarea>") {
		t.Error("the edit form does not list the observed innovations one a line")
	}
}

// After a save the next page says so, once; the cookie that carries it
// holds only a known key, so nothing else a client puts there is shown.
func TestSaveIsConfirmedOnce(t *testing.T) {
	ts := newTestServer(t)
	c := ts.banjarOrganiser(t)
	r := ts.postAs(t, c, "/kunjungan/baru", visitFormValues())
	if r.status != http.StatusSeeOther {
		t.Fatalf("save: %v", r)
	}
	notice := noticeCookieOf(r)
	if notice == "" {
		t.Fatal("the save sets no notice")
	}
	page := ts.send(t, http.MethodGet, r.header.Get("Location"), "", "Cookie", c.cookie+"; "+notice)
	if !strings.Contains(page.body, `<p class="notice" role="status">Tersimpan.</p>`) {
		t.Error("the page after the save does not confirm it")
	}
	cleared := false
	for _, ck := range (&http.Response{Header: page.header}).Cookies() {
		cleared = cleared || ck.Name == noticeCookie && ck.MaxAge < 0
	}
	if !cleared {
		t.Error("the notice is not cleared once shown")
	}
	forged := ts.send(t, http.MethodGet, "/", "", "Cookie", noticeCookie+"=%3Cscript%3E")
	if strings.Contains(forged.body, `class="notice" role="status"`) {
		t.Error("an unknown notice key is shown")
	}
}

// The same form sent twice (a double click, a resend after a lost answer)
// is the save already made: one record, not a second one ending "-2", and
// no "changed since you opened it" about the writer's own edit. The same
// page sent again with other contents is a save of its own.
func TestFormSentTwiceSavesOnce(t *testing.T) {
	ts := newTestServer(t)
	c := ts.banjarOrganiser(t)
	form := formFields(t, ts.getAs(t, c, "/kunjungan/baru").body, "/kunjungan/baru")
	for k, v := range visitFormValues() {
		form[k] = v
	}
	form.Set("slug", "")
	first := ts.postAs(t, c, "/kunjungan/baru", form)
	second := ts.postAs(t, c, "/kunjungan/baru", form)
	if first.status != http.StatusSeeOther || second.status != http.StatusSeeOther || first.header.Get("Location") != second.header.Get("Location") {
		t.Fatalf("a new visit sent twice: %v then %v, want both to lead to one record", first, second)
	}
	page := first.header.Get("Location")
	if r := ts.getAs(t, c, page+"-2"); r.status != http.StatusNotFound {
		t.Errorf("a second record %s-2 was made", page)
	}

	hidden := formFields(t, ts.getAs(t, c, page+"/ubah").body, page+"/ubah")
	edit := visitFormValues()
	for _, k := range []string{"csrf", "version", "submission"} {
		edit.Set(k, hidden.Get(k))
	}
	edit.Set("purpose", "Tujuan yang diperbaiki.")
	for i := range 2 {
		if r := ts.postAs(t, c, page+"/ubah", edit); r.status != http.StatusSeeOther {
			t.Errorf("edit sent the %d. time: %v, want it saved", i+1, r)
		}
	}
	// The page sent again after a change is stale now: refused as a
	// conflict, not taken for the save already made.
	edit.Set("purpose", "Tujuan yang lain lagi.")
	if r := ts.postAs(t, c, page+"/ubah", edit); r.status != http.StatusConflict {
		t.Errorf("the old edit page sent with other contents: %v, want 409", r)
	}
	// Once someone else has saved the record, the writer's own page sent
	// again as it was is stale, not "saved": they are told, and may
	// choose to overwrite.
	other := visitFormValues()
	otherHidden := formFields(t, ts.getAs(t, c, page+"/ubah").body, page+"/ubah")
	for _, k := range []string{"csrf", "version", "submission"} {
		other.Set(k, otherHidden.Get(k))
	}
	other.Set("purpose", "Tujuan dari penyunting lain.")
	if r := ts.postAs(t, c, page+"/ubah", other); r.status != http.StatusSeeOther {
		t.Fatalf("another edit: %v", r)
	}
	edit.Set("purpose", "Tujuan yang diperbaiki.")
	if r := ts.postAs(t, c, page+"/ubah", edit); r.status != http.StatusConflict {
		t.Errorf("the first edit page sent again after another save: %v, want 409, not 'saved'", r)
	}
	// A record deleted since is made anew when its form is sent again,
	// not answered "saved" with a page that is gone.
	del := url.Values{"csrf": {hidden.Get("csrf")}, "confirm": {"ya"}}
	if r := ts.postAs(t, c, page+"/hapus", del); r.status != http.StatusSeeOther {
		t.Fatalf("delete: %v", r)
	}
	r := ts.postAs(t, c, "/kunjungan/baru", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("the first new-visit page sent again after the delete: %v", r)
	}
	if got := ts.getAs(t, c, r.header.Get("Location")); got.status != http.StatusOK {
		t.Errorf("after the delete, sending the form again leads to %s: %d, want the visit made anew", r.header.Get("Location"), got.status)
	}
	// And the new-visit page sent again with another title is a new visit.
	form.Set("title", "Kunjungan Kedua yang Lain")
	if r := ts.postAs(t, c, "/kunjungan/baru", form); r.status != http.StatusSeeOther || r.header.Get("Location") == page {
		t.Errorf("the new-visit page sent with another title: %v, want a record of its own", r)
	}
}

// An organiser names the innovations a delegation saw as they know them:
// by title, in any case, or by the address of their page, as well as by
// slug; the visit keeps their slugs. A title that several innovations
// share, or one that names none, is refused on its line, with the slugs
// to choose from or the likeliest innovations.
func TestVisitFormNamesObservedInnovationsByTitleOrAddress(t *testing.T) {
	ts := newTestServer(t)
	c := ts.banjarOrganiser(t)
	form := visitFormValues()
	form.Set("innovations", "aplikasi pengaduan warga  KOTA SURAKARTA\nhttps://tiru.example.go.id/inovasi/internet-gratis-ruang-publik-surakarta?tab=1\n")
	saved := ts.postAs(t, c, "/kunjungan/baru", form)
	if saved.status != http.StatusSeeOther {
		t.Fatalf("save by title and address: %v", saved)
	}
	edit := ts.getAs(t, c, saved.header.Get("Location")+"/ubah")
	if !strings.Contains(edit.body, "aplikasi-pengaduan-warga-surakarta\ninternet-gratis-ruang-publik-surakarta</textarea>") {
		t.Error("the visit does not keep the slugs of the innovations named by title and address")
	}

	ts.importJSONL(t, innovationJSON("bank-sampah-banjar", "Bank Sampah Sekolah", banjarRegion, banjarAgency, "")+"\n"+
		innovationJSON("bank-sampah-surakarta", "Bank Sampah Sekolah", soloRegion, soloAgency, "")+"\n")
	form = visitFormValues()
	form.Set("title", "Studi tiru bank sampah")
	form.Set("innovations", "Bank Sampah Sekolah")
	r := ts.postAs(t, c, "/kunjungan/baru", form)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "bank-sampah-banjar, bank-sampah-surakarta") {
		t.Errorf("a title two innovations share: %d, want 422 naming both slugs", r.status)
	}
	// "Title (slug)" picks one of them.
	form.Set("innovations", "Bank Sampah Sekolah (bank-sampah-surakarta)")
	if r := ts.postAs(t, c, "/kunjungan/baru", form); r.status != http.StatusSeeOther {
		t.Errorf("title with its slug: %v", r)
	}

	form = visitFormValues()
	form.Set("title", "Studi tiru pengaduan")
	form.Set("innovations", "Aplikasi Pengadun Warga Solo")
	r = ts.postAs(t, c, "/kunjungan/baru", form)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "tidak ditemukan; mungkin: Aplikasi Pengaduan Warga Kota Surakarta (aplikasi-pengaduan-warga-surakarta)") {
		t.Errorf("a mistyped title: %d, want 422 offering the innovation meant", r.status)
	}
	if !strings.Contains(r.body, "Aplikasi Pengadun Warga Solo</textarea>") {
		t.Error("the refused form does not keep the line as typed")
	}
}

// A form naming more innovations than a visit holds is refused as it
// stands, once, without looking up each line: every line naming none costs
// a search, and a form's body holds hundreds of thousands of lines (one
// organiser's post once kept the server busy for a minute and a half).
func TestVisitFormRefusesTooManyObservedInnovationsWithoutLookingThemUp(t *testing.T) {
	ts := newTestServer(t)
	c := ts.banjarOrganiser(t)
	var lines, slugs []string
	for i := range 1000 {
		lines = append(lines, fmt.Sprintf("Inovasi yang tidak ada nomor %d", i))
		slugs = append(slugs, fmt.Sprintf("inovasi-tak-ada-%d", i))
	}
	for _, tc := range []struct{ name, text, says string }{
		{"titles one a line", strings.Join(lines, "\n"), "terlalu banyak isian: 1000, paling banyak 200"},
		{"slugs on one line", strings.Join(slugs, ","), "terlalu banyak isian: 1000, paling banyak 200"},
		{"one innovation named again and again", strings.Repeat("aplikasi-pengaduan-warga-surakarta\n", 201), "terlalu banyak isian: 201, paling banyak 200"},
	} {
		form := visitFormValues()
		form.Set("innovations", tc.text)
		r := ts.postAs(t, c, "/kunjungan/baru", form)
		text := pageText(t, r.body)
		if r.status != http.StatusUnprocessableEntity || strings.Count(r.body, `">Inovasi yang dilihat: `+tc.says+`</a>`) != 1 {
			t.Errorf("%s: %d, want 422 saying %q once among the problems", tc.name, r.status, tc.says)
		}
		if strings.Contains(text, "tidak ditemukan") {
			t.Errorf("%s: the lines were looked up one by one", tc.name)
		}
		if !strings.Contains(r.body, html.EscapeString(tc.text[:40])) {
			t.Errorf("%s: the refused form does not keep the list as typed", tc.name)
		}
	}
}
