package web

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// metrics counts requests and their latencies for /metrics, in the
// Prometheus text format, without a client library: a few counters and one
// histogram are all Tiru needs.
type metrics struct {
	mu       sync.Mutex
	requests map[string]uint64 // "method status" -> count
	buckets  []float64         // upper bounds in seconds
	counts   []uint64          // per bucket, cumulative at render time
	sum      float64
	total    uint64
}

func newMetrics() *metrics {
	b := []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5}
	return &metrics{requests: map[string]uint64{}, buckets: b, counts: make([]uint64, len(b))}
}

func (m *metrics) observe(method string, status int, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions:
	default:
		// The client names the method: counting each name it makes up
		// would grow this map, and the metrics page, without bound.
		method = "OTHER"
	}
	m.requests[method+" "+strconv.Itoa(status)]++
	sec := d.Seconds()
	m.sum += sec
	m.total++
	for i, ub := range m.buckets {
		if sec <= ub {
			m.counts[i]++
			break
		}
	}
}

// IndexStats is what the metrics page reports about the search index.
type IndexStats struct {
	Ready      bool
	QueueLen   int
	LagSeconds float64
	// Segments is how many segments the index is searched in: one after a
	// rebuild, more as changes are written, each costing every search a
	// little (see search.Index.Compact); 0 when it cannot be read.
	Segments int
}

func (s *Server) indexStats(ctx context.Context) (IndexStats, error) {
	_, pending, oldest, err := s.db.OutboxState(ctx)
	st := IndexStats{Ready: s.search.Ready(), QueueLen: pending}
	if n, serr := s.search.Segments(); serr == nil {
		st.Segments = n
	}
	if oldest != "" {
		if t, perr := time.Parse(time.RFC3339Nano, oldest); perr == nil {
			st.LagSeconds = time.Since(t).Seconds()
		}
	}
	return st, err
}

// metricsPage serves Prometheus text to admins (with a session or a token).
func (s *Server) metricsPage(c *gin.Context) {
	if !s.requireAdmin(c) {
		return
	}
	st, err := s.indexStats(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	var b strings.Builder
	m := s.metrics
	m.mu.Lock()
	keys := make([]string, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	b.WriteString("# HELP tiru_http_requests_total HTTP requests served, by method and status.\n# TYPE tiru_http_requests_total counter\n")
	for _, k := range keys {
		method, status, _ := strings.Cut(k, " ")
		fmt.Fprintf(&b, "tiru_http_requests_total{method=%q,status=%q} %d\n", method, status, m.requests[k])
	}
	b.WriteString("# HELP tiru_http_request_duration_seconds Time to answer a request.\n# TYPE tiru_http_request_duration_seconds histogram\n")
	var cum uint64
	for i, ub := range m.buckets {
		cum += m.counts[i]
		fmt.Fprintf(&b, "tiru_http_request_duration_seconds_bucket{le=%q} %d\n", strconv.FormatFloat(ub, 'g', -1, 64), cum)
	}
	fmt.Fprintf(&b, "tiru_http_request_duration_seconds_bucket{le=\"+Inf\"} %d\n", m.total)
	fmt.Fprintf(&b, "tiru_http_request_duration_seconds_sum %g\ntiru_http_request_duration_seconds_count %d\n", m.sum, m.total)
	m.mu.Unlock()
	ready := 0
	if st.Ready {
		ready = 1
	}
	fmt.Fprintf(&b, "# HELP tiru_index_ready Whether the search index answers (0 while it is rebuilt).\n# TYPE tiru_index_ready gauge\ntiru_index_ready %d\n", ready)
	fmt.Fprintf(&b, "# HELP tiru_index_queue_length Changes waiting to be indexed.\n# TYPE tiru_index_queue_length gauge\ntiru_index_queue_length %d\n", st.QueueLen)
	fmt.Fprintf(&b, "# HELP tiru_index_lag_seconds Age of the oldest change waiting to be indexed.\n# TYPE tiru_index_lag_seconds gauge\ntiru_index_lag_seconds %g\n", st.LagSeconds)
	fmt.Fprintf(&b, "# HELP tiru_index_segments Segments the search index is searched in.\n# TYPE tiru_index_segments gauge\ntiru_index_segments %d\n", st.Segments)
	c.Data(http.StatusOK, "text/plain; version=0.0.4; charset=utf-8", []byte(b.String()))
}

// readyz says whether the server can do its work: the database answers and
// the search index is ready. A load balancer should route only to a ready
// server; /healthz only says the process is alive.
func (s *Server) readyz(c *gin.Context) {
	ctx := c.Request.Context()
	dbOK := s.db.Ping(ctx) == nil
	ixOK := s.search.Ready()
	status := http.StatusOK
	if !dbOK || !ixOK {
		status = http.StatusServiceUnavailable
	}
	c.JSON(status, gin.H{"database": dbOK, "search_index": ixOK})
}
