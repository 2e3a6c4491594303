package search

import (
	"strings"

	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// placeBoost weighs a record's having happened at a place the query names
// (see places). On the judged queries 1 and 2 changed nothing; 8 put the
// visits to Solo first for "kunker Solo" (0.93 → 1.00) and raised four
// other queries naming a place, lowering none; 16 did little more.
const placeBoost = 8.0

// places are the clauses that rank up the records that happened at a place
// the query names: runs of up to three of its words that are a place's
// whole name ("solo", "jawa tengah", "kalsel"), longest first. A place's
// name is only a word of the text and the names otherwise, so "kunker
// Solo" ranked a visit *from* Solo among the visits *to* it, and "banjar"
// a Balinese banjar hall above Kabupaten Banjar's records. A name after
// "dari" or "from" (typed says what was typed, stop words and all) is
// where visitors came from: "studi tiru dari Banjar" ranks up the visits
// of Banjar's people instead.
func places(r index.IndexReader, words []string, typed []string) []query.Query {
	var out []query.Query
	from := map[string]bool{}
	for i := 1; i < len(typed); i++ {
		if typed[i-1] == "dari" || typed[i-1] == "from" {
			from[typed[i]] = true
		}
	}
	used := make([]bool, len(words))
	for n := min(3, len(words)); n >= 1; n-- {
	next:
		for i := 0; i+n <= len(words); i++ {
			for _, u := range used[i : i+n] {
				if u {
					continue next
				}
			}
			name := strings.Join(words[i:i+n], " ")
			field := fPlace
			if from[words[i]] {
				field = fFrom
			}
			if docFreq(r, field, name) == 0 {
				continue
			}
			out = append(out, boosted(term(name, field), placeBoost))
			for j := i; j < i+n; j++ {
				used[j] = true
			}
		}
	}
	return out
}
