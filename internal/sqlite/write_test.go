package sqlite_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"tiru/internal/kb"
	"tiru/internal/sqlite"
)

// steppingClock returns a clock that advances one second per reading, so
// created and updated times differ between writes.
func steppingClock() func() time.Time {
	var n atomic.Int64
	start := time.Date(2024, 10, 22, 3, 0, 0, 0, time.UTC)
	return func() time.Time { return start.Add(time.Duration(n.Add(1)) * time.Second) }
}

func TestPutInnovationCreatedUpdatedUnchanged(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, sqlite.Options{Now: steppingClock()})
	raw := rawDB(t, db)

	if c := putInnovation(t, db, "ani@banjar", newInnovation(t, "internet-gratis", "33.72")); c != sqlite.Created {
		t.Fatalf("first put = %v, want created", c)
	}
	first, err := db.GetInnovation(ctx, "internet-gratis", kb.Viewer{})
	if err != nil {
		t.Fatal(err)
	}
	if first.Version != 1 || first.CreatedBy != "ani@banjar" || first.UpdatedBy != "ani@banjar" || first.AgencySlug == "" {
		t.Errorf("after create: %+v", first.Meta)
	}

	// Writing the same record again, even as someone else, changes nothing.
	if c := putInnovation(t, db, "budi@banjar", newInnovation(t, "internet-gratis", "33.72")); c != sqlite.Unchanged {
		t.Fatalf("identical put = %v, want unchanged", c)
	}
	if n := count(t, raw, "SELECT count(*) FROM revisions WHERE slug = 'internet-gratis'"); n != 1 {
		t.Errorf("%d revisions after an identical write, want 1", n)
	}
	if n := count(t, raw, "SELECT count(*) FROM search_outbox"); n != 1 {
		t.Errorf("%d outbox rows after an identical write, want 1 (nothing to reindex)", n)
	}
	same, _ := db.GetInnovation(ctx, "internet-gratis", kb.Viewer{})
	if same.Meta != first.Meta {
		t.Errorf("an identical write changed the bookkeeping: %+v → %+v", first.Meta, same.Meta)
	}

	changed := newInnovation(t, "internet-gratis", "33.72", func(in *kb.Innovation) {
		in.Title = "Internet Gratis di Ruang Publik"
		in.Partners = []string{"Telkom Indonesia"}
	})
	if c := putInnovation(t, db, "budi@banjar", changed); c != sqlite.Updated {
		t.Fatalf("changed put = %v, want updated", c)
	}
	got, err := db.GetInnovation(ctx, "internet-gratis", kb.Viewer{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Innovation, *changed) {
		t.Errorf("stored\n%+v\nwant\n%+v", got.Innovation, *changed)
	}
	if got.Version != 2 || got.CreatedBy != "ani@banjar" || got.UpdatedBy != "budi@banjar" ||
		got.CreatedAt != first.CreatedAt || got.UpdatedAt <= first.UpdatedAt {
		t.Errorf("after update: %+v (was %+v)", got.Meta, first.Meta)
	}

	revs, err := db.Revisions(ctx, sqlite.KindInnovation, "internet-gratis")
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 2 {
		t.Fatalf("%d revisions, want 2: %+v", len(revs), revs)
	}
	if r := revs[0]; r.Version != 2 || r.Author != "budi@banjar" || r.Deleted || !reflect.DeepEqual(r.Changed, []string{"partners", "title"}) {
		t.Errorf("newest revision = %+v, want version 2 by budi changing [partners title]", r)
	}
	if r := revs[1]; r.Version != 1 || r.Author != "ani@banjar" || r.Deleted || len(r.Changed) == 0 {
		t.Errorf("first revision = %+v, want version 1 by ani listing the fields set", r)
	}
	if n := count(t, raw, "SELECT count(*) FROM search_outbox WHERE kind = 'innovation' AND record_id = ?", got.ID); n != 2 {
		t.Errorf("%d outbox rows for the innovation, want 2 (create, update)", n)
	}
}

