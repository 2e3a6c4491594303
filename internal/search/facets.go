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
)

// Facets are counted from an in-memory column rather than by Bleve's facet
// builder. Bleve reads each matching record's facet values from its
// compressed doc values and counts them in a map of strings, once per
// search: at 10,000 records that was a quarter of a faceted search's time,
// and a third at 100,000. The column lists, for every record of one index
// snapshot, the numbers of its facet values; counting is then a few array
// increments per matching record. It is built from the postings of the
// facets field the first time a snapshot is searched (tens of milliseconds
// at 100,000 records) and dropped when the index changes.

// facetColumn holds the facet values of every record of one snapshot.
type facetColumn struct {
	terms []string // "facet:value", numbered by position
	start []uint32 // values of document number d: vals[start[d]:start[d+1]]
	vals  []uint32
}

// facetColumns keeps the column of the snapshot searched last.
type facetColumns struct {
	mu   sync.Mutex
	snap weak.Pointer[scorch.IndexSnapshot] // which snapshot col describes
	col  *facetColumn
}

// get returns the column of r, building it if r is not the snapshot the
// cached one was built from. The weak pointer lets a replaced snapshot be
// collected while still telling whether r is it.
func (c *facetColumns) get(ctx context.Context, r index.IndexReader) (*facetColumn, error) {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		// Not a scorch snapshot (never so in Tiru): nothing to tell one
		// snapshot from another by, so the column is not kept.
		return buildFacetColumn(ctx, r)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.col != nil && c.snap == weak.Make(snap) {
		return c.col, nil
	}
	col, err := buildFacetColumn(ctx, r)
	if err != nil {
		return nil, err
	}
	c.snap, c.col = weak.Make(snap), col
	return col, nil
}

// buildFacetColumn reads the facets field's postings of r into a column.
func buildFacetColumn(ctx context.Context, r index.IndexReader) (*facetColumn, error) {
	dict, err := r.FieldDict(fFacets)
	if err != nil {
		return nil, fmt.Errorf("facet values: %w", err)
	}
	var (
		col      facetColumn
		postings uint64
	)
	for {
		de, err := dict.Next()
		if err != nil {
			dict.Close()
			return nil, fmt.Errorf("facet values: %w", err)
		}
		if de == nil {
			break
		}
		col.terms = append(col.terms, de.Term)
		postings += de.Count
	}
	if err := dict.Close(); err != nil {
		return nil, fmt.Errorf("facet values: %w", err)
	}
	if postings == 0 {
		return &col, nil
	}
	// Each posting as document number << 32 | value number, then sorted
	// by document number with a counting sort.
	pairs := make([]uint64, 0, postings)
	var maxDoc uint64
	for t, term := range col.terms {
		tfr, err := r.TermFieldReader(ctx, []byte(term), fFacets, false, false, false)
		if err != nil {
			return nil, fmt.Errorf("facet value %q: %w", term, err)
		}
		var tfd *index.TermFieldDoc
		for {
			if tfd, err = tfr.Next(tfd); err != nil || tfd == nil {
				break
			}
			doc := tfd.ID.Value()
			if doc > math.MaxUint32 {
				err = fmt.Errorf("document number %d out of range", doc)
				break
			}
			maxDoc = max(maxDoc, doc)
			pairs = append(pairs, doc<<32|uint64(t))
		}
		if cerr := tfr.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, fmt.Errorf("facet value %q: %w", term, err)
		}
	}
	col.start = make([]uint32, maxDoc+2)
	for _, p := range pairs {
		col.start[p>>32+1]++
	}
	for d := 1; d < len(col.start); d++ {
		col.start[d] += col.start[d-1]
	}
	col.vals = make([]uint32, len(pairs))
	next := slices.Clone(col.start[:len(col.start)-1])
	for _, p := range pairs {
		d := p >> 32
		col.vals[next[d]] = uint32(p)
		next[d]++
	}
	return &col, nil
}

// facetTally counts the facet values of the records one search matches.
type facetTally struct {
	cols   *facetColumns
	col    *facetColumn
	counts []uint32
}

// handler is a search.MakeDocumentMatchHandler: Bleve's own top-N handler,
// with each match counted first (the top-N handler may recycle it).
func (ft *facetTally) handler(sctx *search.SearchContext) (search.DocumentMatchHandler, bool, error) {
	topN, loadID, err := collector.MakeTopNDocumentMatchHandler(sctx)
	if err != nil {
		return nil, false, err
	}
	col, err := ft.cols.get(context.Background(), sctx.IndexReader)
	if err != nil {
		return nil, false, err
	}
	ft.col, ft.counts = col, make([]uint32, len(col.terms))
	return func(d *search.DocumentMatch) error {
		if d != nil && d.IndexInternalID != nil {
			if n := d.IndexInternalID.Value(); n+1 < uint64(len(col.start)) {
				for _, t := range col.vals[col.start[n]:col.start[n+1]] {
					ft.counts[t]++
				}
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
// FacetFields), each most frequent first, at most facetShown values.
func (ft *facetTally) result(want []string) map[string][]FacetValue {
	out := map[string][]FacetValue{}
	if want == nil {
		want = FacetFields
	}
	for _, f := range want {
		out[f] = nil
	}
	if ft.col == nil {
		return out
	}
	for t, n := range ft.counts {
		if n == 0 {
			continue
		}
		facet, val, ok := strings.Cut(ft.col.terms[t], facetSep)
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
