package web

// What a reader meets at the edges: a form posted after the session ended,
// reloading the second-factor page, a refused token name, a page past the
// end of a list, a spent reset link, and the admin pages' words.

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"tiru/internal/auth"
	"tiru/internal/kb"
	"tiru/internal/sqlite"
)

const seedInnovation = "aplikasi-pengaduan-warga-surakarta"

// kembaliOf returns the return address of a redirect to the login page.
func kembaliOf(t *testing.T, r response) string {
	t.Helper()
	loc := r.header.Get("Location")
	u, err := url.Parse(loc)
	if r.status != http.StatusSeeOther || err != nil || u.Path != "/masuk" {
		t.Fatalf("want a redirect to the login page, got %s", r)
	}
	return u.Query().Get("kembali")
}

func TestLoginAfterAnEndedSessionReturnsToAPage(t *testing.T) {
	ts := newTestServer(t)
	const email = "staf@banjarkab.go.id"
	id := ts.addUser(t, email, "Staf Banjar", kb.RoleStaf, banjarAgency, banjarRegion)
	form := "application/x-www-form-urlencoded"
	bookmark := url.Values{"kind": {"innovation"}, "slug": {seedInnovation}}.Encode()
	adoption := url.Values{"status": {"dikaji"}}.Encode()
	page := "/inovasi/" + seedInnovation
	// A session that has ended: the browser still sends its cookie.
	ended := ts.sessionFor(t, id, email)
	if err := ts.db.DeleteSession(context.Background(), auth.HashSecret(ended.secret())); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name, path, body string
		header           []string
		want             string
	}{
		{"bookmark from its page", "/tandai", bookmark, []string{"Referer", ts.URL + page + "?lang=en"}, page + "?lang=en"},
		{"bookmark without a Referer", "/tandai", bookmark, nil, page},
		{"bookmark with another site's Referer", "/tandai", bookmark, []string{"Referer", "https://evil.example" + page}, page},
		{"bookmark with a Referer that leaves the site", "/tandai", bookmark, []string{"Referer", ts.URL + "//evil.example/x"}, page},
		{"bookmark from a page that answers only POST", "/tandai", bookmark, []string{"Referer", ts.URL + "/akun/token"}, page},
		{"adoption without a Referer", page + "/replikasi", adoption, nil, page},
		{"adoption from a filtered list", page + "/replikasi", adoption, []string{"Referer", ts.URL + "/inovasi?province=33&stage=penerapan"}, "/inovasi?province=33&stage=penerapan"},
		{"revoke with an ended session", "/akun/token/1/cabut", "", []string{"Cookie", ended.cookie}, "/akun"},
		{"create a token with an ended session", "/akun/token", "name=x", []string{"Cookie", ended.cookie}, "/akun"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := ts.send(t, http.MethodPost, tc.path, tc.body, append(tc.header, "Content-Type", form)...)
			back := kembaliOf(t, r)
			if back != tc.want {
				t.Fatalf("return address %q, want %q (Location %q)", back, tc.want, r.header.Get("Location"))
			}
			// The login form carries it, and logging in lands on a page.
			login := ts.send(t, http.MethodGet, r.header.Get("Location"), "")
			f := formFields(t, login.body, "/masuk")
			if f.Get("kembali") != tc.want {
				t.Fatalf("login form carries kembali=%q", f.Get("kembali"))
			}
			f.Set("email", email)
			f.Set("password", testPassword)
			r = ts.send(t, http.MethodPost, "/masuk", f.Encode(), "Content-Type", form)
			v, _ := sessionCookieOf(r.header)
			if r.status != http.StatusSeeOther || r.header.Get("Location") != tc.want {
				t.Fatalf("login: %s, want a redirect to %s", r, tc.want)
			}
			c := &client{email: email, cookie: sessionCookie + "=" + v}
			if got := ts.getAs(t, c, tc.want); got.status != http.StatusOK {
				t.Errorf("GET %s after logging in: %s", tc.want, got)
			}
		})
	}

	t.Run("a page that needs a login still comes back to itself", func(t *testing.T) {
		r := ts.send(t, http.MethodGet, "/admin/audit?page=2&lang=en", "")
		if back := kembaliOf(t, r); back != "/admin/audit?page=2&lang=en" {
			t.Errorf("return address %q", back)
		}
	})
}

