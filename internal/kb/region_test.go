package kb_test

import (
	"errors"
	"strings"
	"testing"

	"tiru/internal/kb"
)

func TestResolveRegion(t *testing.T) {
	g := testRef(t).Regions
	tests := []struct {
		in   string
		want string
	}{
		{"33.72", "33.72"},
		{" 33.72 ", "33.72"},
		{"33", "33"},
		{"00", "00"},
		{"63.03", "63.03"},
		{"Solo", "33.72"},
		{"solo", "33.72"},
		{"SOLO", "33.72"},
		{"Kota Solo", "33.72"},
		{"Surakarta", "33.72"},
		{"Kota Surakarta", "33.72"},
		{"kota surakarta", "33.72"},
		{"Kotamadya Surakarta", "33.72"},
		{"Jogja", "34"},
		{"DKI Jakarta", "31"},
		{"Daerah Khusus Ibukota Jakarta", "31"},
		{"Jakarta Selatan", "31.74"},
		{"Kab. Banjar", "63.03"},
		{"Kab Banjar", "63.03"},
		{"kab. banjar", "63.03"},
		{"Kabupaten Banjar", "63.03"},
		{"Kota Banjar", "32.79"},
		{"Banjarmasin", "63.71"},
		{"Jawa Tengah", "33"},
		{"Provinsi Jawa Tengah", "33"},
		{"Prov. Jawa Tengah", "33"},
		{"Kalimantan Selatan", "63"},
		{"nasional", "00"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r, err := g.Resolve(tt.in)
			if err != nil {
				t.Fatalf("Resolve(%q): %v", tt.in, err)
			}
			if r.Code != tt.want {
				t.Fatalf("Resolve(%q) = %s %s, want %s", tt.in, r.Code, r.Name, tt.want)
			}
		})
	}
}

func TestResolveRegionAmbiguous(t *testing.T) {
	g := testRef(t).Regions
	tests := []struct {
		in   string
		want []string // every candidate must be named
	}{
		{"Banjar", []string{"Kabupaten Banjar (63.03)", "Kota Banjar (32.79)"}},
		{"banjar", []string{"Kabupaten Banjar (63.03)", "Kota Banjar (32.79)"}},
		{"Bengkulu", []string{"Bengkulu (17)", "Kota Bengkulu (17.71)"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r, err := g.Resolve(tt.in)
			if err == nil {
				t.Fatalf("Resolve(%q) = %s %s, want an ambiguity error", tt.in, r.Code, r.Name)
			}
			var amb *kb.AmbiguousError
			if !errors.As(err, &amb) {
				t.Fatalf("Resolve(%q) error %v (%T), want *kb.AmbiguousError", tt.in, err, err)
			}
			if !errors.Is(err, kb.ErrInvalid) {
				t.Errorf("an ambiguous region should be kb.ErrInvalid")
			}
			for _, c := range tt.want {
				if !strings.Contains(err.Error(), c) {
					t.Errorf("error %q does not name %q", err, c)
				}
			}
		})
	}
}

func TestResolveRegionUnknown(t *testing.T) {
	g := testRef(t).Regions
	for _, in := range []string{"Atlantis", "Kota Banjarr", "99.99", "3372", "33.720", "", "   ", "Kab.", strings.Repeat("x", 500)} {
		t.Run(in, func(t *testing.T) {
			r, err := g.Resolve(in)
			if err == nil {
				t.Fatalf("Resolve(%q) = %s %s, want an error", in, r.Code, r.Name)
			}
			if !errors.Is(err, kb.ErrNotFound) {
				t.Errorf("Resolve(%q) error %v, want kb.ErrNotFound", in, err)
			}
			if len(err.Error()) > 200 {
				t.Errorf("error message is %d bytes long: a huge input must be clipped", len(err.Error()))
			}
		})
	}
}

func TestGazetteerProvince(t *testing.T) {
	g := testRef(t).Regions
	solo, _ := g.Get("33.72")
	p, ok := g.Province(solo)
	if !ok || p.Code != "33" {
		t.Fatalf("Province(33.72) = %+v, %v; want 33", p, ok)
	}
	jateng, _ := g.Get("33")
	if p, ok := g.Province(jateng); !ok || p.Code != "33" || !p.IsProvince() {
		t.Fatalf("Province(33) = %+v, %v; want itself", p, ok)
	}
}

func TestGazetteerSearch(t *testing.T) {
	g := testRef(t).Regions
	got := g.Search("banjar", 10)
	codes := map[string]bool{}
	for _, r := range got {
		codes[r.Code] = true
	}
	for _, want := range []string{"63.03", "32.79", "63.71", "63.72"} {
		if !codes[want] {
			t.Errorf("Search(banjar) lacks %s: %v", want, got)
		}
	}
	if len(got) > 10 {
		t.Errorf("Search returned %d > limit", len(got))
	}
	// The two regions named Banjar come before Banjarmasin and Banjarbaru.
	if len(got) < 2 || got[0].Code != "32.79" || got[1].Code != "63.03" {
		t.Errorf("Search(banjar) = %v, want Kota Banjar and Kabupaten Banjar first", got)
	}
	// An alias that names one region exactly comes first.
	if s := g.Search("solo", 3); len(s) == 0 || s[0].Code != "33.72" {
		t.Errorf("Search(solo) = %v, want Kota Surakarta first", s)
	}
}

func TestNewGazetteerRejectsBadData(t *testing.T) {
	ok := []kb.Region{{Code: "33", Name: "Jawa Tengah", Level: kb.LevelProvince}}
	tests := []struct {
		name    string
		regions []kb.Region
		aliases []kb.Alias
	}{
		{"malformed code", []kb.Region{{Code: "3372", Name: "Kota X", Level: kb.LevelKota}}, nil},
		{"duplicate code", append(ok, kb.Region{Code: "33", Name: "Lagi", Level: kb.LevelProvince}), nil},
		{"alias to nowhere", ok, []kb.Alias{{Alias: "Solo", Code: "33.72"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := kb.NewGazetteer(tt.regions, tt.aliases); err == nil {
				t.Fatal("NewGazetteer accepted bad data")
			}
		})
	}
}
