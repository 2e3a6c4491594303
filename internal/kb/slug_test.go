package kb_test

import (
	"strings"
	"testing"

	"tiru/internal/kb"
)

func TestSlugify(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"Aplikasi Pengaduan Warga", "aplikasi-pengaduan-warga"},
		{"  DKISP Kab. Banjar  ", "dkisp-kab-banjar"},
		{"Diskominfo SP Kota Surakarta", "diskominfo-sp-kota-surakarta"},
		{"Perwali No. 1/2021 -- (revisi)", "perwali-no-1-2021-revisi"},
		{"snake_case_name", "snake-case-name"},
		{"Kafé Ñusantara", "kaf-usantara"},
		{"2024", "2024"},
		{"---", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := kb.Slugify(tt.in); got != tt.want {
				t.Fatalf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSlugifyGivesValidSlugs(t *testing.T) {
	for _, in := range []string{
		"Studi Tiru DKISP Kabupaten Banjar ke Diskominfo SP Kota Surakarta 22 Oktober 2024",
		strings.Repeat("a", 200),
		strings.Repeat("ab ", 40),
	} {
		t.Run(in[:20], func(t *testing.T) {
			got := kb.Slugify(in)
			if !kb.ValidSlug(got) {
				t.Fatalf("Slugify(%q) = %q (%d bytes), not a valid slug", in, got, len(got))
			}
		})
	}
}

func TestSlugifyLengthAtWordBoundary(t *testing.T) {
	for _, in := range []string{
		strings.Repeat("a", 79) + " bcd",
		strings.Repeat("inovasi ", 30),
	} {
		t.Run(in[:20], func(t *testing.T) {
			got := kb.Slugify(in)
			if len(got) > 80 || !kb.ValidSlug(got) {
				t.Fatalf("Slugify(%q) = %q (%d bytes), not a valid slug", in, got, len(got))
			}
		})
	}
}

func TestValidSlug(t *testing.T) {
	for s, want := range map[string]bool{
		"abc": true, "a-b": true, "inovasi-2024": true, strings.Repeat("a", 80): true,
		"ab": false, strings.Repeat("a", 81): false, "Abc": false, "a_b": false, "a--b": false, "-ab": false, "ab-": false, "a b": false,
	} {
		if got := kb.ValidSlug(s); got != want {
			t.Errorf("ValidSlug(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestViewerCanSee(t *testing.T) {
	tests := []struct {
		name    string
		v       kb.Viewer
		vis     string
		regions []string
		want    bool
	}{
		{"anonymous public", kb.Viewer{}, "public", []string{"33.72"}, true},
		{"anonymous internal", kb.Viewer{}, "internal", []string{"33.72"}, false},
		{"anonymous internal of no region", kb.Viewer{}, "internal", []string{""}, false},
		{"own region internal", kb.Viewer{Region: "33.72"}, "internal", []string{"33.72"}, true},
		{"host region of a visit", kb.Viewer{Region: "33.72"}, "internal", []string{"63.03", "33.72"}, true},
		{"other region internal", kb.Viewer{Region: "63.03"}, "internal", []string{"33.72"}, false},
		{"admin", kb.Viewer{AllInternal: true}, "internal", []string{"33.72"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.v.CanSee(tt.vis, tt.regions...); got != tt.want {
				t.Fatalf("CanSee = %v, want %v", got, tt.want)
			}
		})
	}
}
