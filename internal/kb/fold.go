package kb

import (
	"strings"
	"unicode"
)

// Fold returns s with every letter replaced by one representative of its
// Unicode simple case folding, so that Fold(a) == Fold(b) exactly when
// strings.EqualFold(a, b): the long s "ſ" and "S" fold alike, and so do
// the Kelvin sign "K" and "k". It serves as a map key where EqualFold
// would be the comparison.
func Fold(s string) string {
	return strings.Map(foldRune, s)
}

// foldRune is the smallest rune of r's simple folding orbit (K, k, K).
func foldRune(r rune) rune {
	least := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		least = min(least, f)
	}
	return least
}

// AgencyKey is what two names of the same agency have in common as a
// person reads them: Fold's letters, every run of spaces as one, and no
// invisible format characters (a zero-width space, a soft hyphen), around
// nothing. SQLite's NOCASE folds ASCII letters only, so comparing there let
// "Diſkominfo SP Kota Surakarta" (a long s) pass as the organiser's own
// agency and then become a second, look-alike one.
func AgencyKey(name string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.TrimSpace(name) {
		switch {
		case unicode.IsSpace(r):
			space = true
		case unicode.Is(unicode.Cf, r):
		default:
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(foldRune(r))
		}
	}
	return b.String()
}

// SameAgency reports whether a and b name the same agency (AgencyKey).
func SameAgency(a, b string) bool { return AgencyKey(a) == AgencyKey(b) }
