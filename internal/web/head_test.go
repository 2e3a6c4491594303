package web

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// rawHEAD sends HEAD path over a plain connection and returns the response
// as parsed headers and whatever bytes followed them on the wire: a client
// library would not read a body after HEAD, so it could not show one sent.
func rawHEAD(t *testing.T, ts *testServer, path string) (*http.Response, []byte) {
	t.Helper()
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, "HEAD "+path+" HTTP/1.1\r\nHost: "+ts.Listener.Addr().String()+"\r\nConnection: close\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(conn)
	resp, err := http.ReadResponse(r, &http.Request{Method: http.MethodHead})
	if err != nil {
		t.Fatal(err)
	}
	rest, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return resp, rest
}

// do sends one request without following redirects.
func (ts *testServer) do(t *testing.T, method, path string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// Uptime monitors and link checkers ask with HEAD: every GET route must
// answer it as GET would (the same status and headers, login checks
// included) but send no body.
func TestHEADAnswersLikeGET(t *testing.T) {
	ts := newTestServer(t)
	_, _, home := ts.get(t, "/")
	_, css, ok := strings.Cut(home, `href="/static/`)
	if !ok {
		t.Fatal("the home page links no stylesheet")
	}
	css, _, _ = strings.Cut("/static/"+css, `"`)
	for _, path := range []string{
		css,
		"/healthz",
		"/",
		"/kunjungan/" + seedVisit,
		"/cari?q=pengaduan",
		"/api/v1/innovations?per_page=2",
		"/api/v1/search?q=pengaduan",
		"/akun",    // a page that needs a login: redirected to it
		"/metrics", // needs an administrator's token: 401
		"/api/v1/innovations/tidak-ada",
	} {
		get := ts.do(t, http.MethodGet, path)
		head, body := rawHEAD(t, ts, path)
		if head.StatusCode != get.StatusCode {
			t.Errorf("HEAD %s: status %d, GET gave %d", path, head.StatusCode, get.StatusCode)
		}
		for _, h := range []string{"Content-Type", "Location", "Cache-Control", "Content-Security-Policy", "WWW-Authenticate", "Retry-After"} {
			if head.Header.Get(h) != get.Header.Get(h) {
				t.Errorf("HEAD %s: %s %q, GET gave %q", path, h, head.Header.Get(h), get.Header.Get(h))
			}
		}
		if len(body) != 0 {
			t.Errorf("HEAD %s sent a body of %d bytes: %.80q", path, len(body), body)
		}
	}
	if resp, _ := rawHEAD(t, ts, "/healthz"); resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Length") != "3" {
		t.Errorf("HEAD /healthz: status %d, Content-Length %q; want 200 and the GET body's length, 3", resp.StatusCode, resp.Header.Get("Content-Length"))
	}
	if resp, _ := rawHEAD(t, ts, "/akun"); !strings.HasPrefix(resp.Header.Get("Location"), "/masuk") {
		t.Errorf("HEAD /akun without a session: status %d, Location %q; want the login", resp.StatusCode, resp.Header.Get("Location"))
	}

	// Routes that only take a form or a write still refuse HEAD.
	for _, path := range []string{"/keluar", "/tandai", "/cari/simpan"} {
		resp, body := rawHEAD(t, ts, path)
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != http.MethodPost || len(body) != 0 {
			t.Errorf("HEAD %s: status %d, Allow %q, %d bytes of body; want 405, Allow: POST, no body", path, resp.StatusCode, resp.Header.Get("Allow"), len(body))
		}
	}
	// A refused method names HEAD among those a GET route takes.
	resp := ts.do(t, http.MethodPost, "/healthz")
	if allow := strings.Split(resp.Header.Get("Allow"), ", "); resp.StatusCode != http.StatusMethodNotAllowed || !slices.Contains(allow, http.MethodGet) || !slices.Contains(allow, http.MethodHead) {
		t.Errorf("POST /healthz: status %d, Allow %q; want 405 allowing GET and HEAD", resp.StatusCode, resp.Header.Get("Allow"))
	}

	// Metrics count HEAD apart from GET, so a monitor's probes are visible.
	ts.srv.metrics.mu.Lock()
	heads := ts.srv.metrics.requests["HEAD 200"]
	ts.srv.metrics.mu.Unlock()
	if heads == 0 {
		t.Error("metrics counted no HEAD 200 after HEAD requests")
	}
}

// A path with a trailing slash redirects to the page without it, and only
// there: a client's X-Forwarded-Prefix must not choose where (Gin put it
// before the path, and a cache in front would keep that redirect for every
// reader), whether or not a proxy is trusted.
func TestTrailingSlashRedirectIgnoresForwardedPrefix(t *testing.T) {
	ts := newTestServer(t)
	for _, prefix := range []string{"", "/evil.com", "/lain", "//evil.com/x"} {
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			h := []string{}
			if prefix != "" {
				h = append(h, "X-Forwarded-Prefix", prefix)
			}
			r := ts.send(t, method, "/inovasi/?q=air", "", h...)
			if r.status != http.StatusMovedPermanently || r.header.Get("Location") != "/inovasi?q=air" {
				t.Errorf("%s /inovasi/ with X-Forwarded-Prefix %q: %s, want 301 to /inovasi?q=air", method, prefix, r)
			}
		}
	}
}

