package search

// Benchmarks of indexing and searching a synthetic corpus of Indonesian
// innovation write-ups (internal/synthetic, about 300 words each), at 10,000
// and 100,000 documents, through the real mapping, analysis, synonyms and
// query building. Plain `go test` does not run them; run, for example:
//
//	go test ./internal/search/ -run '^$' -bench 'BenchmarkIndex' -benchtime=1x
//	go test ./internal/search/ -run '^$' -bench 'BenchmarkQuery' -benchtime=2000x
//
// The 100,000-document sizes are skipped with -short. To compare two builds,
// compile each one's test binary (go test -c) and run them in turn with
// -bench.index DIR: the first run builds the indexes there, the others reuse
// them.
//
//	./search.test -test.run '^$' -test.bench 'BenchmarkQuery/fuzzy/docs=100000$' -test.benchtime=400x -bench.index /tmp/ix
//
// When the two builds' synonym lists differ, give each its own copy of the
// folder: opening the index writes the build's synonym definitions, and
// the merging that follows would run in the background of the other
// build's queries.

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"tiru/internal/kb"
	"tiru/internal/synthetic"
)

const (
	benchSeed = 20241022
)

var benchSizes = []int{10_000, 100_000}

// benchSkipLarge skips the 100,000-document sizes unless benchmarks were
// asked for explicitly (-bench) and -short is off.
func benchSkipLarge(b *testing.B, n int) {
	if n <= 10_000 {
		return
	}
	f := flag.Lookup("test.bench")
	if f == nil || f.Value.String() == "" || testing.Short() {
		b.Skipf("%d documents: only with -bench and without -short", n)
	}
}

// benchBuild is what building an index cost.
type benchBuild struct {
	docs      int
	took      time.Duration // from the first batch to MarkReady, documents made meanwhile
	compact   time.Duration // then merging into one segment, as a rebuild does (see Index.Compact)
	settle    time.Duration // until Bleve's background merging and persisting stopped
	diskBytes int64
	heapPeak  uint64 // highest HeapInuse seen while indexing
	sysPeak   uint64 // highest Sys (memory obtained from the OS) while indexing
}

// benchDocuments builds documents start..end-1 of the synthetic corpus.
// About one in ten innovations has adoptions, so the adoption facet and the
// "adopted" sort have something to count.
func benchDocuments(bld *Builder, gen *synthetic.Generator, start, end int) []*Document {
	adopterRegions := []string{"63.03", "33.72", "32.73", "51.71", "64.72"}
	docs := make([]*Document, 0, end-start)
	statuses := kb.AdoptionStatuses().Keys()
	for i := start; i < end; i++ {
		in := gen.Innovation(i)
		r := rand.New(rand.NewPCG(benchSeed, uint64(i)))
		var adoptions []Adopter
		if r.IntN(10) == 0 {
			for k := range 1 + r.IntN(3) {
				// The regions are not drawn, so the corpus stays the one
				// earlier figures were measured on.
				region := adopterRegions[(i+k)%len(adopterRegions)]
				adoptions = append(adoptions, Adopter{Region: region, Status: statuses[r.IntN(len(statuses))]})
			}
		}
		updated := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(3*365*24)) * time.Hour)
		docs = append(docs, bld.Innovation(int64(i+1), in, updated.Format(time.RFC3339), adoptions))
	}
	return docs
}

// benchBatches feeds n synthetic documents the way a rebuild feeds them:
// in batches of rebuildBatch, made while earlier batches are indexed, as a
// rebuild reads the database.
func benchBatches(bld *Builder, gen *synthetic.Generator, n int) <-chan []*Document {
	batches := make(chan []*Document, loadWorkers)
	go func() {
		for lo := 0; lo < n; lo += rebuildBatch {
			batches <- benchDocuments(bld, gen, lo, min(lo+rebuildBatch, n))
		}
		close(batches)
	}()
	return batches
}

