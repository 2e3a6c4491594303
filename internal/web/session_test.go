package web

// Sessions, form tokens, cross-site refusals, password changes and resets,
// login throttling, API tokens and return addresses.

import (
	"context"
	"database/sql"
	"fmt"
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

// formFields returns the named inputs of the page's form with the given
// action, with their values: exactly what a browser would submit.
func formFields(t *testing.T, page, action string) url.Values {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	attr := func(n *html.Node, key string) (string, bool) {
		for _, a := range n.Attr {
			if a.Key == key {
				return a.Val, true
			}
		}
		return "", false
	}
	var form *html.Node
	var find func(n *html.Node)
	find = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "form" {
			if a, _ := attr(n, "action"); a == action && form == nil {
				form = n
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	if form == nil {
		t.Fatalf("page has no form posting to %s", action)
	}
	vals := url.Values{}
	var collect func(n *html.Node)
	collect = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.Data == "input" || n.Data == "select" || n.Data == "textarea") {
			if name, ok := attr(n, "name"); ok {
				v, _ := attr(n, "value")
				vals.Set(name, v)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			collect(c)
		}
	}
	collect(form)
	return vals
}

// loggedIn reports whether c's session cookie still logs them in.
func (ts *testServer) loggedIn(t *testing.T, c *client) bool {
	t.Helper()
	r := ts.getAs(t, c, "/akun")
	switch {
	case r.status == http.StatusOK && strings.Contains(r.body, c.email):
		return true
	case r.status == http.StatusSeeOther && strings.HasPrefix(r.header.Get("Location"), "/masuk"):
		return false
	}
	t.Fatalf("/akun: %s", r)
	return false
}

func (ts *testServer) tokenCount(t *testing.T, userID int64) int {
	t.Helper()
	tokens, err := ts.db.ListTokens(context.Background(), userID)
	if err != nil {
		t.Fatal(err)
	}
	return len(tokens)
}

func TestFormsWithoutTheirTokenAreRefused(t *testing.T) {
	ts := newTestServer(t)
	id := ts.addUser(t, "staf@banjarkab.go.id", "Staf Banjar", kb.RoleStaf, banjarAgency, banjarRegion)
	c := ts.sessionFor(t, id, "staf@banjarkab.go.id")
	pid := ts.addUser(t, "penyelenggara@banjarkab.go.id", "Penyelenggara", kb.RolePenyelenggara, banjarAgency, banjarRegion)
	other := ts.sessionFor(t, pid, "penyelenggara@banjarkab.go.id")

	for _, tc := range []struct {
		name string
		csrf []string // nil: no field at all
	}{
		{"no token", nil},
		{"empty token", []string{""}},
		{"wrong token", []string{strings.Repeat("0", 32)}},
		{"another session's token", []string{other.csrf}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, path := range []string{"/keluar", "/akun/token"} {
				form := url.Values{"name": {"skrip"}}
				if tc.csrf != nil {
					form["csrf"] = tc.csrf
				}
				r := ts.send(t, http.MethodPost, path, form.Encode(), "Cookie", c.cookie, "Content-Type", "application/x-www-form-urlencoded")
				if r.status != http.StatusForbidden || !strings.Contains(r.body, "Formulir kedaluwarsa") {
					t.Errorf("POST %s: %s, want 403 with the form message", path, r)
				}
			}
			if !ts.loggedIn(t, c) {
				t.Fatal("a refused logout ended the session")
			}
			if n := ts.tokenCount(t, id); n != 0 {
				t.Fatalf("a refused form created %d tokens", n)
			}
		})
	}

	t.Run("API with a session but no X-CSRF-Token", func(t *testing.T) {
		p := other
		body := innovationJSON("tanpa-token-formulir", "Tanpa Token", banjarRegion, banjarAgency, "")
		r := ts.send(t, http.MethodPost, "/api/v1/innovations", body, "Cookie", p.cookie, "Content-Type", "application/json")
		if r.status != http.StatusForbidden {
			t.Errorf("got %s, want 403", r)
		}
		if r := ts.apiAs(t, p, viaSession, http.MethodPost, "/api/v1/innovations", body); r.status != http.StatusCreated {
			t.Errorf("with X-CSRF-Token: %s, want 201", r)
		}
	})

	t.Run("with the token the forms work", func(t *testing.T) {
		if r := ts.postAs(t, c, "/akun/token", url.Values{"name": {"skrip"}}); r.status != http.StatusSeeOther {
			t.Errorf("create token: %s", r)
		}
		if r := ts.postAs(t, c, "/keluar", nil); r.status != http.StatusSeeOther {
			t.Errorf("logout: %s", r)
		}
		if ts.loggedIn(t, c) {
			t.Error("still logged in after logging out")
		}
	})
}

func TestCrossSiteRequestsAreRefused(t *testing.T) {
	ts := newTestServer(t)
	id := ts.addUser(t, "penyelenggara@banjarkab.go.id", "Penyelenggara", kb.RolePenyelenggara, banjarAgency, banjarRegion)
	c := ts.sessionFor(t, id, "penyelenggara@banjarkab.go.id")
	c.token, c.tokenID = ts.tokenFromPage(t, c, "skrip")
	before := ts.tokenCount(t, id)

	for _, h := range [][]string{
		{"Sec-Fetch-Site", "cross-site"},
		{"Sec-Fetch-Site", "same-site"}, // a sibling subdomain is another site's code too
		{"Origin", "https://evil.example"},
		{"Origin", "null"},
	} {
		t.Run(strings.Join(h, ": "), func(t *testing.T) {
			r := ts.postAs(t, c, "/akun/token", url.Values{"name": {"dari luar"}}, h...)
			if r.status != http.StatusForbidden {
				t.Errorf("form with its token: %s, want 403", r)
			}
			r = ts.postAs(t, c, "/keluar", nil, h...)
			if r.status != http.StatusForbidden {
				t.Errorf("logout: %s, want 403", r)
			}
			r = ts.send(t, http.MethodPost, "/masuk", url.Values{"email": {c.email}, "password": {testPassword}}.Encode(),
				append(h, "Content-Type", "application/x-www-form-urlencoded")...)
			if r.status != http.StatusForbidden {
				t.Errorf("login from another site: %s, want 403", r)
			}
			r = ts.send(t, http.MethodPost, "/api/v1/innovations", innovationJSON("dari-luar", "Dari Luar", banjarRegion, banjarAgency, ""),
				append(h, "Authorization", "Bearer "+c.token, "Content-Type", "application/json")...)
			if r.status != http.StatusForbidden {
				t.Errorf("API with a token, marked cross-site by the browser: %s, want 403", r)
			}
		})
	}
	if n := ts.tokenCount(t, id); n != before {
		t.Errorf("cross-site forms created %d tokens", n-before)
	}
	if !ts.loggedIn(t, c) {
		t.Error("a cross-site logout ended the session")
	}
	for _, h := range [][]string{{"Sec-Fetch-Site", "same-origin"}, {"Origin", ts.URL}, {"Sec-Fetch-Site", "none"}} {
		if r := ts.postAs(t, c, "/akun/token", url.Values{"name": {"dari sini"}}, h...); r.status != http.StatusSeeOther {
			t.Errorf("%v: %s, want 303", h, r)
		}
	}
}

func TestSessionCookie(t *testing.T) {
	ts := newTestServer(t)
	const email = "staf@banjarkab.go.id"
	ts.addUser(t, email, "Staf Banjar", kb.RoleStaf, banjarAgency, banjarRegion)

	// A session id planted in the browser before login (by a shared computer
	// or a sibling site) is never the one the login hands out.
	planted := sessionCookie + "=planted-by-someone-else-0123456789abcdef"
	r := ts.send(t, http.MethodGet, "/", "", "Cookie", planted)
	if v, ok := sessionCookieOf(r.header); !ok || v != "" {
		t.Errorf("an unknown session id is not cleared (Set-Cookie %q)", r.header.Values("Set-Cookie"))
	}
	cookie, r := ts.passwordStep(t, email, testPassword, "Cookie", planted)
	if r.status != http.StatusSeeOther || cookie == "" || cookie == planted {
		t.Fatalf("login with a planted id: %s, cookie %q", r, cookie)
	}
	if ts.loggedIn(t, &client{email: email, cookie: planted}) {
		t.Error("the planted id became a session")
	}
	first := &client{email: email, cookie: cookie}
	if !ts.loggedIn(t, first) {
		t.Fatal("the new id is not a session")
	}
	ts.readCSRF(t, first)

	t.Run("attributes", func(t *testing.T) {
		var ck *http.Cookie
		for _, c := range (&http.Response{Header: r.header}).Cookies() {
			if c.Name == sessionCookie && c.Value != "" {
				ck = c
			}
		}
		if ck == nil {
			t.Fatalf("no session cookie: %s", r)
		}
		if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.MaxAge != int(sessionAbsolute.Seconds()) {
			t.Errorf("cookie %s", ck)
		}
		if ck.Secure {
			t.Error("Secure over plain HTTP: the browser would drop it")
		}
		if len(ck.Value) < 40 {
			t.Errorf("session id %q is short", ck.Value)
		}
		// Only a hash of the id is stored.
		if _, err := ts.db.GetSession(context.Background(), ck.Value); err == nil {
			t.Error("the session is stored under its raw id")
		}
		if _, err := ts.db.GetSession(context.Background(), auth.HashSecret(ck.Value)); err != nil {
			t.Error("the session is not stored under the hash of its id")
		}
	})

	t.Run("every login gets its own id", func(t *testing.T) {
		second := ts.login(t, email, testPassword)
		if first.cookie == second.cookie || first.csrf == second.csrf {
			t.Error("two logins share a session id or form token")
		}
		if !ts.loggedIn(t, first) || !ts.loggedIn(t, second) {
			t.Error("logging in again ended the other device's session")
		}
	})

	t.Run("logout ends the session", func(t *testing.T) {
		c := first
		r := ts.postAs(t, c, "/keluar", nil)
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/" {
			t.Fatalf("logout: %s", r)
		}
		if v, ok := sessionCookieOf(r.header); !ok || v != "" || !strings.Contains(strings.Join(r.header.Values("Set-Cookie"), ";"), "Max-Age=0") {
			t.Errorf("logout does not clear the cookie: %q", r.header.Values("Set-Cookie"))
		}
		// The old cookie, replayed, is nobody.
		if ts.loggedIn(t, c) {
			t.Error("the old cookie still logs in after logout")
		}
		if r := ts.postAs(t, c, "/akun/token", url.Values{"name": {"x"}}); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/masuk") {
			t.Errorf("form with the old cookie: %s", r)
		}
		if r := ts.apiAs(t, c, viaSession, http.MethodPost, "/api/v1/innovations", innovationJSON("setelah-keluar", "X", banjarRegion, banjarAgency, "")); r.status != http.StatusUnauthorized {
			t.Errorf("API with the old cookie: %s, want 401", r)
		}
		if r := ts.send(t, http.MethodGet, "/", "", "Cookie", c.cookie); strings.Contains(r.body, `action="/keluar"`) {
			t.Error("home page still shows a logged-in user")
		}
	})
}

