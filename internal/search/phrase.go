package search

import (
	"context"
	"fmt"
	"math"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// phraseQuery matches its words next to each other, in order, in one field,
// and scores like Bleve's match-phrase query: the sum of its words' scores.
// Bleve's own phrase searcher turns the word positions of every record
// that has all the words into maps before comparing them: a third of the
// time of a phrase query, and most of what a search allocates. This one
// compares the positions as the term searchers hand them over.
//
// The phrase fields hold single strings, so positions are not split by
// array element. Their analyzer puts two words at one position only for a
// letter-alone prefix ("e-KTP" is "ektp" and "ktp"), and a phrase keeps the
// joined word; any other phrase that analyses to shared positions goes to
// Bleve's own searcher.
type phraseQuery struct {
	text  string
	field string
	boost float64
}

func (q *phraseQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	analyzer := m.AnalyzerNamed(m.AnalyzerNameForPath(q.field))
	if analyzer == nil {
		return nil, fmt.Errorf("phrase: no analyzer for field %s", q.field)
	}
	tokens := analyzer.Analyze([]byte(q.text))
	if len(tokens) == 0 {
		return searcher.NewMatchNoneSearcher(r)
	}
	first := tokens[0].Position
	words := make([]string, 0, len(tokens))
	offsets := make([]int, 0, len(tokens))
	for i, tok := range tokens {
		if i > 0 && tok.Position == tokens[i-1].Position && len(tok.Term) < len(tokens[i-1].Term) {
			// The word after a letter-alone prefix, at the joined word's
			// position (see wordTokenizer): a phrase is as written.
			continue
		}
		if i > 0 && tok.Position <= tokens[i-1].Position {
			bq := query.NewMatchPhraseQuery(q.text)
			bq.SetField(q.field)
			bq.SetBoost(q.boost)
			return bq.Searcher(ctx, r, m, options)
		}
		words = append(words, string(tok.Term))
		offsets = append(offsets, tok.Position-first)
	}
	if _, ok := r.(*scorch.IndexSnapshot); ok && !options.Explain && !options.IncludeTermVectors && options.Score != "none" {
		return newSegPhraseSearcher(ctx, r, m, options, words, offsets, q.field, q.boost)
	}
	options.IncludeTermVectors = true
	each := make([]search.Searcher, 0, len(words))
	for _, w := range words {
		ts, err := searcher.NewTermSearcher(ctx, r, w, q.field, q.boost, options)
		if err != nil {
			for _, s := range each {
				_ = s.Close()
			}
			return nil, fmt.Errorf("phrase %q: %w", q.text, err)
		}
		each = append(each, ts)
	}
	all, err := searcher.NewConjunctionSearcher(ctx, r, each, options)
	if err != nil {
		for _, s := range each {
			_ = s.Close()
		}
		return nil, fmt.Errorf("phrase %q: %w", q.text, err)
	}
	s := &phraseSearcher{all: all, words: words, offsets: offsets, field: q.field}
	// As Bleve's phrase searcher does; a query around it sets its own.
	s.SetQueryNorm(1 / math.Sqrt(all.Weight()))
	return s, nil
}

// phraseSearcher passes on the records of all (every word of the phrase,
// with positions) whose positions put the words in order.
type phraseSearcher struct {
	all     search.Searcher
	words   []string // the phrase's words, in order
	offsets []int    // each word's position from the first's
	field   string
	pos     [][]uint64            // scratch: positions of each word in the current record
	last    index.IndexInternalID // the record all gave last
	done    bool                  // all has no more records
}

func (s *phraseSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	return s.next(ctx, nil)
}

// Advance moves to the first record at or after id that has the phrase.
// The records of all are never asked for again once it has run out, nor
// from before the last one it gave: Bleve's term readers start over from
// the first record when asked to go back, and a query around this one
// keeps asking a searcher that has run out.
func (s *phraseSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	if s.last != nil && s.last.Compare(id) >= 0 {
		return s.next(ctx, nil)
	}
	return s.next(ctx, id)
}

// next takes the records of all from the first at or after from (nil: the
// next one) until one has the phrase.
func (s *phraseSearcher) next(ctx *search.SearchContext, from index.IndexInternalID) (*search.DocumentMatch, error) {
	for !s.done {
		var dm *search.DocumentMatch
		var err error
		if from != nil {
			dm, err = s.all.Advance(ctx, from)
			from = nil
		} else {
			dm, err = s.all.Next(ctx)
		}
		if err != nil {
			return nil, err
		}
		if dm == nil {
			s.done = true
			break
		}
		s.last = append(s.last[:0], dm.IndexInternalID...)
		if s.inOrder(dm) {
			return dm, nil
		}
		ctx.DocumentMatchPool.Put(dm)
	}
	return nil, nil
}

// inOrder reports whether dm has the phrase's words at consecutive
// positions (with the phrase's own gaps, where it had stop words).
func (s *phraseSearcher) inOrder(dm *search.DocumentMatch) bool {
	if cap(s.pos) < len(s.words) {
		s.pos = make([][]uint64, len(s.words))
	}
	s.pos = s.pos[:len(s.words)]
	for i := range s.pos {
		s.pos[i] = s.pos[i][:0]
	}
	for _, ftl := range dm.FieldTermLocations {
		if ftl.Field != s.field {
			continue
		}
		for i, w := range s.words {
			if w == ftl.Term {
				s.pos[i] = append(s.pos[i], ftl.Location.Pos)
			}
		}
	}
	for _, p := range s.pos[0] {
		start := int64(p) - int64(s.offsets[0])
		found := true
		for i := 1; i < len(s.words) && found; i++ {
			found = hasPosition(s.pos[i], uint64(start+int64(s.offsets[i])))
		}
		if found {
			return true
		}
	}
	return false
}

func hasPosition(list []uint64, p uint64) bool {
	for _, q := range list {
		if q == p {
			return true
		}
	}
	return false
}

func (s *phraseSearcher) Close() error           { return s.all.Close() }
func (s *phraseSearcher) Weight() float64        { return s.all.Weight() }
func (s *phraseSearcher) SetQueryNorm(n float64) { s.all.SetQueryNorm(n) }
func (s *phraseSearcher) Count() uint64          { return s.all.Count() }
func (s *phraseSearcher) Min() int               { return 0 }
func (s *phraseSearcher) Size() int              { return s.all.Size() }

func (s *phraseSearcher) DocumentMatchPoolSize() int { return s.all.DocumentMatchPoolSize() + 1 }

// segPhraseSearcher is the phrase searcher over a scorch snapshot: it
// reads each word's postings, with their positions, straight from the
// segments (see segPostings), and scores a record as Bleve's conjunction of
// the words' term searchers does, the sum of each word's score.
type segPhraseSearcher struct {
	leaves  []unionLeaf // one per distinct word
	words   []int       // the leaf of each word of the phrase, in order
	offsets []int       // each word's position from the first's
	count   uint64
	started bool
	done    bool
	moveOn  bool   // the last record found was given: move past it first
	at      uint64 // the last record found
	gave    lastGiven
}

func newSegPhraseSearcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions,
	words []string, offsets []int, field string, boost float64) (search.Searcher, error) {
	c, err := newUnionCompiler(ctx, r, m, options)
	if err != nil {
		return nil, err
	}
	c.locs = true
	s := &segPhraseSearcher{words: make([]int, len(words)), offsets: offsets}
	for i, w := range words {
		// A phrase adds its words' scores with no nodes of a union's tree,
		// so the parent of their uses is never read.
		if err := c.leaf(w, field, boost, 0); err != nil {
			c.close()
			return nil, fmt.Errorf("phrase: %w", err)
		}
		s.words[i] = c.byTerm[[2]string{field, w}]
	}
	s.leaves = c.leaves
	for i, l := range s.leaves {
		if i == 0 || l.docFreq < s.count {
			s.count = l.docFreq
		}
	}
	s.done = s.count == 0
	// As Bleve's phrase searcher does; a query around it sets its own.
	s.SetQueryNorm(1 / math.Sqrt(s.Weight()))
	return s, nil
}