// benchBuildIndex creates an index in dir and fills it with n synthetic
// innovations in batches of rebuildBatch, then waits for Bleve's background
// work to finish so that later measurements are not disturbed by merging.
func benchBuildIndex(tb testing.TB, dir string, n int) (*Index, benchBuild) {
	tb.Helper()
	path := filepath.Join(dir, "index.bleve")
	ix, fresh, err := Open(path, Options{Synonyms: testSynonyms(tb)})
	if err != nil {
		tb.Fatal(err)
	}
	if !fresh {
		tb.Fatal("benchmark index must start empty")
	}
	bld := testBuilder(tb)
	gen := synthetic.New(benchSeed)
	st := benchBuild{docs: n}

	runtime.GC()
	stop := make(chan struct{})
	sampled := make(chan [2]uint64)
	go func() {
		var peak [2]uint64
		var ms runtime.MemStats
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			peak[0], peak[1] = max(peak[0], ms.HeapInuse), max(peak[1], ms.Sys)
			select {
			case <-stop:
				sampled <- peak
				return
			case <-t.C:
			}
		}
	}()

	start := time.Now()
	if err := ix.Load(benchBatches(bld, gen, n)); err != nil {
		tb.Fatal(err)
	}
	if err := ix.MarkReady(); err != nil {
		tb.Fatal(err)
	}
	st.took = time.Since(start)
	t := time.Now()
	if err := ix.Compact(context.Background()); err != nil {
		tb.Fatal(err)
	}
	st.compact = time.Since(t)
	t = time.Now()
	benchSettle(tb, ix)
	st.settle = time.Since(t)
	close(stop)
	peak := <-sampled
	st.heapPeak, st.sysPeak = peak[0], peak[1]
	st.diskBytes = benchDirSize(tb, path)
	if c, err := ix.Count(); err != nil || c != n {
		tb.Fatalf("index holds %d records (%v), want %d", c, err, n)
	}
	return ix, st
}

// benchSettle waits until scorch has persisted and merged everything.
func benchSettle(tb testing.TB, ix *Index) {
	deadline := time.Now().Add(10 * time.Minute)
	for time.Now().Before(deadline) {
		stats, _ := ix.idx.StatsMap()["index"].(map[string]interface{})
		if active, ok := stats["index_bgthreads_active"].(bool); ok && !active {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	tb.Log("index still merging after 10 minutes; measuring anyway")
}

func benchDirSize(tb testing.TB, dir string) int64 {
	var size int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			size += info.Size()
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return size
}

// benchPeakRSS is the process's peak resident set (VmHWM), in bytes, or 0
// where /proc is missing.
func benchPeakRSS() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kib, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kib * 1024
		}
	}
	return 0
}

const mb = 1 << 20

// BenchmarkIndex measures a full build as a rebuild does it: bulk index
// throughput (docs/s, including making the documents alongside, as a
// rebuild reads the database), index size on disk after merging, and memory
// while indexing. One op is one whole build; run it with -benchtime=1x.
func BenchmarkIndex(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			benchSkipLarge(b, n)
			var last benchBuild
			var took time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				dir := b.TempDir()
				b.StartTimer()
				ix, st := benchBuildIndex(b, dir, n)
				b.StopTimer()
				ix.Close()
				took += st.took
				last = st
			}
			b.ReportMetric(float64(n*b.N)/took.Seconds(), "docs/s")
			b.ReportMetric(last.compact.Seconds(), "compact_s")
			b.ReportMetric(last.settle.Seconds(), "settle_s")
			b.ReportMetric(float64(last.diskBytes)/mb, "index_MB")
			b.ReportMetric(float64(last.heapPeak)/mb, "heap_peak_MB")
			b.ReportMetric(float64(last.sysPeak)/mb, "sys_peak_MB")
			b.ReportMetric(float64(benchPeakRSS())/mb, "rss_peak_MB")
		})
	}
}

// benchIndexes builds each size once for all the query benchmarks of one
// BenchmarkQuery run, and removes them when it ends.
type benchIndexes struct {
	dir string
	ixs map[int]*Index
}

func (c *benchIndexes) get(b *testing.B, n int) *Index {
	if ix, ok := c.ixs[n]; ok {
		return ix
	}
	b.StopTimer()
	defer b.StartTimer()
	dir := filepath.Join(c.dir, strconv.Itoa(n))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	if *benchIndexDir != "" {
		if ix := benchOpenKept(b, dir, n); ix != nil {
			c.ixs[n] = ix
			return ix
		}
	}
	ix, st := benchBuildIndex(b, dir, n)
	b.Logf("built %d documents in %v (%.0f docs/s), compacted in %v, %.0f MB on disk", n, st.took.Round(time.Millisecond), float64(n)/st.took.Seconds(), st.compact.Round(time.Millisecond), float64(st.diskBytes)/mb)
	c.ixs[n] = ix
	return ix
}

// benchIndexDir keeps the query benchmarks' indexes between runs, so that
// two builds can be run in turn against the same index, many times, without
// building 100,000 records for each run.
var benchIndexDir = flag.String("bench.index", "", "keep the query benchmarks' indexes in this folder and reuse them")

