package search

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"tiru/internal/kb"
)

// A query word's union of fields finds the records Bleve's disjunction of
// the same queries finds, with the same scores: words as written and
// inflected, with one-word and multi-word synonyms (expanded by Bleve's
// synonym source in the stemmed fields), English words, mistyped words
// with their near spellings, and words in no record; alone, required
// beside another word (which advances it record by record) and beside a
// filter, over several segments with deleted records.
func TestUnionQueryMatchesBleves(t *testing.T) {
	ix := openTestIndex(t)
	b := testBuilder(t)
	docs := syntheticDocs(t, 23, 400, nil)
	for i, tx := range [][2]string{
		{"Citizen complaint app", "Residents report potholes and broken street lights through a complaint app; the agency answers each report."},
		{"Free public wifi in parks", "Free internet hotspots in city parks, built with the telecom operator."},
		{"Aduan warga lewat WhatsApp", "Warga mengadukan jalan rusak dan melaporkan lampu mati; pengaduan dijawab dinas."},
	} {
		lang := "en"
		if i == 2 {
			lang = "id"
		}
		in := &kb.Innovation{Slug: fmt.Sprintf("u%d", i), Title: tx[0], Summary: tx[1], Region: "33.72", Language: lang, Visibility: "public", Tags: []string{"pengaduan"}}
		docs = append(docs, b.Innovation(int64(1000+i), in, "2024-10-22T00:00:00Z", nil))
	}
	// Several batches make several segments; deleting some records leaves
	// holes the union must skip as Bleve does.
	applyInBatches(t, ix, docs, 90)
	if err := ix.Apply(nil, []string{DocID("innovation", 5), DocID("innovation", 77), DocID("innovation", 250)}); err != nil {
		t.Fatal(err)
	}
	r := readerOf(t, ix)
	words := []string{"posyandu", "sampah", "pengaduan", "melaporkan", "aduan", "ktp", "kunker", "wifi", "complaint", "app",
		"pelayanan", "masyarakat", "pengadun", "posyandy", "kesehtan", "potholes", "tidakadakatasepertiini", "solo"}
	qctx := &queryContext{r: r, words: words}
	other := union(ix.written("warga", 1)...)
	for _, w := range words {
		concept, _, _, _ := ix.concept(r, w, qctx, false)
		u, ok := concept.(*unionQuery)
		if !ok {
			t.Fatalf("%q: concept is a %T, not a union", w, concept)
		}
		for name, wrap := range map[string]func(query.Query) query.Query{
			"alone":       func(q query.Query) query.Query { return q },
			"with warga":  func(q query.Query) query.Query { return bleve.NewConjunctionQuery(q, other) },
			"in province": func(q query.Query) query.Query { return bleve.NewConjunctionQuery(q, filter("33", "province")) },
			"or phrase":   func(q query.Query) query.Query { return bleve.NewDisjunctionQuery(q, phrase("jalan rusak", fText, 2)) },
		} {
			want, got := sameSnapshotHits(t, ix, wrap(u.inner), wrap(u))
			compareHits(t, fmt.Sprintf("%q %s", w, name), want, got, 1e-9)
		}
	}
}

