package search

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
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
	MaxPhrases    = 4 // quoted phrases, each of at most MaxTerms words
	MaxPerPage    = 50
	// MaxWindow is how many results paging reaches: a page asks Bleve for
	// every hit before it, so deeper pages would cost without bound. A
	// page past them has no hits, but the total and facets of the search.
	MaxWindow = 2000
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

// facetFields lists the facets, in the order pages show them.
var facetFields = []string{"kind", "province", "region", "urusan", "stage", "type", "evidence", "adoption", "year"}

// FacetFields returns the facets, in the order pages show them; the list
// is a copy, so no caller can change another's.
func FacetFields() []string { return slices.Clone(facetFields) }

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
	// Facets lists the facets to count: nil counts all of facetFields, an
	// empty slice none (counting costs a few steps per matching record).
	Facets []string
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
// rest of the query; a phrase must then match as written. Every other
// symbol is just a separator: Bleve's query string syntax is never
// interpreted.
func phrases(q string) (rest string, quoted []string) {
	if strings.Count(q, `"`)%2 != 0 {
		return strings.ReplaceAll(q, `"`, " "), nil
	}
	parts := strings.Split(q, `"`)
	var b strings.Builder
	for i, p := range parts {
		if i%2 == 0 {
			b.WriteString(p + " ")
		} else if t := strings.TrimSpace(p); t != "" {
			quoted = append(quoted, t)
		}
	}
	return strings.TrimSpace(b.String()), quoted
}

