package search

import (
	"context"
	"fmt"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"tiru/internal/kb"
)

// Tiru's phrase query finds the records Bleve's match-phrase query finds,
// with the same scores, alone and inside a larger query, over several
// segments with deleted records: words in order,
// gaps where the phrase had stop words, a word twice, words in the wrong
// order or apart (no match), one word, and words in no record.
func TestPhraseQueryMatchesBleves(t *testing.T) {
	ix := openTestIndex(t)
	b := testBuilder(t)
	docs := syntheticDocs(t, 11, 300, nil)
	for i, tx := range [][2]string{
		{"Laporan dari warga", "Laporan dari warga kelurahan diterima petugas. Data dan data lagi."},
		{"Warga laporan", "Warga menulis laporan; laporan warga dibaca lurah."},
		{"Bank sampah", "Sampah bank: kata-kata terbalik, bukan bank sampah yang sebenarnya? Ya, bank sampah."},
	} {
		in := &kb.Innovation{Slug: fmt.Sprintf("p%d", i), Title: tx[0], Summary: tx[1], Region: "63.03", Language: "id", Visibility: "public", Tags: []string{tx[0]}}
		docs = append(docs, b.Innovation(int64(1000+i), in, "2024-10-22T00:00:00Z", nil))
	}
	// Several segments, with deleted records, as the segments are read
	// directly.
	applyInBatches(t, ix, docs, 70)
	if err := ix.Apply(nil, []string{DocID("innovation", 3), DocID("innovation", 150)}); err != nil {
		t.Fatal(err)
	}
	phrases := []string{"bank sampah", "laporan warga", "laporan dari warga", "data dan data", "warga laporan",
		"pelayanan publik", "kartu tanda penduduk", "sampah", "jemput bola desa", "tidak ada dalam catatan", "dari"}
	for _, field := range []string{fTitle, fText, fMeta} {
		for _, p := range phrases {
			bq := bleve.NewMatchPhraseQuery(p)
			bq.SetField(field)
			bq.SetBoost(3)
			ours := phrase(p, field, 3)
			for _, wrap := range []func(query.Query) query.Query{
				func(q query.Query) query.Query { return q },
				func(q query.Query) query.Query { return bleve.NewDisjunctionQuery(q, match("warga", fText, 1)) },
			} {
				want, got := sameSnapshotHits(t, ix, wrap(bq), wrap(ours))
				compareHits(t, fmt.Sprintf("%s:%q", field, p), want, got, 1e-9)
			}
		}
	}
}

// countingSearcher records how a phrase searcher drives the searcher of
// its words.
type countingSearcher struct {
	search.Searcher
	calls    int
	backward bool
	last     index.IndexInternalID
}

func (c *countingSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	c.calls++
	dm, err := c.Searcher.Next(ctx)
	if dm != nil {
		c.last = append(c.last[:0], dm.IndexInternalID...)
	}
	return dm, err
}

func (c *countingSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	c.calls++
	if c.last != nil && c.last.Compare(id) >= 0 {
		c.backward = true
	}
	dm, err := c.Searcher.Advance(ctx, id)
	if dm != nil {
		c.last = append(c.last[:0], dm.IndexInternalID...)
	}
	return dm, err
}

// Queries around a phrase keep advancing it to each record they consider,
// also after it has run out and to records it has already passed. Bleve's
// term readers start over from the first record when asked to go back, so
// the phrase searcher must neither ask the searcher of its words to go
// back nor ask it again once it has run out: a search of 100,000 records
// with a synonym phrase took 13 s instead of 21 ms before it did so.
func TestPhraseSearcherNeverGoesBack(t *testing.T) {
	ix := sixReportsIndex(t, "Warga menulis laporan untuk lurah.")
	// Not a scorch snapshot: the phrase goes through Bleve's searchers
	// (over a snapshot it reads the segments, see segPostings).
	r := struct{ index.IndexReader }{readerOf(t, ix)}
	m := ix.idx.Mapping()
	s, err := phrase("laporan warga", fText, 1).Searcher(context.Background(), r, m, search.SearcherOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ps := s.(*phraseSearcher)
	inner := &countingSearcher{Searcher: ps.all}
	ps.all = inner
	all, ctx := everyRecord(t, r, m, s)
	var found []string
	var cur *search.DocumentMatch
	// Advance the phrase to every record, as a conjunction around it does,
	// including records it has passed.
	for {
		d, err := all.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if d == nil {
			break
		}
		if cur == nil || cur.IndexInternalID.Compare(d.IndexInternalID) < 0 {
			if cur, err = s.Advance(ctx, d.IndexInternalID); err != nil {
				t.Fatal(err)
			}
			if cur != nil {
				id, _ := r.ExternalID(cur.IndexInternalID)
				found = append(found, id)
			}
		}
		if cur == nil {
			before := inner.calls
			if _, err := s.Advance(ctx, d.IndexInternalID); err != nil {
				t.Fatal(err)
			}
			if inner.calls != before {
				t.Fatal("the phrase searcher asked its words' searcher again after it had run out")
			}
		}
	}
	if inner.backward {
		t.Error("the phrase searcher asked its words' searcher to go back")
	}
	if want := 6; len(found) != want {
		t.Errorf("found %d records with the phrase (%v), want %d", len(found), found, want)
	}
}

// sixReportsIndex is an index of 40 records, six of which (every seventh
// from the fourth) say "Laporan warga dibaca lurah." and the others rest.
func sixReportsIndex(t *testing.T, rest string) *Index {
	t.Helper()
	ix := openTestIndex(t)
	b := testBuilder(t)
	var docs []*Document
	for i := range 40 {
		summary := rest
		if i%7 == 3 {
			summary = "Laporan warga dibaca lurah."
		}
		in := &kb.Innovation{Slug: fmt.Sprintf("r%d", i), Title: "Layanan", Summary: summary, Region: "63.03", Language: "id", Visibility: "public"}
		docs = append(docs, b.Innovation(int64(i+1), in, "2024-10-22T00:00:00Z", nil))
	}
	if err := ix.Apply(docs, nil); err != nil {
		t.Fatal(err)
	}
	return ix
}

// everyRecord is a searcher of every record, to drive s with as a
// conjunction would, and a search context for both.
func everyRecord(t *testing.T, r index.IndexReader, m mapping.IndexMapping, s search.Searcher) (search.Searcher, *search.SearchContext) {
	t.Helper()
	all, err := bleve.NewMatchAllQuery().Searcher(context.Background(), r, m, search.SearcherOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { all.Close() })
	return all, &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize()+all.DocumentMatchPoolSize()+4, 0)}
}
