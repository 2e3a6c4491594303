package search

import (
	"context"
	"fmt"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"tiru/internal/kb"
)

// Leaving out the records a reader may not see keeps exactly what Bleve's
// boolean must/must-not query keeps, with the same scores: for an
// anonymous reader, for staff of a region that owns some internal
// records, and for queries that match many, few and none of the left-out
// records; over several segments with deleted records (the hidden records
// are read from the segments), and over a reader that is not a scorch
// snapshot (which goes through Bleve's searchers).
func TestWithoutQueryMatchesBleves(t *testing.T) {
	ix, r := snapshotWithDeletions(t, func(ix *Index) {
		applyInBatches(t, ix, syntheticDocs(t, 31, 300, func(i int, in *kb.Innovation) {
			switch i % 9 {
			case 2:
				in.Visibility = "internal"
			case 5:
				in.Visibility = "internal"
				in.Region = "63.03"
			}
		}), 70)
	}, []string{DocID("innovation", 2), DocID("innovation", 5), DocID("innovation", 74), DocID("innovation", 200)})
	left := 0
	for _, v := range []kb.Viewer{{}, {Region: "63.03"}} {
		hidden := hiddenQuery(r, v)
		if hidden == nil {
			t.Fatal("the index has internal records, yet nothing is left out")
		}
		for _, q := range []string{"aplikasi pengaduan warga", "posyandu", "bank sampah desa", "tidakadakatasepertiini"} {
			scored := ix.textQuery(context.Background(), r, cleanQuery(q), endsInWord(q), nil).strict
			if scored == nil {
				scored = match(q, fText, 1)
			}
			inner := bleve.NewConjunctionQuery(scored, filter("innovation", "kind"))
			bq := bleve.NewBooleanQuery()
			bq.AddMust(inner)
			bq.AddMustNot(hidden)
			want := searcherHits(t, r, ix, bq)
			compareHits(t, fmt.Sprintf("viewer %q, %q", v.Region, q), want, searcherHits(t, r, ix, &withoutQuery{q: inner, not: hidden}), 0)
			left += len(searcherHits(t, r, ix, inner)) - len(want)
			// Not over a snapshot, through Bleve's searchers. (This reader
			// hides the synonyms, so it finds fewer records than above.)
			other := struct{ index.IndexReader }{r}
			compareHits(t, fmt.Sprintf("viewer %q, %q, not over a snapshot", v.Region, q),
				searcherHits(t, other, ix, bq), searcherHits(t, other, ix, &withoutQuery{q: inner, not: hidden}), 0)
		}
	}
	if left == 0 {
		t.Fatal("no query had a record to leave out")
	}
}

// searcherHits runs q's searcher over r and returns each record it gives
// with its score.
func searcherHits(t *testing.T, r index.IndexReader, ix *Index, q query.Query) map[string]float64 {
	t.Helper()
	s, err := q.Searcher(context.Background(), r, ix.idx.Mapping(), search.SearcherOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0)}
	out := map[string]float64{}
	for {
		dm, err := s.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if dm == nil {
			return out
		}
		id, err := r.ExternalID(dm.IndexInternalID)
		if err != nil {
			t.Fatal(err)
		}
		out[id] = dm.Score
		ctx.DocumentMatchPool.Put(dm)
	}
}
