// Package indonesian provides Indonesian text analysis for search: a
// rule-based stemmer, a light (inflection-only) stemmer and a stop list.
//
// # Algorithm
//
// Stem is a clean-room implementation of the purely rule-based stemmer of
// F. Z. Tala, "A Study of Stemming Effects on Information Retrieval in Bahasa
// Indonesia" (ILLC MoL-2003-02), the algorithm behind Lucene's
// IndonesianStemmer and the Elasticsearch/OpenSearch "indonesian" analyzer.
// It was written from the rules, not from any existing source. Tala was
// chosen over the more accurate dictionary-based stemmers (Nazief-Adriani,
// CS, ECS/Sastrawi) because it needs no root list (the usual one is
// CC-BY-NC-SA), is tiny and fast, and because for retrieval what counts is
// that index and query are stemmed consistently, not linguistic accuracy.
//
// The Tala core: a measure m (the number of vowels, standing in for
// syllables) must exceed 2 before any step, so two-syllable words are never
// touched. Steps: particle (-kah -lah -pun), possessive (-ku -mu -nya),
// first-order prefix (meng- meny- men- mem- me- peng- peny- pen- pem- di-
// ter- ke-), then the derivational suffix (-kan -an -i) and the second-order
// prefix (ber- be…er belajar per- pelajar pe-), with flags set by the
// prefixes forbidding the confixes Indonesian does not form.
//
// # Changes to Tala
//
// Each change exists because the original rules made inflected forms of a
// frequent root miss each other:
//
//   - mem-/pem- + vowel is recoded to p (memukul, pemukul → pukul), as in
//     Snowball's indonesian.sbl, because those prefixes before a vowel almost
//     always hide a deleted p.
//   - men- + vowel is recoded to t, mirroring Tala's own pen- + vowel rule.
//     Without it menulis → ulis while penulis → tulis, and the same split hit
//     meningkatkan/peningkatan, menerapkan/penerapan, menetapkan/penetapan.
//   - "belajar"/"pelajar" are matched as word beginnings, not whole words, so
//     pelajaran reaches ajar like pembelajaran does.
//   - After a first-order prefix the second-order prefix step is tried even
//     when no suffix was removed; otherwise memperkuat, diperpanjang and
//     dipermudah stopped at perkuat/perpanjang/permudah while their nouns
//     (penguatan, perpanjangan, kemudahan) reached the root.
//   - After ke- the second-order step also accepts peN- and ter-, because
//     ke-peN-an and ke-ter-an are real confixes (kependudukan, kepemimpinan,
//     keterbukaan) that Tala cut to nduduk, mimpin, terbuka.
//   - Nasal and r-assimilation is undone for a small list of roots
//     (lists.go): meng-/peng- before a vowel may have swallowed a k
//     (mengelola → kelola), mem-/pem- an m rather than a p (pemohon → mohon),
//     men-/pen- an n rather than a t (penilaian → nilai), meny- an ny rather
//     than an s, and per-/ber-/ter- the r of the root (perumahan → rumah).
//     This is the one ambiguity the rules cannot settle without a dictionary.
//   - The suffix -i is not removed from loans in -logi, -grafi, -nomi,
//     -ergi and -tegi (teknologi, demografi, ekonomi, energi, strategi),
//     extending Tala's own -si exception.
//   - A particle (-kah, -lah, -pun) stays when removing it leaves a word of
//     two syllables that begins like a prefix: the ending was the root's
//     (dipilah, terpilah, memilah → pilah, not dipi, terpi, memi).
//   - A protected set (words the rules break: kepala, media, terminal,
//     pemerintah, sekolah, ...) and an exception map (pemerintahan →
//     pemerintah, digitalisasi → digital, ...) are consulted on the word and
//     after every step, so that a derived form stops as soon as it reaches a
//     protected root (dikelola → kelola, pemeliharaan → pelihara) and
//     inflected forms of listed words follow their base (pemerintahannya →
//     pemerintah). pemerintah, not perintah ("command"), is the root of the
//     government family, so that the two stay apart.
//
// Tokens are expected lower-cased. Anything outside a–z (digits, hyphens,
// diacritics, upper case) and anything shorter than four letters is returned
// unchanged, because the rules are only defined over plain Latin letters and
// short tokens are mostly acronyms (ktp, umkm) or function words.
package indonesian

// Flags record which prefix was removed, so the suffix step can refuse the
// confixes that do not occur (ke-…-kan, peN-…-kan, di-…-an, meN-…-an, ber-…-i…).
const (
	flagMeng uint8 = 1 << iota
	flagPeng
	flagDi
	flagTer
	flagKe
	flagBer
	flagPe
)

// Recode classes: which consonant a prefix boundary may have swallowed.
// They select the table in lists.go that is allowed to undo it.
const (
	recodeNone byte = iota
	recodeK         // meng-/peng- + vowel: vowel-initial root or a lost k
	recodeM         // mem-/pem- + vowel, recoded to p: or was it an m?
	recodeN         // men-/pen- + vowel, recoded to t: or was it an n?
	recodeNy        // meny-/peny- + vowel, recoded to s: or was it ny?
	recodeR         // ber-/per-/ter- + vowel: or did the root start with r?
)

