package web

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tiru/internal/auth"
)

// Clients choose the method they send; a thousand made-up methods must
// not make a thousand counters on the metrics page.
func TestMetricsCountMadeUpMethodsTogether(t *testing.T) {
	m := newMetrics()
	for i := range 1000 {
		m.observe(fmt.Sprintf("X%d", i), 404, time.Millisecond)
	}
	m.observe("GET", 200, time.Millisecond)
	if len(m.requests) != 2 || m.requests["OTHER 404"] != 1000 || m.requests["GET 200"] != 1 {
		t.Errorf("counters %v, want OTHER 404 = 1000 and GET 200 = 1", m.requests)
	}
}

// The login throttle counts an IPv6 client by its /64, which one
// subscriber holds whole, and an IPv4 client by its address.
func TestThrottleAddressKey(t *testing.T) {
	for in, want := range map[string]string{
		"203.0.113.9":                    "203.0.113.9",
		"2001:db8:1:2:aaaa::1":           "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff:ffff:ffff:ff": "2001:db8:1:2::/64",
		"::ffff:203.0.113.9":             "::ffff:203.0.113.9",
		"not an address":                 "not an address",
	} {
		if got := addressKey(in); got != want {
			t.Errorf("addressKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// A scraper without a token is told so (401 and how to authenticate), not
// sent to the login page as a browser would be.
func TestMetricsRefuseAnonymousScrapers(t *testing.T) {
	ts := newTestServer(t)
	r := ts.send(t, http.MethodGet, "/metrics", "")
	if r.status != http.StatusUnauthorized || r.header.Get("WWW-Authenticate") == "" || r.header.Get("Location") != "" {
		t.Errorf("anonymous /metrics: %s, want 401 with WWW-Authenticate", r)
	}
	if strings.Contains(r.body, "tiru_http_requests_total") {
		t.Error("anonymous /metrics shows the counters")
	}
}

// An administrator's scraper reads the index's state beside the request
// counters: ready, nothing queued, and one segment after the rebuild the
// server started with.
func TestMetricsReportTheIndex(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.newAdmin(t, "admin@tiru.go.id")
	r := ts.apiAs(t, admin, viaToken, http.MethodGet, "/metrics", "")
	if r.status != http.StatusOK {
		t.Fatalf("/metrics as an administrator: %s", r)
	}
	for _, want := range []string{"\ntiru_index_ready 1\n", "\ntiru_index_queue_length 0\n", "\ntiru_index_segments 1\n", "tiru_http_requests_total{"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("/metrics lacks %q:\n%s", strings.TrimSpace(want), r.body)
		}
	}
}

// Password hashes and checks sent together run a few at a time, however
// many arrive: each takes 64 MiB while it runs.
func TestPasswordChecksRunAFewAtATime(t *testing.T) {
	ts := newTestServer(t)
	slots := cap(ts.srv.hashSlots)
	var running, most atomic.Int32
	var wg sync.WaitGroup
	for range 4 * slots {
		wg.Go(func() {
			ts.srv.hashing(func() {
				n := running.Add(1)
				for {
					m := most.Load()
					if n <= m || most.CompareAndSwap(m, n) {
						break
					}
				}
				auth.CheckNothing("kata sandi yang salah")
				running.Add(-1)
			})
		})
	}
	wg.Wait()
	if got := most.Load(); got > int32(slots) || slots < 2 {
		t.Errorf("%d password checks ran at once with %d slots", got, slots)
	}
}
