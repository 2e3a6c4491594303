package search

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"weak"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Facets are counted from an in-memory column rather than by Bleve's facet
// builder. Bleve reads each matching record's facet values from its
// compressed doc values and counts them in a map of strings, once per
// search: at 10,000 records that was a quarter of a faceted search's time,
// and a third at 100,000. The column lists, for every record, the numbers
// of its facet values; counting is then a few array increments per
// matching record. It is kept per index segment, read from the postings of
// the facets field the first time a snapshot holding the segment is
// searched. Segments never change, so after a write only the new segment
// (usually a few records) is read, not the whole index, which took 60–90
// ms at 100,000 records.

// segmentColumn holds the facet values of every document of one segment.
type segmentColumn struct {
	start []uint32 // values of document d: vals[start[d]:start[d+1]]
	vals  []uint32 // value numbers (see facetColumns.terms)
}

// facetView is the column of one index snapshot: its segments' columns,
// in the snapshot's order.
type facetView struct {
	terms   []string // value names by number; values numbered later are not in this snapshot
	offsets []uint64 // the first document number of each segment
	segs    []*segmentColumn
}

// facetColumns numbers facet values ("facet:value") and keeps the columns
// of the segments of the snapshot searched last.
type facetColumns struct {
	mu     sync.Mutex
	terms  []string // every value seen, by number; only ever appended to
	number map[string]uint32
	segs   map[segment.Segment]*segmentColumn
	snap   weak.Pointer[scorch.IndexSnapshot] // which snapshot view describes
	view   *facetView
}

// get returns the column of r, reading the segments it has not seen. The
// weak pointer lets a replaced snapshot be collected while still telling
// whether r is it.
func (c *facetColumns) get(r index.IndexReader) (*facetView, error) {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, fmt.Errorf("facets: index reader %T is not a scorch snapshot", r)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.view != nil && c.snap == weak.Make(snap) {
		return c.view, nil
	}
	if c.number == nil {
		c.number = map[string]uint32{}
	}
	segs := map[segment.Segment]*segmentColumn{}
	view := &facetView{}
	var offset uint64
	for _, ss := range snap.Segments() {
		seg := ss.Segment()
		col, ok := c.segs[seg]
		if !ok {
			var err error
			if col, err = c.read(seg); err != nil {
				return nil, err
			}
		}
		segs[seg] = col
		view.offsets = append(view.offsets, offset)
		view.segs = append(view.segs, col)
		// Scorch numbers documents across segments this way, deleted ones
		// included.
		offset += seg.Count()
	}
	view.terms = c.terms
	// Only the segments of this snapshot are kept: a segment merged away is
	// not searched again.
	c.segs, c.snap, c.view = segs, weak.Make(snap), view
	return view, nil
}

// read builds the column of one segment from its postings of the facets
// field, numbering values it has not seen before.
func (c *facetColumns) read(seg segment.Segment) (*segmentColumn, error) {
	dict, err := seg.Dictionary(fFacets)
	if err != nil {
		return nil, fmt.Errorf("facet values: %w", err)
	}
	// Each posting as document number << 32 | value number, then sorted
	// by document number with a counting sort.
	var pairs []uint64
	terms := dict.AutomatonIterator(everyTerm{}, nil, nil)
	var (
		pl  segment.PostingsList
		pit segment.PostingsIterator
	)
	for {
		de, err := terms.Next()
		if err != nil {
			return nil, fmt.Errorf("facet values: %w", err)
		}
		if de == nil {
			break
		}
		num, ok := c.number[de.Term]
		if !ok {
			num = uint32(len(c.terms))
			c.terms = append(c.terms, de.Term)
			c.number[de.Term] = num
		}
		if pl, err = dict.PostingsList([]byte(de.Term), nil, pl); err != nil {
			return nil, fmt.Errorf("facet value %q: %w", de.Term, err)
		}
		pit = pl.Iterator(false, false, false, pit)
		for {
			p, err := pit.Next()
			if err != nil {
				return nil, fmt.Errorf("facet value %q: %w", de.Term, err)
			}
			if p == nil {
				break
			}
			if p.Number() > math.MaxUint32 {
				return nil, fmt.Errorf("facet value %q: document number %d out of range", de.Term, p.Number())
			}
			pairs = append(pairs, p.Number()<<32|uint64(num))
		}
	}
	col := &segmentColumn{start: make([]uint32, seg.Count()+1), vals: make([]uint32, len(pairs))}
	for _, p := range pairs {
		if d := p >> 32; d+1 < uint64(len(col.start)) {
			col.start[d+1]++
		}
	}
	for d := 1; d < len(col.start); d++ {
		col.start[d] += col.start[d-1]
	}
	next := slices.Clone(col.start[:len(col.start)-1])
	for _, p := range pairs {
		if d := p >> 32; d < uint64(len(next)) {
			col.vals[next[d]] = uint32(p)
			next[d]++
		}
	}
	return col, nil
}

