package search

import (
	"slices"

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
	return out
}

// names reports whether the query words run are a way of naming a visit.
func (v visitWords) names(run []string) bool {
	return slices.ContainsFunc(v, func(r []string) bool { return slices.Equal(r, run) })
}

// visitBoost weighs a record's being a visit when the query names one. On
// the judged queries 2 put the visits of "kunker Solo" in the best order;
// 1 and 0.5 left an innovation among them.
const visitBoost = 2.0
