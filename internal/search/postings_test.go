package search

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
)

// posting is one record of a term's postings, as the union scores it.
type posting struct {
	doc  uint64
	freq uint64
	norm float64
}

// Reading a term's postings straight from the segments gives what Bleve's
// term reader gives, record for record, over several segments with
// deleted records: read one after another, and advanced to records in
// order, including records already passed (which keep the current one:
// going back would start Bleve's readers over).
func TestSegPostingsReadAsBleve(t *testing.T) {
	ix := openTestIndex(t)
	applyInBatches(t, ix, syntheticDocs(t, 37, 500, nil), 70)
	if err := ix.Apply(nil, []string{DocID("innovation", 1), DocID("innovation", 71), DocID("innovation", 140), DocID("innovation", 499)}); err != nil {
		t.Fatal(err)
	}
	r := readerOf(t, ix)
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		t.Fatalf("reader is a %T", r)
	}
	segs := newSnapshotSegments(snap)
	if len(segs.segs) < 2 {
		t.Fatalf("%d segments: the test needs several", len(segs.segs))
	}
	for _, ft := range [][2]string{{fText, "warga"}, {fText, "sampah"}, {fTitle, "aplikasi"}, {fTextID, "lapor"}, {fMeta, "tidakadakatasepertiini"}, {"kind", "innovation"}} {
		field, term := ft[0], ft[1]
		want := bleveReads(t, r, field, term, nil)
		p, err := segs.postings(field, term)
		if err != nil {
			t.Fatal(err)
		}
		if p.count != uint64(len(want)) {
			t.Errorf("%s:%s: counts %d, Bleve %d", field, term, p.count, len(want))
		}
		var got []posting
		for {
			ok, err := p.next()
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				break
			}
			got = append(got, posting{p.doc, p.freq, p.norm})
		}
		comparePostings(t, field+":"+term+" read in order", got, want)

		rng := rand.New(rand.NewPCG(7, uint64(len(want))))
		var targets []uint64
		for to := uint64(0); to < uint64(len(want))*3+50; to += uint64(rng.IntN(9)) {
			targets = append(targets, to)
		}
		p, err = segs.postings(field, term)
		if err != nil {
			t.Fatal(err)
		}
		got = got[:0]
		for _, to := range targets {
			ok, err := p.advance(to)
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				got = append(got, posting{doc: ^uint64(0)})
				continue
			}
			got = append(got, posting{p.doc, p.freq, p.norm})
		}
		comparePostings(t, field+":"+term+" advanced", got, bleveReads(t, r, field, term, targets))
	}
}

// bleveReads reads field:term with Bleve's term reader: every posting, or
// the one each target advances to (the last one again when the target is
// not past it; all ones when there is none).
func bleveReads(t *testing.T, r index.IndexReader, field, term string, targets []uint64) []posting {
	t.Helper()
	tfr, err := r.TermFieldReader(context.Background(), []byte(term), field, true, true, false)
	if err != nil {
		t.Fatal(err)
	}
	defer tfr.Close()
	var out []posting
	if targets == nil {
		for {
			d, err := tfr.Next(nil)
			if err != nil {
				t.Fatal(err)
			}
			if d == nil {
				return out
			}
			out = append(out, posting{d.ID.Value(), d.Freq, d.Norm})
		}
	}
	var cur *posting
	ended := false
	for _, to := range targets {
		if !ended && (cur == nil || cur.doc < to) {
			d, err := tfr.Advance(index.NewIndexInternalID(nil, to), nil)
			if err != nil {
				t.Fatal(err)
			}
			if d == nil {
				ended = true
			} else {
				cur = &posting{d.ID.Value(), d.Freq, d.Norm}
			}
		}
		if ended {
			out = append(out, posting{doc: ^uint64(0)})
		} else {
			out = append(out, *cur)
		}
	}
	return out
}

func comparePostings(t *testing.T, what string, got, want []posting) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d postings, Bleve %d", what, len(got), len(want))
		return
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%s: posting %d is %+v, Bleve %+v", what, i, got[i], want[i])
			return
		}
	}
}
