package kb

import "strings"

// Slugify turns a name into a URL slug: lower-case ASCII letters and digits
// joined by single hyphens, at most 80 characters. Letters outside ASCII are
// dropped, which is harmless for Indonesian names.
func Slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			need := 1
			if dash && b.Len() > 0 {
				need = 2
			}
			if b.Len()+need > 80 {
				return strings.Trim(b.String(), "-")
			}
			if need == 2 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	return strings.Trim(b.String(), "-")
}

// ValidSlug reports whether s is a well-formed record slug.
func ValidSlug(s string) bool { return len(s) >= 3 && len(s) <= 80 && slugRe.MatchString(s) }
