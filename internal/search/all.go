package search

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// allQuery requires every one of its queries, as Bleve's conjunction does,
// with the same scores (the sum of its parts'), but finds its records in
// two steps: first a record that every part could have, then whether each
// has it, then its score.
//
// Bleve's conjunction asks each part for its next match and compares
// them. A query's words are unions (see unionQuery), and a union asked for
// its next match must say exactly which record that is: it checks word
// positions for its phrases (a synonym wording of several words) in every
// record up to it, and scores it, though the other words then skip the
// record. Here a union only names the first record its parts could be in
// (a phrase's words may be there in another order) until every word names
// the same record; only then are its phrases checked, and only there.
type allQuery struct {
	qs []query.Query
}

// allOf requires every query of qs; a lone query goes in as itself, as
// Bleve would otherwise wrap it in a conjunction of one.
func allOf(qs ...query.Query) query.Query {
	if len(qs) == 1 {
		return qs[0]
	}
	return &allQuery{qs: qs}
}

// Searcher implements query.Query.
func (q *allQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	_, snapshot := r.(*scorch.IndexSnapshot)
	if !snapshot || options.Explain || options.IncludeTermVectors || options.Score == "none" {
		return query.NewConjunctionQuery(q.qs).Searcher(ctx, r, m, options)
	}
	s := &allSearcher{}
	for _, sq := range q.qs {
		sr, err := sq.Searcher(ctx, r, m, options)
		if err != nil {
			_ = s.Close()
			return nil, err
		}
		s.searchers = append(s.searchers, sr)
	}
	// The rarest part first, as Bleve orders a conjunction: it names the
	// records the others are moved to.
	slices.SortStableFunc(s.searchers, func(a, b search.Searcher) int {
		switch ca, cb := a.Count(), b.Count(); {
		case ca < cb:
			return -1
		case ca > cb:
			return 1
		}
		return 0
	})
	for _, sr := range s.searchers {
		if u, ok := sr.(*unionSearcher); ok {
			s.parts = append(s.parts, u)
		} else {
			s.parts = append(s.parts, &wholePart{s: sr})
		}
	}
	// As Bleve's conjunction does; a query around it sets its own.
	s.SetQueryNorm(1 / math.Sqrt(s.Weight()))
	return s, nil
}

// part is a searcher taken in allSearcher's two steps.
type part interface {
	// candidate moves to the first record at or after to that the part
	// could have, and names it; false when there is none.
	candidate(ctx *search.SearchContext, to uint64) (uint64, bool, error)
	// has reports whether the part has doc, its candidate; when it does
	// not, its candidate has moved past doc.
	has(ctx *search.SearchContext, doc uint64) (bool, error)
	// take scores doc, which the part has, and moves past it.
	take(ctx *search.SearchContext, doc uint64) (float64, error)
}

// allSearcher gives the records every part has, scored as the sum of the
// parts' scores.
type allSearcher struct {
	searchers []search.Searcher
	parts     []part
	next      uint64 // the first record not yet looked at
	done      bool
	gave      lastGiven
}

func (s *allSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	return s.find(ctx, 0)
}

// Advance gives the first record at or after id that every part has, or the
// last one given again when id is not past it (see lastGiven).
func (s *allSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	to := id.Value()
	if s.gave.covers(to) {
		return s.gave.again(ctx), nil
	}
	return s.find(ctx, to)
}

func (s *allSearcher) find(ctx *search.SearchContext, to uint64) (*search.DocumentMatch, error) {
	target := max(to, s.next)
	for !s.done {
		// Move every part to the same candidate.
		for moved := true; moved; {
			moved = false
			for _, p := range s.parts {
				doc, ok, err := p.candidate(ctx, target)
				if err != nil {
					return nil, err
				}
				if !ok {
					s.done = true
					return nil, nil
				}
				if doc > target {
					target, moved = doc, true
				}
			}
		}
		all := true
		for _, p := range s.parts {
			ok, err := p.has(ctx, target)
			if err != nil {
				return nil, err
			}
			if !ok {
				all = false
				break
			}
		}
		if !all {
			target++
			continue
		}
		var score float64
		for _, p := range s.parts {
			sc, err := p.take(ctx, target)
			if err != nil {
				return nil, err
			}
			score += sc
		}
		s.next = target + 1
		return s.gave.give(ctx, target, score), nil
	}
	return nil, nil
}

func (s *allSearcher) Weight() float64 {
	var w float64
	for _, sr := range s.searchers {
		w += sr.Weight()
	}
	return w
}

func (s *allSearcher) SetQueryNorm(n float64) {
	for _, sr := range s.searchers {
		sr.SetQueryNorm(n)
	}
}

func (s *allSearcher) Count() uint64 {
	var n uint64
	for _, sr := range s.searchers {
		n += sr.Count()
	}
	return n
}

func (s *allSearcher) Close() error {
	var first error
	for _, sr := range s.searchers {
		if err := sr.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (s *allSearcher) Min() int { return 0 }

func (s *allSearcher) Size() int {
	n := 64
	for _, sr := range s.searchers {
		n += sr.Size()
	}
	return n
}

func (s *allSearcher) DocumentMatchPoolSize() int {
	n := 1
	for _, sr := range s.searchers {
		n += 1 + sr.DocumentMatchPoolSize()
	}
	return n
}

// wholePart is any other searcher as a part: its candidate is its next
// match.
type wholePart struct {
	s    search.Searcher
	dm   *search.DocumentMatch
	at   uint64
	used bool // dm was taken: move past it first
	done bool
}

func (p *wholePart) candidate(ctx *search.SearchContext, to uint64) (uint64, bool, error) {
	if p.done {
		return 0, false, nil
	}
	if p.dm != nil && !p.used && p.at >= to {
		return p.at, true, nil
	}
	if p.used {
		to = max(to, p.at+1)
	}
	if p.dm != nil {
		ctx.DocumentMatchPool.Put(p.dm)
		p.dm = nil
	}
	var err error
	if to == 0 {
		p.dm, err = p.s.Next(ctx)
	} else {
		var id [8]byte
		p.dm, err = p.s.Advance(ctx, index.NewIndexInternalID(id[:0], to))
	}
	if err != nil {
		return 0, false, fmt.Errorf("search: %w", err)
	}
	p.used = false
	if p.dm == nil {
		p.done = true
		return 0, false, nil
	}
	p.at = p.dm.IndexInternalID.Value()
	return p.at, true, nil
}

func (p *wholePart) has(_ *search.SearchContext, doc uint64) (bool, error) {
	return p.dm != nil && !p.used && p.at == doc, nil
}

func (p *wholePart) take(_ *search.SearchContext, _ uint64) (float64, error) {
	p.used = true
	return p.dm.Score, nil
}
