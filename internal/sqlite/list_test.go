package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"testing"

	"tiru/internal/kb"
	"tiru/internal/sqlite"
)

func slugsOf(list []sqlite.InnovationSummary) []string {
	out := []string{}
	for _, s := range list {
		out = append(out, s.Slug)
	}
	sort.Strings(out)
	return out
}

func TestInternalInnovationVisibility(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, sqlite.Options{})
	putInnovation(t, db, "ani", newInnovation(t, "publik-solo", "33.72"))
	putInnovation(t, db, "ani", newInnovation(t, "internal-solo", "33.72", func(in *kb.Innovation) { in.Visibility = "internal" }))
	putVisit(t, db, "ani", newVisit(t, "kunjungan-banjar", []string{"internal-solo", "publik-solo"}))
	a := &kb.Adoption{Innovation: "internal-solo", Region: "63.03", Status: "diminati", Visit: "kunjungan-banjar"}
	if err := a.Validate(testRef(t).Ref); err != nil {
		t.Fatal(err)
	}
	mustUpdate(t, db, "ani", func(ctx context.Context, tx *sqlite.Tx) error { _, err := tx.PutAdoption(ctx, a); return err })

	tests := []struct {
		name     string
		viewer   kb.Viewer
		sees     bool
		listed   []string
		observed []string
	}{
		{"anonymous", kb.Viewer{}, false, []string{"publik-solo"}, []string{"publik-solo"}},
		{"staff of another region", kb.Viewer{Region: "32.79"}, false, []string{"publik-solo"}, []string{"publik-solo"}},
		{"staff of the owning region", kb.Viewer{Region: "33.72"}, true, []string{"internal-solo", "publik-solo"}, []string{"internal-solo", "publik-solo"}},
		// 63.03 adopted it while it was public: it keeps reading what it
		// adopts, or its adoption could no longer be moved.
		{"staff of the adopting region", kb.Viewer{Region: "63.03"}, true, []string{"internal-solo", "publik-solo"}, []string{"internal-solo", "publik-solo"}},
		{"admin", kb.Viewer{AllInternal: true}, true, []string{"internal-solo", "publik-solo"}, []string{"internal-solo", "publik-solo"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, err := db.GetInnovation(ctx, "internal-solo", tt.viewer)
			if tt.sees {
				if err != nil || rec.Slug != "internal-solo" {
					t.Fatalf("GetInnovation = %v, %v; want the record", rec, err)
				}
			} else if !errors.Is(err, kb.ErrNotFound) {
				t.Fatalf("GetInnovation = %v, %v; want ErrNotFound (not even a hint that it exists)", rec, err)
			}
			list, total, err := db.ListInnovations(ctx, sqlite.InnovationFilter{Viewer: tt.viewer})
			if err != nil {
				t.Fatal(err)
			}
			if got := slugsOf(list); !reflect.DeepEqual(got, tt.listed) || total != len(tt.listed) {
				t.Errorf("ListInnovations = %v (total %d), want %v", got, total, tt.listed)
			}
			v, err := db.GetVisit(ctx, "kunjungan-banjar", tt.viewer)
			if err != nil {
				t.Fatal(err)
			}
			got := append([]string(nil), v.Innovations...)
			sort.Strings(got)
			if !reflect.DeepEqual(got, tt.observed) || len(v.Observed) != len(tt.observed) {
				t.Errorf("visit shows observed %v, want %v", got, tt.observed)
			}
			stats, err := db.Stats(ctx, tt.viewer)
			if err != nil || stats.Innovations != len(tt.listed) {
				t.Errorf("Stats = %+v, %v; want %d innovations", stats, err, len(tt.listed))
			}
		})
	}
	// Staff of the adopting region see the adoption of an internal innovation
	// they are adopting, but anonymous readers do not.
	if ads, err := db.ListAdoptionsByRegion(ctx, "63.03", kb.Viewer{}); err != nil || len(ads) != 0 {
		t.Errorf("anonymous adoptions of 63.03 = %+v, %v; want none", ads, err)
	}
	if ads, err := db.ListAdoptionsByRegion(ctx, "63", kb.Viewer{Region: "63.03"}); err != nil || len(ads) != 1 {
		t.Errorf("63.03 staff adoptions in province 63 = %+v, %v; want 1", ads, err)
	}
}