type stemmer struct {
	w      string
	flags  uint8
	recode byte
	lists  bool // false only in tests, to show which list entries are needed
}

// Stem returns the stem of a lower-case Indonesian token. See the package
// documentation for the algorithm and how it departs from Tala.
func Stem(word string) string {
	return stem(word, true)
}

// StemLight removes only inflectional endings (a particle, then a possessive
// pronoun), for fields or queries where derivational stemming conflates too
// much: "programnya" → "program", "bukankah" → "bukan", but "pelayanan"
// stays. Words on the protected and exception lists are left whole, because
// for them the apparent ending is part of the word (sekolah, pelaku).
func StemLight(word string) string {
	if !eligible(word) || listed(word) {
		return word
	}
	s := stemmer{w: word, lists: true}
	if s.measure() > 2 && s.particle() && listed(s.w) {
		return s.w
	}
	if s.measure() > 2 {
		s.possessive()
	}
	return s.w
}

func stem(word string, lists bool) string {
	if !eligible(word) {
		return word
	}
	s := stemmer{w: word, lists: lists}
	if s.settle() {
		return s.w
	}
	if s.measure() > 2 && s.particle() && s.settle() {
		return s.w
	}
	if s.measure() > 2 && s.possessive() && s.settle() {
		return s.w
	}
	if s.measure() <= 2 {
		return s.w
	}
	if s.firstOrder() {
		if s.settle() {
			return s.w
		}
		if s.measure() > 2 && s.suffix() && s.settle() {
			return s.w
		}
		if s.measure() > 2 && s.secondOrder() {
			s.settle()
		}
		return s.w
	}
	if s.measure() > 2 && s.secondOrder() && s.settle() {
		return s.w
	}
	if s.measure() > 2 && s.suffix() {
		s.settle()
	}
	return s.w
}

// settle applies the lists to the current residue. It reports true when the
// residue is final (protected or an exception); a recoded root is not final,
// because it may still carry a suffix or a second prefix.
//
// Tala decrements m once per removal; every removal (and every recoding)
// takes away exactly one vowel, so recounting in measure gives the same
// value and stays right after the recode tables add a consonant back.
func (s *stemmer) settle() bool {
	if !s.lists {
		return false
	}
	if s.recode != recodeNone {
		if root, ok := recodeTables[s.recode][s.w]; ok {
			s.w = root
			s.recode = recodeNone
		}
	}
	if isProtected(s.w) {
		return true
	}
	if e, ok := exceptions[s.w]; ok {
		s.w = e
		return true
	}
	return false
}

func (s *stemmer) measure() int { return vowels(s.w) }

func vowels(w string) int {
	n := 0
	for i := 0; i < len(w); i++ {
		if isVowel(w[i]) {
			n++
		}
	}
	return n
}

func (s *stemmer) cut(prefix int, flag uint8, recode byte) {
	s.w = s.w[prefix:]
	s.flags |= flag
	s.recode = recode
}

// replace swaps a prefix of length n for a single consonant.
func (s *stemmer) replace(n int, c string, flag uint8, recode byte) {
	s.w = c + s.w[n:]
	s.flags |= flag
	s.recode = recode
}

// particle removes -kah, -lah or -pun, unless the ending is the root's: a
// word of two syllables would be left that begins like a prefix, too short
// for the prefix to come off (dipilah would become dipi, not pilah).
func (s *stemmer) particle() bool {
	if !hasSuffix(s.w, "kah") && !hasSuffix(s.w, "lah") && !hasSuffix(s.w, "pun") {
		return false
	}
	rest := s.w[:len(s.w)-3]
	if vowels(rest) <= 2 && startsWithPrefix(rest) && !(s.lists && listed(rest)) {
		return false
	}
	s.w = rest
	return true
}

func (s *stemmer) possessive() bool {
	switch {
	case hasSuffix(s.w, "ku"), hasSuffix(s.w, "mu"):
		s.w = s.w[:len(s.w)-2]
	case hasSuffix(s.w, "nya"):
		s.w = s.w[:len(s.w)-3]
	default:
		return false
	}
	return true
}