// lockedBuffer holds a log the server writes while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// A trailing-slash redirect is a request like any other: it is in the
// request log, counted in the metrics and rate-limited with the address's
// other requests. Gin answered it before any of Tiru's middleware ran, so
// it was none of these.
func TestTrailingSlashRedirectIsLoggedCountedAndLimited(t *testing.T) {
	ts := newTestServer(t)
	var logs lockedBuffer
	ts.srv.log = slog.New(slog.NewJSONHandler(&logs, nil))
	// Three requests at once, and a clock that stands still so that none
	// comes back while the test runs.
	now := time.Now()
	ts.srv.limiter = newRateLimiter(1, 3)
	ts.srv.limiter.now = func() time.Time { return now }

	if r := ts.send(t, http.MethodGet, "/inovasi/?q=air", ""); r.status != http.StatusMovedPermanently || r.header.Get("Location") != "/inovasi?q=air" {
		t.Fatalf("GET /inovasi/?q=air: %s, want 301 to /inovasi?q=air", r)
	}
	if r := ts.send(t, http.MethodHead, "/kunjungan/", ""); r.status != http.StatusMovedPermanently || r.header.Get("Location") != "/kunjungan" {
		t.Fatalf("HEAD /kunjungan/: %s, want 301 to /kunjungan", r)
	}

	logged := map[string]bool{}
	for _, line := range strings.FieldsFunc(logs.String(), func(r rune) bool { return r == '\n' }) {
		var e struct {
			Msg, Method, Path string
			Status            int
			RequestID         string `json:"request_id"`
		}
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if e.Msg == "request" && e.RequestID != "" {
			logged[fmt.Sprintf("%s %s %d", e.Method, e.Path, e.Status)] = true
		}
	}
	for _, want := range []string{"GET /inovasi/ 301", "HEAD /kunjungan/ 301"} {
		if !logged[want] {
			t.Errorf("the request log lacks %q; it holds %v", want, logged)
		}
	}
	ts.srv.metrics.mu.Lock()
	gets, heads := ts.srv.metrics.requests["GET 301"], ts.srv.metrics.requests["HEAD 301"]
	ts.srv.metrics.mu.Unlock()
	if gets != 1 || heads != 1 {
		t.Errorf("metrics counted %d GET 301 and %d HEAD 301, want 1 each", gets, heads)
	}

	// The redirects took two of the address's three requests: one page
	// is left, then the redirect itself is refused like any request.
	if r := ts.send(t, http.MethodGet, "/healthz", ""); r.status != http.StatusOK {
		t.Fatalf("the third request: %s, want 200", r)
	}
	r := ts.send(t, http.MethodGet, "/inovasi/", "")
	if r.status != http.StatusTooManyRequests || r.header.Get("Location") != "" || r.header.Get("Retry-After") == "" {
		t.Errorf("GET /inovasi/ past the limit: %s (Retry-After %q), want 429 without a redirect", r, r.header.Get("Retry-After"))
	}
}

// Tiru's own trailing-slash redirect goes where Gin's did, and nowhere
// else: only to a route's path on this site, one slash taken off.
func TestTrailingSlashRedirectStaysOnThisSite(t *testing.T) {
	ts := newTestServer(t)
	for _, tc := range []struct {
		method, path string
		status       int
		location     string
	}{
		{http.MethodGet, "/inovasi/baru/", http.StatusMovedPermanently, "/inovasi/baru"},
		{http.MethodGet, "/inovasi/" + "apa-saja/", http.StatusMovedPermanently, "/inovasi/apa-saja"},
		{http.MethodGet, "/wilayah/33.72/?lang=en", http.StatusMovedPermanently, "/wilayah/33.72?lang=en"},
		{http.MethodGet, "/inovasi/caf%C3%A9/", http.StatusMovedPermanently, "/inovasi/caf%C3%A9"},
		{http.MethodGet, "/api/v1/innovations/", http.StatusMovedPermanently, "/api/v1/innovations"},
		// Other methods are sent on with their body, as Gin sent them.
		{http.MethodPost, "/tandai/", http.StatusTemporaryRedirect, "/tandai"},
		{http.MethodDelete, "/api/v1/visits/apa-saja/attachments/5/", http.StatusTemporaryRedirect, "/api/v1/visits/apa-saja/attachments/5"},
		// Never to another host, nor to a path no route of the method takes.
		{http.MethodGet, "//evil.com/", http.StatusNotFound, ""},
		{http.MethodGet, "//evil.com/inovasi/", http.StatusNotFound, ""},
		{http.MethodGet, "///evil.com/", http.StatusNotFound, ""},
		{http.MethodGet, "//inovasi/", http.StatusNotFound, ""},
		{http.MethodGet, "/%2F%2Fevil.com/", http.StatusNotFound, ""},
		{http.MethodGet, "/%5Cevil.com/", http.StatusNotFound, ""},
		{http.MethodGet, "/%09/evil.com/", http.StatusNotFound, ""},
		{http.MethodGet, "/inovasi//", http.StatusNotFound, ""},
		{http.MethodGet, "/kunjungan/x%2F/", http.StatusNotFound, ""},
		{http.MethodGet, "/tidak-ada/", http.StatusNotFound, ""},
		{http.MethodGet, "/tandai/", http.StatusNotFound, ""},
		{http.MethodPost, "/inovasi/", http.StatusNotFound, ""},
	} {
		r := ts.send(t, tc.method, tc.path, "")
		if r.status != tc.status || r.header.Get("Location") != tc.location {
			t.Errorf("%s %s: %s, want %d to %q", tc.method, tc.path, r, tc.status, tc.location)
		}
	}
}