// benchOpenKept opens an index kept in dir by an earlier run, or returns
// nil when there is none of n records with this build's mapping.
func benchOpenKept(b *testing.B, dir string, n int) *Index {
	path := filepath.Join(dir, "index.bleve")
	if _, err := os.Stat(path); err != nil {
		return nil
	}
	ix, fresh, err := Open(path, Options{Synonyms: testSynonyms(b)})
	if err != nil {
		b.Fatal(err)
	}
	if c, err := ix.Count(); fresh || err != nil || c != n {
		b.Logf("index in %s is stale or of another size; building it again", dir)
		ix.Close()
		if err := os.RemoveAll(path); err != nil {
			b.Fatal(err)
		}
		return nil
	}
	if err := ix.MarkReady(); err != nil {
		b.Fatal(err)
	}
	return ix
}

// benchQueries are realistic searches of each kind, rotated through.
func benchQueries(sample []*kb.Innovation) map[string][]Request {
	// Plain, typo, synonym and phrase queries ask for a highlighted page
	// of hits without facets, as an API client does with facets=none.
	plain := func(qs ...string) []Request {
		out := make([]Request, len(qs))
		for i, q := range qs {
			out[i] = Request{Query: q, Facets: []string{}}
		}
		return out
	}
	// Regions and the province that really occur in the corpus.
	r0, r1 := sample[0].Region, sample[1].Region
	return map[string][]Request{
		"plain": plain("aplikasi pengaduan warga", "posyandu", "bank sampah", "stunting", "perekaman ktp elektronik",
			"izin usaha", "jemput bola", "pemberdayaan umkm", "melaporkan jalan rusak", "beasiswa", "desa wisata",
			"pajak daerah", "air bersih", "inovasi pelayanan publik", "ibu hamil", "pengelolaan sampah", "presensi pegawai",
			"pupuk bersubsidi", "bantuan sosial", "literasi", "parkir", "musrenbang", "banjir", "dana desa"),
		// One word, as plain Bleve's one-term figure is for (see
		// BenchmarkPlainBleve); nearly every domain word has synonyms,
		// which Tiru searches too.
		"one_word": plain("posyandu", "stunting", "beasiswa", "literasi", "parkir", "musrenbang", "banjir", "imunisasi",
			"perpustakaan", "retribusi", "lansia", "relawan", "pariwisata", "pertanian", "sekolah", "transparansi"),
		"filtered_faceted_highlighted": {
			{Query: "aplikasi pengaduan", Filters: Filters{Province: "35"}},
			{Query: "posyandu", Filters: Filters{Stage: "penerapan", Urusan: "1.02"}},
			{Query: "pelayanan", Filters: Filters{Type: "digital", Year: "2022"}},
			{Query: "bank sampah", Filters: Filters{Province: "33", Stage: "penerapan"}},
			{Query: "ktp elektronik jemput bola", Filters: Filters{Urusan: "2.12"}},
			{Query: "umkm", Filters: Filters{Kind: "innovation", Evidence: "3"}},
			{Query: "perizinan", Filters: Filters{Region: r0}},
			{Query: "desa wisata", Filters: Filters{Province: "51"}},
			{Query: "data", Filters: Filters{Stage: "uji_coba", Type: "non_digital"}},
			{Query: "stunting balita", Filters: Filters{Province: "32", Year: "2021"}},
			{Query: "pengaduan", Filters: Filters{Region: r1}, Sort: "newest"},
			{Query: "sampah", Filters: Filters{Adoption: "diterapkan"}, Sort: "adopted"},
		},
		"fuzzy": plain("aplikasi pengadun", "posyandy", "stuntimg balita", "perizinn usaha", "kesehtan ibu hamil",
			"pendidkan anak", "bank sampha", "kependudukn", "pelayann publik", "pertanain organik", "beasiwsa siswa",
			"umkn digital", "jalan rusk", "laporn masyarakat", "imunisas", "perpustakan keliling"),
		// Words that occur as written (so no typo matching is added) and
		// expand to multi-word synonyms.
		"synonym": plain("ktp", "bpbd", "wifi gratis", "aduan", "umkm", "bansos", "puskesmas", "adminduk", "asn", "mpp",
			"spbe", "complaint app", "hotspot", "disdukcapil", "ptsp", "opd", "pothole", "bappeda", "oss", "kk", "dukcapil",
			"free wifi", "pns"),
		"phrase": plain(`"bank sampah"`, `"pelayanan publik"`, `"jemput bola"`, `"kartu tanda penduduk"`, `"laporan warga"`,
			`"ibu hamil"`, `"desa wisata"`, `"tanpa biaya"`, `"data kependudukan"`, `"jalan rusak"`, `"perangkat daerah terkait"`,
			`"dukungan pimpinan daerah"`, `"pupuk bersubsidi"`, `"air bersih" desa`),
	}
}