func match(text, field string, boost float64) query.Query {
	q := bleve.NewMatchQuery(text)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

// stemmed matches text in a stemmed field, stemming every word of the
// query (the field itself holds only the stems of inflected words).
func stemmed(text, field string, boost float64) query.Query {
	q := bleve.NewMatchQuery(text)
	q.SetField(field)
	q.SetBoost(boost)
	q.Analyzer = AnalyzerStemID
	return q
}

func phrase(text, field string, boost float64) query.Query {
	return &phraseQuery{text: text, field: field, boost: boost}
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

// records counts the innovations and visits in the index (not the synonym
// definitions that live there too).
func records(r index.IndexReader) uint64 {
	return docFreq(r, "kind", "innovation") + docFreq(r, "kind", "visit")
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
	if strings.Trim(t, "0123456789") == "" {
		// A number is meant as typed: "2025" respelt "2023" brought
		// the records of another year, ranked up as of that year.
		return 0
	}
	switch n := utf8.RuneCountInString(t); {
	case n < 4:
		return 0
	case n < 8:
		return 1
	default:
		return 2
	}
}

// A word found in more than one record in commonShare adds to the score but
// is not required (BM25 already gives it little weight): in "aplikasi
// pengaduan warga", "pengaduan" decides what matches and "aplikasi" and
// "warga" only order it. Requiring them would drop complaint services that
// never say "aplikasi" and make every query cost as much as its commonest
// word.
const commonShare = 4

// minStrictHits is how many records must have every required word for a
// search not to widen to records that have only some of them.
const minStrictHits = 10

// textPlan is the scored part of a search.
type textPlan struct {
	// strict requires every quoted phrase and every word that is not common
	// (or a synonym of it); common words and the words' nearness add to
	// the score.
	strict query.Query
	// loose requires only one of the words; nil when it would find what
	// strict finds.
	loose      query.Query
	suggestion string     // a respelling of the query, when some words match nothing as written
	marks      []string   // the words to mark in titles and snippets
	phrases    [][]string // and the wordings of several words, as their words
}

// concept is one query word as a disjunction across the exact, stemmed and
// English fields, and, when the word matches nothing as written, its near
// spellings below every exact match, and, when it is the word still being
// typed (open), the words it begins. It also returns the word to suggest in
// its place, whether that is a respelling, and whether the word matches
// nothing at all, neither as written nor spelt nearly.
func (ix *Index) concept(r index.IndexReader, w string, qctx *queryContext, open bool) (q query.Query, suggest string, respelt, unmatched bool) {
	qs := ix.written(w, 1)
	fz := fuzziness(w)
	if qctx.acronyms[w] || qctx.placed[w] || monthOf(w) > 0 || (indonesian.IsConnective(w) && !open) {
		// Nor is a month's name a typo: "juli" was respelt "judi"
		// (gambling), since a visit's month is a field, not a word. Nor
		// a connective no record has ("ga usah antri" offered "usaha"),
		// unless it is still being typed.
		fz = 0
	}
	// Neither an acronym nor a number is completed: "2025" is not the
	// start of "20250". (fz is 0 for them, but also for every word under
	// four letters, which must still complete: "ret" is "retribusi".)
	completing := open && utf8.RuneCountInString(w) >= minCompletion && !qctx.acronyms[w] && strings.Trim(w, "0123456789") != ""
	if !qctx.unfound[w] {
		if ix.found(r, w) {
			return union(qs...), w, false, false
		}
		if root := ix.informalRoot(r, w); root != "" && qctx.shows(root) {
			// Not a typo: the informal form of a word the index has
			// ("ngurus", "numpuk"). The root stands in for it, as typed.
			return union(append(qs, ix.written(root, 1)...)...), root, false, false
		}
	}
	if fz == 0 && !completing {
		return union(qs...), w, false, true
	}
	near := map[string][]nearWord{}
	if fz > 0 {
		near = nearWords(r, w, fz)
	}
	if completing {
		addCompletions(r, w, near)
	}
	for _, f := range fuzzyFields() {
		// As Bleve's fuzzy query scores them: each near word at the boost
		// over one plus its edits.
		var alts []query.Query
		for _, c := range near[f] {
			alts = append(alts, boosted(term(c.term, f), fuzzyBoost/float64(1+c.edits)))
		}
		if len(alts) > 0 {
			qs = append(qs, bleve.NewDisjunctionQuery(alts...))
		}
	}
	best := respell(r, near, qctx)
	if best == "" {
		none := true
		for _, ws := range near {
			none = none && len(ws) == 0
		}
		return union(qs...), w, false, none
	}
	// Search the likeliest respelling as a typed word, synonyms and all, a
	// little below the words typed correctly.
	qs = append(qs, ix.written(best, respeltWeight)...)
	return union(qs...), best, true, false
}

// found reports whether w's query finds anything without near spellings:
// the word as written, its stem, or one of its synonyms. A correctly
// spelt word that only its inflections match ("melaporkan" in a
// collection that says "laporan") is no typo, and must not be respelt.
func (ix *Index) found(r index.IndexReader, w string) bool {
	if ix.opt.Synonyms.listed(w) {
		// A word of the synonym list is a known word, not a typo, even
		// where only its wordings of several words occur: "pemda" in
		// write-ups that say "pemerintah daerah".
		return true
	}
	for _, v := range append([]string{w}, ix.opt.Synonyms.equivalents(w)...) {
		if strings.Contains(v, " ") {
			continue // a phrase; its words are looked up on their own
		}
		if docFreq(r, fTitle, v)+docFreq(r, fText, v)+docFreq(r, fMeta, v) > 0 {
			return true
		}
		// The stemmed fields hold the stems of inflected words, so a root
		// typed bare is found there too: "urus" where write-ups only say
		// "pengurusan" (it used to be respelt "arus").
		st := indonesian.Stem(v)
		if docFreq(r, fTitleID, st)+docFreq(r, fTextID, st) > 0 || (st != v && docFreq(r, fText, st) > 0) {
			return true
		}
	}
	// A word of an English write-up, as the English fields hold it:
	// "request" where write-ups say "requests" was respelt as the plural,
	// and "talent" as the Indonesian "talenta".
	if ix.english != nil {
		for _, tok := range ix.english.Analyze([]byte(w)) {
			if docFreq(r, fTitleEN, string(tok.Term))+docFreq(r, fTextEN, string(tok.Term)) > 0 {
				return true
			}
		}
	}
	return false
}

// informalRoot is the first of the roots w's informal form may come from
// (see indonesian.InformalRoots) that the index has as written, a word or
// the stem of one, or "". Found through a stem of its own, a candidate
// proves nothing: "pertanain", a typo, would be "pertana" without its
// -in, whose stem "tana" is a place name.
func (ix *Index) informalRoot(r index.IndexReader, w string) string {
	for _, c := range indonesian.InformalRoots(w) {
		if indonesian.IsStopWord(c) {
			continue
		}
		for _, f := range []string{fTitle, fText, fMeta, fTitleID, fTextID} {
			if docFreq(r, f, c) > 0 {
				return c
			}
		}
	}
	return ""
}

// respeltWeight weighs a respelt word against a word typed correctly.
const respeltWeight = 0.7

// written is the query for a word as typed, its weights times k: the word
// and its synonyms across the exact, stemmed and English fields.
func (ix *Index) written(w string, k float64) []query.Query {
	// The stemmed fields expand one-word synonyms through Bleve; the exact
	// fields have no synonym source (so phrases stay exact), so they are
	// expanded here the way Bleve does it: each synonym at half the weight.
	eq := ix.opt.Synonyms.equivalents(w)
	// The stemmed fields hold only the stems of inflected words (see
	// AnalyzerInflectedID). A word that is its own stem is found as written
	// in the exact fields, which then weigh as the exact and stemmed
	// fields together did (and so do its synonyms that are their own
	// stems); an inflected word's root as written ("lapor" for
	// "melaporkan") is looked for in the exact fields, like a stemmed
	// match.
	st := indonesian.Stem(w)
	own := st == w
	eqOwn := make([]bool, len(eq))
	for i, e := range eq {
		eqOwn[i] = indonesian.Stem(e) == e
	}
	exact := func(f string, boost, stemBoost float64) query.Query {
		b := boost
		if own {
			b += stemBoost
		}
		qs := []query.Query{match(w, f, b*k)}
		for i, e := range eq {
			eb := boost / 2
			if eqOwn[i] {
				eb = b / 2
			}
			qs = append(qs, match(e, f, eb*k))
		}
		if len(qs) == 1 {
			return qs[0]
		}
		return bleve.NewDisjunctionQuery(qs...)
	}
	qs := []query.Query{
		exact(fTitle, 3, 2), exact(fText, 1.5, 1), exact(fMeta, 2, 1),
		stemmed(w, fTitleID, 2*k), stemmed(w, fTextID, k),
		match(w, fTitleEN, 2*k), match(w, fTextEN, k),
	}
	if !own {
		qs = append(qs, match(st, fTitle, 2*k), match(st, fText, k))
	}
	return qs
}

// acronyms returns the words of q typed in capitals, two to six letters
// long, lower-cased: "TPID" and "ETLE", not "Solo" or "KTP-el"'s "el".
func acronyms(q string) map[string]bool {
	var out map[string]bool
	for _, f := range strings.FieldsFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if n := utf8.RuneCountInString(f); n < 2 || n > 6 || strings.ToUpper(f) != f || strings.ToLower(f) == f {
			continue
		}
		if out == nil {
			out = map[string]bool{}
		}
		out[strings.ToLower(f)] = true
	}
	return out
}

// afterPrefixWeight weighs the word after a letter-alone prefix against
// the joined word. It is a fallback: "e-government" asks for SPBE, and a
// record that only says "government" (in its title, say) should come after
// one that says "e-government" (in its tags, say). A tenth did that on
// every such query tried; the judged queries score the same from 0.0001
// to 0.5.
const afterPrefixWeight = 0.1

// afterPrefix returns the word after the prefix when w was written in
// query q (lower-cased) with a letter-alone prefix ("e-kinerja" for
// "ekinerja"; see wordTokenizer), or "".
func afterPrefix(q, w string) string {
	_, size := utf8.DecodeRuneInString(w)
	if size >= len(w) {
		return ""
	}
	written := w[:size] + "-" + w[size:]
	// As a whole word: "pre-ktp" and "e-ktpku" hold "e-ktp" but are not it.
	for from := 0; ; {
		i := strings.Index(q[from:], written)
		if i < 0 {
			return ""
		}
		i += from
		before, _ := utf8.DecodeLastRuneInString(q[:i])
		after, _ := utf8.DecodeRuneInString(q[i+len(written):])
		startOK := i == 0 || !unicode.IsLetter(before) && !unicode.IsDigit(before)
		endOK := i+len(written) == len(q) || !unicode.IsLetter(after) && !unicode.IsDigit(after)
		if startOK && endOK {
			return w[size:]
		}
		from = i + 1
	}
}

// textQuery plans the scored part of a search for q (nil strict when q has
// no words). Each query word is a concept (see concept); a run of words that
// a synonym group names ("kartu tanda penduduk") also matches the group's
// other wordings ("ktp", "e-ktp"), and a word with multi-word synonyms
// ("kunker") matches those as phrases. Quoted phrases must match as
// written. The last word, when open (still being typed), also stands for
// the words it begins. A title with the words next to each other, as
// typed, ranks higher. A suggestion is only ever a word of a record
// outside hidden, the records the reader may not see (nil: none).
func (ix *Index) textQuery(ctx context.Context, r index.IndexReader, q string, open bool, hidden *hiddenRecords) textPlan {
	rest, quoted := phrases(q)
	quoted = quoted[:min(len(quoted), MaxPhrases)]
	for i, p := range quoted {
		if ws := tokens(p); len(ws) > MaxTerms {
			quoted[i] = strings.Join(ws[:MaxTerms], " ")
		}
	}
	var (
		words []string
		// afterFrom[i] says words[i] came right after "dari" or "from":
		// a place named there is where something came from (see places).
		afterFrom []bool
		// typedAt[i] is the place in all of the word typed that words[i]
		// comes from, to suggest a respelling among the words left out.
		typedAt []int
	)
	all := tokens(rest)
	for k, w := range all {
		if !indonesian.IsStopWord(w) && !isEnglishFunctionWord(w) && (utf8.RuneCountInString(w) > 1 || (w[0] >= '0' && w[0] <= '9')) {
			words = append(words, w)
			typedAt = append(typedAt, k)
			// "Pemkab Banjar" or "Pemkot Surakarta" in a query is the
			// government that acts, as in the news ("Pemkab Banjar studi
			// tiru ke Solo"), unless it is where one goes ("ke Pemkot
			// Surakarta"): a place named so is where something came from.
			from := k > 0 && (all[k-1] == "dari" || all[k-1] == "from")
			actor := (w == "pemkab" || w == "pemkot") && (k == 0 || (all[k-1] != "ke" && all[k-1] != "to"))
			afterFrom = append(afterFrom, from || actor)
		}
	}
	// The last word typed is open only if it is a query word, not a stop
	// word or one past the limit.
	if len(words) == 0 || len(all) == 0 || all[len(all)-1] != words[len(words)-1] || len(words) > MaxTerms {
		open = false
	}
	if len(words) > MaxTerms {
		words, afterFrom, typedAt = words[:MaxTerms], afterFrom[:MaxTerms], typedAt[:MaxTerms]
	}
	if open && ix.opt.Synonyms.endsWording(words) {
		open = false
	}
	completed := false
	if open {
		m := ix.opt.Synonyms.completePhrase(words)
		if m == "" {
			m = ix.listedCompletion(r, words[len(words)-1])
		}
		if m != "" {
			words[len(words)-1] = m
			open, completed = false, true
		}
	}
	// A word that matches nothing, nor anything spelt nearly, may be two
	// words typed without the space between them ("smartcity"): it is
	// searched as those two words, and the query with the space is
	// offered in its place.
	joined := false
	qctx := &queryContext{r: r, hidden: hidden, acronyms: acronyms(rest), placed: map[string]bool{}}
	for i := 0; i < len(words) && len(words) < MaxTerms && ctx.Err() == nil; i++ {
		a, b := ix.splitJoined(words[i], qctx, open && i == len(words)-1)
		if a == "" {
			continue
		}
		words = slices.Insert(words, i+1, b)
		words[i] = a
		afterFrom = slices.Insert(afterFrom, i+1, false)
		typedAt = slices.Insert(typedAt, i+1, typedAt[i])
		if i == len(words)-2 {
			open = false
		}
		joined = true
		i++
	}
	var required, optional, anyOf []query.Query
	marks := slices.Clone(words)
	var phraseMarks [][]string
	for _, p := range quoted {
		required = append(required, union(phrase(p, fTitle, 6), phrase(p, fText, 3), phrase(p, fMeta, 3)))
		marks = append(marks, withoutStop(tokens(p))...)
	}
	nPhrases := len(required)
	concepts := make([]query.Query, len(words))
	suggestion := make([]string, len(words))
	respelt := false
	unmatched := make([]bool, len(words))
	runs := placeRuns(r, words)
	qctx.words = words
	for i, end := range runs {
		for _, w := range words[i:end] {
			qctx.placed[w] = true
		}
	}
	lower := strings.ToLower(rest)
	for i, w := range words {
		// Respelling a word reads the dictionaries around it; two dozen
		// mistyped words took 0.3–0.4 s on an idle machine. A busy one
		// must not plan on past the search's time (the caller checks).
		if ctx.Err() != nil {
			return textPlan{}
		}
		// A word written with a letter-alone prefix ("e-kinerja") is the
		// joined word when a record has it, and the word after the
		// prefix too: records naming the system come first, then those
		// about kinerja. When no record has it, it is the word after.
		after := afterPrefix(lower, w)
		if after != "" && !ix.found(r, w) {
			words[i], w, after = after, after, ""
		}
		var rs bool
		concepts[i], suggestion[i], rs, unmatched[i] = ix.concept(r, w, qctx, open && i == len(words)-1)
		if after != "" && ix.found(r, after) {
			concepts[i] = union(append([]query.Query{concepts[i]}, ix.written(after, afterPrefixWeight)...)...)
			marks = append(marks, after)
		}
		if isYear(w) && docFreq(r, "year", w) > 0 {
			// A record of that year matches it, written or not: when the
			// year must match ("kunker 2021", all of whose words are
			// optional alone), a visit of 2021 seldom writes "2021".
			concepts[i], unmatched[i] = union(concepts[i], term(w, "year")), false
		}
		if qctx.placed[w] {
			// Found in the place field: a nickname such as "Kota Hujan"
			// is there only (see Builder.regionWords).
			unmatched[i] = false
		}
		respelt = respelt || rs
		marks = append(marks, suggestion[i])
		marks = append(marks, ix.opt.Synonyms.equivalents(suggestion[i])...)
	}
	docs := records(r)
	// A word is common when it or one of its synonyms is: the word's
	// query matches them all ("app" matches every "aplikasi"). A mistyped
	// word is as common as the word it is respelt to: "pelayann publik"
	// asks what "pelayanan publik" asks.
	// How common each word's concept is, read once: the rules below ask
	// it of every word, some for every run of words.
	freq := make([]uint64, len(suggestion))
	for j, w := range suggestion {
		freq[j] = ix.conceptFreq(r, w)
	}
	common := func(i, end int) bool {
		for _, df := range freq[i:end] {
			if df*commonShare <= docs {
				return false
			}
		}
		return true
	}
	// A word being typed is taken as completed for its synonyms, so that
	// "admind" brings what "adminduk" does ("administrasi kependudukan").
	// A respelt word brings only its one-word synonyms: with its wordings
	// of several words, "laporn masyarakat" took twice as long at 100k,
	// and set the typo queries' p99.
	if last := len(words) - 1; open && last >= 0 && suggestion[last] != words[last] && strings.HasPrefix(suggestion[last], words[last]) {
		words = slices.Clone(words)
		words[last] = suggestion[last]
	}
	spans := ix.opt.Synonyms.spans(words)
	// A place's whole name outweighs a wording overlapping it: "taman
	// kota kembang" is a park in Bandung, not a city park ("taman kota")
	// that says "kembang".
	spans = slices.DeleteFunc(spans, func(sp span) bool {
		for a, b := range runs {
			if a < sp.end && sp.start < b {
				return true
			}
		}
		return false
	})
	// bounded reports whether a word outside words[i:end] is rare and will
	// be required: then every record the search scores has that word, and
	// checking a synonym's wording word position by word position costs
	// only as much as there are such records. A question needs only three
	// in four of its words, so nothing bounds it.
	question := isQuestion(q)
	bounded := func(i, end int) bool {
		if question {
			return false
		}
		for j, df := range freq {
			if j >= i && j < end || unmatched[j] || framing(words[j]) || ix.visits.names(words[j:j+1]) {
				continue
			}
			if df*rarePhraseShare <= docs {
				return true
			}
		}
		return false
	}
	askVisits := false
	// dateFramed: a date word ("tahun", a month) frames the query, and is
	// optional, beside a year and in a query naming a visit, whose month
	// ranks its visits up (see years and months).
	dateFramed := slices.ContainsFunc(words, isYear) || ix.namesVisit(words)
	var (
		visitClauses     []int // where in optional the words naming a visit are,
		catalogueClauses []int // those naming innovations ("inovasi"),
		// and those that may stay optional when all the others are
		// required: a date beside a year ("oktober 2024"), a word that
		// matches nothing.
		keep = map[int]bool{}
	)
	for i := 0; i < len(words); {
		end, clause := i+1, concepts[i]
		if run, ok := runs[i]; ok {
			// A run of words naming a place is found where that place's
			// records are, or where its words are written: a nickname of
			// everyday words is no word of its region's records.
			end = run
			// A visit from the place is of it too: "pemkab banjar studi
			// tiru" asks for Banjar's visits, which happened elsewhere.
			name := placeName(words[i:end])
			clause = alternatives(bleve.NewConjunctionQuery(concepts[i:end]...), term(name, fPlace), term(name, fFrom))
		} else if len(spans) > 0 && spans[0].start == i {
			sp := spans[0]
			spans = spans[1:]
			end = sp.end
			alts := []query.Query{concepts[i]}
			if end-i > 1 {
				alts[0] = bleve.NewConjunctionQuery(concepts[i:end]...)
			}
			// Whether the wording typed, or a one-word synonym of it, is
			// rare: then the wordings of several words carry what is found.
			var typed uint64
			if end-i > 1 {
				typed = rarest(r, fText, words[i:end])
			} else {
				typed = ix.conceptFreq(r, words[i])
			}
			typedRare := typed*rareTypedShare <= docs || bounded(i, end)
			for _, a := range sp.alts {
				if ws := tokens(a); len(ws) > 1 {
					phraseMarks = append(phraseMarks, ws)
				} else {
					marks = append(marks, ws...)
				}
				if strings.Contains(a, " ") {
					alts = append(alts, phrase(a, fTitle, 2), phrase(a, fMeta, 1.5))
					// A phrase is checked word position by word position in
					// every record that has all its words: in the long text
					// field, only worth it when one of them is rare, or when
					// the wording typed and its one-word synonyms are rare,
					// so that the others carry what is found ("opd" where
					// write-ups say "organisasi perangkat daerah").
					if typedRare || rarest(r, fText, withoutStop(tokens(a)))*rarePhraseShare <= docs {
						alts = append(alts, phrase(a, fText, 1))
					}
				} else {
					alts = append(alts, match(a, fTitle, 2), match(a, fText, 1), match(a, fMeta, 1.5), stemmed(a, fTextID, 0.8))
				}
			}
			clause = alternatives(alts...)
		}
		if end-i == 1 && unmatched[i] {
			// A word that matches nothing, neither as written nor spelt
			// nearly, cannot be required: the others decide what is found.
			// Required, it made every search with it widen to records
			// with any one word ("lapor jalan bolong" listed complaint
			// services that say nothing of roads).
			keep[len(optional)] = true
			optional = append(optional, clause)
		} else if ix.visits.names(words[i:end]) {
			// A visit is not wrong for lacking the word (see visitWords).
			askVisits = true
			visitClauses = append(visitClauses, len(optional))
			optional = append(optional, clause)
		} else if common(i, end) || (end-i == 1 && (framing(words[i]) || isYear(words[i]) || (dateFramed && isDateWord(words[i])))) {
			if end-i == 1 && dateFramed && isDateWord(words[i]) {
				keep[len(optional)] = true
			}
			if end-i == 1 && indonesian.IsCatalogueWord(words[i]) {
				catalogueClauses = append(catalogueClauses, len(optional))
			}
			// A common word, or one that frames the question (the verb or
			// difficulty of a need, "inovasi"), orders the results but is
			// not required (see commonShare and framing).
			optional = append(optional, clause)
		} else {
			required = append(required, clause)
		}
		if _, ok := runs[i]; ok {
			// Widened, a place is still the place: "kota" alone is no
			// part of "Kota Kembang" worth finding.
			anyOf = append(anyOf, clause)
		} else {
			anyOf = append(anyOf, concepts[i:end]...)
			if end-i > 1 {
				anyOf = append(anyOf, clause)
			}
		}
		i = end
	}
	if len(required) == nPhrases {
		// Only common words: then they are what was asked for. A word
		// naming a visit then asks for the visits, whatever they say:
		// "kunker" alone found only those that say "kunker" or
		// "kunjungan kerja", none on the seed data, whose visit is
		// logged as a studi tiru.
		for _, k := range visitClauses {
			optional[k] = union(optional[k], term("visit", "kind"))
		}
		// So does "inovasi" ask for the innovations: few write-ups say
		// the word ("inovasi tahun 2024" found only a visit that did).
		for _, k := range catalogueClauses {
			optional[k] = union(optional[k], term("innovation", "kind"))
		}
		// A month or "tahun" beside a year stays optional: a visit's
		// dates are fields, seldom words of its notes, and the year
		// (and month, see years and months) already picks them out.
		// Required, "kunjungan oktober 2024" found only the innovations
		// that mention October. So does a word that matches nothing:
		// required, "kunker februari" found nothing at all.
		var kept []query.Query
		for k, q := range optional {
			if keep[k] && len(optional) > len(keep) {
				kept = append(kept, q)
			} else {
				required = append(required, q)
			}
		}
		optional = kept
	}
	var near []query.Query
	if len(words) > 1 {
		text := strings.Join(words, " ")
		near = []query.Query{phrase(text, fTitle, 4)}
	}
	// A word naming a kind of record ranks that kind up: "kunker" the
	// visits, "inovasi" the innovations.
	askInnovations := slices.ContainsFunc(words, indonesian.IsCatalogueWord)
	for _, k := range []struct {
		kind  string
		asked bool
	}{{"visit", askVisits}, {"innovation", askInnovations}} {
		if pref := kindPreference(r, docs, k.kind); k.asked && pref != nil {
			near = append(near, pref)
		}
	}
	near = append(near, places(r, suggestion, afterFrom, askInnovations)...)
	near = append(near, years(r, suggestion)...)
	if askVisits {
		near = append(near, months(r, suggestion)...)
	}
	if len(required) == 0 {
		return textPlan{}
	}
	if words := required[nPhrases:]; len(words) > 2 && isQuestion(q) {
		// A question carries words of its framing beside its topic
		// ("daerah mana yang punya internet gratis di taman?"): three in
		// four of its words must match, not all.
		some := bleve.NewDisjunctionQuery(words...)
		some.SetMin(float64(len(words) * 3 / 4))
		required = append(required[:nPhrases:nPhrases], some)
	}
	plan := textPlan{strict: boolean(required, append(optional, near...)), marks: marks, phrases: phraseMarks}
	if len(anyOf) > 1 {
		must := slices.Clone(required[:nPhrases])
		must = append(must, union(anyOf...))
		plan.loose = boolean(must, near)
	}
	if respelt || completed || joined {
		// With the phrases typed, which the words leave out: offered
		// without them, `"bank sampah" smartcity` became `smart city`.
		var parts []string
		for _, p := range quoted {
			parts = append(parts, `"`+p+`"`)
		}
		plan.suggestion = strings.Join(append(parts, amongTyped(all, typedAt, suggestion)...), " ")
	}
	return plan
}

// amongTyped puts the suggested words in the places of the words typed
// (all), with the words the search leaves out, so that a suggestion reads
// as the query did: "cara mengurangi antrian di puskesmas", not "mengurangi
// antrian puskesmas". typedAt[i] is the place in all of suggestion[i]; two
// suggested words share a place where a joined word was split.
func amongTyped(all []string, typedAt []int, suggestion []string) []string {
	out := make([]string, 0, len(all)+1)
	j := 0
	for k, t := range all {
		if j < len(typedAt) && typedAt[j] == k {
			for ; j < len(typedAt) && typedAt[j] == k; j++ {
				out = append(out, suggestion[j])
			}
			continue
		}
		out = append(out, t)
	}
	return out
}

// minJoinedPart is the shortest word a joined word is split into: two
// letters would split almost any word somewhere.
const minJoinedPart = 3

// splitJoined returns the two words w is when it was typed without the
// space between them ("smartcity"), or "", "". Only a word of letters that
// matches nothing, as written, in its informal form or spelt nearly (nor,
// while typed, the start of a word), is split, and only where both parts
// are words the index has (or listed synonyms) that a suggestion may show,
// neither a stop word, each minJoinedPart letters or more. Of several
// such places, the one whose rarer part is commonest wins. A word found
// neither as written nor in its informal form is noted in qctx.unfound,
// so that concept does not look it up again.
func (ix *Index) splitJoined(w string, qctx *queryContext, open bool) (string, string) {
	r := qctx.r
	n := utf8.RuneCountInString(w)
	if n < 2*minJoinedPart || qctx.acronyms[w] || monthOf(w) > 0 || strings.IndexFunc(w, func(c rune) bool { return !unicode.IsLetter(c) }) >= 0 {
		return "", ""
	}
	if ix.found(r, w) || ix.informalRoot(r, w) != "" {
		return "", ""
	}
	if qctx.unfound == nil {
		qctx.unfound = map[string]bool{}
	}
	qctx.unfound[w] = true
	syn := ix.opt.Synonyms
	// A part is a word as written (not by its stem or its synonyms: they
	// are looked up for each place the word could split, and a typo such
	// as "pelayann" has many).
	word := func(p string) bool {
		if utf8.RuneCountInString(p) < minJoinedPart || indonesian.IsStopWord(p) || isEnglishFunctionWord(p) {
			return false
		}
		return syn.listed(p) || (docFreq(r, fTitle, p)+docFreq(r, fText, p)+docFreq(r, fMeta, p) > 0 && qctx.shows(p))
	}
	var a, b string
	var best uint64
	for i := range w {
		if i == 0 || !word(w[:i]) || !word(w[i:]) {
			continue
		}
		if f := min(ix.conceptFreq(r, w[:i]), ix.conceptFreq(r, w[i:])); a == "" || f > best {
			a, b, best = w[:i], w[i:], f
		}
	}
	if a == "" {
		return "", ""
	}
	// A near spelling is likelier what was meant: "pelayananan" is no
	// "pelayanan" and "an".
	near := map[string][]nearWord{}
	if fz := fuzziness(w); fz > 0 {
		near = nearWords(r, w, fz)
	}
	if open {
		addCompletions(r, w, near)
	}
	for _, ws := range near {
		if len(ws) > 0 {
			return "", ""
		}
	}
	return a, b
}

// conceptFreq is how many records have w or its commonest one-word
// synonym in their text: how common what w asks for is.
func (ix *Index) conceptFreq(r index.IndexReader, w string) uint64 {
	df := docFreq(r, fText, w)
	for _, e := range ix.opt.Synonyms.equivalents(w) {
		df = max(df, docFreq(r, fText, e))
	}
	return df
}

// framing reports whether a query word frames what is asked rather than
// naming it: the verb of a need ("mengurangi"), its difficulty ("sulit"),
// a connective ("berbasis", "lewat") or the catalogue itself ("inovasi").
func framing(w string) bool {
	return indonesian.IsNeedVerb(w) || indonesian.IsDifficulty(w) || indonesian.IsConnective(w) || indonesian.IsCatalogueWord(w)
}

// rarePhraseShare: a synonym phrase is searched in the text only when one
// of its words is in at most one record in rarePhraseShare, or when the
// wording typed is in at most one record in rareTypedShare.
const (
	rarePhraseShare = 10
	rareTypedShare  = 100
)

// rarest is the document frequency of the rarest of words in field.
func rarest(r index.IndexReader, field string, words []string) uint64 {
	var n uint64
	for i, w := range words {
		if df := docFreq(r, field, w); i == 0 || df < n {
			n = df
		}
	}
	return n
}

// isQuestion reports whether q was typed as a question: it ends in a
// question mark or holds a question word.
func isQuestion(q string) bool {
	if strings.HasSuffix(strings.TrimSpace(q), "?") {
		return true
	}
	return slices.ContainsFunc(tokens(q), func(w string) bool {
		return indonesian.IsQuestionWord(w) || isEnglishQuestionWord(w)
	})
}

// boolean requires every query of must and scores the optional ones.
// A lone required query goes in as itself and the optional ones as one
// union: Bleve would wrap each in a searcher of its own (a conjunction of
// one, a disjunction) that every matching record passes through, for the
// same scores.
func boolean(must, optional []query.Query) query.Query {
	if len(optional) == 0 {
		return allOf(must...)
	}
	bq := bleve.NewBooleanQuery()
	bq.Must = allOf(must...)
	bq.Should = union(optional...)
	return bq
}

// fuzzyFields are the fields a word that matches nothing as written is
// looked for in by its near spellings, and fuzzyBoost their weight (below
// every word as written).
func fuzzyFields() []string { return []string{fTitle, fText, fMeta} }

const fuzzyBoost = 0.3

// maxNearWords bounds the near spellings of one word taken from each field.
const maxNearWords = 200

// nearWord is an indexed word within a few edits of a query word.
type nearWord struct {
	term  string
	edits uint8
}

// nearWords lists, for each of fuzzyFields, the indexed words within fz
// edits of w. They are found once and serve both the search and the
// respelling: each look-up builds a Levenshtein automaton, the costliest
// part of a query with a typo.
func nearWords(r index.IndexReader, w string, fz int) map[string][]nearWord {
	fr, ok := r.(index.IndexReaderFuzzy)
	if !ok {
		return nil
	}
	out := map[string][]nearWord{}
	for _, f := range fuzzyFields() {
		fd, err := fr.FieldDictFuzzy(f, w, fz, "")
		if err != nil {
			continue
		}
		for range maxNearWords {
			e, err := fd.Next()
			if err != nil || e == nil {
				break
			}
			if isStopTerm(e.Term) {
				continue
			}
			out[f] = append(out[f], nearWord{e.Term, uint8(e.EditDistance)})
		}
		fd.Close()
	}
	return out
}

// isStopTerm reports whether an indexed word is one a query drops, an
// Indonesian stop word or an English function word, and so never what a
// mistyped or unfinished word meant: "land" was respelt "and", which
// matched every English write-up and put them first.
func isStopTerm(term string) bool {
	return indonesian.IsStopWord(term) || isEnglishFunctionWord(term)
}

func boosted(q query.Query, boost float64) query.Query {
	if b, ok := q.(query.BoostableQuery); ok {
		b.SetBoost(boost)
	}
	return q
}

// respell finds the likeliest intended word among near, the near spellings
// of a word that matches nothing as written: of the words in titles and
// text, fewer edits and more use first, the one found most often in the
// same records as the query's other words. The context is what tells that
// "banjr" in "peringatan dini banjr" is "banjir" and not the commoner
// region name "banjar".
func respell(r index.IndexReader, near map[string][]nearWord, qctx *queryContext) string {
	type candidate struct {
		term  string
		score float64
		edits uint8
	}
	var cands []candidate
	completions := false
	for _, f := range []string{fTitle, fText, fMeta} {
		for _, e := range near[f] {
			if f == fMeta && e.edits > 0 {
				// Near spellings of names and tags are only searched, not
				// suggested: "banjr" is no misspelt "banjar" beside "banjir".
				continue
			}
			// Bleve's fuzzy dictionary reports no counts, and keeps the
			// words of deleted records until their segments merge; the
			// count is of live records only.
			df := docFreq(r, f, e.term)
			if df == 0 || !qctx.shows(e.term) {
				continue
			}
			score := float64(df) / float64(1+int(e.edits)*10)
			completions = completions || e.edits == 0
			if j := slices.IndexFunc(cands, func(c candidate) bool { return c.term == e.term }); j >= 0 {
				cands[j].score = max(cands[j].score, score)
				cands[j].edits = min(cands[j].edits, e.edits)
			} else {
				cands = append(cands, candidate{e.term, score, e.edits})
			}
		}
	}
	if completions {
		// A word still being typed is likelier unfinished than mistyped:
		// "puskesmas kelil" is on its way to "keliling", though "kecil",
		// one edit away, is found beside "puskesmas" more often.
		cands = slices.DeleteFunc(cands, func(c candidate) bool { return c.edits > 0 })
	}
	if len(cands) == 0 {
		return ""
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].edits != cands[j].edits {
			return cands[i].edits < cands[j].edits
		}
		return cands[i].score > cands[j].score
	})
	cands = cands[:min(len(cands), 5)]
	if len(cands) == 1 || !qctx.any() {
		return cands[0].term
	}
	best, bestN := cands[0].term, 0
	for _, c := range cands {
		n := 0
		eachPosting(r, fText, c.term, candidatePostings, func(doc uint64) {
			if qctx.has(doc) {
				n++
			}
		})
		if n > bestN {
			best, bestN = c.term, n
		}
	}
	return best
}

