package web

// Every role against every write route, through the real login form, the
// real token page and the real JSON API: who may do what, who is refused
// with which status, and that a refused request changed nothing.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"

	"tiru/internal/auth"
	"tiru/internal/kb"
	"tiru/internal/sqlite"
)

// testPassword is the password of every fixture user. Its argon2id hash is
// computed once for the package: each hash costs about 100 ms.
const testPassword = "rapat koordinasi di martapura"

var testPasswordHash = sync.OnceValues(func() (string, error) { return auth.HashPassword(testPassword) })

const (
	banjarRegion  = "63.03"
	banjarAgency  = "DKISP Kabupaten Banjar"
	soloRegion    = "33.72"
	soloAgency    = "Diskominfo SP Kota Surakarta"
	bandungRegion = "32.73"
	bandungAgency = "Dinas Sumber Daya Air dan Bina Marga Kota Bandung"
)

// client is one person using Tiru: a session cookie from the login form,
// the form token read from a page, and an API token from /akun.
type client struct {
	label   string
	email   string
	id      int64
	cookie  string // "tiru_session=…"; empty when not logged in
	csrf    string
	token   string // "tiru_…"; empty for anonymous
	tokenID int64
	totp    string // second-factor secret, for admins
}

func (c *client) secret() string { return strings.TrimPrefix(c.cookie, sessionCookie+"=") }

type response struct {
	status int
	header http.Header
	body   string
}

func (r response) String() string {
	b := r.body
	if len(b) > 400 {
		b = b[:400] + "…"
	}
	return fmt.Sprintf("%d (Location %q) %s", r.status, r.header.Get("Location"), b)
}

// send makes one request without following redirects, and without the
// client's URL parsing of Location, so a hostile Location is seen as sent.
func (ts *testServer) send(t *testing.T, method, path, body string, header ...string) response {
	t.Helper()
	var rd io.Reader = http.NoBody
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, ts.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := ts.Client().Transport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{resp.StatusCode, resp.Header, string(b)}
}

func (c *client) headers(extra ...string) []string {
	if c.cookie != "" {
		extra = append(extra, "Cookie", c.cookie)
	}
	return extra
}

// getAs reads a page (or API) with c's session cookie.
func (ts *testServer) getAs(t *testing.T, c *client, path string, header ...string) response {
	t.Helper()
	return ts.send(t, http.MethodGet, path, "", c.headers(header...)...)
}

// postAs submits a form with c's session, adding c's form token as the
// page's forms do.
func (ts *testServer) postAs(t *testing.T, c *client, path string, form url.Values, header ...string) response {
	t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if c.csrf != "" && !form.Has("csrf") {
		form.Set("csrf", c.csrf)
	}
	return ts.send(t, http.MethodPost, path, form.Encode(), c.headers(append(header, "Content-Type", "application/x-www-form-urlencoded")...)...)
}

// channel is how a client reaches the JSON API.
type channel int

const (
	viaToken   channel = iota // Authorization: Bearer
	viaSession                // session cookie and X-CSRF-Token, as the page's scripts would
	viaPage                   // a form or page route
)

func (ch channel) String() string { return [...]string{"token", "sesi", "halaman"}[ch] }

// apiAs calls the JSON API as c.
func (ts *testServer) apiAs(t *testing.T, c *client, ch channel, method, path, body string) response {
	t.Helper()
	h := []string{"Content-Type", "application/json"}
	switch {
	case ch == viaToken && c.token != "":
		h = append(h, "Authorization", "Bearer "+c.token)
	case ch == viaSession && c.cookie != "":
		h = append(h, "Cookie", c.cookie, "X-CSRF-Token", c.csrf)
	}
	return ts.send(t, method, path, body, h...)
}

// addUser creates an account directly in the database with testPassword.
func (ts *testServer) addUser(t *testing.T, email, name, role, agency, region string) int64 {
	t.Helper()
	hash, err := testPasswordHash()
	if err != nil {
		t.Fatal(err)
	}
	id, err := ts.db.CreateUser(context.Background(), sqlite.Who{Name: "test"},
		sqlite.NewUser{Email: email, Name: name, Role: role, Agency: agency, Region: region, PasswordHash: hash})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

var (
	csrfRe       = regexp.MustCompile(`name="csrf" value="([^"]*)"`)
	secretCodeRe = regexp.MustCompile(`<code class="secret">([^<]*)</code>`)
	revokeRe     = regexp.MustCompile(`action="/akun/token/(\d+)/cabut"`)
)

// sessionCookieOf returns the last session cookie a response sets (a login
// over a stale cookie first clears it, then sets the new one).
func sessionCookieOf(h http.Header) (value string, ok bool) {
	for _, ck := range (&http.Response{Header: h}).Cookies() {
		if ck.Name == sessionCookie {
			value, ok = ck.Value, true
		}
	}
	return value, ok
}

// sessionFor starts a session for a user as login does, minus the password
// check and its argon2id cost: for tests about what a session may do, not
// about how one starts (those log in through the form).
func (ts *testServer) sessionFor(t *testing.T, id int64, email string) *client {
	t.Helper()
	secret, err := auth.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.db.CreateSession(context.Background(), auth.HashSecret(secret), id, true, "127.0.0.1", "test"); err != nil {
		t.Fatal(err)
	}
	c := &client{label: email, email: email, id: id, cookie: sessionCookie + "=" + secret}
	ts.readCSRF(t, c)
	return c
}

// passwordStep submits the login form and returns the new session cookie
// and where the server sent the browser.
func (ts *testServer) passwordStep(t *testing.T, email, password string, header ...string) (cookie string, r response) {
	t.Helper()
	form := url.Values{"email": {email}, "password": {password}, "kembali": {"/"}}
	r = ts.send(t, http.MethodPost, "/masuk", form.Encode(), append(header, "Content-Type", "application/x-www-form-urlencoded")...)
	if v, ok := sessionCookieOf(r.header); ok && v != "" {
		cookie = sessionCookie + "=" + v
	}
	return cookie, r
}

// login logs in through the form (POST /masuk) and reads the form token
// from /akun.
func (ts *testServer) login(t *testing.T, email, password string) *client {
	t.Helper()
	cookie, r := ts.passwordStep(t, email, password)
	if r.status != http.StatusSeeOther || cookie == "" {
		t.Fatalf("login %s: %s", email, r)
	}
	c := &client{label: email, email: email, cookie: cookie}
	if loc := r.header.Get("Location"); loc != "/" {
		t.Fatalf("login %s: sent to %q, want / (a second factor is not expected)", email, loc)
	}
	ts.readCSRF(t, c)
	return c
}

func (ts *testServer) readCSRF(t *testing.T, c *client) {
	t.Helper()
	r := ts.getAs(t, c, "/akun")
	m := csrfRe.FindStringSubmatch(r.body)
	if r.status != http.StatusOK || m == nil || m[1] == "" {
		t.Fatalf("%s: /akun has no form token: %s", c.label, r)
	}
	c.csrf = m[1]
}

// loginWithCode logs an account with a second factor in: the password
// form, then the code form the server sends the browser to.
func (ts *testServer) loginWithCode(t *testing.T, email, password, totpSecret string) *client {
	t.Helper()
	cookie, r := ts.passwordStep(t, email, password)
	if r.status != http.StatusSeeOther || cookie == "" || r.header.Get("Location") != "/masuk?kembali=/" {
		t.Fatalf("password step of %s: %s", email, r)
	}
	c := &client{label: email, email: email, cookie: cookie, totp: totpSecret}
	page := ts.getAs(t, c, "/masuk?kembali=/")
	if page.status != http.StatusOK || !strings.Contains(page.body, `action="/masuk/kode"`) {
		t.Fatalf("no code form after the password: %s", page)
	}
	code, err := auth.TOTPCode(totpSecret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"code": {code}, "kembali": {"/"}}
	if m := csrfRe.FindStringSubmatch(page.body); m != nil && m[1] != "" {
		form.Set("csrf", m[1])
	} else {
		// The code form carries no form token, and the server wants one
		// from every session: see TestAdminLogsInThroughTheRealForms. Send
		// the token the server expects so the other tests can go on.
		form.Set("csrf", csrfToken(c.secret()))
	}
	r = ts.postAs(t, c, "/masuk/kode", form)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/" {
		t.Fatalf("code step of %s: %s", email, r)
	}
	ts.readCSRF(t, c)
	return c
}

// newAdmin creates an admin with a second factor and logs them in through
// the forms, with an API token from /akun.
func (ts *testServer) newAdmin(t *testing.T, email string) *client {
	t.Helper()
	id := ts.addUser(t, email, "Admin Tiru", kb.RoleAdmin, "", "")
	secret, _, err := auth.NewTOTP(email)
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.db.SetTOTP(context.Background(), sqlite.Who{Name: "test"}, id, secret, true); err != nil {
		t.Fatal(err)
	}
	c := ts.loginWithCode(t, email, testPassword, secret)
	c.id, c.label = id, "admin"
	c.token, c.tokenID = ts.tokenFromPage(t, c, "skrip admin")
	return c
}

// newMember creates a user of an agency, logs them in and gets a token.
func (ts *testServer) newMember(t *testing.T, label, email, role, agency, region string) *client {
	t.Helper()
	id := ts.addUser(t, email, "Pengguna "+label, role, agency, region)
	c := ts.login(t, email, testPassword)
	c.id, c.label = id, label
	c.token, c.tokenID = ts.tokenFromPage(t, c, "skrip "+label)
	return c
}

