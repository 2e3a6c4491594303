package web

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"tiru/content"
	"tiru/internal/ingest"
	"tiru/internal/search"
	"tiru/internal/searchsource"
	"tiru/internal/sqlite"
)

// testServer is a real server over a real SQLite file holding the seed
// content, reached through httptest.
type testServer struct {
	*httptest.Server
	db      *sqlite.DB
	ref     *ingest.ReferenceData
	indexer *search.Indexer
	srv     *Server
}

func newTestServer(t *testing.T) *testServer {
	t.Helper()
	return newTestServerWith(t, search.Options{})
}

// newTestServerWith is newTestServer with the search index opened with opt.
func newTestServerWith(t *testing.T, opt search.Options) *testServer {
	t.Helper()
	db, ref, ix, indexer := seededStoreWith(t, opt)
	srv, err := New(Config{DB: db, Reference: ref, Search: ix, RequestsPerSecond: -1})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &testServer{Server: ts, db: db, ref: ref, indexer: indexer, srv: srv}
}

// seededStore opens a real SQLite database holding the reference data and
// the seed write-ups, and a search index rebuilt from it, all in temporary
// folders closed when the test ends.
func seededStore(tb testing.TB) (*sqlite.DB, *ingest.ReferenceData, *search.Index, *search.Indexer) {
	tb.Helper()
	return seededStoreWith(tb, search.Options{})
}

// seededStoreWith is seededStore with the search index opened with opt
// (its synonyms are always the shipped ones).
func seededStoreWith(tb testing.TB, opt search.Options) (*sqlite.DB, *ingest.ReferenceData, *search.Index, *search.Indexer) {
	tb.Helper()
	ctx := context.Background()
	ref, err := ingest.LoadReference(content.Regions(), content.Aliases(), content.Urusan())
	if err != nil {
		tb.Fatal(err)
	}
	db, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), "tiru.db"), sqlite.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.SyncReference(ctx, ref.Regions, ref.Urusan); err != nil {
		tb.Fatal(err)
	}
	var records []ingest.Record
	names, _ := fs.Glob(content.Seed(), "*.md")
	sort.Strings(names)
	for _, n := range names {
		f, err := content.Seed().Open(n)
		if err != nil {
			tb.Fatal(err)
		}
		recs, err := ingest.Parse(n, f)
		f.Close()
		if err != nil {
			tb.Fatal(err)
		}
		records = append(records, recs...)
	}
	if _, err := ingest.Import(ctx, db, ref.Ref, records, "test"); err != nil {
		tb.Fatal(err)
	}
	syn, err := searchsource.Synonyms()
	if err != nil {
		tb.Fatal(err)
	}
	opt.Synonyms = syn
	ix, _, err := search.Open(filepath.Join(tb.TempDir(), "index.bleve"), opt)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	indexer := search.NewIndexer(ix, searchsource.New(db, ref), nil)
	if err := indexer.Rebuild(ctx); err != nil {
		tb.Fatal(err)
	}
	return db, ref, ix, indexer
}

