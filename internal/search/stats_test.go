package search

import (
	"context"
	"crypto/sha256"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"tiru/content"
	"tiru/internal/kb"
)

// The synonym definitions that live in the index beside the records are
// not documents: words without synonyms score the same whether the shipped
// list is loaded or an empty one. In this collection of three records the
// list's definitions would otherwise outnumber the records forty to one,
// and flatten the weight of rare words.
func TestSynonymDefinitionsDoNotWeighWords(t *testing.T) {
	none, err := ParseSynonyms(strings.NewReader("# no synonyms\n"))
	if err != nil {
		t.Fatal(err)
	}
	b := testBuilder(t)
	docs := []*Document{
		b.Innovation(1, &kb.Innovation{Slug: "pojok", Title: "Pojok Baca Digital di Kantor Kelurahan", Region: "63.03", Language: "id", Visibility: "public",
			Summary: "Pojok baca dengan tablet pinjaman untuk warga yang menunggu layanan."}, "2024-10-22T00:00:00Z", nil),
		b.Innovation(2, &kb.Innovation{Slug: "kelurahan", Title: "Layanan Surat Kelurahan Daring", Region: "63.03", Language: "id", Visibility: "public",
			Summary: "Warga mengajukan surat keterangan dari rumah."}, "2024-10-22T00:00:00Z", nil),
		b.Innovation(3, &kb.Innovation{Slug: "pasar", Title: "Retribusi Pasar Nontunai", Region: "63.03", Language: "id", Visibility: "public",
			Summary: "Pedagang membayar retribusi harian dengan kode QR."}, "2024-10-22T00:00:00Z", nil),
	}
	scores := func(syn *Synonyms) map[string]float64 {
		ix, _, err := Open(filepath.Join(t.TempDir(), "index.bleve"), Options{Synonyms: syn})
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		if err := ix.Apply(docs, nil); err != nil {
			t.Fatal(err)
		}
		ix.MarkReady()
		out := map[string]float64{}
		for _, q := range []string{"pojok baca", "tablet", "harian", "keterangan"} {
			res, err := ix.Search(context.Background(), Request{Query: q, Facets: []string{}})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) == 0 {
				t.Fatalf("%q found nothing", q)
			}
			for _, h := range res.Hits {
				out[q+" "+h.Slug] = h.Score
			}
		}
		return out
	}
	with, without := scores(testSynonyms(t)), scores(none)
	if len(with) != len(without) {
		t.Fatalf("found %v with the shipped synonyms, %v without", with, without)
	}
	for k, s := range without {
		if math.Abs(with[k]-s) > 1e-9*s {
			t.Errorf("%s scores %.6f with the shipped synonyms, %.6f without", k, with[k], s)
		}
	}
}

// Region aliases go into every record's document (see regionWords), so an
// index built before a change to aliases.csv lacks the new names until it
// is rebuilt, and only a new documentVersion rebuilds it on upgrade. When
// this fails, raise documentVersion and record the new pair here.
func TestAliasChangesRaiseDocumentVersion(t *testing.T) {
	sum := sha256.Sum256(content.Aliases())
	got := fmt.Sprintf("%d %x", documentVersion, sum[:6])
	if want := "9 c159f9d21cd2"; got != want {
		t.Errorf("documentVersion and aliases.csv are %q, recorded %q: an index built with other aliases would not be rebuilt", got, want)
	}
}