// values returns the value numbers of document n. at is the segment the
// previous document was in: Bleve hands matches over in document order, so
// the segment is nearly always that one or the next.
func (v *facetView) values(n uint64, at *int) []uint32 {
	i := *at
	if i >= len(v.offsets) || n < v.offsets[i] {
		i = sort.Search(len(v.offsets), func(k int) bool { return v.offsets[k] > n }) - 1
		if i < 0 {
			return nil
		}
	}
	for i+1 < len(v.offsets) && n >= v.offsets[i+1] {
		i++
	}
	*at = i
	col, d := v.segs[i], n-v.offsets[i]
	if d+1 >= uint64(len(col.start)) {
		return nil
	}
	return col.vals[col.start[d]:col.start[d+1]]
}

// everyTerm is an automaton that accepts every term of a dictionary.
type everyTerm struct{}

func (everyTerm) Start() int                   { return 0 }
func (everyTerm) IsMatch(int) bool             { return true }
func (everyTerm) CanMatch(int) bool            { return true }
func (everyTerm) WillAlwaysMatch(int) bool     { return true }
func (everyTerm) Accept(state int, _ byte) int { return state }

// facetTally counts the facet values of the records one search matches.
type facetTally struct {
	cols   *facetColumns
	view   *facetView
	counts []uint32
}

// handler is a search.MakeDocumentMatchHandler: Bleve's own top-N handler,
// with each match counted first (the top-N handler may recycle it).
func (ft *facetTally) handler(sctx *search.SearchContext) (search.DocumentMatchHandler, bool, error) {
	topN, loadID, err := collector.MakeTopNDocumentMatchHandler(sctx)
	if err != nil {
		return nil, false, err
	}
	view, err := ft.cols.get(sctx.IndexReader)
	if err != nil {
		return nil, false, err
	}
	ft.view, ft.counts = view, make([]uint32, len(view.terms))
	at := 0
	return func(d *search.DocumentMatch) error {
		if d != nil && d.IndexInternalID != nil {
			for _, t := range view.values(d.IndexInternalID.Value(), &at) {
				ft.counts[t]++
			}
		}
		return topN(d)
	}, loadID, nil
}

// withFacetTally has the search run with ctx count facets into ft.
func withFacetTally(ctx context.Context, ft *facetTally) context.Context {
	return context.WithValue(ctx, search.MakeDocumentMatchHandlerKey, search.MakeDocumentMatchHandler(ft.handler))
}

// result splits the counts into the facets asked for (nil for all of
// facetFields), each most frequent first, at most facetShown values.
func (ft *facetTally) result(want []string) map[string][]FacetValue {
	out := map[string][]FacetValue{}
	if want == nil {
		want = facetFields
	}
	for _, f := range want {
		out[f] = nil
	}
	if ft.view == nil {
		return out
	}
	for t, n := range ft.counts {
		if n == 0 {
			continue
		}
		facet, val, ok := strings.Cut(ft.view.terms[t], facetSep)
		if vals, asked := out[facet]; ok && asked {
			out[facet] = append(vals, FacetValue{Value: val, Count: int(n)})
		}
	}
	for f, vals := range out {
		sort.SliceStable(vals, func(i, j int) bool {
			if vals[i].Count != vals[j].Count {
				return vals[i].Count > vals[j].Count
			}
			return vals[i].Value < vals[j].Value
		})
		out[f] = vals[:min(len(vals), facetShown(f))]
	}
	return out
}