// importJSONL writes records through the same path `tiru import` uses.
func (ts *testServer) importJSONL(t *testing.T, lines string) {
	t.Helper()
	recs, err := ingest.ParseJSONLines("test.jsonl", strings.NewReader(lines))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ingest.Import(context.Background(), ts.db, ts.ref.Ref, recs, "test"); err != nil {
		t.Fatal(err)
	}
	if err := ts.indexer.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func (ts *testServer) get(t *testing.T, path string, header ...string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

const seedVisit = "kunjungan-dkisp-banjar-ke-diskominfo-surakarta-2024"

func TestPagesShowTheSeededVisit(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct {
		path string
		want []string
	}{
		{"/", []string{"Belajar dari daerah lain", "Studi Tiru DKISP Kabupaten Banjar", "Inovasi terbaru"}},
		{"/kunjungan", []string{"Studi Tiru DKISP Kabupaten Banjar", "22 Oktober 2024", "Kabupaten Banjar", "Kota Surakarta"}},
		{"/kunjungan/" + seedVisit, []string{"Heny Ermawati", "37 awak media", "Aplikasi Pengaduan Warga Kota Surakarta", "Tindak lanjut", "Diminati"}},
		{"/inovasi", []string{"Aplikasi Pengaduan Warga Kota Surakarta", "Provinsi"}},
		{"/inovasi/aplikasi-pengaduan-warga-surakarta", []string{"Kota Surakarta", "Jawa Tengah", "Kabupaten Banjar", "Diminati", "250"}},
		{"/inovasi?province=33&stage=penerapan", []string{"Aplikasi Pengaduan Warga Kota Surakarta"}},
		{"/wilayah", []string{"Kalimantan Selatan", "Jawa Tengah"}},
		{"/wilayah/63.03", []string{"Kabupaten Banjar", "Kalimantan Selatan", "Kunjungan yang dilakukan", "Studi Tiru DKISP", "Inovasi yang sedang direplikasi"}},
		{"/wilayah/33.72", []string{"Kota Surakarta", "Kunjungan yang diterima", "Aplikasi Pengaduan Warga"}},
		{"/wilayah?q=banjar", []string{"Kabupaten Banjar", "Kota Banjar"}},
		{"/instansi/diskominfo-sp-kota-surakarta", []string{"Diskominfo SP Kota Surakarta", "Aplikasi Pengaduan Warga"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			status, h, body := ts.get(t, tt.path)
			if status != http.StatusOK {
				t.Fatalf("status %d", status)
			}
			if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("content type %q", ct)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
		})
	}
}

func TestLanguageSwitchIsRemembered(t *testing.T) {
	ts := newTestServer(t)
	status, h, body := ts.get(t, "/kunjungan/"+seedVisit+"?lang=en")
	if status != http.StatusOK || !strings.Contains(body, "Follow-ups") || !strings.Contains(body, `lang="en"`) || !strings.Contains(body, "22 October 2024") {
		t.Fatalf("English page expected, got status %d", status)
	}
	var cookie string
	for _, c := range h.Values("Set-Cookie") {
		if strings.HasPrefix(c, langCookie+"=en") {
			cookie = strings.SplitN(c, ";", 2)[0]
		}
	}
	if cookie == "" {
		t.Fatal("language choice not stored in a cookie")
	}
	_, _, body = ts.get(t, "/", "Cookie", cookie)
	if !strings.Contains(body, "Latest innovations") {
		t.Error("next page without ?lang did not stay in English")
	}
	_, _, body = ts.get(t, "/")
	if !strings.Contains(body, "Inovasi terbaru") {
		t.Error("default language is not Indonesian")
	}
}

// With --secure-cookies (TLS ends at a proxy, so the request Tiru sees is
// plain HTTP) the language cookie is Secure, as the session cookie is.
func TestLanguageCookieIsSecureWithSecureCookies(t *testing.T) {
	db, ref, ix, _ := seededStore(t)
	for _, secure := range []bool{false, true} {
		srv, err := New(Config{DB: db, Reference: ref, Search: ix, RequestsPerSecond: -1, SecureCookies: secure})
		if err != nil {
			t.Fatal(err)
		}
		w := httptest.NewRecorder()
		srv.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/?lang=en", nil))
		var ck *http.Cookie
		for _, c := range w.Result().Cookies() {
			if c.Name == langCookie {
				ck = c
			}
		}
		if ck == nil || ck.Value != "en" {
			t.Fatalf("secure cookies %v: no language cookie (Set-Cookie %q)", secure, w.Result().Header.Values("Set-Cookie"))
		}
		if ck.Secure != secure || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" {
			t.Errorf("secure cookies %v: language cookie %s", secure, ck)
		}
	}
}

func TestRegionAliasInURLRedirects(t *testing.T) {
	ts := newTestServer(t)
	status, h, _ := ts.get(t, "/wilayah/Solo")
	if status != http.StatusMovedPermanently || h.Get("Location") != "/wilayah/33.72" {
		t.Fatalf("got %d to %q", status, h.Get("Location"))
	}
	// A name two regions share lists both, rather than "not found".
	status, h, _ = ts.get(t, "/wilayah/Banjar")
	if status != http.StatusSeeOther || h.Get("Location") != "/wilayah?q=Banjar" {
		t.Errorf("ambiguous Banjar: %d to %q, want the list of regions so named", status, h.Get("Location"))
	}
	if _, _, body := ts.get(t, "/wilayah?q=Banjar"); !strings.Contains(body, "Kabupaten Banjar") || !strings.Contains(body, "Kota Banjar") {
		t.Error("the list for Banjar lacks the Kabupaten or the Kota")
	}
	// The API answers a name as the page does.
	status, h, _ = ts.get(t, "/api/v1/regions/Solo")
	if status != http.StatusMovedPermanently || h.Get("Location") != "/api/v1/regions/33.72" {
		t.Errorf("API, Solo: %d to %q", status, h.Get("Location"))
	}
	if status, _, body := ts.get(t, "/api/v1/regions/Banjar"); status != http.StatusUnprocessableEntity || !strings.Contains(body, "Kota Banjar") {
		t.Errorf("API, Banjar: %d %s, want 422 naming both", status, body)
	}
	if status, _, _ := ts.get(t, "/api/v1/regions/Atlantis"); status != http.StatusNotFound {
		t.Errorf("API, Atlantis: %d, want 404", status)
	}
}

// A region page lists the first 50 of each kind and links to the rest:
// the link leads to that region's records only (a city is no province, so
// a province filter would have listed every region's), and the list names
// the region and keeps it when filtered again. The visits it made and
// hosted are counted and reached in the same way.
func TestRegionPageLeadsToAllItsRecords(t *testing.T) {
	ts := newTestServer(t)
	var lines strings.Builder
	for i := range 51 {
		lines.WriteString(innovationJSON(fmt.Sprintf("inovasi-solo-%02d", i), fmt.Sprintf("Inovasi Solo %02d", i), soloRegion, soloAgency, "") + "\n")
		lines.WriteString(visitJSON(fmt.Sprintf("kunjungan-ke-solo-%02d", i), banjarRegion, banjarAgency, soloRegion, soloAgency, "") + "\n")
	}
	lines.WriteString(innovationJSON("inovasi-bandung-lain", "Inovasi Bandung Lain", bandungRegion, bandungAgency, "") + "\n")
	ts.importJSONL(t, lines.String())
	_, _, page := ts.get(t, "/wilayah/"+soloRegion)
	total := regexp.MustCompile(`<h2>Inovasi \(([0-9.]+)\)</h2>`).FindStringSubmatch(page)
	if total == nil {
		t.Fatal("the region page does not count its innovations")
	}
	link := regexp.MustCompile(`<a href="(/inovasi\?[^"]+)">Semua inovasi`).FindStringSubmatch(page)
	if link == nil {
		t.Fatal("the region page has no link to the rest of its innovations")
	}
	_, _, list := ts.get(t, html.UnescapeString(link[1]))
	if !strings.Contains(list, ">"+total[1]+" hasil<") {
		t.Errorf("the linked list (%s) does not hold the region's %s innovations", link[1], total[1])
	}
	if !strings.Contains(list, "<strong>Kota Surakarta</strong>") || !strings.Contains(list, `name="region" value="`+soloRegion+`"`) {
		t.Error("the linked list does not name Kota Surakarta, or drops it when filtered again")
	}
	if !strings.Contains(page, "Kunjungan yang diterima (52)") {
		t.Error("the region page does not count the 52 visits it hosted")
	}
	if !strings.Contains(page, `<a href="/kunjungan?region=`+soloRegion+`">Semua kunjungan`) {
		t.Error("the region page has no link to the visits past the first 50")
	}
	_, _, visits := ts.get(t, "/kunjungan?region="+soloRegion)
	if !strings.Contains(visits, ">52 hasil<") || !strings.Contains(visits, "<strong>Kota Surakarta</strong>") {
		t.Error("the visit list of the region does not hold its 52 visits, or does not name it")
	}
}

func TestNotFoundPagesAreFriendly(t *testing.T) {
	ts := newTestServer(t)
	for _, p := range []string{"/inovasi/tidak-ada", "/kunjungan/tidak-ada", "/wilayah/99.99", "/instansi/x", "/tidak/ada"} {
		status, _, body := ts.get(t, p)
		if status != http.StatusNotFound || !strings.Contains(body, "tidak ditemukan") {
			t.Errorf("%s: status %d", p, status)
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	ts := newTestServer(t)
	_, h, _ := ts.get(t, "/")
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Error("CSP allows inline code")
	}
	if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
		t.Error("missing nosniff or referrer policy")
	}
}

// Every answer carries the security headers, whatever made it: the
// cross-origin refusal is made before Gin, and the trailing-slash redirect
// was made by Gin before any middleware (it is Tiru's own now), so a
// header set only by Tiru's middleware was missing from both.
func TestSecurityHeadersOnEveryAnswer(t *testing.T) {
	ts := newTestServer(t)
	want := ts.send(t, http.MethodGet, "/", "").header
	names := []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"}
	for _, name := range names {
		if want.Get(name) == "" {
			t.Fatalf("the home page has no %s", name)
		}
	}
	for _, tc := range []struct {
		method, path string
		header       []string
		status       int
	}{
		{http.MethodGet, "/inovasi/", nil, http.StatusMovedPermanently},
		{http.MethodHead, "/kunjungan/?page=2", nil, http.StatusMovedPermanently},
		{http.MethodGet, "/api/v1/innovations/", nil, http.StatusMovedPermanently},
		{http.MethodGet, "/tidak/ada", nil, http.StatusNotFound},
		{http.MethodGet, "/api/v1/tidak-ada", nil, http.StatusNotFound},
		{http.MethodPost, "/healthz", nil, http.StatusMethodNotAllowed},
		{http.MethodPost, "/tandai", []string{"Sec-Fetch-Site", "cross-site"}, http.StatusForbidden},
	} {
		r := ts.send(t, tc.method, tc.path, "", tc.header...)
		if r.status != tc.status {
			t.Errorf("%s %s: %s, want %d", tc.method, tc.path, r, tc.status)
		}
		for _, name := range names {
			if got := r.header.Get(name); got != want.Get(name) {
				t.Errorf("%s %s (%d): %s %q, want %q", tc.method, tc.path, r.status, name, got, want.Get(name))
			}
		}
	}
}

func TestMarkdownIsSanitisedOnPages(t *testing.T) {
	ts := newTestServer(t)
	ts.importJSONL(t, `{"kind":"innovation","slug":"uji-xss","title":"<script>alert(1)</script> Judul","region":"33.72",`+
		`"summary":"<img src=x onerror=alert(1)>","body":"Teks <script>alert('x')</script> dan [tautan](javascript:alert(1)) <a href=\"javascript:alert(2)\">a</a> <img src=x onerror=alert(3)>\n\n**tebal**",`+
		`"problem":"<iframe src=\"https://evil.example\"></iframe>","sources":[{"title":"<b>s</b>","url":"https://example.org/x"}]}`+"\n")
	status, _, body := ts.get(t, "/inovasi/uji-xss")
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	assertNoActiveContent(t, body)
	if !strings.Contains(body, "<strong>tebal</strong>") {
		t.Error("ordinary Markdown was not rendered")
	}
	if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt; Judul") {
		t.Error("title was not shown escaped")
	}
}

