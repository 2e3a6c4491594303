package search

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/blevesearch/bleve/v2/index/scorch"
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
// Anything else in the tree (a phrase, a conjunction) is a leaf with its
// own searcher, its scores taken as they come.
type unionQuery struct {
	inner *query.DisjunctionQuery
	best  bool // score as the best child, not the coordinated sum (see alternatives)
}

func union(qs ...query.Query) query.Query {
	return &unionQuery{inner: query.NewDisjunctionQuery(qs)}
}

// alternatives is a union of ways of saying one thing (a word and the
// other wordings of its synonym group) that scores a record by the
// wording it matches best. Scored as Bleve's disjunction, the sum of the
// matching wordings times the share of wordings that match, a record that
// said only the word typed kept a small part of its score: "pengaduan"
// has eight wordings, each searched in several fields. Records that used
// several of the other wordings in passing ranked above it. nDCG@10 on
// the judged queries went from 0.915 to 0.922.
//
// Bleve has no such query: where Bleve's own searcher must stand in (to
// explain a score), the alternatives score as its disjunction does.
func alternatives(qs ...query.Query) query.Query {
	return &unionQuery{inner: query.NewDisjunctionQuery(qs), best: true}
}

// unionNode is a disjunction of the tree: its score is the sum of its
// matching children's times the share of its children that match (Bleve's
// coord).
type unionNode struct {
	parent   int // -1 for the root
	children int
	sum      float64
	matched  int
	best     bool    // scores as its best child (see alternatives)
	top      float64 // the best child's score on the current record
}

// unionLeaf is one term of one field, read once however many places of the
// tree use it: a mistyped word's near spellings and its respelling often
// name the same common word in the same field.
type unionLeaf struct {
	uses    []leafUse
	docFreq uint64 // records with the term, counted once: each count walks every segment
	idf     float64
	avgLen  float64
	// BM25's terms that do not depend on the record or the use: a use
	// scores its mult × tf / (tf + flat + perLen × the field's length).
	flat, perLen float64
	p            *segPostings          // the postings, read from the segments
	tfr          index.TermFieldReader // or through Bleve's reader, when the index is no scorch snapshot
	tfd          index.TermFieldDoc    // the current posting's frequency and norm
	// Or a query's own searcher, and its current match.
	s  search.Searcher
	dm *search.DocumentMatch
	// Or a phrase, checked only as far as the union needs (see resolve):
	// while pend is set, at is only the first record the phrase could be
	// in, and its word positions from there on are unchecked.
	ph   *segPhraseSearcher
	pend bool
	at   uint64 // the record of tfd or dm, not yet given out
	done bool
}

// leafUse is a place of a leaf in the tree: the node it adds to, with its
// boost, and mult, the query weight (boost × idf × the query norm) times
// idf, and times BM25's k1.
type leafUse struct {
	parent      int
	boost, mult float64
}

func (l *unionLeaf) count() uint64 {
	if l.s != nil {
		return l.s.Count()
	}
	return l.docFreq
}

func (l *unionLeaf) close() error {
	switch {
	case l.s != nil:
		return l.s.Close()
	case l.tfr != nil:
		return l.tfr.Close()
	}
	return nil
}

type unionCompiler struct {
	ctx     context.Context
	r       index.IndexReader
	m       mapping.IndexMapping
	options search.SearcherOptions
	syn     search.FieldTermSynonymMap
	nodes   []unionNode
	leaves  []unionLeaf
	docs    uint64
	bm25    bool // the index scores by BM25 (else TF-IDF)
	avg     map[string]float64
	byTerm  map[[2]string]int // the leaf of each field and term
	segs    *snapshotSegments // the index's segments, when it is a scorch snapshot
	locs    bool              // leaves read each posting's word positions (for phrases)
}

