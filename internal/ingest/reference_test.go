package ingest_test

import (
	"strings"
	"testing"

	"tiru/content"
	"tiru/internal/ingest"
)

func TestLoadReference(t *testing.T) {
	d, err := loadReference()
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Regions) != 553 || len(d.Urusan) == 0 || len(d.Aliases) == 0 {
		t.Errorf("loaded %d regions, %d aliases, %d urusan; want 553 regions (552 + nasional)", len(d.Regions), len(d.Aliases), len(d.Urusan))
	}
	if r, err := d.Ref.Regions.Resolve("Solo"); err != nil || r.Code != "33.72" {
		t.Errorf("Resolve(Solo) = %v, %v", r, err)
	}
}

func TestLoadReferenceRejectsBadData(t *testing.T) {
	regions, aliases, urusan := content.Regions(), content.Aliases(), content.Urusan()
	tests := []struct {
		name                 string
		regions, aliases, ur string
		want                 string
	}{
		{"missing column", "code,name,level,province_code\n33,Jawa Tengah,provinsi\n", string(aliases), string(urusan), "regions.csv"},
		{"alias to an unknown code", string(regions), "alias,code\nAtlantis,99.99\n", string(urusan), "Atlantis"},
		{"empty urusan file", string(regions), string(aliases), "", "urusan.csv"},
		{"duplicate region", "code,name,level,province_code\n33,Jawa Tengah,provinsi,\n33,Lagi,provinsi,\n", "alias,code\n", string(urusan), "33"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ingest.LoadReference([]byte(tt.regions), []byte(tt.aliases), []byte(tt.ur))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("LoadReference = %v, want an error mentioning %q", err, tt.want)
			}
		})
	}
}
