package search

import (
	"context"
	"slices"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
)

// withStatistics gives the searches run in ctx the collection statistics
// that BM25 scores by, counted over the records of r only.
//
// Bleve kept Tiru's synonym definitions in the index beside the records
// (they are no longer written there, see thesaurus) and counted them as
// documents, as it would anything else the index came to hold besides
// records. In a new installation of ten records, every word was then
// weighed as if the collection held 136: a word in one
// record weighed 1.4 times a word in half the records, where it should
// weigh 2.9 times, so a rare word that names the need barely outranked a
// common one. A field's mean length is Bleve's own measure (the size of
// the field's dictionary over the documents), also over the records.
//
// Bleve's term searchers take these statistics from the context when they
// are there, as they do for an alias of several indexes; the union's
// leaves (see unionCompiler) take them from there too.
func (ix *Index) withStatistics(ctx context.Context, r index.IndexReader) (context.Context, error) {
	n := records(r)
	br, ok := r.(index.BM25Reader)
	if n == 0 || !ok {
		return ctx, nil
	}
	st := &search.BM25Stats{DocCount: float64(n), FieldCardinality: make(map[string]int, len(ix.fields))}
	// Every field of the mapping, including those no record has yet: a
	// term searcher fails on a field missing from the statistics.
	for _, f := range ix.fields {
		c, err := br.FieldCardinality(f)
		if err != nil {
			return nil, err
		}
		st.FieldCardinality[f] = c
	}
	return context.WithValue(ctx, search.BM25StatsKey, st), nil
}

// indexedFields lists the names of the fields m indexes, in every
// document type.
func indexedFields(m *mapping.IndexMappingImpl) []string {
	var out []string
	var walk func(path string, dm *mapping.DocumentMapping)
	walk = func(path string, dm *mapping.DocumentMapping) {
		for _, f := range dm.Fields {
			name := f.Name
			if name == "" {
				name = path
			}
			out = append(out, name)
		}
		for p, sub := range dm.Properties {
			if path != "" {
				p = path + "." + p
			}
			walk(p, sub)
		}
	}
	for _, dm := range m.TypeMapping {
		walk("", dm)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