func TestSecondFactorSetupSurvivesAReload(t *testing.T) {
	ts := newTestServer(t)
	const email = "admin-baru@tiru.go.id"
	id := ts.addUser(t, email, "Admin Baru", kb.RoleAdmin, "", "")
	c := ts.sessionFor(t, id, email)
	keyOf := func(r response) string {
		t.Helper()
		m := secretCodeRe.FindStringSubmatch(r.body)
		if r.status != http.StatusOK || m == nil {
			t.Fatalf("/akun/2fa: %s", r)
		}
		return m[1]
	}
	first := keyOf(ts.revealTOTP(t, c, testPassword))
	// The reader scans the key, then reloads the page (or comes back to it).
	if again := keyOf(ts.getAs(t, c, "/akun/2fa")); again != first {
		t.Fatalf("reloading the page changed the key: %s, then %s", first, again)
	}
	// Nothing is written to the account before a code confirms the key.
	if u, _ := ts.db.UserByID(context.Background(), id); u.TOTPSecret != "" || u.TOTPEnabled {
		t.Errorf("an unconfirmed key is stored in the account: %q %v", u.TOTPSecret, u.TOTPEnabled)
	}
	// Logging in again (another session of the account) goes on with the
	// same key, once the password is typed there too: the app has it
	// already.
	other := ts.sessionFor(t, id, email)
	if theirs := keyOf(ts.revealTOTP(t, other, testPassword)); theirs != first {
		t.Errorf("a new login offered a new key: %s, then %s", first, theirs)
	}
	// A new password (here as tiru user reset sets it, from another
	// process) starts the setup again: a key seen with a stolen password
	// is not offered to the owner after the reset.
	h, err := auth.HashPassword("kopi tubruk di pasar terapung")
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.db.SetPassword(context.Background(), sqlite.Who{Name: "cli"}, id, h, ""); err != nil {
		t.Fatal(err)
	}
	c = ts.sessionFor(t, id, email) // the reset ended every session
	after := keyOf(ts.revealTOTP(t, c, "kopi tubruk di pasar terapung"))
	if after == first {
		t.Error("after a new password the same pending key was offered")
	}
	// The rest of the test goes on with the new key.
	first = after
	// A wrong code keeps the same key on the page.
	r := ts.postAs(t, c, "/akun/2fa", url.Values{"code": {"000000"}})
	if m := secretCodeRe.FindStringSubmatch(r.body); r.status != http.StatusUnprocessableEntity || m == nil || m[1] != first {
		t.Errorf("wrong code: %s, want 422 with the same key", r)
	}

	t.Run("cancelled, the next visit offers a new key", func(t *testing.T) {
		const email2 = "admin-lain@tiru.go.id"
		id2 := ts.addUser(t, email2, "Admin Lain", kb.RoleAdmin, "", "")
		c2 := ts.sessionFor(t, id2, email2)
		key := keyOf(ts.revealTOTP(t, c2, testPassword))
		r := ts.postAs(t, c2, "/akun/2fa", url.Values{"batal": {"1"}})
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/akun" {
			t.Fatalf("cancel: %s", r)
		}
		code, _ := auth.TOTPCode(key, time.Now())
		if r := ts.postAs(t, c2, "/akun/2fa", url.Values{"current": {testPassword}, "code": {code}}); r.status != http.StatusSeeOther || r.header.Get("Location") != "/akun/2fa" {
			t.Errorf("a code after cancelling: %s, want a redirect to start again", r)
		}
		if again := keyOf(ts.revealTOTP(t, c2, testPassword)); again == key {
			t.Error("after cancelling, the same key was offered again")
		}
	})

	code, err := auth.TOTPCode(first, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if r := ts.postAs(t, c, "/akun/2fa", url.Values{"code": {code}}); r.status != http.StatusSeeOther || r.header.Get("Location") != "/akun" {
		t.Fatalf("the code of the key scanned before the reload: %s", r)
	}
	if u, _ := ts.db.UserByID(context.Background(), id); u.TOTPSecret != first || !u.TOTPEnabled {
		t.Errorf("account holds %q (on %v), want the confirmed key", u.TOTPSecret, u.TOTPEnabled)
	}
	// The password with the code in one form, as the page once sent
	// them, turns it on too, for a key already on the reader's app.
	const email3 = "admin-skrip@tiru.go.id"
	id3 := ts.addUser(t, email3, "Admin Skrip", kb.RoleAdmin, "", "")
	key := keyOf(ts.revealTOTP(t, ts.sessionFor(t, id3, email3), testPassword))
	c3 := ts.sessionFor(t, id3, email3)
	code, _ = auth.TOTPCode(key, time.Now())
	if r := ts.postAs(t, c3, "/akun/2fa", url.Values{"current": {testPassword}, "code": {code}}); r.status != http.StatusSeeOther || r.header.Get("Location") != "/akun" {
		t.Fatalf("the password and the code in one form: %s", r)
	}
}

