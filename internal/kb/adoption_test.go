package kb_test

import (
	"reflect"
	"strings"
	"testing"

	"tiru/internal/kb"
)

func TestAdoptionValidateMakesHistory(t *testing.T) {
	a := &kb.Adoption{
		Innovation: "aplikasi-pengaduan-warga-surakarta",
		Region:     "Kabupaten Banjar",
		Status:     "Shortlisted",
		Date:       "2024-10-22",
		Note:       " tertarik ",
		Visit:      "kunjungan-dkisp-banjar-ke-diskominfo-surakarta-2024",
	}
	if err := a.Validate(testRef(t)); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if a.Region != "63.03" || a.Status != "diminati" || a.Note != "tertarik" {
		t.Errorf("not normalised: %+v", a)
	}
	want := []kb.AdoptionEvent{{Status: "diminati", Date: "2024-10-22", Note: "tertarik"}}
	if !reflect.DeepEqual(a.History, want) {
		t.Errorf("History = %+v, want %+v", a.History, want)
	}
}

func TestAdoptionValidateKeepsGivenHistory(t *testing.T) {
	a := &kb.Adoption{
		Innovation: "aplikasi-pengaduan-warga-surakarta",
		Region:     "63.03",
		Status:     "dikaji",
		Degree:     "Partial",
		History: []kb.AdoptionEvent{
			{Status: "Diminati", Date: "2024-10-22", By: "DKISP"},
			{Status: "under review", Date: "2024-11-01"},
		},
	}
	if err := a.Validate(testRef(t)); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	want := []kb.AdoptionEvent{{Status: "diminati", Date: "2024-10-22", By: "DKISP"}, {Status: "dikaji", Date: "2024-11-01"}}
	if !reflect.DeepEqual(a.History, want) || a.Degree != "sebagian" {
		t.Errorf("got degree %q history %+v, want sebagian %+v", a.Degree, a.History, want)
	}
}

func TestAdoptionValidateErrors(t *testing.T) {
	ref := testRef(t)
	tests := []struct {
		name   string
		mutate func(*kb.Adoption)
		field  string
		want   []string
	}{
		{"missing innovation", func(a *kb.Adoption) { a.Innovation = "" }, "innovation", []string{"wajib diisi"}},
		{"bad innovation slug", func(a *kb.Adoption) { a.Innovation = "Aplikasi Pengaduan" }, "innovation", nil},
		{"missing region", func(a *kb.Adoption) { a.Region = "" }, "region", []string{"wajib diisi"}},
		{"ambiguous region", func(a *kb.Adoption) { a.Region = "Banjar" }, "region", []string{"63.03", "32.79"}},
		{"missing status", func(a *kb.Adoption) { a.Status = "" }, "status", []string{"wajib diisi"}},
		{"unknown status", func(a *kb.Adoption) { a.Status = "jalan" }, "status", []string{"diminati, dikaji", "dihentikan"}},
		{"unknown degree", func(a *kb.Adoption) { a.Degree = "total" }, "degree", []string{"penuh, sebagian, adaptasi"}},
		{"bad visit slug", func(a *kb.Adoption) { a.Visit = "Kunjungan!" }, "visit", nil},
		{"bad date", func(a *kb.Adoption) { a.Date = "2024-13-40" }, "date", []string{"2024-13-40"}},
		{"bad history status", func(a *kb.Adoption) {
			a.History = []kb.AdoptionEvent{{Status: "diminati"}, {Status: "entah"}}
		}, "history[1].status", nil},
		{"bad history date", func(a *kb.Adoption) { a.History = []kb.AdoptionEvent{{Status: "diminati", Date: "kemarin"}} }, "history[0].date", nil},
		{"control character in note", func(a *kb.Adoption) { a.Note = "catatan\x00" }, "note", []string{"control characters"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &kb.Adoption{Innovation: "aplikasi-pengaduan-warga-surakarta", Region: "63.03", Status: "diminati"}
			tt.mutate(a)
			fe := fieldError(t, a.Validate(ref), tt.field)
			msg := fe.Message.ID + " | " + fe.Message.EN
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
		})
	}
}

// An adoption imported with its steps but no date of its own is dated by
// its latest step, and noted by it when at that step.
func TestAdoptionValidateDatesByLatestStep(t *testing.T) {
	a := &kb.Adoption{
		Innovation: "lapor-jalan-rusak-bandung",
		Region:     "63.03",
		Status:     "dikaji",
		History: []kb.AdoptionEvent{
			{Status: "dikaji", Date: "2025-03-10", Note: "Kajian biaya dimulai"},
			{Status: "Shortlisted", Date: "2025-02-12", Note: "Setelah kunjungan"},
		},
	}
	if err := a.Validate(testRef(t)); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if a.Date != "2025-03-10" || a.Note != "Kajian biaya dimulai" {
		t.Errorf("date %q note %q, want those of the step of 2025-03-10", a.Date, a.Note)
	}
}
