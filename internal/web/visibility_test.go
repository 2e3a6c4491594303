package web

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"tiru/internal/kb"
	"tiru/internal/sqlite"
)

// A joint visit may observe an innovation one of its two agencies may not
// read. That agency's editor gets the visit without it and may send the
// visit back as it got it: the link stays. Naming an innovation the editor
// may not read is answered as naming none that exists.
func TestVisitKeepsLinksItsEditorCannotSee(t *testing.T) {
	ts := newTestServer(t)
	banjar := ts.newMember(t, "penyelenggara-banjar", "penyelenggara@banjarkab.go.id", kb.RolePenyelenggara, banjarAgency, banjarRegion)
	solo := ts.newMember(t, "penyelenggara-surakarta", "penyelenggara@surakarta.go.id", kb.RolePenyelenggara, soloAgency, soloRegion)
	if r := ts.apiAs(t, solo, viaToken, http.MethodPost, "/api/v1/innovations",
		innovationJSON("rahasia-solo", "Judul Rahasia Solo", soloRegion, soloAgency, `,"visibility":"internal"`)); r.status != http.StatusCreated {
		t.Fatalf("create internal innovation: %v", r)
	}
	const path = "/api/v1/visits/kunjungan-bersama"
	if r := ts.apiAs(t, solo, viaToken, http.MethodPost, "/api/v1/visits", visitJSON("kunjungan-bersama", banjarRegion, banjarAgency, soloRegion, soloAgency,
		`,"innovations":["rahasia-solo","aplikasi-pengaduan-warga-surakarta"]`)); r.status != http.StatusCreated {
		t.Fatalf("create joint visit: %v", r)
	}
	got := ts.apiAs(t, banjar, viaToken, http.MethodGet, path, "")
	if got.status != http.StatusOK || strings.Contains(got.body, "rahasia-solo") {
		t.Fatalf("Banjar reads the joint visit: %v", got)
	}
	if r := ts.apiAs(t, banjar, viaToken, http.MethodPut, path, got.body); r.status != http.StatusOK {
		t.Fatalf("Banjar saves the visit back as read: %v", r)
	}
	var v struct {
		Innovations []string `json:"innovations"`
		Version     int      `json:"version"`
	}
	r := ts.apiAs(t, solo, viaToken, http.MethodGet, path, "")
	if err := json.Unmarshal([]byte(r.body), &v); err != nil {
		t.Fatalf("%v: %v", r, err)
	}
	// Both, in their order, and no change recorded: the save changed nothing.
	if !slices.Equal(v.Innovations, []string{"rahasia-solo", "aplikasi-pengaduan-warga-surakarta"}) || v.Version != 1 {
		t.Errorf("after Banjar's save the visit observes %v at version %d, want both innovations as they were, version 1", v.Innovations, v.Version)
	}
	// Naming the internal innovation from Banjar: the same answer as a
	// slug that does not exist.
	for _, slug := range []string{"rahasia-solo", "tidak-ada-sama-sekali"} {
		r := ts.apiAs(t, banjar, viaToken, http.MethodPost, "/api/v1/visits", visitJSON("kunjungan-banjar-"+slug, banjarRegion, banjarAgency, soloRegion, soloAgency,
			`,"innovations":["`+slug+`"]`))
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "tidak ditemukan") {
			t.Errorf("Banjar names %s: %v, want 422 not found", slug, r)
		}
	}
}