// Bounds on how many records respelling looks at, so that a query of many
// mistyped words stays cheap: in all for the context, per near word.
const (
	contextPostings   = 20000
	candidatePostings = 5000
)

// queryContext is the records that have any of a query's words, gathered
// the first time a mistyped word needs them.
type queryContext struct {
	r        index.IndexReader
	words    []string
	gathered bool
	near     []uint64 // a bit for each document number of the reader
	n        int      // how many bits are set

	// hidden are the records the reader may not see (nil: none). A
	// suggestion comes only from words of the others: "Maksud Anda"
	// showed anyone words of other regions' internal records.
	hidden  *hiddenRecords
	hiddenN *recordSet      // hidden, read from the segments when first needed
	shown   map[string]bool // the words asked about so far

	// acronyms are the words typed in capitals ("TPID", "PTSL"): an
	// acronym the records lack is no typo of one they have (TPID is not
	// PPID), so it is not respelt.
	acronyms map[string]bool
	// unfound are the words found neither as written (nor by stem or
	// synonym) nor in an informal form, already looked up (see
	// splitJoined).
	unfound map[string]bool
	// placed are the words of a run naming a place (see placeRuns): a
	// nickname's words are no typo for the text's words either.
	placed map[string]bool
}

// shows reports whether a record the reader may see has t as written in
// a title, text, names or tags. A snapshot's dictionary also keeps the
// words of deleted records until its segments merge; the term reader
// skips those records.
func (c *queryContext) shows(t string) bool {
	if c.hidden == nil {
		return true
	}
	if ok, asked := c.shown[t]; asked {
		return ok
	}
	if c.shown == nil {
		c.shown = map[string]bool{}
	}
	ok := c.showsAnew(t)
	c.shown[t] = ok
	return ok
}

