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

// eachCompletion calls fn with each indexed word of field f that begins
// with w (w itself and words of no live record aside), at most
// completionScan of them, until fn returns false.
func eachCompletion(r index.IndexReader, f, w string, fn func(term string, count uint64) bool) {
	d, err := r.FieldDictPrefix(f, []byte(w))
	if err != nil {
		return
	}
	defer d.Close()
	for range completionScan {
		e, err := d.Next()
		if err != nil || e == nil {
			return
		}
		if e.Count > 0 && e.Term != w && !fn(e.Term, e.Count) {
			return
		}
	}
}

// addCompletions adds to near, for each of fuzzyFields, the commonest
// indexed words that begin with w, as near words of no edits.
func addCompletions(r index.IndexReader, w string, near map[string][]nearWord) {
	type counted struct {
		term  string
		count uint64
	}
	for _, f := range fuzzyFields() {
		var found []counted
		eachCompletion(r, f, w, func(term string, count uint64) bool {
			if !isStopTerm(term) {
				found = append(found, counted{term, count})
			}
			return true
		})
		sort.SliceStable(found, func(i, j int) bool { return found[i].count > found[j].count })
		for _, c := range found[:min(len(found), completionKeep)] {
			near[f] = append(near[f], nearWord{term: c.term})
		}
	}
}

// listedCompletion is the member of the synonym list that completes w, the
// word being typed, when nothing matches w and no indexed word begins
// with it; or "". The list is looked at first: it rarely completes a word,
// and concept asks found of the same word again.
func (ix *Index) listedCompletion(r index.IndexReader, w string) string {
	if utf8.RuneCountInString(w) < minCompletion {
		return ""
	}
	m := ix.opt.Synonyms.completeListed(w)
	if m == "" || ix.found(r, w) {
		return ""
	}
	for _, f := range fuzzyFields() {
		begins := false
		eachCompletion(r, f, w, func(string, uint64) bool {
			begins = true
			return false
		})
		if begins {
			return ""
		}
	}
	return m
}
