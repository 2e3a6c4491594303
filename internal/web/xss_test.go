package web

// Known XSS payloads in every field a person can write (titles, summaries,
// Markdown bodies, agency names, people met, follow-ups, tags, sources and
// their URLs, adoption notes, user names, saved searches, login emails,
// search queries and import file names) must never come back executable,
// on any page that shows them.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"tiru/internal/ingest"
	"tiru/internal/kb"
	"tiru/internal/markdown"
)

// xssPayloads are classic and less classic ways to get script into a page:
// raw tags, event handlers, dangerous URL schemes in HTML and in Markdown,
// SVG and MathML, markup that breaks out of attributes, RCDATA elements and
// templates, encoded and obfuscated variants.
var xssPayloads = []string{
	`<script>alert(1)</script>`,
	`<SCRIPT SRC=https://evil.example/x.js></SCRIPT>`,
	`<scr<script>ipt>alert(1)</scr</script>ipt>`,
	`<img src=x onerror=alert(1)>`,
	`<img src="x" onerror="alert(1)"//`,
	`<svg onload=alert(1)>`,
	`<svg><script>alert(1)</script></svg>`,
	`<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">klik</text></a></svg>`,
	`<math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>`,
	`<iframe src="javascript:alert(1)"></iframe>`,
	`<iframe srcdoc="<script>alert(1)</script>"></iframe>`,
	`<object data="javascript:alert(1)"></object>`,
	`<embed src="data:text/html,<script>alert(1)</script>">`,
	`<body onload=alert(1)>`,
	`<details open ontoggle=alert(1)>x</details>`,
	`<input autofocus onfocus=alert(1)>`,
	`<form action="javascript:alert(1)"><button>kirim</button></form>`,
	`<base href="https://evil.example/">`,
	`<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
	`<a href="javascript:alert(1)">klik</a>`,
	`<a href="  JaVaScRiPt:alert(1)">spasi</a>`,
	`<a href="&#106;avascript:alert(1)">entitas</a>`,
	"<a href=\"java\tscript:alert(1)\">tab</a>",
	`<a href="https://example.org" onclick="alert(1)">baik</a>`,
	`<div style="background:url(javascript:alert(1))">gaya</div>`,
	`[klik](javascript:alert(1))`,
	`[klik](JAVASCRIPT:alert(1) "judul")`,
	`[klik](java&#x09;script:alert(1))`,
	`[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
	`[vb](vbscript:msgbox(1))`,
	`![gambar](javascript:alert(1))`,
	`<javascript:alert(1)>`,
	`"><script>alert(1)</script>`,
	`'><img src=x onerror=alert(1)>`,
	`" onmouseover="alert(1)`,
	`</textarea><script>alert(1)</script>`,
	`</title><script>alert(1)</script>`,
	`</style><script>alert(1)</script>`,
	`<noscript><p title="</noscript><img src=x onerror=alert(1)>">`,
	`{{7*7}} {{.}} {{template "layout.html"}} ${alert(1)} #{alert(1)}`,
	`\u003cscript\u003ealert(1)\u003c/script\u003e`,
	`%3Cscript%3Ealert(1)%3C%2Fscript%3E`,
	`&lt;script&gt;alert(1)&lt;/script&gt;`,
	`＜script＞alert(1)＜/script＞`,
	"<scr\x00ipt>alert(1)</script>",
	"<a href=\"java\nscript:alert(1)\">baris</a>",
}

// urlPayloads go where a URL is expected: a source's link.
var urlPayloads = []string{
	"javascript:alert(1)",
	" JAVASCRIPT:alert(1)",
	"data:text/html,<script>alert(1)</script>",
	"vbscript:msgbox(1)",
	"java\tscript:alert(1)",
	"//evil.example/x",
	"https:javascript:alert(1)",
	`https://example.org/"><script>alert(1)</script>`,
	`https://example.org/' onmouseover='alert(1)`,
	"http://evil.example/<svg onload=alert(1)>",
}

// assertJSON checks an API answer: JSON by its type and its content, with
// no raw markup a browser could sniff.
func assertJSON(t *testing.T, what string, r response) {
	t.Helper()
	if !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Errorf("%s: Content-Type %q", what, r.header.Get("Content-Type"))
	}
	if !json.Valid([]byte(r.body)) {
		t.Errorf("%s: not JSON: %.200s", what, r.body)
	}
	if strings.Contains(r.body, "<") {
		t.Errorf("%s: JSON carries a raw '<': %.200s", what, r.body)
	}
	if r.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("%s: no nosniff", what)
	}
}

