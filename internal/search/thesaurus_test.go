package search

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
)

// The thesaurus made from the list answers every look-up as Bleve's own
// would, had the list's groups been written into the index as synonym
// definitions: the same synonyms, as often, for every member of the
// shipped list under both synonym sources, so that keeping it out of the
// index changed no search.
func TestThesaurusAnswersAsBleveWould(t *testing.T) {
	syn := testSynonyms(t)
	m, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	ours, err := newThesaurus(syn, m)
	if err != nil {
		t.Fatal(err)
	}
	idx, err := bleve.NewUsing(filepath.Join(t.TempDir(), "index.bleve"), m, scorch.Name, scorch.Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	b := idx.(bleve.SynonymIndex).NewBatch()
	for i, words := range syn.definitions() {
		if err := b.IndexSynonym(fmt.Sprintf("synonym:%d", i), SynonymCollection, &bleve.SynonymDefinition{Synonyms: words}); err != nil {
			t.Fatal(err)
		}
	}
	if err := idx.Batch(b); err != nil {
		t.Fatal(err)
	}
	adv, err := idx.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	read := func(tr index.ThesaurusReader, source, term string) []string {
		rd, err := tr.ThesaurusTermReader(context.Background(), source, []byte(term))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for s, err := rd.Next(); s != ""; s, err = rd.Next() {
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		slices.Sort(out)
		return out
	}
	looked := 0
	for source, terms := range ours {
		for term := range terms {
			bleves, got := read(r.(index.ThesaurusReader), source, term), read(thesaurusReader{t: ours}, source, term)
			if !slices.Equal(bleves, got) {
				t.Errorf("%s %q: Bleve's synonyms %v, the thesaurus's %v", source, term, bleves, got)
			}
			looked++
		}
		if got := read(thesaurusReader{t: ours}, source, "tidakadakata"); len(got) != 0 {
			t.Errorf("%s: a word of no group has synonyms %v", source, got)
		}
	}
	if looked < 500 {
		t.Errorf("only %d terms looked up; the list should give many more", looked)
	}
}