// TestLoginFormWorksWhileLoggedIn logs in again (say, as a colleague) from a
// browser that is already logged in, by submitting the login form exactly
// as the page renders it.
func TestLoginFormWorksWhileLoggedIn(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "staf@banjarkab.go.id", "Staf Banjar", kb.RoleStaf, banjarAgency, banjarRegion)
	ts.addUser(t, "pimpinan@banjarkab.go.id", "Pimpinan Banjar", kb.RolePimpinan, banjarAgency, banjarRegion)
	old := ts.login(t, "staf@banjarkab.go.id", testPassword)
	page := ts.getAs(t, old, "/masuk")
	form := formFields(t, page.body, "/masuk")
	form.Set("email", "pimpinan@banjarkab.go.id")
	form.Set("password", testPassword)
	r := ts.send(t, http.MethodPost, "/masuk", form.Encode(), "Cookie", old.cookie, "Content-Type", "application/x-www-form-urlencoded")
	v, _ := sessionCookieOf(r.header)
	if r.status != http.StatusSeeOther || v == "" || sessionCookie+"="+v == old.cookie {
		t.Fatalf("login while logged in: %s", r)
	}
	if ts.loggedIn(t, old) {
		t.Error("the old session survived a new login in the same browser")
	}
}

func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	ts := newTestServer(t)
	const email = "staf@banjarkab.go.id"
	ts.addUser(t, email, "Staf Banjar", kb.RoleStaf, banjarAgency, banjarRegion)
	here := ts.login(t, email, testPassword)
	there := ts.login(t, email, testPassword) // another device
	const next = "sungai martapura mengalir ke barito"
	form := formFields(t, ts.getAs(t, here, "/akun/sandi").body, "/akun/sandi")
	form.Set("current", testPassword)
	form.Set("new", next)
	form.Set("again", next)
	r := ts.postAs(t, here, "/akun/sandi", form)
	if r.status != http.StatusOK || !strings.Contains(r.body, "Kata sandi diganti") {
		t.Fatalf("change password: %s", r)
	}
	if ts.loggedIn(t, there) {
		t.Error("the other device's session survived the password change")
	}
	if !ts.loggedIn(t, here) {
		t.Error("the session that changed the password was ended")
	}
	if _, r := ts.passwordStep(t, email, testPassword); r.status != http.StatusUnauthorized {
		t.Errorf("old password: %s, want 401", r)
	}
	if _, r := ts.passwordStep(t, email, next); r.status != http.StatusSeeOther {
		t.Errorf("new password: %s", r)
	}
}

func TestWeakNewPasswordsAreRefused(t *testing.T) {
	ts := newTestServer(t)
	const email = "budi.santoso@banjarkab.go.id"
	id := ts.addUser(t, email, "Budi Santoso", kb.RoleStaf, banjarAgency, banjarRegion)
	c := ts.sessionFor(t, id, email)
	u, _ := ts.db.UserByID(context.Background(), id)
	// Each case costs a check of the current password (argon2id), so the
	// policy's finer points are tested in package auth.
	for _, tc := range []struct {
		name, current, next, again, msg string
	}{
		{"too short", testPassword, "pendek12", "pendek12", "minimal 10 karakter"},
		{"common", testPassword, "password123", "password123", "terlalu mudah ditebak"},
		{"the email", testPassword, "budi.santoso-2025", "budi.santoso-2025", "terlalu mudah ditebak"},
		{"wrong current password", "bukan sandi yang benar", "pasar terapung lok baintan", "pasar terapung lok baintan", "sekarang salah"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := ts.postAs(t, c, "/akun/sandi", url.Values{"current": {tc.current}, "new": {tc.next}, "again": {tc.again}})
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, tc.msg) || !strings.Contains(r.body, `class="error-box"`) {
				t.Errorf("got %s, want 422 saying %q", r, tc.msg)
			}
		})
	}
	if after, _ := ts.db.UserByID(context.Background(), id); after.PasswordHash != u.PasswordHash {
		t.Error("a refused change changed the password")
	}
	if !ts.loggedIn(t, c) {
		t.Error("refused changes ended the session")
	}
}

func TestLoginIsThrottled(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "staf@banjarkab.go.id", "Staf Banjar", kb.RoleStaf, banjarAgency, banjarRegion)
	ts.addUser(t, "rekan@banjarkab.go.id", "Rekan", kb.RoleStaf, banjarAgency, banjarRegion)
	for i := range 5 {
		if _, r := ts.passwordStep(t, "staf@banjarkab.go.id", "tebakan-salah-"+strconv.Itoa(i)); r.status != http.StatusUnauthorized || !strings.Contains(r.body, "Email atau kata sandi salah") {
			t.Fatalf("wrong password %d: %s", i+1, r)
		}
	}
	cookie, r := ts.passwordStep(t, "staf@banjarkab.go.id", testPassword)
	if r.status != http.StatusTooManyRequests || !strings.Contains(r.body, "Terlalu banyak percobaan") || cookie != "" {
		t.Fatalf("right password after five wrong ones: %s", r)
	}
	if s, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || s < 60 || s > 15*60+1 {
		t.Errorf("Retry-After %q", r.header.Get("Retry-After"))
	}
	// A colleague at the same office address still logs in: one person's
	// typos must not lock out everyone behind the office's address.
	if cookie, r := ts.passwordStep(t, "rekan@banjarkab.go.id", testPassword); cookie == "" {
		t.Errorf("another account from the same address after five failures: %s, want a login", r)
	}
	// An unknown account is throttled the same way, telling nothing.
	for i := range 5 {
		ts.passwordStep(t, "tidak-ada@banjarkab.go.id", "apa saja "+strconv.Itoa(i))
	}
	if _, r := ts.passwordStep(t, "tidak-ada@banjarkab.go.id", "apa saja"); r.status != http.StatusTooManyRequests {
		t.Errorf("unknown account: %s, want 429", r)
	}
	// Guessing across accounts from one address stops at 30 failures:
	// 10 so far (a throttled attempt is no failure), 19 more leave one to
	// spare, and the 30th stops it.
	for i := range 19 {
		ts.passwordStep(t, "tebak"+strconv.Itoa(i)+"@banjarkab.go.id", "apa saja")
	}
	if cookie, r := ts.passwordStep(t, "rekan@banjarkab.go.id", testPassword); cookie == "" {
		t.Errorf("after 29 failures across accounts from one address: %s, want a login", r)
	}
	ts.passwordStep(t, "tebak-terakhir@banjarkab.go.id", "apa saja")
	if _, r := ts.passwordStep(t, "rekan@banjarkab.go.id", testPassword); r.status != http.StatusTooManyRequests {
		t.Errorf("after 30 failures across accounts from one address: %s, want 429", r)
	}
	// Empty fields are asked for, not counted as a guess.
	if _, r := ts.passwordStep(t, "", ""); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Isi email dan kata sandi") {
		t.Errorf("empty login: %s", r)
	}
}