// tokenFromPage creates an API token through POST /akun/token and reads it
// from the account page the form redirects to, where it is shown once.
func (ts *testServer) tokenFromPage(t *testing.T, c *client, name string) (string, int64) {
	t.Helper()
	r := ts.postAs(t, c, "/akun/token", url.Values{"name": {name}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/akun" {
		t.Fatalf("%s: creating a token: %s, want a redirect to /akun", c.label, r)
	}
	r = ts.getAs(t, c, "/akun")
	m := secretCodeRe.FindStringSubmatch(r.body)
	if r.status != http.StatusOK || m == nil || !strings.HasPrefix(m[1], "tiru_") {
		t.Fatalf("%s: no token shown after creating one: %s", c.label, r)
	}
	ids := revokeRe.FindStringSubmatch(r.body) // newest first
	if ids == nil {
		t.Fatalf("%s: the new token has no revoke form", c.label)
	}
	id, _ := strconv.ParseInt(ids[1], 10, 64)
	return html.UnescapeString(m[1]), id
}

// The roles of the permission table, in column order.
const (
	rAnon = iota
	rStaf
	rPeny
	rPimp
	rPenySolo
	rAdmin
	nRoles
)

// roleFixture is one test server with a user of every role.
type roleFixture struct {
	ts       *testServer
	clients  [nRoles]*client
	stafSolo *client // staff of Surakarta, for visibility
}

func (f *roleFixture) admin() *client { return f.clients[rAdmin] }

func newRoleFixture(t *testing.T) *roleFixture {
	t.Helper()
	ts := newTestServer(t)
	f := &roleFixture{ts: ts}
	f.clients[rAnon] = &client{label: "anonim"}
	f.clients[rStaf] = ts.newMember(t, "staf-banjar", "staf@banjarkab.go.id", kb.RoleStaf, banjarAgency, banjarRegion)
	f.clients[rPeny] = ts.newMember(t, "penyelenggara-banjar", "penyelenggara@banjarkab.go.id", kb.RolePenyelenggara, banjarAgency, banjarRegion)
	f.clients[rPimp] = ts.newMember(t, "pimpinan-banjar", "pimpinan@banjarkab.go.id", kb.RolePimpinan, banjarAgency, banjarRegion)
	f.clients[rPenySolo] = ts.newMember(t, "penyelenggara-surakarta", "penyelenggara@surakarta.go.id", kb.RolePenyelenggara, soloAgency, soloRegion)
	f.clients[rAdmin] = ts.newAdmin(t, "admin@tiru.go.id")
	f.stafSolo = ts.newMember(t, "staf-surakarta", "staf@surakarta.go.id", kb.RoleStaf, soloAgency, soloRegion)
	return f
}

// want is an expected answer: a status and, for a redirect, where to.
type want struct {
	status int
	to     string // prefix of the Location of a 303
}

func st(status int) want   { return want{status: status} }
func to(where string) want { return want{status: http.StatusSeeOther, to: where} }

// allowed reports whether the expected answer means the request did its work.
func (w want) allowed() bool {
	if w.status == http.StatusSeeOther {
		return !strings.HasPrefix(w.to, "/masuk")
	}
	return w.status >= 200 && w.status < 300
}

func (w want) String() string {
	if w.to != "" {
		return fmt.Sprintf("%d to %s", w.status, w.to)
	}
	return strconv.Itoa(w.status)
}

// routeCase is one route with one kind of target, tried by every role.
type routeCase struct {
	name string
	api  bool // a JSON API route: tried with a token and with a session
	// records is JSON Lines creating what the request acts on, imported
	// before any request; slug is unique to the case, role and channel.
	records func(slug string) string
	// prepare makes anything else the request needs (a spare token).
	prepare func(t *testing.T, f *roleFixture, c *client, slug string)
	do      func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response
	want    [nRoles]want
	// state reads what the route may change. A refused request must leave
	// it as it was; an allowed one is checked by changed.
	state   func(t *testing.T, f *roleFixture, c *client, slug string) string
	changed func(t *testing.T, f *roleFixture, c *client, slug, before, after string)
}

func innovationJSON(slug, title, region, agency, extra string) string {
	return withFields(fmt.Sprintf(`{"kind":"innovation","slug":%q,"title":%q,"region":%q,"agency":%q,"summary":"Ringkasan awal."}`, slug, title, region, agency), extra)
}

func visitJSON(slug, visitorRegion, visitorAgency, hostRegion, hostAgency, extra string) string {
	return withFields(fmt.Sprintf(`{"kind":"visit","slug":%q,"title":"Kunjungan %s","visit_type":"studi_tiru","start_date":"2025-02-11","end_date":"2025-02-12",`+
		`"visitor_region":%q,"visitor_agency":%q,"host_region":%q,"host_agency":%q,"purpose":"Tujuan awal."}`,
		slug, slug, visitorRegion, visitorAgency, hostRegion, hostAgency), extra)
}

// withFields adds extra (`,"key":value,…`) to the JSON object base. A key
// of base that extra gives again takes extra's value: the API refuses a
// body that gives a key twice.
func withFields(base, extra string) string {
	joined := base[:len(base)-1] + extra + "}"
	var b, e map[string]json.RawMessage
	if extra == "" || json.Unmarshal([]byte(base), &b) != nil || json.Unmarshal([]byte("{"+strings.TrimPrefix(extra, ",")+"}"), &e) != nil {
		return joined
	}
	if !slices.ContainsFunc(slices.Collect(maps.Keys(e)), func(k string) bool { _, ok := b[k]; return ok }) {
		return joined // as written, in its order
	}
	maps.Copy(b, e)
	out, err := json.Marshal(b)
	if err != nil {
		panic(err)
	}
	return string(out)
}

// readBack is the state of a record as the admin reads it through the API.
func readBack(kind string) func(t *testing.T, f *roleFixture, c *client, slug string) string {
	return func(t *testing.T, f *roleFixture, c *client, slug string) string {
		r := f.ts.apiAs(t, f.admin(), viaToken, http.MethodGet, "/api/v1/"+kind+"/"+slug, "")
		switch r.status {
		case http.StatusOK:
			return r.body
		case http.StatusNotFound:
			return "absent"
		}
		t.Fatalf("admin reading %s %s: %s", kind, slug, r)
		return ""
	}
}

func decodeObject(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("not a JSON object: %v: %.300s", err, s)
	}
	return m
}

func wasCreated(t *testing.T, f *roleFixture, c *client, slug, before, after string) {
	if before != "absent" || after == "absent" || decodeObject(t, after)["slug"] != slug {
		t.Errorf("record %s was not created (before %.80s, after %.80s)", slug, before, after)
	}
}

func wasDeleted(t *testing.T, f *roleFixture, c *client, slug, before, after string) {
	if before == "absent" || after != "absent" {
		t.Errorf("record %s was not deleted (after %.80s)", slug, after)
	}
}

// wasUpdated checks that field now holds value and the version went up by one.
func wasUpdated(field, value string) func(t *testing.T, f *roleFixture, c *client, slug, before, after string) {
	return func(t *testing.T, f *roleFixture, c *client, slug, before, after string) {
		if before == "absent" || after == "absent" {
			t.Fatalf("record %s missing (before %.40s, after %.40s)", slug, before, after)
		}
		b, a := decodeObject(t, before), decodeObject(t, after)
		if a[field] != value {
			t.Errorf("%s.%s = %v, want %q", slug, field, a[field], value)
		}
		if bv, av := b["version"].(float64), a["version"].(float64); av != bv+1 {
			t.Errorf("version %v → %v, want one more", bv, av)
		}
	}
}

// followUpMarked checks that the visit's first follow-up stands at status,
// in a new version of the visit.
func followUpMarked(status string) func(t *testing.T, f *roleFixture, c *client, slug, before, after string) {
	return func(t *testing.T, f *roleFixture, c *client, slug, before, after string) {
		if before == "absent" || after == "absent" {
			t.Fatalf("visit %s missing", slug)
		}
		b, a := decodeObject(t, before), decodeObject(t, after)
		fus, _ := a["follow_ups"].([]any)
		if len(fus) == 0 || fus[0].(map[string]any)["status"] != status {
			t.Errorf("%s follow-ups %v, want the first %q", slug, a["follow_ups"], status)
		}
		if bv, av := b["version"].(float64), a["version"].(float64); av != bv+1 {
			t.Errorf("version %v → %v, want one more", bv, av)
		}
	}
}

// adoptionMoved checks that the innovation's adoption by region stands at
// status with the note the request gave.
func adoptionMoved(region string) func(t *testing.T, f *roleFixture, c *client, slug, before, after string) {
	return func(t *testing.T, f *roleFixture, c *client, slug, before, after string) {
		var d struct {
			Adoptions []kb.Adoption `json:"adoptions"`
		}
		if err := json.Unmarshal([]byte(after), &d); err != nil {
			t.Fatalf("%v: %.200s", err, after)
		}
		for _, a := range d.Adoptions {
			if a.Region == region {
				if a.Status != "dikaji" || a.Note != "Dikaji oleh "+c.label || len(a.History) == 0 || a.History[len(a.History)-1].By != c.email {
					t.Errorf("adoption by %s: %+v", region, a)
				}
				return
			}
		}
		t.Errorf("no adoption by %s in %.300s", region, after)
	}
}

func (ts *testServer) auditCount(t *testing.T, action, ref string) int {
	t.Helper()
	n := 0
	for page := 1; ; page++ {
		entries, total, err := ts.db.ListAudit(context.Background(), sqlite.Page{Page: page, PerPage: sqlite.MaxPerPage})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.Action == action && (ref == "" || e.Ref == ref) {
				n++
			}
		}
		if page*sqlite.MaxPerPage >= total {
			return n
		}
	}
}

