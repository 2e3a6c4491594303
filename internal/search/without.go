package search

import (
	"context"
	"fmt"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"tiru/internal/kb"
)

// hiddenRecords are the records a search leaves out: those a viewer may
// not read (a restricted visibility, except the ones its own region owns),
// and any with a term of also. It is a query of its own (for readers that
// are not scorch snapshots), and withoutQuery reads it straight from the
// segments.
type hiddenRecords struct {
	restricted []string // visibilities other than public that some record has
	owner      string   // the viewer's region; "" for an anonymous reader
	// also are records left out for every reader, as field and term
	// (Related shows innovations only: it leaves out the visits).
	also [][2]string
}

// hiddenQuery finds the records the viewer may not read (nil when it may
// read them all, or none are restricted). Excluding these, rather than
// requiring what is visible, keeps the cost of the check to the few
// restricted records; requiring "public" made every search walk a list of
// nearly every record beside its own words, and doubled its time.
func hiddenQuery(r index.IndexReader, v kb.Viewer) *hiddenRecords {
	if v.AllInternal {
		return nil
	}
	h := &hiddenRecords{owner: v.Region}
	for _, vis := range kb.Visibilities().Keys() {
		if vis != "public" && docFreq(r, "visibility", vis) > 0 {
			h.restricted = append(h.restricted, vis)
		}
	}
	if len(h.restricted) == 0 {
		return nil
	}
	return h
}

// query is the hidden records as Bleve's query.
func (h *hiddenRecords) query() query.Query {
	var any []query.Query
	if len(h.restricted) > 0 {
		restricted := make([]query.Query, len(h.restricted))
		for i, vis := range h.restricted {
			restricted[i] = filter(vis, "visibility")
		}
		q := bleve.NewBooleanQuery()
		q.AddMust(bleve.NewDisjunctionQuery(restricted...))
		if h.owner != "" {
			q.AddMustNot(filter(h.owner, "owners"))
		}
		any = append(any, q)
	}
	for _, ft := range h.also {
		any = append(any, filter(ft[1], ft[0]))
	}
	if len(any) == 1 {
		return any[0]
	}
	return bleve.NewDisjunctionQuery(any...)
}

// Searcher implements query.Query.
func (h *hiddenRecords) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	return h.query().Searcher(ctx, r, m, options)
}

// inSegments reads the hidden records of each segment of snap into a set.
// Deleted records may be in it: no search gives them, so they never need
// leaving out.
func (h *hiddenRecords) inSegments(snap *scorch.IndexSnapshot) (*recordSet, error) {
	segs := newSnapshotSegments(snap)
	set := &recordSet{offsets: segs.offsets, bits: make([][]uint64, len(segs.segs))}
	for i, seg := range segs.segs {
		bm := roaring.New()
		for _, vis := range h.restricted {
			if err := orPostings(bm, seg.Segment(), "visibility", vis); err != nil {
				return nil, err
			}
		}
		if h.owner != "" && !bm.IsEmpty() {
			owned := roaring.New()
			if err := orPostings(owned, seg.Segment(), "owners", h.owner); err != nil {
				return nil, err
			}
			bm.AndNot(owned)
		}
		for _, ft := range h.also {
			if err := orPostings(bm, seg.Segment(), ft[0], ft[1]); err != nil {
				return nil, err
			}
		}
		if !bm.IsEmpty() {
			bits := make([]uint64, bm.Maximum()/64+1)
			bm.Iterate(func(x uint32) bool {
				bits[x/64] |= 1 << (x % 64)
				return true
			})
			set.bits[i] = bits
		}
	}
	return set, nil
}

