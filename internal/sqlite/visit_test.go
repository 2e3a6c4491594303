package sqlite_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"tiru/internal/kb"
	"tiru/internal/sqlite"
)

func TestPutVisitUnknownInnovation(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, sqlite.Options{})
	raw := rawDB(t, db)
	putInnovation(t, db, "ani", newInnovation(t, "internet-gratis", "33.72"))
	tests := []struct {
		name        string
		innovations []string
		field       string
	}{
		{"unknown slug", []string{"internet-gratis", "tidak-ada"}, "innovations[1]"},
		{"listed twice", []string{"internet-gratis", "internet-gratis"}, "innovations[1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newVisit(t, "kunjungan-banjar", tt.innovations)
			err := db.Update(ctx, "ani", func(tx *sqlite.Tx) error {
				_, err := tx.PutVisit(ctx, v)
				return err
			})
			if !errors.Is(err, kb.ErrInvalid) {
				t.Fatalf("PutVisit = %v, want a validation error", err)
			}
			fes := kb.FieldErrors(err)
			if len(fes) != 1 || fes[0].Field != tt.field || fes[0].Message.ID == "" || fes[0].Message.EN == "" {
				t.Fatalf("field errors = %+v, want one on %s in both languages", fes, tt.field)
			}
			if n := count(t, raw, "SELECT count(*) FROM visits"); n != 0 {
				t.Errorf("%d visits stored after a refused put", n)
			}
		})
	}
}

func TestVisitRoundTrip(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, sqlite.Options{})
	for _, s := range []string{"internet-gratis", "aplikasi-pengaduan", "kurasi-media", "admin-medsos"} {
		putInnovation(t, db, "ani", newInnovation(t, s, "33.72"))
	}
	// Observed innovations and follow-ups keep the order they were given in,
	// not the order of slugs or of insertion.
	order := []string{"kurasi-media", "internet-gratis", "admin-medsos", "aplikasi-pengaduan"}
	v := newVisit(t, "kunjungan-banjar", order, func(v *kb.Visit) {
		v.DelegationSize = 38
		v.Delegation = "Kepala DKISP dan 37 awak media"
		v.Purpose = "Mencari inovasi penyebaran informasi"
		v.Body = "## Catatan\n\nDiterima Kepala Diskominfo SP."
		v.PeopleMet = []kb.Person{{Name: "Heny Ermawati", Role: "Kepala", Agency: "Diskominfo SP Kota Surakarta"}}
		v.FollowUps = []kb.FollowUp{
			{Action: "Z: minta data teknis", Owner: "Kabid TIK", DueDate: "2025-03-31"},
			{Action: "A: pelajari alur aduan", Owner: "Kabid IKP", DueDate: "2025-02-28", Status: "berjalan"},
			{Action: "M: susun kriteria media", Status: "selesai"},
		}
	})
	if c := putVisit(t, db, "ani", v); c != sqlite.Created {
		t.Fatalf("put = %v, want created", c)
	}
	got, err := db.GetVisit(ctx, "kunjungan-banjar", kb.Viewer{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Visit, *v) {
		t.Fatalf("GetVisit returned\n%+v\nwant\n%+v", got.Visit, *v)
	}
	var observed []string
	for _, r := range got.Observed {
		observed = append(observed, r.Slug)
		if r.Title == "" || r.Region != "33.72" {
			t.Errorf("observed ref lacks title or region: %+v", r)
		}
	}
	if !reflect.DeepEqual(observed, order) {
		t.Errorf("Observed = %v, want %v", observed, order)
	}
	if got.VisitorAgencySlug == "" || got.HostAgencySlug == "" || got.VisitorAgencySlug == got.HostAgencySlug {
		t.Errorf("agencies: visitor %q host %q", got.VisitorAgencySlug, got.HostAgencySlug)
	}

	if c := putVisit(t, db, "ani", newVisit(t, "kunjungan-banjar", order, func(x *kb.Visit) {
		x.DelegationSize, x.Delegation, x.Purpose, x.Body, x.PeopleMet, x.FollowUps = v.DelegationSize, v.Delegation, v.Purpose, v.Body, v.PeopleMet, v.FollowUps
	})); c != sqlite.Unchanged {
		t.Errorf("identical visit put = %v, want unchanged", c)
	}

	// Reordering follow-ups is a change.
	re := *v
	re.FollowUps = []kb.FollowUp{v.FollowUps[2], v.FollowUps[0], v.FollowUps[1]}
	if c := putVisit(t, db, "budi", &re); c != sqlite.Updated {
		t.Fatalf("reordered follow-ups put = %v, want updated", c)
	}
	got, err = db.GetVisit(ctx, "kunjungan-banjar", kb.Viewer{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.FollowUps, re.FollowUps) || got.Version != 2 {
		t.Errorf("after reorder: version %d follow-ups %+v", got.Version, got.FollowUps)
	}
	revs, err := db.Revisions(ctx, sqlite.KindVisit, "kunjungan-banjar")
	if err != nil || len(revs) != 2 || !reflect.DeepEqual(revs[0].Changed, []string{"follow_ups"}) {
		t.Errorf("visit revisions = %+v, %v; newest should change only follow_ups", revs, err)
	}

	list, total, err := db.ListVisits(ctx, sqlite.VisitFilter{})
	if err != nil || total != 1 || len(list) != 1 {
		t.Fatalf("ListVisits = %v, %d, %v", list, total, err)
	}
	if s := list[0]; s.Observed != 4 || s.OpenFollowUps != 2 || s.DelegationSize != 38 || s.VisitorAgency != "DKISP Kabupaten Banjar" {
		t.Errorf("visit summary = %+v, want 4 observed, 2 open follow-ups", s)
	}
}

func TestListVisitsByRegionAndRole(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, sqlite.Options{})
	putVisit(t, db, "ani", newVisit(t, "banjar-ke-solo", nil)) // 63.03 → 33.72
	putVisit(t, db, "ani", newVisit(t, "jogja-ke-banjar", nil, func(v *kb.Visit) {
		v.VisitorRegion, v.HostRegion, v.VisitorAgency, v.HostAgency = "34.71", "63.03", "", ""
		v.StartDate, v.EndDate = "2025-01-10", "2025-01-11"
	}))
	tests := []struct {
		region, role string
		want         []string
	}{
		{"", "", []string{"jogja-ke-banjar", "banjar-ke-solo"}}, // newest first
		{"63.03", "", []string{"jogja-ke-banjar", "banjar-ke-solo"}},
		{"63.03", "visitor", []string{"banjar-ke-solo"}},
		{"63.03", "host", []string{"jogja-ke-banjar"}},
		{"63", "visitor", []string{"banjar-ke-solo"}},
		{"33", "", []string{"banjar-ke-solo"}},
		{"34", "host", nil},
		{"32.79", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.region+"/"+tt.role, func(t *testing.T) {
			list, total, err := db.ListVisits(ctx, sqlite.VisitFilter{Region: tt.region, Role: tt.role})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range list {
				got = append(got, s.Slug)
			}
			if !reflect.DeepEqual(got, tt.want) || total != len(tt.want) {
				t.Errorf("got %v (total %d), want %v", got, total, tt.want)
			}
		})
	}
}