// newUnionCompiler starts compiling leaves on r: the number of records
// and the scoring model come from the context Bleve searches in, as its
// term searchers take them.
func newUnionCompiler(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (*unionCompiler, error) {
	c := &unionCompiler{ctx: ctx, r: r, m: m, options: options, avg: map[string]float64{}, byTerm: map[[2]string]int{}}
	if snap, ok := r.(*scorch.IndexSnapshot); ok {
		c.segs = newSnapshotSegments(snap)
	}
	docs, err := r.DocCount()
	if err != nil {
		return nil, fmt.Errorf("count documents: %w", err)
	}
	c.docs = docs
	if st, ok := ctx.Value(search.BM25StatsKey).(*search.BM25Stats); ok {
		c.docs = uint64(st.DocCount) // statistics of a whole alias of indexes
	}
	if cb, ok := ctx.Value(search.GetScoringModelCallbackKey).(search.GetScoringModelCallbackFn); ok {
		c.bm25 = cb() == index.BM25Scoring
	}
	return c, nil
}

// Searcher implements query.Query.
func (q *unionQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	c, err := newUnionCompiler(ctx, r, m, options)
	if err != nil {
		return nil, err
	}
	// The stemmed fields expand one-word synonyms through Bleve's synonym
	// sources; Bleve looks them up only in the query types it knows, so
	// they are looked up here for the whole tree, and the searchers of its
	// leaves that are queries of their own find them in the context.
	syn, err := synonymsFor(ctx, r, m, asBleve(q.inner))
	if err != nil {
		return nil, err
	}
	c.syn = syn
	c.ctx = context.WithValue(ctx, search.FieldTermSynonymMapKey, syn)
	if options.Explain || options.IncludeTermVectors || options.Score == "none" {
		// Bleve's own disjunction, with the same synonyms, so that it
		// finds the records the union would.
		return q.inner.Searcher(c.ctx, r, m, options)
	}
	if err := c.disjunction(q.inner.Disjuncts, -1); err != nil {
		c.close()
		return nil, err
	}
	c.nodes[0].best = q.best
	return newUnionSearcher(c.nodes, c.leaves), nil
}

// asBleve is q with the unions it takes apart written as Bleve's
// disjunctions, for Bleve to find their synonyms.
func asBleve(q query.Query) query.Query {
	var qs []query.Query
	switch q := q.(type) {
	case *unionQuery:
		return asBleve(q.inner)
	case *allQuery:
		out := make([]query.Query, len(q.qs))
		for i, c := range q.qs {
			out[i] = asBleve(c)
		}
		return query.NewConjunctionQuery(out)
	case *query.DisjunctionQuery:
		qs = q.Disjuncts
	default:
		return q
	}
	out := make([]query.Query, len(qs))
	for i, d := range qs {
		out[i] = asBleve(d)
	}
	return query.NewDisjunctionQuery(out)
}

func (c *unionCompiler) close() {
	for _, l := range c.leaves {
		_ = l.close()
	}
}

// disjunction adds a node for qs under parent.
func (c *unionCompiler) disjunction(qs []query.Query, parent int) error {
	n := len(c.nodes)
	c.nodes = append(c.nodes, unionNode{parent: parent, children: len(qs)})
	for _, q := range qs {
		if err := c.add(q, n); err != nil {
			return err
		}
	}
	return nil
}

// add adds q under parent: its terms as leaves, and any query it does not
// take apart (a phrase, a conjunction) as a leaf of its own searcher.
func (c *unionCompiler) add(q query.Query, parent int) error {
	switch q := q.(type) {
	case *unionQuery:
		n := len(c.nodes)
		err := c.disjunction(q.inner.Disjuncts, parent)
		c.nodes[n].best = q.best
		return err
	case *query.DisjunctionQuery:
		if q.Min <= 1 {
			return c.disjunction(q.Disjuncts, parent)
		}
	case *query.TermQuery:
		return c.term(q.Term, q.FieldVal, q.BoostVal.Value(), parent)
	case *query.MatchQuery:
		if q.Fuzziness != 0 || q.Prefix != 0 || q.Operator != query.MatchQueryOperatorOr {
			break
		}
		name := q.Analyzer
		if name == "" {
			name = c.m.AnalyzerNameForPath(q.FieldVal)
		}
		an := c.m.AnalyzerNamed(name)
		if an == nil {
			return fmt.Errorf("no analyzer named %q", name)
		}
		tokens := an.Analyze([]byte(q.Match))
		if len(tokens) == 0 {
			// Bleve's match-none searcher: a child that never matches.
			return nil
		}
		n := len(c.nodes)
		c.nodes = append(c.nodes, unionNode{parent: parent, children: len(tokens)})
		for _, t := range tokens {
			if err := c.term(string(t.Term), q.FieldVal, q.BoostVal.Value(), n); err != nil {
				return err
			}
		}
		return nil
	}
	sr, err := q.Searcher(c.ctx, c.r, c.m, c.options)
	if err != nil {
		return err
	}
	if sr == nil {
		c.nodes[parent].children-- // as Bleve's disjunction leaves it out
		return nil
	}
	l := unionLeaf{uses: []leafUse{{parent: parent}}, s: sr}
	l.ph, _ = sr.(*segPhraseSearcher)
	c.leaves = append(c.leaves, l)
	return nil
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
	use := leafUse{parent: parent, boost: boost}
	if i, ok := c.byTerm[[2]string{field, t}]; ok {
		c.leaves[i].uses = append(c.leaves[i].uses, use)
		return nil
	}
	avg, ok := c.avg[field]
	if !ok {
		var err error
		if avg, err = c.avgLength(field); err != nil {
			return err
		}
		c.avg[field] = avg
	}
	l := unionLeaf{uses: []leafUse{use}, avgLen: avg}
	if c.segs != nil {
		p, err := c.segs.postings(field, t)
		if err != nil {
			return err
		}
		p.locs = c.locs
		l.p, l.docFreq = p, p.count
	} else {
		tfr, err := c.r.TermFieldReader(c.ctx, []byte(t), field, true, true, false)
		if err != nil {
			return fmt.Errorf("postings of %s:%s: %w", field, t, err)
		}
		l.tfr, l.docFreq = tfr, tfr.Count()
	}
	c.byTerm[[2]string{field, t}] = len(c.leaves)
	l.idf = idf(avg, c.docs, l.docFreq)
	if avg > 0 {
		l.flat = search.BM25_k1 * (1 - search.BM25_b)
		l.perLen = search.BM25_k1 * search.BM25_b / avg
	}
	c.leaves = append(c.leaves, l)
	return nil
}

// avgLength is a field's mean length in words as Bleve's BM25 takes it,
// or 0 when the index scores by TF-IDF, which ignores lengths.
func (c *unionCompiler) avgLength(field string) (float64, error) {
	if !c.bm25 {
		return 0, nil
	}
	docs, card := c.docs, 0
	if st, ok := c.ctx.Value(search.BM25StatsKey).(*search.BM25Stats); ok {
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
	nodes  []unionNode
	leaves []unionLeaf
	count  uint64
	// live lists the leaves with postings left, and liveNodes, from the
	// last, the nodes above them: most terms of a word's tree (a synonym
	// in the English title, say) are in no record at all. The next record
	// is found by scanning the live leaves, a handful to a few dozen for
	// most queries; a heap was slower for those (faceted p99 at 100k
	// 110 ms against 85), and the time budget bounds the rare query of
	// many mistyped words with hundreds of near spellings.
	live      []int
	ats       []uint64 // the record each live leaf is on
	liveNodes []int
	at        []int // scratch: the places in live of the leaves on the current record
	started   bool
	gave      lastGiven
}

// lastGiven is the last record a searcher gave, and its score. Bleve's term
// searchers, asked to advance to a record at or before the one they gave
// last, give it again, and Bleve's boolean searcher relies on that when a
// filter advances it; Bleve's own disjunction gives the next record
// instead, and a filtered search then loses the optional part's score of
// the record. Giving it again keeps a record's score the same with or
// without a filter.
type lastGiven struct {
	given bool
	doc   uint64
	score float64
}

// give notes doc as given with score and returns it as a new match.
func (g *lastGiven) give(ctx *search.SearchContext, doc uint64, score float64) *search.DocumentMatch {
	g.given, g.doc, g.score = true, doc, score
	return g.again(ctx)
}

// again is the last record given, as a new match.
func (g *lastGiven) again(ctx *search.SearchContext) *search.DocumentMatch {
	dm := ctx.DocumentMatchPool.Get()
	dm.IndexInternalID = index.NewIndexInternalID(dm.IndexInternalID[:0], g.doc)
	dm.Score = g.score
	return dm
}

// covers reports whether a searcher asked to advance to record to should
// give its last record again: to is not past it.
func (g *lastGiven) covers(to uint64) bool { return g.given && to <= g.doc }

func newUnionSearcher(nodes []unionNode, leaves []unionLeaf) *unionSearcher {
	s := &unionSearcher{nodes: nodes, leaves: leaves}
	above := make([]bool, len(nodes))
	for i := range s.leaves {
		l := &s.leaves[i]
		s.count += l.count()
		if l.s == nil && l.count() == 0 {
			l.done = true
			continue
		}
		s.live = append(s.live, i)
		for _, u := range l.uses {
			for n := u.parent; n >= 0 && !above[n]; n = nodes[n].parent {
				above[n] = true
			}
		}
	}
	for n := len(nodes) - 1; n >= 0; n-- {
		if above[n] {
			s.liveNodes = append(s.liveNodes, n)
		}
	}
	s.SetQueryNorm(1 / math.Sqrt(s.Weight()))
	return s
}

// add adds the leaf's score on the current record to the node of each of
// its uses.
func (s *unionSearcher) add(l *unionLeaf) {
	base := l.base()
	for _, u := range l.uses {
		nd := &s.nodes[u.parent]
		nd.sum += u.mult * base
		nd.top = max(nd.top, u.mult*base)
		nd.matched++
	}
}

// base is the leaf's score on its current record before its use's
// multiplier: a searcher's own score, or a term's by Bleve's formula.
func (l *unionLeaf) base() float64 {
	switch {
	case l.ph != nil:
		return l.ph.score()
	case l.s != nil:
		return l.dm.Score
	case l.avgLen > 0:
		// BM25 as Bleve computes it, its constants folded ahead.
		tf := math.Sqrt(float64(l.tfd.Freq))
		return tf / (tf + l.flat + l.perLen/(l.tfd.Norm*l.tfd.Norm))
	}
	return math.Sqrt(float64(l.tfd.Freq)) * l.tfd.Norm
}

// read moves a leaf of segment postings to its next record (or its first
// at or after to) and takes that posting's frequency and norm; false when
// it has run out.
func (l *unionLeaf) read(to uint64, advance bool) (bool, error) {
	var ok bool
	var err error
	if advance {
		ok, err = l.p.advance(to)
	} else {
		ok, err = l.p.next()
	}
	if err != nil || !ok {
		return false, err
	}
	l.at, l.tfd.Freq, l.tfd.Norm = l.p.doc, l.p.freq, l.p.norm
	return true, nil
}

// move reads leaf i's next record (or its first at or after to).
func (s *unionSearcher) move(ctx *search.SearchContext, i int, to uint64, advance bool) error {
	l := &s.leaves[i]
	if l.ph != nil {
		// Moving a phrase only raises the first record it could be in;
		// resolve checks it when the union needs to know.
		if advance {
			l.at = max(l.at, to)
		} else {
			l.at++
		}
		l.pend = true
		return nil
	}
	if l.s != nil {
		return s.moveSearcher(ctx, l, to, advance)
	}
	if l.p != nil {
		ok, err := l.read(to, advance)
		l.done = !ok
		return err
	}
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

func (s *unionSearcher) moveSearcher(ctx *search.SearchContext, l *unionLeaf, to uint64, advance bool) error {
	if l.dm != nil {
		ctx.DocumentMatchPool.Put(l.dm)
		l.dm = nil
	}
	var err error
	if advance {
		var id [8]byte
		l.dm, err = l.s.Advance(ctx, index.NewIndexInternalID(id[:0], to))
	} else {
		l.dm, err = l.s.Next(ctx)
	}
	if err != nil {
		return err
	}
	if l.dm == nil {
		l.done = true
		return nil
	}
	l.at = l.dm.IndexInternalID.Value()
	return nil
}

// drop forgets the leaves that have run out.
func (s *unionSearcher) drop() {
	live, ats := s.live[:0], s.ats[:0]
	for _, i := range s.live {
		if l := &s.leaves[i]; !l.done {
			live = append(live, i)
			ats = append(ats, l.at)
		}
	}
	s.live, s.ats = live, ats
}

func (s *unionSearcher) start(ctx *search.SearchContext) error {
	s.started = true
	for _, i := range s.live {
		if l := &s.leaves[i]; l.ph != nil {
			l.at, l.pend = 0, true
			continue
		}
		if err := s.move(ctx, i, 0, false); err != nil {
			return err
		}
	}
	s.drop()
	return nil
}

// Next gives the next record that has any leaf.
func (s *unionSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	doc, score, ok, err := s.nextScored(ctx)
	if err != nil || !ok {
		return nil, err
	}
	return s.gave.give(ctx, doc, score), nil
}

// nextScored finds the next record that has any leaf, scores it and moves
// past it; false when there is none.
func (s *unionSearcher) nextScored(ctx *search.SearchContext) (doc uint64, score float64, ok bool, err error) {
	if !s.started {
		if err := s.start(ctx); err != nil {
			return 0, 0, false, err
		}
	}
	if len(s.live) == 0 {
		return 0, 0, false, nil
	}
	first, ended, err := s.resolve()
	if err != nil {
		return 0, 0, false, err
	}
	if ended {
		s.drop()
	}
	if first == math.MaxUint64 {
		return 0, 0, false, nil
	}
	s.at = s.at[:0]
	for k, at := range s.ats {
		if at == first && !s.leaves[s.live[k]].pend {
			s.at = append(s.at, k)
		}
	}
	ended = false
	for _, k := range s.at {
		i := s.live[k]
		l := &s.leaves[i]
		s.add(l)
		if err := s.move(ctx, i, 0, false); err != nil {
			return 0, 0, false, err
		}
		s.ats[k] = l.at
		ended = ended || l.done
	}
	if ended {
		s.drop()
	}
	// Children come after their parents, so one pass from the last node
	// folds each into its parent.
	var total float64
	for _, n := range s.liveNodes {
		nd := &s.nodes[n]
		if nd.matched == 0 {
			continue
		}
		sc := nd.sum * float64(nd.matched) / float64(nd.children)
		if nd.best {
			sc = nd.top
		}
		if nd.parent < 0 {
			total = sc
		} else {
			p := &s.nodes[nd.parent]
			p.sum += sc
			p.top = max(p.top, sc)
			p.matched++
		}
		nd.sum, nd.matched, nd.top = 0, 0, 0
	}
	return first, total, true, nil
}

// candidate implements part: the first record at or after to that a leaf
// could be on, its phrases unchecked.
func (s *unionSearcher) candidate(ctx *search.SearchContext, to uint64) (uint64, bool, error) {
	if !s.started {
		if err := s.start(ctx); err != nil {
			return 0, false, err
		}
	}
	ended := false
	for k, at := range s.ats {
		if at < to {
			i := s.live[k]
			if err := s.move(ctx, i, to, true); err != nil {
				return 0, false, err
			}
			s.ats[k] = s.leaves[i].at
			ended = ended || s.leaves[i].done
		}
	}
	if ended {
		s.drop()
	}
	if len(s.live) == 0 {
		return 0, false, nil
	}
	return slices.Min(s.ats), true, nil
}

// has implements part: a leaf other than a phrase is on doc, or a phrase
// that could be there is, checked there only.
func (s *unionSearcher) has(_ *search.SearchContext, doc uint64) (bool, error) {
	for k, at := range s.ats {
		if at == doc && !s.leaves[s.live[k]].pend {
			return true, nil
		}
	}
	found, ended := false, false
	for k, at := range s.ats {
		l := &s.leaves[s.live[k]]
		if at != doc || !l.pend {
			continue
		}
		var err error
		if found, err = l.check(doc + 1); err != nil {
			return false, err
		}
		s.ats[k] = l.at
		ended = ended || l.done
		if found {
			break
		}
	}
	if ended {
		s.drop()
	}
	return found, nil
}

// take implements part: the union's score on doc, where has found it, and
// the move past it.
func (s *unionSearcher) take(ctx *search.SearchContext, doc uint64) (float64, error) {
	got, score, ok, err := s.nextScored(ctx)
	switch {
	case err != nil:
		return 0, err
	case !ok || got != doc:
		return 0, fmt.Errorf("union: record %d accepted, then %d given (found %v)", doc, got, ok)
	}
	return score, nil
}

// resolve finds the union's next record: the first one a leaf is on, once
// the phrases that could come before it are checked up to it, and no
// further.
func (s *unionSearcher) resolve() (first uint64, ended bool, err error) {
	first = math.MaxUint64
	for k, at := range s.ats {
		if at < first && !s.leaves[s.live[k]].pend {
			first = at
		}
	}
	for k := range s.ats {
		l := &s.leaves[s.live[k]]
		if !l.pend || l.at > first {
			continue
		}
		limit := first
		if limit < math.MaxUint64 {
			limit++
		}
		found, err := l.check(limit)
		if err != nil {
			return 0, false, err
		}
		if found {
			first = min(first, l.at)
		}
		s.ats[k] = l.at
		ended = ended || l.done
	}
	return first, ended, nil
}

// check looks for a pending phrase leaf's next match from the first
// record it could be in, up to limit. Found, the leaf is on that record;
// else it has run out (done) or is pending from a later record.
func (l *unionLeaf) check(limit uint64) (found bool, err error) {
	doc, ok, err := l.ph.scan(l.at, limit)
	switch {
	case err != nil:
		return false, fmt.Errorf("phrase: %w", err)
	case ok:
		l.pend, l.at = false, doc
		return true, nil
	case l.ph.done:
		l.done = true
	default:
		l.at = doc
	}
	return false, nil
}

// Advance gives the first record at or after id that has any leaf and was
// not given before, or the last one given again when id is not past it. A
// leaf already there is not asked again: Bleve's term readers start over
// from the first record when asked to go back.
func (s *unionSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	if !s.started {
		if err := s.start(ctx); err != nil {
			return nil, err
		}
	}
	to := id.Value()
	if s.gave.covers(to) {
		return s.gave.again(ctx), nil
	}
	ended := false
	for k, at := range s.ats {
		if at < to {
			i := s.live[k]
			if err := s.move(ctx, i, to, true); err != nil {
				return nil, err
			}
			s.ats[k] = s.leaves[i].at
			ended = ended || s.leaves[i].done
		}
	}
	if ended {
		s.drop()
	}
	return s.Next(ctx)
}

func (s *unionSearcher) Close() error {
	var first error
	for i := range s.leaves {
		if err := s.leaves[i].close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Weight is Bleve's: the sum of each term's squared boost × idf.
func (s *unionSearcher) Weight() float64 { return leavesWeight(s.leaves) }

func (s *unionSearcher) SetQueryNorm(n float64) { setLeavesNorm(s.leaves, n) }

// leavesWeight is Bleve's weight of leaves: the sum of each term's squared
// boost × idf.
func leavesWeight(leaves []unionLeaf) float64 {
	var w float64
	for _, l := range leaves {
		if l.s != nil {
			w += l.s.Weight()
			continue
		}
		for _, u := range l.uses {
			w += (u.boost * l.idf) * (u.boost * l.idf)
		}
	}
	return w
}

// setLeavesNorm gives each use of leaves its multiplier under query norm
// n, as Bleve's term scorer weighs a term.
func setLeavesNorm(leaves []unionLeaf, n float64) {
	for i := range leaves {
		l := &leaves[i]
		if l.s != nil {
			l.s.SetQueryNorm(n)
			l.uses[0].mult = 1
			continue
		}
		for j := range l.uses {
			u := &l.uses[j]
			u.mult = u.boost * l.idf * n * l.idf
			if l.avgLen > 0 {
				u.mult *= search.BM25_k1
			}
		}
	}
}

func (s *unionSearcher) Count() uint64 { return s.count }
func (s *unionSearcher) Min() int      { return 0 }
func (s *unionSearcher) DocumentMatchPoolSize() int {
	n := 1
	for _, l := range s.leaves {
		if l.s != nil {
			n += 1 + l.s.DocumentMatchPoolSize()
		}
	}
	return n
}

func (s *unionSearcher) Size() int {
	return 64 + len(s.nodes)*40 + len(s.leaves)*160
}