// A public visit is indexed with the titles of the public innovations it
// observed. When one of them is made internal, or deleted, the visit is
// indexed again and is no longer found by that title.
func TestVisitForgetsTitlesOfInnovationsNoLongerPublic(t *testing.T) {
	ts := newTestServer(t)
	solo := ts.newMember(t, "penyelenggara-surakarta", "penyelenggara@surakarta.go.id", kb.RolePenyelenggara, soloAgency, soloRegion)
	create := func(slug, title string) {
		t.Helper()
		if r := ts.apiAs(t, solo, viaToken, http.MethodPost, "/api/v1/innovations", innovationJSON(slug, title, soloRegion, soloAgency, "")); r.status != http.StatusCreated {
			t.Fatalf("create %s: %v", slug, r)
		}
	}
	create("kripton-satu", "Sistem Kriptonsatu Surakarta")
	create("kripton-dua", "Sistem Kriptondua Surakarta")
	if r := ts.apiAs(t, solo, viaToken, http.MethodPost, "/api/v1/visits", visitJSON("kunjungan-kripton", banjarRegion, banjarAgency, soloRegion, soloAgency,
		`,"innovations":["kripton-satu","kripton-dua"]`)); r.status != http.StatusCreated {
		t.Fatalf("create visit: %v", r)
	}
	if err := ts.indexer.Drain(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"kriptonsatu", "kriptondua"} {
		if res := ts.apiSearch(t, "q="+q+"&kind=visit"); res.Total != 1 {
			t.Fatalf("while its innovations are public, %q finds %d visits, want the one that observed them", q, res.Total)
		}
	}
	if r := ts.apiAs(t, solo, viaToken, http.MethodPut, "/api/v1/innovations/kripton-satu",
		innovationJSON("kripton-satu", "Sistem Kriptonsatu Surakarta", soloRegion, soloAgency, `,"visibility":"internal"`)); r.status != http.StatusOK {
		t.Fatalf("make kripton-satu internal: %v", r)
	}
	if r := ts.apiAs(t, solo, viaToken, http.MethodDelete, "/api/v1/innovations/kripton-dua", ""); r.status != http.StatusNoContent {
		t.Fatalf("delete kripton-dua: %v", r)
	}
	if err := ts.indexer.Drain(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"kriptonsatu", "kriptondua"} {
		if res := ts.apiSearch(t, "q="+q); res.Total != 0 {
			t.Errorf("anonymous search %q finds %d records (%+v), want none", q, res.Total, res.Hits)
		}
	}
}

// Who changed a record, or moved an adoption, is recorded by the e-mail
// address the account logs in with. A reader who has not signed in sees
// the history without it; a signed-in colleague sees it.
func TestEditorsAddressesStayWithSignedInReaders(t *testing.T) {
	ts := newTestServer(t)
	solo := ts.newMember(t, "penyelenggara-surakarta", "penyelenggara@surakarta.go.id", kb.RolePenyelenggara, soloAgency, soloRegion)
	pimp := ts.newMember(t, "pimpinan-banjar", "pimpinan@banjarkab.go.id", kb.RolePimpinan, banjarAgency, banjarRegion)
	if r := ts.apiAs(t, solo, viaToken, http.MethodPost, "/api/v1/visits", visitJSON("kunjungan-umum", banjarRegion, banjarAgency, soloRegion, soloAgency, "")); r.status != http.StatusCreated {
		t.Fatalf("create visit: %v", r)
	}
	const innovation = "aplikasi-pengaduan-warga-surakarta"
	if r := ts.apiAs(t, pimp, viaToken, http.MethodPut, "/api/v1/innovations/"+innovation+"/adoptions/"+banjarRegion, `{"status":"dikaji","note":"Dikaji"}`); r.status != http.StatusOK {
		t.Fatalf("move adoption: %v", r)
	}
	for _, path := range []string{"/kunjungan/kunjungan-umum", "/api/v1/innovations/" + innovation, "/inovasi/" + innovation} {
		if r := ts.getAs(t, &client{}, path); r.status != http.StatusOK || strings.Contains(r.body, "@surakarta.go.id") || strings.Contains(r.body, "@banjarkab.go.id") {
			t.Errorf("anonymous %s: %d, shows an account's address: %v", path, r.status, strings.Contains(r.body, ".go.id"))
		}
	}
	if r := ts.getAs(t, solo, "/kunjungan/kunjungan-umum"); !strings.Contains(r.body, "penyelenggara@surakarta.go.id") {
		t.Error("a signed-in reader does not see who changed the visit")
	}
	if r := ts.apiAs(t, solo, viaToken, http.MethodGet, "/api/v1/innovations/"+innovation, ""); !strings.Contains(r.body, `"by":"pimpinan@banjarkab.go.id"`) {
		t.Error("a signed-in reader does not see who moved the adoption")
	}
}

