package search

import (
	"testing"

	"github.com/blevesearch/bleve/v2"

	"tiru/internal/kb"
	"tiru/internal/synthetic"
)

// Leaving out the records a reader may not see keeps exactly what Bleve's
// boolean must/must-not query keeps, with the same scores: for an
// anonymous reader, for staff of a region that owns some internal
// records, and for queries that match many, few and none of the left-out
// records.
func TestWithoutQueryMatchesBleves(t *testing.T) {
	ix := openTestIndex(t)
	b := testBuilder(t)
	var docs []*Document
	for i, in := range synthetic.Innovations(31, 300) {
		in.Visibility = "public"
		switch i % 9 {
		case 2:
			in.Visibility = "internal"
		case 5:
			in.Visibility = "internal"
			in.Region = "63.03"
		}
		docs = append(docs, b.Innovation(int64(i+1), in, "2024-10-22T00:00:00Z", nil))
	}
	for len(docs) > 0 {
		n := min(len(docs), 70)
		if err := ix.Apply(docs[:n], nil); err != nil {
			t.Fatal(err)
		}
		docs = docs[n:]
	}
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
			all := phraseHits(t, ix, inner)
			left += len(all) - len(want)
			if len(want) != len(got) {
				t.Errorf("viewer %q, %q: %d records, Bleve keeps %d", v.Region, q, len(got), len(want))
				continue
			}
			for id, score := range want {
				if g, ok := got[id]; !ok || g != score {
					t.Errorf("viewer %q, %q: %s scored %v (found %v), Bleve %v", v.Region, q, id, g, ok, score)
				}
			}
		}
	}
	if left == 0 {
		t.Fatal("no query had a record to leave out")
	}
}
