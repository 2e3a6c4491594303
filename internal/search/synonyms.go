package search

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2"
)

// Synonyms is the list of words and phrases that mean the same for search:
// each group is a set of equivalents ("aduan, pengaduan, keluhan",
// "KTP, kartu tanda penduduk"). One-word equivalents are handed to Bleve's
// synonym support and expanded by the index at query time; a member of
// several words cannot be (Bleve drops a synonym that analyses to more than
// one token), so queries are rewritten for those. Either way, changing the
// list needs no document to be reindexed.
type Synonyms struct {
	groups [][]string // lower-cased members
}

// ParseSynonyms reads one group per line, members separated by commas.
// Blank lines and lines starting with # are skipped.
func ParseSynonyms(r io.Reader) (*Synonyms, error) {
	s := &Synonyms{}
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
			if m != "" {
				group = append(group, m)
			}
		}
		if len(group) < 2 {
			return nil, fmt.Errorf("synonyms line %d: a group needs at least two members separated by commas", line)
		}
		s.groups = append(s.groups, group)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read synonyms: %w", err)
	}
	return s, nil
}

// Groups returns the number of groups.
func (s *Synonyms) Groups() int { return len(s.groups) }

// oneWord reports whether a member stays one token under the analyzers.
func oneWord(m string) bool {
	for _, r := range m {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return m != ""
}

func synonymID(i int) string { return fmt.Sprintf("synonym:%d", i) }

// push writes the one-word part of every group into the index as synonym
// definitions, replacing what an earlier list wrote.
func (s *Synonyms) push(idx bleve.Index) error {
	si, ok := idx.(bleve.SynonymIndex)
	if !ok {
		return fmt.Errorf("index does not support synonyms")
	}
	b := si.NewBatch()
	n := 0
	for _, g := range s.groups {
		var words []string
		for _, m := range g {
			if oneWord(m) {
				words = append(words, m)
			}
		}
		if len(words) < 2 {
			continue
		}
		if err := b.IndexSynonym(synonymID(n), SynonymCollection, &bleve.SynonymDefinition{Synonyms: words}); err != nil {
			return fmt.Errorf("synonym group %v: %w", words, err)
		}
		n++
	}
	// Remove definitions left from a longer, older list.
	prev, _ := idx.GetInternal([]byte("tiru_synonym_count"))
	var old int
	fmt.Sscan(string(prev), &old)
	for i := n; i < old; i++ {
		b.Delete(synonymID(i))
	}
	b.SetInternal([]byte("tiru_synonym_count"), []byte(fmt.Sprint(n)))
	if err := idx.Batch(b); err != nil {
		return fmt.Errorf("write synonyms: %w", err)
	}
	return nil
}

// tokens splits text the way the analyzers do, roughly: lower-cased runs of
// letters and digits.
func tokens(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func containsSeq(hay, needle []string) bool {
	if len(needle) == 0 || len(needle) > len(hay) {
		return false
	}
outer:
	for i := 0; i+len(needle) <= len(hay); i++ {
		for j := range needle {
			if hay[i+j] != needle[j] {
				continue outer
			}
		}
		return true
	}
	return false
}

// Expansion is an alternative wording to search for as well.
type Expansion struct {
	Text   string
	Phrase bool // several words, to be matched as a phrase
}

// expand returns what Bleve's own synonyms cannot supply for q: the
// multi-word members of every group q mentions, and, when q mentions a group
// through a multi-word member, its one-word members too.
func (s *Synonyms) expand(q string) []Expansion {
	qt := tokens(q)
	seen := map[string]bool{}
	var out []Expansion
	for _, g := range s.groups {
		matched, viaPhrase := false, false
		for _, m := range g {
			if containsSeq(qt, tokens(m)) {
				matched = true
				if !oneWord(m) {
					viaPhrase = true
				}
			}
		}
		if !matched {
			continue
		}
		for _, m := range g {
			if containsSeq(qt, tokens(m)) || seen[m] {
				continue
			}
			if !oneWord(m) {
				seen[m] = true
				out = append(out, Expansion{Text: strings.Join(tokens(m), " "), Phrase: len(tokens(m)) > 1})
			} else if viaPhrase {
				seen[m] = true
				out = append(out, Expansion{Text: m})
			}
		}
	}
	return out
}