func TestInternalRecordsStayHidden(t *testing.T) {
	ts := newTestServer(t)
	ts.importJSONL(t, `{"kind":"innovation","slug":"rahasia-internal","title":"Catatan Internal Rahasia","region":"63.03","visibility":"internal"}`+"\n")
	for _, p := range []string{"/inovasi", "/wilayah/63.03", "/", "/api/v1/innovations", "/api/v1/innovations?region=63"} {
		_, _, body := ts.get(t, p)
		if strings.Contains(body, "Catatan Internal Rahasia") {
			t.Errorf("%s shows an internal record to an anonymous reader", p)
		}
	}
	for _, p := range []string{"/inovasi/rahasia-internal", "/api/v1/innovations/rahasia-internal"} {
		if status, _, _ := ts.get(t, p); status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, status)
		}
	}
}

func TestStaticFilesAreCacheable(t *testing.T) {
	ts := newTestServer(t)
	_, _, body := ts.get(t, "/")
	i := strings.Index(body, `href="/static/`)
	if i < 0 {
		t.Fatal("no stylesheet link")
	}
	href := body[i+6:]
	href = href[:strings.IndexByte(href, '"')]
	status, h, css := ts.get(t, href)
	if status != http.StatusOK || !strings.Contains(h.Get("Cache-Control"), "immutable") || !strings.Contains(css, "body") {
		t.Errorf("%s: status %d, cache %q", href, status, h.Get("Cache-Control"))
	}
}

