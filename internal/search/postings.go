package search

import (
	"fmt"

	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// segPostings reads one term's postings straight from the segments of a
// scorch snapshot, skipping deleted records, with each record's global
// number, term frequency and field norm: what the union scores with.
// Bleve's term reader gives the same, wrapped in a record of its own for
// each posting (an encoded ID, a reset match, counters); across the
// hundreds of thousands of postings of a broad query that wrapping cost a
// sixth to a fifth of the query's CPU time at 100,000 records.
//
// Scorch also hides fields a mapping change deleted from a live index;
// Tiru never changes a mapping in place (another mapping rebuilds the
// index), so that does not arise here.
type segPostings struct {
	lists   []segment.PostingsList // one per segment; nil where the term is not
	offsets []uint64               // the global number of each segment's first record
	seg     int
	it      segment.PostingsIterator
	count   uint64
	locs    bool // read word positions too

	doc  uint64 // the current posting
	freq uint64
	norm float64
	pos  []uint64 // its word positions, when locs
}

// snapshotSegments is what segPostings needs of a snapshot, found once per
// search: its segments and their offsets.
type snapshotSegments struct {
	segs    []*scorch.SegmentSnapshot
	offsets []uint64
	records uint64 // how many numbers the segments take, deleted records included
	dicts   map[string][]segment.TermDictionary
}

func newSnapshotSegments(snap *scorch.IndexSnapshot) *snapshotSegments {
	s := &snapshotSegments{segs: snap.Segments(), dicts: map[string][]segment.TermDictionary{}}
	s.offsets = make([]uint64, len(s.segs))
	var n uint64
	for i, seg := range s.segs {
		// As scorch numbers records: a segment's deleted records count.
		s.offsets[i] = n
		n += seg.Segment().Count()
	}
	s.records = n
	return s
}

// postings opens the postings of t in field.
func (s *snapshotSegments) postings(field, t string) (*segPostings, error) {
	dicts, ok := s.dicts[field]
	if !ok {
		dicts = make([]segment.TermDictionary, len(s.segs))
		for i, seg := range s.segs {
			d, err := seg.Segment().Dictionary(field)
			if err != nil {
				return nil, fmt.Errorf("dictionary of %s: %w", field, err)
			}
			dicts[i] = d
		}
		s.dicts[field] = dicts
	}
	p := &segPostings{lists: make([]segment.PostingsList, len(s.segs)), offsets: s.offsets, seg: -1}
	term := []byte(t)
	for i, d := range dicts {
		pl, err := d.PostingsList(term, s.segs[i].Deleted(), nil)
		if err != nil {
			return nil, fmt.Errorf("postings of %s:%s: %w", field, t, err)
		}
		if n := pl.Count(); n > 0 {
			p.lists[i] = pl
			p.count += n
		}
	}
	return p, nil
}

// next moves to the next posting; false when there is none.
func (p *segPostings) next() (bool, error) {
	for {
		if p.it != nil {
			post, err := p.it.Next()
			if err != nil {
				return false, fmt.Errorf("read postings: %w", err)
			}
			if post != nil {
				p.take(post)
				return true, nil
			}
		}
		if !p.open(p.seg + 1) {
			return false, nil
		}
	}
}

// advance moves to the first posting at or after record to. It never goes
// back: a current posting at or after to stays.
func (p *segPostings) advance(to uint64) (bool, error) {
	if p.it != nil && p.doc >= to {
		return true, nil
	}
	seg := p.seg
	for seg+1 < len(p.offsets) && p.offsets[seg+1] <= to {
		seg++
	}
	if seg != p.seg && !p.open(seg) {
		return false, nil
	}
	if p.it != nil && p.seg == seg {
		post, err := p.it.Advance(to - p.offsets[seg])
		if err != nil {
			return false, fmt.Errorf("read postings: %w", err)
		}
		if post != nil {
			p.take(post)
			return true, nil
		}
	}
	return p.next()
}

// open starts reading segment seg, or the first after it with the term;
// false when none is left.
func (p *segPostings) open(seg int) bool {
	for ; seg < len(p.lists); seg++ {
		if p.lists[seg] != nil {
			p.seg = seg
			p.it = p.lists[seg].Iterator(true, true, p.locs, p.it)
			return true
		}
	}
	p.seg, p.it = len(p.lists), nil
	return false
}

func (p *segPostings) take(post segment.Posting) {
	p.doc = p.offsets[p.seg] + post.Number()
	p.freq = post.Frequency()
	p.norm = post.Norm()
	if p.locs {
		p.pos = p.pos[:0]
		for _, l := range post.Locations() {
			p.pos = append(p.pos, l.Pos())
		}
	}
}
