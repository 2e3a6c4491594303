package search

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"tiru/internal/search/indonesian"
)

// Synonyms is the list of words and phrases that mean the same for search:
// each group is a set of equivalents ("aduan, pengaduan, keluhan",
// "KTP, kartu tanda penduduk"). One-word equivalents are handed to Bleve's
// synonym support, which expands them in the stemmed fields at query time,
// and the query expands them in the exact fields (which have no synonym
// source, see newMapping); a member of several words cannot go to Bleve (it
// drops a synonym that analyses to more than one token), so queries are
// rewritten for those. Either way, changing the list needs no document to be
// reindexed.
//
// Bleve's synonyms act on stems, so a member stands for every word of its
// root. A member written "=masukan" is matched as written only: its root
// (masuk, "enter") means something else, and would otherwise make
// "feedback" find every record that says "memasukkan".
type Synonyms struct {
	groups    [][]string          // lower-cased members
	split     [][][]string        // each member's words, stop words out (as queries are)
	words     map[string][]string // a one-word member's one-word equivalents
	members   map[string]bool     // every one-word member
	asWritten map[string]bool     // one-word members kept out of the stemmed expansion
	// byStem lists, for the stem of each one-word member not marked as
	// written, the groups it is in: another form of a member ("mengadukan"
	// of "aduan") brings the group's wordings of several words too, as
	// Bleve's expansion brings its one-word members.
	byStem map[string][]int
}