func TestTokenNameErrorsSayWhatIsWrong(t *testing.T) {
	ts := newTestServer(t)
	const email = "penyelenggara@banjarkab.go.id"
	id := ts.addUser(t, email, "Penyelenggara", kb.RolePenyelenggara, banjarAgency, banjarRegion)
	c := ts.sessionFor(t, id, email)
	long := strings.Repeat("skrip impor ", 10) // 120 characters
	for _, tc := range []struct {
		name, lang, want string
	}{
		{"   ", "id", "Nama token wajib diisi"},
		{"", "en", "Token name is required"},
		{long, "id", "Nama token paling banyak 100 karakter"},
		{long, "en", "Token name can be at most 100 characters"},
	} {
		t.Run(tc.lang+" "+strconv.Itoa(len(tc.name)), func(t *testing.T) {
			r := ts.postAs(t, c, "/akun/token?lang="+tc.lang, url.Values{"name": {tc.name}})
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("got %s, want 422", r)
			}
			if !strings.Contains(r.body, tc.want) {
				t.Errorf("page does not say %q", tc.want)
			}
			if f := formFields(t, r.body, "/akun/token"); f.Get("name") != strings.TrimSpace(tc.name) {
				t.Errorf("the form lost what was typed: %q", f.Get("name"))
			}
		})
	}
	if n := ts.tokenCount(t, id); n != 0 {
		t.Fatalf("refused names made %d tokens", n)
	}

	r := ts.postAs(t, c, "/akun/token", url.Values{"name": {"skrip impor bulanan"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/akun" {
		t.Fatalf("a good name: %s, want a redirect to /akun so a reload does not make another token", r)
	}
	page := ts.getAs(t, c, "/akun")
	if m := secretCodeRe.FindStringSubmatch(page.body); m == nil || !strings.HasPrefix(m[1], "tiru_") {
		t.Fatalf("the new token is not shown: %s", page)
	}
	if page.header.Get("Cache-Control") != "no-store" {
		t.Error("the page showing the token may be cached")
	}
	if again := ts.getAs(t, c, "/akun"); secretCodeRe.MatchString(again.body) {
		t.Error("reloading the account page shows the token again")
	}
	if n := ts.tokenCount(t, id); n != 1 {
		t.Errorf("%d tokens, want 1", n)
	}
}

func TestPagesPastTheEndLinkBack(t *testing.T) {
	ts := newTestServer(t)
	for _, tc := range []struct {
		path, lang string
		want       []string
	}{
		{"/inovasi?page=999", "id", []string{"Halaman 999 tidak ada", `href="/inovasi?page=1"`}},
		{"/inovasi?page=999&stage=penerapan", "en", []string{"There is no page 999", `href="/inovasi?page=1&amp;stage=penerapan"`}},
		{"/kunjungan?page=50", "id", []string{"Halaman 50 tidak ada", `href="/kunjungan?page=1"`}},
		{"/cari?q=pengaduan&page=999", "id", []string{"Halaman 999 tidak ada", `href="/cari?page=1&amp;q=pengaduan"`}},
		{"/cari?q=pengaduan&page=999", "en", []string{"There is no page 999", "Go to the last page"}},
	} {
		t.Run(tc.path+" "+tc.lang, func(t *testing.T) {
			status, _, body := ts.get(t, tc.path+"&lang="+tc.lang)
			if status != http.StatusOK {
				t.Fatalf("status %d", status)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, bad := range []string{"Belum ada data", "Nothing here yet", "Tidak ada hasil", "No results for"} {
				if strings.Contains(body, bad) {
					t.Errorf("page says %q, though the list has records", bad)
				}
			}
		})
	}
	// An empty list is still just empty.
	if _, _, body := ts.get(t, "/inovasi?urusan=1.01&page=3"); !strings.Contains(body, "Belum ada data") || strings.Contains(body, "tidak ada:") {
		t.Error("an empty list is not shown as empty")
	}
}

func TestSpentResetLinkShowsNoForm(t *testing.T) {
	ts := newTestServer(t)
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		body := ""
		if method == http.MethodPost {
			body = url.Values{"new": {"jembatan barito di waktu senja"}, "again": {"jembatan barito di waktu senja"}}.Encode()
		}
		r := ts.send(t, method, "/sandi-baru/xyz", body, "Content-Type", "application/x-www-form-urlencoded")
		if r.status != http.StatusNotFound || !strings.Contains(r.body, "Tautan ini tidak berlaku") {
			t.Errorf("%s: %s, want 404 saying the link is not valid", method, r)
		}
		if strings.Contains(r.body, `name="new"`) || strings.Contains(r.body, `type="password"`) {
			t.Errorf("%s: the page still offers the new-password form", method)
		}
	}
}

func TestAdminPagesSpeakHuman(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.sessionAdmin(t, "admin@tiru.go.id")
	ts.addUser(t, "penyelenggara@banjarkab.go.id", "Penyelenggara", kb.RolePenyelenggara, banjarAgency, banjarRegion)
	if err := ts.db.Audit(context.Background(), sqlite.Who{Name: "tamu@example.org", IP: "192.0.2.1"}, "login.fail", "user", "tamu@example.org", ""); err != nil {
		t.Fatal(err)
	}
	roleCell := func(lang string) []string {
		r := ts.getAs(t, admin, "/admin/pengguna?lang="+lang)
		var roles []string
		for _, row := range tableRows(t, r.body) {
			roles = append(roles, row[2])
		}
		return roles
	}
	roles := roleCell("id")
	for _, cell := range roles {
		switch cell {
		case kb.RoleStaf, kb.RolePenyelenggara, kb.RolePimpinan, kb.RoleAdmin:
			t.Errorf("/admin/pengguna shows the role key %q", cell)
		}
	}
	if got := strings.Join(roles, "|"); !strings.Contains(got, "Penyelenggara kunjungan") {
		t.Errorf("roles on /admin/pengguna: %s", got)
	}
	if got := strings.Join(roleCell("en"), "|"); !strings.Contains(got, "Visit organiser") || !strings.Contains(got, "Administrator") {
		t.Errorf("roles on /admin/pengguna in English: %s", got)
	}

	when := map[string]*regexp.Regexp{
		"id": regexp.MustCompile(`^\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember) \d{4}, \d{2}\.\d{2} WIB$`),
		"en": regexp.MustCompile(`^\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}, \d{2}:\d{2} WIB$`),
	}
	label := map[string]string{"id": "Gagal masuk", "en": "Failed login"}
	for _, lang := range []string{"id", "en"} {
		r := ts.getAs(t, admin, "/admin/audit?lang="+lang)
		rows := tableRows(t, r.body)
		if r.status != http.StatusOK || len(rows) == 0 {
			t.Fatalf("/admin/audit: %s", r)
		}
		found := false
		for _, row := range rows {
			if !when[lang].MatchString(row[0]) {
				t.Errorf("%s: time shown as %q", lang, row[0])
			}
			if row[1] == "tamu@example.org" {
				found = true
				if row[2] != label[lang]+" login.fail" {
					t.Errorf("%s: action shown as %q, want the label and then the code", lang, row[2])
				}
			}
		}
		if !found {
			t.Errorf("%s: the failed login is not in the log", lang)
		}
		if !regexp.MustCompile(`<time datetime="\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z">`).MatchString(r.body) {
			t.Errorf("%s: no machine-readable time", lang)
		}
	}
}

func TestEnglishCountsAgreeWithTheirNumber(t *testing.T) {
	l := &Localizer{Lang: "en", catalog: messages()}
	id := &Localizer{Lang: "id", catalog: messages()}
	for _, tc := range []struct {
		key  string
		args []any
		want string
	}{
		{"label.adoptions_n", []any{1}, "1 adoption"},
		{"label.adoptions_n", []any{2}, "2 adoptions"},
		{"label.adoptions_n", []any{0}, "0 adoptions"},
		{"history.count", []any{1}, "1 recorded change"},
		{"history.count", []any{3}, "3 recorded changes"},
		{"list.total", []any{1}, "1 result"},
		{"search.summary", []any{uint64(1), "2.5"}, "1 result (2.5 ms)"},
		{"search.summary", []any{uint64(11), "2.5"}, "11 results (2.5 ms)"},
		{"label.people_n", []any{1}, "1 person"},
		{"label.observed_n", []any{1}, "1 innovation seen"},
		{"label.open_followups_n", []any{1}, "1 open follow-up"},
		{"login.throttled", []any{1}, "Too many failed attempts. Try again in 1 minute."},
		{"pager.page_of", []any{1, 3}, "Page 1 of 3"},
	} {
		if got := l.T(tc.key, tc.args...); got != tc.want {
			t.Errorf("T(%q, %v) = %q, want %q", tc.key, tc.args, got, tc.want)
		}
	}
	// The home page's counts, whose labels stand apart from their numbers.
	for _, tc := range []struct {
		key  string
		n    int
		want string
	}{{"stats.visits", 1, "visit"}, {"stats.visits", 2, "visits"}, {"stats.regions", 1, "region with innovations"}, {"stats.adoptions", 0, "adoptions recorded"}} {
		if got := l.Counted(tc.key, tc.n); got != tc.want {
			t.Errorf("Counted(%q, %d) = %q, want %q", tc.key, tc.n, got, tc.want)
		}
	}
	if got := id.T("label.adoptions_n", 1); got != "1 replikasi" {
		t.Errorf("Indonesian: %q", got)
	}

	// On a page: the seed innovation has one adoption.
	ts := newTestServer(t)
	_, _, body := ts.get(t, "/inovasi?lang=en")
	if !strings.Contains(body, "1 adoption") || strings.Contains(body, "1 adoptions") {
		t.Error(`/inovasi in English does not say "1 adoption"`)
	}
}

func TestFormatDateTime(t *testing.T) {
	for _, tc := range []struct{ lang, in, want string }{
		{"id", "2024-10-22T07:05:09.123456789Z", "22 Oktober 2024, 14.05 WIB"},
		{"en", "2024-10-22T07:05:09Z", "22 October 2024, 14:05 WIB"},
		{"id", "2024-12-31T20:30:00Z", "1 Januari 2025, 03.30 WIB"},
		{"id", "kemarin", "kemarin"},
	} {
		if got := formatDateTime(tc.lang, tc.in); got != tc.want {
			t.Errorf("formatDateTime(%q, %q) = %q, want %q", tc.lang, tc.in, got, tc.want)
		}
	}
	if got := machineDateTime("2024-10-22T07:05:09.123456789Z"); got != "2024-10-22T07:05:09Z" {
		t.Errorf("machineDateTime = %q", got)
	}
}

// Control characters in a token's or a saved search's name become spaces:
// a NUL cut the stored name short.
func TestNamesLoseControlCharacters(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "staf@banjarkab.go.id", "Staf Banjar", kb.RoleStaf, banjarAgency, banjarRegion)
	c := ts.login(t, "staf@banjarkab.go.id", testPassword)
	if r := ts.postAs(t, c, "/akun/token", url.Values{"name": {"laptop\x00kantor"}}); r.status >= 400 {
		t.Fatalf("create token: %s", r)
	}
	if r := ts.postAs(t, c, "/cari/simpan", url.Values{"name": {"wifi\x00gratis\ttaman"}, "query": {"q=wifi"}}); r.status >= 400 {
		t.Fatalf("save search: %s", r)
	}
	page := ts.getAs(t, c, "/akun").body
	for _, want := range []string{"laptop kantor", "wifi gratis taman"} {
		if !strings.Contains(page, want) {
			t.Errorf("the account page lacks %q", want)
		}
	}
}

