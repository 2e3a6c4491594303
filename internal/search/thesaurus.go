package search

import (
	"context"
	"fmt"
	"slices"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// thesaurus is the one-word part of the synonym list as the stemmed and
// English fields' synonym sources read it: for each source, each member
// as its analyzer leaves it, with the others of its groups.
//
// Bleve would keep it in the index, as synonym definitions written like
// records, and read it back from every segment for every query. It is
// kept here instead, made from the list when the index opens. Kept in the
// index, every edit of the list left the definitions it replaced in the
// segments as deleted records; a merge of segments whose definitions were
// all deleted wrote an empty thesaurus that Bleve then refused to read
// ("no synonyms found"), and every search with a synonym failed from then
// on. The pushed definitions also stayed one more small segment that
// every query paid for (10–25%) until Bleve merged it away.
type thesaurus map[string]map[string][]string

// newThesaurus analyses the one-word members of the list's groups as each
// synonym source does. A member its analyzer makes no token or several
// tokens of is left out, as Bleve leaves it out of a definition; a member
// marked as written ("=pengadaan") stands for itself alone.
func newThesaurus(s *Synonyms, m mapping.IndexMapping) (thesaurus, error) {
	t := thesaurus{}
	for source, analyzer := range map[string]string{synonymsID: AnalyzerStemID, synonymsEN: AnalyzerEN} {
		a := m.AnalyzerNamed(analyzer)
		if a == nil {
			return nil, fmt.Errorf("synonym source %s: no analyzer %s", source, analyzer)
		}
		terms := map[string][]string{}
		for _, g := range s.definitions() {
			var ts []string
			for _, w := range g {
				if toks := a.Analyze([]byte(w)); len(toks) == 1 {
					ts = append(ts, string(toks[0].Term))
				}
			}
			// As Bleve keeps a definition: each member with every other
			// once, one that analyses alike included, and a term of two
			// definitions with the others of both, twice if need be.
			own := map[string][]string{}
			for i, x := range ts {
				for j, y := range ts {
					if i != j && !slices.Contains(own[x], y) {
						own[x] = append(own[x], y)
					}
				}
			}
			for x, ys := range own {
				terms[x] = append(terms[x], ys...)
			}
		}
		t[source] = terms
	}
	return t, nil
}

// definitions are the groups' one-word members that stand for others: what
// the stemmed and English fields expand through their synonym sources.
func (s *Synonyms) definitions() [][]string {
	if s == nil {
		return nil
	}
	var defs [][]string
	for _, g := range s.groups {
		var words []string
		for _, m := range g {
			if oneWord(m) && !s.asWritten[m] {
				words = append(words, m)
			}
		}
		if len(words) >= 2 {
			defs = append(defs, words)
		}
	}
	return defs
}

// thesaurusKey carries an index's thesaurus in a search's context, to the
// queries of this package that look up synonyms for their own parts.
type thesaurusKey struct{}

// synonymsFor looks up the synonyms of q's terms in the thesaurus carried
// by ctx, for the fields with a synonym source: what Bleve would look up
// in the index. Without a thesaurus in ctx there are none.
func synonymsFor(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, q query.Query) (search.FieldTermSynonymMap, error) {
	t, ok := ctx.Value(thesaurusKey{}).(thesaurus)
	sm, mok := m.(mapping.SynonymMapping)
	if !ok || !mok {
		return search.FieldTermSynonymMap{}, nil
	}
	fts, err := query.ExtractSynonyms(ctx, sm, thesaurusReader{IndexReader: r, t: t}, q, nil)
	if err != nil {
		return nil, fmt.Errorf("synonyms: %w", err)
	}
	if fts == nil {
		// Never nil: Bleve reads the index's own thesaurus when it is given
		// none.
		fts = search.FieldTermSynonymMap{}
	}
	return fts, nil
}

// thesaurusReader answers Bleve's synonym look-ups from a thesaurus, for an
// index reader.
type thesaurusReader struct {
	index.IndexReader
	t thesaurus
}

// ThesaurusTermReader implements index.ThesaurusReader.
func (r thesaurusReader) ThesaurusTermReader(_ context.Context, name string, term []byte) (index.ThesaurusTermReader, error) {
	return &synonymList{syns: r.t[name][string(term)]}, nil
}

// ThesaurusKeys implements index.ThesaurusReader. Tiru asks for synonyms
// of whole terms only; the key readers list none.
func (r thesaurusReader) ThesaurusKeys(string) (index.ThesaurusKeys, error) { return noKeys{}, nil }

// ThesaurusKeysFuzzy implements index.ThesaurusReader (see ThesaurusKeys).
func (r thesaurusReader) ThesaurusKeysFuzzy(string, string, int, string) (index.ThesaurusKeys, error) {
	return noKeys{}, nil
}

// ThesaurusKeysRegexp implements index.ThesaurusReader (see ThesaurusKeys).
func (r thesaurusReader) ThesaurusKeysRegexp(string, string) (index.ThesaurusKeys, error) {
	return noKeys{}, nil
}

// ThesaurusKeysPrefix implements index.ThesaurusReader (see ThesaurusKeys).
func (r thesaurusReader) ThesaurusKeysPrefix(string, []byte) (index.ThesaurusKeys, error) {
	return noKeys{}, nil
}

// synonymList reads out one term's synonyms.
type synonymList struct {
	syns []string
	i    int
}

func (l *synonymList) Next() (string, error) {
	if l.i == len(l.syns) {
		return "", nil
	}
	l.i++
	return l.syns[l.i-1], nil
}

func (l *synonymList) Close() error { return nil }

func (l *synonymList) Size() int { return len(l.syns) }

type noKeys struct{}

func (noKeys) Next() (*index.ThesaurusEntry, error) { return nil, nil }

func (noKeys) Close() error { return nil }

// searchIn runs sr with the index's thesaurus: in ctx for the queries of
// this package, which look up their own parts' synonyms, and as the
// synonyms of Bleve's own queries looked up already, so that Bleve never
// reads a thesaurus from the index. The caller holds ix.mu.
func (ix *Index) searchIn(ctx context.Context, sr *bleve.SearchRequest) (*bleve.SearchResult, error) {
	ctx = context.WithValue(ctx, thesaurusKey{}, ix.thes)
	// Bleve's look-up reads only the thesaurus, never the records.
	fts, err := synonymsFor(ctx, nil, ix.idx.Mapping(), sr.Query)
	if err != nil {
		return nil, err
	}
	pre := map[string]interface{}{search.SynonymPreSearchDataKey: fts}
	for k, v := range sr.PreSearchData {
		if k != search.SynonymPreSearchDataKey {
			pre[k] = v
		}
	}
	sr.PreSearchData = pre
	return ix.idx.SearchInContext(ctx, sr)
}
