package kb_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"tiru/internal/kb"
)

func validVisit() *kb.Visit {
	return &kb.Visit{
		Slug:          "kunjungan-dkisp-banjar-ke-diskominfo-surakarta-2024",
		Title:         "Studi Tiru DKISP Kabupaten Banjar ke Diskominfo SP Kota Surakarta",
		VisitType:     "studi_tiru",
		StartDate:     "2024-10-22",
		EndDate:       "2024-10-22",
		VisitorRegion: "63.03",
		HostRegion:    "33.72",
	}
}

func TestVisitValidateErrors(t *testing.T) {
	ref := testRef(t)
	tests := []struct {
		name   string
		mutate func(*kb.Visit)
		field  string
		want   []string
	}{
		{"missing title", func(v *kb.Visit) { v.Title = "" }, "title", []string{"wajib diisi", "is required"}},
		{"bad slug", func(v *kb.Visit) { v.Slug = "Kunjungan Banjar" }, "slug", []string{"3–80"}},
		{"missing visit type", func(v *kb.Visit) { v.VisitType = "" }, "visit_type", []string{"wajib diisi"}},
		{"unknown visit type", func(v *kb.Visit) { v.VisitType = "wisata" }, "visit_type",
			[]string{"wisata", "studi_tiru, studi_banding, kunjungan_kerja, bimbingan_teknis, lainnya"}},
		{"missing start date", func(v *kb.Visit) { v.StartDate = "" }, "start_date", []string{"wajib diisi"}},
		{"follow-up due before the visit", func(v *kb.Visit) {
			v.StartDate, v.EndDate = "2025-03-01", "2025-03-02"
			v.FollowUps = []kb.FollowUp{{Action: "Kirim surat", DueDate: "2024-01-01"}}
		}, "follow_ups[0].due_date", []string{"sebelum kunjungan dimulai", "2025-03-01"}},
		{"missing end date", func(v *kb.Visit) { v.EndDate = "" }, "end_date", []string{"wajib diisi"}},
		{"impossible start date", func(v *kb.Visit) { v.StartDate = "2024-13-40" }, "start_date", []string{"2024-13-40", "YYYY-MM-DD"}},
		{"year slip", func(v *kb.Visit) { v.StartDate = "0024-10-22" }, "start_date", []string{"1945", "2100"}},
		{"far future", func(v *kb.Visit) { v.EndDate = "9999-12-31" }, "end_date", []string{"1945", "2100"}},
		{"written-out date", func(v *kb.Visit) { v.EndDate = "22 Oktober 2024" }, "end_date", []string{"22 Oktober 2024"}},
		{"end before start", func(v *kb.Visit) { v.StartDate, v.EndDate = "2024-10-23", "2024-10-22" }, "end_date",
			[]string{"sebelum tanggal mulai", "before start"}},
		{"missing visitor region", func(v *kb.Visit) { v.VisitorRegion = "" }, "visitor_region", []string{"wajib diisi"}},
		{"ambiguous host region", func(v *kb.Visit) { v.HostRegion = "Banjar" }, "host_region", []string{"63.03", "32.79"}},
		{"unknown visitor region", func(v *kb.Visit) { v.VisitorRegion = "Gotham" }, "visitor_region", []string{"Gotham"}},
		{"negative delegation", func(v *kb.Visit) { v.DelegationSize = -1 }, "delegation_size", nil},
		{"body over 1 MiB", func(v *kb.Visit) { v.Body = strings.Repeat("b", kb.MaxBody+1) }, "body", []string{"too long"}},
		{"control character in purpose", func(v *kb.Visit) { v.Purpose = "tujuan\x01" }, "purpose", []string{"control characters"}},
		{"invalid UTF-8 in delegation", func(v *kb.Visit) { v.Delegation = "\xff37 awak media" }, "delegation", []string{"UTF-8"}},
		{"bad observed slug", func(v *kb.Visit) { v.Innovations = []string{"ok-slug", "Bukan Slug"} }, "innovations[1]", []string{"Bukan Slug"}},
		{"person without name", func(v *kb.Visit) { v.PeopleMet = []kb.Person{{Role: "Kepala"}} }, "people_met[0].name", nil},
		{"follow-up without action", func(v *kb.Visit) { v.FollowUps = []kb.FollowUp{{Owner: "Kabid"}} }, "follow_ups[0].action", nil},
		{"follow-up bad due date", func(v *kb.Visit) { v.FollowUps = []kb.FollowUp{{Action: "a"}, {Action: "b", DueDate: "2025-02-30"}} },
			"follow_ups[1].due_date", []string{"2025-02-30"}},
		{"follow-up unknown status", func(v *kb.Visit) { v.FollowUps = []kb.FollowUp{{Action: "a", Status: "mangkrak"}} },
			"follow_ups[0].status", []string{"terbuka, berjalan, selesai, batal"}},
		{"unknown visibility", func(v *kb.Visit) { v.Visibility = "rahasia" }, "visibility", []string{"public, internal"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := validVisit()
			tt.mutate(v)
			err := v.Validate(ref)
			if !errors.Is(err, kb.ErrInvalid) {
				t.Fatalf("Validate() = %v, want kb.ErrInvalid", err)
			}
			fe := fieldError(t, err, tt.field)
			msg := fe.Message.ID + " | " + fe.Message.EN
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
		})
	}
}

func TestVisitValidateBlankRequiredDate(t *testing.T) {
	v := validVisit()
	v.StartDate = "   "
	fieldError(t, v.Validate(testRef(t)), "start_date")
}

func TestVisitValidateNormalises(t *testing.T) {
	v := &kb.Visit{
		Slug:          "kunjungan-banjar-ke-solo",
		Title:         " Studi tiru ke Solo ",
		VisitType:     "Studi Tiru",
		StartDate:     "2024-10-21",
		EndDate:       " 2024-10-22 ",
		VisitorRegion: "Kab. Banjar",
		HostRegion:    "Solo",
		Innovations:   []string{" aplikasi-pengaduan-warga ", ""},
		FollowUps: []kb.FollowUp{
			{Action: "Minta data teknis"},
			{Action: "Susun kriteria", Status: "In progress", DueDate: "2025-06-30"},
		},
	}
	if err := v.Validate(testRef(t)); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	want := &kb.Visit{
		Slug:          "kunjungan-banjar-ke-solo",
		Title:         "Studi tiru ke Solo",
		VisitType:     "studi_tiru",
		StartDate:     "2024-10-21",
		EndDate:       "2024-10-22",
		VisitorRegion: "63.03",
		HostRegion:    "33.72",
		Innovations:   []string{"aplikasi-pengaduan-warga"},
		FollowUps: []kb.FollowUp{
			{Action: "Minta data teknis", Status: "terbuka"},
			{Action: "Susun kriteria", Status: "berjalan", DueDate: "2025-06-30"},
		},
		Language:   "id",
		Visibility: "public",
	}
	if !reflect.DeepEqual(v, want) {
		t.Fatalf("normalised to\n%+v\nwant\n%+v", v, want)
	}
}

func TestVisitOneDayIsValid(t *testing.T) {
	v := validVisit()
	if err := v.Validate(testRef(t)); err != nil {
		t.Fatalf("a one-day visit (start = end) must be valid: %v", err)
	}
}
