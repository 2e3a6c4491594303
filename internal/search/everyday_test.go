package search

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"tiru/internal/kb"
)

// everydayQuery is a query as staff type it, judged from the records'
// text before it was first run: the records that must be in its top three
// (the first result one of them or of ok), or, with none that must, the
// records any of which may fill the top three.
type everydayQuery struct {
	Corpus string   `json:"corpus"` // corpus (corpus.jsonl), heldout, heldout2 or heldout3 (heldout*.jsonl)
	Query  string   `json:"query"`
	Must   []string `json:"must"`
	OK     []string `json:"ok"`
}

// right reports whether top, the first results, answer the query.
func (q everydayQuery) right(top []string) bool {
	if len(top) == 0 {
		return false
	}
	top3 := top[:min(3, len(top))]
	if len(q.Must) > 0 {
		for _, m := range q.Must {
			if !slices.Contains(top3, m) {
				return false
			}
		}
		return slices.Contains(q.Must, top[0]) || slices.Contains(q.OK, top[0])
	}
	for _, h := range top3 {
		if !slices.Contains(q.OK, h) {
			return false
		}
	}
	return true
}

// everydayFloor is how many queries of each corpus must be answered
// right: a ratchet, a few below the count when it was last raised, as
// some queries sit on ties that an unrelated change may turn over.
var everydayFloor = map[string]int{"corpus": 652, "heldout": 339, "heldout2": 416, "heldout3": 495}

// The everyday queries (testdata/relevance/everyday.jsonl) are a wider
// check than the graded set: over a thousand searches as staff type them,
// informal, mistyped, abbreviated, in English, over the relevance corpus
// and over three held-out corpora written later that search was not tuned on.
// TIRU_EVERYDAY_OUT=FILE writes the queries answered wrong, with what was
// found.
func TestEverydayQueries(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "relevance", "everyday.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	byCorpus := map[string][]everydayQuery{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		var q everydayQuery
		if err := json.Unmarshal(sc.Bytes(), &q); err != nil {
			t.Fatalf("everyday.jsonl:%d: %v", line, err)
		}
		byCorpus[q.Corpus] = append(byCorpus[q.Corpus], q)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	var wrong strings.Builder
	for _, corpus := range []string{"corpus", "heldout", "heldout2", "heldout3"} {
		qs := byCorpus[corpus]
		if len(qs) == 0 {
			t.Fatalf("no everyday queries over %s", corpus)
		}
		ix := openTestIndex(t)
		rs := relevanceSet{records: loadCorpus(t, corpus+".jsonl")}
		if err := ix.Apply(rs.documents(testBuilder(t)), nil); err != nil {
			t.Fatal(err)
		}
		right := 0
		for _, q := range qs {
			res, err := ix.Search(context.Background(), Request{Query: q.Query, Viewer: kb.Viewer{AllInternal: true}, PerPage: 5})
			if err != nil {
				t.Fatalf("%q: %v", q.Query, err)
			}
			top := slugs(res.Hits)
			if q.right(top) {
				right++
				continue
			}
			fmt.Fprintf(&wrong, "%s\t%q\tmust %v ok %v\tfound %v\n", corpus, q.Query, q.Must, q.OK, top)
		}
		t.Logf("%s: %d of %d everyday queries answered right", corpus, right, len(qs))
		if right < everydayFloor[corpus] {
			t.Errorf("%s: %d of %d everyday queries answered right, fewer than %d", corpus, right, len(qs), everydayFloor[corpus])
		}
		ix.Close()
	}
	if out := os.Getenv("TIRU_EVERYDAY_OUT"); out != "" {
		if err := os.WriteFile(out, []byte(wrong.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