// A refusal says who the reader is logged in as and what each role may
// do, instead of only "not allowed".
func TestForbiddenPageSaysTheRole(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "staf@banjarkab.go.id", "Staf Banjar", kb.RoleStaf, banjarAgency, banjarRegion)
	c := ts.login(t, "staf@banjarkab.go.id", testPassword)
	r := ts.getAs(t, c, "/inovasi/baru")
	if r.status != http.StatusForbidden || !strings.Contains(r.body, "Anda masuk sebagai Staf") || !strings.Contains(r.body, "penyelenggara menulis") {
		t.Errorf("staff opening the innovation form: %d, want 403 naming their role and what roles may do", r.status)
	}
}

// Counts in messages and on pages are written with the language's
// thousands separator: "37.956 hasil", "37,956 results"; small numbers and
// a status code stay as they are.
func TestCountsAreGroupedByLanguage(t *testing.T) {
	id := &Localizer{Lang: "id", catalog: messages()}
	en := &Localizer{Lang: "en", catalog: messages()}
	for _, tc := range []struct {
		l    *Localizer
		key  string
		args []any
		want string
	}{
		{id, "search.summary", []any{uint64(37956), "2,5"}, "37.956 hasil (2,5 md)"},
		{en, "search.summary", []any{uint64(37956), "2.5"}, "37,956 results (2.5 ms)"},
		{en, "search.summary", []any{uint64(1), "2.5"}, "1 result (2.5 ms)"},
		{id, "error.status", []any{503}, "Kode status 503."},
	} {
		if got := tc.l.T(tc.key, tc.args...); got != tc.want {
			t.Errorf("%s %v in %s: %q, want %q", tc.key, tc.args, tc.l.Lang, got, tc.want)
		}
	}
}

