package search

import (
	"context"
	"slices"
	"testing"

	"tiru/internal/kb"
)

// Compacting merges the index into one segment and finds the same records
// for every query; the index takes writes afterwards as before. (Scores
// may move: Bleve's estimate of a field's mean length sums the segments'
// dictionaries, see README, Known gaps.)
func TestCompactLeavesOneSegmentAndTheSameResults(t *testing.T) {
	ix := openTestIndex(t)
	applyInBatches(t, ix, syntheticDocs(t, 53, 320, nil), 40)
	before, err := ix.Segments()
	if err != nil {
		t.Fatal(err)
	}
	if before < 2 {
		t.Fatalf("eight batches left %d segment(s); the test needs several", before)
	}
	queries := []string{"aplikasi pengaduan warga", "posyandu", "bank sampah", "perizinn usaha", "ktp", `"pelayanan publik"`, "pemberdayaan umkm"}
	found := func() map[string][]string {
		out := map[string][]string{}
		for _, q := range queries {
			for page := 1; ; page++ {
				res, err := ix.Search(context.Background(), Request{Query: q, Facets: []string{}, Page: page, PerPage: MaxPerPage})
				if err != nil {
					t.Fatal(err)
				}
				out[q] = append(out[q], slugs(res.Hits)...)
				if len(res.Hits) < MaxPerPage {
					break
				}
			}
			slices.Sort(out[q])
		}
		return out
	}
	want := found()
	if err := ix.Compact(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n, err := ix.Segments(); err != nil || n != 1 {
		t.Fatalf("after compacting: %d segments (%v), want 1", n, err)
	}
	got := found()
	for _, q := range queries {
		if len(want[q]) == 0 {
			t.Fatalf("%q found nothing: the comparison says nothing", q)
		}
		if !slices.Equal(got[q], want[q]) {
			t.Errorf("%q found %d records after compacting, %d before, or others", q, len(got[q]), len(want[q]))
		}
	}
	b := testBuilder(t)
	late := b.Innovation(1000, &kb.Innovation{Slug: "lumbung-pangan", Title: "Lumbung Pangan Desa", Region: "63.03", Language: "id",
		Visibility: "public", Summary: "Cadangan beras desa untuk musim paceklik."}, "2024-10-22T00:00:00Z", nil)
	if err := ix.Apply([]*Document{late}, nil); err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(context.Background(), Request{Query: "lumbung pangan", Facets: []string{}})
	if err != nil || len(res.Hits) == 0 || res.Hits[0].Slug != "lumbung-pangan" {
		t.Fatalf("a record written after compacting is not found first: %+v (%v)", res, err)
	}
}
