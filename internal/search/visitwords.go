package search

import (
	"math"
	"slices"

	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"tiru/internal/kb"
)

// visitWords are the ways of naming a kind of visit: each visit type's
// labels ("studi tiru", "working visit") and the other members of their
// synonym groups ("kunker", "benchmarking"), as runs of query words.
//
// Someone who types "kunker Solo" wants the visits to Solo. Staff and the
// press call one visit a kunjungan kerja, a studi tiru and a studi banding
// in turn (the Banjar visit this project began with was reported as a
// kunjungan kerja and logged as a studi tiru), so a record is not wrong
// for lacking the word: such words rank visits up and the visit of the
// named type first, but no record is required to contain them.
type visitWords [][]string

func newVisitWords(s *Synonyms) visitWords {
	var out visitWords
	add := func(run []string) {
		if len(run) > 0 && !slices.ContainsFunc(out, func(r []string) bool { return slices.Equal(r, run) }) {
			out = append(out, run)
		}
	}
	for _, t := range kb.VisitTypes().Terms {
		if t.Key == "lainnya" {
			continue // "lainnya" (other) names nothing
		}
		for _, label := range []string{t.ID, t.EN} {
			run := withoutStop(tokens(label))
			add(run)
			for _, g := range s.split {
				if slices.ContainsFunc(g, func(m []string) bool { return slices.Equal(m, run) }) {
					for _, m := range g {
						add(m)
					}
				}
			}
		}
	}
	// The bare words too: "kunjungan tahun 2018", "kunjungan dinas
	// kesehatan" ask for visits. A home-visit service ("kunjungan rumah")
	// still has both words, and ranks by them.
	add([]string{"kunjungan"})
	add([]string{"visit"})
	return out
}

// names reports whether the query words run are a way of naming a visit.
func (v visitWords) names(run []string) bool {
	return slices.ContainsFunc(v, func(r []string) bool { return slices.Equal(r, run) })
}

// namesVisit reports whether a run of up to three of the query words names
// a visit.
func (ix *Index) namesVisit(words []string) bool {
	for i := range words {
		for n := 1; n <= 3 && i+n <= len(words); n++ {
			if ix.visits.names(words[i : i+n]) {
				return true
			}
		}
	}
	return false
}

// kindBoost weighs a record's being of the kind the query names (a visit
// for "kunker", an innovation for "inovasi"), as if one record in ten were
// of that kind (see kindPreference): as much as a query word of that
// weight in a record's title (the exact title field weighs a word that is
// its own stem 3 + 2). At 2, less than the word said once in the text
// (1.5 + 1), a topic beside the visit word decided alone: a word with
// English synonyms, matched in the title, tags and text of an English
// write-up in both languages' fields, outweighed it, and "studi banding
// pajak" put a tax innovation above the study visit about tax. On the
// judged queries 1 and 0.5 left an innovation among the visits of
// "kunker Solo"; 4 to 8 moved no other judged query. At 5, a little more
// than a title word, a word of a visit's title still tied with it: a
// visit's title names its agencies and places, so "inovasi NTB" listed a
// visit to NTB among the province's innovations, and "kunjungan dinas
// kesehatan" a health office's innovation among its visits. 7 to 10
// answer both everyday queries and move no judged one; 8 is the middle.
// ("inovasi dinsos" still lists two visits of a Dinas Sosial first: the
// agency is in their titles and both their agency fields.)
const kindBoost = 8.0

// kindPreference is the clause that ranks the records of a kind up: the
// term kind:<kind>, weighed the same however many of the records are of
// it. Bleve weighs a term by its idf twice (in the query and in the
// record), so the boost makes up for the square of the difference from a
// kind that one record in ten has. Without it, a collection that is mostly
// visits hardly preferred them: three records, two of them visits, gave
// the term a twentieth of the weight it had among 172 records with 31
// visits. Nil when no record, or nearly every one, is of the kind.
func kindPreference(r index.IndexReader, records uint64, kind string) query.Query {
	n := docFreq(r, "kind", kind)
	w := idf(1, records, n)
	if n == 0 || w < minKindIDF {
		return nil
	}
	// BM25's idf of a term that one record in ten has is ln 10.
	return boosted(term(kind, "kind"), kindBoost*(math.Ln10/w)*(math.Ln10/w))
}

// minKindIDF: below it nearly every record is of the kind (19 in 20 give
// 0.07), and there is nothing to prefer.
const minKindIDF = 0.1