// orPostings adds the records of seg that have t in field to bm.
func orPostings(bm *roaring.Bitmap, seg segment.Segment, field, t string) error {
	d, err := seg.Dictionary(field)
	if err != nil {
		return fmt.Errorf("dictionary of %s: %w", field, err)
	}
	pl, err := d.PostingsList([]byte(t), nil, nil)
	if err != nil {
		return fmt.Errorf("postings of %s:%s: %w", field, t, err)
	}
	// Zap's lists are bitmaps already; other segment formats are read
	// posting by posting.
	if o, ok := pl.(interface{ OrInto(*roaring.Bitmap) }); ok {
		o.OrInto(bm)
		return nil
	}
	it := pl.Iterator(false, false, false, nil)
	for {
		p, err := it.Next()
		if err != nil {
			return fmt.Errorf("postings of %s:%s: %w", field, t, err)
		}
		if p == nil {
			return nil
		}
		bm.Add(uint32(p.Number()))
	}
}

// recordSet is a set of a snapshot's records, as a bitset of each
// segment's own record numbers: a search asks about every match, and a
// bitset answers in a step where a bitmap of the few hidden records
// searched its arrays.
type recordSet struct {
	offsets []uint64   // the global number of each segment's first record
	bits    [][]uint64 // nil for a segment with none
	seg     int        // the segment of the record last asked about
}

// has reports whether the record of global number doc is in the set.
func (s *recordSet) has(doc uint64) bool {
	if len(s.offsets) == 0 {
		return false
	}
	// Searches ask in order, so the segment is nearly always the last one
	// or the next.
	if doc < s.offsets[s.seg] {
		s.seg = 0
	}
	for s.seg+1 < len(s.offsets) && s.offsets[s.seg+1] <= doc {
		s.seg++
	}
	n, bits := doc-s.offsets[s.seg], s.bits[s.seg]
	return n/64 < uint64(len(bits)) && bits[n/64]&(1<<(n%64)) != 0
}

// withoutQuery matches what q matches except the records of not, scored
// as q scores them: a boolean query with only a must and a must-not
// clause, without Bleve's boolean searcher. That searcher handles every
// match of q through its general must/should/must-not machinery, which
// cost a search at 100,000 records about a millisecond just to leave out
// the few records a reader may not see.
type withoutQuery struct {
	q   query.Query
	not *hiddenRecords
}

// Searcher implements query.Query.
func (w *withoutQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	s, err := w.q.Searcher(ctx, r, m, options)
	if err != nil {
		return nil, err
	}
	// Over a scorch snapshot the hidden records are read once, as bitmaps
	// of the segments. Advancing a searcher over them instead, once for
	// every few matches, was a fifth of a one-word search at 100,000
	// records, of which one in twenty is internal.
	if snap, ok := r.(*scorch.IndexSnapshot); ok {
		set, err := w.not.inSegments(snap)
		if err != nil {
			_ = s.Close()
			return nil, fmt.Errorf("records left out: %w", err)
		}
		return &withoutSearcher{s: s, set: set}, nil
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

// withoutSearcher passes on the matches of s that are not left out: those
// not in set, or, where there is no set, that not does not have.
type withoutSearcher struct {
	s       search.Searcher
	set     *recordSet
	not     search.Searcher
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

// keep gives dm, or the first match of s after it, that is not left out.
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

// leftOut reports whether the record id is left out. It only ever moves
// not forward: Bleve's term readers start over from the first record when
// asked to go back.
func (w *withoutSearcher) leftOut(ctx *search.SearchContext, id index.IndexInternalID) (bool, error) {
	if w.set != nil {
		return w.set.has(id.Value()), nil
	}
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
	if w.not != nil {
		if nerr := w.not.Close(); err == nil {
			err = nerr
		}
	}
	return err
}

func (w *withoutSearcher) Weight() float64        { return w.s.Weight() }
func (w *withoutSearcher) SetQueryNorm(n float64) { w.s.SetQueryNorm(n) }
func (w *withoutSearcher) Count() uint64          { return w.s.Count() }
func (w *withoutSearcher) Min() int               { return 0 }

func (w *withoutSearcher) Size() int {
	n := 64 + w.s.Size()
	if w.not != nil {
		n += w.not.Size()
	}
	return n
}

func (w *withoutSearcher) DocumentMatchPoolSize() int {
	if w.not == nil {
		return w.s.DocumentMatchPoolSize()
	}
	return w.s.DocumentMatchPoolSize() + w.not.DocumentMatchPoolSize() + 1
}