func TestEveryChangeIsQueuedInTheOutbox(t *testing.T) {
	db := openDB(t, sqlite.Options{})
	raw := rawDB(t, db)
	in := newInnovation(t, "aplikasi-pengaduan", "33.72")
	v := newVisit(t, "kunjungan-banjar", []string{"aplikasi-pengaduan"})
	a := &kb.Adoption{Innovation: "aplikasi-pengaduan", Region: "63.03", Status: "diminati", Visit: "kunjungan-banjar"}
	if err := a.Validate(testRef(t).Ref); err != nil {
		t.Fatal(err)
	}
	before := 0
	step := func(name string, wantKind string, fn func(ctx context.Context, tx *sqlite.Tx) error) {
		t.Helper()
		mustUpdate(t, db, "tester", fn)
		var kind string
		var n int
		if err := raw.QueryRow("SELECT count(*), coalesce(max(kind), '') FROM search_outbox WHERE id > ?", before).Scan(&n, &kind); err != nil {
			t.Fatal(err)
		}
		if n != 1 || kind != wantKind {
			t.Errorf("%s: %d new outbox rows of kind %q, want 1 of %q", name, n, kind, wantKind)
		}
		before = count(t, raw, "SELECT coalesce(max(id), 0) FROM search_outbox")
	}
	step("put innovation", "innovation", func(ctx context.Context, tx *sqlite.Tx) error { _, err := tx.PutInnovation(ctx, in); return err })
	step("put visit", "visit", func(ctx context.Context, tx *sqlite.Tx) error { _, err := tx.PutVisit(ctx, v); return err })
	// An adoption is a facet of its innovation's search document.
	step("put adoption", "innovation", func(ctx context.Context, tx *sqlite.Tx) error { _, err := tx.PutAdoption(ctx, a); return err })
	step("delete visit", "visit", func(ctx context.Context, tx *sqlite.Tx) error { return tx.DeleteVisit(ctx, "kunjungan-banjar") })
	step("delete innovation", "innovation", func(ctx context.Context, tx *sqlite.Tx) error {
		return tx.DeleteInnovation(ctx, "aplikasi-pengaduan")
	})
}

