package web

import (
	"fmt"
	"testing"
	"time"
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