// Whole searches planned with unions find what the same plans written
// with Bleve's disjunctions find, with the same scores: synonym spans with
// phrases beside them, quoted phrases, questions, typos and the loose
// plan that needs only one word. Within a filter they find the same
// records, scored as without it.
func TestUnionPlansMatchBleves(t *testing.T) {
	ix := openTestIndex(t)
	applyInBatches(t, ix, syntheticDocs(t, 29, 300, nil), 300)
	r := readerOf(t, ix)
	for _, q := range []string{"aplikasi pengaduan warga", "kartu tanda penduduk", "ktp elektronik", "kunker solo", "wifi gratis taman",
		"complaint app", "cara mengurangi antrean ktp?", `"bank sampah" desa`, "pengadun masyarakat", "mal pelayanan publik",
		"laporan warga jalan rusak", "umkm", "xyzzy posyandu"} {
		plan := ix.textQuery(context.Background(), r, cleanQuery(q), endsInWord(q), nil)
		for name, pq := range map[string]query.Query{"strict": plan.strict, "loose": plan.loose} {
			if pq == nil {
				continue
			}
			// Alternatives score as their best child, which Bleve cannot;
			// as sums they must score as Bleve does (their own scoring has
			// TestAlternativesScoreTheirBestChild).
			pq = asSums(pq)
			want, got := sameSnapshotHits(t, ix, bleveOnly(pq), pq)
			compareHits(t, fmt.Sprintf("%q %s", q, name), want, got, 1e-9)
			// Within a filter, as a filtered search runs it, a record
			// scores as it does without the filter: a filter never changes
			// the order of results. The conjunction advances the plan
			// record by record, and Bleve's boolean searcher then asks its
			// optional part for a record that part may already have given;
			// Bleve's own disjunction then skips it, and loses its score.
			inProvince, filtered := sameSnapshotHits(t, ix, bleve.NewConjunctionQuery(bleveOnly(pq), filter("33", "province")),
				bleve.NewConjunctionQuery(pq, filter("33", "province")))
			for id := range inProvince {
				inProvince[id] = got[id]
			}
			compareHits(t, fmt.Sprintf("%q %s in province", q, name), inProvince, filtered, 1e-9)
		}
	}
}

// asSums is q with its alternatives scored as unions, as Bleve's
// disjunction scores them.
func asSums(q query.Query) query.Query {
	each := func(qs []query.Query) []query.Query {
		out := make([]query.Query, len(qs))
		for i, c := range qs {
			out[i] = asSums(c)
		}
		return out
	}
	switch q := q.(type) {
	case *unionQuery:
		return union(each(q.inner.Disjuncts)...)
	case *query.DisjunctionQuery:
		d := query.NewDisjunctionQuery(each(q.Disjuncts))
		d.SetMin(q.Min)
		return d
	case *query.ConjunctionQuery:
		return query.NewConjunctionQuery(each(q.Conjuncts))
	case *allQuery:
		return &allQuery{qs: each(q.qs)}
	case *query.BooleanQuery:
		bq := *q
		if q.Must != nil {
			bq.Must = asSums(q.Must)
		}
		if q.Should != nil {
			bq.Should = asSums(q.Should)
		}
		if q.MustNot != nil {
			bq.MustNot = asSums(q.MustNot)
		}
		return &bq
	}
	return q
}

// Alternatives score a record as the best of its children, each scored as
// in a union of the same children: where a record matches one child, the
// union's coordination gave it that child's score over the number of
// children; where it matches k, the union's sum times k over the number of
// children bounds the best child from above and below.
func TestAlternativesScoreTheirBestChild(t *testing.T) {
	ix := openTestIndex(t)
	applyInBatches(t, ix, syntheticDocs(t, 31, 300, nil), 300)
	children := []query.Query{match("pengaduan", fTitle, 3), match("keluhan", fText, 1), phrase("laporan warga", fText, 2), match("aduan", fMeta, 1.5)}
	sums, best := sameSnapshotHits(t, ix, union(children...), alternatives(children...))
	if len(sums) == 0 || len(sums) != len(best) {
		t.Fatalf("union found %d records, alternatives %d", len(sums), len(best))
	}
	n := float64(len(children))
	for id, s := range sums {
		b := best[id]
		k := float64(matchingChildren(t, ix, id, children))
		if k == 1 && math.Abs(b-s*n) > 1e-9*b {
			t.Errorf("%s matches one child: scored %g, want %g", id, b, s*n)
		}
		if total := s * n / k; b > total*(1+1e-9) || b < total/k*(1-1e-9) {
			t.Errorf("%s matches %g children: scored %g, want between %g and %g", id, k, b, total/k, total)
		}
	}
}