func (s *stemmer) firstOrder() bool {
	w := s.w
	switch {
	case hasPrefix(w, "meng"):
		s.cut(4, flagMeng, vowelRecode(w, 4, recodeK))
	case hasPrefix(w, "meny") && vowelAt(w, 4):
		s.replace(4, "s", flagMeng, recodeNy)
	case hasPrefix(w, "men") && vowelAt(w, 3):
		s.replace(3, "t", flagMeng, recodeN)
	case hasPrefix(w, "men"):
		s.cut(3, flagMeng, recodeNone)
	case hasPrefix(w, "mem") && vowelAt(w, 3):
		s.replace(3, "p", flagMeng, recodeM)
	case hasPrefix(w, "mem"):
		s.cut(3, flagMeng, recodeNone)
	case hasPrefix(w, "me"):
		s.cut(2, flagMeng, recodeNone)
	case s.peN(): // Tala's rules 6–11, in his order between me- and di-
	case hasPrefix(w, "di"):
		s.cut(2, flagDi, recodeNone)
	case hasPrefix(w, "ter"):
		s.cut(3, flagTer, vowelRecode(w, 3, recodeR))
	case hasPrefix(w, "ke"):
		s.cut(2, flagKe, recodeNone)
	default:
		return false
	}
	return true
}

// peN removes the peN- allomorphs. It is shared by the first-order step and,
// after ke-, by the second-order step.
func (s *stemmer) peN() bool {
	w := s.w
	switch {
	case hasPrefix(w, "peng"):
		s.cut(4, flagPeng, vowelRecode(w, 4, recodeK))
	case hasPrefix(w, "peny") && vowelAt(w, 4):
		s.replace(4, "s", flagPeng, recodeNy)
	case hasPrefix(w, "peny"):
		s.cut(4, flagPeng, recodeNone)
	case hasPrefix(w, "pen") && vowelAt(w, 3):
		s.replace(3, "t", flagPeng, recodeN)
	case hasPrefix(w, "pen"):
		s.cut(3, flagPeng, recodeNone)
	case hasPrefix(w, "pem") && vowelAt(w, 3):
		s.replace(3, "p", flagPeng, recodeM)
	case hasPrefix(w, "pem"):
		s.cut(3, flagPeng, recodeNone)
	default:
		return false
	}
	return true
}

func (s *stemmer) secondOrder() bool {
	w := s.w
	if s.flags&flagKe != 0 {
		if s.peN() {
			return true
		}
		if hasPrefix(w, "ter") {
			s.cut(3, flagTer, vowelRecode(w, 3, recodeR))
			return true
		}
	}
	switch {
	case hasPrefix(w, "ber"):
		s.cut(3, flagBer, vowelRecode(w, 3, recodeR))
	case hasPrefix(w, "belajar"):
		s.replace(7, "ajar", flagBer, recodeNone)
	case len(w) >= 5 && w[0] == 'b' && w[1] == 'e' && !isVowel(w[2]) && w[3] == 'e' && w[4] == 'r':
		s.cut(2, flagBer, recodeNone)
	case hasPrefix(w, "per"):
		s.cut(3, 0, vowelRecode(w, 3, recodeR))
	case hasPrefix(w, "pelajar"):
		s.replace(7, "ajar", 0, recodeNone)
	case hasPrefix(w, "pe"):
		s.cut(2, flagPe, recodeNone)
	default:
		return false
	}
	return true
}

func (s *stemmer) suffix() bool {
	w := s.w
	switch {
	case hasSuffix(w, "kan") && s.flags&(flagKe|flagPeng|flagPe) == 0:
		s.w = w[:len(w)-3]
	case hasSuffix(w, "an") && s.flags&(flagDi|flagMeng|flagTer) == 0:
		s.w = w[:len(w)-2]
	case hasSuffix(w, "i") && !hasSuffix(w, "si") && !loanwordI(w) && s.flags&(flagBer|flagKe|flagPeng) == 0:
		s.w = w[:len(w)-1]
	default:
		return false
	}
	return true
}

// loanwordI is true for Greek/Latin loans whose final -i belongs to the word
// (teknologi, geografi, ekonomi, energi, strategi). Tala excepts only -si;
// without this, ekonomi → ekonom while perekonomian → ekonomi. Native roots
// do not end in these letters before the suffix -i.
func loanwordI(w string) bool {
	for _, e := range [...]string{"logi", "grafi", "nomi", "ergi", "tegi"} {
		if hasSuffix(w, e) {
			return true
		}
	}
	return false
}

// eligible is false for tokens the rules are not meant for; see the package
// documentation.
func eligible(w string) bool {
	if len(w) < 4 {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

func isVowel(c byte) bool {
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'
}

func vowelAt(w string, i int) bool {
	return i < len(w) && isVowel(w[i])
}

// vowelRecode returns class when the prefix of length n is followed by a
// vowel, the only case in which a root consonant can have been absorbed.
func vowelRecode(w string, n int, class byte) byte {
	if vowelAt(w, n) {
		return class
	}
	return recodeNone
}

// startsWithPrefix reports whether w begins like a prefix.
func startsWithPrefix(w string) bool {
	for _, p := range []string{"me", "pe", "di", "ter", "ke", "be"} {
		if hasPrefix(w, p) {
			return true
		}
	}
	return false
}

func hasPrefix(w, p string) bool { return len(w) >= len(p) && w[:len(p)] == p }
func hasSuffix(w, p string) bool { return len(w) >= len(p) && w[len(w)-len(p):] == p }
