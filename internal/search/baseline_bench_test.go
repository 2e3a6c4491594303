package search

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"

	"tiru/internal/synthetic"
)

// plainDoc is a synthetic write-up as plain Bleve gets it: the same words
// Tiru indexes, analysed by Bleve's standard analyzer.
type plainDoc struct {
	Title    string `json:"title"`
	Text     string `json:"text"`
	Meta     string `json:"meta"`
	Province string `json:"province"`
	Urusan   string `json:"urusan"`
	Stage    string `json:"stage"`
	Year     string `json:"year"`
}

// plainMappings are the two ways of using Bleve plainly: its defaults
// (every field stored, with term vectors and doc values, and the _all
// field), and an explicit mapping with only what a search with two facets
// and highlighting needs (text stored with term vectors, facet fields with
// doc values, no _all).
func plainMappings() map[string]*mapping.IndexMappingImpl {
	lean := bleve.NewIndexMapping()
	dm := bleve.NewDocumentStaticMapping()
	for _, f := range []string{"title", "text", "meta"} {
		fm := bleve.NewTextFieldMapping()
		fm.Store = f != "meta"
		fm.IncludeInAll = false
		fm.DocValues = false
		dm.AddFieldMappingsAt(f, fm)
	}
	for _, f := range []string{"province", "urusan", "stage", "year"} {
		fm := bleve.NewKeywordFieldMapping()
		fm.Store, fm.IncludeInAll, fm.IncludeTermVectors = false, false, false
		dm.AddFieldMappingsAt(f, fm)
	}
	lean.DefaultMapping = dm
	lean.DefaultField = "text"
	return map[string]*mapping.IndexMappingImpl{"default": bleve.NewIndexMapping(), "explicit": lean}
}

// BenchmarkPlainBleve is the yardstick for the search targets, which ask
// Tiru to keep plain Bleve's speed while doing more per document and per
// query: plain Bleve on this machine, over the same synthetic corpus, fed
// the same way and in batches of the same size as BenchmarkIndex, and
// searched for one word (term) and for one word with two facets and
// highlighting (faceted). Run with -benchtime=1x; each size is built once.
func BenchmarkPlainBleve(b *testing.B) {
	for _, name := range []string{"default", "explicit"} {
		for _, n := range benchSizes {
			b.Run(fmt.Sprintf("mapping=%s/docs=%d", name, n), func(b *testing.B) {
				benchSkipLarge(b, n)
				benchPlainBleve(b, plainMappings()[name], n)
			})
		}
	}
}

func benchPlainBleve(b *testing.B, m *mapping.IndexMappingImpl, n int) {
	idx, took := benchBuildPlain(b, m, n)
	defer idx.Close()
	b.ReportMetric(float64(n)/took.Seconds(), "docs/s")
	words := []string{"posyandu", "stunting", "beasiswa", "literasi", "parkir", "musrenbang", "banjir", "pengaduan",
		"perizinan", "sampah", "umkm", "wisata"}
	for _, kind := range []string{"term", "faceted"} {
		reqs := make([]*bleve.SearchRequest, len(words))
		for i, w := range words {
			q := bleve.NewMatchQuery(w)
			reqs[i] = bleve.NewSearchRequestOptions(q, 20, 0, false)
			if kind == "faceted" {
				reqs[i].AddFacet("province", bleve.NewFacetRequest("province", 40))
				reqs[i].AddFacet("urusan", bleve.NewFacetRequest("urusan", 40))
				reqs[i].Highlight = bleve.NewHighlight()
				reqs[i].Highlight.AddField("text")
			}
		}
		lat := benchPlainQueries(b, idx, reqs)
		for _, p := range []int{50, 99} {
			k := (len(lat)*p + 99) / 100
			b.ReportMetric(float64(lat[max(k-1, 0)])/float64(time.Millisecond), fmt.Sprintf("%s_p%d_ms", kind, p))
		}
	}
}

func benchBuildPlain(b *testing.B, m *mapping.IndexMappingImpl, n int) (bleve.Index, time.Duration) {
	b.Helper()
	idx, err := bleve.New(filepath.Join(b.TempDir(), "plain.bleve"), m)
	if err != nil {
		b.Fatal(err)
	}
	bld := testBuilder(b)
	gen := synthetic.New(benchSeed)
	start := time.Now()
	for docs := range benchBatches(bld, gen, n) {
		batch := idx.NewBatch()
		for _, d := range docs {
			pd := plainDoc{Title: d.Title, Text: d.Text, Meta: d.Meta, Province: d.Province, Urusan: strings.Join(d.Urusan, " "),
				Stage: d.Stage, Year: d.Year}
			if err := batch.Index(d.Slug, pd); err != nil {
				b.Fatal(err)
			}
		}
		if err := idx.Batch(batch); err != nil {
			b.Fatal(err)
		}
	}
	took := time.Since(start)
	if c, err := idx.DocCount(); err != nil || c != uint64(n) {
		b.Fatalf("plain index holds %d documents (%v), want %d", c, err, n)
	}
	return idx, took
}

// benchPlainQueries runs b.N of reqs in turn after one warm-up round and
// returns the sorted latencies.
func benchPlainQueries(b *testing.B, idx bleve.Index, reqs []*bleve.SearchRequest) []time.Duration {
	ctx := context.Background()
	for _, r := range reqs {
		if _, err := idx.SearchInContext(ctx, r); err != nil {
			b.Fatal(err)
		}
	}
	lat := make([]time.Duration, 0, b.N)
	for i := 0; i < max(b.N, 200); i++ {
		t := time.Now()
		res, err := idx.SearchInContext(ctx, reqs[i%len(reqs)])
		lat = append(lat, time.Since(t))
		if err != nil || res.Total == 0 {
			b.Fatalf("%v: %v hits, %v", reqs[i%len(reqs)].Query, res, err)
		}
	}
	slices.Sort(lat)
	return lat
}
