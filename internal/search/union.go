package search

import (
	"context"
	"fmt"
	"math"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// unionQuery is a disjunction of term and match queries (one query word
// across the exact, stemmed and English fields, with its synonyms and near
// spellings) that scores exactly as Bleve would, without Bleve's searcher
// for each term and each level. Bleve's disjunction asks every term
// searcher for a scored match of its own, then merges them; across a
// dozen terms of one word that bookkeeping cost more than reading the
// postings (a two-word query at 100,000 records took ten times as long
// as the same conjunction over one field). This one reads the postings
// itself and scores the record once.
//
// Anything else in the tree (a phrase, a fuzzy match) leaves the whole
// disjunction to Bleve.
type unionQuery struct {
	inner *query.DisjunctionQuery
}

func union(qs ...query.Query) query.Query {
	return &unionQuery{inner: query.NewDisjunctionQuery(qs)}
}

// unionNode is a disjunction of the tree: its score is the sum of its
// matching children's times the share of its children that match (Bleve's
// coord).
type unionNode struct {
	parent   int // -1 for the root
	children int
	sum      float64
	matched  int
}

// unionLeaf is one term of one field.
type unionLeaf struct {
	parent int
	boost  float64
	idf    float64
	avgLen float64
	weight float64 // boost × idf × the query norm
	tfr    index.TermFieldReader
	tfd    index.TermFieldDoc
	at     uint64 // the record of tfd, not yet given out
	done   bool
}

type unionCompiler struct {
	ctx    context.Context
	r      index.IndexReader
	m      mapping.IndexMapping
	syn    search.FieldTermSynonymMap
	nodes  []unionNode
	leaves []unionLeaf
	docs   uint64
	avg    map[string]float64
}

// Searcher implements query.Query.
func (q *unionQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	if options.Explain || options.IncludeTermVectors || options.Score == "none" {
		return q.inner.Searcher(ctx, r, m, options)
	}
	c := &unionCompiler{ctx: ctx, r: r, m: m, avg: map[string]float64{}}
	// The stemmed fields expand one-word synonyms through Bleve's synonym
	// source; Bleve looks them up only in the query types it knows.
	if sm, ok := m.(mapping.SynonymMapping); ok && sm.SynonymCount() > 0 {
		if tr, ok := r.(index.ThesaurusReader); ok {
			syn, err := query.ExtractSynonyms(ctx, sm, tr, q.inner, nil)
			if err != nil {
				return nil, fmt.Errorf("synonyms: %w", err)
			}
			c.syn = syn
		}
	}
	docs, err := r.DocCount()
	if err != nil {
		return nil, fmt.Errorf("count documents: %w", err)
	}
	c.docs = docs
	ok, err := c.disjunction(q.inner.Disjuncts, -1)
	if err != nil || !ok {
		c.close()
		if err != nil {
			return nil, err
		}
		return q.inner.Searcher(ctx, r, m, options)
	}
	s := &unionSearcher{nodes: c.nodes, leaves: c.leaves}
	for i := range s.leaves {
		l := &s.leaves[i]
		s.count += l.tfr.Count()
		if l.tfr.Count() == 0 {
			l.done = true
		}
	}
	s.SetQueryNorm(1 / math.Sqrt(s.Weight()))
	return s, nil
}

func (c *unionCompiler) close() {
	for _, l := range c.leaves {
		if l.tfr != nil {
			_ = l.tfr.Close()
		}
	}
}

// disjunction adds a node for qs under parent; false when some query is of
// a kind it does not score as Bleve does.
func (c *unionCompiler) disjunction(qs []query.Query, parent int) (bool, error) {
	n := len(c.nodes)
	c.nodes = append(c.nodes, unionNode{parent: parent, children: len(qs)})
	for _, q := range qs {
		ok, err := c.add(q, n)
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

func (c *unionCompiler) add(q query.Query, parent int) (bool, error) {
	switch q := q.(type) {
	case *query.DisjunctionQuery:
		if q.Min > 1 {
			return false, nil
		}
		return c.disjunction(q.Disjuncts, parent)
	case *query.TermQuery:
		return true, c.term(q.Term, q.FieldVal, q.BoostVal.Value(), parent)
	case *query.MatchQuery:
		if q.Fuzziness != 0 || q.Prefix != 0 || q.Operator != query.MatchQueryOperatorOr {
			return false, nil
		}
		name := q.Analyzer
		if name == "" {
			name = c.m.AnalyzerNameForPath(q.FieldVal)
		}
		an := c.m.AnalyzerNamed(name)
		if an == nil {
			return false, fmt.Errorf("no analyzer named %q", name)
		}
		tokens := an.Analyze([]byte(q.Match))
		if len(tokens) == 0 {
			// Bleve's match-none searcher: a child that never matches.
			return true, nil
		}
		n := len(c.nodes)
		c.nodes = append(c.nodes, unionNode{parent: parent, children: len(tokens)})
		for _, t := range tokens {
			if err := c.term(string(t.Term), q.FieldVal, q.BoostVal.Value(), n); err != nil {
				return false, err
			}
		}
		return true, nil
	}
	return false, nil
}

// term adds a term's leaf, or, when the field's synonym source has
// synonyms for it, a node of the term and each synonym at half its boost,
// as Bleve's synonym searcher does.
func (c *unionCompiler) term(t, field string, boost float64, parent int) error {
	if syns, ok := c.syn[field][t]; ok {
		n := len(c.nodes)
		c.nodes = append(c.nodes, unionNode{parent: parent, children: 1 + len(syns)})
		if err := c.leaf(t, field, boost, n); err != nil {
			return err
		}
		for _, s := range syns {
			if err := c.leaf(s, field, boost/2, n); err != nil {
				return err
			}
		}
		return nil
	}
	return c.leaf(t, field, boost, parent)
}

func (c *unionCompiler) leaf(t, field string, boost float64, parent int) error {
	tfr, err := c.r.TermFieldReader(c.ctx, []byte(t), field, true, true, false)
	if err != nil {
		return fmt.Errorf("postings of %s:%s: %w", field, t, err)
	}
	avg, ok := c.avg[field]
	if !ok {
		if avg, err = c.avgLength(field); err != nil {
			_ = tfr.Close()
			return err
		}
		c.avg[field] = avg
	}
	c.leaves = append(c.leaves, unionLeaf{parent: parent, boost: boost, avgLen: avg, tfr: tfr,
		idf: idf(avg, c.docs, tfr.Count())})
	return nil
}

// avgLength is a field's mean length in words as Bleve's BM25 takes it.
func (c *unionCompiler) avgLength(field string) (float64, error) {
	docs, card := c.docs, 0
	if st, ok := c.ctx.Value(search.BM25StatsKey).(*search.BM25Stats); ok {
		docs = uint64(st.DocCount)
		card = st.FieldCardinality[field]
	} else if br, ok := c.r.(index.BM25Reader); ok {
		var err error
		if card, err = br.FieldCardinality(field); err != nil {
			return 0, fmt.Errorf("length of %s: %w", field, err)
		}
	}
	if docs == 0 {
		return 0, nil
	}
	return math.Ceil(float64(card) / float64(docs)), nil
}

// idf is Bleve's: BM25's when fields have a length, else TF-IDF's.
func idf(avgLen float64, docs, docFreq uint64) float64 {
	if avgLen > 0 {
		return math.Log(1 + (float64(docs)-float64(docFreq)+0.5)/(float64(docFreq)+0.5))
	}
	return 1 + math.Log(float64(docs)/float64(docFreq+1))
}

// unionSearcher gives the records that have any of its leaves, in order,
// scored by the tree of nodes.
type unionSearcher struct {
	nodes   []unionNode
	leaves  []unionLeaf
	count   uint64
	started bool
	scratch []float64
}

func (s *unionSearcher) score(l *unionLeaf) float64 {
	tf := math.Sqrt(float64(l.tfd.Freq))
	var sc float64
	if l.avgLen > 0 {
		fieldLen := 1 / (l.tfd.Norm * l.tfd.Norm)
		sc = l.idf * (tf * search.BM25_k1) / (tf + search.BM25_k1*(1-search.BM25_b+search.BM25_b*fieldLen/l.avgLen))
	} else {
		sc = tf * l.tfd.Norm * l.idf
	}
	return sc * l.weight
}

func (s *unionSearcher) move(l *unionLeaf, to uint64, advance bool) error {
	var d *index.TermFieldDoc
	var err error
	if advance {
		var id [8]byte
		d, err = l.tfr.Advance(index.NewIndexInternalID(id[:0], to), &l.tfd)
	} else {
		d, err = l.tfr.Next(&l.tfd)
	}
	if err != nil {
		return fmt.Errorf("read postings: %w", err)
	}
	if d == nil {
		l.done = true
		return nil
	}
	l.at = d.ID.Value()
	return nil
}

func (s *unionSearcher) start() error {
	s.started = true
	for i := range s.leaves {
		if l := &s.leaves[i]; !l.done {
			if err := s.move(l, 0, false); err != nil {
				return err
			}
		}
	}
	return nil
}

// Next gives the next record that has any leaf.
func (s *unionSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if !s.started {
		if err := s.start(); err != nil {
			return nil, err
		}
	}
	first, any := uint64(0), false
	for i := range s.leaves {
		if l := &s.leaves[i]; !l.done && (!any || l.at < first) {
			first, any = l.at, true
		}
	}
	if !any {
		return nil, nil
	}
	for i := range s.leaves {
		l := &s.leaves[i]
		if l.done || l.at != first {
			continue
		}
		nd := &s.nodes[l.parent]
		nd.sum += s.score(l)
		nd.matched++
		if err := s.move(l, 0, false); err != nil {
			return nil, err
		}
	}
	// Children come after their parents, so one pass from the end folds
	// each node into its parent.
	var total float64
	for i := len(s.nodes) - 1; i >= 0; i-- {
		nd := &s.nodes[i]
		if nd.matched == 0 {
			continue
		}
		sc := nd.sum * float64(nd.matched) / float64(nd.children)
		if nd.parent < 0 {
			total = sc
		} else {
			s.nodes[nd.parent].sum += sc
			s.nodes[nd.parent].matched++
		}
		nd.sum, nd.matched = 0, 0
	}
	dm := ctx.DocumentMatchPool.Get()
	dm.IndexInternalID = index.NewIndexInternalID(dm.IndexInternalID[:0], first)
	dm.Score = total
	return dm, nil
}

// Advance gives the first record at or after id that has any leaf and was
// not given before. A leaf already there is not asked again: Bleve's term
// readers start over from the first record when asked to go back.
func (s *unionSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	if !s.started {
		if err := s.start(); err != nil {
			return nil, err
		}
	}
	to := id.Value()
	for i := range s.leaves {
		if l := &s.leaves[i]; !l.done && l.at < to {
			if err := s.move(l, to, true); err != nil {
				return nil, err
			}
		}
	}
	return s.Next(ctx)
}

func (s *unionSearcher) Close() error {
	var first error
	for _, l := range s.leaves {
		if err := l.tfr.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Weight is Bleve's: the sum of each term's squared boost × idf.
func (s *unionSearcher) Weight() float64 {
	var w float64
	for _, l := range s.leaves {
		w += (l.boost * l.idf) * (l.boost * l.idf)
	}
	return w
}

func (s *unionSearcher) SetQueryNorm(n float64) {
	for i := range s.leaves {
		s.leaves[i].weight = s.leaves[i].boost * s.leaves[i].idf * n
	}
}

func (s *unionSearcher) Count() uint64              { return s.count }
func (s *unionSearcher) Min() int                   { return 0 }
func (s *unionSearcher) DocumentMatchPoolSize() int { return 1 }

func (s *unionSearcher) Size() int {
	return 64 + len(s.nodes)*40 + len(s.leaves)*160
}
