package search

import (
	"fmt"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"context"
	"os"
	"strings"
	"testing"

	"tiru/internal/kb"
)

func TestZZRel(t *testing.T) {
	ids := os.Getenv("ZZQ")
	if ids == "" {
		t.Skip()
	}
	rs := loadRelevanceSet(t)
	b := testBuilder(t)
	ix := openTestIndex(t)
	if err := ix.Apply(rs.documents(b), nil); err != nil {
		t.Fatal(err)
	}
	for _, q := range rs.queries {
		if !strings.Contains(","+ids+",", ","+q.ID+",") {
			continue
		}
		res, _ := ix.Search(context.Background(), Request{Query: q.Query, Viewer: kb.Viewer{AllInternal: true}, PerPage: 15})
		t.Logf("== %s %q total %d ndcg %.3f", q.ID, q.Query, res.Total, evaluate(first(slugs(res.Hits), 10), q.Judgments).ndcg)
		seen := map[string]bool{}
		for i, h := range res.Hits {
			seen[h.Slug] = true
			t.Logf("  %2d %d %6.3f %s | %s", i+1, q.Judgments[h.Slug], h.Score, h.Slug, h.Title)
		}
		for s, g := range q.Judgments {
			if !seen[s] {
				t.Logf("  missing %d %s", g, s)
			}
		}
	}
}

func TestZZExplain(t *testing.T) {
	qs := os.Getenv("ZZX")
	if qs == "" {
		t.Skip()
	}
	rs := loadRelevanceSet(t)
	b := testBuilder(t)
	ix := openTestIndex(t)
	if err := ix.Apply(rs.documents(b), nil); err != nil {
		t.Fatal(err)
	}
	adv, _ := ix.idx.Advanced()
	r, _ := adv.Reader()
	defer r.Close()
	plan := ix.textQuery(r, cleanQuery(qs))
	sr := bleve.NewSearchRequestOptions(plan.strict, 20, 0, true)
	sr.Fields = []string{"slug"}
	res, err := ix.idx.Search(sr)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Split(os.Getenv("ZZS"), ",")
	for i, h := range res.Hits {
		t.Logf("%2d %.4f %v", i+1, h.Score, h.Fields["slug"])
		for _, w := range want {
			if h.Fields["slug"] == w {
				t.Logf("%s", explainTree(h.Expl, 0))
			}
		}
	}
}

func explainTree(e *search.Explanation, depth int) string {
	if e == nil || depth > 9 {
		return ""
	}
	out := fmt.Sprintf("%s%.4f %s\n", strings.Repeat("  ", depth), e.Value, e.Message)
	for _, c := range e.Children {
		if depth < 9 {
			out += explainTree(c, depth+1)
		}
	}
	return out
}