// pageText is the text a reader sees on a page.
func pageText(t *testing.T, page string) string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return b.String()
}

var instansiRe = regexp.MustCompile(`href="(/instansi/[^"?#]+)"`)

func TestXSSPayloadsNeverComeBackExecutable(t *testing.T) {
	if len(xssPayloads) < 30 {
		t.Fatalf("only %d payloads", len(xssPayloads))
	}
	ts := newTestServer(t)
	admin := ts.sessionAdmin(t, "admin@tiru.go.id")
	admin.token, admin.tokenID = ts.tokenFromPage(t, admin, "skrip xss")
	anon := &client{label: "anonim"}
	all := strings.Join(xssPayloads, " ")

	// checkPage fetches a page as c and fails on anything that could run.
	checked := 0
	checkPage := func(t *testing.T, c *client, path string, wantStatus ...int) string {
		t.Helper()
		r := ts.getAs(t, c, path)
		ok := r.status == http.StatusOK
		for _, s := range wantStatus {
			ok = ok || r.status == s
		}
		if !ok {
			t.Errorf("%s as %s: %s", path, c.label, r)
			return ""
		}
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("%s: Content-Type %q", path, ct)
		}
		assertNoActiveContent(t, r.body)
		checked++
		return r.body
	}

	created := map[string]bool{}
	t.Run("records through the API", func(t *testing.T) {
		for i, p := range xssPayloads {
			slug := fmt.Sprintf("xss-%02d", i)
			in := kb.Innovation{Slug: slug, Title: p, Region: banjarRegion, Agency: "Dinas " + p, Summary: p,
				Problem: p, Solution: "Langkah:\n\n1. " + p + "\n2. *selesai*", Prerequisites: p,
				Results:  []kb.Result{{Figure: p, Note: p}},
				Partners: []string{p}, LegalBasis: []string{p},
				Contacts: []kb.Contact{{Name: p, Role: p}},
				Sources:  []kb.Source{{Title: p, URL: "https://example.org/sumber?q=" + url.QueryEscape(p)}},
				Tags:     []string{p, "xssuji"},
				Body:     "## " + p + "\n\n" + p + "\n\nTeks dengan " + p + " di tengah.\n\n> " + p + "\n\n- " + p + "\n\n```\n" + p + "\n```\n"}
			body, _ := json.Marshal(in)
			r := ts.apiAs(t, admin, viaToken, http.MethodPost, "/api/v1/innovations", string(body))
			assertJSON(t, "create "+slug, r)
			switch r.status {
			case http.StatusCreated:
				created[slug] = true
			case http.StatusUnprocessableEntity:
				// Refused input is fine (control characters, say); a crash is not.
			default:
				t.Errorf("innovation with payload %d %q: %s", i, p, r)
				continue
			}

			visit := kb.Visit{Slug: fmt.Sprintf("xss-kunjungan-%02d", i), Title: p, VisitType: "studi_tiru", StartDate: "2025-02-11", EndDate: "2025-02-12",
				VisitorRegion: banjarRegion, VisitorAgency: "Dinas " + p, HostRegion: soloRegion, HostAgency: soloAgency,
				Delegation: p, Purpose: p, Body: p + "\n\n" + p,
				PeopleMet: []kb.Person{{Name: p, Role: p, Agency: p}},
				FollowUps: []kb.FollowUp{{Action: p, Owner: p, DueDate: "2025-03-01", Status: "terbuka"}}}
			if created[slug] {
				visit.Innovations = []string{slug}
			}
			body, _ = json.Marshal(visit)
			r = ts.apiAs(t, admin, viaToken, http.MethodPost, "/api/v1/visits", string(body))
			assertJSON(t, "create visit "+visit.Slug, r)
			if r.status != http.StatusCreated && r.status != http.StatusUnprocessableEntity {
				t.Errorf("visit with payload %d %q: %s", i, p, r)
			}
			if created[slug] {
				r = ts.apiAs(t, admin, viaToken, http.MethodPut, "/api/v1/innovations/"+slug+"/adoptions/63.03", fmt.Sprintf(`{"status":"dikaji","note":%q}`, p))
				assertJSON(t, "adoption of "+slug, r)
				if r.status != http.StatusOK && r.status != http.StatusUnprocessableEntity {
					t.Errorf("adoption note %d: %s", i, r)
				}
			}
		}
		for i, u := range urlPayloads {
			in := kb.Innovation{Slug: fmt.Sprintf("xss-url-%02d", i), Title: "Sumber berbahaya", Region: banjarRegion,
				Sources: []kb.Source{{Title: "sumber", URL: u}}}
			body, _ := json.Marshal(in)
			r := ts.apiAs(t, admin, viaToken, http.MethodPost, "/api/v1/innovations", string(body))
			assertJSON(t, "source URL", r)
			switch r.status {
			case http.StatusCreated:
				created[in.Slug] = true
				if !strings.HasPrefix(strings.ToLower(strings.TrimSpace(u)), "http") {
					t.Errorf("source URL %q accepted", u)
				}
			case http.StatusUnprocessableEntity:
			default:
				t.Errorf("source URL %q: %s", u, r)
			}
		}
		if len(created) < len(xssPayloads)/2 {
			t.Fatalf("only %d of %d records were accepted", len(created), len(xssPayloads)+len(urlPayloads))
		}
		if err := ts.indexer.Drain(context.Background()); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("record pages", func(t *testing.T) {
		agencies := map[string]bool{}
		for slug := range created {
			for _, c := range []*client{anon, admin} {
				page := checkPage(t, c, "/inovasi/"+slug)
				for _, m := range instansiRe.FindAllStringSubmatch(page, -1) {
					agencies[m[1]] = true
				}
			}
			r := ts.apiAs(t, anon, viaToken, http.MethodGet, "/api/v1/innovations/"+slug, "")
			assertJSON(t, "GET "+slug, r)
			var back kb.Innovation
			if err := json.Unmarshal([]byte(r.body), &back); err != nil || back.Slug != slug {
				t.Errorf("GET %s: %v %s", slug, err, r)
			}
			if vs := strings.Replace(slug, "xss-", "xss-kunjungan-", 1); !strings.HasPrefix(slug, "xss-url") {
				checkPage(t, admin, "/kunjungan/"+vs, http.StatusNotFound)
				assertJSON(t, "GET visit", ts.apiAs(t, anon, viaToken, http.MethodGet, "/api/v1/visits/"+vs, ""))
			}
		}
		// Payloads are shown as text: the reader sees the title as typed.
		for i, p := range xssPayloads {
			slug := fmt.Sprintf("xss-%02d", i)
			if !created[slug] {
				continue
			}
			page := ts.getAs(t, anon, "/inovasi/"+slug)
			if text := pageText(t, page.body); !strings.Contains(text, strings.TrimSpace(p)) {
				t.Errorf("payload %d %q is not shown as text on its page", i, p)
			}
		}
		for a := range agencies {
			checkPage(t, anon, a)
		}
		if len(agencies) < 10 {
			t.Errorf("only %d agency pages found", len(agencies))
		}
	})

	t.Run("lists and home", func(t *testing.T) {
		for _, p := range []string{"/", "/inovasi", "/inovasi?per_page=100", "/inovasi?sort=title&per_page=100", "/inovasi?region=63.03&per_page=100",
			"/kunjungan", "/kunjungan?per_page=100", "/wilayah/63.03", "/wilayah/33.72", "/?lang=en", "/inovasi?lang=en&per_page=100"} {
			for _, c := range []*client{anon, admin} {
				checkPage(t, c, p)
			}
		}
		for _, p := range []string{"/api/v1/innovations?per_page=100", "/api/v1/visits?per_page=100", "/api/v1/regions/63.03"} {
			assertJSON(t, p, ts.apiAs(t, anon, viaToken, http.MethodGet, p, ""))
		}
	})

	t.Run("search queries", func(t *testing.T) {
		words := []string{"script", "alert", "onerror", "javascript", "xssuji", "svg onload", `"alert(1)"`}
		for i, q := range append(words, xssPayloads...) {
			v := url.Values{"q": {q}}.Encode()
			checkPage(t, anon, "/cari?"+v)
			if i < len(words) {
				// These match the records: snippets full of payloads.
				checkPage(t, admin, "/cari?"+v+"&kind=innovation")
				checkPage(t, admin, "/cari?"+v+"&kind=visit&lang=en")
			}
			r := ts.apiAs(t, anon, viaToken, http.MethodGet, "/api/v1/search?"+v, "")
			if r.status != http.StatusOK && r.status != http.StatusBadRequest {
				t.Errorf("API search %q: %s", q, r)
			}
			assertJSON(t, "search "+q, r)
		}
		// Matches are highlighted inside escaped text.
		r := ts.getAs(t, anon, "/cari?q=alert")
		if !strings.Contains(r.body, "<mark>") {
			t.Error("no highlighted match for alert: the snippets were not exercised")
		}
	})

	t.Run("user names and the admin pages", func(t *testing.T) {
		for i, p := range xssPayloads {
			r := ts.postAs(t, admin, "/admin/pengguna", url.Values{"email": {fmt.Sprintf("xss-%02d@banjarkab.go.id", i)}, "name": {p},
				"role": {kb.RoleStaf}, "agency": {"Bagian " + p}, "agency_new": {"1"}, "region": {banjarRegion}})
			if r.status != http.StatusCreated && r.status != http.StatusUnprocessableEntity {
				t.Errorf("user named %q: %s", p, r)
			}
			assertNoActiveContent(t, r.body)
		}
		// An email that is itself a payload: refused or kept, never run.
		r := ts.postAs(t, admin, "/admin/pengguna", url.Values{"email": {`"><img src=x onerror=alert(1)>@x.id`}, "name": {"Surel"}, "role": {kb.RoleStaf}, "agency": {banjarAgency}, "region": {banjarRegion}})
		assertNoActiveContent(t, r.body)
		// A failed login records the email as typed in the audit log.
		if _, r := ts.passwordStep(t, all, "salah"); r.status != http.StatusUnauthorized {
			t.Errorf("login with a hostile email: %s", r)
		} else {
			assertNoActiveContent(t, r.body)
		}
		page := checkPage(t, admin, "/admin/pengguna")
		if !strings.Contains(pageText(t, page), "<script>alert(1)</script>") {
			t.Error("user names are not shown as text on /admin/pengguna")
		}
		page = checkPage(t, admin, "/admin/audit")
		if !strings.Contains(pageText(t, page), all[:100]) {
			t.Error("the failed login's email is not in the audit log as text")
		}
	})

	t.Run("a logged-in user with a hostile name", func(t *testing.T) {
		id := ts.addUser(t, "nama-berbahaya@banjarkab.go.id", all, kb.RolePimpinan, "Dinas "+xssPayloads[0], banjarRegion)
		c := ts.sessionFor(t, id, "nama-berbahaya@banjarkab.go.id")
		for i, p := range xssPayloads[:10] {
			if r := ts.postAs(t, c, "/cari/simpan", url.Values{"name": {p}, "query": {"q=" + url.QueryEscape(p) + "&x=" + url.QueryEscape(p)}}); r.status != http.StatusSeeOther {
				t.Errorf("save search %d: %s", i, r)
			}
		}
		for slug := range created {
			if r := ts.postAs(t, c, "/tandai", url.Values{"kind": {"innovation"}, "slug": {slug}}); r.status != http.StatusSeeOther {
				t.Errorf("bookmark %s: %s", slug, r)
			}
		}
		for _, p := range []string{"/", "/akun", "/akun/sandi", "/akun/2fa", "/inovasi/xss-00", "/cari?q=alert"} {
			checkPage(t, c, p)
		}
	})

	t.Run("import file names", func(t *testing.T) {
		s := &Server{ref: ts.ref, md: markdown.New(), catalog: messages()}
		pages, err := s.parseTemplates()
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range xssPayloads {
			for _, f := range []struct{ name, content string }{
				{"data/" + p + ".jsonl", `{"kind":"innovation","slug":"x"` + "\n" + `{"kind":"visit"}`},
				{p + ".md", "---\ntitle: [tidak ditutup\n---\nisi"},
				{"impor/" + p + ".md", "---\nkind: innovation\nslug: Bukan Slug\n---\n"},
				{p + ".csv", "a,b"},
			} {
				_, err := ingest.Parse(f.name, strings.NewReader(f.content))
				if err == nil {
					// Parsing can pass; validation must then name the file.
					recs, _ := ingest.Parse(f.name, strings.NewReader(f.content))
					err = ingest.Validate(recs, ts.ref.Ref)
				}
				if err == nil || !strings.Contains(err.Error(), f.name) {
					t.Errorf("payload %d: the error does not name the file %q: %v", i, f.name, err)
					continue
				}
				var buf bytes.Buffer
				l := &Localizer{Lang: "id", catalog: s.catalog}
				if err := pages["error"].Execute(&buf, Page{L: l, Title: err.Error(), Path: "/", JS: "/static/js/tiru.js", CSS: "/static/css/tiru.css",
					Data: errorPage{Status: http.StatusBadRequest, Message: err.Error(), RequestID: "uji"}}); err != nil {
					t.Fatal(err)
				}
				assertNoActiveContent(t, buf.String())
				if !strings.ContainsRune(f.name, 0) && !strings.Contains(pageText(t, buf.String()), f.name) {
					t.Errorf("the error page does not show the file name %q as text", f.name)
				}
			}
		}
		// The valid content of a file with a hostile name imports, and the
		// name leaves no trace on the pages.
		name := xssPayloads[0] + ".jsonl"
		recs, err := ingest.Parse(name, strings.NewReader(innovationJSON("dari-berkas-aneh", "Dari Berkas Aneh", banjarRegion, banjarAgency, "")))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ingest.Import(context.Background(), ts.db, ts.ref.Ref, recs, "import"); err != nil {
			t.Fatal(err)
		}
		page := checkPage(t, admin, "/inovasi/dari-berkas-aneh")
		if strings.Contains(pageText(t, page), name) {
			t.Error("the file name shows on the record's page")
		}
		checkPage(t, admin, "/admin/audit")
	})

	t.Logf("%d payloads and %d URL payloads; %d records accepted, the rest refused with 422; %d pages checked for active content",
		len(xssPayloads), len(urlPayloads), len(created), checked)
}

// The language switch stays on this site: a path that begins with two
// slashes must not become a link to another host.
func TestLanguageSwitchStaysOnThisSite(t *testing.T) {
	ts := newTestServer(t)
	for _, path := range []string{"//elsewhere.example/x", "/cari?q=wifi&lang=id"} {
		status, _, body := ts.get(t, path)
		if status >= 500 {
			t.Fatalf("%s: status %d", path, status)
		}
		m := regexp.MustCompile(`<a href="([^"]*)" hreflang=`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("%s: no language switch", path)
		}
		if href := html.UnescapeString(m[1]); !strings.HasPrefix(href, "?") || !strings.Contains(href, "lang=en") {
			t.Errorf("%s: language switch links to %q, want this page with lang=en", path, href)
		}
	}
}
