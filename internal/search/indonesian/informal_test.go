package indonesian

import (
	"slices"
	"testing"
)

// Each informal form yields its standard root among the candidates, and
// the likelier reading comes first where the nasal allows two.
func TestInformalRoots(t *testing.T) {
	for _, tc := range []struct{ word, root string }{
		{"ngurus", "urus"},
		{"ngurusin", "urus"},
		{"ngambil", "ambil"},
		{"ngirim", "kirim"},
		{"ngelola", "kelola"},
		{"ngetik", "ketik"},
		{"ngecek", "cek"},
		{"ngeprint", "print"},
		{"nyapu", "sapu"},
		{"nyari", "cari"},
		{"nyoba", "coba"},
		{"numpuk", "tumpuk"},
		{"nulis", "tulis"},
		{"nanya", "tanya"},
		{"milih", "pilih"},
		{"mikir", "pikir"},
		{"benerin", "bener"},
		{"laporin", "lapor"},
		{"nganterin", "anter"},
	} {
		got := InformalRoots(tc.word)
		if !slices.Contains(got, tc.root) {
			t.Errorf("InformalRoots(%q) = %v, want %q among them", tc.word, got, tc.root)
		}
	}
	for _, w := range []string{"di", "ngo", "nu", "sampah", "Ngurus", "ngurus2"} {
		if got := InformalRoots(w); len(got) != 0 {
			t.Errorf("InformalRoots(%q) = %v, want none", w, got)
		}
	}
}