func TestFormatDateRange(t *testing.T) {
	for _, tc := range []struct{ lang, start, end, want string }{
		{"id", "2025-05-10", "2025-05-10", "10 Mei 2025"},
		{"id", "2025-05-10", "", "10 Mei 2025"},
		{"id", "2025-05-10", "2025-05-11", "10–11 Mei 2025"},
		{"id", "2025-04-30", "2025-05-02", "30 April – 2 Mei 2025"},
		{"id", "2024-12-30", "2025-01-02", "30 Desember 2024 – 2 Januari 2025"},
		{"en", "2025-05-10", "2025-05-11", "10–11 May 2025"},
		{"en", "2025-04-30", "2025-05-02", "30 April – 2 May 2025"},
		{"en", "2024-12-30", "2025-01-02", "30 December 2024 – 2 January 2025"},
		{"id", "2025-05-10", "kelak", "10 Mei 2025 – kelak"},
	} {
		if got := formatDateRange(tc.lang, tc.start, tc.end); got != tc.want {
			t.Errorf("formatDateRange(%q, %q, %q) = %q, want %q", tc.lang, tc.start, tc.end, got, tc.want)
		}
	}
}

// Wherever a visit's dates show, a visit of two days reads as one span
// ("10–11 Mei 2025"), not as two full dates.
func TestVisitDatesReadAsOneSpan(t *testing.T) {
	ts := newTestServer(t)
	ts.importJSONL(t, visitJSON("dua-hari", banjarRegion, banjarAgency, soloRegion, soloAgency,
		`,"start_date":"2025-05-10","end_date":"2025-05-11","innovations":["`+seedInnovation+`"]`)+"\n")
	want := map[string]string{"id": "10–11 Mei 2025", "en": "10–11 May 2025"}
	for _, lang := range []string{"id", "en"} {
		for _, p := range []string{"/kunjungan", "/kunjungan/dua-hari", "/wilayah/" + banjarRegion, "/wilayah/" + soloRegion,
			"/instansi/diskominfo-sp-kota-surakarta", "/inovasi/" + seedInnovation} {
			status, _, body := ts.get(t, p+"?lang="+lang)
			if status != http.StatusOK {
				t.Fatalf("%s: status %d", p, status)
			}
			if !strings.Contains(body, want[lang]) {
				t.Errorf("%s (%s) does not show the visit's dates as %q", p, lang, want[lang])
			}
			if strings.Contains(body, "10 Mei 2025 –") || strings.Contains(body, "10 May 2025 –") {
				t.Errorf("%s (%s) writes the visit's first day in full", p, lang)
			}
		}
	}
}

