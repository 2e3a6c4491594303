package search

import (
	"context"
	"errors"
	"fmt"
	"html"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"tiru/internal/kb"
	"tiru/internal/search/indonesian"
)

// Limits that keep any query cheap, however it was typed.
const (
	MaxQueryRunes = 300
	MaxTerms      = 24
	MaxPerPage    = 50
	maxWindow     = 2000 // deepest result reachable by paging
)

// Filters narrow a search; each is a key of its vocabulary (or a region code).
type Filters struct {
	Kind     string
	Province string
	Region   string
	Urusan   string
	Stage    string
	Type     string
	Evidence string
	Adoption string
	Year     string
}

// FacetFields lists the facets, in the order pages show them.
var FacetFields = []string{"kind", "province", "region", "urusan", "stage", "type", "evidence", "adoption", "year"}

func (f Filters) get(field string) string {
	return map[string]string{"kind": f.Kind, "province": f.Province, "region": f.Region, "urusan": f.Urusan, "stage": f.Stage,
		"type": f.Type, "evidence": f.Evidence, "adoption": f.Adoption, "year": f.Year}[field]
}

// Request is one search.
type Request struct {
	Query   string
	Filters Filters
	Sort    string // "" or "relevance", "newest", "adopted"
	Page    int
	PerPage int
	Viewer  kb.Viewer
}

// Hit is one matching record.
type Hit struct {
	Kind      string  `json:"kind"`
	Slug      string  `json:"slug"`
	Title     string  `json:"title"`
	TitleHTML string  `json:"-"` // title with matches in <mark>, escaped
	Region    string  `json:"region"`
	Snippet   string  `json:"snippet"` // HTML: escaped text with matches in <mark>
	Score     float64 `json:"score"`
}

// FacetValue is one value of a facet with how many results have it.
type FacetValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Result is a page of hits with facet counts.
type Result struct {
	Total      uint64
	Took       time.Duration
	Hits       []Hit
	Facets     map[string][]FacetValue
	Suggestion string // a respelling of the query, when some of its words match nothing as written
	Page       int
	PerPage    int
}

// cleanQuery makes any input safe to analyse: valid UTF-8, no control
// characters, bounded length.
func cleanQuery(q string) string {
	q = strings.ToValidUTF8(q, " ")
	q = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, q)
	if utf8.RuneCountInString(q) > MaxQueryRunes {
		q = string([]rune(q)[:MaxQueryRunes])
	}
	return strings.Join(strings.Fields(q), " ")
}

// phrases splits out "quoted phrases" (only when quotes balance) from the
// rest of the query. Every other symbol is just a separator: Bleve's query
// string syntax is never interpreted.
func phrases(q string) (rest string, quoted []string) {
	if strings.Count(q, `"`)%2 != 0 {
		return strings.ReplaceAll(q, `"`, " "), nil
	}
	parts := strings.Split(q, `"`)
	var b strings.Builder
	for i, p := range parts {
		if i%2 == 1 {
			if t := strings.TrimSpace(p); t != "" {
				quoted = append(quoted, t)
			}
		}
		b.WriteString(p + " ")
	}
	return strings.TrimSpace(b.String()), quoted
}

