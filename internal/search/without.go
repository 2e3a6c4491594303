package search

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// withoutQuery matches what q matches except the records of not, scored
// as q scores them: a boolean query with only a must and a must-not
// clause, without Bleve's boolean searcher. That searcher handles every
// match of q through its general must/should/must-not machinery, which
// cost a search at 100,000 records about a millisecond just to leave out
// the few records a reader may not see.
type withoutQuery struct {
	q, not query.Query
}

// Searcher implements query.Query.
func (w *withoutQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	s, err := w.q.Searcher(ctx, r, m, options)
	if err != nil {
		return nil, err
	}
	// The records left out are never scored.
	notOptions := options
	notOptions.Score = "none"
	notOptions.Explain = false
	not, err := w.not.Searcher(ctx, r, m, notOptions)
	if err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("records left out: %w", err)
	}
	return &withoutSearcher{s: s, not: not}, nil
}

// withoutSearcher passes on the matches of s that not does not have.
type withoutSearcher struct {
	s, not  search.Searcher
	notAt   *search.DocumentMatch // not's current record
	notDone bool
}

func (w *withoutSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	dm, err := w.s.Next(ctx)
	return w.keep(ctx, dm, err)
}

func (w *withoutSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	dm, err := w.s.Advance(ctx, id)
	return w.keep(ctx, dm, err)
}

// keep gives dm, or the first match of s after it, that not does not have.
func (w *withoutSearcher) keep(ctx *search.SearchContext, dm *search.DocumentMatch, err error) (*search.DocumentMatch, error) {
	for ; err == nil && dm != nil; dm, err = w.s.Next(ctx) {
		left, lerr := w.leftOut(ctx, dm.IndexInternalID)
		if lerr != nil {
			return nil, lerr
		}
		if !left {
			return dm, nil
		}
		ctx.DocumentMatchPool.Put(dm)
	}
	return dm, err
}

// leftOut reports whether not has id. It only ever moves not forward:
// Bleve's term readers start over from the first record when asked to go
// back.
func (w *withoutSearcher) leftOut(ctx *search.SearchContext, id index.IndexInternalID) (bool, error) {
	if w.notDone {
		return false, nil
	}
	if w.notAt == nil || w.notAt.IndexInternalID.Compare(id) < 0 {
		if w.notAt != nil {
			ctx.DocumentMatchPool.Put(w.notAt)
		}
		var err error
		if w.notAt, err = w.not.Advance(ctx, id); err != nil {
			return false, fmt.Errorf("records left out: %w", err)
		}
		if w.notAt == nil {
			w.notDone = true
			return false, nil
		}
	}
	return w.notAt.IndexInternalID.Equals(id), nil
}

func (w *withoutSearcher) Close() error {
	err := w.s.Close()
	if nerr := w.not.Close(); err == nil {
		err = nerr
	}
	return err
}

func (w *withoutSearcher) Weight() float64        { return w.s.Weight() }
func (w *withoutSearcher) SetQueryNorm(n float64) { w.s.SetQueryNorm(n) }
func (w *withoutSearcher) Count() uint64          { return w.s.Count() }
func (w *withoutSearcher) Min() int               { return 0 }
func (w *withoutSearcher) Size() int              { return 64 + w.s.Size() + w.not.Size() }

func (w *withoutSearcher) DocumentMatchPoolSize() int {
	return w.s.DocumentMatchPoolSize() + w.not.DocumentMatchPoolSize() + 1
}
