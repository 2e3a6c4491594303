package search

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"tiru/internal/ingest"
	"tiru/internal/kb"
)

// The relevance harness: a judged set of realistic queries over a corpus
// written for Tiru (testdata/relevance), scored for Tiru's search and for a
// plain Bleve baseline (standard analyzer, no stemming, synonyms or typo
// tolerance). Run `go test -run TestRelevance -v ./internal/search/` to see
// the table.

type judgedQuery struct {
	ID        string         `json:"id"`
	Query     string         `json:"query"`
	Group     string         `json:"group"`
	Judgments map[string]int `json:"judgments"`
}

type scores struct{ ndcg, mrr, recall float64 }

// evaluate scores one ranked list of slugs against graded judgments:
// nDCG@10 with gains 2^grade-1, reciprocal rank of the first result graded
// 2 or more, and the share of judged results in the top 10.
func evaluate(ranked []string, judged map[string]int) scores {
	var s scores
	dcg := 0.0
	found := 0
	for i, slug := range ranked {
		if i == 10 {
			break
		}
		g := judged[slug]
		dcg += (math.Pow(2, float64(g)) - 1) / math.Log2(float64(i+2))
		if g > 0 {
			found++
		}
		if g >= 2 && s.mrr == 0 {
			s.mrr = 1 / float64(i+1)
		}
	}
	var grades []int
	for _, g := range judged {
		grades = append(grades, g)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(grades)))
	idcg := 0.0
	for i, g := range grades {
		if i == 10 {
			break
		}
		idcg += (math.Pow(2, float64(g)) - 1) / math.Log2(float64(i+2))
	}
	if idcg > 0 {
		s.ndcg = dcg / idcg
	}
	s.recall = float64(found) / float64(min(len(judged), 10))
	return s
}

func TestEvaluateMetrics(t *testing.T) {
	j := map[string]int{"a": 3, "b": 2, "c": 1}
	if s := evaluate([]string{"a", "b", "c"}, j); math.Abs(s.ndcg-1) > 1e-9 || s.mrr != 1 || s.recall != 1 {
		t.Errorf("perfect ranking scored %+v", s)
	}
	if s := evaluate([]string{"x", "c", "b"}, j); s.mrr != 1.0/3 || s.ndcg >= 0.6 || math.Abs(s.recall-2.0/3) > 1e-9 {
		t.Errorf("poor ranking scored %+v", s)
	}
}

type relevanceSet struct {
	records []ingest.Record
	queries []judgedQuery
}

func loadRelevanceSet(t testing.TB) relevanceSet {
	t.Helper()
	recs := loadCorpus(t, "corpus.jsonl")
	raw, err := os.ReadFile(filepath.Join("testdata", "relevance", "queries.json"))
	if err != nil {
		t.Fatal(err)
	}
	var qs []judgedQuery
	if err := json.Unmarshal(raw, &qs); err != nil {
		t.Fatal(err)
	}
	return relevanceSet{records: recs, queries: qs}
}

// loadCorpus reads and validates a corpus of testdata/relevance.
func loadCorpus(t testing.TB, name string) []ingest.Record {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "relevance", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := ingest.ParseJSONLines(name, f)
	if err != nil {
		t.Fatal(err)
	}
	if err := ingest.Validate(recs, testBuilder(t).Ref); err != nil {
		t.Fatal(err)
	}
	return recs
}

// documents builds Tiru's documents for the corpus, with visits carrying the
// titles of the innovations they observed, as the real source does.
func (rs relevanceSet) documents(b *Builder) []*Document {
	titles := map[string]string{}
	for _, r := range rs.records {
		if r.Innovation != nil {
			titles[r.Innovation.Slug] = r.Innovation.Title
		}
	}
	var docs []*Document
	for i, r := range rs.records {
		switch {
		case r.Innovation != nil:
			docs = append(docs, b.Innovation(int64(i+1), r.Innovation, "2025-01-01T00:00:00Z", nil))
		case r.Visit != nil:
			var obs []string
			for _, s := range r.Visit.Innovations {
				obs = append(obs, titles[s])
			}
			docs = append(docs, b.Visit(int64(i+1), r.Visit, "2025-01-01T00:00:00Z", obs))
		}
	}
	return docs
}

// baseline is plain Bleve: the standard analyzer over title, text and meta.
type baseline struct{ idx bleve.Index }

func newBaseline(t testing.TB, docs []*Document) *baseline {
	t.Helper()
	idx, err := bleve.NewMemOnly(bleve.NewIndexMapping())
	if err != nil {
		t.Fatal(err)
	}
	b := idx.NewBatch()
	for _, d := range docs {
		if err := b.Index(d.Slug, map[string]string{"title": d.Title, "text": d.Text, "meta": d.Meta}); err != nil {
			t.Fatal(err)
		}
	}
	if err := idx.Batch(b); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	return &baseline{idx: idx}
}