func (ts *testServer) tokenState(t *testing.T, userID, tokenID int64) string {
	t.Helper()
	tokens, err := ts.db.ListTokens(context.Background(), userID)
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range tokens {
		if tk.ID == tokenID {
			return fmt.Sprintf("token %d revoked=%v", tk.ID, tk.Revoked)
		}
	}
	return "absent"
}

// savedSearchState is "name → query" of c's saved search called name, or
// empty when there is none.
func (ts *testServer) savedSearchState(t *testing.T, c *client, name string) string {
	t.Helper()
	if c.id == 0 {
		return "anonymous"
	}
	saved, err := ts.db.SavedSearches(context.Background(), c.id)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range saved {
		if s.Name == name {
			return s.Name + " → " + s.Query
		}
	}
	return ""
}

// runAccount is the staff account a run of the table acts on, made when
// first looked at (by the run's state, before its request).
func runAccount(t *testing.T, f *roleFixture, slug string) *sqlite.User {
	t.Helper()
	email := slug + "@banjarkab.go.id"
	u, err := f.ts.db.UserByEmail(context.Background(), email)
	if errors.Is(err, kb.ErrNotFound) {
		f.ts.addUser(t, email, "Pegawai "+slug, kb.RoleStaf, banjarAgency, banjarRegion)
		u, err = f.ts.db.UserByEmail(context.Background(), email)
	}
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// writeRoutes is the table: every write route of the JSON API and of the
// pages, plus the account and admin pages, with what each role gets.
func writeRoutes() []routeCase {
	const (
		ok201 = http.StatusCreated
		ok200 = http.StatusOK
		ok204 = http.StatusNoContent
		no401 = http.StatusUnauthorized
		no403 = http.StatusForbidden
		no404 = http.StatusNotFound
		no422 = http.StatusUnprocessableEntity
	)
	api := func(method string, path func(slug string) string, body func(slug string) string) func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
		return func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
			b := ""
			if body != nil {
				b = body(slug)
			}
			return f.ts.apiAs(t, c, ch, method, path(slug), b)
		}
	}
	innovationPath := func(slug string) string { return "/api/v1/innovations/" + slug }
	visitPath := func(slug string) string { return "/api/v1/visits/" + slug }
	adoptionPath := func(region string) func(string) string {
		return func(slug string) string { return "/api/v1/innovations/" + slug + "/adoptions/" + region }
	}
	solo := func(slug string) string {
		return innovationJSON(slug, "Inovasi Surakarta "+slug, soloRegion, soloAgency, "") + "\n"
	}
	banjar := func(slug string) string {
		return innovationJSON(slug, "Inovasi Banjar "+slug, banjarRegion, banjarAgency, "") + "\n"
	}
	banjarInternal := func(slug string) string {
		return innovationJSON(slug, "Catatan Internal Banjar "+slug, banjarRegion, banjarAgency, `,"visibility":"internal"`) + "\n"
	}
	banjarVisit := func(slug string) string {
		return visitJSON(slug, banjarRegion, banjarAgency, bandungRegion, bandungAgency, "") + "\n"
	}
	soloVisit := func(slug string) string {
		return visitJSON(slug, soloRegion, soloAgency, bandungRegion, bandungAgency, "") + "\n"
	}
	adoptionBody := func(c *client) string {
		return fmt.Sprintf(`{"status":"dikaji","note":%q}`, "Dikaji oleh "+c.label)
	}
	moveAdoption := func(region string) func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
		return func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
			return f.ts.apiAs(t, c, ch, http.MethodPut, adoptionPath(region)(slug), adoptionBody(c))
		}
	}
	adoptionForm := func(region string) func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
		return func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
			return f.ts.postAs(t, c, "/inovasi/"+slug+"/replikasi", url.Values{"region": {region}, "status": {"dikaji"}, "note": {"Dikaji oleh " + c.label}})
		}
	}
	innovations, visits := readBack("innovations"), readBack("visits")
	banjarInternalVisit := func(slug string) string {
		return visitJSON(slug, banjarRegion, banjarAgency, bandungRegion, bandungAgency, `,"visibility":"internal"`) + "\n"
	}
	// A visit's files, as stored; the spare file a delete case deletes.
	files := func(t *testing.T, f *roleFixture, c *client, slug string) string { return f.ts.attachmentsOf(t, slug) }
	fileAdded := func(t *testing.T, f *roleFixture, c *client, slug, before, after string) {
		if before != "" || after != "laporan-"+c.label+".pdf" {
			t.Errorf("files %q → %q, want the one sent", before, after)
		}
	}
	fileGone := func(t *testing.T, f *roleFixture, c *client, slug, before, after string) {
		if before != "cadangan.pdf" || after != "" {
			t.Errorf("files %q → %q, want none", before, after)
		}
	}
	spareFiles := map[string]int64{}
	spareFile := func(t *testing.T, f *roleFixture, c *client, slug string) {
		spareFiles[slug] = f.ts.attach(t, slug, "cadangan.pdf", "application/pdf", testPDF[:200]).ID
	}
	toLogin := to("/masuk?kembali=")
	r := func(anon, staf, peny, pimp, penySolo, admin want) [nRoles]want {
		return [nRoles]want{anon, staf, peny, pimp, penySolo, admin}
	}
	// The spare token a revoke case revokes: its own for a user, the
	// staff member's for an anonymous request.
	spare := map[string]int64{}
	owner := func(f *roleFixture, c *client) *client {
		if c.id == 0 {
			return f.clients[rStaf]
		}
		return c
	}

	bookmark := func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
		return f.ts.postAs(t, c, "/tandai", url.Values{"kind": {"innovation"}, "slug": {slug}})
	}
	bookmarked := func(t *testing.T, f *roleFixture, c *client, slug string) string {
		if c.id == 0 {
			return "anonymous"
		}
		kept, err := f.ts.db.IsBookmarked(context.Background(), c.id, "innovation", slug)
		if err != nil {
			return "error: " + err.Error()
		}
		return strconv.FormatBool(kept)
	}
	nowBookmarked := func(t *testing.T, f *roleFixture, c *client, slug, before, after string) {
		if before != "false" || after != "true" {
			t.Errorf("bookmarked: %s → %s", before, after)
		}
	}
	spareSearch := map[string]int64{}
	saveSpareSearch := func(whose func(*roleFixture, *client) *client) func(t *testing.T, f *roleFixture, c *client, slug string) {
		return func(t *testing.T, f *roleFixture, c *client, slug string) {
			u := whose(f, c)
			if err := f.ts.db.SaveSearch(context.Background(), sqlite.Who{Name: "test"}, u.id, "Simpanan "+slug, "q=wifi"); err != nil {
				t.Fatal(err)
			}
			saved, err := f.ts.db.SavedSearches(context.Background(), u.id)
			if err != nil || len(saved) == 0 {
				t.Fatal(err)
			}
			spareSearch[slug] = saved[0].ID
		}
	}
	deleteSpareSearch := func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
		return f.ts.postAs(t, c, fmt.Sprintf("/akun/pencarian/%d/hapus", spareSearch[slug]), nil)
	}
	spareSearchState := func(whose func(*roleFixture, *client) *client) func(t *testing.T, f *roleFixture, c *client, slug string) string {
		return func(t *testing.T, f *roleFixture, c *client, slug string) string {
			return f.ts.savedSearchState(t, whose(f, c), "Simpanan "+slug)
		}
	}

	return []routeCase{
		// JSON API: innovations.
		{name: "POST /api/v1/innovations (DKISP Banjar, 63.03)", api: true,
			do: api(http.MethodPost, func(string) string { return "/api/v1/innovations" }, func(slug string) string {
				return innovationJSON(slug, "Inovasi Baru Banjar", banjarRegion, banjarAgency, "")
			}),
			want: r(st(no401), st(no403), st(ok201), st(no403), st(no403), st(ok201)), state: innovations, changed: wasCreated},
		{name: "POST /api/v1/innovations (Diskominfo Surakarta, 33.72)", api: true,
			do: api(http.MethodPost, func(string) string { return "/api/v1/innovations" }, func(slug string) string {
				return innovationJSON(slug, "Inovasi Baru Surakarta", soloRegion, soloAgency, "")
			}),
			want: r(st(no401), st(no403), st(no403), st(no403), st(ok201), st(ok201)), state: innovations, changed: wasCreated},
		{name: "POST /api/v1/innovations (internal, DKISP Banjar)", api: true,
			do: api(http.MethodPost, func(string) string { return "/api/v1/innovations" }, func(slug string) string {
				return innovationJSON(slug, "Catatan Baru", banjarRegion, banjarAgency, `,"visibility":"internal"`)
			}),
			want: r(st(no401), st(no403), st(ok201), st(no403), st(no403), st(ok201)), state: innovations, changed: wasCreated},
		{name: "POST /api/v1/innovations (DKISP Banjar's name, placed in 33.72)", api: true,
			do:   api(http.MethodPost, func(string) string { return "/api/v1/innovations" }, func(slug string) string { return innovationJSON(slug, "Salah Wilayah", soloRegion, banjarAgency, "") }),
			want: r(st(no401), st(no403), st(no403), st(no403), st(no403), st(ok201)), state: innovations, changed: wasCreated},
		{name: "PUT /api/v1/innovations/{DKISP Banjar's}", api: true, records: banjar,
			do: api(http.MethodPut, innovationPath, func(slug string) string {
				return strings.Replace(banjar(slug), "Ringkasan awal.", "Ringkasan baru.", 1)
			}),
			want: r(st(no401), st(no403), st(ok200), st(no403), st(no403), st(ok200)), state: innovations, changed: wasUpdated("summary", "Ringkasan baru.")},
		{name: "PUT /api/v1/innovations/{Diskominfo Surakarta's}", api: true, records: solo,
			do:   api(http.MethodPut, innovationPath, func(slug string) string { return strings.Replace(solo(slug), "Ringkasan awal.", "Ringkasan baru.", 1) }),
			want: r(st(no401), st(no403), st(no403), st(no403), st(ok200), st(ok200)), state: innovations, changed: wasUpdated("summary", "Ringkasan baru.")},
		{name: "PUT /api/v1/innovations/{DKISP Banjar's} moving it to Diskominfo Surakarta", api: true, records: banjar,
			do:   api(http.MethodPut, innovationPath, func(slug string) string { return innovationJSON(slug, "Pindah", soloRegion, soloAgency, "") }),
			want: r(st(no401), st(no403), st(no403), st(no403), st(no403), st(ok200)), state: innovations, changed: wasUpdated("agency", soloAgency)},
		{name: "PUT /api/v1/innovations/{DKISP Banjar's} moving it to another Banjar agency", api: true, records: banjar,
			do: api(http.MethodPut, innovationPath, func(slug string) string {
				return innovationJSON(slug, "Pindah", banjarRegion, "Bappedalitbang Kabupaten Banjar", "")
			}),
			want: r(st(no401), st(no403), st(no403), st(no403), st(no403), st(ok200)), state: innovations, changed: wasUpdated("agency", "Bappedalitbang Kabupaten Banjar")},
		{name: "PUT /api/v1/innovations/{internal, DKISP Banjar's}", api: true, records: banjarInternal,
			do: api(http.MethodPut, innovationPath, func(slug string) string {
				return strings.Replace(banjarInternal(slug), "Ringkasan awal.", "Ringkasan baru.", 1)
			}),
			// Surakarta's organiser may not even see it: 404, not 403.
			want: r(st(no401), st(no403), st(ok200), st(no403), st(no404), st(ok200)), state: innovations, changed: wasUpdated("summary", "Ringkasan baru.")},
		{name: "DELETE /api/v1/innovations/{DKISP Banjar's}", api: true, records: banjar,
			do:   api(http.MethodDelete, innovationPath, nil),
			want: r(st(no401), st(no403), st(ok204), st(no403), st(no403), st(ok204)), state: innovations, changed: wasDeleted},
		{name: "DELETE /api/v1/innovations/{Diskominfo Surakarta's}", api: true, records: solo,
			do:   api(http.MethodDelete, innovationPath, nil),
			want: r(st(no401), st(no403), st(no403), st(no403), st(ok204), st(ok204)), state: innovations, changed: wasDeleted},

		// JSON API: visits.
		{name: "POST /api/v1/visits (DKISP Banjar visiting Bandung)", api: true,
			do:   api(http.MethodPost, func(string) string { return "/api/v1/visits" }, func(slug string) string { return banjarVisit(slug) }),
			want: r(st(no401), st(no403), st(ok201), st(no403), st(no403), st(ok201)), state: visits, changed: wasCreated},
		{name: "POST /api/v1/visits (Bandung visiting DKISP Banjar)", api: true,
			do: api(http.MethodPost, func(string) string { return "/api/v1/visits" }, func(slug string) string {
				return visitJSON(slug, bandungRegion, bandungAgency, banjarRegion, banjarAgency, "")
			}),
			want: r(st(no401), st(no403), st(ok201), st(no403), st(no403), st(ok201)), state: visits, changed: wasCreated},
		{name: "POST /api/v1/visits (Diskominfo Surakarta visiting Bandung)", api: true,
			do:   api(http.MethodPost, func(string) string { return "/api/v1/visits" }, func(slug string) string { return soloVisit(slug) }),
			want: r(st(no401), st(no403), st(no403), st(no403), st(ok201), st(ok201)), state: visits, changed: wasCreated},
		{name: "PUT /api/v1/visits/{DKISP Banjar's}", api: true, records: banjarVisit,
			do:   api(http.MethodPut, visitPath, func(slug string) string { return strings.Replace(banjarVisit(slug), "Tujuan awal.", "Tujuan baru.", 1) }),
			want: r(st(no401), st(no403), st(ok200), st(no403), st(no403), st(ok200)), state: visits, changed: wasUpdated("purpose", "Tujuan baru.")},
		{name: "PUT /api/v1/visits/{Diskominfo Surakarta's}", api: true, records: soloVisit,
			do:   api(http.MethodPut, visitPath, func(slug string) string { return strings.Replace(soloVisit(slug), "Tujuan awal.", "Tujuan baru.", 1) }),
			want: r(st(no401), st(no403), st(no403), st(no403), st(ok200), st(ok200)), state: visits, changed: wasUpdated("purpose", "Tujuan baru.")},
		{name: "PUT /api/v1/visits/{Banjar visiting Surakarta}", api: true,
			records: func(slug string) string {
				return visitJSON(slug, banjarRegion, banjarAgency, soloRegion, soloAgency, "") + "\n"
			},
			do: api(http.MethodPut, visitPath, func(slug string) string {
				return visitJSON(slug, banjarRegion, banjarAgency, soloRegion, soloAgency, `,"delegation":"Kepala dinas dan tiga staf"`)
			}),
			// Both the visiting and the hosting agency's organisers may.
			want: r(st(no401), st(no403), st(ok200), st(no403), st(ok200), st(ok200)), state: visits, changed: wasUpdated("delegation", "Kepala dinas dan tiga staf")},
		{name: "PUT /api/v1/visits/{DKISP Banjar's} handing it to Diskominfo Surakarta", api: true, records: banjarVisit,
			do:   api(http.MethodPut, visitPath, func(slug string) string { return soloVisit(slug) }),
			want: r(st(no401), st(no403), st(no403), st(no403), st(no403), st(ok200)), state: visits, changed: wasUpdated("visitor_agency", soloAgency)},
		{name: "DELETE /api/v1/visits/{DKISP Banjar's}", api: true, records: banjarVisit,
			do:   api(http.MethodDelete, visitPath, nil),
			want: r(st(no401), st(no403), st(ok204), st(no403), st(no403), st(ok204)), state: visits, changed: wasDeleted},
		{name: "DELETE /api/v1/visits/{Diskominfo Surakarta's}", api: true, records: soloVisit,
			do:   api(http.MethodDelete, visitPath, nil),
			want: r(st(no401), st(no403), st(no403), st(no403), st(ok204), st(ok204)), state: visits, changed: wasDeleted},

		// JSON API: a visit's files.
		{name: "POST /api/v1/visits/{DKISP Banjar's}/attachments", api: true, records: banjarVisit,
			do: func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
				return f.ts.uploadAPI(t, c, ch, slug, "laporan-"+c.label+".pdf", testPDF[:300])
			},
			want: r(st(no401), st(no403), st(ok201), st(no403), st(no403), st(ok201)), state: files, changed: fileAdded},
		{name: "POST /api/v1/visits/{Banjar visiting Surakarta}/attachments", api: true,
			records: func(slug string) string {
				return visitJSON(slug, banjarRegion, banjarAgency, soloRegion, soloAgency, "") + "\n"
			},
			do: func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
				return f.ts.uploadAPI(t, c, ch, slug, "laporan-"+c.label+".pdf", testPDF[:300])
			},
			want: r(st(no401), st(no403), st(ok201), st(no403), st(ok201), st(ok201)), state: files, changed: fileAdded},
		{name: "POST /api/v1/visits/{internal, DKISP Banjar's}/attachments", api: true, records: banjarInternalVisit,
			do: func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
				return f.ts.uploadAPI(t, c, ch, slug, "laporan-"+c.label+".pdf", testPDF[:300])
			},
			// Surakarta's organiser may not even see it: 404, not 403.
			want: r(st(no401), st(no403), st(ok201), st(no403), st(no404), st(ok201)), state: files, changed: fileAdded},
		{name: "DELETE /api/v1/visits/{DKISP Banjar's}/attachments/{id}", api: true, records: banjarVisit, prepare: spareFile,
			do: func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
				return f.ts.apiAs(t, c, ch, http.MethodDelete, fmt.Sprintf("/api/v1/visits/%s/attachments/%d", slug, spareFiles[slug]), "")
			},
			want: r(st(no401), st(no403), st(ok204), st(no403), st(no403), st(ok204)), state: files, changed: fileGone},

		// JSON API: adoptions.
		{name: "PUT /api/v1/innovations/{Surakarta's}/adoptions/63.03", api: true, records: solo,
			do:   moveAdoption(banjarRegion),
			want: r(st(no401), st(no403), st(no403), st(ok200), st(no403), st(ok200)), state: innovations, changed: adoptionMoved(banjarRegion)},
		{name: "PUT /api/v1/innovations/{Banjar's}/adoptions/33.72", api: true, records: banjar,
			do:   moveAdoption(soloRegion),
			want: r(st(no401), st(no403), st(no403), st(no403), st(no403), st(ok200)), state: innovations, changed: adoptionMoved(soloRegion)},
		// Only the owner's region reads an internal innovation, and it
		// cannot adopt its own: an admin alone records another region's.
		{name: "PUT /api/v1/innovations/{internal, Banjar's}/adoptions/33.72", api: true, records: banjarInternal,
			do:   moveAdoption(soloRegion),
			want: r(st(no401), st(no403), st(no403), st(no403), st(no404), st(ok200)), state: innovations, changed: adoptionMoved(soloRegion)},

		// Pages: the adoption form.
		{name: "POST /inovasi/{Surakarta's}/replikasi for 63.03", records: solo,
			do:   adoptionForm(banjarRegion),
			want: r(toLogin, st(no403), st(no403), to("/inovasi/"), st(no403), to("/inovasi/")), state: innovations, changed: adoptionMoved(banjarRegion)},
		{name: "POST /inovasi/{Banjar's}/replikasi for 33.72", records: banjar,
			do:   adoptionForm(soloRegion),
			want: r(toLogin, st(no403), st(no403), st(no403), st(no403), to("/inovasi/")), state: innovations, changed: adoptionMoved(soloRegion)},

		// Pages: the record forms (they answer a refused record with the
		// form again, 422, naming why).
		{name: "POST /inovasi/baru (DKISP Banjar)",
			do: func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
				return f.ts.postAs(t, c, "/inovasi/baru", url.Values{"slug": {slug}, "title": {"Inovasi Baru Banjar"}, "region": {banjarRegion},
					"agency": {banjarAgency}, "summary": {"Ringkasan awal."}, "language": {"id"}, "visibility": {"public"}})
			},
			want: r(toLogin, st(no403), to("/inovasi/"), st(no403), st(http.StatusUnprocessableEntity), to("/inovasi/")), state: innovations, changed: wasCreated},
		{name: "POST /inovasi/{DKISP Banjar's}/ubah", records: banjar,
			do: func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
				return f.ts.postAs(t, c, "/inovasi/"+slug+"/ubah", url.Values{"version": {"1"}, "title": {"Inovasi Banjar " + slug}, "region": {banjarRegion},
					"agency": {banjarAgency}, "summary": {"Ringkasan baru."}, "language": {"id"}, "visibility": {"public"}})
			},
			want: r(toLogin, st(no403), to("/inovasi/"), st(no403), st(no403), to("/inovasi/")), state: innovations, changed: wasUpdated("summary", "Ringkasan baru.")},
		{name: "POST /kunjungan/{DKISP Banjar's}/ubah", records: banjarVisit,
			do: func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
				return f.ts.postAs(t, c, "/kunjungan/"+slug+"/ubah", url.Values{"version": {"1"}, "title": {"Kunjungan " + slug}, "visit_type": {"studi_tiru"},
					"start_date": {"2025-02-11"}, "end_date": {"2025-02-12"}, "visitor_region": {banjarRegion}, "visitor_agency": {banjarAgency},
					"host_region": {bandungRegion}, "host_agency": {bandungAgency}, "purpose": {"Tujuan baru."}, "language": {"id"}, "visibility": {"public"}})
			},
			want: r(toLogin, st(no403), to("/kunjungan/"), st(no403), st(no403), to("/kunjungan/")), state: visits, changed: wasUpdated("purpose", "Tujuan baru.")},

		{name: "POST /kunjungan/{DKISP Banjar's}/tindak-lanjut", records: func(slug string) string {
			return visitJSON(slug, banjarRegion, banjarAgency, bandungRegion, bandungAgency, `,"follow_ups":[{"action":"Kirim surat minat","status":"terbuka"}]`) + "\n"
		},
			do: func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
				return f.ts.postAs(t, c, "/kunjungan/"+slug+"/tindak-lanjut", url.Values{"version": {"1"}, "follow_up": {"0"},
					"action": {"Kirim surat minat"}, "status": {"selesai"}})
			},
			want: r(toLogin, st(no403), to("/kunjungan/"), st(no403), st(no403), to("/kunjungan/")), state: visits, changed: followUpMarked("selesai")},

		{name: "POST /kunjungan/{DKISP Banjar's}/lampiran", records: banjarVisit,
			do: func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
				return f.ts.uploadPage(t, c, slug, "laporan-"+c.label+".pdf", testPDF[:300], true)
			},
			want: r(toLogin, st(no403), to("/kunjungan/"), st(no403), st(no403), to("/kunjungan/")), state: files, changed: fileAdded},
		{name: "POST /kunjungan/{internal, DKISP Banjar's}/lampiran", records: banjarInternalVisit,
			do: func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
				return f.ts.uploadPage(t, c, slug, "laporan-"+c.label+".pdf", testPDF[:300], true)
			},
			want: r(toLogin, st(no403), to("/kunjungan/"), st(no403), st(no404), to("/kunjungan/")), state: files, changed: fileAdded},
		{name: "POST /kunjungan/{DKISP Banjar's}/lampiran/{id}/hapus", records: banjarVisit, prepare: spareFile,
			do: func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
				return f.ts.postAs(t, c, fmt.Sprintf("/kunjungan/%s/lampiran/%d/hapus", slug, spareFiles[slug]), nil)
			},
			want: r(toLogin, st(no403), to("/kunjungan/"), st(no403), st(no403), to("/kunjungan/")), state: files, changed: fileGone},

		{name: "POST /inovasi/{DKISP Banjar's}/hapus", records: banjar,
			do: func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
				return f.ts.postAs(t, c, "/inovasi/"+slug+"/hapus", url.Values{"confirm": {"ya"}})
			},
			want: r(toLogin, st(no403), to("/inovasi"), st(no403), st(no403), to("/inovasi")), state: innovations, changed: wasDeleted},
		{name: "POST /kunjungan/{DKISP Banjar's}/hapus", records: banjarVisit,
			do: func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
				return f.ts.postAs(t, c, "/kunjungan/"+slug+"/hapus", url.Values{"confirm": {"ya"}})
			},
			want: r(toLogin, st(no403), to("/kunjungan"), st(no403), st(no403), to("/kunjungan")), state: visits, changed: wasDeleted},

		// Pages: administration.
		{name: "POST /admin/pengguna",
			do: func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
				return f.ts.postAs(t, c, "/admin/pengguna", url.Values{"email": {slug + "@banjarkab.go.id"}, "name": {"Pengguna " + slug},
					"role": {kb.RoleStaf}, "agency": {banjarAgency}, "region": {banjarRegion}})
			},
			want: r(toLogin, st(no403), st(no403), st(no403), st(no403), st(ok201)),
			state: func(t *testing.T, f *roleFixture, c *client, slug string) string {
				if _, err := f.ts.db.UserByEmail(context.Background(), slug+"@banjarkab.go.id"); err != nil {
					return "absent"
				}
				return "exists"
			},
			changed: func(t *testing.T, f *roleFixture, c *client, slug, before, after string) {
				if after != "exists" {
					t.Error("user was not created")
				}
			}},
		{name: "POST /admin/pengguna/{staf}/reset",
			do: func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
				r := f.ts.postAs(t, c, fmt.Sprintf("/admin/pengguna/%d/reset", f.stafSolo.id), nil)
				if strings.Contains(r.body, "/sandi-baru/") != (r.status == http.StatusOK) {
					t.Errorf("reset link shown %v with status %d", strings.Contains(r.body, "/sandi-baru/"), r.status)
				}
				return r
			},
			want: r(toLogin, st(no403), st(no403), st(no403), st(no403), st(ok200)),
			state: func(t *testing.T, f *roleFixture, c *client, slug string) string {
				return strconv.Itoa(f.ts.auditCount(t, "user.reset_link", strconv.FormatInt(f.stafSolo.id, 10)))
			},
			changed: func(t *testing.T, f *roleFixture, c *client, slug, before, after string) {
				if b, _ := strconv.Atoi(before); after != strconv.Itoa(b+1) {
					t.Errorf("reset links issued: %s → %s", before, after)
				}
			}},
		{name: "POST /admin/pengguna/{a staff member}/nonaktifkan",
			do: func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
				return f.ts.postAs(t, c, fmt.Sprintf("/admin/pengguna/%d/nonaktifkan", runAccount(t, f, slug).ID), nil)
			},
			want: r(toLogin, st(no403), st(no403), st(no403), st(no403), to("/admin/pengguna")),
			state: func(t *testing.T, f *roleFixture, c *client, slug string) string {
				return strconv.FormatBool(runAccount(t, f, slug).Disabled)
			},
			changed: func(t *testing.T, f *roleFixture, c *client, slug, before, after string) {
				if before != "false" || after != "true" {
					t.Errorf("turned off: %s → %s", before, after)
				}
			}},
		{name: "POST /admin/pengguna/{a staff member}/peran",
			do: func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
				return f.ts.postAs(t, c, fmt.Sprintf("/admin/pengguna/%d/peran", runAccount(t, f, slug).ID),
					url.Values{"role": {kb.RolePenyelenggara}, "agency": {banjarAgency}, "region": {banjarRegion}})
			},
			want: r(toLogin, st(no403), st(no403), st(no403), st(no403), to("/admin/pengguna")),
			state: func(t *testing.T, f *roleFixture, c *client, slug string) string {
				return runAccount(t, f, slug).Role
			},
			changed: func(t *testing.T, f *roleFixture, c *client, slug, before, after string) {
				if before != kb.RoleStaf || after != kb.RolePenyelenggara {
					t.Errorf("role: %s → %s", before, after)
				}
			}},
		{name: "GET /admin/pengguna",
			do: func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
				return f.ts.getAs(t, c, "/admin/pengguna")
			},
			want: r(toLogin, st(no403), st(no403), st(no403), st(no403), st(ok200))},
		{name: "GET /admin/audit",
			do: func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
				return f.ts.getAs(t, c, "/admin/audit")
			},
			want: r(toLogin, st(no403), st(no403), st(no403), st(no403), st(ok200))},

		// Pages: one's own account.
		{name: "GET /akun",
			do: func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
				r := f.ts.getAs(t, c, "/akun")
				if r.status == http.StatusOK && !strings.Contains(r.body, c.email) {
					t.Errorf("/akun of %s does not show their email", c.label)
				}
				return r
			},
			want: r(toLogin, st(ok200), st(ok200), st(ok200), st(ok200), st(ok200))},
		{name: "POST /akun/token",
			do: func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
				return f.ts.postAs(t, c, "/akun/token", url.Values{"name": {"token " + slug}})
			},
			want: r(toLogin, to("/akun"), to("/akun"), to("/akun"), to("/akun"), to("/akun")),
			state: func(t *testing.T, f *roleFixture, c *client, slug string) string {
				if c.id == 0 {
					return "anonymous"
				}
				tokens, err := f.ts.db.ListTokens(context.Background(), c.id)
				if err != nil {
					t.Fatal(err)
				}
				return strconv.Itoa(len(tokens))
			},
			changed: func(t *testing.T, f *roleFixture, c *client, slug, before, after string) {
				if b, _ := strconv.Atoi(before); after != strconv.Itoa(b+1) {
					t.Errorf("tokens: %s → %s", before, after)
				}
			}},
		{name: "POST /akun/token/{own}/cabut",
			prepare: func(t *testing.T, f *roleFixture, c *client, slug string) {
				id, err := f.ts.db.CreateToken(context.Background(), sqlite.Who{Name: "test"}, owner(f, c).id, "cadangan "+slug, auth.HashSecret("tiru_"+slug), "tiru_"+slug[:5])
				if err != nil {
					t.Fatal(err)
				}
				spare[slug] = id
			},
			do: func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
				return f.ts.postAs(t, c, fmt.Sprintf("/akun/token/%d/cabut", spare[slug]), nil)
			},
			want: r(toLogin, to("/akun"), to("/akun"), to("/akun"), to("/akun"), to("/akun")),
			state: func(t *testing.T, f *roleFixture, c *client, slug string) string {
				return f.ts.tokenState(t, owner(f, c).id, spare[slug])
			},
			changed: func(t *testing.T, f *roleFixture, c *client, slug, before, after string) {
				if !strings.HasSuffix(after, "revoked=true") {
					t.Errorf("token not revoked: %s", after)
				}
			}},
		{name: "POST /akun/token/{someone else's}/cabut",
			do: func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
				return f.ts.postAs(t, c, fmt.Sprintf("/akun/token/%d/cabut", f.stafSolo.tokenID), nil)
			},
			// Even an admin revokes only their own tokens here.
			want: r(toLogin, st(no404), st(no404), st(no404), st(no404), st(no404)),
			state: func(t *testing.T, f *roleFixture, c *client, slug string) string {
				return f.ts.tokenState(t, f.stafSolo.id, f.stafSolo.tokenID)
			}},
		{name: "POST /akun/sandi (the two new passwords differ)",
			do: func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
				return f.ts.postAs(t, c, "/akun/sandi", url.Values{"current": {testPassword}, "new": {"kopi tubruk di pasar terapung"}, "again": {"kopi tubruk di pasar apung"}})
			},
			want: r(toLogin, st(no422), st(no422), st(no422), st(no422), st(no422)),
			state: func(t *testing.T, f *roleFixture, c *client, slug string) string {
				if c.id == 0 {
					return "anonymous"
				}
				u, err := f.ts.db.UserByID(context.Background(), c.id)
				if err != nil {
					t.Fatal(err)
				}
				return u.PasswordHash
			}},

		// Pages: bookmarks and saved searches.
		{name: "POST /tandai (Surakarta's public innovation)", records: solo,
			do:    bookmark,
			want:  r(toLogin, to("/inovasi/"), to("/inovasi/"), to("/inovasi/"), to("/inovasi/"), to("/inovasi/")),
			state: bookmarked, changed: nowBookmarked},
		{name: "POST /tandai (internal, Banjar's)", records: banjarInternal,
			do:    bookmark,
			want:  r(toLogin, to("/inovasi/"), to("/inovasi/"), to("/inovasi/"), st(no404), to("/inovasi/")),
			state: bookmarked, changed: nowBookmarked},
		{name: "POST /cari/simpan",
			do: func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
				return f.ts.postAs(t, c, "/cari/simpan", url.Values{"name": {"Cari " + slug}, "query": {"?q=wifi&kind=innovation&page=2"}})
			},
			want: r(toLogin, to("/cari?"), to("/cari?"), to("/cari?"), to("/cari?"), to("/cari?")),
			state: func(t *testing.T, f *roleFixture, c *client, slug string) string {
				return f.ts.savedSearchState(t, c, "Cari "+slug)
			},
			changed: func(t *testing.T, f *roleFixture, c *client, slug, before, after string) {
				if after != "Cari "+slug+" → kind=innovation&q=wifi" {
					t.Errorf("saved search: %q", after)
				}
			}},
		{name: "POST /akun/pencarian/{own}/hapus",
			prepare: saveSpareSearch(func(f *roleFixture, c *client) *client { return owner(f, c) }),
			do:      deleteSpareSearch,
			want:    r(toLogin, to("/akun"), to("/akun"), to("/akun"), to("/akun"), to("/akun")),
			state:   spareSearchState(func(f *roleFixture, c *client) *client { return owner(f, c) }),
			changed: func(t *testing.T, f *roleFixture, c *client, slug, before, after string) {
				if after != "" {
					t.Errorf("saved search not deleted: %q", after)
				}
			}},
		{name: "POST /akun/pencarian/{someone else's}/hapus",
			prepare: saveSpareSearch(func(f *roleFixture, c *client) *client { return f.stafSolo }),
			do:      deleteSpareSearch,
			want:    r(toLogin, st(no404), st(no404), st(no404), st(no404), st(no404)),
			state:   spareSearchState(func(f *roleFixture, c *client) *client { return f.stafSolo })},
		{name: "POST /akun/2fa (no setup started, or already on)",
			do: func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
				return f.ts.postAs(t, c, "/akun/2fa", url.Values{"code": {"123456"}})
			},
			want: r(toLogin, to("/akun/2fa"), to("/akun/2fa"), to("/akun/2fa"), to("/akun/2fa"), to("/akun/2fa")),
			state: func(t *testing.T, f *roleFixture, c *client, slug string) string {
				if c.id == 0 {
					return "anonymous"
				}
				u, err := f.ts.db.UserByID(context.Background(), c.id)
				if err != nil {
					t.Fatal(err)
				}
				return fmt.Sprintf("%q %v", u.TOTPSecret, u.TOTPEnabled)
			},
			changed: func(t *testing.T, f *roleFixture, c *client, slug, before, after string) {
				if after != before {
					t.Errorf("second factor changed: %s → %s", before, after)
				}
			}},

		// Last: logging out ends the session the other cases used.
		{name: "POST /keluar",
			do: func(t *testing.T, f *roleFixture, c *client, ch channel, slug string) response {
				return f.ts.postAs(t, c, "/keluar", nil)
			},
			want: r(to("/"), to("/"), to("/"), to("/"), to("/"), to("/")),
			state: func(t *testing.T, f *roleFixture, c *client, slug string) string {
				if c.cookie == "" {
					return "anonymous"
				}
				return f.ts.getAs(t, c, "/akun").String()[:3]
			},
			changed: func(t *testing.T, f *roleFixture, c *client, slug, before, after string) {
				if c.cookie != "" && (before != "200" || after != "303") {
					t.Errorf("/akun before logout %s, after %s; want 200 then a redirect to log in", before, after)
				}
			}},
	}
}