func (c *queryContext) showsAnew(t string) bool {
	if c.hiddenN == nil {
		snap, isSnap := c.r.(*scorch.IndexSnapshot)
		if !isSnap {
			return false // no way to tell here; suggest nothing rather than leak
		}
		set, err := c.hidden.inSegments(snap)
		if err != nil {
			return false
		}
		c.hiddenN = set
	}
	for _, f := range []string{fTitle, fText, fMeta} {
		tfr, err := c.r.TermFieldReader(context.Background(), []byte(t), f, false, false, false)
		if err != nil {
			continue
		}
		var d *index.TermFieldDoc
		for {
			if d, err = tfr.Next(d); err != nil || d == nil {
				break
			}
			if !c.hiddenN.has(d.ID.Value()) {
				_ = tfr.Close()
				return true
			}
		}
		_ = tfr.Close()
	}
	return false
}

func (c *queryContext) gather() {
	if c.gathered {
		return
	}
	c.gathered = true
	for _, w := range c.words {
		eachPosting(c.r, fText, w, contextPostings-c.n, func(doc uint64) {
			i, bit := doc/64, uint64(1)<<(doc%64)
			if i >= uint64(len(c.near)) {
				c.near = append(c.near, make([]uint64, i+1-uint64(len(c.near)))...)
			}
			if c.near[i]&bit == 0 {
				c.near[i] |= bit
				c.n++
			}
		})
	}
}