func TestInternalVisitVisibility(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, sqlite.Options{})
	putVisit(t, db, "ani", newVisit(t, "rapat-internal", nil, func(v *kb.Visit) { v.Visibility = "internal" }))
	for _, tt := range []struct {
		viewer kb.Viewer
		sees   bool
	}{
		{kb.Viewer{}, false},
		{kb.Viewer{Region: "34"}, false},
		{kb.Viewer{Region: "63.03"}, true}, // visitor
		{kb.Viewer{Region: "33.72"}, true}, // host
		{kb.Viewer{AllInternal: true}, true},
	} {
		t.Run(fmt.Sprintf("%+v", tt.viewer), func(t *testing.T) {
			_, err := db.GetVisit(ctx, "rapat-internal", tt.viewer)
			if tt.sees != (err == nil) {
				t.Errorf("GetVisit = %v, want visible %v", err, tt.sees)
			}
			if !tt.sees && !errors.Is(err, kb.ErrNotFound) {
				t.Errorf("hidden visit gives %v, want ErrNotFound", err)
			}
			_, total, err := db.ListVisits(ctx, sqlite.VisitFilter{Viewer: tt.viewer})
			if err != nil || (total == 1) != tt.sees {
				t.Errorf("ListVisits total = %d, %v; want visible %v", total, err, tt.sees)
			}
		})
	}
}

func TestListInnovationsFilters(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, sqlite.Options{})
	putInnovation(t, db, "ani", newInnovation(t, "solo-digital", "33.72", func(in *kb.Innovation) { in.InnovationType = "digital" }))
	putInnovation(t, db, "ani", newInnovation(t, "cilacap-uji", "33.01", func(in *kb.Innovation) { in.Stage = "uji_coba"; in.Urusan = "1.02" }))
	putInnovation(t, db, "ani", newInnovation(t, "jateng-prov", "33"))
	putInnovation(t, db, "ani", newInnovation(t, "banjar-kab", "63.03"))
	putInnovation(t, db, "ani", newInnovation(t, "banjar-kota", "32.79"))
	// 3 followed by another digit is a different province: 33 must not match 3x.
	putInnovation(t, db, "ani", newInnovation(t, "jogja-kota", "34.71"))
	tests := []struct {
		name string
		f    sqlite.InnovationFilter
		want []string
	}{
		{"province includes its kabupaten and kota", sqlite.InnovationFilter{Region: "33"}, []string{"cilacap-uji", "jateng-prov", "solo-digital"}},
		{"one kota", sqlite.InnovationFilter{Region: "33.72"}, []string{"solo-digital"}},
		{"kabupaten, not the kota of the same name", sqlite.InnovationFilter{Region: "63.03"}, []string{"banjar-kab"}},
		{"stage", sqlite.InnovationFilter{Stage: "uji_coba"}, []string{"cilacap-uji"}},
		{"urusan", sqlite.InnovationFilter{Urusan: "1.02"}, []string{"cilacap-uji"}},
		{"type", sqlite.InnovationFilter{Type: "digital"}, []string{"solo-digital"}},
		{"province and stage", sqlite.InnovationFilter{Region: "33", Stage: "penerapan"}, []string{"jateng-prov", "solo-digital"}},
		{"no match", sqlite.InnovationFilter{Region: "11"}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, total, err := db.ListInnovations(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if got := slugsOf(list); !reflect.DeepEqual(got, tt.want) || total != len(tt.want) {
				t.Errorf("got %v (total %d), want %v", got, total, tt.want)
			}
		})
	}
}