// everyRoleOnEveryWriteRoute runs the table. Its last route logs everyone
// out, so it runs after the fixture's other uses.
func everyRoleOnEveryWriteRoute(t *testing.T, f *roleFixture) {
	ts := f.ts
	cases := writeRoutes()
	short := [nRoles]string{"anon", "staf", "peny", "pimp", "solo", "admin"}
	type run struct {
		ci   int
		role int
		ch   channel
		slug string
	}
	var runs []run
	var records strings.Builder
	for ci, rc := range cases {
		chans := []channel{viaPage}
		if rc.api {
			chans = []channel{viaToken, viaSession}
		}
		for role := range nRoles {
			for _, ch := range chans {
				slug := fmt.Sprintf("uji-%02d-%s-%d", ci, short[role], ch)
				runs = append(runs, run{ci, role, ch, slug})
				if rc.records != nil {
					records.WriteString(rc.records(slug))
				}
			}
		}
	}
	ts.importJSONL(t, records.String())

	refused := 0
	for _, ru := range runs {
		rc, c, w := cases[ru.ci], f.clients[ru.role], cases[ru.ci].want[ru.role]
		t.Run(fmt.Sprintf("%s/%s/%s", rc.name, c.label, ru.ch), func(t *testing.T) {
			if rc.prepare != nil {
				rc.prepare(t, f, c, ru.slug)
			}
			var before string
			if rc.state != nil {
				before = rc.state(t, f, c, ru.slug)
			}
			r := rc.do(t, f, c, ru.ch, ru.slug)
			if r.status != w.status || (w.to != "" && !strings.HasPrefix(r.header.Get("Location"), w.to)) {
				t.Fatalf("got %s\nwant %s", r, w)
			}
			if rc.api && !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") && r.status != http.StatusNoContent {
				t.Errorf("API answered %q", r.header.Get("Content-Type"))
			}
			if r.status == http.StatusUnauthorized && rc.api && r.header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
			if rc.state == nil {
				return
			}
			after := rc.state(t, f, c, ru.slug)
			switch {
			case !w.allowed():
				refused++
				if after != before {
					t.Errorf("a refused request changed its target:\nbefore %.300s\nafter  %.300s", before, after)
				}
			case rc.changed != nil:
				rc.changed(t, f, c, ru.slug, before, after)
			case after == before:
				t.Errorf("an allowed request changed nothing: %.300s", after)
			}
		})
	}
	t.Logf("%d routes × %d roles: %d requests, %d of them refused with their target checked unchanged", len(cases), nRoles, len(runs), refused)
}

