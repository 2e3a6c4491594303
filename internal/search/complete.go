package search

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	index "github.com/blevesearch/bleve_index_api"
)

// Results update as people type, so the last word of a query is often
// unfinished: "aplikasi peng" on the way to "aplikasi pengaduan". Such a
// word matches nothing as written, and its near spellings ("pena") are not
// what is meant. When the query ends in a word (no space or quote after
// it) and that word matches nothing, it also stands for the words it
// begins, the commonest first; the likeliest of them in the context of
// the other words is then searched and suggested, as a respelling is.
// A word that matches as written is left alone: "bank sam" completes, but
// "bank sampah" does not also search "sampahnya". A word that no indexed
// word begins is completed from the synonym list, whose abbreviations the
// write-ups often only spell out: "kunk" on its way to "kunker" searches
// "kunker" and so "kunjungan kerja".

// minCompletion is the shortest word completed: two letters begin too
// many words to say anything.
const minCompletion = 3

// Bounds on completing one word: the indexed words read from each field,
// and the commonest kept of them.
const (
	completionScan = 2000
	completionKeep = 10
)

// endsInWord reports whether a raw query ends in a letter or digit, so
// that its last word may still be being typed.
func endsInWord(q string) bool {
	q = strings.ToValidUTF8(q, " ")
	r, _ := utf8.DecodeLastRuneInString(q)
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// addCompletions adds to near, for each of fuzzyFields, the commonest
// indexed words that begin with w, as near words of no edits.
func addCompletions(r index.IndexReader, w string, near map[string][]nearWord) {
	type counted struct {
		term  string
		count uint64
	}
	for _, f := range fuzzyFields() {
		d, err := r.FieldDictPrefix(f, []byte(w))
		if err != nil {
			continue
		}
		var found []counted
		for range completionScan {
			e, err := d.Next()
			if err != nil || e == nil {
				break
			}
			if e.Count > 0 && e.Term != w {
				found = append(found, counted{e.Term, e.Count})
			}
		}
		d.Close()
		sort.SliceStable(found, func(i, j int) bool { return found[i].count > found[j].count })
		for _, c := range found[:min(len(found), completionKeep)] {
			near[f] = append(near[f], nearWord{term: c.term})
		}
	}
}

// listedCompletion is the member of the synonym list that completes w, the
// word being typed, when nothing matches w and no indexed word begins
// with it; or "".
func (ix *Index) listedCompletion(r index.IndexReader, w string) string {
	if utf8.RuneCountInString(w) < minCompletion || ix.found(r, w) {
		return ""
	}
	m := ix.opt.Synonyms.completeListed(w)
	if m == "" {
		return ""
	}
	if beginsIndexedWord(r, w) {
		return ""
	}
	return m
}

// beginsIndexedWord reports whether w begins a word of fuzzyFields other
// than itself.
func beginsIndexedWord(r index.IndexReader, w string) bool {
	for _, f := range fuzzyFields() {
		d, err := r.FieldDictPrefix(f, []byte(w))
		if err != nil {
			continue
		}
		for range completionScan {
			e, err := d.Next()
			if err != nil || e == nil {
				break
			}
			if e.Count > 0 && e.Term != w {
				d.Close()
				return true
			}
		}
		d.Close()
	}
	return false
}