// matchingChildren counts the queries of children that match record id.
func matchingChildren(t *testing.T, ix *Index, id string, children []query.Query) int {
	t.Helper()
	n := 0
	for _, c := range children {
		q := bleve.NewConjunctionQuery(c, bleve.NewDocIDQuery([]string{id}))
		res, err := ix.idx.Search(bleve.NewSearchRequest(q))
		if err != nil {
			t.Fatal(err)
		}
		if res.Total > 0 {
			n++
		}
	}
	return n
}

// bleveOnly is q with every union written as Bleve's disjunction.
func bleveOnly(q query.Query) query.Query {
	each := func(qs []query.Query) []query.Query {
		out := make([]query.Query, len(qs))
		for i, c := range qs {
			out[i] = bleveOnly(c)
		}
		return out
	}
	switch q := q.(type) {
	case *unionQuery:
		return bleveOnly(q.inner)
	case *query.DisjunctionQuery:
		d := query.NewDisjunctionQuery(each(q.Disjuncts))
		d.SetMin(q.Min)
		return d
	case *query.ConjunctionQuery:
		return query.NewConjunctionQuery(each(q.Conjuncts))
	case *allQuery:
		return query.NewConjunctionQuery(each(q.qs))
	case *query.BooleanQuery:
		// As Bleve's AddMust and AddShould would have built it.
		bq := query.NewBooleanQuery(nil, nil, nil)
		if q.Must != nil {
			if c, ok := q.Must.(*query.ConjunctionQuery); ok {
				bq.AddMust(each(c.Conjuncts)...)
			} else if c, ok := q.Must.(*allQuery); ok {
				bq.AddMust(each(c.qs)...)
			} else {
				bq.AddMust(bleveOnly(q.Must))
			}
		}
		if q.Should != nil {
			bq.AddShould(each(bleveOnly(q.Should).(*query.DisjunctionQuery).Disjuncts)...)
		}
		if q.MustNot != nil {
			bq.AddMustNot(each(bleveOnly(q.MustNot).(*query.DisjunctionQuery).Disjuncts)...)
		}
		return bq
	}
	return q
}

// A union advanced to records it has passed, and again after it has run
// out, never asks its term readers to go back: Bleve's readers start over
// from the first record then, which turns one search into thousands. (The
// union reads Bleve's term readers when the index is not a scorch
// snapshot; segPostings, which it reads otherwise, has a test of its own.)
func TestUnionSearcherNeverGoesBack(t *testing.T) {
	ix := sixReportsIndex(t, "Warga menulis surat untuk lurah.")
	r := struct{ index.IndexReader }{readerOf(t, ix)}
	m := ix.idx.Mapping()
	s, err := union(match("laporan", fText, 1), match("laporan", fTitle, 2)).Searcher(context.Background(), r, m, search.SearcherOptions{})
	if err != nil {
		t.Fatal(err)
	}
	us, ok := s.(*unionSearcher)
	if !ok {
		t.Fatalf("searcher is a %T", s)
	}
	readers := make([]*recordingReader, len(us.leaves))
	for i := range us.leaves {
		if us.leaves[i].tfr == nil {
			t.Fatal("the union does not read Bleve's term reader")
		}
		readers[i] = &recordingReader{TermFieldReader: us.leaves[i].tfr}
		us.leaves[i].tfr = readers[i]
	}
	all, ctx := everyRecord(t, r, m, s)
	found, out := 0, false
	var cur *search.DocumentMatch
	for {
		d, err := all.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if d == nil {
			break
		}
		// Advance the union to every record, as a conjunction around it
		// does, and on once it has run out.
		if out || cur == nil || cur.IndexInternalID.Compare(d.IndexInternalID) < 0 {
			if cur, err = s.Advance(ctx, d.IndexInternalID); err != nil {
				t.Fatal(err)
			}
			if cur != nil {
				found++
			} else if out {
				for _, rr := range readers {
					if rr.afterEnd {
						t.Fatal("the union read a term reader again after it had run out")
					}
				}
			}
			out = cur == nil
		}
	}
	for _, rr := range readers {
		if rr.backward {
			t.Error("the union asked a term reader to go back")
		}
	}
	// Each record with the word was given once: a reader that started over
	// would give the first ones again.
	if want := 6; found != want {
		t.Errorf("gave %d records with the word, want %d", found, want)
	}
}