// any reports whether some record has a word of the query.
func (c *queryContext) any() bool {
	c.gather()
	return c.n > 0
}

func (c *queryContext) has(doc uint64) bool {
	c.gather()
	i := doc / 64
	return i < uint64(len(c.near)) && c.near[i]&(uint64(1)<<(doc%64)) != 0
}

// eachPosting calls fn with the document number of each record (up to
// limit) that has t in field.
func eachPosting(r index.IndexReader, field, t string, limit int, fn func(doc uint64)) {
	tfr, err := r.TermFieldReader(context.Background(), []byte(t), field, false, false, false)
	if err != nil {
		return
	}
	defer tfr.Close()
	var d *index.TermFieldDoc
	for range limit {
		if d, err = tfr.Next(d); err != nil || d == nil {
			return
		}
		fn(d.ID.Value())
	}
}

// strictFirst lists the records that have every word, then the others of
// loose, which has them all too.
func strictFirst(strict, loose search.DocumentMatchCollection) search.DocumentMatchCollection {
	seen := make(map[string]bool, len(strict))
	out := slices.Clone(strict)
	for _, h := range strict {
		seen[h.ID] = true
	}
	for _, h := range loose {
		if !seen[h.ID] {
			out = append(out, h)
		}
	}
	return out
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
	// The hits of the page, [from, end), cut at MaxWindow. A page past the
	// window is empty rather than the last one again: a client paging
	// until the hits run out must come to an end. Divided, not
	// multiplied: a huge page number must not overflow.
	from, end := 0, 0
	if req.Page-1 < (MaxWindow+req.PerPage-1)/req.PerPage {
		from = (req.Page - 1) * req.PerPage
		end = min(from+req.PerPage, MaxWindow)
	}
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, ix.budget())
	defer cancel()
	if !ix.readLock(ctx) {
		return nil, ErrNotReady
	}
	defer ix.mu.RUnlock()
	if ix.idx == nil {
		return nil, ErrNotReady
	}
	reader, err := ix.reader()
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer reader.Close()

	// The reader that tells whether any record is restricted may be a
	// moment older than the snapshot searched: no staler than the index
	// itself always is behind the database.
	hidden := hiddenQuery(reader, req.Viewer)
	q, not := negations(cleanQuery(req.Query))
	plan := ix.textQuery(ctx, reader, q, endsInWord(req.Query) && !lastExcluded(req.Query), hidden)
	if err := ctx.Err(); err != nil {
		if parent.Err() == nil {
			return nil, fmt.Errorf("search %q: %w", q, ErrTooBroad)
		}
		return nil, err
	}
	plan.suggestion = withNegations(plan.suggestion, not)
	exclude := excluded(not)
	var must []query.Query
	for _, f := range facetFields {
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
	// Hits are asked for from the first, and the page cut out here, so
	// that the records with every word are at hand if there are too few.
	docs, err := reader.DocCount()
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	large := ix.splitAt > 0 && docs >= uint64(ix.splitAt)
	if ctx, err = ix.withStatistics(ctx, reader); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	res, facets, err := ix.run(ctx, req, plan.strict, must, exclude, hidden, 0, max(end, minStrictHits), large)
	var hits search.DocumentMatchCollection
	if err == nil {
		hits = res.Hits
	}
	if err == nil && plan.loose != nil && res.Total < minStrictHits {
		// Too few records have every word: add those that have some,
		// after the ones that have all when ordering by relevance.
		var loose *bleve.SearchResult
		var looseFacets *facetTally
		if loose, looseFacets, err = ix.run(ctx, req, plan.loose, must, exclude, hidden, 0, end+len(res.Hits), large); err == nil && loose.Total > res.Total {
			if req.Sort == "" || req.Sort == "relevance" {
				hits = strictFirst(res.Hits, loose.Hits)
			} else {
				hits = loose.Hits
			}
			res, facets = loose, looseFacets
		}
	}
	hits = hits[min(from, len(hits)):min(end, len(hits))]
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) && parent.Err() == nil {
			return nil, fmt.Errorf("search %q: %w", q, ErrTooBroad)
		}
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return nil, err
		}
		return nil, fmt.Errorf("search %q: %w", q, err)
	}
	if hits, err = ix.loadPage(hits); err != nil {
		return nil, fmt.Errorf("search %q: %w", q, err)
	}
	out := &Result{Total: res.Total, Page: req.Page, PerPage: req.PerPage}
	out.Suggestion = plan.suggestion
	mk := newMarker(plan.marks, plan.phrases...)
	for _, h := range hits {
		out.Hits = append(out.Hits, makeHit(h, mk))
	}
	out.Facets = facets.result(req.Facets)
	out.Took = time.Since(start)
	return out, nil
}

