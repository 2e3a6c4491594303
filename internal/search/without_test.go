package search

import (
	"fmt"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"tiru/internal/kb"
)

// Leaving out the records a reader may not see keeps exactly what Bleve's
// boolean must/must-not query keeps, with the same scores: for an
// anonymous reader, for staff of a region that owns some internal
// records, and for queries that match many, few and none of the left-out
// records.
func TestWithoutQueryMatchesBleves(t *testing.T) {
	ix := openTestIndex(t)
	applyInBatches(t, ix, syntheticDocs(t, 31, 300, func(i int, in *kb.Innovation) {
		switch i % 9 {
		case 2:
			in.Visibility = "internal"
		case 5:
			in.Visibility = "internal"
			in.Region = "63.03"
		}
	}), 70)
	r := readerOf(t, ix)
	left := 0
	for _, v := range []kb.Viewer{{}, {Region: "63.03"}} {
		hidden := hiddenQuery(r, v)
		if hidden == nil {
			t.Fatal("the index has internal records, yet nothing is left out")
		}
		for _, q := range []string{"aplikasi pengaduan warga", "posyandu", "bank sampah desa", "tidakadakatasepertiini"} {
			scored := ix.textQuery(r, cleanQuery(q)).strict
			if scored == nil {
				scored = match(q, fText, 1)
			}
			inner := bleve.NewConjunctionQuery(scored, filter("innovation", "kind"))
			bq := bleve.NewBooleanQuery()
			bq.AddMust(inner)
			bq.AddMustNot(hidden)
			want, got := sameSnapshotHits(t, ix, bq, &withoutQuery{q: inner, not: hidden})
			left += len(hitScores(t, ix, inner)) - len(want)
			compareHits(t, fmt.Sprintf("viewer %q, %q", v.Region, q), want, got, 0)
		}
	}
	if left == 0 {
		t.Fatal("no query had a record to leave out")
	}
}
