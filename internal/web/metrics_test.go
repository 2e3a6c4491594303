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
