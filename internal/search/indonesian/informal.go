package indonesian

import "strings"

// InformalRoots lists the roots that an informal verb form may come from,
// likeliest first, for a word the index does not have as typed. Spoken and
// chat Indonesian drops the me- of active verbs and keeps the nasal
// (ngurus for mengurus, nyapu for menyapu, nulis for menulis, mikir for
// memikir), writes nge- before a root of one syllable or a loan (ngecek,
// ngeprint), and ends verbs in -in where the standard has -kan or -i
// (benerin, ngurusin). The nasal replaced the root's first sound, so each
// form has a few candidate roots: ng- before a vowel is a root with that
// vowel or with k (ngambil: ambil; ngirim: kirim), ny- is s or c (nyapu:
// sapu; nyari: cari), n- is t (numpuk: tumpuk), m- is p (milih: pilih).
//
// The rules alone cannot tell which candidate is real (nyoba could be soba
// or coba), and words that merely begin like this are common (nasi, mobil,
// ngarai), so the caller keeps the first candidate the index has and looks
// up nothing for a word it has as typed. Candidates shorter than three
// letters are left out.
func InformalRoots(w string) []string {
	if !isLowerASCII(w) {
		return nil
	}
	var out []string
	add := func(r string) {
		if len(r) >= 3 && r != w {
			for _, o := range out {
				if o == r {
					return
				}
			}
			out = append(out, r)
		}
	}
	forms := []string{w}
	if strings.HasSuffix(w, "in") && len(w) > 5 {
		forms = append(forms, w[:len(w)-2])
	}
	for _, f := range forms {
		switch {
		case strings.HasPrefix(f, "nge") && len(f) > 5:
			// ngecek, ngeprint; and ngelola, ngetik, where nge- is ng-
			// before the root's e (kelola, ketik).
			add(f[3:])
			add("k" + f[2:])
		case strings.HasPrefix(f, "ng") && len(f) > 4 && isVowel(f[2]):
			add(f[2:])
			add("k" + f[2:])
		case strings.HasPrefix(f, "ny") && len(f) > 4 && isVowel(f[2]):
			add("s" + f[2:])
			add("c" + f[2:])
		case strings.HasPrefix(f, "n") && len(f) > 3 && isVowel(f[1]):
			add("t" + f[1:])
		case strings.HasPrefix(f, "m") && len(f) > 3 && isVowel(f[1]):
			add("p" + f[1:])
		}
		if f != w {
			// -in alone: benerin, laporin.
			add(f)
		}
	}
	return out
}

func isLowerASCII(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}
