package search

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"

	"tiru/internal/search/indonesian"
)

// Document is what the index holds for one innovation or visit. Its
// language decides which stemmed field its text goes to: documents of type
// "id" get the Indonesian stemmer, "en" the English analyzer. Both also go
// to the exact fields, so a word as written always ranks first.
type Document struct {
	ID    int64  `json:"-"`
	Lang  string `json:"lang"` // the mapping type: "id" or "en"
	Kind  string `json:"kind"` // "innovation" or "visit"
	Slug  string `json:"slug"`
	Title string `json:"title"`
	Text  string `json:"text"` // summary, problem, solution, results, write-up, people
	Meta  string `json:"meta"` // agency, region and province names and aliases, tags, partners
	// Place holds the names of the place where the record happened (an
	// innovation's region, a visit's host, not its visitors), each whole,
	// lower-cased and without "Kota" or "Kabupaten": "surakarta", "solo",
	// "jawa tengah", "jateng". A place named in the query ranks the
	// records at that place up (see places).
	Place []string `json:"place"`
	// From holds, the same way, the names of the place a visit's visitors
	// came from ("studi tiru dari Banjar").
	From      []string `json:"from"`
	Region    string   `json:"region"`
	Province  string   `json:"province"`
	Regions   []string `json:"regions"` // every region it concerns, for the region filter (both sides of a visit)
	Urusan    []string `json:"urusan"`
	Stage     string   `json:"stage"`
	InnovType string   `json:"type"`
	Evidence  string   `json:"evidence"`
	Adoption  []string `json:"adoption"`  // statuses of its adoptions
	Adoptions string   `json:"adoptions"` // how many adoptions, as sortCount

	Year       string   `json:"year"`
	Month      []string `json:"month"` // a visit's start, "2024-10" and "10", which a month named in a query ranks up
	Visibility string   `json:"visibility"`
	Owners     []string `json:"owners"`  // regions whose staff may read it when internal
	Facets     []string `json:"facets"`  // "facet:value" of each facet, for counting
	Updated    string   `json:"updated"` // when it last changed, as sortTime
	// Sum is the document's Fingerprint, set when it is indexed and stored
	// (not searched), so `tiru check` can find documents that are out of
	// date, not only missing or extra.
	Sum string `json:"sum"`
}

// BleveType implements Bleve's bleveClassifier, choosing the analysis by
// language.
func (d *Document) BleveType() string {
	if d.Lang == "en" {
		return "en"
	}
	return "id"
}

// Field names of the index.
const (
	fTitle     = "title"
	fTitleID   = "title_id"
	fTitleEN   = "title_en"
	fText      = "text"
	fTextID    = "text_id"
	fTextEN    = "text_en"
	fMeta      = "meta"
	fPlace     = "place"
	fFrom      = "from"
	fFacets    = "facets"
	fSum       = "sum"
	synonymsID = "syn_id"
	synonymsEN = "syn_en"
	// SynonymCollection is the collection Tiru's synonym definitions live in.
	SynonymCollection = "tiru"
)

func textField(analyzer string, store bool, name, syn string) *mapping.FieldMapping {
	f := mapping.NewTextFieldMapping()
	f.Analyzer = analyzer
	f.Store = store
	f.IncludeTermVectors = store // highlighting needs them on the stored fields
	f.IncludeInAll = false
	f.DocValues = false
	f.Name = name
	f.SynonymSource = syn
	return f
}

// keywordField maps a field matched as a whole. None keeps doc values:
// facets are counted from postings, and sorting uses the numeric fields.
func keywordField(store bool) *mapping.FieldMapping {
	f := mapping.NewKeywordFieldMapping()
	f.Analyzer = keyword.Name
	f.Store = store
	f.IncludeInAll = false
	f.IncludeTermVectors = false
	f.DocValues = false
	return f
}