// auditRows reads the whole audit log through /admin/audit, page by page.
func (ts *testServer) auditRows(t *testing.T, admin *client) [][]string {
	t.Helper()
	var rows [][]string
	for page := 1; page < 100; page++ {
		r := ts.getAs(t, admin, "/admin/audit?page="+strconv.Itoa(page))
		if r.status != http.StatusOK {
			t.Fatalf("audit page %d: %s", page, r)
		}
		got := tableRows(t, r.body)
		if len(got) == 0 || len(got[0]) < 5 {
			return rows
		}
		rows = append(rows, got...)
		if !strings.Contains(r.body, "page="+strconv.Itoa(page+1)) {
			return rows
		}
	}
	t.Fatal("audit log does not end")
	return nil
}

// tableRows returns the text of each cell of each body row of a page's tables.
func tableRows(t *testing.T, page string) [][]string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var text func(n *html.Node) string
	text = func(n *html.Node) string {
		if n.Type == html.TextNode {
			return n.Data
		}
		var b strings.Builder
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			b.WriteString(text(c))
			if c.Type == html.ElementNode && c.Data == "br" {
				b.WriteByte(' ')
			}
		}
		return b.String()
	}
	var rows [][]string
	var walk func(n *html.Node, inBody bool)
	walk = func(n *html.Node, inBody bool) {
		if n.Type == html.ElementNode && n.Data == "tbody" {
			inBody = true
		}
		if inBody && n.Type == html.ElementNode && n.Data == "tr" {
			var row []string
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && c.Data == "td" {
					row = append(row, strings.TrimSpace(text(c)))
				}
			}
			rows = append(rows, row)
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inBody)
		}
	}
	walk(doc, false)
	return rows
}