// Logging out ends the account's sessions everywhere, as the README says:
// a session left open on a shared office computer ends too.
func TestLogoutEndsEverySession(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "staf@surakarta.go.id", "Staf Surakarta", kb.RoleStaf, soloAgency, soloRegion)
	office := ts.login(t, "staf@surakarta.go.id", testPassword)
	home := ts.login(t, "staf@surakarta.go.id", testPassword)
	if r := ts.getAs(t, office, "/akun"); r.status != http.StatusOK {
		t.Fatalf("the office session is not logged in: %v", r)
	}
	if r := ts.postAs(t, home, "/keluar", nil); r.status != http.StatusSeeOther {
		t.Fatalf("logout: %v", r)
	}
	if r := ts.getAs(t, office, "/akun"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/masuk") {
		t.Errorf("after logging out at home, the office session: %v, want sent to the login page", r)
	}
}

// A saved search on the account page opens that search, filters and all.
func TestSavedSearchLinkOpensTheSearch(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "staf@surakarta.go.id", "Staf Surakarta", kb.RoleStaf, soloAgency, soloRegion)
	c := ts.login(t, "staf@surakarta.go.id", testPassword)
	if r := ts.postAs(t, c, "/cari/simpan", url.Values{"name": {"Wifi Jateng"}, "query": {"q=wifi gratis&province=33"}}); r.status != http.StatusSeeOther {
		t.Fatalf("save search: %v", r)
	}
	r := ts.getAs(t, c, "/akun")
	m := regexp.MustCompile(`<a href="([^"]*)">Wifi Jateng</a>`).FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no link to the saved search on /akun")
	}
	href := html.UnescapeString(m[1])
	u, err := url.Parse(href)
	if err != nil || u.Path != "/cari" || u.Query().Get("q") != "wifi gratis" || u.Query().Get("province") != "33" {
		t.Errorf("saved search links to %q, want /cari with q=wifi gratis and province=33", href)
	}
}

// Creating a record under a slug that is taken says so, on the slug.
func TestTakenSlugIsNamed(t *testing.T) {
	ts := newTestServer(t)
	solo := ts.newMember(t, "penyelenggara-surakarta", "penyelenggara@surakarta.go.id", kb.RolePenyelenggara, soloAgency, soloRegion)
	r := ts.apiAs(t, solo, viaToken, http.MethodPost, "/api/v1/innovations",
		innovationJSON("aplikasi-pengaduan-warga-surakarta", "Salinan", soloRegion, soloAgency, ""))
	if r.status != http.StatusConflict || !strings.Contains(r.body, `"field":"slug"`) || !strings.Contains(r.body, "Slug sudah dipakai") {
		t.Errorf("taken slug: %v, want 409 naming the slug", r)
	}
}

// A record's history names what changed in words, not in the import
// format's keys: every top-level field of an innovation or a visit has a
// label in both languages.
func TestChangedFieldsHaveLabels(t *testing.T) {
	cat := messages()
	for _, rec := range []any{kb.Innovation{}, kb.Visit{}} {
		rt := reflect.TypeOf(rec)
		for i := range rt.NumField() {
			key, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
			if key == "" || key == "-" || key == "kind" {
				continue
			}
			if m, ok := cat["changed."+key]; !ok || m.ID == "" || m.EN == "" {
				t.Errorf("%s.%s has no label for the change history", rt.Name(), key)
			}
		}
	}
	ts := newTestServer(t)
	solo := ts.newMember(t, "penyelenggara-surakarta", "penyelenggara@surakarta.go.id", kb.RolePenyelenggara, soloAgency, soloRegion)
	if r := ts.apiAs(t, solo, viaToken, http.MethodPost, "/api/v1/innovations", innovationJSON("inovasi-uji", "Inovasi Uji", soloRegion, soloAgency, "")); r.status != http.StatusCreated {
		t.Fatalf("create: %v", r)
	}
	if r := ts.apiAs(t, solo, viaToken, http.MethodPut, "/api/v1/innovations/inovasi-uji", innovationJSON("inovasi-uji", "Inovasi Uji", soloRegion, soloAgency, `,"evidence_level":3`)); r.status != http.StatusOK {
		t.Fatalf("edit: %v", r)
	}
	if r := ts.getAs(t, solo, "/inovasi/inovasi-uji"); !strings.Contains(r.body, "Tingkat bukti") || strings.Contains(r.body, "evidence_level") {
		t.Error("the history names the change by its key, not its label")
	}
}

