package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"tiru/internal/search"
)

type apiSearchResult struct {
	Total int `json:"total"`
	Page  int `json:"page"`
	Hits  []struct {
		Kind    string `json:"kind"`
		Slug    string `json:"slug"`
		Snippet string `json:"snippet"`
	} `json:"hits"`
	Facets map[string][]struct {
		Value string `json:"value"`
		Label string `json:"label"`
		Count int    `json:"count"`
	} `json:"facets"`
	Suggestion string `json:"suggestion"`
}

func (ts *testServer) apiSearch(t *testing.T, params string) apiSearchResult {
	t.Helper()
	status, _, body := ts.get(t, "/api/v1/search?"+params)
	if status != http.StatusOK {
		t.Fatalf("%s: status %d: %s", params, status, body)
	}
	var r apiSearchResult
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestSearchFindsWhatStaffType(t *testing.T) {
	ts := newTestServer(t)
	cases := []struct{ q, want string }{
		{"aplikasi pengaduan warga", "aplikasi-pengaduan-warga-surakarta"},
		{"pengadun masyarakat", "aplikasi-pengaduan-warga-surakarta"}, // typo
		{"wifi gratis taman", "internet-gratis-ruang-publik-surakarta"},
		{"hotspot", "internet-gratis-ruang-publik-surakarta"},   // synonym
		{"complaint app", "aplikasi-pengaduan-warga-surakarta"}, // English
		{"kunker Solo", seedVisit},                              // abbreviation and alias
		{"media abal-abal", "kurasi-kemitraan-media-surakarta"},
	}
	for _, c := range cases {
		t.Run(c.q, func(t *testing.T) {
			r := ts.apiSearch(t, "q="+url.QueryEscape(c.q))
			for i, h := range r.Hits {
				if i < 3 && h.Slug == c.want {
					return
				}
			}
			t.Errorf("%s not in the top 3 of %d hits", c.want, r.Total)
		})
	}
}

func TestSearchFacetsAndFilters(t *testing.T) {
	ts := newTestServer(t)
	all := ts.apiSearch(t, "q=surakarta")
	kinds := map[string]int{}
	for _, f := range all.Facets["kind"] {
		kinds[f.Value] = f.Count
	}
	if kinds["innovation"] != 4 || kinds["visit"] != 1 {
		t.Fatalf("kind facet %v", all.Facets["kind"])
	}
	if p := all.Facets["province"]; len(p) == 0 || p[0].Value != "33" || p[0].Label != "Jawa Tengah" {
		t.Errorf("province facet %v", p)
	}
	visits := ts.apiSearch(t, "q=surakarta&kind=visit")
	if visits.Total != 1 || visits.Hits[0].Kind != "visit" {
		t.Errorf("kind=visit gave %d hits", visits.Total)
	}
	// A visit is found through its visiting region too.
	if r := ts.apiSearch(t, "q=surakarta&region=63.03&kind=visit"); r.Total != 1 {
		t.Errorf("region=63.03 (the visitor) gave %d visits", r.Total)
	}
	if r := ts.apiSearch(t, "q=surakarta&adoption=diminati"); r.Total != 4 {
		t.Errorf("adoption=diminati gave %d, want the 4 innovations Banjar shortlisted", r.Total)
	}
	if r := ts.apiSearch(t, "q=surakarta&province=63&kind=innovation"); r.Total != 0 {
		t.Errorf("filters do not combine: %d", r.Total)
	}
}

func TestSearchFacetsOnRequest(t *testing.T) {
	ts := newTestServer(t)
	if r := ts.apiSearch(t, "q=surakarta&facets=none"); len(r.Facets) != 0 || r.Total == 0 {
		t.Errorf("facets=none: %d hits, facets %v", r.Total, r.Facets)
	}
	r := ts.apiSearch(t, "q=surakarta&facets=kind,province")
	if len(r.Facets) != 2 || len(r.Facets["kind"]) == 0 || len(r.Facets["province"]) == 0 {
		t.Errorf("facets=kind,province: %v", r.Facets)
	}
	for _, bad := range []string{"facets=", "facets=kind,warna", "facets=none,kind"} {
		status, _, body := ts.get(t, "/api/v1/search?q=surakarta&"+bad)
		if status != http.StatusBadRequest || !strings.Contains(body, `"facets"`) {
			t.Errorf("%s: status %d, want 400 naming the facets field: %s", bad, status, body)
		}
	}
}

func TestSearchPageWorksWithoutJavaScript(t *testing.T) {
	ts := newTestServer(t)
	status, _, body := ts.get(t, "/cari?q=pengaduan&kind=innovation")
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	for _, want := range []string{`<mark>`, `action="/cari"`, "Jenis data: Inovasi", `name="kind" value="innovation"`, "Aplikasi"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	assertNoActiveContent(t, body)
	_, _, body = ts.get(t, "/cari?q=pengaduanxx+surakartta")
	if !strings.Contains(body, "Mungkin maksud Anda") && !strings.Contains(body, "ejaan yang mirip") {
		t.Error("no spelling suggestion for a query that matches nothing")
	}
	// Results found through a respelling say so: "tilang" (a word of its
	// own) showing records about "hilang" under "Mungkin maksud Anda"
	// read as if they matched what was typed.
	_, _, body = ts.get(t, "/cari?q=pengaduann")
	if !strings.Contains(body, "<mark>") || !strings.Contains(body, "hasil memuat ejaan yang mirip") || !strings.Contains(body, ">pengaduan</a>") {
		t.Errorf("results of a respelt query do not say they are of a similar spelling:\n%s", body)
	}
}

func TestSearchSurvivesHostileQueries(t *testing.T) {
	ts := newTestServer(t)
	ts.importJSONL(t, `{"kind":"innovation","slug":"xss-judul","title":"Pengaduan <script>alert(1)</script>","region":"33.72","summary":"pengaduan <img src=x onerror=alert(1)>"}`+"\n")
	for _, q := range []string{"", strings.Repeat("pengaduan ", 400), `"unbalanced`, "*", "~", "+-", "title:x AND body:y", "a\x00b\x07c", "\xff\xfe", "((((", "pengaduan~2^5", "<script>alert(1)</script>", "/.*/", "&page=-1&per_page=100000"} {
		for _, path := range []string{"/cari?q=", "/api/v1/search?q="} {
			status, _, body := ts.get(t, path+url.QueryEscape(q))
			if status == http.StatusBadRequest && strings.HasPrefix(path, "/api") && len(q) > 1200 {
				continue // the API refuses an over-long query with a clear 400
			}
			if status != http.StatusOK {
				t.Errorf("%s%q: status %d", path, q, status)
			}
			if strings.HasPrefix(path, "/cari") {
				assertNoActiveContent(t, body)
			} else if strings.Contains(body, "<script>") || strings.Contains(body, "<img") {
				t.Errorf("%q: API snippet carries live markup", q)
			}
		}
	}
	if status, _, _ := ts.get(t, "/cari?q=x&page=-1&per_page=100000"); status != http.StatusOK {
		t.Errorf("bad paging on the page: %d", status)
	}
}

func TestInternalRecordsStayOutOfSearch(t *testing.T) {
	ts := newTestServer(t)
	ts.importJSONL(t, `{"kind":"innovation","slug":"catatan-rahasia","title":"Catatan Pengaduan Rahasia","region":"63.03","visibility":"internal"}`+"\n")
	r := ts.apiSearch(t, "q=rahasia")
	if r.Total != 0 {
		t.Errorf("anonymous search found %d internal records", r.Total)
	}
	_, _, body := ts.get(t, "/cari?q=rahasia")
	if strings.Contains(body, "Catatan Pengaduan Rahasia") {
		t.Error("search page shows an internal record")
	}
}

func TestNewRecordIsSearchableAfterIndexing(t *testing.T) {
	ts := newTestServer(t)
	for _, h := range ts.apiSearch(t, "q=bank+sampah").Hits {
		if h.Slug == "bank-sampah-digital" {
			t.Fatal("found before it was imported")
		}
	}
	ts.importJSONL(t, `{"kind":"innovation","slug":"bank-sampah-digital","title":"Bank Sampah Digital","region":"Kota Surabaya","summary":"Warga menabung sampah terpilah."}`+"\n")
	r := ts.apiSearch(t, "q=bank+sampah")
	if r.Total == 0 || r.Hits[0].Slug != "bank-sampah-digital" {
		t.Errorf("after import: %+v", r)
	}
}

func TestInnovationPageShowsSimilar(t *testing.T) {
	ts := newTestServer(t)
	_, _, body := ts.get(t, "/inovasi/kurasi-kemitraan-media-surakarta")
	if !strings.Contains(body, "Mirip dengan inovasi ini") || !strings.Contains(body, "/inovasi/kolaborasi-admin-medsos-surakarta") {
		t.Error("no similar innovations on the page")
	}
	if strings.Contains(body, `<li><a href="/inovasi/kurasi-kemitraan-media-surakarta">`) {
		t.Error("an innovation is listed as similar to itself")
	}
}

// A search that runs out of its time budget tells the reader, in their
// language, to narrow it (the page keeps its search box; the API names the
// q field), rather than failing with a 500.
func TestSearchTooBroadIsExplained(t *testing.T) {
	ts := newTestServerWith(t, search.Options{Budget: time.Nanosecond})
	status, _, body := ts.get(t, "/api/v1/search?q=pengaduan")
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
			Fields  []struct {
				Field string `json:"field"`
			} `json:"fields"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil || status != http.StatusServiceUnavailable || e.Error.Code != "search_too_broad" ||
		!strings.Contains(e.Error.Message, "terlalu luas") || len(e.Error.Fields) != 1 || e.Error.Fields[0].Field != "q" {
		t.Errorf("API: status %d (%v): %s", status, err, body)
	}
	status, _, body = ts.get(t, "/cari?q=pengaduan&lang=en")
	if status != http.StatusServiceUnavailable || !strings.Contains(body, "too broad to answer quickly") || !strings.Contains(body, `id="search-form"`) {
		t.Errorf("page: status %d, want 503 with the search form and the English notice", status)
	}
}

// A minus in front of a word leaves out the records that have it, in the
// API as on the page, and the page says how to write one.
func TestSearchMinusLeavesOut(t *testing.T) {
	ts := newTestServer(t)
	all := ts.apiSearch(t, "q="+url.QueryEscape("aplikasi pengaduan"))
	without := ts.apiSearch(t, "q="+url.QueryEscape("aplikasi pengaduan -surakarta"))
	if all.Total == 0 || without.Total >= all.Total {
		t.Fatalf("aplikasi pengaduan -surakarta: %d results, want fewer than the %d without the minus", without.Total, all.Total)
	}
	for _, h := range without.Hits {
		if strings.HasSuffix(h.Slug, "-surakarta") {
			t.Errorf("-surakarta still lists %s", h.Slug)
		}
	}
	_, _, body := ts.get(t, "/cari")
	if !strings.Contains(body, "tanda minus di depan kata mengecualikannya") {
		t.Error("the search page does not say how to leave a word out")
	}
}

// A refused filter value says what the parameter takes, and an over-long
// query its limit.
func TestAPIRefusalsSayWhatIsAccepted(t *testing.T) {
	ts := newTestServer(t)
	for path, want := range map[string]string{
		"/api/v1/innovations?region=Solo":               "33.72",
		"/api/v1/innovations?stage=selesai":             "inisiatif, uji_coba, penerapan",
		"/api/v1/visits?role=tamu":                      "visitor, host",
		"/api/v1/search?q=" + strings.Repeat("a", 1300): "paling banyak 1200 karakter",
	} {
		status, _, body := ts.get(t, path)
		if status != http.StatusBadRequest || !strings.Contains(body, want) {
			t.Errorf("%.50s: %d %s, want 400 saying %q", path, status, body, want)
		}
	}
}

// The API's innovation list takes the web list's province filter: only
// that province's regions, and none of another's.
func TestAPIInnovationsByProvince(t *testing.T) {
	ts := newTestServer(t)
	status, _, body := ts.get(t, "/api/v1/innovations?province=33&per_page=100")
	var out struct {
		Total int `json:"total"`
		Items []struct {
			Region struct {
				Code string `json:"code"`
			} `json:"region"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(body), &out); status != http.StatusOK || err != nil {
		t.Fatalf("province=33: %d %v", status, err)
	}
	if out.Total == 0 {
		t.Fatal("province=33 lists nothing; the seed data has Surakarta's innovations")
	}
	for _, it := range out.Items {
		if !strings.HasPrefix(it.Region.Code, "33.") {
			t.Errorf("province=33 lists an innovation of %s", it.Region.Code)
		}
	}
}

// Paging reaches the first search.MaxWindow results. A page past them must
// be empty, with the real total and the page asked for: it used to be the
// last reachable page again, so a client paging until the hits ran out
// never stopped, and /cari said "Halaman 100 dari 100" beside a larger
// total without saying why.
func TestSearchPagingStopsAtTheWindow(t *testing.T) {
	// A tenth more than the window: a few synthetic records are not public.
	ts := &testServer{Server: newBenchServer(t, search.MaxWindow+search.MaxWindow/10)}
	first := ts.apiSearch(t, "per_page=50&facets=none")
	if first.Total <= search.MaxWindow || len(first.Hits) != 50 {
		t.Fatalf("browsing everything: total %d, %d hits; want more than %d and a full page", first.Total, len(first.Hits), search.MaxWindow)
	}
	for _, c := range []struct {
		params string
		page   int
		hits   int
	}{
		{"per_page=50&page=40", 40, 50},       // results 1951–2000
		{"per_page=30&page=67", 67, 20},       // results 1981–2000: the window cuts the page
		{"per_page=50&page=41", 41, 0},        // results 2001–2050 exist but are past the window
		{"per_page=30&page=68", 68, 0},        // the first page past a window that cut its last
		{"per_page=50&page=96", 96, 0},        // far past the window
		{"per_page=1&page=100000", 100000, 0}, // the largest page the API takes
	} {
		r := ts.apiSearch(t, c.params+"&facets=none")
		if len(r.Hits) != c.hits || r.Total != first.Total || r.Page != c.page {
			t.Errorf("%s: %d hits, total %d, page %d; want %d hits, total %d, page %d", c.params, len(r.Hits), r.Total, r.Page, c.hits, first.Total, c.page)
		}
	}

	pages := map[string]string{}
	for _, c := range []struct {
		path, lang  string
		want, avoid []string
	}{
		{"/cari", "id", []string{"Hanya 2.000 hasil pertama yang dapat dibuka", "Halaman 1 dari 100", `href="/cari?page=2"`}, nil},
		{"/cari?page=100", "en", []string{"Only the first 2,000 results can be opened", "Page 100 of 100", `href="/cari?page=99"`, `<h3><a href="/inovasi/`}, []string{"page=101", `rel="next"`}},
		{"/cari?page=101", "id", []string{"Hanya 2.000 hasil pertama", "Halaman 101 tidak ada", `href="/cari?page=100"`}, []string{"page=102", `<h3><a href="/inovasi/`}},
	} {
		status, _, body := ts.get(t, c.path, "Cookie", langCookie+"="+c.lang)
		if status != http.StatusOK {
			t.Fatalf("%s: status %d", c.path, status)
		}
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s (%s) lacks %q", c.path, c.lang, w)
			}
		}
		for _, a := range c.avoid {
			if strings.Contains(body, a) {
				t.Errorf("%s (%s) has %q", c.path, c.lang, a)
			}
		}
		pages[c.lang+"-"+strings.NewReplacer("/", "", "?", "-", "=", "-").Replace(c.path)+".html"] = body
	}
	t.Run("valid HTML", func(t *testing.T) { checkHTML(t, vnuJar(t), pages) })
}

// A search page's title names the query, in the reader's language, so a
// tab or the browser's history tells searches apart; with no query it is
// the page's name. The query is escaped there as everywhere.
func TestSearchPageTitleNamesTheQuery(t *testing.T) {
	ts := newTestServer(t)
	for _, c := range []struct{ path, lang, want string }{
		{"/cari?q=aduan+warga", "id", "<title>aduan warga – Cari · Tiru</title>"},
		{"/cari?q=aduan+warga", "en", "<title>aduan warga – Search · Tiru</title>"},
		{"/cari?q=%3Cb%3Ewifi", "id", "<title>&lt;b&gt;wifi – Cari · Tiru</title>"},
		{"/cari", "id", "<title>Cari inovasi dan kunjungan · Tiru</title>"},
	} {
		if _, _, body := ts.get(t, c.path, "Cookie", langCookie+"="+c.lang); !strings.Contains(body, c.want) {
			t.Errorf("%s (%s): the page lacks %s", c.path, c.lang, c.want)
		}
	}
}
