package web

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
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