// TestRolesAndPermissions logs a user of every role in through the real
// forms once (logins cost an argon2id hash each) and runs every permission
// check over them: internal visibility, validation, conflicts, the audit
// log, and last the table of every role on every write route.
func TestRolesAndPermissions(t *testing.T) {
	f := newRoleFixture(t)
	ts := f.ts
	staf, peny, pimp, penySolo, admin := f.clients[rStaf], f.clients[rPeny], f.clients[rPimp], f.clients[rPenySolo], f.admin()
	anon := f.clients[rAnon]

	t.Run("internal records by role", func(t *testing.T) {
		ts.importJSONL(t, innovationJSON("catatan-internal-banjar", "Catatan Internal Zamrud Banjar", banjarRegion, banjarAgency, `,"visibility":"internal","tags":["zamrudkhatulistiwa"]`)+"\n"+
			visitJSON("kunjungan-internal-banjar", banjarRegion, banjarAgency, bandungRegion, bandungAgency, `,"visibility":"internal","purpose":"Zamrudkhatulistiwa"`)+"\n")
		for _, tc := range []struct {
			c       *client
			visible bool
		}{{staf, true}, {peny, true}, {pimp, true}, {admin, true}, {anon, false}, {f.stafSolo, false}, {penySolo, false}} {
			t.Run(tc.c.label, func(t *testing.T) {
				wantStatus := map[bool]int{true: http.StatusOK, false: http.StatusNotFound}[tc.visible]
				for _, p := range []string{"/inovasi/catatan-internal-banjar", "/kunjungan/kunjungan-internal-banjar"} {
					if r := ts.getAs(t, tc.c, p); r.status != wantStatus {
						t.Errorf("page %s: %d, want %d", p, r.status, wantStatus)
					}
				}
				for _, ch := range []channel{viaToken, viaSession} {
					for _, p := range []string{"/api/v1/innovations/catatan-internal-banjar", "/api/v1/visits/kunjungan-internal-banjar"} {
						if r := ts.apiAs(t, tc.c, ch, http.MethodGet, p, ""); r.status != wantStatus {
							t.Errorf("%s via %s: %d, want %d", p, ch, r.status, wantStatus)
						}
					}
					r := ts.apiAs(t, tc.c, ch, http.MethodGet, "/api/v1/search?q=zamrudkhatulistiwa", "")
					var res apiSearchResult
					if err := json.Unmarshal([]byte(r.body), &res); r.status != http.StatusOK || err != nil {
						t.Fatalf("search via %s: %s", ch, r)
					}
					found := map[string]bool{}
					for _, h := range res.Hits {
						found[h.Slug] = true
					}
					if found["catatan-internal-banjar"] != tc.visible || found["kunjungan-internal-banjar"] != tc.visible {
						t.Errorf("search via %s finds %v, want both internal records %v", ch, found, tc.visible)
					}
					list := ts.apiAs(t, tc.c, ch, http.MethodGet, "/api/v1/innovations?region=63.03&per_page=100", "")
					if strings.Contains(list.body, "catatan-internal-banjar") != tc.visible {
						t.Errorf("innovation list via %s shows the internal record: %v", ch, !tc.visible)
					}
				}
				for _, p := range []string{"/cari?q=zamrudkhatulistiwa", "/inovasi?region=63.03", "/wilayah/63.03", "/"} {
					if r := ts.getAs(t, tc.c, p); strings.Contains(r.body, "Catatan Internal Zamrud Banjar") != tc.visible {
						t.Errorf("%s shows the internal record: %v, want %v", p, !tc.visible, tc.visible)
					}
				}
			})
		}
	})

	t.Run("422 names every bad field", func(t *testing.T) {
		for _, tc := range []struct {
			name, method, path, body string
			fields                   []string
		}{
			{"missing title", http.MethodPost, "/api/v1/innovations", `{"slug":"tanpa-judul","region":"63.03","agency":"DKISP Kabupaten Banjar"}`, []string{"title"}},
			{"bad stage date", http.MethodPost, "/api/v1/innovations", innovationJSON("tanggal-salah", "Tanggal", banjarRegion, banjarAgency, `,"stage_dates":{"uji_coba":"2024-13-45"}`), []string{"stage_dates.uji_coba"}},
			{"several at once", http.MethodPost, "/api/v1/innovations", `{"slug":"Bukan Slug","region":"Banjar","agency":"DKISP Kabupaten Banjar","evidence_level":9}`, []string{"slug", "title", "region", "evidence_level"}},
			{"number as text", http.MethodPost, "/api/v1/innovations", innovationJSON("tahun-teks", "Tahun", banjarRegion, banjarAgency, `,"year_started":"2021"`), []string{"year_started"}},
			{"misspelt field", http.MethodPost, "/api/v1/innovations", innovationJSON("salah-eja", "Eja", banjarRegion, banjarAgency, `,"titel":"x"`), []string{"titel"}},
			{"bad visit date", http.MethodPost, "/api/v1/visits", visitJSON("tanggal-kunjungan-salah", banjarRegion, banjarAgency, bandungRegion, bandungAgency, `,"start_date":"22-10-2024"`), []string{"start_date"}},
			{"visit ends before it starts", http.MethodPost, "/api/v1/visits", visitJSON("mundur", banjarRegion, banjarAgency, bandungRegion, bandungAgency, `,"end_date":"2025-01-01"`), []string{"end_date"}},
			{"slug differs from the URL", http.MethodPut, "/api/v1/innovations/aplikasi-pengaduan-warga-surakarta", innovationJSON("lain", "Lain", soloRegion, soloAgency, ""), []string{"slug"}},
			{"adoption status unknown", http.MethodPut, "/api/v1/innovations/aplikasi-pengaduan-warga-surakarta/adoptions/63.03", `{"status":"sedang-dipikirkan"}`, []string{"status"}},
			// The field as the client sent it, not the Go struct's path
			// ("readOnly.version").
			{"version as text", http.MethodPut, "/api/v1/innovations/aplikasi-pengaduan-warga-surakarta", innovationJSON("aplikasi-pengaduan-warga-surakarta", "Aduan", soloRegion, soloAgency, `,"version":"1"`), []string{"version"}},
			{"text in a list item", http.MethodPost, "/api/v1/innovations", innovationJSON("angka-hasil", "Hasil", banjarRegion, banjarAgency, `,"results":[{"figure":"30"},{"figure":30}]`), []string{"results[1].figure"}},
			// A repeated key would silently replace the first.
			{"agency twice", http.MethodPost, "/api/v1/innovations", `{"slug":"dua-instansi","title":"Dua","region":"63.03","agency":"DKISP Kabupaten Banjar","summary":"x","agency":"Diskominfo SP Kota Surakarta"}`, []string{"agency"}},
			{"region twice in a visit", http.MethodPost, "/api/v1/visits", `{"slug":"dua-wilayah","title":"Dua","visit_type":"studi_tiru","start_date":"2025-02-11","visitor_region":"63.03","host_region":"32.73","Host_Region":"33.72"}`, []string{"Host_Region"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := ts.apiAs(t, admin, viaToken, tc.method, tc.path, tc.body)
				if r.status != http.StatusUnprocessableEntity {
					t.Fatalf("got %s, want 422", r)
				}
				var e apiError
				if err := json.Unmarshal([]byte(r.body), &e); err != nil {
					t.Fatal(err)
				}
				got := map[string]bool{}
				for _, fe := range e.Error.Fields {
					got[fe.Field] = true
					if fe.Message == "" {
						t.Errorf("field %s has no message", fe.Field)
					}
				}
				for _, fld := range tc.fields {
					if !got[fld] {
						t.Errorf("no error for %s in %s", fld, r.body)
					}
				}
				if len(got) != len(tc.fields) {
					t.Errorf("errors on %v, want on %v only", got, tc.fields)
				}
				if e.Error.Code != "invalid" || e.Error.RequestID == "" {
					t.Errorf("error body %s", r.body)
				}
			})
		}
		for _, p := range []string{"/api/v1/innovations/tanpa-judul", "/api/v1/innovations/dua-instansi", "/api/v1/visits/dua-wilayah"} {
			if r := ts.apiAs(t, admin, viaToken, http.MethodGet, p, ""); r.status != http.StatusNotFound {
				t.Errorf("an invalid record was saved: %s", p)
			}
		}
		// A body that is no JSON, or a value of the wrong kind, is
		// explained in Indonesian without Go's English in it.
		for body, want := range map[string]string{
			`not json`: "JSON tidak sah di kolom",
			innovationJSON("tahun-teks", "Tahun", banjarRegion, banjarAgency, `,"year_started":"2021"`): "bukan teks",
		} {
			r := ts.apiAs(t, admin, viaToken, http.MethodPost, "/api/v1/innovations", body)
			if !strings.Contains(r.body, want) || strings.Contains(r.body, "invalid character") || strings.Contains(r.body, "bukan string") {
				t.Errorf("%.20s: %s, want %q and no Go English", body, r.body, want)
			}
		}
	})

	t.Run("409 on an existing slug and on a stale version", func(t *testing.T) {
		body := innovationJSON("konflik-banjar", "Konflik", banjarRegion, banjarAgency, "")
		if r := ts.apiAs(t, peny, viaToken, http.MethodPost, "/api/v1/innovations", body); r.status != http.StatusCreated {
			t.Fatalf("create: %s", r)
		}
		for _, c := range []*client{peny, admin} {
			if r := ts.apiAs(t, c, viaToken, http.MethodPost, "/api/v1/innovations", body); r.status != http.StatusConflict {
				t.Errorf("%s creating it again: %s, want 409", c.label, r)
			}
		}
		// Creating over an internal record another region cannot see still
		// conflicts rather than overwriting it.
		ts.importJSONL(t, innovationJSON("rahasia-banjar", "Rahasia", banjarRegion, banjarAgency, `,"visibility":"internal"`)+"\n")
		if r := ts.apiAs(t, penySolo, viaToken, http.MethodPost, "/api/v1/innovations", innovationJSON("rahasia-banjar", "Timpa", soloRegion, soloAgency, "")); r.status != http.StatusConflict {
			t.Errorf("Surakarta creating over Banjar's internal slug: %s, want 409", r)
		}
		if r := ts.apiAs(t, admin, viaToken, http.MethodGet, "/api/v1/innovations/rahasia-banjar", ""); !strings.Contains(r.body, `"agency":"DKISP Kabupaten Banjar"`) {
			t.Errorf("internal record was overwritten: %s", r)
		}
		r := ts.apiAs(t, peny, viaToken, http.MethodGet, "/api/v1/innovations/konflik-banjar", "")
		v := int(decodeObject(t, r.body)["version"].(float64))
		edit := func(version int, summary string) response {
			return ts.apiAs(t, peny, viaToken, http.MethodPut, "/api/v1/innovations/konflik-banjar",
				fmt.Sprintf(`{"slug":"konflik-banjar","title":"Konflik","region":"63.03","agency":"DKISP Kabupaten Banjar","summary":%q,"version":%d}`, summary, version))
		}
		if r := edit(v-1, "dari salinan lama"); r.status != http.StatusConflict {
			t.Errorf("PUT with version %d (stored %d): %s, want 409", v-1, v, r)
		}
		if r := edit(v, "dari salinan terbaru"); r.status != http.StatusOK {
			t.Fatalf("PUT with the stored version: %s", r)
		}
		if r := edit(v, "salinan yang sama lagi"); r.status != http.StatusConflict {
			t.Errorf("second PUT with the now stale version %d: %s, want 409", v, r)
		}
		got := decodeObject(t, ts.apiAs(t, peny, viaToken, http.MethodGet, "/api/v1/innovations/konflik-banjar", "").body)
		if got["summary"] != "dari salinan terbaru" || int(got["version"].(float64)) != v+1 {
			t.Errorf("after the conflicts: summary %v, version %v", got["summary"], got["version"])
		}
	})

	t.Run("audit log names who wrote, and outlives the record", func(t *testing.T) {
		slug := "jejak-audit-surakarta"
		if r := ts.apiAs(t, penySolo, viaToken, http.MethodPost, "/api/v1/innovations", innovationJSON(slug, "Jejak", soloRegion, soloAgency, "")); r.status != http.StatusCreated {
			t.Fatalf("create: %s", r)
		}
		if r := ts.apiAs(t, pimp, viaToken, http.MethodPut, "/api/v1/innovations/"+slug+"/adoptions/63.03", `{"status":"diminati"}`); r.status != http.StatusOK {
			t.Fatalf("adoption: %s", r)
		}
		if r := ts.apiAs(t, penySolo, viaSession, http.MethodDelete, "/api/v1/innovations/"+slug, ""); r.status != http.StatusNoContent {
			t.Fatalf("delete: %s", r)
		}
		if r := ts.apiAs(t, admin, viaToken, http.MethodGet, "/api/v1/innovations/"+slug, ""); r.status != http.StatusNotFound {
			t.Fatalf("deleted record still there: %s", r)
		}
		rows := ts.auditRows(t, admin)
		has := func(actor, action, record string) bool {
			for _, row := range rows {
				// The action cell shows a label, then the action's code.
				if len(row) >= 5 && row[1] == actor && slices.Contains(strings.Fields(row[2]), action) && strings.Contains(row[3], record) && (actor == "test" || strings.Contains(row[4], "127.0.0.1")) {
					return true
				}
			}
			return false
		}
		for _, tc := range []struct{ actor, action, record string }{
			{penySolo.email, "innovation.create", "Inovasi " + slug},
			{pimp.email, "adoption.create", slug + "@63.03"},
			{penySolo.email, "innovation.delete", "Inovasi " + slug},
			{penySolo.email, "login", penySolo.email},
			{admin.email, "token.create", "tiru_"},
			{"test", "user.create", staf.email},
		} {
			if !has(tc.actor, tc.action, tc.record) {
				t.Errorf("audit log lacks %s by %s on %s", tc.action, tc.actor, tc.record)
			}
		}
		if t.Failed() {
			for _, row := range rows[:min(len(rows), 15)] {
				t.Log(row)
			}
		}
	})

	t.Run("every role on every write route", func(t *testing.T) { everyRoleOnEveryWriteRoute(t, f) })
}

