package search

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// A search of a large index runs in parts, one per idle core, each over
// its share of the records by internal number, and the parts' pages,
// totals and facet counts are merged. Bleve searches a snapshot on one
// goroutine; at 100,000 records a broad query scores tens of thousands of
// matches, and the other core would sit idle while it does.
//
// The cores besides the one a search runs on are handed out as tokens, and
// a search takes only those it gets without waiting: when searches
// overlap, most run whole, since splitting them would only add the work
// of building their searchers twice.

// splitRecords is the size of index from which searches run in parts: at
// 10,000 records a search takes a few milliseconds, and the second
// searcher's setup would eat what the split saves.
const splitRecords = 20_000

// maxParts bounds how many parts one search runs in.
const maxParts = 4

// cores hands out the spare cores a search may run its other parts on.
type cores chan struct{}

func newCores() cores {
	return make(cores, max(runtime.GOMAXPROCS(0)-1, 0))
}

// take claims up to n spare cores without waiting, and says how many.
func (c cores) take(n int) int {
	got := 0
	for ; got < n; got++ {
		select {
		case c <- struct{}{}:
		default:
			return got
		}
	}
	return got
}

func (c cores) give(n int) {
	for range n {
		<-c
	}
}

// errSnapshotMoved means the parts of a search were given different
// snapshots (a write landed between them), so their records are numbered
// differently and cannot be merged.
var errSnapshotMoved = errors.New("the index changed between the parts of a search")

// partQuery matches what q matches among one share of a snapshot's records
// (by internal number): part of parts equal shares.
type partQuery struct {
	q           query.Query
	part, parts int
	snap        **scorch.IndexSnapshot // where it notes the snapshot it searched
}

// Searcher implements query.Query.
func (p *partQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, fmt.Errorf("search in parts: index reader %T is not a scorch snapshot", r)
	}
	*p.snap = snap
	n := newSnapshotSegments(snap).records
	s, err := p.q.Searcher(ctx, r, m, options)
	if err != nil {
		return nil, err
	}
	return &rangeSearcher{s: s, from: n * uint64(p.part) / uint64(p.parts), to: n * uint64(p.part+1) / uint64(p.parts)}, nil
}

// rangeSearcher gives the matches of s among records [from, to).
type rangeSearcher struct {
	s        search.Searcher
	from, to uint64
	started  bool
	done     bool
}

func (r *rangeSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if !r.started && r.from > 0 {
		return r.Advance(ctx, index.NewIndexInternalID(nil, r.from))
	}
	if r.done {
		return nil, nil
	}
	r.started = true
	dm, err := r.s.Next(ctx)
	return r.within(ctx, dm, err)
}

func (r *rangeSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	if r.done {
		return nil, nil
	}
	if id.Value() < r.from {
		id = index.NewIndexInternalID(nil, r.from)
	}
	r.started = true
	dm, err := r.s.Advance(ctx, id)
	return r.within(ctx, dm, err)
}

// within gives dm if it is before the end of the range.
func (r *rangeSearcher) within(ctx *search.SearchContext, dm *search.DocumentMatch, err error) (*search.DocumentMatch, error) {
	if err != nil || dm == nil {
		return dm, err
	}
	if dm.IndexInternalID.Value() >= r.to {
		r.done = true
		ctx.DocumentMatchPool.Put(dm)
		return nil, nil
	}
	return dm, nil
}

func (r *rangeSearcher) Close() error               { return r.s.Close() }
func (r *rangeSearcher) Weight() float64            { return r.s.Weight() }
func (r *rangeSearcher) SetQueryNorm(n float64)     { r.s.SetQueryNorm(n) }
func (r *rangeSearcher) Count() uint64              { return r.s.Count() }
func (r *rangeSearcher) Min() int                   { return r.s.Min() }
func (r *rangeSearcher) Size() int                  { return 48 + r.s.Size() }
func (r *rangeSearcher) DocumentMatchPoolSize() int { return r.s.DocumentMatchPoolSize() }

// searchParts runs sr in parts, one goroutine each, and merges what they
// found as one search of the whole snapshot would have found it: the same
// total, the same page of hits in the same order (ties in the order
// of the records, as Bleve breaks them), the same facet counts.
func (ix *Index) searchParts(ctx context.Context, sr *bleve.SearchRequest, facets bool, parts int) (*bleve.SearchResult, *facetTally, error) {
	type partResult struct {
		res      *bleve.SearchResult
		ft       *facetTally
		snap     *scorch.IndexSnapshot
		err      error
		panicked any
	}
	out := make([]partResult, parts)
	var wg sync.WaitGroup
	for i := range parts {
		wg.Go(func() {
			p := &out[i]
			// Bleve can panic on a damaged segment. On the request's own
			// goroutine the server turns that into a 500 and carries on;
			// on this one it would end the process, so it is handed back.
			defer func() {
				if v := recover(); v != nil {
					p.panicked = v
				}
			}()
			psr := *sr
			// Each part's best, to merge; a sort order of its own, whose
			// fields keep each record's sort values as it is collected.
			psr.From, psr.Size = 0, sr.From+sr.Size
			psr.Sort = sr.Sort.Copy()
			psr.Query = &partQuery{q: sr.Query, part: i, parts: parts, snap: &p.snap}
			p.ft = &facetTally{cols: &ix.facets}
			pctx := ctx
			if facets {
				pctx = withFacetTally(ctx, p.ft)
			}
			p.res, p.err = ix.searchIn(pctx, &psr)
		})
	}
	wg.Wait()
	for _, p := range out {
		if p.panicked != nil {
			panic(p.panicked)
		}
	}
	for _, p := range out {
		if p.err != nil {
			return nil, nil, p.err
		}
		if p.snap != out[0].snap {
			return nil, nil, errSnapshotMoved
		}
	}
	res := out[0].res
	ft := out[0].ft
	var hits search.DocumentMatchCollection
	var base uint64
	for _, p := range out {
		// Bleve breaks ties by the order it collected the records in; the
		// parts follow each other in that order.
		for _, h := range p.res.Hits {
			h.HitNumber += base
		}
		base += p.res.Total + 1
		hits = append(hits, p.res.Hits...)
		if p.res == res {
			continue
		}
		res.Total += p.res.Total
		res.MaxScore = max(res.MaxScore, p.res.MaxScore)
		ft.add(p.ft)
	}
	isScore, desc := sr.Sort.CacheIsScore(), sr.Sort.CacheDescending()
	slices.SortStableFunc(hits, func(a, b *search.DocumentMatch) int { return sr.Sort.Compare(isScore, desc, a, b) })
	res.Hits = hits[min(len(hits), sr.From):min(len(hits), sr.From+sr.Size)]
	return res, ft, nil
}

// add counts other's records into ft; both tallied the same snapshot.
func (ft *facetTally) add(other *facetTally) {
	// Another search may have renumbered the view in between; values are
	// only ever appended, so the longer view names them all.
	if other.view != nil && (ft.view == nil || len(other.view.terms) > len(ft.view.terms)) {
		ft.view = other.view
	}
	if len(other.counts) > len(ft.counts) {
		ft.counts = append(ft.counts, make([]uint32, len(other.counts)-len(ft.counts))...)
	}
	for t, n := range other.counts {
		ft.counts[t] += n
	}
}