// The audit log names kinds of record and what changed in the reader's
// language, and links a record that still exists to its page.
func TestAuditLogNamesAndLinksRecords(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.sessionAdmin(t, "admin@tiru.go.id")
	ts.importJSONL(t, innovationJSON("tetap-ada", "Tetap Ada", banjarRegion, banjarAgency, "")+"\n"+
		innovationJSON("sudah-hilang", "Sudah Hilang", banjarRegion, banjarAgency, "")+"\n")
	if err := ts.db.Update(context.Background(), "test", func(tx *sqlite.Tx) error { return tx.DeleteInnovation(context.Background(), "sudah-hilang") }); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ lang, innovation, visit, user, title, role string }{
		{"id", "Inovasi", "Kunjungan", "Pengguna", "Judul", "Peran: Admin"},
		{"en", "Innovation", "Visit", "User", "Title", "Role: Administrator"},
	} {
		r := ts.getAs(t, admin, "/admin/audit?lang="+tc.lang)
		if r.status != http.StatusOK {
			t.Fatalf("/admin/audit: %s", r)
		}
		var record, what []string
		for _, row := range tableRows(t, r.body) {
			record = append(record, row[3])
			what = append(what, row[2])
		}
		got := strings.Join(record, "|")
		for _, want := range []string{tc.innovation + " tetap-ada", tc.innovation + " sudah-hilang", tc.visit + " " + seedVisit, tc.user + " admin@tiru.go.id"} {
			if !strings.Contains(got, want) {
				t.Errorf("%s: no record cell %q in %s", tc.lang, want, got)
			}
		}
		for _, raw := range []string{"innovation ", "visit ", "user "} {
			if strings.Contains(got, raw) {
				t.Errorf("%s: a record's kind shows as its code %q", tc.lang, raw)
			}
		}
		if !strings.Contains(r.body, `<a href="/inovasi/tetap-ada">tetap-ada</a>`) || !strings.Contains(r.body, `<a href="/kunjungan/`+seedVisit+`">`) {
			t.Errorf("%s: an existing innovation or visit is not linked to its page", tc.lang)
		}
		if strings.Contains(r.body, `href="/inovasi/sudah-hilang"`) {
			t.Errorf("%s: a deleted innovation is linked", tc.lang)
		}
		details := strings.Join(what, "|")
		if strings.Contains(details, "enabled") || strings.Contains(details, "role=") || strings.Contains(details, "title,") {
			t.Errorf("%s: details shown as stored: %s", tc.lang, details)
		}
		if !strings.Contains(details, tc.role) || !strings.Contains(details, tc.title) {
			t.Errorf("%s: details lack %q or %q: %s", tc.lang, tc.role, tc.title, details)
		}
	}
}

