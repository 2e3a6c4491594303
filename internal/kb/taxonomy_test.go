package kb_test

import (
	"strings"
	"testing"

	"tiru/internal/kb"
)

func TestTaxonomyParse(t *testing.T) {
	tests := []struct {
		tax     kb.Taxonomy
		in      string
		wantKey string // "" means no match
	}{
		{kb.Stages(), "uji_coba", "uji_coba"},
		{kb.Stages(), "uji coba", "uji_coba"},
		{kb.Stages(), "Uji Coba", "uji_coba"},
		{kb.Stages(), "UJI-COBA", "uji_coba"},
		{kb.Stages(), "  uji__coba  ", "uji_coba"},
		{kb.Stages(), "trial", "uji_coba"},
		{kb.Stages(), "Trial", "uji_coba"},
		{kb.Stages(), "Implementation", "penerapan"},
		{kb.Stages(), "inisiatif", "inisiatif"},
		{kb.Stages(), "uji", ""},
		{kb.Stages(), "ujicoba", ""},
		{kb.Stages(), "", ""},
		{kb.Stages(), " - _ ", ""},
		{kb.InnovationTypes(), "Non-digital", "non_digital"},
		{kb.InnovationTypes(), "non digital", "non_digital"},
		{kb.Forms(), "Public service", "pelayanan_publik"},
		{kb.Forms(), "Tata kelola pemerintahan daerah", "tata_kelola"},
		{kb.Initiators(), "Perangkat Daerah", "opd"},
		{kb.Initiators(), "citizens", "masyarakat"},
		{kb.Sustainabilities(), "Continuing", "berlanjut"},
		{kb.VisitTypes(), "Studi Tiru", "studi_tiru"},
		{kb.VisitTypes(), "working visit", "kunjungan_kerja"},
		{kb.FollowUpStatuses(), "In progress", "berjalan"},
		{kb.AdoptionStatuses(), "Shortlisted", "diminati"},
		{kb.AdoptionStatuses(), "letter of interest", "surat_minat"},
		{kb.AdoptionStatuses(), "Tidak Dilanjutkan", "tidak_dilanjutkan"},
		{kb.AdoptionStatuses(), "uji coba", "uji_coba"},
		{kb.AdoptionDegrees(), "Adapted", "adaptasi"},
		{kb.Languages(), "English", "en"},
		{kb.Visibilities(), "Publik", "public"},
	}
	for _, tt := range tests {
		t.Run(tt.tax.Name+"/"+tt.in, func(t *testing.T) {
			term, ok := tt.tax.Parse(tt.in)
			if tt.wantKey == "" {
				if ok {
					t.Fatalf("Parse(%q) = %q, want no match", tt.in, term.Key)
				}
				return
			}
			if !ok || term.Key != tt.wantKey {
				t.Fatalf("Parse(%q) = %q, %v; want %q", tt.in, term.Key, ok, tt.wantKey)
			}
		})
	}
}

func TestTaxonomiesAreWellFormed(t *testing.T) {
	for _, tax := range []kb.Taxonomy{kb.Stages(), kb.InnovationTypes(), kb.Forms(), kb.Initiators(), kb.Sustainabilities(),
		kb.VisitTypes(), kb.FollowUpStatuses(), kb.AdoptionStatuses(), kb.AdoptionDegrees(), kb.Languages(), kb.Visibilities()} {
		t.Run(tax.Name+"/"+strings.Join(tax.Keys(), ","), func(t *testing.T) {
			for _, term := range tax.Terms {
				if term.ID == "" || term.EN == "" {
					t.Errorf("term %q lacks a label: %+v", term.Key, term)
				}
				// Every key, Indonesian and English label must parse back to its
				// own term, or some input would silently mean another value.
				for _, s := range []string{term.Key, term.ID, term.EN} {
					if got, ok := tax.Parse(s); !ok || got.Key != term.Key {
						t.Errorf("Parse(%q) = %q, %v; want %q", s, got.Key, ok, term.Key)
					}
				}
				if got := tax.Label(term.Key, "en"); got != term.EN {
					t.Errorf("Label(%q, en) = %q, want %q", term.Key, got, term.EN)
				}
				if got := tax.Label(term.Key, "id"); got != term.ID {
					t.Errorf("Label(%q, id) = %q, want %q", term.Key, got, term.ID)
				}
			}
			if got := tax.Label("no-such-key", "id"); got != "no-such-key" {
				t.Errorf("Label of an unknown key = %q, want the key itself", got)
			}
		})
	}
}

func TestTaxonomiesCannotBeChangedByCallers(t *testing.T) {
	s := kb.Stages()
	s.Terms[0].Key = "changed"
	if kb.Stages().Terms[0].Key != "inisiatif" {
		t.Fatal("changing one copy of Stages() changed it for everyone")
	}
}

func TestUrusanParse(t *testing.T) {
	ref := testRef(t)
	tests := []struct {
		in, want string
	}{
		{"2.16", "2.16"},
		{" 2.16 ", "2.16"},
		{"Komunikasi dan Informatika", "2.16"},
		{"komunikasi dan informatika", "2.16"},
		{"Communication and Informatics", "2.16"},
		{"Koperasi, Usaha Kecil, dan Menengah", "2.17"},
		{"Kesehatan", "1.02"},
		{"2.99", ""},
		{"Kominfo", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			u, ok := ref.Urusan.Parse(tt.in)
			if tt.want == "" {
				if ok {
					t.Fatalf("Parse(%q) = %q, want no match", tt.in, u.Code)
				}
				return
			}
			if !ok || u.Code != tt.want {
				t.Fatalf("Parse(%q) = %q, %v; want %q", tt.in, u.Code, ok, tt.want)
			}
		})
	}
}

func TestText(t *testing.T) {
	tx := kb.Text{ID: "wajib diisi", EN: "is required"}
	if got := tx.In("en"); got != "is required" {
		t.Errorf("In(en) = %q", got)
	}
	for _, lang := range []string{"id", "", "fr"} {
		if got := tx.In(lang); got != "wajib diisi" {
			t.Errorf("In(%q) = %q, want Indonesian", lang, got)
		}
	}
	if got := (kb.Text{ID: "hanya"}).In("en"); got != "hanya" {
		t.Errorf("missing English falls back to Indonesian, got %q", got)
	}
}
