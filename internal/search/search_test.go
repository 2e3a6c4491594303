package search

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"tiru/content"
	"tiru/internal/ingest"
	"tiru/internal/kb"
	"tiru/internal/synthetic"
)

// testBuilder builds documents against the real reference data; Markdown is
// passed through as text, which is enough for these tests.
func testBuilder(t testing.TB) *Builder {
	t.Helper()
	ref, err := ingest.LoadReference(content.Regions(), content.Aliases(), content.Urusan())
	if err != nil {
		t.Fatal(err)
	}
	aliases := map[string][]string{}
	for _, a := range ref.Aliases {
		aliases[a.Code] = append(aliases[a.Code], a.Alias)
	}
	return &Builder{Ref: ref.Ref, Plain: func(s string) string { return s }, Aliases: aliases}
}

func testSynonyms(t testing.TB) *Synonyms {
	t.Helper()
	s, err := ParseSynonyms(bytes.NewReader(content.Synonyms()))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func openTestIndex(t testing.TB) *Index {
	t.Helper()
	ix, fresh, err := Open(filepath.Join(t.TempDir(), "index.bleve"), Options{Synonyms: testSynonyms(t)})
	if err != nil {
		t.Fatal(err)
	}
	if !fresh {
		t.Fatal("a new index must report that it needs filling")
	}
	if err := ix.MarkReady(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// readerOf is a reader of ix's current snapshot, closed when the test ends.
func readerOf(t testing.TB, ix *Index) index.IndexReader {
	t.Helper()
	adv, err := ix.idx.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// syntheticDocs builds n synthetic innovations, public unless edit says
// otherwise.
func syntheticDocs(t testing.TB, seed uint64, n int, edit func(i int, in *kb.Innovation)) []*Document {
	t.Helper()
	b := testBuilder(t)
	var docs []*Document
	for i, in := range synthetic.Innovations(seed, n) {
		in.Visibility = "public"
		if edit != nil {
			edit(i, in)
		}
		docs = append(docs, b.Innovation(int64(i+1), in, "2024-10-22T00:00:00Z", nil))
	}
	return docs
}

// applyInBatches indexes docs a batch at a time, which leaves the index in
// several segments.
func applyInBatches(t testing.TB, ix *Index, docs []*Document, batch int) {
	t.Helper()
	for len(docs) > 0 {
		n := min(len(docs), batch)
		if err := ix.Apply(docs[:n], nil); err != nil {
			t.Fatal(err)
		}
		docs = docs[n:]
	}
}

// snapshotWithDeletions fills a new index with fill, deletes the records
// ids, and returns it with a reader of a snapshot that has several
// segments and records deleted from one before the last: what a test of
// reading the segments needs. Scorch persists and merges segments in the
// background and may fold them together first, so it tries again a few
// times.
func snapshotWithDeletions(t *testing.T, fill func(*Index), ids []string) (*Index, index.IndexReader) {
	t.Helper()
	for range 10 {
		ix := openTestIndex(t)
		fill(ix)
		if err := ix.Apply(nil, ids); err != nil {
			t.Fatal(err)
		}
		r := readerOf(t, ix)
		snap, ok := r.(*scorch.IndexSnapshot)
		if !ok {
			t.Fatalf("reader is a %T", r)
		}
		segs := snap.Segments()
		for _, seg := range segs[:max(len(segs)-1, 0)] {
			if seg.Deleted() != nil && !seg.Deleted().IsEmpty() {
				return ix, r
			}
		}
	}
	t.Fatal("every snapshot had its segments merged into one, or no deleted record before the last")
	return nil, nil
}

// hitScores runs q straight through Bleve and returns each record's score.
func hitScores(t *testing.T, ix *Index, q query.Query) map[string]float64 {
	t.Helper()
	res, err := ix.idx.SearchInContext(context.Background(), bleve.NewSearchRequestOptions(q, 1000, 0, false))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, h := range res.Hits {
		out[h.ID] = h.Score
	}
	if uint64(len(out)) != res.Total {
		t.Fatalf("%d hits of %d: raise the size", len(out), res.Total)
	}
	return out
}

// sameSnapshotHits runs want and got against the same state of the index:
// merging segments in the background drops deleted records from the
// statistics that scores use.
func sameSnapshotHits(t *testing.T, ix *Index, want, got query.Query) (map[string]float64, map[string]float64) {
	t.Helper()
	for range 50 {
		w, g, again := hitScores(t, ix, want), hitScores(t, ix, got), hitScores(t, ix, want)
		if maps.Equal(w, again) {
			return w, g
		}
	}
	t.Fatal("the index kept changing")
	return nil, nil
}

// compareHits reports where got differs from want: a record missing or
// extra, or a score off by more than tol of Bleve's.
func compareHits(t *testing.T, what string, want, got map[string]float64, tol float64) {
	t.Helper()
	if len(want) != len(got) {
		t.Errorf("%s: %d records, Bleve finds %d", what, len(got), len(want))
		return
	}
	for id, score := range want {
		if g, ok := got[id]; !ok || math.Abs(g-score) > tol*math.Abs(score) {
			t.Errorf("%s: %s scored %v (found %v), Bleve %v", what, id, g, ok, score)
		}
	}
}

func slugs(hits []Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Slug)
	}
	return out
}

func TestSmoke(t *testing.T) {
	ix := openTestIndex(t)
	b := testBuilder(t)
	var docs []*Document
	for i, in := range []*kb.Innovation{
		{Slug: "aplikasi-pengaduan", Title: "Aplikasi Pengaduan Masyarakat", Region: "33.72", Summary: "Warga menyampaikan keluhan dan laporan jalan rusak lewat aplikasi.", Language: "id", Visibility: "public", Urusan: "2.16", Stage: "penerapan"},
		{Slug: "wifi-taman", Title: "Wifi Publik di Taman Kota", Region: "35.78", Summary: "Internet gratis di taman dan ruang publik bersama Telkom.", Language: "id", Visibility: "public"},
		{Slug: "laporan-keuangan", Title: "Laporan Keuangan Daerah Tepat Waktu", Region: "63.03", Summary: "Penyusunan laporan keuangan pemerintah daerah.", Language: "id", Visibility: "public"},
		{Slug: "ktp-jemput-bola", Title: "Jemput Bola Perekaman KTP Elektronik", Region: "63.03", Summary: "Petugas Disdukcapil mendatangi desa untuk mengurangi antrean kartu tanda penduduk.", Language: "id", Visibility: "internal"},
		{Slug: "complaint-en", Title: "Citizen complaint handling", Region: "51.71", Summary: "Residents report problems through one channel.", Language: "en", Visibility: "public"},
	} {
		docs = append(docs, b.Innovation(int64(i+1), in, "2024-10-22T00:00:00Z", nil))
	}
	if err := ix.Apply(docs, nil); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"aplikasi pengaduan warga", "melaporkan jalan rusak", "pengadun masyarakat", "wifi gratis taman", "complaint app", "hotspot", "kunker Solo", "cara mengurangi antrean KTP", "", `"jalan rusak"`, "*", "~+-\"", strings.Repeat("x", 3000)} {
		for _, v := range []kb.Viewer{{}, {Region: "63.03"}} {
			res, err := ix.Search(context.Background(), Request{Query: q, Viewer: v})
			if err != nil {
				t.Fatalf("%q: %v", q, err)
			}
			t.Logf("%-30.30q %v total=%d %v sug=%q", q, v, res.Total, slugs(res.Hits), res.Suggestion)
		}
	}
	res, _ := ix.Search(context.Background(), Request{Query: "laporan"})
	for _, h := range res.Hits {
		t.Logf("%s %s | %s", h.Slug, h.TitleHTML, h.Snippet)
	}
	t.Logf("%v", res.Facets)
}

// A closed index answers with an error, not a crash: a server shutting
// down may still drain its queue into it, and a rebuild that could not
// create the index again leaves it closed.
func TestClosedIndexAnswersWithErrors(t *testing.T) {
	ix := openTestIndex(t)
	docs := syntheticDocs(t, 47, 3, nil)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ix.Apply(docs, nil); !errors.Is(err, ErrClosed) {
		t.Errorf("Apply: %v", err)
	}
	if err := ix.MarkReady(); !errors.Is(err, ErrClosed) {
		t.Errorf("MarkReady: %v", err)
	}
	if _, err := ix.IDs(); !errors.Is(err, ErrClosed) {
		t.Errorf("IDs: %v", err)
	}
	if err := ix.Compact(context.Background()); !errors.Is(err, ErrClosed) {
		t.Errorf("Compact: %v", err)
	}
	if _, err := ix.Segments(); !errors.Is(err, ErrClosed) {
		t.Errorf("Segments: %v", err)
	}
	if _, err := ix.Search(context.Background(), Request{Query: "posyandu"}); !errors.Is(err, ErrNotReady) {
		t.Errorf("Search: %v", err)
	}
}