// A token never used says so where its last use would show, and shows
// the date once it has been used.
func TestUnusedTokenSaysNever(t *testing.T) {
	ts := newTestServer(t)
	const email = "penyelenggara@banjarkab.go.id"
	id := ts.addUser(t, email, "Penyelenggara", kb.RolePenyelenggara, banjarAgency, banjarRegion)
	c := ts.sessionFor(t, id, email)
	token, _ := ts.tokenFromPage(t, c, "skrip impor")
	lastUsed := func(lang string) string {
		t.Helper()
		for _, row := range tableRows(t, ts.getAs(t, c, "/akun?lang="+lang).body) {
			if len(row) >= 4 && row[0] == "skrip impor" {
				return row[3]
			}
		}
		t.Fatal("the token is not listed")
		return ""
	}
	if got := lastUsed("id"); got != "belum pernah" {
		t.Errorf("last use of an unused token: %q, want %q", got, "belum pernah")
	}
	if got := lastUsed("en"); got != "never" {
		t.Errorf("last use of an unused token in English: %q, want %q", got, "never")
	}
	if r := ts.send(t, http.MethodGet, "/api/v1/innovations", "", "Authorization", "Bearer "+token); r.status != http.StatusOK {
		t.Fatalf("using the token: %s", r)
	}
	if got, want := lastUsed("id"), formatDate("id", time.Now().Format(kb.DateLayout)); got != want {
		t.Errorf("last use after using the token: %q, want %q", got, want)
	}
}

