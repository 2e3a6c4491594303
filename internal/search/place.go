package search

import (
	"fmt"
	"slices"
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
// "dari" or "from" (afterFrom, word by word) is where something came
// from: "studi tiru dari Banjar" ranks up the visits of Banjar's people.
// When innovations are asked for ("inovasi Solo", "inovasi dari Solo"),
// only the place's own innovations rank up, not the visits to it.
func places(r index.IndexReader, words []string, afterFrom []bool, innovations bool) []query.Query {
	var out []query.Query
	eachPlace(words, 1, func(i, n int) bool {
		name := placeName(words[i : i+n])
		switch {
		case !afterFrom[i] && innovations:
			// "inovasi Solo": Solo's own innovations, not the visits
			// hosted there, whose titles say "Solo" more often.
			if docFreq(r, fPlace, name) == 0 {
				return false
			}
			out = append(out, bleve.NewConjunctionQuery(boosted(term(name, fPlace), placeBoost), filter("innovation", "kind")))
		case !afterFrom[i]:
			if docFreq(r, fPlace, name) == 0 {
				return false
			}
			out = append(out, boosted(term(name, fPlace), placeBoost))
		case docFreq(r, fPlace, name)+docFreq(r, fFrom, name) == 0:
			return false
		default:
			// "dari Solo": the visits of Solo's people, and Solo's own
			// innovations ("inovasi dari Solo": only those), not
			// visits to Solo.
			if !innovations {
				out = append(out, boosted(term(name, fFrom), placeBoost))
			}
			out = append(out, bleve.NewConjunctionQuery(boosted(term(name, fPlace), placeBoost), filter("innovation", "kind")))
		}
		return true
	})
	return out
}

// placeRuns finds the runs of two or three query words that are a place's
// whole name in the place field ("kota hujan", "serambi mekkah", "jawa
// tengah"), longest first, as the end of each run by its start.
func placeRuns(r index.IndexReader, words []string) map[int]int {
	runs := map[int]int{}
	eachPlace(words, 2, func(i, n int) bool {
		if docFreq(r, fPlace, placeName(words[i:i+n])) == 0 {
			return false
		}
		runs[i] = i + n
		return true
	})
	return runs
}

// eachPlace offers take the runs of words that may name a place, of three
// words down to shortest, left to right, each made only of words no run
// taken before holds: take reports whether the run names one, and so
// holds its words.
func eachPlace(words []string, shortest int, take func(i, n int) bool) {
	used := make([]bool, len(words))
	for n := min(3, len(words)); n >= shortest; n-- {
	next:
		for i := 0; i+n <= len(words); i++ {
			for _, u := range used[i : i+n] {
				if u {
					continue next
				}
			}
			if take(i, n) {
				for j := i; j < i+n; j++ {
					used[j] = true
				}
			}
		}
	}
}

// placeName is words as a place's name in the place field: a kabupaten or
// kota as people shorten it ("kab banjar", "pemkab banjar", "pemkot
// surakarta") as it is written there.
func placeName(words []string) string {
	if len(words) > 1 {
		switch words[0] {
		case "kab", "pemkab":
			return "kabupaten " + strings.Join(words[1:], " ")
		case "pemkot":
			return "kota " + strings.Join(words[1:], " ")
		}
	}
	return strings.Join(words, " ")
}

// yearBoost weighs a record's being of a year the query names. At 4,
// "kunker solo 2023" still put a 2019 visit to Solo first; 8 and 16 put
// the 2023 one first, and the judged queries (none names a year) stay as
// they were.
const yearBoost = 8.0

// isDateWord reports whether w says when, next to a year: "kunker tahun
// 2021", "studi tiru bulan februari 2019". Required, such words dropped
// the records of that year that never wrote them (nearly all of them); a
// year in the query ranks those records up already (see years). Month
// names are in Indonesian and English, whole and shortened.
func isDateWord(w string) bool {
	switch w {
	case "tahun", "thn", "th", "bulan", "bln", "tanggal", "tgl", "year", "month":
		return true
	}
	return monthOf(w) > 0
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
	for i, w := range words {
		if !isYear(w) || docFreq(r, "year", w) == 0 {
			continue
		}
		out = append(out, boosted(term(w, "year"), yearBoost))
		// A month just before the year ("kunjungan oktober 2024", "bulan
		// okt 2024") ranks up the visits that began in that month, over
		// the rest of the year's.
		for _, m := range words[max(0, i-2):i] {
			if n := monthOf(m); n > 0 {
				month := fmt.Sprintf("%s-%02d", w, n)
				if docFreq(r, "month", month) > 0 {
					out = append(out, boosted(term(month, "month"), yearBoost))
				}
			}
		}
	}
	return out
}

// months ranks up the visits that began in a month the query names
// without a year after it ("kunjungan kerja bulan februari"), in any year.
func months(r index.IndexReader, words []string) []query.Query {
	var out []query.Query
	for i, w := range words {
		n := monthOf(w)
		if n == 0 || slices.ContainsFunc(words[i+1:min(len(words), i+3)], isYear) {
			continue
		}
		if m := fmt.Sprintf("%02d", n); docFreq(r, "month", m) > 0 {
			out = append(out, boosted(term(m, "month"), yearBoost))
		}
	}
	return out
}

// monthOf returns the number of the month w names (1 for "januari",
// "jan", "january"), or 0.
func monthOf(w string) int {
	switch w {
	case "januari", "jan", "january":
		return 1
	case "februari", "pebruari", "feb", "peb", "february":
		return 2
	case "maret", "mar", "march":
		return 3
	case "april", "apr":
		return 4
	case "mei", "may":
		return 5
	case "juni", "jun", "june":
		return 6
	case "juli", "jul", "july":
		return 7
	case "agustus", "agu", "agt", "ags", "agust", "august", "aug":
		return 8
	case "september", "sep", "sept":
		return 9
	case "oktober", "okt", "october", "oct":
		return 10
	case "november", "nov":
		return 11
	case "desember", "des", "december", "dec":
		return 12
	}
	return 0
}