func match(text, field string, boost float64) query.Query {
	q := bleve.NewMatchQuery(text)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

func phrase(text, field string, boost float64) query.Query {
	q := bleve.NewMatchPhraseQuery(text)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

func term(t, field string) query.Query {
	q := bleve.NewTermQuery(t)
	q.SetField(field)
	return q
}

// filter is a term query that restricts without scoring, so a filter (or
// the reader's own region) never changes the order of results.
func filter(t, field string) query.Query {
	q := bleve.NewTermQuery(t)
	q.SetField(field)
	q.SetBoost(0)
	return q
}

// docFreq counts documents that have term in field.
func docFreq(r index.IndexReader, field, t string) uint64 {
	tfr, err := r.TermFieldReader(context.Background(), []byte(t), field, false, false, false)
	if err != nil {
		return 0
	}
	defer tfr.Close()
	return tfr.Count()
}

// fuzziness is the edit distance allowed for a word of this length: none for
// short words (too many near neighbours), one for most, two for long ones.
func fuzziness(t string) int {
	switch n := utf8.RuneCountInString(t); {
	case n < 4:
		return 0
	case n < 8:
		return 1
	default:
		return 2
	}
}

// textQuery builds the scored part of a search for q. Each query word is
// one concept: a disjunction of that word across the exact, stemmed and
// English fields (and its near spellings, when it matches nothing as
// written). The concepts are then combined in a disjunction, whose
// coordination factor ranks a record matching more of the words above one
// that matches a single word in many fields. Phrases, the whole query as a
// phrase and multi-word synonyms add to the score.
func (ix *Index) textQuery(r index.IndexReader, q string) (query.Query, string) {
	rest, quoted := phrases(q)
	var qs []query.Query
	for _, p := range quoted {
		qs = append(qs, phrase(p, fTitle, 6), phrase(p, fText, 3), phrase(p, fMeta, 3))
	}
	stop := map[string]bool{}
	for _, w := range indonesian.StopWords() {
		stop[w] = true
	}
	var words []string
	for _, w := range tokens(rest) {
		if !stop[w] && (utf8.RuneCountInString(w) > 1 || (w[0] >= '0' && w[0] <= '9')) {
			words = append(words, w)
		}
	}
	if len(words) > MaxTerms {
		words = words[:MaxTerms]
	}
	var suggestion []string
	respelt := false
	for _, w := range words {
		concept := []query.Query{
			match(w, fTitle, 3), match(w, fText, 1.5), match(w, fMeta, 2),
			match(w, fTitleID, 2), match(w, fTextID, 1), match(w, fMetaID, 1),
			match(w, fTitleEN, 2), match(w, fTextEN, 1),
		}
		fz := fuzziness(w)
		if fz == 0 || docFreq(r, fTitle, w)+docFreq(r, fText, w)+docFreq(r, fMeta, w) > 0 {
			suggestion = append(suggestion, w)
		} else {
			// Near spellings, only for words that match nothing as written,
			// and below every exact match.
			for _, f := range []string{fTitle, fText, fMeta} {
				fq := bleve.NewFuzzyQuery(w)
				fq.SetField(f)
				fq.SetFuzziness(fz)
				fq.SetBoost(0.3)
				concept = append(concept, fq)
			}
			if best := closestTerm(r, w, fz); best != "" {
				suggestion = append(suggestion, best)
				respelt = true
				// Search the likeliest respelling like a typed word too, so
				// stemming and synonyms apply to it, a little below the
				// words typed correctly.
				concept = append(concept, match(best, fTitle, 2), match(best, fText, 1), match(best, fMeta, 1.5),
					match(best, fTitleID, 1.5), match(best, fTextID, 0.8), match(best, fMetaID, 0.8))
			} else {
				suggestion = append(suggestion, w)
			}
		}
		qs = append(qs, bleve.NewDisjunctionQuery(concept...))
	}
	if len(words) > 1 {
		// Words next to each other, as typed, rank higher.
		text := strings.Join(words, " ")
		qs = append(qs, phrase(text, fTitle, 4), phrase(text, fText, 2))
	}
	for _, e := range ix.opt.Synonyms.expand(q) {
		if e.Phrase {
			qs = append(qs, bleve.NewDisjunctionQuery(phrase(e.Text, fTitle, 2), phrase(e.Text, fText, 1), phrase(e.Text, fMeta, 1.5)))
		} else {
			qs = append(qs, bleve.NewDisjunctionQuery(match(e.Text, fTitle, 2), match(e.Text, fText, 1), match(e.Text, fMeta, 1.5), match(e.Text, fTextID, 0.8)))
		}
	}
	sug := ""
	if respelt {
		sug = strings.Join(suggestion, " ")
	}
	if len(qs) == 0 {
		return nil, ""
	}
	return bleve.NewDisjunctionQuery(qs...), sug
}

// closestTerm finds the most frequent indexed word within fz edits of w.
func closestTerm(r index.IndexReader, w string, fz int) string {
	fr, ok := r.(index.IndexReaderFuzzy)
	if !ok {
		return ""
	}
	best, bestScore := "", -1.0
	for _, f := range []string{fTitle, fText} {
		fd, err := fr.FieldDictFuzzy(f, w, fz, "")
		if err != nil {
			continue
		}
		for i := 0; i < 200; i++ {
			e, err := fd.Next()
			if err != nil || e == nil {
				break
			}
			score := float64(e.Count) / float64(1+int(e.EditDistance)*10)
			if score > bestScore {
				best, bestScore = e.Term, score
			}
		}
		fd.Close()
	}
	return best
}

// visibilityQuery keeps out what the viewer may not read.
func visibilityQuery(v kb.Viewer) query.Query {
	if v.AllInternal {
		return nil
	}
	qs := []query.Query{filter("public", "visibility")}
	if v.Region != "" {
		qs = append(qs, filter(v.Region, "owners"))
	}
	return bleve.NewDisjunctionQuery(qs...)
}

// Search runs a request. An empty query browses everything the filters
// allow, newest first.
func (ix *Index) Search(ctx context.Context, req Request) (*Result, error) {
	if !ix.Ready() {
		return nil, ErrNotReady
	}
	start := time.Now()
	if req.PerPage <= 0 {
		req.PerPage = 20
	}
	req.PerPage = min(req.PerPage, MaxPerPage)
	req.Page = max(req.Page, 1)
	if (req.Page-1)*req.PerPage >= maxWindow {
		req.Page = maxWindow/req.PerPage + 1
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.idx == nil {
		return nil, ErrNotReady
	}
	adv, err := ix.idx.Advanced()
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	reader, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer reader.Close()

	q := cleanQuery(req.Query)
	var must []query.Query
	scored, suggestion := ix.textQuery(reader, q)
	if scored != nil {
		must = append(must, scored)
	} else {
		must = append(must, bleve.NewMatchAllQuery())
	}
	// Only records: synonym definitions live in the same index.
	must = append(must, bleve.NewDisjunctionQuery(filter("innovation", "kind"), filter("visit", "kind")))
	if vq := visibilityQuery(req.Viewer); vq != nil {
		must = append(must, vq)
	}
	for _, f := range FacetFields {
		v := req.Filters.get(f)
		if v == "" {
			continue
		}
		field := f
		if f == "region" {
			field = "regions"
		}
		must = append(must, filter(v, field))
	}
	sr := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(must...), req.PerPage, (req.Page-1)*req.PerPage, false)
	sr.Fields = []string{"kind", "slug", "title", "region", "text"}
	switch {
	case req.Sort == "newest" || (scored == nil && req.Sort != "adopted"):
		sr.SortBy([]string{"-updated", "-_score", "_id"})
	case req.Sort == "adopted":
		sr.SortBy([]string{"-adoptions", "-_score", "-updated", "_id"})
	}
	if scored != nil {
		sr.Highlight = bleve.NewHighlightWithStyle("html")
		sr.Highlight.AddField(fTitle)
		sr.Highlight.AddField(fText)
	}
	for _, f := range FacetFields {
		size := 12
		if f == "province" || f == "region" || f == "urusan" {
			size = 40
		}
		sr.AddFacet(f, bleve.NewFacetRequest(f, size))
	}
	res, err := ix.idx.SearchInContext(ctx, sr)
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return nil, err
		}
		return nil, fmt.Errorf("search %q: %w", q, err)
	}
	out := &Result{Total: res.Total, Facets: map[string][]FacetValue{}, Page: req.Page, PerPage: req.PerPage}
	out.Suggestion = suggestion
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, makeHit(h))
	}
	for name, fr := range res.Facets {
		var vals []FacetValue
		if fr.Terms != nil {
			for _, t := range fr.Terms.Terms() {
				if t.Term == "" {
					continue // a record without this field
				}
				vals = append(vals, FacetValue{Value: t.Term, Count: t.Count})
			}
		}
		sort.SliceStable(vals, func(i, j int) bool {
			if vals[i].Count != vals[j].Count {
				return vals[i].Count > vals[j].Count
			}
			return vals[i].Value < vals[j].Value
		})
		out.Facets[name] = vals
	}
	out.Took = time.Since(start)
	return out, nil
}