// A revision's changed fields are listed in the form's order, not in the
// order of their JSON keys, which reads as shuffled in Indonesian.
func TestRevisionFieldsInFormOrder(t *testing.T) {
	revs := []sqlite.Revision{{Changed: []string{"agency", "body", "evidence_level", "title", "zzz"}, Author: "a@b.go.id"}}
	got := revisionsFor(revs, kb.Viewer{}, innovationFields)
	if want := "title agency evidence_level body zzz"; strings.Join(got[0].Changed, " ") != want {
		t.Errorf("changed %v, want %s", got[0].Changed, want)
	}
	if got[0].Author != "" {
		t.Error("an anonymous reader sees who made the change")
	}
	if strings.Join(revs[0].Changed, " ") != "agency body evidence_level title zzz" {
		t.Error("the stored revision was reordered in place")
	}
}

// What a signed-in reader is answered can hold internal records (and a page
// the session's form token), so no cache may keep it: a shared cache in front
// of Tiru would hand it to the next reader, and the browser's own outlives
// the logout on a shared office computer. Public answers to anonymous
// readers stay cacheable, and so do static files.
func TestSignedInAnswersAreNotStored(t *testing.T) {
	ts := newTestServer(t)
	solo := ts.newMember(t, "staf-surakarta", "staf@surakarta.go.id", kb.RoleStaf, soloAgency, soloRegion)
	writer := ts.newMember(t, "penyelenggara-surakarta", "penyelenggara@surakarta.go.id", kb.RolePenyelenggara, soloAgency, soloRegion)
	if r := ts.apiAs(t, writer, viaToken, http.MethodPost, "/api/v1/innovations",
		innovationJSON("rahasia-solo", "Judul Rahasia Solo", soloRegion, soloAgency, `,"visibility":"internal"`)); r.status != http.StatusCreated {
		t.Fatalf("create internal innovation: %v", r)
	}
	for _, tc := range []struct {
		ch   channel
		path string
	}{
		{viaPage, "/inovasi/rahasia-solo"},
		{viaPage, "/cari?q=rahasia"},
		{viaPage, "/"},
		{viaToken, "/api/v1/innovations/rahasia-solo"},
		{viaSession, "/api/v1/search?q=rahasia"},
	} {
		r := ts.getAs(t, solo, tc.path)
		if tc.ch != viaPage {
			r = ts.apiAs(t, solo, tc.ch, http.MethodGet, tc.path, "")
		}
		if r.status != http.StatusOK {
			t.Fatalf("GET %s: %v", tc.path, r)
		}
		if cc := r.header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
			t.Errorf("GET %s signed in: Cache-Control %q, want no-store", tc.path, cc)
		}
	}
	status, h, _ := ts.get(t, "/inovasi/aplikasi-pengaduan-warga-surakarta")
	if status != http.StatusOK || strings.Contains(h.Get("Cache-Control"), "no-store") {
		t.Errorf("a public page to an anonymous reader: status %d, Cache-Control %q", status, h.Get("Cache-Control"))
	}
	page := ts.getAs(t, solo, "/")
	css := regexp.MustCompile(`href="(/static/[^"]+\.css)"`).FindStringSubmatch(page.body)
	if css == nil {
		t.Fatal("no stylesheet on the home page")
	}
	if r := ts.getAs(t, solo, css[1]); r.status != http.StatusOK || !strings.Contains(r.header.Get("Cache-Control"), "immutable") {
		t.Errorf("a static file signed in: %v, Cache-Control %q", r.status, r.header.Get("Cache-Control"))
	}
}