func (s *segPhraseSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	return s.find(ctx, 0)
}

func (s *segPhraseSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	to := id.Value()
	if s.gave.covers(to) {
		return s.gave.again(ctx), nil
	}
	return s.find(ctx, to)
}

// step moves leaf i to its next posting, or its first at or after to
// (when to is past it); false when it has run out, which ends the phrase.
func (s *segPhraseSearcher) step(i int, to uint64, advance bool) (bool, error) {
	ok, err := s.leaves[i].read(to, advance)
	s.done = s.done || !ok
	return ok, err
}

// find gives the first record at or after to (0: the next one) that has
// every word, in order.
func (s *segPhraseSearcher) find(ctx *search.SearchContext, to uint64) (*search.DocumentMatch, error) {
	doc, ok, err := s.scan(to, math.MaxUint64)
	if !ok {
		return nil, err
	}
	return s.gave.give(ctx, doc, s.score()), nil
}

// scan finds the first record at or after to, and before limit, that has
// every word in order, and leaves the words' postings on it. When there is
// none before limit, ok is false and doc is where the postings stand: no
// record before it has the phrase, and none of the records from limit on
// has been checked. A union's phrase (see unionLeaf.ph) is scanned only up
// to the records its other parts stand on: checking word positions in
// records that a conjunction around it then skips was most of the time of
// a query whose words have synonym wordings ("pemberdayaan umkm").
func (s *segPhraseSearcher) scan(to, limit uint64) (doc uint64, ok bool, err error) {
	if s.done {
		return 0, false, nil
	}
	if !s.started {
		s.started = true
		for i := range s.leaves {
			if ok, err := s.step(i, 0, false); !ok {
				return 0, false, err
			}
		}
	}
	if s.moveOn {
		s.moveOn = false
		to = max(to, s.at+1)
	}
	for {
		target := to
		for i := range s.leaves {
			target = max(target, s.leaves[i].at)
		}
		if target >= limit {
			return target, false, nil
		}
		aligned := true
		for i := range s.leaves {
			if s.leaves[i].at < target {
				if ok, err := s.step(i, target, true); !ok {
					return 0, false, err
				}
			}
			aligned = aligned && s.leaves[i].at == target
		}
		if !aligned {
			continue
		}
		if s.inOrder() {
			s.moveOn, s.at = true, target
			return target, true, nil
		}
		to = target + 1
	}
}

