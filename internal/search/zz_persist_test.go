package search

import (
	"context"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strconv"
	"syscall"
	"testing"
	"time"

	"tiru/internal/synthetic"
)

func zzIndex(t *testing.T) *Index {
	n, _ := strconv.Atoi(os.Getenv("ZZN"))
	dir := "/tmp/ix" + os.Getenv("ZZN")
	if _, err := os.Stat(filepath.Join(dir, "index.bleve")); err == nil {
		ix, fresh, err := Open(filepath.Join(dir, "index.bleve"), Options{Synonyms: testSynonyms(t)})
		if err != nil || fresh {
			t.Fatal(err, fresh)
		}
		ix.MarkReady()
		return ix
	}
	os.MkdirAll(dir, 0o755)
	ix, st := benchBuildIndex(t, dir, n)
	t.Logf("built %v", st.took)
	return ix
}

func TestZZPersist(t *testing.T) {
	if os.Getenv("ZZN") == "" {
		t.Skip()
	}
	ix := zzIndex(t)
	defer ix.Close()
	lists := benchQueries(synthetic.Innovations(benchSeed, 2))
	kinds := []string{"plain", "filtered_faceted_highlighted", "synonym", "phrase", "fuzzy"}
	if k := os.Getenv("ZZK"); k != "" {
		kinds = []string{k}
	}
	if p := os.Getenv("ZZPROF"); p != "" {
		f, _ := os.Create(p)
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	for _, kind := range kinds {
		var all []time.Duration
		for _, req := range lists[kind] {
			var ds []time.Duration
			var total uint64
			for i := 0; i < 7; i++ {
				st := time.Now()
				res, err := ix.Search(context.Background(), req)
				if err != nil {
					t.Fatal(err)
				}
				ds = append(ds, time.Since(st))
				total = res.Total
			}
			all = append(all, ds...)
			sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
			t.Logf("%-10s %-30q %6d hits %7.2f ms", kind[:min(10, len(kind))], req.Query, total, float64(ds[3].Microseconds())/1000)
		}
		sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
		t.Logf("%s p50 %.2f p99 %.2f", kind, float64(all[len(all)/2].Microseconds())/1000, float64(all[len(all)*99/100].Microseconds())/1000)
	}
}

func TestZZOneQ(t *testing.T) {
	q := os.Getenv("ZZQ")
	if q == "" {
		t.Skip()
	}
	ix := zzIndex(t)
	defer ix.Close()
	req := Request{Query: q, Facets: []string{}}
	if os.Getenv("ZZALL") != "" {
		req.Viewer.AllInternal = true
	}
	ix.Search(context.Background(), req)
	f, _ := os.Create("/tmp/one.prof")
	pprof.StartCPUProfile(f)
	st := time.Now()
	var ru0, ru1 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	for i := 0; i < 200; i++ {
		ix.Search(context.Background(), req)
	}
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
	pprof.StopCPUProfile()
	cpu := time.Duration(ru1.Utime.Nano()+ru1.Stime.Nano()-ru0.Utime.Nano()-ru0.Stime.Nano()) / 200
	t.Logf("%v per query, cpu %v", time.Since(st)/200, cpu)
}

func TestZZAB(t *testing.T) {
	q := os.Getenv("ZZQ")
	if q == "" || os.Getenv("ZZAB") == "" {
		t.Skip()
	}
	ix := zzIndex(t)
	defer ix.Close()
	type variant struct {
		name, vis string
		all       bool
	}
	vs := []variant{{"mustnot", "", false}, {"filter", "filter", false}, {"none", "", true}}
	cpu := make([]time.Duration, len(vs))
	for round := 0; round < 10; round++ {
		for i, v := range vs {
			os.Setenv("ZZVIS", v.vis)
			req := Request{Query: q, Facets: []string{}}
			req.Viewer.AllInternal = v.all
			ix.Search(context.Background(), req)
			var ru0, ru1 syscall.Rusage
			syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
			for j := 0; j < 30; j++ {
				ix.Search(context.Background(), req)
			}
			syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
			cpu[i] += time.Duration(ru1.Utime.Nano() + ru1.Stime.Nano() - ru0.Utime.Nano() - ru0.Stime.Nano())
		}
	}
	for i, v := range vs {
		t.Logf("%-8s %v per query", v.name, cpu[i]/300)
	}
}