// benchCheckKind makes sure each list measures what its name says: typo
// queries really go through near spellings (and so are respelt), the others
// do not, and synonym queries really expand.
func benchCheckKind(b *testing.B, ix *Index, kind string, reqs []Request) {
	r := readerOf(b, ix)
	var bad []string
	for _, req := range reqs {
		plan := ix.textQuery(context.Background(), r, cleanQuery(req.Query), endsInWord(req.Query), nil)
		if fuzzy := plan.suggestion != ""; fuzzy != (kind == "fuzzy") {
			bad = append(bad, fmt.Sprintf("%q: respelt %v", req.Query, fuzzy))
		}
		if kind == "synonym" && !benchHasSynonym(ix.opt.Synonyms, cleanQuery(req.Query)) {
			bad = append(bad, fmt.Sprintf("%q expands to nothing", req.Query))
		}
		if kind == "one_word" && len(tokens(req.Query)) != 1 {
			bad = append(bad, fmt.Sprintf("%q is not one word", req.Query))
		}
	}
	if len(bad) > 0 {
		b.Fatalf("%s queries that do not measure %s:\n%s", kind, kind, strings.Join(bad, "\n"))
	}
}

// benchHasSynonym reports whether q names a member of a synonym group.
func benchHasSynonym(s *Synonyms, q string) bool {
	words := tokens(q)
	for _, g := range s.groups {
		for _, m := range g {
			for i := 0; i+len(tokens(m)) <= len(words); i++ {
				if slices.Equal(words[i:i+len(tokens(m))], tokens(m)) {
					return true
				}
			}
		}
	}
	return false
}

// BenchmarkQuery measures search latency through Index.Search (a page of 20
// hits with highlighted titles and snippets; the filtered kind also counts
// the nine facets) over a rotating list of realistic queries of each kind, reporting
// p50/p95/p99 per query in milliseconds. Run with e.g. -benchtime=2000x.
func BenchmarkQuery(b *testing.B) {
	cache := &benchIndexes{dir: b.TempDir(), ixs: map[int]*Index{}}
	if *benchIndexDir != "" {
		cache.dir = *benchIndexDir
	}
	b.Cleanup(func() {
		for _, ix := range cache.ixs {
			ix.Close()
		}
	})
	sample := synthetic.Innovations(benchSeed, 2)
	lists := benchQueries(sample)
	kinds := []string{"plain", "one_word", "filtered_faceted_highlighted", "fuzzy", "synonym", "phrase"}
	for _, kind := range kinds {
		b.Run(kind, func(b *testing.B) {
			for _, n := range benchSizes {
				b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
					benchSkipLarge(b, n)
					ix := cache.get(b, n)
					reqs := lists[kind]
					benchCheckKind(b, ix, kind, reqs)
					benchRunQueries(b, ix.Search, reqs)
				})
			}
		})
	}
}

func benchRunQueries(b *testing.B, search func(context.Context, Request) (*Result, error), reqs []Request) {
	ctx := context.Background()
	for _, req := range reqs { // warm up: first use of each term's postings
		if _, err := search(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
	lat := make([]time.Duration, 0, b.N)
	var total uint64
	b.ResetTimer()
	cpu := processCPU()
	for i := 0; i < b.N; i++ {
		t := time.Now()
		res, err := search(ctx, reqs[i%len(reqs)])
		lat = append(lat, time.Since(t))
		if err != nil {
			b.Fatal(err)
		}
		total += res.Total
	}
	cpu = processCPU() - cpu
	b.StopTimer()
	benchReportLatency(b, lat)
	b.ReportMetric(float64(total)/float64(b.N), "hits/op")
	// CPU time per query, garbage collection included: steadier than
	// latency on a shared machine, whose other tenants slow the clock but
	// not the work.
	if cpu > 0 {
		b.ReportMetric(float64(cpu)/float64(time.Millisecond)/float64(b.N), "cpu_ms/op")
	}
}

// benchReportLatency reports the p50, p95 and p99 of lat in milliseconds
// (nearest rank).
func benchReportLatency(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	for _, p := range []int{50, 95, 99} {
		k := (len(lat)*p + 99) / 100
		b.ReportMetric(float64(lat[max(k-1, 0)])/float64(time.Millisecond), "p"+strconv.Itoa(p)+"_ms")
	}
}