// readLock takes the index's read lock within ctx's time, and reports
// whether it did. A rebuild closes the old index under the write lock, and
// closing waits for Bleve's background merging: a search that waited for
// the lock behind it waited outside its time budget, for as long as that
// took (a minute, on a loaded machine). It now answers "rebuilding".
func (ix *Index) readLock(ctx context.Context) bool {
	if ix.mu.TryRLock() {
		return true
	}
	t := time.NewTicker(time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
			if ix.mu.TryRLock() {
				return true
			}
		}
	}
}

func (ix *Index) budget() time.Duration {
	if ix.opt.Budget > 0 {
		return ix.opt.Budget
	}
	return DefaultBudget
}

// run executes one search: scored (nil to browse) within the filters of
// must, without the records of exclude (nil for none; see excluded) and of
// hidden (see hiddenQuery), with size hits from from, and the facets. A
// large index is searched in parts when cores are spare (see searchParts).
func (ix *Index) run(ctx context.Context, req Request, scored query.Query, must []query.Query, exclude query.Query, hidden *hiddenRecords, from, size int, large bool) (*bleve.SearchResult, *facetTally, error) {
	if scored == nil {
		// Every record: synonym definitions live in the same index, and
		// only a query for everything would find them.
		scored = bleve.NewConjunctionQuery(bleve.NewMatchAllQuery(),
			bleve.NewDisjunctionQuery(filter("innovation", "kind"), filter("visit", "kind")))
		if req.Sort != "adopted" {
			req.Sort = "newest"
		}
	}
	q := scored
	if len(must) > 0 {
		q = bleve.NewConjunctionQuery(append([]query.Query{scored}, must...)...)
	}
	if exclude != nil {
		b := bleve.NewBooleanQuery()
		b.AddMust(q)
		b.AddMustNot(exclude)
		q = b
	}
	if hidden != nil {
		q = &withoutQuery{q: q, not: hidden}
	}
	// No stored fields: Bleve would load them for every hit asked for,
	// which is every hit before the page too (see loadPage).
	sr := bleve.NewSearchRequestOptions(q, size, from, false)
	switch req.Sort {
	case "newest":
		sr.SortBy([]string{"-updated", "-_score", "_id"})
	case "adopted":
		sr.SortBy([]string{"-adoptions", "-_score", "-updated", "_id"})
	}
	facets := req.Facets == nil || len(req.Facets) > 0
	if large {
		if spare := ix.cores.take(maxParts - 1); spare > 0 {
			defer ix.cores.give(spare)
			res, ft, err := ix.searchParts(ctx, sr, facets, 1+spare)
			if !errors.Is(err, errSnapshotMoved) {
				return res, ft, err
			}
		}
	}
	ft := &facetTally{cols: &ix.facets}
	if facets {
		ctx = withFacetTally(ctx, ft)
	}
	res, err := ix.searchIn(ctx, sr)
	return res, ft, err
}