// ParseSynonyms reads one group per line, members separated by commas.
// Blank lines and lines starting with # are skipped.
func ParseSynonyms(r io.Reader) (*Synonyms, error) {
	s := &Synonyms{asWritten: map[string]bool{}}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		var group []string
		for _, m := range strings.Split(text, ",") {
			m = strings.Join(strings.Fields(strings.ToLower(m)), " ")
			exact := strings.HasPrefix(m, "=")
			if m = strings.TrimSpace(strings.TrimPrefix(m, "=")); m == "" {
				continue
			}
			if exact {
				if !oneWord(m) {
					return nil, fmt.Errorf("synonyms line %d: %q: only a one-word member can be marked = (as written)", line, m)
				}
				s.asWritten[m] = true
			}
			group = append(group, m)
		}
		if len(group) < 2 {
			return nil, fmt.Errorf("synonyms line %d: a group needs at least two members separated by commas", line)
		}
		s.groups = append(s.groups, group)
	}
	s.words, s.members, s.byStem = map[string][]string{}, map[string]bool{}, map[string][]int{}
	for gi, g := range s.groups {
		split := make([][]string, len(g))
		for i, m := range g {
			split[i] = withoutStop(tokens(m))
		}
		s.split = append(s.split, split)
		for i, m := range g {
			w, ok := single(m, split[i])
			if !ok {
				continue
			}
			s.members[w] = true
			if st := indonesian.Stem(w); !s.asWritten[w] && !slices.Contains(s.byStem[st], gi) {
				s.byStem[st] = append(s.byStem[st], gi)
			}
			for j, o := range g {
				if ow, ok := single(o, split[j]); ok && ow != w && !slices.Contains(s.words[w], ow) {
					s.words[w] = append(s.words[w], ow)
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read synonyms: %w", err)
	}
	return s, nil
}

// equivalents returns the one-word synonyms of a word. An English plural
// that is not listed stands for its listed singular, with the singular
// itself: the list names "school" once, and "schools" should find the
// write-ups that say "sekolah" as "school" does. Another form of a listed
// word stands for the groups of its root the same way: "kebocoran" (of
// "bocor") should find the write-ups that say "leaks". Bleve's expansion
// does that in the stemmed fields only, which hold no word that is its own
// stem, as English words mostly are.
func (s *Synonyms) equivalents(w string) []string {
	if s == nil {
		return nil
	}
	if eq, ok := s.words[w]; ok || s.members[w] {
		return eq
	}
	for _, sg := range englishSingulars(w) {
		if s.members[sg] {
			return append([]string{sg}, s.words[sg]...)
		}
	}
	var eq []string
	for _, gi := range s.byStem[indonesian.Stem(w)] {
		for i, m := range s.groups[gi] {
			if o, ok := single(m, s.split[gi][i]); ok && o != w && !slices.Contains(eq, o) {
				eq = append(eq, o)
			}
		}
	}
	return eq
}

// englishSingulars are the singulars a regular English plural may have
// (schools, buses, houses, villages, subsidies), or none when w does not
// end like one. -es is taken off only after s, x, z, ch and sh, so that
// "times" is not "tim", and even there the e may be the singular's own
// ("houses", "sizes", "caches"), so both are given, the listed one to be
// chosen. Indonesian has no plural -s; its words that end in s ("kelas",
// "tugas") are no concern, since the singular must be a listed word.
func englishSingulars(w string) []string {
	n := len(w)
	switch {
	case n < 4 || w[n-1] != 's' || w[n-2] == 's' || w[n-2] == 'u' || w[n-2] == 'i':
		return nil
	case strings.HasSuffix(w, "ies") && n > 4:
		return []string{w[:n-3] + "y"}
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "xes"), strings.HasSuffix(w, "zes"),
		strings.HasSuffix(w, "ches"), strings.HasSuffix(w, "shes"), strings.HasSuffix(w, "uses") && n > 4:
		return []string{w[:n-2], w[:n-1]} // buses, houses
	}
	return []string{w[:n-1]}
}

// listed reports whether w is a one-word member of a group.
func (s *Synonyms) listed(w string) bool {
	return s != nil && s.members[w]
}

// completeListed returns the shortest one-word member that begins with w
// and is longer (the first in order among as short ones), or "".
func (s *Synonyms) completeListed(w string) string {
	if s == nil {
		return ""
	}
	best := ""
	for m := range s.members {
		if len(m) > len(w) && strings.HasPrefix(m, w) && (best == "" || len(m) < len(best) || len(m) == len(best) && m < best) {
			best = m
		}
	}
	return best
}

// completePhrase completes the last of words, the word being typed, when
// the words before it begin a listed wording of several words and it
// begins that wording's next word: "kartu tanda pen" is on its way to
// "kartu tanda penduduk", whatever word beginning "pen" is commonest in
// the index ("pendaftaran" was suggested). It returns "" when no wording
// fits, or when two would complete it differently.
func (s *Synonyms) completePhrase(words []string) string {
	if s == nil || len(words) < 2 {
		return ""
	}
	last := words[len(words)-1]
	if utf8.RuneCountInString(last) < 2 {
		return ""
	}
	before := words[:len(words)-1]
	found := ""
	for _, g := range s.split {
		for _, m := range g {
			for j := 1; j < len(m) && j <= len(before); j++ {
				if len(m[j]) <= len(last) || !strings.HasPrefix(m[j], last) || !slices.Equal(before[len(before)-j:], m[:j]) {
					continue
				}
				if found != "" && found != m[j] {
					return ""
				}
				found = m[j]
			}
		}
	}
	return found
}

// endsWording reports whether the last of words, with the words before
// it, are a whole member of the list of two words or more: the last word
// is then finished, not the start of another ("mentally ill" was searched
// as "mentally illegal", since no record says "ill").
func (s *Synonyms) endsWording(words []string) bool {
	if s == nil {
		return false
	}
	for _, g := range s.split {
		for _, m := range g {
			if len(m) >= 2 && len(m) <= len(words) && slices.Equal(words[len(words)-len(m):], m) {
				return true
			}
		}
	}
	return false
}

// single returns the one query word a member is, given its words (split):
// the member itself when it is one word, or the joined word of a word with
// a letter-alone prefix ("e-ktp" is "ektp", see wordTokenizer). Such a word
// is expanded by the query alone: Bleve analyses it to two tokens (the
// joined word and the word after), and drops a synonym that does.
func single(m string, split []string) (string, bool) {
	if oneWord(m) {
		return m, true
	}
	if len(split) == 1 && len(tokens(m)) == 1 {
		return split[0], true
	}
	return "", false
}

// oneWord reports whether a member stays one token under the analyzers.
func oneWord(m string) bool {
	for _, r := range m {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return m != ""
}

// tokens splits text the way the analyzers do, roughly: lower-cased runs of
// letters and digits. A letter-alone prefix is joined to its word ("e-KTP"
// is "ektp"): the index holds the joined word and the word alone, and a
// query asks for the one written (see wordTokenizer).
func tokens(s string) []string {
	s = strings.ToLower(s)
	var out []string
	prevStart, prevEnd := -1, -1
	start := -1
	for i, r := range s + " " {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start < 0 {
			continue
		}
		if n := len(out); n > 0 && prevEnd == start-1 && s[start-1] == '-' && prefixed(s[prevStart:prevEnd], s[start:i]) {
			out[n-1] = s[prevStart:prevEnd] + s[start:i]
		} else {
			out = append(out, s[start:i])
		}
		prevStart, prevEnd, start = start, i, -1
	}
	return out
}

// span is a run of query words that a synonym group names, with the
// group's other members that Bleve's own synonym support cannot supply.
type span struct {
	start, end int      // words[start:end]
	alts       []string // other wordings, each as space-separated words
}

// spans finds the runs of words (already lower-cased, stop words out) that
// members of a synonym group spell, longest first and without overlaps. For
// a one-word run it lists the group's members of several words (Bleve
// expands the one-word members itself); for a run of several words it lists
// every other member, since Bleve cannot expand a phrase.
func (s *Synonyms) spans(words []string) []span {
	if s == nil {
		return nil
	}
	type found struct {
		start, end int
		group      int
	}
	var all []found
	for gi, g := range s.split {
		for _, mt := range g {
			for i := 0; len(mt) > 0 && i+len(mt) <= len(words); i++ {
				if slices.Equal(words[i:i+len(mt)], mt) {
					all = append(all, found{i, i + len(mt), gi})
				}
			}
		}
	}
	// A word that is another form of a one-word member ("mengadukan",
	// "keluhkan") names that member's group as the member would.
	for i, w := range words {
		for _, gi := range s.byStem[indonesian.Stem(w)] {
			if !slices.Contains(all, found{i, i + 1, gi}) {
				all = append(all, found{i, i + 1, gi})
			}
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		if li, lj := all[i].end-all[i].start, all[j].end-all[j].start; li != lj {
			return li > lj
		}
		return all[i].start < all[j].start
	})
	taken := make([]int, len(words)) // 1 + index into out of the span covering a word
	var out []span
	for _, f := range all {
		if t := taken[f.start]; t > 0 && out[t-1].start == f.start && out[t-1].end == f.end {
			// The same words name a second group: offer its members too.
			out[t-1].alts = s.appendAlts(out[t-1].alts, f.group, words[f.start:f.end])
			continue
		}
		free := true
		for i := f.start; i < f.end; i++ {
			free = free && taken[i] == 0
		}
		if !free {
			continue
		}
		out = append(out, span{start: f.start, end: f.end, alts: s.appendAlts(nil, f.group, words[f.start:f.end])})
		for i := f.start; i < f.end; i++ {
			taken[i] = len(out)
		}
	}
	kept := out[:0]
	for _, sp := range out {
		if len(sp.alts) > 0 {
			kept = append(kept, sp)
		}
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i].start < kept[j].start })
	return kept
}

// appendAlts adds the members of group g that are other wordings of typed.
func (s *Synonyms) appendAlts(alts []string, g int, typed []string) []string {
	for i, m := range s.groups[g] {
		mt := tokens(m)
		if slices.Equal(s.split[g][i], typed) || (len(typed) == 1 && len(mt) == 1) {
			continue
		}
		if text := strings.Join(mt, " "); !slices.Contains(alts, text) {
			alts = append(alts, text)
		}
	}
	return alts
}

// withoutStop returns words less the stop words.
func withoutStop(words []string) []string {
	out := words[:0:0]
	for _, w := range words {
		if !indonesian.IsStopWord(w) && !isEnglishFunctionWord(w) {
			out = append(out, w)
		}
	}
	return out
}