// newMapping builds the explicit index mapping: no dynamic fields, no _all.
func newMapping() (*mapping.IndexMappingImpl, error) {
	m := mapping.NewIndexMapping()
	if err := addAnalyzers(m); err != nil {
		return nil, err
	}
	for name, an := range map[string]string{synonymsID: AnalyzerStemID, synonymsEN: AnalyzerEN} {
		if err := m.AddSynonymSource(name, map[string]interface{}{"collection": SynonymCollection, "analyzer": an}); err != nil {
			return nil, fmt.Errorf("synonym source %s: %w", name, err)
		}
	}
	// BM25 saturates repeated words, so a record that says "rumah" ten times
	// does not outrank one that matches more of what was asked.
	m.ScoringModel = index.BM25Scoring
	m.TypeField = "lang"
	m.DefaultAnalyzer = AnalyzerExact
	m.IndexDynamic, m.StoreDynamic, m.DocValuesDynamic = false, false, false
	for _, lang := range []string{"id", "en"} {
		dm := mapping.NewDocumentStaticMapping()
		// No _all field: every query names its fields, and Bleve would
		// still build an empty composite field for every document.
		dm.AddSubDocumentMapping("_all", mapping.NewDocumentDisabledMapping())
		stemmed, stemName, syn := AnalyzerInflectedID, "_id", synonymsID
		if lang == "en" {
			stemmed, stemName, syn = AnalyzerEN, "_en", synonymsEN
		}
		// Synonyms expand in the stemmed fields only: a word as typed then
		// ranks above its synonyms, and phrases (which go to the exact
		// fields) stay exact. Bleve 2.6 also fails a phrase whose words
		// have synonyms in the field's source.
		dm.AddFieldMappingsAt("title", textField(AnalyzerExact, true, fTitle, ""), textField(stemmed, false, "title"+stemName, syn))
		dm.AddFieldMappingsAt("text", textField(AnalyzerExact, true, fText, ""), textField(stemmed, false, "text"+stemName, syn))
		// Stemmed, names of places and agencies and tags join the text in
		// one field (a field less to index and to search, measured to rank
		// as well as a field of their own); they are never stemmed by
		// English rules.
		// The exact meta field keeps word positions so that phrases
		// ("bank sampah" as a tag, "Kota Surakarta", "kunjungan kerja" as
		// a visit's type) match there too.
		metaExact := textField(AnalyzerExact, false, fMeta, "")
		metaExact.IncludeTermVectors = true
		dm.AddFieldMappingsAt("meta", metaExact, textField(AnalyzerInflectedID, false, fTextID, synonymsID))
		dm.AddFieldMappingsAt(fPlace, keywordField(false))
		dm.AddFieldMappingsAt(fFrom, keywordField(false))
		// Facets are counted from the postings of the one facets field
		// (see facetColumn), so no field keeps doc values for them; the
		// others are for filtering and showing.
		for _, k := range []string{"kind", "slug", "region"} {
			dm.AddFieldMappingsAt(k, keywordField(true))
		}
		for _, k := range []string{"province", "regions", "urusan", "stage", "type", "evidence", "adoption", "year", "month", "visibility", "owners", "lang"} {
			dm.AddFieldMappingsAt(k, keywordField(false))
		}
		dm.AddFieldMappingsAt(fFacets, keywordField(false))
		sum := keywordField(true)
		sum.Index = false
		dm.AddFieldMappingsAt(fSum, sum)
		// The sort keys are one term each, kept as doc values for sorting.
		// As Bleve numbers and dates they were sixteen terms each (its
		// prefix coding for range queries, which Tiru never asks), most of
		// them in no other record: a tenth more work for every batch.
		for _, k := range []string{"adoptions", "updated"} {
			f := keywordField(false)
			f.DocValues = true
			dm.AddFieldMappingsAt(k, f)
		}
		m.AddDocumentMapping(lang, dm)
	}
	m.DefaultMapping = mapping.NewDocumentDisabledMapping()
	return m, nil
}

// stemProbe is a fixed set of words whose stems go into the mapping
// version, so a change to the stemmer's rules forces a rebuild just like a
// change to the mapping does.
var stemProbe = []string{"melaporkan", "pengaduan", "pelayanan", "pemerintah", "menerapkan", "kependudukan", "perizinan",
	"digitalisasi", "antrean", "memukul", "berinovasi", "keberhasilan", "pembangunan", "mengelola", "kebijakan", "dipilah",
	"penduduk", "pemerataan", "disabilitas", "pemberitahuan", "keliling", "tunggakan", "balai"}

// tokenProbe is text whose tokens go into MappingVersion, so that a
// change to how wordTokenizer splits words rebuilds the indexes split the
// old way.
const tokenProbe = "e-KTP wi-fi H-1 Rp10.000, naïve 2024 \xff x"

// documentVersion counts the changes to what Builder puts in a record's
// document beyond the mapping (2: a region's province aliases, so "Kalsel"
// finds Kabupaten Banjar; 3: the aliases of content/aliases.csv gained
// regions' nicknames, such as "Kota Daeng" and "Kukar"; 4: "Serambi
// Mekkah" for Aceh; 5: an innovation's adopting regions among its owners;
// 6: nicknames in the place field only, and more of them; 7: a region's
// whole name in the place field, "kabupaten banjar" beside "banjar"; 8:
// the short names regencies go by in the news, "Lotim", "Konsel",
// "Sergai"; 9: the names of a visit's attachments). Raising it makes
// indexes built before rebuild, instead
// of lacking the new words until each record is edited. Every change to
// aliases.csv must raise it.
const documentVersion = 9

// MappingVersion identifies the mapping, the analysis and the documents'
// contents. The index stores the version it was built with; a different
// one means it must be rebuilt.
func MappingVersion() (string, error) {
	m, err := newMapping()
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "", fmt.Errorf("encode mapping: %w", err)
	}
	h := sha256.New()
	h.Write(b)
	for _, w := range stemProbe {
		h.Write([]byte(w + "=" + indonesian.Stem(w) + ";"))
	}
	// The tokenizer is code, not mapping: its words for a text that tries
	// its rules stand for it.
	for _, tok := range (wordTokenizer{}).Tokenize([]byte(tokenProbe)) {
		fmt.Fprintf(h, "%s@%d;", tok.Term, tok.Position)
	}
	fmt.Fprintf(h, "documents=%d;", documentVersion)
	return "1-" + hex.EncodeToString(h.Sum(nil))[:12], nil
}