// score is the phrase's score on the record scan found last: the sum of
// its words' scores.
func (s *segPhraseSearcher) score() float64 {
	var score float64
	for i := range s.leaves {
		l := &s.leaves[i]
		base := l.base()
		for _, u := range l.uses {
			score += u.mult * base
		}
	}
	return score
}

// inOrder reports whether the current record has the words at consecutive
// positions (with the phrase's own gaps).
func (s *segPhraseSearcher) inOrder() bool {
	for _, p := range s.leaves[s.words[0]].p.pos {
		start := int64(p) - int64(s.offsets[0])
		found := true
		for i := 1; i < len(s.words) && found; i++ {
			found = hasPosition(s.leaves[s.words[i]].p.pos, uint64(start+int64(s.offsets[i])))
		}
		if found {
			return true
		}
	}
	return false
}

func (s *segPhraseSearcher) Weight() float64            { return leavesWeight(s.leaves) }
func (s *segPhraseSearcher) SetQueryNorm(n float64)     { setLeavesNorm(s.leaves, n) }
func (s *segPhraseSearcher) Count() uint64              { return s.count }
func (s *segPhraseSearcher) Min() int                   { return 0 }
func (s *segPhraseSearcher) Size() int                  { return 64 + len(s.leaves)*160 }
func (s *segPhraseSearcher) DocumentMatchPoolSize() int { return 1 }
func (s *segPhraseSearcher) Close() error               { return nil }