// recordingReader notes how a term reader is driven.
type recordingReader struct {
	index.TermFieldReader
	last     uint64
	read     bool
	ended    bool
	afterEnd bool
	backward bool
}

func (r *recordingReader) note(d *index.TermFieldDoc) {
	if d == nil {
		r.ended = true
		return
	}
	r.read, r.last = true, d.ID.Value()
}

func (r *recordingReader) Next(pre *index.TermFieldDoc) (*index.TermFieldDoc, error) {
	r.afterEnd = r.afterEnd || r.ended
	d, err := r.TermFieldReader.Next(pre)
	r.note(d)
	return d, err
}

func (r *recordingReader) Advance(id index.IndexInternalID, pre *index.TermFieldDoc) (*index.TermFieldDoc, error) {
	r.afterEnd = r.afterEnd || r.ended
	r.backward = r.backward || (r.read && id.Value() <= r.last)
	d, err := r.TermFieldReader.Advance(id, pre)
	r.note(d)
	return d, err
}

// Any query, however typed, is planned with unions that find what the same
// plan written with Bleve's disjunctions finds, with the same scores, and
// searching it never fails. Run with -fuzz to look further than the seeds.
func FuzzUnionPlansMatchBleves(f *testing.F) {
	for _, q := range []string{"aplikasi pengaduan warga", "melaporkan jalan rusak", "pengadun masyarakat", "wifi gratis taman",
		"complaint app", "kunker Solo", "cara mengurangi antrean KTP", `"bank sampah" desa`, "kartu tanda penduduk elektronik",
		"mpp", "izin usaha", `"`, `aplikasi "pengaduan`, "***", "~~ +- ^2", "title:posyandu", "a b c d e f g h i j k l m n o p q r s t u v w x y z",
		"\x00\xff\xfe posyandu", "posyandy kesehtan pendidkan"} {
		f.Add(q)
	}
	ix := openTestIndex(f)
	applyInBatches(f, ix, syntheticDocs(f, 37, 200, nil), 100)
	f.Fuzz(func(t *testing.T, q string) {
		r := readerOf(t, ix)
		plan := ix.textQuery(context.Background(), r, cleanQuery(q), endsInWord(q), nil)
		for name, pq := range map[string]query.Query{"strict": plan.strict, "loose": plan.loose} {
			if pq != nil {
				pq = asSums(pq) // see TestUnionPlansMatchBleves
				want, got := sameSnapshotHits(t, ix, bleveOnly(pq), pq)
				compareHits(t, fmt.Sprintf("%q %s", q, name), want, got, 1e-9)
			}
		}
		if _, err := ix.Search(context.Background(), Request{Query: q}); err != nil && !errors.Is(err, ErrTooBroad) {
			t.Fatalf("%q: %v", q, err)
		}
	})
}

// A union asked only which records match (no scores, as a count or an
// explanation asks) finds the records it finds when scoring, synonyms
// included.
func TestUnscoredUnionFindsTheSameRecords(t *testing.T) {
	ix := openTestIndex(t)
	applyInBatches(t, ix, syntheticDocs(t, 31, 300, nil), 100)
	r := readerOf(t, ix)
	words := []string{"aduan", "pengaduan", "ktp", "wifi", "pengadun", "sampah"}
	qctx := &queryContext{r: r, words: words}
	for _, w := range words {
		concept, _, _, _ := ix.concept(r, w, qctx, false)
		count := func(score string) uint64 {
			sr := bleve.NewSearchRequestOptions(concept, 0, 0, false)
			sr.Score = score
			res, err := ix.idx.SearchInContext(context.Background(), sr)
			if err != nil {
				t.Fatal(err)
			}
			return res.Total
		}
		if scored, unscored := count(""), count("none"); scored != unscored || scored == 0 {
			t.Errorf("%q: %d records scored, %d unscored", w, scored, unscored)
		}
	}
}