func str(fields map[string]interface{}, k string) string {
	s, _ := fields[k].(string)
	return s
}

// makeHit turns a Bleve hit into ours. Fragments from Bleve's HTML
// highlighter are already escaped with only <mark> added; the fallback
// snippet is escaped here.
func makeHit(h *search.DocumentMatch) Hit {
	hit := Hit{Kind: str(h.Fields, "kind"), Slug: str(h.Fields, "slug"), Title: str(h.Fields, "title"), Region: str(h.Fields, "region"), Score: h.Score}
	hit.TitleHTML = html.EscapeString(hit.Title)
	if f := h.Fragments[fTitle]; len(f) > 0 && strings.Contains(f[0], "<mark>") {
		hit.TitleHTML = f[0]
	}
	if f := h.Fragments[fText]; len(f) > 0 {
		hit.Snippet = f[0]
	} else {
		text := str(h.Fields, "text")
		if utf8.RuneCountInString(text) > 220 {
			text = string([]rune(text)[:220]) + "…"
		}
		hit.Snippet = html.EscapeString(text)
	}
	return hit
}

// Related finds up to n innovations like the given one ("Mirip dengan …"):
// sharing words of its title and tags, and its urusan. The innovation itself
// is left out.
func (ix *Index) Related(ctx context.Context, kind string, id int64, title string, tags []string, urusan string, v kb.Viewer, n int) ([]Hit, error) {
	if !ix.Ready() {
		return nil, ErrNotReady
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.idx == nil {
		return nil, ErrNotReady
	}
	words := strings.Join(append(tokens(title), tokens(strings.Join(tags, " "))...), " ")
	should := []query.Query{match(words, fTitle, 2), match(words, fTitleID, 1.5), match(words, fText, 1), match(words, fTextID, 0.7), match(words, fMeta, 1)}
	if urusan != "" {
		uq := term(urusan, "urusan")
		uq.(*query.TermQuery).SetBoost(0.5)
		should = append(should, uq)
	}
	must := []query.Query{bleve.NewDisjunctionQuery(should...), filter("innovation", "kind")}
	if vq := visibilityQuery(v); vq != nil {
		must = append(must, vq)
	}
	bq := bleve.NewBooleanQuery()
	bq.AddMust(must...)
	bq.AddMustNot(bleve.NewDocIDQuery([]string{DocID(kind, id)}))
	sr := bleve.NewSearchRequestOptions(bq, n, 0, false)
	sr.Fields = []string{"kind", "slug", "title", "region", "text"}
	res, err := ix.idx.SearchInContext(ctx, sr)
	if err != nil {
		return nil, fmt.Errorf("related to %s:%d: %w", kind, id, err)
	}
	out := make([]Hit, 0, len(res.Hits))
	for _, h := range res.Hits {
		out = append(out, makeHit(h))
	}
	return out, nil
}