// reader opens a reader of the index's current snapshot; the caller holds
// ix.mu and closes the reader.
func (ix *Index) reader() (index.IndexReader, error) {
	adv, err := ix.idx.Advanced()
	if err != nil {
		return nil, err
	}
	return adv.Reader()
}

// hitField reports whether a stored field is one a hit shows.
func hitField(name string) bool {
	switch name {
	case "kind", "slug", "title", "region", "text":
		return true
	}
	return false
}

// loadPage loads the stored fields of the page of hits. Hits are asked of
// Bleve from the first (the records with every word must be at hand in
// case there are too few), and each part of a search split over cores
// finds a page of its own; loading only the page shown took page 10 of a
// one-word search at 100k from 10-11 ms to 3-4, and page 50 from 28-35 ms
// to 7. The fields are read by each record's ID from the snapshot current
// now: a record deleted since the search drops out of the page, as it
// would have a moment later.
func (ix *Index) loadPage(hits search.DocumentMatchCollection) (search.DocumentMatchCollection, error) {
	if len(hits) == 0 {
		return hits, nil
	}
	r, err := ix.reader()
	if err != nil {
		return nil, fmt.Errorf("load hits: %w", err)
	}
	defer r.Close()
	out := hits[:0]
	for _, h := range hits {
		doc, err := r.Document(h.ID)
		if err != nil {
			return nil, fmt.Errorf("load hit %s: %w", h.ID, err)
		}
		if doc == nil {
			continue
		}
		h.Fields = make(map[string]interface{}, 5)
		doc.VisitFields(func(f index.Field) {
			if tf, ok := f.(index.TextField); ok && hitField(f.Name()) {
				h.Fields[f.Name()] = tf.Text()
			}
		})
		out = append(out, h)
	}
	return out, nil
}

