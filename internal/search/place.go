package search

import (
	"strings"

	"github.com/blevesearch/bleve/v2"
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
// "dari" or "from" (afterFrom, word by word) is where something came from: "studi tiru dari Banjar" ranks up the visits
// of Banjar's people, and "inovasi dari Solo" (innovations asked for) only
// Solo's own innovations; neither ranks up the visits to the place.
func places(r index.IndexReader, words []string, afterFrom []bool, innovations bool) []query.Query {
	var out []query.Query
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
			switch {
			case !afterFrom[i] && innovations:
				// "inovasi Solo": Solo's own innovations, not the visits
				// hosted there, whose titles say "Solo" more often.
				if docFreq(r, fPlace, name) == 0 {
					continue
				}
				out = append(out, bleve.NewConjunctionQuery(boosted(term(name, fPlace), placeBoost), filter("innovation", "kind")))
			case !afterFrom[i]:
				if docFreq(r, fPlace, name) == 0 {
					continue
				}
				out = append(out, boosted(term(name, fPlace), placeBoost))
			case docFreq(r, fPlace, name)+docFreq(r, fFrom, name) == 0:
				continue
			default:
				// "dari Solo": the visits of Solo's people, and Solo's own
				// innovations ("inovasi dari Solo": only those), not
				// visits to Solo.
				if !innovations {
					out = append(out, boosted(term(name, fFrom), placeBoost))
				}
				out = append(out, bleve.NewConjunctionQuery(boosted(term(name, fPlace), placeBoost), filter("innovation", "kind")))
			}
			for j := i; j < i+n; j++ {
				used[j] = true
			}
		}
	}
	return out
}

// yearBoost weighs a record's being of a year the query names. At 4,
// "kunker solo 2023" still put a 2019 visit to Solo first; 8 and 16 put
// the 2023 one first, and the judged queries (none names a year) stay as
// they were.
const yearBoost = 8.0

// dateWords say when, next to a year: "kunker tahun 2021", "studi tiru
// bulan februari 2019". Required, they dropped the records of that year
// that never wrote them (nearly all of them); a year in the query ranks
// those records up already (see years). Month names are in Indonesian and
// English, whole and shortened.
var dateWords = map[string]bool{
	"tahun": true, "thn": true, "th": true, "bulan": true, "bln": true, "tanggal": true, "tgl": true,
	"year": true, "month": true,
	"januari": true, "februari": true, "pebruari": true, "maret": true, "april": true, "mei": true, "juni": true,
	"juli": true, "agustus": true, "september": true, "oktober": true, "november": true, "desember": true,
	"jan": true, "feb": true, "peb": true, "mar": true, "apr": true, "jun": true, "jul": true, "agu": true, "agt": true,
	"ags": true, "agust": true, "sep": true, "sept": true, "okt": true, "nov": true, "des": true,
	"january": true, "february": true, "march": true, "may": true, "june": true, "july": true, "august": true,
	"october": true, "december": true, "aug": true, "oct": true, "dec": true,
}

// isYear reports whether a query word is a year a record may be of.
func isYear(w string) bool {
	if len(w) != 4 || (w[:2] != "19" && w[:2] != "20") {
		return false
	}
	for i := 2; i < 4; i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return true
}

// years are the clauses that rank up the records of a year the query
// names ("kunker solo 2024"): a visit's start, an innovation's first year.
// A year was only a word of the text: records of that year that never
// wrote it were ranked as if it had not been asked.
func years(r index.IndexReader, words []string) []query.Query {
	var out []query.Query
	for _, w := range words {
		if isYear(w) && docFreq(r, "year", w) > 0 {
			out = append(out, boosted(term(w, "year"), yearBoost))
		}
	}
	return out
}
