package kb_test

import (
	"strings"
	"testing"

	"tiru/internal/kb"
)

// Fold agrees with strings.EqualFold, beyond the ASCII letters SQLite's
// NOCASE folds.
func TestFoldIsEqualFold(t *testing.T) {
	words := []string{"Diskominfo", "DISKOMINFO", "Diſkominfo", "Kota", "\u212aota", "kota", "Kóta", "KÓTA", "Straße", "STRASSE", "ǅ", "ǆ", "Ǆ", "Σ", "σ", "ς", "İ", "i"}
	for _, a := range words {
		for _, b := range words {
			if got, want := kb.Fold(a) == kb.Fold(b), strings.EqualFold(a, b); got != want {
				t.Errorf("Fold(%q) == Fold(%q) is %v; EqualFold says %v", a, b, got, want)
			}
		}
	}
}

func TestSameAgency(t *testing.T) {
	const stored = "Diskominfo SP Kota Surakarta"
	for _, same := range []string{stored, "Diſkominfo SP \u212aota Surakarta", " diskominfo sp  kota SURAKARTA ", "Disko\u200bminfo SP\u00a0Kota Surakarta", "Diskominfo SP Kota Surakarta\u00ad"} {
		if !kb.SameAgency(same, stored) {
			t.Errorf("%q is not the same agency as %q", same, stored)
		}
	}
	for _, other := range []string{"Diskominfo SP Kab Surakarta", "DiskominfoSP Kota Surakarta", "Diskominfo SP Kota Surakarta 2"} {
		if kb.SameAgency(other, stored) {
			t.Errorf("%q is taken for %q", other, stored)
		}
	}
}