func TestEveryMessageHasBothLanguages(t *testing.T) {
	cat := messages()
	for k, m := range cat {
		if strings.TrimSpace(m.ID) == "" || strings.TrimSpace(m.EN) == "" {
			t.Errorf("%s lacks a language", k)
		}
	}
	used := map[string]bool{}
	files, _ := fs.Glob(templateFiles, "templates/*.html")
	for _, f := range files {
		b, _ := fs.ReadFile(templateFiles, f)
		for _, part := range strings.Split(string(b), `.T "`)[1:] {
			used[part[:strings.IndexByte(part, '"')]] = true
		}
	}
	for k := range used {
		if _, ok := cat[k]; !ok {
			t.Errorf("template uses %q, which the catalogue lacks", k)
		}
	}
}

// assertNoActiveContent parses a page and fails on anything that could run:
// a script other than our own static one, an event handler attribute, a
// javascript: or data: URL, or an embedding element.
func assertNoActiveContent(t *testing.T, page string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script":
				src := ""
				for _, a := range n.Attr {
					if a.Key == "src" {
						src = a.Val
					}
				}
				if !strings.HasPrefix(src, "/static/") || n.FirstChild != nil {
					t.Errorf("foreign script element (src %q)", src)
				}
			case "iframe", "object", "embed", "frame", "form", "base", "meta":
				if n.Data != "meta" && n.Data != "form" {
					t.Errorf("element <%s> on page", n.Data)
				}
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				val := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
				if strings.HasPrefix(key, "on") {
					t.Errorf("event handler attribute %s=%q on <%s>", a.Key, a.Val, n.Data)
				}
				if (key == "href" || key == "src" || key == "action" || key == "formaction") &&
					(strings.HasPrefix(val, "javascript:") || strings.HasPrefix(val, "vbscript:") || strings.HasPrefix(val, "data:")) {
					t.Errorf("dangerous URL %s=%q on <%s>", a.Key, a.Val, n.Data)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
}

func TestAgencyPageNamesCounterparts(t *testing.T) {
	ts := newTestServer(t)
	ts.importJSONL(t, `{"kind":"innovation","slug":"ppid-desa-banjar","title":"PPID Desa","region":"63.03","agency":"DKISP Kabupaten Banjar","urusan":"2.16"}`+"\n")
	_, _, body := ts.get(t, "/instansi/diskominfo-sp-kota-surakarta")
	if !strings.Contains(body, "Instansi sejenis di daerah lain") || !strings.Contains(body, "DKISP Kabupaten Banjar") {
		t.Error("Surakarta's Diskominfo does not list Banjar's DKISP, which handles the same urusan")
	}
}

// A mistyped --trusted-proxies stops the server with the value named: it
// used to be logged and ignored, so behind a proxy every user shared the
// proxy's address and one user's throttling locked out everyone.
func TestBadTrustedProxyStopsTheServer(t *testing.T) {
	db, ref, ix, _ := seededStore(t)
	if _, err := New(Config{DB: db, Reference: ref, Search: ix, TrustedProxies: []string{"10.0.0.0/8", "10.0.0.l"}}); err == nil || !strings.Contains(err.Error(), `"10.0.0.l"`) {
		t.Errorf("New with a mistyped proxy = %v, want an error naming it", err)
	}
	if _, err := New(Config{DB: db, Reference: ref, Search: ix, TrustedProxies: []string{"10.0.0.0/8", "192.168.1.7", "::1"}}); err != nil {
		t.Errorf("New with good proxies: %v", err)
	}
}