func TestAPITokens(t *testing.T) {
	ts := newTestServer(t)
	id := ts.addUser(t, "penyelenggara@banjarkab.go.id", "Penyelenggara", kb.RolePenyelenggara, banjarAgency, banjarRegion)
	c := ts.sessionFor(t, id, "penyelenggara@banjarkab.go.id")
	r := ts.postAs(t, c, "/akun/token", url.Values{"name": {"skrip impor"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/akun" {
		t.Fatalf("create token: %s, want a redirect to /akun", r)
	}
	// A HEAD first (a link checker, a prefetch) shows nothing, and must
	// not use up the token's one showing.
	if h := ts.send(t, http.MethodHead, "/akun", "", "Cookie", c.cookie); h.status != http.StatusOK {
		t.Fatalf("HEAD /akun: %s", h)
	}
	r = ts.getAs(t, c, "/akun")
	m := secretCodeRe.FindStringSubmatch(r.body)
	if r.status != http.StatusOK || m == nil {
		t.Fatalf("the account page after creating a token: %s", r)
	}
	token := m[1]
	if !strings.HasPrefix(token, "tiru_") || len(token) < 45 {
		t.Fatalf("token %q", token)
	}
	if r.header.Get("Cache-Control") != "no-store" {
		t.Error("the page showing the token may be cached")
	}
	tokenID, _ := strconv.ParseInt(revokeRe.FindStringSubmatch(r.body)[1], 10, 64)

	t.Run("shown once", func(t *testing.T) {
		page := ts.getAs(t, c, "/akun")
		if strings.Contains(page.body, token) {
			t.Error("/akun shows the token again")
		}
		if !strings.Contains(page.body, token[:10]) || !strings.Contains(page.body, "skrip impor") {
			t.Error("/akun does not list the token by name and prefix")
		}
		tokens, _ := ts.db.ListTokens(context.Background(), id)
		if len(tokens) != 1 || tokens[0].Prefix != token[:10] {
			t.Errorf("stored tokens %+v", tokens)
		}
	})

	t.Run("works as Bearer", func(t *testing.T) {
		bearer := &client{label: "token", token: token}
		if r := ts.apiAs(t, bearer, viaToken, http.MethodPost, "/api/v1/innovations", innovationJSON("lewat-token", "Lewat Token", banjarRegion, banjarAgency, "")); r.status != http.StatusCreated {
			t.Fatalf("write with the token: %s", r)
		}
		tokens, _ := ts.db.ListTokens(context.Background(), id)
		if tokens[0].LastUsedAt.IsZero() {
			t.Error("last use not recorded")
		}
	})

	t.Run("revoked through the page", func(t *testing.T) {
		r := ts.postAs(t, c, "/akun/token/"+strconv.FormatInt(tokenID, 10)+"/cabut", nil)
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/akun" {
			t.Fatalf("revoke: %s", r)
		}
		bearer := &client{label: "token", token: token}
		for _, req := range [][2]string{{http.MethodPost, "/api/v1/innovations"}, {http.MethodGet, "/api/v1/innovations"}} {
			r := ts.apiAs(t, bearer, viaToken, req[0], req[1], innovationJSON("setelah-dicabut", "Dicabut", banjarRegion, banjarAgency, ""))
			if r.status != http.StatusUnauthorized || !strings.Contains(r.header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("%s %s with a revoked token: %s, want 401", req[0], req[1], r)
			}
		}
		if r := ts.postAs(t, c, "/akun/token/"+strconv.FormatInt(tokenID, 10)+"/cabut", nil); r.status != http.StatusNotFound {
			t.Errorf("revoking twice: %s, want 404", r)
		}
	})

	t.Run("malformed credentials are 401, not anonymous", func(t *testing.T) {
		for _, h := range []string{"Bearer ", "Bearer tiru_bukan-token", "Basic dXNlcjpwYXNz", "Bearer " + strings.Repeat("a", 300), token} {
			r := ts.send(t, http.MethodGet, "/api/v1/innovations", "", "Authorization", h)
			if r.status != http.StatusUnauthorized {
				t.Errorf("Authorization %.30q: %s, want 401", h, r)
			}
		}
	})
}

// sessionAdmin is an admin with a second factor and a session that passed
// it, made without the login forms (see sessionFor).
func (ts *testServer) sessionAdmin(t *testing.T, email string) *client {
	t.Helper()
	id := ts.addUser(t, email, "Admin Tiru", kb.RoleAdmin, "", "")
	secret, _, err := auth.NewTOTP(email)
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.db.SetTOTP(context.Background(), sqlite.Who{Name: "test"}, id, secret, true); err != nil {
		t.Fatal(err)
	}
	c := ts.sessionFor(t, id, email)
	c.totp = secret
	return c
}

func TestResetLinks(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.sessionAdmin(t, "admin@tiru.go.id")
	const email = "staf@banjarkab.go.id"
	id := ts.addUser(t, email, "Staf Banjar", kb.RoleStaf, banjarAgency, banjarRegion)
	session := ts.sessionFor(t, id, email)
	linkRe := regexp.MustCompile(`<code class="secret">https?://[^/<]+(/sandi-baru/[^<]+)</code>`)

	r := ts.postAs(t, admin, "/admin/pengguna/"+strconv.FormatInt(id, 10)+"/reset", nil)
	m := linkRe.FindStringSubmatch(r.body)
	if r.status != http.StatusOK || m == nil {
		t.Fatalf("issue a reset link: %s", r)
	}
	link := m[1]
	if got := ts.send(t, http.MethodGet, link, ""); got.status != http.StatusOK || !strings.Contains(got.body, `name="new"`) {
		t.Fatalf("open the link: %s", got)
	}
	if got := ts.send(t, http.MethodPost, link, url.Values{"new": {"pendek"}, "again": {"pendek"}}.Encode(), "Content-Type", "application/x-www-form-urlencoded"); got.status != http.StatusUnprocessableEntity {
		t.Errorf("weak password through the link: %s, want 422", got)
	}
	const next = "jembatan barito di waktu senja"
	set := func() response {
		return ts.send(t, http.MethodPost, link, url.Values{"new": {next}, "again": {next}}.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	}
	if got := set(); got.status != http.StatusSeeOther || got.header.Get("Location") != "/masuk" {
		t.Fatalf("set the password: %s", got)
	}
	if ts.loggedIn(t, session) {
		t.Error("the user's session survived a password reset")
	}
	if got := set(); got.status != http.StatusNotFound || !strings.Contains(got.body, "tidak berlaku") {
		t.Errorf("the link used a second time: %s, want 404", got)
	}
	if got := ts.send(t, http.MethodGet, link, ""); got.status != http.StatusNotFound {
		t.Errorf("opening a spent link: %s, want 404", got)
	}
	ts.login(t, email, next)

	t.Run("a new account's first password", func(t *testing.T) {
		r := ts.postAs(t, admin, "/admin/pengguna", url.Values{"email": {"baru@banjarkab.go.id"}, "name": {"Pegawai Baru"}, "role": {"staf"}, "agency": {banjarAgency}, "region": {"Kabupaten Banjar"}})
		m := linkRe.FindStringSubmatch(r.body)
		if r.status != http.StatusCreated || m == nil {
			t.Fatalf("create user: %s", r)
		}
		// An empty password is asked for again (422), a wrong one refused.
		if cookie, got := ts.passwordStep(t, "baru@banjarkab.go.id", ""); cookie != "" || got.status != http.StatusUnprocessableEntity {
			t.Errorf("a new account without a password logs in: %s", got)
		}
		if cookie, got := ts.passwordStep(t, "baru@banjarkab.go.id", "tebakan apa saja"); cookie != "" || got.status != http.StatusUnauthorized {
			t.Errorf("a new account without a password logs in with a guess: %s", got)
		}
		if got := ts.send(t, http.MethodPost, m[1], url.Values{"new": {next}, "again": {next}}.Encode(), "Content-Type", "application/x-www-form-urlencoded"); got.status != http.StatusSeeOther {
			t.Fatalf("first password: %s", got)
		}
		c := ts.login(t, "baru@banjarkab.go.id", next)
		if page := ts.getAs(t, c, "/akun"); !strings.Contains(page.body, banjarAgency) || !strings.Contains(page.body, "Kabupaten Banjar") {
			t.Error("the new account is not of DKISP Kabupaten Banjar")
		}
	})

	t.Run("bogus links", func(t *testing.T) {
		for _, p := range []string{"/sandi-baru/bukan-tautan", "/sandi-baru/" + strings.Repeat("x", 43)} {
			if got := ts.send(t, http.MethodGet, p, ""); got.status != http.StatusNotFound {
				t.Errorf("%s: %s", p, got)
			}
		}
	})
}

// TestResetLinksEndWithThePassword checks that a reset link sets the
// password only while no newer password has been set and no newer link
// issued: a link an admin issued twice (the first went to the wrong chat),
// or one the owner no longer needs after changing the password themselves,
// must not let whoever holds it take the account over, neither afterwards
// nor before the owner uses the new link.
func TestResetLinksEndWithThePassword(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.sessionAdmin(t, "admin@tiru.go.id")
	const email = "staf@banjarkab.go.id"
	id := ts.addUser(t, email, "Staf Banjar", kb.RoleStaf, banjarAgency, banjarRegion)
	linkRe := regexp.MustCompile(`<code class="secret">https?://[^/<]+(/sandi-baru/[^<]+)</code>`)
	issue := func() string {
		t.Helper()
		r := ts.postAs(t, admin, "/admin/pengguna/"+strconv.FormatInt(id, 10)+"/reset", nil)
		m := linkRe.FindStringSubmatch(r.body)
		if r.status != http.StatusOK || m == nil {
			t.Fatalf("issue a reset link: %s", r)
		}
		return m[1]
	}
	set := func(link, password string) response {
		return ts.send(t, http.MethodPost, link, url.Values{"new": {password}, "again": {password}}.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	}
	const owner, intruder = "jembatan barito di waktu senja", "perahu kelotok di sungai martapura"

	stray, kept := issue(), issue()
	if got := ts.send(t, http.MethodGet, stray, ""); got.status != http.StatusNotFound {
		t.Errorf("the first link after a second was issued: %s, want 404", got)
	}
	if got := set(stray, intruder); got.status != http.StatusNotFound {
		t.Errorf("the first link set the password after a second was issued: %s, want 404", got)
	}
	if got := set(kept, owner); got.status != http.StatusSeeOther {
		t.Fatalf("set the password through the second link: %s", got)
	}
	if got := ts.send(t, http.MethodGet, stray, ""); got.status != http.StatusNotFound {
		t.Errorf("the first link after the second set the password: %s, want 404", got)
	}
	if got := set(stray, intruder); got.status != http.StatusNotFound {
		t.Errorf("the first link set the password again: %s, want 404", got)
	}

	// A link the owner did not use, then a password changed on the
	// account page.
	unused := issue()
	c := ts.login(t, email, owner)
	const changed = "kapal layar di pelabuhan trisakti"
	if r := ts.postAs(t, c, "/akun/sandi", url.Values{"current": {owner}, "new": {changed}, "again": {changed}}); r.status != http.StatusOK {
		t.Fatalf("change the password: %s", r)
	}
	if got := set(unused, intruder); got.status != http.StatusNotFound {
		t.Errorf("a link issued before the password change set it: %s, want 404", got)
	}
	ts.login(t, email, changed)
	if cookie, r := ts.passwordStep(t, email, intruder); cookie != "" {
		t.Errorf("the password of a spent link logs in: %s", r)
	}
}

// TestResetLinkWorksWhileLoggedIn opens a reset link in a browser that is
// logged in (an admin trying the link, or a shared office computer) and
// submits the form as the page renders it.
func TestResetLinkWorksWhileLoggedIn(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.sessionAdmin(t, "admin@tiru.go.id")
	id := ts.addUser(t, "staf@banjarkab.go.id", "Staf Banjar", kb.RoleStaf, banjarAgency, banjarRegion)
	r := ts.postAs(t, admin, "/admin/pengguna/"+strconv.FormatInt(id, 10)+"/reset", nil)
	m := regexp.MustCompile(`/sandi-baru/[^<]+`).FindString(r.body)
	if m == "" {
		t.Fatalf("no link: %s", r)
	}
	page := ts.getAs(t, admin, m)
	form := formFields(t, page.body, "")
	const next = "jembatan barito di waktu senja"
	form.Set("new", next)
	form.Set("again", next)
	got := ts.send(t, http.MethodPost, m, form.Encode(), "Cookie", admin.cookie, "Content-Type", "application/x-www-form-urlencoded")
	if got.status != http.StatusSeeOther {
		t.Fatalf("reset from a logged-in browser: %s", got)
	}
}

func TestAdminWithoutSecondFactor(t *testing.T) {
	ts := newTestServer(t)
	const email = "admin-baru@tiru.go.id"
	id := ts.addUser(t, email, "Admin Baru", kb.RoleAdmin, "", "")
	cookie, r := ts.passwordStep(t, email, testPassword)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/akun/2fa" {
		t.Fatalf("login of an admin without a second factor: %s, want a redirect to /akun/2fa", r)
	}
	c := &client{label: "admin tanpa 2FA", email: email, cookie: cookie, id: id}
	ts.readCSRF(t, c)
	for _, p := range []string{"/admin/pengguna", "/admin/audit"} {
		if r := ts.getAs(t, c, p); r.status != http.StatusSeeOther || r.header.Get("Location") != "/akun/2fa" {
			t.Errorf("GET %s: %s, want a redirect to /akun/2fa", p, r)
		}
	}
	r = ts.postAs(t, c, "/admin/pengguna", url.Values{"email": {"x@tiru.go.id"}, "name": {"X"}, "role": {"admin"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/akun/2fa" {
		t.Errorf("POST /admin/pengguna: %s, want a redirect to /akun/2fa", r)
	}
	if _, err := ts.db.UserByEmail(context.Background(), "x@tiru.go.id"); err == nil {
		t.Error("an admin without a second factor created an account")
	}
	if r := ts.postAs(t, c, "/akun/token", url.Values{"name": {"skrip"}}); r.status != http.StatusForbidden {
		t.Errorf("token for an admin without a second factor: %s, want 403", r)
	}
	// A token made some other way (the CLI) gives only a user's rights.
	token := "tiru_dibuat-lewat-cli-untuk-admin-0123456789"
	if _, err := ts.db.CreateToken(context.Background(), sqlite.Who{Name: "cli"}, id, "cli", auth.HashSecret(token), token[:10]); err != nil {
		t.Fatal(err)
	}
	bearer := &client{label: "admin token", token: token}
	if r := ts.apiAs(t, bearer, viaToken, http.MethodPut, "/api/v1/innovations/aplikasi-pengaduan-warga-surakarta/adoptions/33.72", `{"status":"dikaji"}`); r.status != http.StatusForbidden {
		t.Errorf("admin-only API write: %s, want 403", r)
	}
	if r := ts.apiAs(t, bearer, viaToken, http.MethodGet, "/metrics", ""); r.status == http.StatusOK {
		t.Errorf("/metrics: %s, want a refusal", r)
	}

	// Setting up the second factor gives the role its rights.
	page := ts.revealTOTP(t, c, testPassword)
	m := secretCodeRe.FindStringSubmatch(page.body)
	if r := ts.postAs(t, c, "/akun/2fa", url.Values{"code": {"000000"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, m[1]) {
		t.Errorf("wrong code: %s, want 422 with the key", r)
	}
	code, err := auth.TOTPCode(m[1], time.Now())
	if err != nil {
		t.Fatal(err)
	}
	form := formFields(t, page.body, "/akun/2fa")
	form.Set("code", code)
	if r := ts.postAs(t, c, "/akun/2fa", form); r.status != http.StatusSeeOther || r.header.Get("Location") != "/akun" {
		t.Fatalf("enable the second factor: %s", r)
	}
	if r := ts.getAs(t, c, "/admin/pengguna"); r.status != http.StatusOK {
		t.Errorf("/admin/pengguna after setting up the second factor: %s", r)
	}
	if r := ts.apiAs(t, bearer, viaToken, http.MethodGet, "/metrics", ""); r.status != http.StatusOK {
		t.Errorf("/metrics with the token after setting up the second factor: %s", r)
	}
}

// TestAdminLogsInThroughTheRealForms logs an admin with a second factor in
// by submitting the two login forms exactly as the pages render them.
func TestAdminLogsInThroughTheRealForms(t *testing.T) {
	ts := newTestServer(t)
	const email = "admin@tiru.go.id"
	id := ts.addUser(t, email, "Admin", kb.RoleAdmin, "", "")
	secret, _, _ := auth.NewTOTP(email)
	if err := ts.db.SetTOTP(context.Background(), sqlite.Who{Name: "test"}, id, secret, true); err != nil {
		t.Fatal(err)
	}
	login := ts.send(t, http.MethodGet, "/masuk?kembali=/admin/pengguna", "")
	form := formFields(t, login.body, "/masuk")
	form.Set("email", email)
	form.Set("password", testPassword)
	r := ts.send(t, http.MethodPost, "/masuk", form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	v, _ := sessionCookieOf(r.header)
	if r.status != http.StatusSeeOther || v == "" {
		t.Fatalf("password: %s", r)
	}
	c := &client{email: email, cookie: sessionCookie + "=" + v}
	page := ts.getAs(t, c, r.header.Get("Location"))
	form = formFields(t, page.body, "/masuk/kode")
	code, _ := auth.TOTPCode(secret, time.Now())
	form.Set("code", code)
	r = ts.send(t, http.MethodPost, "/masuk/kode", form.Encode(), "Cookie", c.cookie, "Content-Type", "application/x-www-form-urlencoded")
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/pengguna" {
		t.Fatalf("code: %s, want a redirect to /admin/pengguna", r)
	}
	if r := ts.getAs(t, c, "/admin/pengguna"); r.status != http.StatusOK {
		t.Errorf("/admin/pengguna: %s", r)
	}
}

func TestSecondFactorIsRequired(t *testing.T) {
	ts := newTestServer(t)
	const email = "admin@tiru.go.id"
	id := ts.addUser(t, email, "Admin", kb.RoleAdmin, "", "")
	secret, _, _ := auth.NewTOTP(email)
	if err := ts.db.SetTOTP(context.Background(), sqlite.Who{Name: "test"}, id, secret, true); err != nil {
		t.Fatal(err)
	}
	cookie, r := ts.passwordStep(t, email, testPassword)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/masuk?kembali=/" {
		t.Fatalf("password: %s", r)
	}
	c := &client{email: email, cookie: cookie}
	// Half logged in is not logged in.
	for _, p := range []string{"/akun", "/admin/pengguna"} {
		if r := ts.getAs(t, c, p); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/masuk") {
			t.Errorf("%s before the code: %s", p, r)
		}
	}
	if r := ts.apiAs(t, c, viaSession, http.MethodPost, "/api/v1/innovations", innovationJSON("setengah-masuk", "X", banjarRegion, banjarAgency, "")); r.status != http.StatusForbidden && r.status != http.StatusUnauthorized {
		t.Errorf("API write before the code: %s", r)
	}
	// A wrong code is refused (the form token is sent as the server wants
	// one; see TestAdminLogsInThroughTheRealForms).
	r = ts.postAs(t, c, "/masuk/kode", url.Values{"code": {"000000"}, "csrf": {csrfToken(c.secret())}})
	if r.status != http.StatusUnauthorized || !strings.Contains(r.body, `action="/masuk/kode"`) {
		t.Errorf("wrong code: %s, want 401 with the code form again", r)
	}
	if ts.loggedIn(t, c) {
		t.Error("logged in after a wrong code")
	}
	// A right code logs in once; the same code in another session (seen
	// over a shoulder, in the same half minute) is refused.
	code, _ := auth.TOTPCode(secret, time.Now())
	if r := ts.postAs(t, c, "/masuk/kode", url.Values{"code": {code}, "csrf": {csrfToken(c.secret())}}); r.status != http.StatusSeeOther || !ts.loggedIn(t, c) {
		t.Fatalf("right code: %s", r)
	}
	cookie2, _ := ts.passwordStep(t, email, testPassword)
	c2 := &client{email: email, cookie: cookie2}
	r = ts.postAs(t, c2, "/masuk/kode", url.Values{"code": {code}, "csrf": {csrfToken(c2.secret())}})
	if r.status != http.StatusUnauthorized || !strings.Contains(r.body, "sudah dipakai") || ts.loggedIn(t, c2) {
		t.Errorf("the same code again: %s, want 401 saying it was used", r)
	}
}

// isLocal reports whether a Location stays on this site as a browser reads
// it: WHATWG URL parsing first drops tabs and newlines, then treats "//" and
// "/\" as the start of another host.
func isLocal(loc string) bool {
	loc = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(loc)
	loc = strings.TrimLeft(loc, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
	return strings.HasPrefix(loc, "/") && !strings.HasPrefix(loc, "//") && !strings.HasPrefix(loc, "/\\")
}

func TestReturnAddressStaysLocal(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"//evil.example", "/"},
		{"https://evil.example", "/"},
		{"http://evil.example/masuk", "/"},
		{"/\\evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"evil.example", "/"},
		{"", "/"},
		{"/ok\r\nSet-Cookie: x=1", "/"},
		{"/inovasi?province=33", "/inovasi?province=33"},
		{"/akun", "/akun"},
	} {
		if got := safeBack(tc.in); got != tc.want {
			t.Errorf("safeBack(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}

	ts := newTestServer(t)
	ts.addUser(t, "staf@banjarkab.go.id", "Staf Banjar", kb.RoleStaf, banjarAgency, banjarRegion)
	for _, back := range []string{"//evil.example", "https://evil.example", "/akun"} {
		t.Run(back, func(t *testing.T) {
			page := ts.send(t, http.MethodGet, "/masuk?kembali="+url.QueryEscape(back), "")
			form := formFields(t, page.body, "/masuk")
			if !isLocal(form.Get("kembali")) {
				t.Errorf("login form carries kembali=%q", form.Get("kembali"))
			}
			form.Set("kembali", back) // as an attacker's own form would
			form.Set("email", "staf@banjarkab.go.id")
			form.Set("password", testPassword)
			r := ts.send(t, http.MethodPost, "/masuk", form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
			loc := r.header.Get("Location")
			if r.status != http.StatusSeeOther || !isLocal(loc) {
				t.Errorf("login with kembali=%q sent to %q", back, loc)
			}
			if back == "/akun" && loc != "/akun" {
				t.Errorf("a local return address was dropped: %q", loc)
			}
		})
	}
	// Pages that need a login send back to themselves, locally.
	r := ts.send(t, http.MethodGet, "/akun/sandi", "")
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/masuk?kembali=/akun/sandi" {
		t.Errorf("/akun/sandi anonymous: %s", r)
	}
}

// TestReturnAddressWithControlCharactersStaysLocal: browsers drop tabs and
// newlines from a URL before parsing it, so "/\t/evil.example" is read as
// "//evil.example", another host. (Found while writing these tests: safeBack
// let a tab through; fixed in dbc9d6e.)
func TestReturnAddressWithControlCharactersStaysLocal(t *testing.T) {
	for _, back := range []string{"/\t/evil.example", "/\t\\evil.example", "/\x0b/evil.example"} {
		if got := safeBack(back); !isLocal(got) || strings.ContainsAny(got, "\t\x0b") {
			t.Errorf("safeBack(%q) = %q", back, got)
		}
	}
	ts := newTestServer(t)
	ts.addUser(t, "staf@banjarkab.go.id", "Staf Banjar", kb.RoleStaf, banjarAgency, banjarRegion)
	form := url.Values{"email": {"staf@banjarkab.go.id"}, "password": {testPassword}, "kembali": {"/\t/evil.example"}}
	r := ts.send(t, http.MethodPost, "/masuk", form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	if loc := r.header.Get("Location"); r.status != http.StatusSeeOther || !isLocal(loc) {
		t.Errorf("login with kembali=\"/\\t/evil.example\" sent to %q", loc)
	}
}

// A database that fails for a moment answers 500 and keeps the session: it
// used to read as "no such session", clear the cookie and log the user
// out; an API token likewise got "bad token".
func TestDatabaseFailureKeepsTheSession(t *testing.T) {
	ts := newTestServer(t)
	c := ts.banjarOrganiser(t)
	raw, err := sql.Open("sqlite3", ts.db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`ALTER TABLE sessions RENAME TO sessions_away`); err != nil {
		t.Fatal(err)
	}
	r := ts.getAs(t, c, "/akun")
	if r.status != http.StatusInternalServerError {
		t.Errorf("/akun while sessions cannot be read: %d, want 500", r.status)
	}
	if _, cleared := sessionCookieOf(r.header); cleared {
		t.Errorf("/akun while sessions cannot be read cleared the session cookie")
	}
	if _, err := raw.Exec(`ALTER TABLE sessions_away RENAME TO sessions`); err != nil {
		t.Fatal(err)
	}
	if r := ts.getAs(t, c, "/akun"); r.status != http.StatusOK {
		t.Errorf("/akun once the database answers again: %d, want 200 (still logged in)", r.status)
	}
}

// An admin turns off the account of someone who left: their session ends
// at once, their password no longer logs in, and turning the account on
// again lets them back. An admin cannot turn off their own account.
func TestAdminTurnsOffAnAccount(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.sessionAdmin(t, "admin@tiru.go.id")
	const email = "pindah@banjarkab.go.id"
	id := ts.addUser(t, email, "Pegawai Pindah", kb.RoleStaf, banjarAgency, banjarRegion)
	c := ts.login(t, email, testPassword)
	base := "/admin/pengguna/" + strconv.FormatInt(id, 10)
	if r := ts.postAs(t, admin, base+"/nonaktifkan", nil); r.status != http.StatusSeeOther {
		t.Fatalf("turn off: %s", r)
	}
	if ts.loggedIn(t, c) {
		t.Error("the turned-off account's session still works")
	}
	if cookie, r := ts.passwordStep(t, email, testPassword); cookie != "" {
		t.Errorf("the turned-off account logs in: %s", r)
	} else if r.status != http.StatusForbidden || !strings.Contains(r.body, "Akun ini dinonaktifkan") {
		t.Errorf("the right password of a turned-off account: %d, want 403 saying the account is off", r.status)
	}
	// A wrong password learns nothing of the account's state.
	if _, r := ts.passwordStep(t, email, "bukan sandinya sama sekali"); strings.Contains(r.body, "dinonaktifkan") {
		t.Error("a wrong password is told the account is turned off")
	}
	if r := ts.getAs(t, admin, "/admin/pengguna"); !strings.Contains(r.body, "nonaktif") || !strings.Contains(r.body, base+"/aktifkan") {
		t.Error("the users page does not show the account as turned off, with a way to turn it on")
	}
	if r := ts.postAs(t, admin, base+"/aktifkan", nil); r.status != http.StatusSeeOther {
		t.Fatalf("turn on: %s", r)
	}
	ts.login(t, email, testPassword)
	if r := ts.postAs(t, admin, "/admin/pengguna/"+strconv.FormatInt(admin.id, 10)+"/nonaktifkan", nil); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "akun Anda sendiri") {
		t.Errorf("an admin turns off their own account: %s", r)
	}
	if rows := ts.auditRows(t, admin); !slices.ContainsFunc(rows, func(row []string) bool { return len(row) > 2 && strings.Contains(row[2], "user.disable") }) {
		t.Error("the audit log does not record the account turned off")
	}
}

// The new-account form names every problem at once, each on its field.
func TestNewAccountFormNamesEveryProblem(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.sessionAdmin(t, "admin@tiru.go.id")
	r := ts.postAs(t, admin, "/admin/pengguna", url.Values{"email": {"bukan-email"}, "name": {""}, "role": {"staf"}, "region": {"Banjar"}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad form: %s", r)
	}
	for _, want := range []string{`href="#u-email"`, `href="#u-name"`, `href="#u-region"`, "Kota Banjar", `href="#u-agency"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the refused form lacks %q", want)
		}
	}
}

// The new-account form refuses what is not one email address, and names
// with control or writing-direction characters, on their fields and in
// the reader's language, keeping what was typed; no account is made.
func TestNewAccountRefusesBadEmailsAndNames(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.sessionAdmin(t, "admin@tiru.go.id")
	const badEmail, control, direction = "alamat email tidak sah|not a valid email address", "karakter kendali|control characters", "arah tulisan|writing-direction"
	tests := []struct {
		email, name, agency, field, says string
	}{
		{"@", "Pegawai Baru", banjarAgency, "email", badEmail},
		{"a b@c", "Pegawai Baru", banjarAgency, "email", badEmail},
		{`"><script>@x.go.id`, "Pegawai Baru", banjarAgency, "email", badEmail},
		{"Ani <ani@banjarkab.go.id>", "Pegawai Baru", banjarAgency, "email", badEmail},
		{"baru@banjarkab.go.id", "a\x07b\x1b[31m", banjarAgency, "name", control},
		{"baru@banjarkab.go.id", "Admin \u202eurip", banjarAgency, "name", direction},
		{"baru@banjarkab.go.id", "Pegawai Baru", "DKISP \u2066Kabupaten Banjar\u2069", "agency", direction},
	}
	for _, tt := range tests {
		form := url.Values{"email": {tt.email}, "name": {tt.name}, "role": {"staf"}, "agency": {tt.agency}, "region": {"63.03"}}
		says := strings.Split(tt.says, "|")
		for i, path := range []string{"/admin/pengguna?lang=id", "/admin/pengguna?lang=en"} {
			r := ts.postAs(t, admin, path, form)
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#u-`+tt.field+`"`) || !strings.Contains(r.body, says[i]) {
				t.Errorf("%q, %q, %q: %s, want 422 naming %s with %q", tt.email, tt.name, tt.agency, r, tt.field, says[i])
				continue
			}
			kept := formFields(t, r.body, "/admin/pengguna")
			for _, k := range []string{"email", "name", "agency"} {
				if kept.Get(k) != form.Get(k) {
					t.Errorf("the refused form shows %s %q, want %q as typed", k, kept.Get(k), form.Get(k))
				}
			}
		}
		if users, err := ts.db.ListUsers(context.Background()); err != nil || len(users) != 1 {
			t.Fatalf("after a refused account there are %d accounts (%v), want the admin only", len(users), err)
		}
	}
}

// A mistyped agency is not silently made a new one: the form names the
// agencies the region has, and a new agency is made only when ticked.
func TestNewAccountAgencyMustExistOrBeAskedFor(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.sessionAdmin(t, "admin@tiru.go.id")
	form := url.Values{"email": {"baru@banjarkab.go.id"}, "name": {"Pegawai Baru"}, "role": {"penyelenggara"}, "agency": {"DKISP Kab Banjar"}, "region": {"63.03"}}
	r := ts.postAs(t, admin, "/admin/pengguna", form)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "belum ada di Kabupaten Banjar") || !strings.Contains(r.body, banjarAgency) {
		t.Errorf("a mistyped agency: %d, want 422 naming the region's agencies", r.status)
	}
	if u, err := ts.db.UserByEmail(context.Background(), "baru@banjarkab.go.id"); err == nil {
		t.Errorf("the account was made with agency %q", u.Agency)
	}
	form.Set("agency_new", "1")
	if r := ts.postAs(t, admin, "/admin/pengguna", form); r.status != http.StatusCreated {
		t.Errorf("a new agency asked for: %s", r)
	}
	if _, err := ts.db.UserByEmail(context.Background(), "baru@banjarkab.go.id"); err != nil {
		t.Errorf("the account with a new agency asked for was not made: %v", err)
	}
}

// An admin changes an account's role: a staff member made an organiser may
// write up visits with their next request, and the audit log says so. An
// admin cannot change their own role.
func TestAdminChangesARole(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.sessionAdmin(t, "admin@tiru.go.id")
	const email = "naik@banjarkab.go.id"
	id := ts.addUser(t, email, "Pegawai Naik", kb.RoleStaf, banjarAgency, banjarRegion)
	c := ts.login(t, email, testPassword)
	if r := ts.getAs(t, c, "/kunjungan/baru"); r.status != http.StatusForbidden {
		t.Fatalf("staff opens the visit form: %s", r)
	}
	base := "/admin/pengguna/" + strconv.FormatInt(id, 10) + "/peran"
	if r := ts.postAs(t, admin, base, url.Values{"role": {kb.RolePenyelenggara}, "agency": {banjarAgency}, "region": {"Banjar"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Kota Banjar") {
		t.Errorf("an ambiguous region: %s", r)
	}
	if r := ts.postAs(t, admin, base, url.Values{"role": {kb.RolePenyelenggara}, "agency": {banjarAgency}, "region": {banjarRegion}}); r.status != http.StatusSeeOther {
		t.Fatalf("change the role: %s", r)
	}
	if r := ts.getAs(t, c, "/kunjungan/baru"); r.status != http.StatusOK {
		t.Errorf("the new organiser opens the visit form: %s", r)
	}
	if r := ts.postAs(t, admin, "/admin/pengguna/"+strconv.FormatInt(admin.id, 10)+"/peran", url.Values{"role": {kb.RoleStaf}, "agency": {banjarAgency}, "region": {banjarRegion}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("an admin changes their own role: %s", r)
	}
	if rows := ts.auditRows(t, admin); !slices.ContainsFunc(rows, func(row []string) bool { return len(row) > 2 && strings.Contains(row[2], "user.role") }) {
		t.Error("the audit log does not record the role changed")
	}
}

// The pages behind a login are valid HTML too: the account pages, and the
// administration pages with an account turned off, a form refused and a
// reset link shown.
func TestAccountAndAdminPagesAreValidHTML(t *testing.T) {
	jar := vnuJar(t)
	ts := newTestServer(t)
	admin := ts.sessionAdmin(t, "admin@tiru.go.id")
	id := ts.addUser(t, "staf@banjarkab.go.id", "Staf Banjar", kb.RoleStaf, banjarAgency, banjarRegion)
	staf := ts.login(t, "staf@banjarkab.go.id", testPassword)
	if r := ts.postAs(t, staf, "/tandai", url.Values{"kind": {"innovation"}, "slug": {"aplikasi-pengaduan-warga-surakarta"}}); r.status != http.StatusSeeOther {
		t.Fatalf("bookmark: %s", r)
	}
	off := ts.addUser(t, "pindah@banjarkab.go.id", "Pegawai Pindah", kb.RoleStaf, banjarAgency, banjarRegion)
	if r := ts.postAs(t, admin, "/admin/pengguna/"+strconv.FormatInt(off, 10)+"/nonaktifkan", nil); r.status != http.StatusSeeOther {
		t.Fatalf("turn off: %s", r)
	}
	pages := map[string]string{
		"users.html":       ts.getAs(t, admin, "/admin/pengguna").body,
		"users-en.html":    ts.getAs(t, admin, "/admin/pengguna?lang=en").body,
		"users-bad.html":   ts.postAs(t, admin, "/admin/pengguna", url.Values{"email": {"x"}, "role": {"staf"}, "region": {"Banjar"}}).body,
		"users-link.html":  ts.postAs(t, admin, "/admin/pengguna/"+strconv.FormatInt(id, 10)+"/reset", nil).body,
		"audit.html":       ts.getAs(t, admin, "/admin/audit").body,
		"account.html":     ts.getAs(t, staf, "/akun").body,
		"password.html":    ts.getAs(t, staf, "/akun/sandi").body,
		"totp.html":        ts.getAs(t, staf, "/akun/2fa").body,
		"totp-wrong.html":  ts.postAs(t, staf, "/akun/2fa", url.Values{"current": {"bukan sandinya"}}).body,
		"board.html":       ts.getAs(t, staf, "/replikasi").body,
		"search-user.html": ts.getAs(t, staf, "/cari?q=pengaduan").body,
	}
	// A leader's innovation page: the adoption form, a refused step, the
	// history, and the note for the region that made it.
	ts.addUser(t, "pimpinan@banjarkab.go.id", "Pimpinan Banjar", kb.RolePimpinan, banjarAgency, banjarRegion)
	lead := ts.login(t, "pimpinan@banjarkab.go.id", testPassword)
	const inno = "/inovasi/aplikasi-pengaduan-warga-surakarta"
	if r := ts.postAs(t, lead, inno+"/replikasi", url.Values{"status": {"dikaji"}, "date": {"2025-01-15"}}); r.status != http.StatusSeeOther {
		t.Fatalf("adoption step: %s", r)
	}
	pages["innovation-lead.html"] = ts.getAs(t, lead, inno).body
	pages["innovation-refused.html"] = ts.postAs(t, lead, inno+"/replikasi", url.Values{"status": {"bogus"}, "note": {"x"}}).body
	pages["innovation-own.html"] = ts.getAs(t, lead, "/inovasi/wifi-gratis-desa-banjar").body
	// The second-factor page once the password is typed: the key and the
	// field for its code, and a wrong code.
	pages["totp-key.html"] = ts.revealTOTP(t, staf, testPassword).body
	pages["totp-bad-code.html"] = ts.postAs(t, staf, "/akun/2fa", url.Values{"code": {"000000"}}).body
	checkHTML(t, jar, pages)
}

// A bookmark of a record that was deleted, or that its reader may no
// longer read, shows no title and can still be removed.
func TestBookmarkOfAGoneRecord(t *testing.T) {
	ts := newTestServer(t)
	ts.importJSONL(t, innovationJSON("sementara-banjar", "Judul Yang Akan Hilang", banjarRegion, banjarAgency, "")+"\n")
	admin := ts.sessionAdmin(t, "admin@tiru.go.id")
	ts.addUser(t, "staf@banjarkab.go.id", "Staf Banjar", kb.RoleStaf, banjarAgency, banjarRegion)
	staf := ts.login(t, "staf@banjarkab.go.id", testPassword)
	mark := url.Values{"kind": {"innovation"}, "slug": {"sementara-banjar"}}
	if r := ts.postAs(t, staf, "/tandai", mark); r.status != http.StatusSeeOther {
		t.Fatalf("bookmark: %s", r)
	}
	if r := ts.apiAs(t, admin, viaSession, http.MethodDelete, "/api/v1/innovations/sementara-banjar", ""); r.status != http.StatusNoContent {
		t.Fatalf("delete: %s", r)
	}
	page := ts.getAs(t, staf, "/akun").body
	if strings.Contains(page, "Judul Yang Akan Hilang") || !strings.Contains(page, "tidak tersedia lagi") {
		t.Error("the account page shows a deleted record's title, or does not say it is gone")
	}
	mark.Set("action", "remove")
	mark.Set("from", "akun")
	if r := ts.postAs(t, staf, "/tandai", mark); r.status != http.StatusSeeOther || r.header.Get("Location") != "/akun" {
		t.Fatalf("remove the gone bookmark: %s", r)
	}
	if page := ts.getAs(t, staf, "/akun").body; strings.Contains(page, "tidak tersedia lagi") {
		t.Error("the removed bookmark is still listed")
	}
}

// Guesses at the current password on the change form are throttled like
// logins: a session left open is no way to find the password out.
func TestPasswordChangeGuessesAreThrottled(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "staf@banjarkab.go.id", "Staf Banjar", kb.RoleStaf, banjarAgency, banjarRegion)
	c := ts.login(t, "staf@banjarkab.go.id", testPassword)
	// Logins for made-up accounts, which anyone can send, have filled the
	// login throttle with locked-out keys: guesses inside an account must
	// still be counted.
	for i := range 100000 {
		for range 5 {
			ts.srv.loginThrottle.Fail(fmt.Sprintf("user:palsu%d@example.com", i))
		}
	}
	guess := url.Values{"current": {"bukan sandinya"}, "new": {"kopi tubruk di pasar terapung"}, "again": {"kopi tubruk di pasar terapung"}}
	for i := range 5 {
		if r := ts.postAs(t, c, "/akun/sandi", guess); r.status != http.StatusUnprocessableEntity {
			t.Fatalf("guess %d: %s", i+1, r)
		}
	}
	right := url.Values{"current": {testPassword}, "new": {"kopi tubruk di pasar terapung"}, "again": {"kopi tubruk di pasar terapung"}}
	if r := ts.postAs(t, c, "/akun/sandi", right); r.status != http.StatusTooManyRequests {
		t.Errorf("after five wrong guesses: %s, want 429 even for the right password", r)
	}
}

// Guesses sent together count as they start, not as they fail: a password
// check takes long enough for a burst of guesses to pass the throttle's
// check before the first of them was counted, at login and at the current
// password alike.
func TestGuessesSentTogetherAreThrottled(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "staf@banjarkab.go.id", "Staf Banjar", kb.RoleStaf, banjarAgency, banjarRegion)
	ts.addUser(t, "rekan@banjarkab.go.id", "Rekan", kb.RoleStaf, banjarAgency, banjarRegion)
	c := ts.login(t, "staf@banjarkab.go.id", testPassword)
	const burst = 8
	together := func(name string, guess func() int, wrong int) {
		t.Helper()
		statuses := make([]int, burst)
		var wg sync.WaitGroup
		for i := range burst {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses[i] = guess()
			}()
		}
		wg.Wait()
		checked := 0
		for _, s := range statuses {
			switch s {
			case wrong:
				checked++
			case http.StatusTooManyRequests:
			default:
				t.Errorf("%s: a guess answered %d", name, s)
			}
		}
		if checked > 5 {
			t.Errorf("%s: %d of %d guesses sent together were checked, want at most 5", name, checked, burst)
		}
	}
	together("current password", func() int {
		form := url.Values{"csrf": {c.csrf}, "current": {"bukan sandinya"}, "new": {"kopi tubruk di pasar terapung"}, "again": {"kopi tubruk di pasar terapung"}}
		return ts.postAs(t, c, "/akun/sandi", form).status
	}, http.StatusUnprocessableEntity)
	together("login", func() int {
		_, r := ts.passwordStep(t, "rekan@banjarkab.go.id", "tebakan yang salah")
		return r.status
	}, http.StatusUnauthorized)
}

// revealTOTP sends the second-factor page's password form as the page
// renders it, and returns the page it leads to, which shows the key.
func (ts *testServer) revealTOTP(t *testing.T, c *client, password string) response {
	t.Helper()
	page := ts.getAs(t, c, "/akun/2fa")
	form := formFields(t, page.body, "/akun/2fa")
	if !form.Has("current") {
		t.Fatalf("/akun/2fa asks for no password: %s", page)
	}
	form.Set("current", password)
	if r := ts.postAs(t, c, "/akun/2fa", form); r.status != http.StatusSeeOther || r.header.Get("Location") != "/akun/2fa" {
		t.Fatalf("the password to see the key: %s, want a redirect to /akun/2fa", r)
	}
	page = ts.getAs(t, c, "/akun/2fa")
	if page.status != http.StatusOK || secretCodeRe.FindStringSubmatch(page.body) == nil || page.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("/akun/2fa after the password: %s, want the key, not to be cached", page)
	}
	return page
}

// TestSecondFactorNeedsThePassword shows the second-factor key, and turns
// it on, only after the account's current password: someone at a browser
// left signed in must not read the key (to add it to their own app and
// read codes later) nor bind their own authenticator to the account.
// Guesses at the password there count with those on the password page.
func TestSecondFactorNeedsThePassword(t *testing.T) {
	ts := newTestServer(t)
	const email = "staf@banjarkab.go.id"
	id := ts.addUser(t, email, "Staf Banjar", kb.RoleStaf, banjarAgency, banjarRegion)
	// A session of the account (the browser left signed in) is the
	// intruder's; the owner starts the setup in another.
	c := ts.sessionFor(t, id, email)
	if page := ts.getAs(t, c, "/akun/2fa"); page.status != http.StatusOK || secretCodeRe.MatchString(page.body) {
		t.Fatalf("/akun/2fa before the password shows a key: %s", page)
	}
	owner := ts.sessionFor(t, id, email)
	key := secretCodeRe.FindStringSubmatch(ts.revealTOTP(t, owner, testPassword).body)[1]
	page := ts.getAs(t, c, "/akun/2fa")
	if page.status != http.StatusOK || strings.Contains(page.body, key) || secretCodeRe.MatchString(page.body) {
		t.Fatalf("/akun/2fa of another session shows the key the owner set up: %s", page)
	}
	form := formFields(t, page.body, "/akun/2fa")
	if _, ok := form["current"]; !ok || !strings.Contains(page.body, `<label for="current">Kata sandi sekarang</label>`) || form.Has("code") {
		t.Fatalf("the page does not ask for the current password alone: %s", page)
	}
	if en := ts.getAs(t, c, "/akun/2fa?lang=en"); !strings.Contains(en.body, "Type your current password to see the key") || !strings.Contains(en.body, "Show the key") {
		t.Errorf("the English page: %s", en)
	}
	enabled := func() bool {
		t.Helper()
		u, err := ts.db.UserByID(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		return u.TOTPEnabled
	}
	code := func() string {
		t.Helper()
		code, err := auth.TOTPCode(key, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return code
	}
	// A code without the password, even the right one (read over the
	// owner's shoulder), turns nothing on and shows no key.
	if r := ts.postAs(t, c, "/akun/2fa", url.Values{"code": {code()}}); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, "Ketik kata sandi Anda lagi") || strings.Contains(r.body, key) {
		t.Errorf("a code without the password: %s, want 422 asking for the password, without the key", r)
	}
	send := func(current string, query ...string) response {
		t.Helper()
		form.Set("current", current)
		return ts.postAs(t, c, "/akun/2fa"+strings.Join(query, ""), form)
	}
	if r := send(""); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Isi Kata sandi sekarang.") {
		t.Errorf("no password: %s, want 422 naming the field", r)
	}
	if r := send("", "?lang=en"); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Fill in Current password.") {
		t.Errorf("no password, in English: %s, want 422 naming the field", r)
	}
	if r := send("bukan sandinya"); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Kata sandi sekarang salah.") || strings.Contains(r.body, key) {
		t.Errorf("wrong password: %s, want 422 without the key", r)
	}
	// With the code as well, as the form once sent both.
	form.Set("code", code())
	if r := send("bukan sandinya"); r.status != http.StatusUnprocessableEntity || strings.Contains(r.body, key) {
		t.Errorf("wrong password with the right code: %s, want 422 without the key", r)
	}
	form.Del("code")
	if r := ts.getAs(t, c, "/akun/2fa"); strings.Contains(r.body, key) {
		t.Error("wrong passwords showed the key")
	}
	if enabled() {
		t.Fatal("two-step verification turned on without the password")
	}
	// Two more wrong guesses, one of them on the password page: the
	// right password is then refused too, for a while.
	for i := range 2 {
		if r := send("bukan sandinya"); r.status != http.StatusUnprocessableEntity {
			t.Fatalf("guess %d: %s", i+3, r)
		}
	}
	if r := ts.postAs(t, c, "/akun/sandi", url.Values{"current": {"bukan sandinya"}, "new": {"kopi tubruk di pasar terapung"}, "again": {"kopi tubruk di pasar terapung"}}); r.status != http.StatusUnprocessableEntity {
		t.Fatalf("guess on the password page: %s", r)
	}
	if r := send(testPassword); r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" || strings.Contains(r.body, key) {
		t.Errorf("after five wrong guesses: %s, want 429 even for the right password, without the key", r)
	}
	if r := ts.getAs(t, c, "/akun/2fa"); strings.Contains(r.body, key) {
		t.Error("the right password past the throttle showed the key")
	}
	if enabled() {
		t.Fatal("two-step verification turned on past the throttle")
	}

	// The owner, who typed the password, confirms the key with a code.
	page = ts.getAs(t, owner, "/akun/2fa")
	if m := secretCodeRe.FindStringSubmatch(page.body); m == nil || m[1] != key {
		t.Fatalf("the owner's page after the password: %s", page)
	}
	form = formFields(t, page.body, "/akun/2fa")
	if form.Has("current") || !form.Has("code") {
		t.Fatalf("the key's form asks for the password again, or not for the code: %v", form)
	}
	form.Set("code", code())
	if r := ts.postAs(t, owner, "/akun/2fa", form); r.status != http.StatusSeeOther || r.header.Get("Location") != "/akun" {
		t.Fatalf("the right code after the password: %s", r)
	}
	if !enabled() {
		t.Error("two-step verification is not on")
	}
}

// The password shows the key for a while (totpRevealTTL), and again after
// it only with the password; a cancelled setup's new key needs it too.
func TestSecondFactorKeyIsShownForAWhile(t *testing.T) {
	ts := newTestServer(t)
	const email = "staf@banjarkab.go.id"
	id := ts.addUser(t, email, "Staf Banjar", kb.RoleStaf, banjarAgency, banjarRegion)
	c := ts.sessionFor(t, id, email)
	var mu sync.Mutex
	now := time.Now()
	ts.srv.stash.mu.Lock()
	ts.srv.stash.now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	ts.srv.stash.mu.Unlock()
	later := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }

	key := secretCodeRe.FindStringSubmatch(ts.revealTOTP(t, c, testPassword).body)[1]
	later(totpRevealTTL - time.Minute)
	if r := ts.getAs(t, c, "/akun/2fa"); !strings.Contains(r.body, key) {
		t.Errorf("the key within %v of the password: %s", totpRevealTTL, r)
	}
	later(2 * time.Minute)
	page := ts.getAs(t, c, "/akun/2fa")
	if strings.Contains(page.body, key) || !formFields(t, page.body, "/akun/2fa").Has("current") {
		t.Fatalf("the key past %v of the password: %s, want the password asked", totpRevealTTL, page)
	}
	code, err := auth.TOTPCode(key, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if r := ts.postAs(t, c, "/akun/2fa", url.Values{"code": {code}}); r.status != http.StatusUnprocessableEntity || strings.Contains(r.body, key) {
		t.Errorf("a code past %v of the password: %s, want 422 asking for the password", totpRevealTTL, r)
	}
	// The password again: the same key, which the app has already.
	if again := secretCodeRe.FindStringSubmatch(ts.revealTOTP(t, c, testPassword).body)[1]; again != key {
		t.Errorf("the password again showed a new key: %s, then %s", key, again)
	}
	// Cancelled, the next key is shown only after the password.
	if r := ts.postAs(t, c, "/akun/2fa", url.Values{"batal": {"1"}}); r.status != http.StatusSeeOther {
		t.Fatalf("cancel: %s", r)
	}
	if r := ts.getAs(t, c, "/akun/2fa"); secretCodeRe.MatchString(r.body) {
		t.Errorf("after cancelling, a key was shown without the password: %s", r)
	}
	if next := secretCodeRe.FindStringSubmatch(ts.revealTOTP(t, c, testPassword).body)[1]; next == key {
		t.Error("after cancelling, the same key was offered again")
	}
}