// internalNeighbours imports an internal innovation and an internal visit of
// Banjar next to public records that refer to them: a public visit that
// observed the internal innovation, and an adoption of a public innovation
// (by Bandung) that the internal visit led to.
func internalNeighbours(t *testing.T, ts *testServer) {
	t.Helper()
	ts.importJSONL(t, innovationJSON("rahasia-banjar", "Judul Rahasia Banjar", banjarRegion, banjarAgency, `,"visibility":"internal"`)+"\n"+
		visitJSON("kunjungan-umum", banjarRegion, banjarAgency, soloRegion, soloAgency, `,"innovations":["rahasia-banjar","aplikasi-pengaduan-warga-surakarta"]`)+"\n"+
		`{"kind":"visit","slug":"kunjungan-rahasia","title":"Kunjungan Rahasia Sekali","visit_type":"studi_tiru","start_date":"2025-02-11","end_date":"2025-02-12",`+
		`"visitor_region":"63.03","visitor_agency":"DKISP Kabupaten Banjar","host_region":"33.72","visibility":"internal","innovations":["aplikasi-pengaduan-warga-surakarta"]}`+"\n"+
		`{"kind":"adoption","innovation":"aplikasi-pengaduan-warga-surakarta","region":"32.73","status":"dikaji","visit":"kunjungan-rahasia","note":"Dikaji"}`+"\n")
}