// facetShown is how many values of a facet a result lists, most frequent
// first.
func facetShown(facet string) int {
	switch facet {
	case "province", "region", "urusan":
		return 40
	}
	return 12
}

func str(fields map[string]interface{}, k string) string {
	s, _ := fields[k].(string)
	return s
}

// makeHit turns a Bleve hit into ours, with the query's words marked in
// its title and snippet.
func makeHit(h *search.DocumentMatch, mk *marker) Hit {
	hit := Hit{Kind: str(h.Fields, "kind"), Slug: str(h.Fields, "slug"), Title: str(h.Fields, "title"), Region: str(h.Fields, "region"), Score: h.Score}
	if math.IsNaN(hit.Score) || math.IsInf(hit.Score, 0) {
		hit.Score = 0 // a query of filters only scores 0/0; JSON has no NaN
	}
	hit.TitleHTML = mk.title(hit.Title)
	hit.Snippet = mk.snippet(str(h.Fields, "text"))
	return hit
}

// Related looks for up to relatedWords of an innovation's words, rarest
// first, as long as together they are in at most one record in
// relatedShare (or in relatedPostings records, for a small collection).
const (
	relatedWords    = 6
	relatedShare    = 5
	relatedPostings = 200
)

// distinctive returns up to n of words that other records have too,
// rarest first, while their document frequencies add up to at most budget
// (the rarest is always kept): what tells a record apart from most others,
// at a bounded cost to search.
func distinctive(r index.IndexReader, words []string, n int, budget uint64) []string {
	type word struct {
		w  string
		df uint64
	}
	var ws []word
	for _, w := range words {
		if indonesian.IsStopWord(w) || isEnglishFunctionWord(w) || utf8.RuneCountInString(w) < 2 || slices.ContainsFunc(ws, func(x word) bool { return x.w == w }) {
			continue
		}
		// A word no other record has cannot find a similar one.
		if df := max(docFreq(r, fTitle, w), docFreq(r, fText, w), docFreq(r, fMeta, w)); df > 1 {
			ws = append(ws, word{w, df})
		}
	}
	sort.SliceStable(ws, func(i, j int) bool { return ws[i].df < ws[j].df })
	var out []string
	var sum uint64
	for i, x := range ws {
		if len(out) == n || (i > 0 && sum+x.df > budget) {
			break
		}
		out = append(out, x.w)
		sum += x.df
	}
	return out
}

// Related finds up to n innovations like the given one ("Mirip dengan …"):
// sharing the most distinctive words of its title and tags, then its
// urusan. The innovation itself is left out.
func (ix *Index) Related(ctx context.Context, kind string, id int64, title string, tags []string, urusan string, v kb.Viewer, n int) ([]Hit, error) {
	if !ix.Ready() {
		return nil, ErrNotReady
	}
	ctx, cancel := context.WithTimeout(ctx, ix.budget())
	defer cancel()
	if !ix.readLock(ctx) {
		return nil, ErrNotReady
	}
	defer ix.mu.RUnlock()
	if ix.idx == nil {
		return nil, ErrNotReady
	}
	r, err := ix.reader()
	if err != nil {
		return nil, fmt.Errorf("related to %s:%d: %w", kind, id, err)
	}
	defer r.Close()
	docs := records(r)
	words := distinctive(r, append(tokens(title), tokens(strings.Join(tags, " "))...), relatedWords, max(docs/relatedShare, relatedPostings))
	if len(words) == 0 {
		return nil, nil
	}
	var alike []query.Query
	for _, w := range words {
		if indonesian.Stem(w) == w { // its own stem: found as written only
			alike = append(alike, match(w, fTitle, 3.5), match(w, fMeta, 1))
		} else {
			alike = append(alike, match(w, fTitle, 2), stemmed(w, fTitleID, 1.5), match(w, fMeta, 1))
		}
	}
	bq := bleve.NewBooleanQuery()
	bq.AddMust(union(alike...))
	if urusan != "" {
		// The same urusan ranks higher, among records that share words.
		uq := term(urusan, "urusan")
		uq.(*query.TermQuery).SetBoost(0.5)
		bq.AddShould(uq)
	}
	bq.AddMustNot(bleve.NewDocIDQuery([]string{DocID(kind, id)}))
	// Innovations only: the visits are left out with the records the
	// reader may not see, from the segments' bitmaps, rather than by
	// advancing the postings of "innovation", which nearly every record
	// has, to every candidate (a third of the search's time at 100k).
	left := hiddenQuery(r, v)
	if left == nil {
		left = &hiddenRecords{}
	}
	left.also = append(left.also, [2]string{"kind", "visit"})
	q := &withoutQuery{q: bq, not: left}
	ctx, err = ix.withStatistics(ctx, r)
	if err != nil {
		return nil, fmt.Errorf("related to %s:%d: %w", kind, id, err)
	}
	sr := bleve.NewSearchRequestOptions(q, n, 0, false)
	sr.Fields = []string{"kind", "slug", "title", "region"}
	res, err := ix.searchIn(ctx, sr)
	if err != nil {
		return nil, fmt.Errorf("related to %s:%d: %w", kind, id, err)
	}
	out := make([]Hit, 0, len(res.Hits))
	for _, h := range res.Hits {
		out = append(out, makeHit(h, nil))
	}
	return out, nil
}
