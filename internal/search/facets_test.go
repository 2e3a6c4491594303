package search

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"tiru/internal/kb"
	"tiru/internal/synthetic"
)

// wantFacets counts the facet values of docs the way a search shows them:
// per facet, the facetShown most frequent.
func wantFacets(docs []*Document) map[string]map[string]int {
	out := map[string]map[string]int{}
	for _, f := range facetFields {
		out[f] = map[string]int{}
	}
	for _, d := range docs {
		for _, t := range d.Facets {
			f, v, _ := strings.Cut(t, facetSep)
			out[f][v]++
		}
	}
	return out
}

func checkFacets(t *testing.T, when string, got map[string][]FacetValue, want map[string]map[string]int) {
	t.Helper()
	for _, f := range facetFields {
		if len(got[f]) != min(len(want[f]), facetShown(f)) {
			t.Errorf("%s: facet %s lists %d values, want %d", when, f, len(got[f]), min(len(want[f]), facetShown(f)))
		}
		for i, v := range got[f] {
			if v.Count != want[f][v.Value] {
				t.Errorf("%s: %s=%s counted %d, want %d", when, f, v.Value, v.Count, want[f][v.Value])
			}
			if i > 0 && v.Count > got[f][i-1].Count {
				t.Errorf("%s: facet %s not most frequent first: %v", when, f, got[f])
			}
		}
	}
}

// Facet counts are those of the records a search finds, for the viewer,
// and follow every change to the index: an edit moves a record from one
// value to another and a deletion takes it out.
func TestFacetCountsFollowChanges(t *testing.T) {
	ix := openTestIndex(t)
	b := testBuilder(t)
	var docs []*Document
	for i, in := range synthetic.Innovations(7, 60) {
		in.Visibility = "public"
		if i%10 == 0 {
			in.Visibility = "internal"
		}
		docs = append(docs, b.Innovation(int64(i+1), in, "2024-10-22T00:00:00Z", []Adopter{{Region: "63.03", Status: "diterapkan"}}[:i%2]))
	}
	if err := ix.Apply(docs, nil); err != nil {
		t.Fatal(err)
	}
	visible := func(ds []*Document) []*Document {
		return slices.DeleteFunc(slices.Clone(ds), func(d *Document) bool { return d.Visibility != "public" })
	}
	browse := func() *Result { return mustSearch(t, ix, Request{PerPage: 5}) }
	checkFacets(t, "browse", browse().Facets, wantFacets(visible(docs)))

	// Only the records found count: one stage, then one kind of word.
	stage := docs[1].Stage
	var staged []*Document
	for _, d := range visible(docs) {
		if d.Stage == stage {
			staged = append(staged, d)
		}
	}
	checkFacets(t, "stage filter", mustSearch(t, ix, Request{Filters: Filters{Stage: stage}}).Facets, wantFacets(staged))

	// An edit and two deletions, then the counts of what is left.
	edited := *docs[1]
	edited.Stage = "uji_coba"
	if docs[1].Stage == edited.Stage {
		edited.Stage = "penerapan"
	}
	edited.Facets = edited.facetTerms()
	docs[1] = &edited
	gone := []string{DocID(docs[2].Kind, docs[2].ID), DocID(docs[3].Kind, docs[3].ID)}
	if err := ix.Apply([]*Document{&edited}, gone); err != nil {
		t.Fatal(err)
	}
	left := slices.Delete(slices.Clone(docs), 2, 4)
	res := browse()
	if res.Total != uint64(len(visible(left))) {
		t.Fatalf("after the changes browse finds %d, want %d", res.Total, len(visible(left)))
	}
	checkFacets(t, "after changes", res.Facets, wantFacets(visible(left)))

	// A viewer who may read the internal records counts them too.
	all := mustSearch(t, ix, Request{Viewer: kb.Viewer{AllInternal: true}})
	checkFacets(t, "all internal", all.Facets, wantFacets(left))
}