// TestInternalVisitBehindAnAdoptionStaysHidden: the adoptions table of a
// public innovation names the visit each adoption came from.
func TestInternalVisitBehindAnAdoptionStaysHidden(t *testing.T) {
	ts := newTestServer(t)
	internalNeighbours(t, ts)
	const page = "/inovasi/aplikasi-pengaduan-warga-surakarta"
	_, _, body := ts.get(t, page)
	if strings.Contains(body, "Kunjungan Rahasia Sekali") || strings.Contains(body, "kunjungan-rahasia") {
		t.Errorf("%s shows the internal visit to an anonymous reader", page)
	}
	_, _, body = ts.get(t, "/api/v1"+strings.Replace(page, "/inovasi/", "/innovations/", 1))
	if strings.Contains(body, "kunjungan-rahasia") {
		t.Error("the API names the internal visit to an anonymous reader")
	}
	admin := ts.sessionAdmin(t, "admin@tiru.go.id")
	if r := ts.getAs(t, admin, page); !strings.Contains(r.body, "Kunjungan Rahasia Sekali") {
		t.Error("an admin does not see the visit behind the adoption")
	}
}

// TestSearchDoesNotLeakInternalTitlesThroughPublicVisits: a public visit is
// indexed with the titles of the innovations it observed.
func TestSearchDoesNotLeakInternalTitlesThroughPublicVisits(t *testing.T) {
	ts := newTestServer(t)
	internalNeighbours(t, ts)
	for _, q := range []string{"rahasia", `"Judul Rahasia Banjar"`} {
		r := ts.apiSearch(t, "q="+url.QueryEscape(q))
		for _, h := range r.Hits {
			if text := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(h.Snippet); strings.Contains(text, "Judul Rahasia Banjar") || h.Slug == "rahasia-banjar" {
				t.Errorf("search %s: hit %s %s shows the internal innovation: %q", q, h.Kind, h.Slug, h.Snippet)
			}
		}
		_, _, page := ts.get(t, "/cari?q="+url.QueryEscape(q))
		// The page echoes what was typed in the search box; only the results
		// must not carry the title.
		if i := strings.Index(page, `<ol class="list results">`); i >= 0 {
			page = page[i:]
			page = page[:strings.Index(page, "</ol>")]
		}
		if strings.Contains(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(page), "Judul Rahasia Banjar") {
			t.Errorf("/cari?q=%s shows the internal innovation's title", q)
		}
	}
}