// errorLinks lists the fields a form's error summary links to, in order.
func errorLinks(t *testing.T, page string) []string {
	t.Helper()
	start := strings.Index(page, `<div class="error-box" role="alert">`)
	if start < 0 {
		t.Fatal("the page has no error summary")
	}
	box := page[start : start+strings.Index(page[start:], "</div>")]
	var out []string
	for _, m := range regexp.MustCompile(`href="#f-([a-z_]+)"`).FindAllStringSubmatch(box, -1) {
		out = append(out, m[1])
	}
	return out
}

// A refused form lists its problems in the order of its fields on the
// page, whether reading the form, checking the record or looking up what
// it refers to found them.
func TestFormErrorsFollowTheFields(t *testing.T) {
	ts := newTestServer(t)
	c := ts.banjarOrganiser(t)

	in := innovationFormValues()
	in.Set("title", "")
	in.Set("summary", strings.Repeat("panjang ", 200))
	in.Set("year_started", "1800")
	in.Set("cost_per_year", "banyak")
	r := ts.postAs(t, c, "/inovasi/baru", in)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("innovation form: %s", r)
	}
	if got, want := strings.Join(errorLinks(t, r.body), " "), "title summary year_started cost_per_year"; got != want {
		t.Errorf("innovation form errors in the order %q, want %q", got, want)
	}

	v := visitFormValues()
	v.Set("title", "")
	v.Set("delegation_size", "enam")
	v.Set("people_met", "Ibu Rina\nPak Dedi | Operator | Dinas | lebih")
	v.Set("follow_ups", "Kirim surat | Sekretaris | kapan-kapan | terbuka")
	v.Set("innovations", "inovasi-yang-tidak-ada")
	r = ts.postAs(t, c, "/kunjungan/baru", v)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("visit form: %s", r)
	}
	if got, want := strings.Join(errorLinks(t, r.body), " "), "title delegation_size people_met follow_ups innovations"; got != want {
		t.Errorf("visit form errors in the order %q, want %q", got, want)
	}
}