// Searches on two snapshots in turn (a change in between each time) count
// from the right one each time.
func TestFacetCountsAcrossManyChanges(t *testing.T) {
	ix := openTestIndex(t)
	b := testBuilder(t)
	for i := range 30 {
		in := &kb.Innovation{Slug: fmt.Sprintf("r%d", i), Title: "Bank sampah", Summary: "Sampah plastik.", Region: "63.03", Language: "id", Visibility: "public"}
		if err := ix.Apply([]*Document{b.Innovation(int64(i+1), in, "2024-10-22T00:00:00Z", nil)}, nil); err != nil {
			t.Fatal(err)
		}
		res, err := ix.Search(context.Background(), Request{Query: "sampah", Facets: []string{"kind", "region"}})
		if err != nil {
			t.Fatal(err)
		}
		if k := res.Facets["kind"]; len(k) != 1 || k[0].Count != i+1 {
			t.Fatalf("after %d records the kind facet counts %v", i+1, k)
		}
		if r := res.Facets["region"]; len(r) != 1 || r[0].Value != "63.03" || r[0].Count != i+1 {
			t.Fatalf("after %d records the region facet counts %v", i+1, r)
		}
	}
}

// Searches running while the index changes each count from the snapshot
// they read, and once the changes stop the counts are exact.
func TestFacetCountsWhileIndexing(t *testing.T) {
	ix := openTestIndex(t)
	b := testBuilder(t)
	const n = 40
	done := make(chan struct{})
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			for {
				select {
				case <-done:
					errs <- nil
					return
				default:
				}
				res, err := ix.Search(context.Background(), Request{Query: "sampah", Facets: []string{"kind"}})
				if err != nil {
					errs <- err
					return
				}
				if k := res.Facets["kind"]; len(k) > 0 && uint64(k[0].Count) != res.Total {
					errs <- fmt.Errorf("kind facet counts %d of %d results", k[0].Count, res.Total)
					return
				}
			}
		}()
	}
	for i := range n {
		in := &kb.Innovation{Slug: fmt.Sprintf("r%d", i), Title: "Bank sampah", Summary: "Sampah plastik.", Region: "63.03", Language: "id", Visibility: "public"}
		if err := ix.Apply([]*Document{b.Innovation(int64(i+1), in, "2024-10-22T00:00:00Z", nil)}, nil); err != nil {
			t.Fatal(err)
		}
	}
	close(done)
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	res := mustSearch(t, ix, Request{Query: "sampah", Facets: []string{"kind"}})
	if k := res.Facets["kind"]; len(k) != 1 || k[0].Count != n {
		t.Fatalf("after %d records the kind facet counts %v", n, k)
	}
}

// Each index segment's facet values are read once: after a write, a search
// reads only the new segment, and values first seen in it are counted
// alongside the old ones.
func TestFacetColumnsReadNewSegmentsOnly(t *testing.T) {
	ix := openTestIndex(t)
	b := testBuilder(t)
	var all []*Document
	add := func(region string, n int) {
		t.Helper()
		var docs []*Document
		for range n {
			id := int64(len(all) + len(docs) + 1)
			in := &kb.Innovation{Slug: fmt.Sprintf("r%d", id), Title: "Bank sampah", Summary: "Sampah plastik.", Region: region, Language: "id", Visibility: "public"}
			docs = append(docs, b.Innovation(id, in, "2024-10-22T00:00:00Z", nil))
		}
		if err := ix.Apply(docs, nil); err != nil {
			t.Fatal(err)
		}
		all = append(all, docs...)
	}
	add("63.03", 5)
	add("33.72", 3)
	res := mustSearch(t, ix, Request{Query: "sampah"})
	checkFacets(t, "two batches", res.Facets, wantFacets(all))
	before := maps.Clone(ix.facets.segs)

	add("51.71", 1) // a region no earlier segment has
	res = mustSearch(t, ix, Request{Query: "sampah"})
	checkFacets(t, "after one more record", res.Facets, wantFacets(all))
	read := 0
	for seg, col := range ix.facets.segs {
		old, seen := before[seg]
		switch {
		case !seen:
			read++
		case old != col:
			t.Errorf("a segment searched before was read again")
		}
	}
	// The new record's segment, and any that Bleve merged meanwhile.
	if read == 0 || read > 2 {
		t.Errorf("%d segments read after a one-record write (of %d)", read, len(ix.facets.segs))
	}
}