func TestFailedTransactionWritesNothing(t *testing.T) {
	var commits atomic.Int32
	db := openDB(t, sqlite.Options{OnCommit: func() { commits.Add(1) }})
	raw := rawDB(t, db)
	ctx := context.Background()
	boom := errors.New("something went wrong after the put")
	err := db.Update(ctx, "tester", func(tx *sqlite.Tx) error {
		if c, err := tx.PutInnovation(ctx, newInnovation(t, "internet-gratis", "33.72")); err != nil || c != sqlite.Created {
			t.Errorf("PutInnovation = %v, %v", c, err)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update = %v, want the error fn returned", err)
	}
	for _, table := range []string{"innovations", "revisions", "search_outbox", "agencies"} {
		if n := count(t, raw, "SELECT count(*) FROM "+table); n != 0 {
			t.Errorf("%d rows in %s after a failed transaction, want 0", n, table)
		}
	}
	if _, err := db.GetInnovation(ctx, "internet-gratis", kb.Viewer{AllInternal: true}); !errors.Is(err, kb.ErrNotFound) {
		t.Errorf("GetInnovation after rollback = %v, want ErrNotFound", err)
	}
	if n := commits.Load(); n != 0 {
		t.Errorf("OnCommit called %d times for a rolled-back transaction", n)
	}

	putInnovation(t, db, "tester", newInnovation(t, "internet-gratis", "33.72"))
	if n := commits.Load(); n != 1 {
		t.Errorf("OnCommit called %d times after one committed change, want 1", n)
	}
	putInnovation(t, db, "tester", newInnovation(t, "internet-gratis", "33.72")) // unchanged: nothing to index
	if n := commits.Load(); n != 1 {
		t.Errorf("OnCommit called %d times after an unchanged write, want still 1", n)
	}
}

func TestDeleteInnovationKeepsRevisions(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, sqlite.Options{})
	raw := rawDB(t, db)
	putInnovation(t, db, "ani", newInnovation(t, "internet-gratis", "33.72"))
	putInnovation(t, db, "ani", newInnovation(t, "aplikasi-pengaduan", "33.72"))
	putVisit(t, db, "ani", newVisit(t, "kunjungan-banjar", []string{"internet-gratis", "aplikasi-pengaduan"}))
	a := &kb.Adoption{Innovation: "internet-gratis", Region: "63.03", Status: "diminati"}
	if err := a.Validate(testRef(t).Ref); err != nil {
		t.Fatal(err)
	}
	mustUpdate(t, db, "ani", func(ctx context.Context, tx *sqlite.Tx) error { _, err := tx.PutAdoption(ctx, a); return err })

	mustUpdate(t, db, "budi", func(ctx context.Context, tx *sqlite.Tx) error { return tx.DeleteInnovation(ctx, "internet-gratis") })

	if _, err := db.GetInnovation(ctx, "internet-gratis", kb.Viewer{AllInternal: true}); !errors.Is(err, kb.ErrNotFound) {
		t.Fatalf("GetInnovation after delete = %v, want ErrNotFound", err)
	}
	revs, err := db.Revisions(ctx, sqlite.KindInnovation, "internet-gratis")
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 2 || !revs[0].Deleted || revs[0].Author != "budi" || revs[0].Version != 2 || revs[1].Deleted {
		t.Fatalf("revisions after delete = %+v, want [v2 deleted by budi, v1]", revs)
	}
	if n := count(t, raw, "SELECT count(*) FROM adoptions"); n != 0 {
		t.Errorf("%d adoptions left for a deleted innovation", n)
	}
	vis, err := db.GetVisit(ctx, "kunjungan-banjar", kb.Viewer{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(vis.Innovations, []string{"aplikasi-pengaduan"}) {
		t.Errorf("visit still lists %v", vis.Innovations)
	}

	err = db.Update(ctx, "budi", func(tx *sqlite.Tx) error { return tx.DeleteInnovation(ctx, "internet-gratis") })
	if !errors.Is(err, kb.ErrNotFound) {
		t.Errorf("deleting twice = %v, want ErrNotFound", err)
	}
	err = db.Update(ctx, "budi", func(tx *sqlite.Tx) error { return tx.DeleteVisit(ctx, "tidak-ada") })
	if !errors.Is(err, kb.ErrNotFound) {
		t.Errorf("deleting a missing visit = %v, want ErrNotFound", err)
	}
}

func TestPutAdoption(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, sqlite.Options{})
	ref := testRef(t).Ref
	putInnovation(t, db, "ani", newInnovation(t, "internet-gratis", "33.72"))
	putVisit(t, db, "ani", newVisit(t, "kunjungan-banjar", []string{"internet-gratis"}))

	adoption := func(status, date string, history ...kb.AdoptionEvent) *kb.Adoption {
		a := &kb.Adoption{Innovation: "internet-gratis", Region: "Kab. Banjar", Status: status, Date: date,
			Visit: "kunjungan-banjar", Degree: "adaptasi", History: history}
		if err := a.Validate(ref); err != nil {
			t.Fatal(err)
		}
		return a
	}
	put := func(a *kb.Adoption) (sqlite.Change, error) {
		var c sqlite.Change
		err := db.Update(ctx, "ani", func(tx *sqlite.Tx) error {
			var err error
			c, err = tx.PutAdoption(ctx, a)
			return err
		})
		return c, err
	}

	if c, err := put(adoption("diminati", "2024-10-22")); err != nil || c != sqlite.Created {
		t.Fatalf("first put = %v, %v", c, err)
	}
	if c, err := put(adoption("diminati", "2024-10-22")); err != nil || c != sqlite.Unchanged {
		t.Fatalf("identical put = %v, %v; want unchanged", c, err)
	}
	next := adoption("dikaji", "2024-11-05",
		kb.AdoptionEvent{Status: "diminati", Date: "2024-10-22"},
		kb.AdoptionEvent{Status: "dikaji", Date: "2024-11-05", By: "Kabid IKP", Note: "rapat"})
	if c, err := put(next); err != nil || c != sqlite.Updated {
		t.Fatalf("changed put = %v, %v; want updated", c, err)
	}
	rec, err := db.GetInnovation(ctx, "internet-gratis", kb.Viewer{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Adoptions) != 1 {
		t.Fatalf("%d adoptions, want 1", len(rec.Adoptions))
	}
	if got := rec.Adoptions[0].Adoption; !reflect.DeepEqual(got, *next) {
		t.Errorf("stored adoption\n%+v\nwant\n%+v", got, *next)
	}
	revs, err := db.Revisions(ctx, sqlite.KindAdoption, "internet-gratis@63.03")
	if err != nil || len(revs) != 2 || revs[0].Version != 2 {
		t.Errorf("adoption revisions = %+v, %v; want versions 2 and 1", revs, err)
	}

	for _, tt := range []struct {
		name  string
		a     *kb.Adoption
		field string
	}{
		{"unknown innovation", &kb.Adoption{Innovation: "tidak-ada", Region: "63.03", Status: "diminati"}, "innovation"},
		{"unknown visit", &kb.Adoption{Innovation: "internet-gratis", Region: "63.03", Status: "diminati", Visit: "tidak-ada"}, "visit"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.a.Validate(ref); err != nil {
				t.Fatal(err)
			}
			_, err := put(tt.a)
			if !errors.Is(err, kb.ErrInvalid) {
				t.Fatalf("put = %v, want a validation error", err)
			}
			if fes := kb.FieldErrors(err); len(fes) != 1 || fes[0].Field != tt.field || fes[0].Message.ID == "" || fes[0].Message.EN == "" {
				t.Errorf("field errors = %+v, want one on %s in both languages", fes, tt.field)
			}
		})
	}
}

func TestAgenciesAreSharedByRegionAndName(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, sqlite.Options{})
	putInnovation(t, db, "ani", newInnovation(t, "satu", "33.72", func(in *kb.Innovation) { in.Agency = "Diskominfo SP" }))
	putInnovation(t, db, "ani", newInnovation(t, "dua", "33.72", func(in *kb.Innovation) { in.Agency = "diskominfo sp" }))
	putInnovation(t, db, "ani", newInnovation(t, "tiga", "63.03", func(in *kb.Innovation) { in.Agency = "Diskominfo SP" }))
	one, _ := db.GetInnovation(ctx, "satu", kb.Viewer{})
	two, _ := db.GetInnovation(ctx, "dua", kb.Viewer{})
	three, _ := db.GetInnovation(ctx, "tiga", kb.Viewer{})
	if one.AgencySlug == "" || one.AgencySlug != two.AgencySlug {
		t.Errorf("same agency name in one region (any case) gave agencies %q and %q", one.AgencySlug, two.AgencySlug)
	}
	if three.AgencySlug == one.AgencySlug || three.AgencySlug == "" {
		t.Errorf("same name in another region must be another agency, got %q", three.AgencySlug)
	}
	a, err := db.GetAgency(ctx, three.AgencySlug, kb.Viewer{})
	if err != nil || a.Region != "63.03" || a.Name != "Diskominfo SP" {
		t.Errorf("GetAgency(%s) = %+v, %v", three.AgencySlug, a, err)
	}
	list, err := db.ListAgencies(ctx, "33", kb.Viewer{})
	if err != nil || len(list) != 1 || list[0].Slug != one.AgencySlug {
		t.Errorf("ListAgencies(33) = %+v, %v", list, err)
	}
	if _, err := db.GetAgency(ctx, "tidak-ada", kb.Viewer{}); !errors.Is(err, kb.ErrNotFound) {
		t.Errorf("GetAgency of a missing slug = %v", err)
	}
}

// An agency named only by internal records is listed, and has a page,
// only for readers who may read one of those records: its name alone can
// say what another region keeps internal.
func TestAgenciesOfInternalRecordsStayHidden(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, sqlite.Options{})
	putInnovation(t, db, "ani", newInnovation(t, "terbuka", "33.72", func(in *kb.Innovation) { in.Agency = "Diskominfo SP" }))
	putInnovation(t, db, "ani", newInnovation(t, "rahasia", "33.72", func(in *kb.Innovation) {
		in.Agency, in.Visibility = "Tim Rahasia Pengadaan", "internal"
	}))
	putVisit(t, db, "ani", newVisit(t, "kunjungan-rahasia", nil, func(v *kb.Visit) {
		v.HostRegion, v.HostAgency, v.Visibility = "33.72", "Inspektorat Kota Surakarta", "internal"
	}))
	hidden, _ := db.GetInnovation(ctx, "rahasia", kb.Viewer{AllInternal: true})
	for _, c := range []struct {
		name string
		v    kb.Viewer
		sees bool
	}{
		{"anonymous", kb.Viewer{}, false},
		{"another region", kb.Viewer{Region: "32.73"}, false},
		{"its region", kb.Viewer{Region: "33.72"}, true},
		{"admin", kb.Viewer{AllInternal: true}, true},
	} {
		list, err := db.ListAgencies(ctx, "33.72", c.v)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, a := range list {
			names = append(names, a.Name)
		}
		want := []string{"Diskominfo SP"}
		if c.sees {
			want = []string{"Diskominfo SP", "Inspektorat Kota Surakarta", "Tim Rahasia Pengadaan"}
		}
		if !slices.Equal(names, want) {
			t.Errorf("%s: agencies of 33.72 %v, want %v", c.name, names, want)
		}
		if _, err := db.GetAgency(ctx, hidden.AgencySlug, c.v); (err == nil) != c.sees {
			t.Errorf("%s: page of the internal record's agency: %v, want seen %v", c.name, err, c.sees)
		}
	}
}

// A record created again under the slug of a deleted one continues its
// versions, so the slug's history reads in order.
func TestRecreatedRecordContinuesItsVersions(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, sqlite.Options{})
	putInnovation(t, db, "ani", newInnovation(t, "ulang", "33.72"))
	mustUpdate(t, db, "ani", func(ctx context.Context, tx *sqlite.Tx) error { return tx.DeleteInnovation(ctx, "ulang") })
	putInnovation(t, db, "ani", newInnovation(t, "ulang", "33.72", func(in *kb.Innovation) { in.Title = "Dibuat lagi" }))
	revs, err := db.Revisions(ctx, sqlite.KindInnovation, "ulang")
	if err != nil {
		t.Fatal(err)
	}
	var versions []int
	for _, r := range revs {
		versions = append(versions, r.Version)
	}
	if !slices.Equal(versions, []int{3, 2, 1}) {
		t.Errorf("versions of the slug, newest first: %v, want [3 2 1]", versions)
	}
	if rec, err := db.GetInnovation(ctx, "ulang", kb.Viewer{}); err != nil || rec.Version != 3 {
		t.Errorf("the new record: version %v, %v; want 3", rec, err)
	}
}
