package search

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"

	"tiru/internal/kb"
)

// A search of a large index runs in parts on spare cores. What it answers
// must be exactly what one search of the whole answers: the total, the
// page of hits in the same order with the same scores and snippets, the
// facet counts and the suggestion. Among the records are identical copies
// of one write-up, whose equal scores Bleve orders by record; with them
// the parts' pages must interleave the same way.
func TestSearchInPartsAnswersAsOneSearch(t *testing.T) {
	ix := openTestIndex(t)
	var twin kb.Innovation
	docs := syntheticDocs(t, 41, 420, func(i int, in *kb.Innovation) {
		switch {
		case i == 3:
			twin = *in
		case i%37 == 3:
			slug := in.Slug
			*in = twin
			in.Slug = slug
		case i%11 == 5:
			in.Visibility = "internal"
		}
	})
	applyInBatches(t, ix, docs, 60)
	if err := ix.Apply(nil, []string{DocID("innovation", 9), DocID("innovation", 200)}); err != nil {
		t.Fatal(err)
	}
	reqs := []Request{
		{Query: twin.Title},
		{Query: twin.Title, Page: 2, PerPage: 3},
		{Query: "aplikasi pengaduan warga"},
		{Query: "aplikasi pengaduan warga", Facets: []string{}},
		{Query: "posyandu", Filters: Filters{Kind: "innovation"}, Sort: "newest"},
		{Query: "pelayanan", Sort: "adopted", PerPage: 7},
		{Query: "pengadun masyarakat"},
		{Query: `"bank sampah"`},
		{Query: "tidakadakatasepertiini posyandu"},
		{Query: ""},
		{Query: "", Page: 3, PerPage: 11},
		{Query: "data", Viewer: kb.Viewer{Region: docs[5].Region}},
		{Query: "data", Viewer: kb.Viewer{AllInternal: true}, PerPage: 50},
	}
	for _, req := range reqs {
		whole, parts := searchWholeAndInParts(t, ix, req)
		if whole.Total == 0 {
			t.Errorf("%+v finds nothing: it tests nothing", req)
		}
		if !reflect.DeepEqual(whole, parts) {
			t.Errorf("%+v in parts:\n%s\nas one search:\n%s", req, describe(parts), describe(whole))
		}
	}
}

// searchWholeAndInParts runs req as one search and in four parts, against
// the same state of the index: background merges renumber records, which
// reorders equal scores.
func searchWholeAndInParts(t *testing.T, ix *Index, req Request) (whole, parts *Result) {
	t.Helper()
	search := func(split bool) *Result {
		ix.splitAt, ix.cores = 0, newCores()
		if split {
			ix.splitAt, ix.cores = 1, make(cores, maxParts-1)
		}
		res, err := ix.Search(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		res.Took = 0
		return res
	}
	for range 50 {
		whole, parts = search(false), search(true)
		if reflect.DeepEqual(whole, search(false)) {
			return whole, parts
		}
	}
	t.Fatal("the index kept changing")
	return nil, nil
}

func describe(r *Result) string {
	s := fmt.Sprintf("total %d, suggestion %q, facets %v\n", r.Total, r.Suggestion, r.Facets)
	for _, h := range r.Hits {
		s += fmt.Sprintf("  %s %v\n", h.Slug, h.Score)
	}
	return s
}

// While records are written, a search in parts may be given a different
// snapshot for each part, numbered differently; it must then search
// again as one. Rewriting the same records leaves what matches unchanged,
// so every answer must have the same total and no record twice.
func TestSearchInPartsWhileWriting(t *testing.T) {
	ix := openTestIndex(t)
	docs := syntheticDocs(t, 43, 300, nil)
	applyInBatches(t, ix, docs, 100)
	req := Request{Query: "aplikasi pengaduan warga", PerPage: 50}
	want, err := ix.Search(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	ix.splitAt, ix.cores = 1, make(cores, maxParts-1)
	done := make(chan error, 1)
	go func() {
		for i := 0; i < len(docs); i += 7 {
			if err := ix.Apply(docs[i:min(i+7, len(docs))], nil); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	// The writer is waited for before the test ends, whatever happens:
	// it writes to an index the test closes.
	var failed string
	searches := 0
	for writing := true; writing && failed == ""; searches++ {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			writing = false
			continue
		default:
		}
		res, err := ix.Search(context.Background(), req)
		if err != nil {
			failed = err.Error()
			break
		}
		seen := map[string]bool{}
		for _, h := range res.Hits {
			if seen[h.Slug] {
				failed = h.Slug + " twice in one page"
			}
			seen[h.Slug] = true
		}
		if res.Total != want.Total || len(res.Hits) != len(want.Hits) {
			failed = fmt.Sprintf("%d records, %d on the page while writing; %d, %d before", res.Total, len(res.Hits), want.Total, len(want.Hits))
		}
	}
	if failed != "" {
		if err := <-done; err != nil {
			t.Error(err)
		}
		t.Fatal(failed)
	}
	if searches < 10 {
		t.Fatalf("only %d searches ran while writing", searches)
	}
}

// Any typed query, any sort and page, answers the same in parts as whole.
func FuzzSearchInParts(f *testing.F) {
	for _, q := range []string{"aplikasi pengaduan warga", "pengadun masyarakat", `"bank sampah" desa`, "kunker Solo", "",
		"***", `aplikasi "pengaduan`, "\x00\xff posyandu", "a b c d e f g h i j k l m n o p q r s t"} {
		f.Add(q, uint8(0), uint8(1))
	}
	f.Add("pelayanan", uint8(1), uint8(3))
	f.Add("data", uint8(2), uint8(2))
	ix := openTestIndex(f)
	applyInBatches(f, ix, syntheticDocs(f, 53, 240, func(i int, in *kb.Innovation) {
		if i%13 == 4 {
			in.Visibility = "internal"
		}
	}), 80)
	sorts := []string{"", "newest", "adopted"}
	f.Fuzz(func(t *testing.T, q string, sort, page uint8) {
		req := Request{Query: q, Sort: sorts[int(sort)%len(sorts)], Page: int(page%4) + 1, PerPage: 7}
		whole, parts := searchWholeAndInParts(t, ix, req)
		if !reflect.DeepEqual(whole, parts) {
			t.Errorf("%+v in parts:\n%s\nas one search:\n%s", req, describe(parts), describe(whole))
		}
	})
}

// panicQuery's searcher panics, as Bleve's can on a damaged segment.
type panicQuery struct{}

func (panicQuery) Searcher(context.Context, index.IndexReader, mapping.IndexMapping, search.SearcherOptions) (search.Searcher, error) {
	panic("damaged segment")
}

// A panic in a part of a search reaches the caller's goroutine, where the
// server turns it into a 500, instead of ending the process from a
// goroutine of its own.
func TestSearchInPartsHandsPanicsBack(t *testing.T) {
	ix := openTestIndex(t)
	applyInBatches(t, ix, syntheticDocs(t, 59, 20, nil), 20)
	defer func() {
		if v := recover(); v != "damaged segment" {
			t.Fatalf("recovered %v", v)
		}
	}()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	ix.searchParts(context.Background(), bleve.NewSearchRequest(panicQuery{}), false, 2)
	t.Fatal("no panic")
}
