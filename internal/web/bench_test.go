package web

// BenchmarkAPISearch measures GET /api/v1/search end to end (routing,
// middleware, search, facet labels, JSON encoding, loopback HTTP) over
// 10,000 synthetic innovations, with two clients searching at once. Run:
//
//	go test ./internal/web/ -run '^$' -bench BenchmarkAPISearch -benchtime=2000x

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"tiru/internal/markdown"
	"tiru/internal/search"
	"tiru/internal/synthetic"
)

// newBenchServer is newTestServer for benchmarks: the same real server over
// SQLite holding the seed, whose search index also holds n synthetic
// innovations written straight into the index (they are not in the
// database; /api/v1/search reads only the index).
func newBenchServer(tb testing.TB, n int) *httptest.Server {
	tb.Helper()
	db, ref, ix, _ := seededStore(tb)
	aliases := map[string][]string{}
	for _, a := range ref.Aliases {
		aliases[a.Code] = append(aliases[a.Code], a.Alias)
	}
	bld := &search.Builder{Ref: ref.Ref, Plain: markdown.Plain, Aliases: aliases}
	gen := synthetic.New(20241022)
	const firstID = 1_000_000 // far above the seed's database ids
	for lo := 0; lo < n; lo += 1000 {
		var docs []*search.Document
		for i := lo; i < min(lo+1000, n); i++ {
			docs = append(docs, bld.Innovation(int64(firstID+i), gen.Innovation(i), "2025-01-01T00:00:00Z", nil))
		}
		if err := ix.Apply(docs, nil); err != nil {
			tb.Fatal(err)
		}
	}

	srv, err := New(Config{DB: db, Reference: ref, Search: ix, RequestsPerSecond: -1})
	if err != nil {
		tb.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	tb.Cleanup(ts.Close)
	return ts
}

// benchAPIQueries are query strings people send: plain words, filters,
// typos, synonyms and phrases, in rotation.
var benchAPIQueries = []string{
	"q=aplikasi+pengaduan+warga",
	"q=posyandu&stage=penerapan",
	"q=bank+sampah&province=33",
	"q=ktp",
	"q=pengadun+masyarakat",
	"q=stunting&urusan=1.02&per_page=10",
	"q=" + url.QueryEscape(`"jemput bola"`),
	"q=izin+usaha&type=digital",
	"q=umkm&page=2",
	"q=wifi+gratis",
	"q=desa+wisata&province=51",
	"q=beasiwsa+siswa",
	"q=pelayanan+publik&year=2022&sort=newest",
	"q=kunker",
	"q=pajak+daerah&evidence=3",
	"q=pupuk+bersubsidi",
}

func BenchmarkAPISearch(b *testing.B) {
	const n, clients = 10_000, 2
	ts := newBenchServer(b, n)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	b.Cleanup(client.CloseIdleConnections)
	get := func(i int) error {
		resp, err := client.Get(ts.URL + "/api/v1/search?" + benchAPIQueries[i%len(benchAPIQueries)])
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("%s: status %d", benchAPIQueries[i%len(benchAPIQueries)], resp.StatusCode)
		}
		return nil
	}
	for i := range benchAPIQueries { // warm up
		if err := get(i); err != nil {
			b.Fatal(err)
		}
	}
	b.Run(fmt.Sprintf("docs=%d/clients=%d", n, clients), func(b *testing.B) {
		lat := make([][]time.Duration, clients)
		errs := make([]error, clients)
		var wg sync.WaitGroup
		b.ResetTimer()
		start := time.Now()
		for c := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// Client c sends requests c, c+clients, c+2·clients, … of b.N.
				for i := c; i < b.N; i += clients {
					t := time.Now()
					if err := get(i); err != nil {
						errs[c] = err
						return
					}
					lat[c] = append(lat[c], time.Since(t))
				}
			}()
		}
		wg.Wait()
		elapsed := time.Since(start)
		b.StopTimer()
		var all []time.Duration
		for c := range clients {
			if errs[c] != nil {
				b.Fatal(errs[c])
			}
			all = append(all, lat[c]...)
		}
		sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
		for _, p := range []int{50, 95, 99} {
			k := (len(all)*p + 99) / 100
			b.ReportMetric(float64(all[max(k-1, 0)])/float64(time.Millisecond), "p"+strconv.Itoa(p)+"_ms")
		}
		b.ReportMetric(float64(len(all))/elapsed.Seconds(), "req/s")
	})
}