func (bl *baseline) search(q string) []string {
	res, err := bl.idx.Search(bleve.NewSearchRequestOptions(bleve.NewMatchQuery(q), 10, 0, false))
	if err != nil {
		return nil
	}
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out
}

type groupScore struct {
	n          int
	tiru, base scores
}

func (g *groupScore) add(tiru, base scores) {
	g.n++
	g.tiru.ndcg += tiru.ndcg
	g.tiru.mrr += tiru.mrr
	g.tiru.recall += tiru.recall
	g.base.ndcg += base.ndcg
	g.base.mrr += base.mrr
	g.base.recall += base.recall
}

func (g *groupScore) mean() (scores, scores) {
	n := float64(g.n)
	return scores{g.tiru.ndcg / n, g.tiru.mrr / n, g.tiru.recall / n}, scores{g.base.ndcg / n, g.base.mrr / n, g.base.recall / n}
}

// TestRelevance measures search quality on the judged set and holds the
// product target: nDCG@10 ≥ 0.90 overall (0.903 when this was written, see
// README), ≥ 0.80 in each of the typo, synonym, stemming and English groups,
// and a clear margin over the baseline. Scores depend only on the
// documents and the query, so the floor does not flake.
func TestRelevance(t *testing.T) {
	rs := loadRelevanceSet(t)
	b := testBuilder(t)
	docs := rs.documents(b)
	ix := openTestIndex(t)
	if err := ix.Apply(docs, nil); err != nil {
		t.Fatal(err)
	}
	bl := newBaseline(t, docs)
	groups := map[string]*groupScore{"all": {}}
	var weak []string
	// TIRU_RELEVANCE_OUT names a file to write each query's scores to, for
	// comparing two versions of the search query by query.
	var perQuery strings.Builder
	for _, q := range rs.queries {
		res, err := ix.Search(context.Background(), Request{Query: q.Query, Viewer: kb.Viewer{AllInternal: true}, PerPage: 10})
		if err != nil {
			t.Fatal(err)
		}
		tiru := evaluate(slugs(res.Hits), q.Judgments)
		base := evaluate(bl.search(q.Query), q.Judgments)
		if groups[q.Group] == nil {
			groups[q.Group] = &groupScore{}
		}
		groups[q.Group].add(tiru, base)
		groups["all"].add(tiru, base)
		fmt.Fprintf(&perQuery, "%s\t%.3f\t%.3f\t%-9s\t%s\t%v\n", q.ID, tiru.ndcg, tiru.recall, q.Group, q.Query, first(slugs(res.Hits), 5))
		if tiru.ndcg < 0.6 {
			weak = append(weak, fmt.Sprintf("%s %-40q nDCG %.2f top: %v", q.ID, q.Query, tiru.ndcg, first(slugs(res.Hits), 3)))
		}
	}
	names := make([]string, 0, len(groups))
	for g := range groups {
		names = append(names, g)
	}
	sort.Strings(names)
	var table strings.Builder
	fmt.Fprintf(&table, "\n%-10s %4s | %-21s | %-21s\n", "group", "n", "Tiru nDCG  MRR  R@10", "baseline nDCG MRR R@10")
	for _, g := range names {
		tr, bs := groups[g].mean()
		fmt.Fprintf(&table, "%-10s %4d | %.3f  %.3f  %.3f | %.3f  %.3f  %.3f\n", g, groups[g].n, tr.ndcg, tr.mrr, tr.recall, bs.ndcg, bs.mrr, bs.recall)
	}
	t.Logf("%d documents, %d queries%s", len(docs), len(rs.queries), table.String())
	if out := os.Getenv("TIRU_RELEVANCE_OUT"); out != "" {
		if err := os.WriteFile(out, []byte(perQuery.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, w := range weak {
		t.Log("weak: " + w)
	}
	all, base := groups["all"].mean()
	if all.ndcg < 0.90 {
		t.Errorf("overall nDCG@10 %.3f, want ≥ 0.90", all.ndcg)
	}
	if all.ndcg < base.ndcg+0.10 {
		t.Errorf("overall nDCG@10 %.3f is not clearly above the baseline's %.3f", all.ndcg, base.ndcg)
	}
	for _, g := range []string{"typo", "synonym", "stemming", "english"} {
		if groups[g] == nil {
			t.Errorf("no queries in group %s", g)
			continue
		}
		if tr, _ := groups[g].mean(); tr.ndcg < 0.80 {
			t.Errorf("%s nDCG@10 %.3f, want ≥ 0.80", g, tr.ndcg)
		}
	}
}

func first(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