func TestListInnovationsPaging(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, sqlite.Options{})
	const n = 25
	mustUpdate(t, db, "ani", func(ctx context.Context, tx *sqlite.Tx) error {
		for i := range n {
			if _, err := tx.PutInnovation(ctx, newInnovation(t, fmt.Sprintf("inovasi-%02d", i), "33.72")); err != nil {
				return err
			}
		}
		return nil
	})
	seen := map[string]bool{}
	var order []string
	for page, want := range map[int]int{1: 10, 2: 10, 3: 5, 4: 0} {
		list, total, err := db.ListInnovations(ctx, sqlite.InnovationFilter{Sort: "title", Page: sqlite.Page{Page: page, PerPage: 10}})
		if err != nil {
			t.Fatal(err)
		}
		if total != n {
			t.Errorf("page %d: total %d, want %d", page, total, n)
		}
		if len(list) != want {
			t.Errorf("page %d: %d items, want %d", page, len(list), want)
		}
		for _, s := range list {
			if seen[s.Slug] {
				t.Errorf("%s on two pages", s.Slug)
			}
			seen[s.Slug] = true
			if page == 1 {
				order = append(order, s.Slug)
			}
		}
	}
	if len(seen) != n {
		t.Errorf("pages covered %d innovations, want %d", len(seen), n)
	}
	if !sort.StringsAreSorted(order) || order[0] != "inovasi-00" {
		t.Errorf("sorted by title, page 1 = %v", order)
	}
	// The default page is the first 20; a huge page size is capped.
	if list, _, _ := db.ListInnovations(ctx, sqlite.InnovationFilter{}); len(list) != 20 {
		t.Errorf("default page has %d items, want 20", len(list))
	}
	if p := (sqlite.Page{Page: -3, PerPage: 1e6}).Clamp(); p.Page != 1 || p.PerPage != sqlite.MaxPerPage {
		t.Errorf("Clamp = %+v", p)
	}
}

func TestConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, sqlite.Options{})
	const writers, each = 8, 4
	var records [writers][each]*kb.Innovation
	for w := range writers {
		for i := range each {
			records[w][i] = newInnovation(t, fmt.Sprintf("inovasi-%d-%d", w, i), "33.72", func(in *kb.Innovation) {
				in.Agency = "Diskominfo SP Kota Surakarta" // all share one agency row
			})
		}
	}
	errc := make(chan error, 2*writers*each)
	done := make(chan struct{})
	for w := range writers {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range each {
				// Read, then write, in every transaction: the pattern that
				// fails with "database is locked" under deferred locking.
				err := db.Update(ctx, fmt.Sprintf("writer-%d", w), func(tx *sqlite.Tx) error {
					in := records[w][i]
					if _, err := tx.PutInnovation(ctx, in); err != nil {
						return err
					}
					_, err := tx.PutInnovation(ctx, in)
					return err
				})
				errc <- err
				// Readers run alongside the writers.
				if _, _, err := db.ListInnovations(ctx, sqlite.InnovationFilter{}); err != nil {
					errc <- fmt.Errorf("list: %w", err)
				}
			}
		}()
	}
	for range writers {
		<-done
	}
	close(errc)
	for err := range errc {
		if err != nil {
			t.Errorf("concurrent write: %v", err)
		}
	}
	_, total, err := db.ListInnovations(ctx, sqlite.InnovationFilter{Viewer: kb.Viewer{AllInternal: true}})
	if err != nil || total != writers*each {
		t.Errorf("%d innovations stored, %v; want %d", total, err, writers*each)
	}
	agencies, err := db.ListAgencies(ctx, "33.72", kb.Viewer{})
	if err != nil || len(agencies) != 1 {
		t.Errorf("agencies = %+v, %v; want exactly one shared row", agencies, err)
	}
}

// A public visit that saw an internal innovation counts, in lists, only
// the innovations the reader may see.
func TestVisitListCountsVisibleInnovations(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, sqlite.Options{})
	putInnovation(t, db, "ani", newInnovation(t, "terbuka-solo", "33.72"))
	putInnovation(t, db, "ani", newInnovation(t, "rahasia-solo", "33.72", func(in *kb.Innovation) { in.Visibility = "internal" }))
	putVisit(t, db, "ani", newVisit(t, "kunjungan-terbuka", []string{"terbuka-solo", "rahasia-solo"}))
	for _, tt := range []struct {
		viewer kb.Viewer
		want   int
	}{{kb.Viewer{}, 1}, {kb.Viewer{Region: "63.03"}, 1}, {kb.Viewer{Region: "33.72"}, 2}, {kb.Viewer{AllInternal: true}, 2}} {
		vs, _, err := db.ListVisits(ctx, sqlite.VisitFilter{Viewer: tt.viewer})
		if err != nil || len(vs) != 1 || vs[0].Observed != tt.want {
			t.Errorf("%+v: %+v, %v; want %d innovations seen", tt.viewer, vs, err, tt.want)
		}
	}
}
