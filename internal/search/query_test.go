package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"tiru/internal/kb"
)

// innovationDoc is the document of a public Indonesian innovation of
// region, by ID, slug, title and summary.
func innovationDoc(b *Builder, id int64, slug, region, title, summary string) *Document {
	return b.Innovation(id, &kb.Innovation{Slug: slug, Title: title, Region: region, Language: "id", Visibility: "public", Summary: summary},
		"2024-10-22T00:00:00Z", nil)
}

// publicInnovation makes documents of public innovations of Kabupaten
// Banjar, by ID, slug, title and summary.
func publicInnovation(b *Builder) func(id int64, slug, title, summary string) *Document {
	return func(id int64, slug, title, summary string) *Document {
		return innovationDoc(b, id, slug, "63.03", title, summary)
	}
}

// filledIndex indexes public innovations with the given titles and
// summaries; slugs are s0, s1, ….
func filledIndex(t *testing.T, texts ...[2]string) *Index {
	t.Helper()
	ix := openTestIndex(t)
	b := testBuilder(t)
	var docs []*Document
	for i, tx := range texts {
		docs = append(docs, innovationDoc(b, int64(i+1), fmt.Sprintf("s%d", i), "63.03", tx[0], tx[1]))
	}
	if err := ix.Apply(docs, nil); err != nil {
		t.Fatal(err)
	}
	return ix
}

func mustSearch(t *testing.T, ix *Index, req Request) *Result {
	t.Helper()
	res, err := ix.Search(context.Background(), req)
	if err != nil {
		t.Fatalf("%q: %v", req.Query, err)
	}
	return res
}

// A quoted phrase matches only records that have its words together, even
// when those words have synonyms (Bleve 2.6 drops such phrases when the
// field has a synonym source).
func TestQuotedPhraseIsRequired(t *testing.T) {
	ix := filledIndex(t,
		[2]string{"Lapor jalan", "Warga melaporkan jalan rusak lewat aplikasi."},
		[2]string{"Jalan desa", "Jalan di desa ini tidak pernah rusak."},
		[2]string{"Taman kota", "Taman dengan wifi gratis."},
	)
	res := mustSearch(t, ix, Request{Query: `"jalan rusak"`})
	if got := slugs(res.Hits); !slices.Equal(got, []string{"s0"}) {
		t.Errorf(`"jalan rusak" found %v, want only s0`, got)
	}
	if !strings.Contains(res.Hits[0].Snippet, "<mark>jalan</mark> <mark>rusak</mark>") {
		t.Errorf("snippet %q does not mark the phrase", res.Hits[0].Snippet)
	}
}

// With enough records having every word, a record with only one of them
// is left out; with too few, records with some of the words are shown too,
// below those with all.
func TestAllWordsFirstThenSome(t *testing.T) {
	var texts [][2]string
	for i := 0; i < minStrictHits; i++ {
		texts = append(texts, [2]string{fmt.Sprintf("Bank sampah unit %d", i), "Nasabah menabung sampah plastik."})
	}
	texts = append(texts, [2]string{"Bank daerah", "Kredit usaha mikro."})
	ix := filledIndex(t, texts...)
	res := mustSearch(t, ix, Request{Query: "bank sampah", PerPage: 50})
	if res.Total != uint64(minStrictHits) || slices.Contains(slugs(res.Hits), fmt.Sprintf("s%d", minStrictHits)) {
		t.Errorf("bank sampah: %d results %v, want the %d with both words", res.Total, slugs(res.Hits), minStrictHits)
	}

	ix = filledIndex(t,
		[2]string{"Bank sampah kelurahan", "Nasabah menabung sampah plastik."},
		[2]string{"Bank daerah", "Kredit usaha mikro."},
		[2]string{"Pengangkutan sampah", "Jadwal truk sampah."},
		[2]string{"Taman kota", "Wifi gratis."},
	)
	got := slugs(mustSearch(t, ix, Request{Query: "bank sampah"}).Hits)
	if len(got) != 3 || got[0] != "s0" || slices.Contains(got, "s3") {
		t.Errorf("bank sampah over few records: %v, want s0 first, then s1 and s2", got)
	}
}

// A word in most records does not decide what matches: records without
// it still come back, below those with it.
func TestCommonWordsAreOptional(t *testing.T) {
	texts := [][2]string{{"Aplikasi pengaduan warga", "Warga mengadu lewat aplikasi."}}
	for i := 0; i < minStrictHits; i++ {
		texts = append(texts, [2]string{fmt.Sprintf("Kanal pengaduan %d", i), "Pengaduan lewat pesan singkat."})
	}
	for i := 0; i < 40; i++ {
		texts = append(texts, [2]string{fmt.Sprintf("Aplikasi layanan %d", i), "Aplikasi untuk warga."})
	}
	ix := filledIndex(t, texts...)
	res := mustSearch(t, ix, Request{Query: "aplikasi pengaduan", PerPage: 50})
	if got := slugs(res.Hits); res.Total != uint64(minStrictHits+1) || got[0] != "s0" {
		t.Errorf("aplikasi pengaduan: %d results %v, want the %d about complaints, s0 (which also says aplikasi) first",
			res.Total, got, minStrictHits+1)
	}
}

func TestFacetsOnRequest(t *testing.T) {
	ix := filledIndex(t, [2]string{"Bank sampah", "Sampah plastik."})
	if res := mustSearch(t, ix, Request{Query: "sampah"}); len(res.Facets) != len(facetFields) {
		t.Errorf("default request counted facets %v, want all %d", res.Facets, len(facetFields))
	}
	if res := mustSearch(t, ix, Request{Query: "sampah", Facets: []string{}}); len(res.Facets) != 0 {
		t.Errorf("request for no facets counted %v", res.Facets)
	}
	if res := mustSearch(t, ix, Request{Query: "sampah", Facets: []string{"kind"}}); len(res.Facets) != 1 || res.Facets["kind"][0].Count != 1 {
		t.Errorf("request for the kind facet counted %v", res.Facets)
	}
}

// Browsing (no words) lists every record newest first with scores that
// encode as JSON.
func TestBrowseListsEveryRecord(t *testing.T) {
	ix := filledIndex(t, [2]string{"Bank sampah", "Sampah plastik."}, [2]string{"Taman kota", "Wifi gratis."})
	res := mustSearch(t, ix, Request{})
	if res.Total != 2 {
		t.Fatalf("browse found %d records, want 2 (and no synonym definitions)", res.Total)
	}
	if _, err := json.Marshal(res.Hits); err != nil {
		t.Errorf("browse hits do not encode: %v", err)
	}
}

// A typed word that matches nothing is respelt by what the rest of the
// query is about, not just by which near word is commonest.
func TestRespellingFollowsContext(t *testing.T) {
	var texts [][2]string
	for i := 0; i < 12; i++ {
		texts = append(texts, [2]string{fmt.Sprintf("Layanan Kabupaten Banjar %d", i), "Inovasi dari Banjar untuk warga Banjar."})
	}
	texts = append(texts, [2]string{"Peringatan dini banjir rob", "Sensor mengirim peringatan dini banjir ke warga."})
	ix := filledIndex(t, texts...)
	res := mustSearch(t, ix, Request{Query: "peringatan dini banjr"})
	if res.Suggestion != "peringatan dini banjir" {
		t.Errorf("suggestion %q, want %q", res.Suggestion, "peringatan dini banjir")
	}
	// The words the search leaves out stay where they were typed, so
	// the suggestion reads as the query did.
	if res := mustSearch(t, ix, Request{Query: "Peringatan dini untuk banjr yang"}); res.Suggestion != "peringatan dini untuk banjir yang" {
		t.Errorf("suggestion %q, want %q", res.Suggestion, "peringatan dini untuk banjir yang")
	}
	if got := slugs(res.Hits); len(got) == 0 || got[0] != "s12" {
		t.Errorf("peringatan dini banjr: %v, want the flood warning first", got)
	}
}

// Similar innovations share the words that set a record apart, not the
// words every record has.
func TestRelatedSharesDistinctiveWords(t *testing.T) {
	texts := [][2]string{
		{"Bank sampah digital kelurahan", "Program layanan warga."},
		{"Bank sampah sekolah", "Program layanan warga."},
	}
	for i := 0; i < 30; i++ {
		texts = append(texts, [2]string{fmt.Sprintf("Layanan digital kelurahan %d", i), "Program layanan warga."})
	}
	ix := filledIndex(t, texts...)
	hits, err := ix.Related(context.Background(), "innovation", 1, texts[0][0], nil, "", kb.Viewer{}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if got := slugs(hits); len(got) == 0 || got[0] != "s1" || slices.Contains(got, "s0") {
		t.Errorf("related to %q: %v, want s1 (bank sampah) first and never itself", texts[0][0], got)
	}
}

// Odd queries get an answer, never an error, and stay bounded.
func TestOddQueries(t *testing.T) {
	ix := filledIndex(t, [2]string{"Bank sampah", "Nasabah menabung sampah plastik."})
	many := strings.Repeat(`"a b" `, 60)
	long := `"` + strings.Repeat("sampah ", 100) + `"`
	for _, q := range []string{`""`, `"`, `" "`, many, long, "*:*", "title:sampah", "sampah^10", "-sampah", "sampah~2", "\x00\xff", strings.Repeat("x", 5000)} {
		if _, err := ix.Search(context.Background(), Request{Query: q}); err != nil {
			t.Errorf("%.40q: %v", q, err)
		}
	}
	if res := mustSearch(t, ix, Request{Query: "title:sampah"}); res.Total != 1 {
		t.Errorf("query syntax should be plain words: title:sampah found %d", res.Total)
	}
	// Page numbers from the API's callers: negative, huge, past any
	// multiplication.
	for _, page := range []int{-1, math.MaxInt / 20, math.MaxInt} {
		if res := mustSearch(t, ix, Request{Query: "sampah", Page: page, PerPage: 20}); len(res.Hits) != 0 && page > 1 {
			t.Errorf("page %d: %d hits past the end", page, len(res.Hits))
		}
	}
}

// When few records have every word, those come first, however strongly
// others match some of the words.
func TestRecordsWithEveryWordComeFirst(t *testing.T) {
	ix := filledIndex(t,
		[2]string{"Sampah plastik sampah organik", "Sampah dipilah: sampah plastik, sampah organik, sampah kertas."},
		[2]string{"Tabungan warga", "Warga kelurahan menabung di bank dan menukar sampah kering setiap bulan bersama kader lingkungan."},
		[2]string{"Kredit usaha", "Bank daerah memberi kredit usaha mikro."},
	)
	got := slugs(mustSearch(t, ix, Request{Query: "bank sampah"}).Hits)
	if len(got) != 3 || got[0] != "s1" {
		t.Errorf("bank sampah: %v, want s1 (both words) first", got)
	}
	// Ordered by date, the widened results keep that order.
	if res := mustSearch(t, ix, Request{Query: "bank sampah", Sort: "newest"}); res.Total != 3 {
		t.Errorf("bank sampah by date: %d results, want 3", res.Total)
	}
}

// A query of many mistyped words, repeated, is still respelt word by word
// (respelling now gathers the query's context once, bounded, rather than
// once per word).
func TestManyMistypedWords(t *testing.T) {
	var texts [][2]string
	for i := 0; i < 300; i++ {
		texts = append(texts, [2]string{fmt.Sprintf("Pengelolaan sampah plastik %d", i), "Pengelolaan sampah plastik dan organik di kelurahan bersama warga."})
	}
	ix := filledIndex(t, texts...)
	q := strings.Repeat("pengelolan sampha plastk organk kelurahn ", 5)
	res := mustSearch(t, ix, Request{Query: q})
	if res.Total == 0 || !strings.HasPrefix(res.Suggestion, "pengelolaan sampah plastik organik kelurahan") {
		t.Errorf("%d results, suggestion %q", res.Total, res.Suggestion)
	}
}

// A question's framing words need not all match: "… menyediakan …?" still
// finds just the records about its topic, without widening to any word.
func TestQuestionsNeedNotMatchEveryWord(t *testing.T) {
	var texts [][2]string
	for i := 0; i < minStrictHits+2; i++ {
		texts = append(texts, [2]string{fmt.Sprintf("Wifi gratis di taman kota %d", i), "Warga memakai wifi di taman."})
	}
	for i := 0; i < 40; i++ {
		texts = append(texts, [2]string{fmt.Sprintf("Pasar kota %d", i), "Pasar tradisional di tengah kota."})
	}
	for i := 0; i < 3; i++ {
		texts = append(texts, [2]string{fmt.Sprintf("Perpustakaan keliling %d", i), "Mobil buku berkeliling kota."})
	}
	ix := filledIndex(t, texts...)
	res := mustSearch(t, ix, Request{Query: "kota mana yang menyediakan wifi di taman?", PerPage: 50})
	if res.Total != uint64(minStrictHits+2) {
		t.Errorf("question found %d: %v, want the %d about wifi in parks", res.Total, slugs(res.Hits), minStrictHits+2)
	}
	// Typed as keywords, every word found somewhere must match: no record
	// has both "perpustakaan" and "wifi", so the search widens to records
	// with some of the words. A word found nowhere ("menyediakan" here)
	// would not widen it (see TestUnmatchedWordIsNotRequired).
	if res := mustSearch(t, ix, Request{Query: "kota perpustakaan wifi taman", PerPage: 50}); res.Total <= uint64(minStrictHits+2) {
		t.Errorf("keywords found %d, want more than %d (widened)", res.Total, minStrictHits+2)
	}
}

// An internal record is found only by the staff of its region, of a region
// adopting it, and by admins: not anonymously, not by another region, in a
// search, a browse or the similar innovations of another record alike.
func TestInternalRecordsStayWithTheirRegion(t *testing.T) {
	ix := openTestIndex(t)
	b := testBuilder(t)
	var docs []*Document
	for i, in := range []*kb.Innovation{
		{Slug: "terbuka", Title: "Aplikasi Pengaduan Warga", Summary: "Pengaduan jalan rusak.", Region: "33.72", Language: "id", Visibility: "public"},
		{Slug: "rahasia", Title: "Aplikasi Pengaduan Internal", Summary: "Pengaduan pegawai.", Region: "63.03", Language: "id", Visibility: "internal"},
	} {
		// Kota Bandung adopted the internal one while it was public.
		docs = append(docs, b.Innovation(int64(i+1), in, "2024-10-22T00:00:00Z", []Adopter{{Region: "32.73", Status: "diterapkan"}}[:i]))
	}
	if err := ix.Apply(docs, nil); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		v    kb.Viewer
		sees bool
	}{
		{"anonymous", kb.Viewer{}, false},
		{"other region", kb.Viewer{Region: "33.72"}, false},
		{"own region", kb.Viewer{Region: "63.03"}, true},
		{"adopting region", kb.Viewer{Region: "32.73"}, true},
		{"admin", kb.Viewer{AllInternal: true}, true},
	} {
		for _, q := range []string{"aplikasi pengaduan", ""} {
			res := mustSearch(t, ix, Request{Query: q, Viewer: c.v})
			if got := slices.Contains(slugs(res.Hits), "rahasia"); got != c.sees || res.Total != uint64(len(res.Hits)) {
				t.Errorf("%s, query %q: found %v (total %d), sees the internal record: %v, want %v", c.name, q, slugs(res.Hits), res.Total, got, c.sees)
			}
		}
		rel, err := ix.Related(context.Background(), "innovation", 1, "Aplikasi Pengaduan Warga", nil, "", c.v, 5)
		if err != nil {
			t.Fatal(err)
		}
		if got := slices.Contains(slugs(rel), "rahasia"); got != c.sees {
			t.Errorf("%s: similar innovations %v, sees the internal record: %v, want %v", c.name, slugs(rel), got, c.sees)
		}
	}
}

// "Maksud Anda" never shows a reader a word of a record they may not see:
// not of another region's internal record, nor of a deleted one, whether
// the word was mistyped or is still being typed.
func TestSuggestionsComeFromVisibleRecords(t *testing.T) {
	ix := openTestIndex(t)
	b := testBuilder(t)
	if err := ix.Apply([]*Document{
		b.Innovation(1, &kb.Innovation{Slug: "rahasia", Title: "Sistem Kuantumrahasia", Summary: "Catatan kriptografi internal.", Region: "63.03", Language: "id", Visibility: "internal"},
			"2024-10-22T00:00:00Z", nil),
		b.Innovation(2, &kb.Innovation{Slug: "lama", Title: "Sistem Merkuriolama", Summary: "Dihapus kemudian.", Region: "33.72", Language: "id", Visibility: "public"},
			"2024-10-22T00:00:00Z", nil),
		b.Innovation(3, &kb.Innovation{Slug: "terbuka", Title: "Aplikasi Pengaduan Warga", Summary: "Pengaduan jalan rusak.", Region: "33.72", Language: "id", Visibility: "public"},
			"2024-10-22T00:00:00Z", nil),
	}, nil); err != nil {
		t.Fatal(err)
	}
	if err := ix.Apply(nil, []string{DocID("innovation", 2)}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"kuantumrahasiz", "kuantumrah", "merkuriolamq", "merkurio"} {
		for _, v := range []kb.Viewer{{}, {Region: "33.72"}} {
			if res := mustSearch(t, ix, Request{Query: q, Viewer: v}); res.Suggestion != "" || res.Total != 0 {
				t.Errorf("%q for %+v: suggested %q, %d found", q, v, res.Suggestion, res.Total)
			}
		}
	}
	// The region that owns the internal record is offered its words.
	if res := mustSearch(t, ix, Request{Query: "kuantumrahasiz", Viewer: kb.Viewer{Region: "63.03"}}); res.Suggestion != "kuantumrahasia" {
		t.Errorf("kuantumrahasiz for its own region: suggested %q, want kuantumrahasia", res.Suggestion)
	}
	// A visible record's words are still suggested.
	if res := mustSearch(t, ix, Request{Query: "pengadun"}); res.Suggestion != "pengaduan" {
		t.Errorf("pengadun: suggested %q, want pengaduan", res.Suggestion)
	}
}

// A search that needs longer than its budget ends with ErrTooBroad; one
// its caller gave up on ends with the caller's reason.
func TestSearchBudget(t *testing.T) {
	ix := filledIndex(t, [2]string{"Aplikasi pengaduan", "Warga melapor lewat aplikasi."})
	ix.opt.Budget = time.Nanosecond
	if _, err := ix.Search(context.Background(), Request{Query: "aplikasi"}); !errors.Is(err, ErrTooBroad) {
		t.Errorf("over budget: %v, want ErrTooBroad", err)
	}
	ix.opt.Budget = 0
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ix.Search(ctx, Request{Query: "aplikasi"}); !errors.Is(err, context.Canceled) || errors.Is(err, ErrTooBroad) {
		t.Errorf("cancelled by the caller: %v, want context.Canceled", err)
	}
	if res, err := ix.Search(context.Background(), Request{Query: "aplikasi"}); err != nil || res.Total != 1 {
		t.Errorf("within the default budget: %v, %v", res, err)
	}
	// Planning stops at the budget too: respelling reads the dictionaries
	// around each word, and two dozen mistyped words must not be planned
	// on a busy machine past the time the search has.
	r := readerOf(t, ix)
	if plan := ix.textQuery(ctx, r, "aplkasi pengadan warag", false, nil); plan.strict != nil {
		t.Errorf("planned past the budget: %v", plan.strict)
	}
	if plan := ix.textQuery(context.Background(), r, "aplkasi pengadan warag", false, nil); plan.strict == nil {
		t.Error("planned nothing within the budget")
	}
}

// The stemmed fields hold only inflected words, yet every form still finds
// every other: the root as written, the inflected forms, and the word as
// typed first.
func TestInflectedFormsFindEachOther(t *testing.T) {
	ix := filledIndex(t,
		[2]string{"Kanal warga", "Warga bisa lapor lewat SMS."},
		[2]string{"Aplikasi warga", "Warga melaporkan jalan rusak."},
		[2]string{"Peta jalan", "Pelaporan kerusakan jalan oleh petugas."},
	)
	toks := ix.idx.Mapping().AnalyzerNamed(AnalyzerInflectedID).Analyze([]byte("Warga melaporkan jalan rusak"))
	if len(toks) != 1 || string(toks[0].Term) != "lapor" || toks[0].Position != 2 {
		t.Errorf("inflected analysis of %q: %v, want only lapor at position 2", "Warga melaporkan jalan rusak", toks)
	}
	for q, first := range map[string]string{"lapor": "s0", "melaporkan": "s1", "pelaporan": "s2"} {
		got := slugs(mustSearch(t, ix, Request{Query: q}).Hits)
		if len(got) != 3 || got[0] != first {
			t.Errorf("%q found %v, want all three with %s first", q, got, first)
		}
	}
}

// A quoted phrase is found in tags and place names as well as in titles
// and write-ups.
func TestQuotedPhraseInTags(t *testing.T) {
	ix := openTestIndex(t)
	b := testBuilder(t)
	in := &kb.Innovation{Slug: "tabungan", Title: "Tabungan warga", Summary: "Warga menabung tiap pekan.", Tags: []string{"bank sampah"},
		Region: "63.03", Language: "id", Visibility: "public"}
	if err := ix.Apply([]*Document{b.Innovation(1, in, "2024-10-22T00:00:00Z", nil)}, nil); err != nil {
		t.Fatal(err)
	}
	if got := slugs(mustSearch(t, ix, Request{Query: `"bank sampah"`}).Hits); !slices.Equal(got, []string{"tabungan"}) {
		t.Errorf(`"bank sampah" (a tag) found %v`, got)
	}
	if got := slugs(mustSearch(t, ix, Request{Query: `"sampah bank"`}).Hits); len(got) != 0 {
		t.Errorf(`"sampah bank" (not a tag) found %v`, got)
	}
}

// A mistyped word on its own is respelt as the near word more records use,
// whichever comes first in the dictionary.
func TestRespellingPrefersTheCommonerWord(t *testing.T) {
	for _, tc := range []struct {
		common, rare, want string
	}{{"banjir", "banjar", "banjir"}, {"banjar", "banjir", "banjar"}} {
		ix := filledIndex(t,
			[2]string{"Posko " + tc.common, "Siaga " + tc.common + " di desa."},
			[2]string{"Peta " + tc.common, "Peta rawan " + tc.common + "."},
			[2]string{"Relawan " + tc.common, "Relawan " + tc.common + " kecamatan."},
			[2]string{"Pasar " + tc.rare, "Pasar kota " + tc.rare + "."},
		)
		if res := mustSearch(t, ix, Request{Query: "banjor"}); res.Suggestion != tc.want {
			t.Errorf("banjor with %s in three records and %s in one: suggested %q, want %q", tc.common, tc.rare, res.Suggestion, tc.want)
		}
	}
}

// English function words are not required words: "study visit to
// Surakarta" is about Surakarta, and "to" is in every English write-up.
func TestEnglishFunctionWordsAreNotRequired(t *testing.T) {
	ix := openTestIndex(t)
	b := testBuilder(t)
	docs := []*Document{
		innovationDoc(b, 1, "solo", "63.03", "Studi Tiru DKISP Banjar ke Kota Surakarta",
			"Rombongan mempelajari layanan pengaduan warga di Surakarta."),
		b.Innovation(2, &kb.Innovation{Slug: "surabaya", Title: "Study Visit to Surabaya on Complaint Handling", Region: "21.71", Language: "en", Visibility: "public",
			Summary: "A study visit to Surabaya: the team went to the city to learn how complaints are handled."}, "2024-10-22T00:00:00Z", nil),
	}
	if err := ix.Apply(docs, nil); err != nil {
		t.Fatal(err)
	}
	res := mustSearch(t, ix, Request{Query: "study visit to Surakarta"})
	if got := slugs(res.Hits); len(got) == 0 || got[0] != "solo" {
		t.Errorf("study visit to Surakarta found %v, want the visit to Surakarta first", got)
	}
}

// A word is as common as its commonest synonym: "app" matches every
// "aplikasi", so when most records say "aplikasi" it only orders results,
// and a complaint channel that is not an app is still found.
func TestWordIsAsCommonAsItsSynonyms(t *testing.T) {
	texts := [][2]string{{"Kanal pengaduan lewat pesan singkat", "Warga mengirim pengaduan lewat SMS."}}
	for i := 0; i < minStrictHits; i++ {
		texts = append(texts, [2]string{fmt.Sprintf("Aplikasi pengaduan %d", i), "Pengaduan lewat aplikasi."})
	}
	for i := 0; i < 40; i++ {
		texts = append(texts, [2]string{fmt.Sprintf("Aplikasi layanan %d", i), "Aplikasi untuk warga."})
	}
	ix := filledIndex(t, texts...)
	res := mustSearch(t, ix, Request{Query: "complaint app", PerPage: 50})
	if got := slugs(res.Hits); !slices.Contains(got, "s0") || res.Total != uint64(minStrictHits+1) {
		t.Errorf("complaint app: %d results %v, want the %d complaint channels, s0 (no app) too", res.Total, got, minStrictHits+1)
	}
}

// A mistyped word is as common as the word it is respelt to: "pelayann
// publik" asks for what "pelayanan publik" asks for, records with both
// words, and not for every record about any service.
func TestMistypedWordIsAsCommonAsItsRespelling(t *testing.T) {
	var texts [][2]string
	for i := 0; i < 30; i++ {
		texts = append(texts, [2]string{fmt.Sprintf("Pelayanan publik %d", i), "Pelayanan publik yang cepat."})
	}
	for i := 0; i < 30; i++ {
		texts = append(texts, [2]string{fmt.Sprintf("Pelayanan kesehatan %d", i), "Pelayanan di puskesmas."})
	}
	for i := 0; i < 10; i++ {
		texts = append(texts, [2]string{fmt.Sprintf("Taman kota %d", i), "Ruang terbuka untuk warga."})
	}
	ix := filledIndex(t, texts...)
	want := mustSearch(t, ix, Request{Query: "pelayanan publik", PerPage: 50})
	got := mustSearch(t, ix, Request{Query: "pelayann publik", PerPage: 50})
	if got.Total != want.Total || !slices.Equal(slugs(got.Hits), slugs(want.Hits)) || got.Suggestion != "pelayanan publik" {
		t.Errorf("pelayann publik: %d results %v (suggesting %q), want the %d of pelayanan publik %v",
			got.Total, slugs(got.Hits), got.Suggestion, want.Total, slugs(want.Hits))
	}
}

// A respelt word is searched like a typed one, synonyms included:
// "pengadun" finds the English write-up on complaints as "pengaduan" does.
func TestRespeltWordBringsItsSynonyms(t *testing.T) {
	ix := openTestIndex(t)
	b := testBuilder(t)
	docs := []*Document{
		innovationDoc(b, 1, "kanal", "63.03", "Kanal Pengaduan Warga",
			"Warga menyampaikan pengaduan lewat pesan singkat."),
		b.Innovation(2, &kb.Innovation{Slug: "dashboard", Title: "Citizen Complaint Tracking Dashboard", Region: "21.71", Language: "en", Visibility: "public",
			Summary: "Every citizen complaint in one list, with the agency that owns it."}, "2024-10-22T00:00:00Z", nil),
	}
	if err := ix.Apply(docs, nil); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"pengaduan", "pengadun"} {
		if got := slugs(mustSearch(t, ix, Request{Query: q}).Hits); !slices.Contains(got, "dashboard") {
			t.Errorf("%q found %v, want the complaint dashboard too", q, got)
		}
	}
}

// A correctly spelt word that only its stem or a synonym finds is no typo:
// it is not respelt, and nothing is suggested in its place.
func TestWordFoundByStemOrSynonymIsNoTypo(t *testing.T) {
	ix := filledIndex(t,
		[2]string{"Laporan jalan rusak", "Warga mengirim laporan jalan berlubang."},
		[2]string{"Wifi di taman kota", "Wifi tanpa biaya di taman."},
		[2]string{"Pelaporan keuangan desa", "Penyusunan pelaporan dana desa."},
	)
	for _, tc := range []struct{ q, want string }{{"melaporkan jalan rusak", "s0"}, {"hotspot taman", "s1"}} {
		res := mustSearch(t, ix, Request{Query: tc.q})
		if res.Suggestion != "" {
			t.Errorf("%q: suggested %q for correctly spelt words", tc.q, res.Suggestion)
		}
		if got := slugs(res.Hits); len(got) == 0 || got[0] != tc.want {
			t.Errorf("%q found %v, want %s first", tc.q, got, tc.want)
		}
	}
}

// Sorting by date and by adoptions follows time and number, not their
// spelling: ten adoptions outrank nine, a later second (or a later
// nanosecond of the same second, in another time zone) sorts later, and
// ties fall back to relevance.
func TestSortByDateAndAdoptions(t *testing.T) {
	ix := openTestIndex(t)
	b := testBuilder(t)
	type rec struct {
		slug, updated string
		adoptions     int
	}
	recs := []rec{
		{"jan-2025", "2025-01-05T10:00:00Z", 9},
		{"dec-2024", "2024-12-31T23:59:59Z", 10},
		{"jan-2025-later-ns", "2025-01-05T10:00:00.000000001Z", 0},
		{"jan-2025-wita", "2025-01-05T17:30:00+08:00", 100}, // 09:30 UTC: before jan-2025
		{"jun-2023", "2023-06-01T00:00:00Z", 2},
	}
	var docs []*Document
	for i, r := range recs {
		in := &kb.Innovation{Slug: r.slug, Title: "Bank sampah kelurahan", Summary: "Warga menabung sampah.", Region: "63.03", Language: "id", Visibility: "public"}
		docs = append(docs, b.Innovation(int64(i+1), in, r.updated, make([]Adopter, r.adoptions)))
	}
	if err := ix.Apply(docs, nil); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"bank sampah", ""} {
		newest := slugs(mustSearch(t, ix, Request{Query: q, Sort: "newest"}).Hits)
		if want := []string{"jan-2025-later-ns", "jan-2025", "jan-2025-wita", "dec-2024", "jun-2023"}; !slices.Equal(newest, want) {
			t.Errorf("%q newest first: %v, want %v", q, newest, want)
		}
		adopted := slugs(mustSearch(t, ix, Request{Query: q, Sort: "adopted"}).Hits)
		if want := []string{"jan-2025-wita", "dec-2024", "jan-2025", "jun-2023", "jan-2025-later-ns"}; !slices.Equal(adopted, want) {
			t.Errorf("%q most adopted first: %v, want %v", q, adopted, want)
		}
	}
}

// The similar innovations of a record are innovations only: a visit about
// the same thing, with the same words in its title, is never among them,
// nor the record itself, for any reader.
func TestRelatedShowsInnovationsOnly(t *testing.T) {
	ix := openTestIndex(t)
	b := testBuilder(t)
	var docs []*Document
	for i := range 6 {
		docs = append(docs, b.Innovation(int64(i+1), &kb.Innovation{Slug: fmt.Sprintf("bank-sampah-%d", i), Title: fmt.Sprintf("Bank Sampah Kelurahan %d", i),
			Summary: "Warga menabung sampah.", Region: "33.72", Language: "id", Visibility: "public"}, "2024-10-22T00:00:00Z", nil))
	}
	for i := range 6 {
		docs = append(docs, b.Visit(int64(i+1), &kb.Visit{Slug: fmt.Sprintf("kunjungan-bank-sampah-%d", i), Title: fmt.Sprintf("Studi Tiru Bank Sampah Kelurahan %d", i),
			VisitType: "studi_tiru", StartDate: "2024-10-22", EndDate: "2024-10-22", VisitorRegion: "63.03", HostRegion: "33.72",
			Language: "id", Visibility: "public"}, "2024-10-22T00:00:00Z", nil))
	}
	// Filler, so that the title words are distinctive.
	for i := range 30 {
		docs = append(docs, b.Innovation(int64(100+i), &kb.Innovation{Slug: fmt.Sprintf("lain-%d", i), Title: fmt.Sprintf("Layanan Lain %d", i),
			Summary: "Program lain.", Region: "33.72", Language: "id", Visibility: "public"}, "2024-10-22T00:00:00Z", nil))
	}
	if err := ix.Apply(docs, nil); err != nil {
		t.Fatal(err)
	}
	for _, v := range []kb.Viewer{{}, {Region: "63.03"}, {AllInternal: true}} {
		rel, err := ix.Related(context.Background(), "innovation", 1, "Bank Sampah Kelurahan 0", nil, "", v, 10)
		if err != nil {
			t.Fatal(err)
		}
		got := slugs(rel)
		if len(got) != 5 {
			t.Errorf("viewer %+v: %v, want the five other banks", v, got)
		}
		for _, s := range got {
			if !strings.HasPrefix(s, "bank-sampah-") || s == "bank-sampah-0" {
				t.Errorf("viewer %+v: %v holds %s", v, got, s)
			}
		}
	}
}

// Words that name a kind of visit ("kunker", "studi banding") ask for
// visits: the visits to Solo come before an innovation in Solo, the visit
// of the named type first, and a visit logged as another type is found
// though it never says the word.
func TestVisitWordsAskForVisits(t *testing.T) {
	ix := openTestIndex(t)
	b := testBuilder(t)
	visit := func(id int64, slug, typ, title string) *Document {
		return b.Visit(id, &kb.Visit{Slug: slug, Title: title, VisitType: typ, StartDate: "2024-10-22", EndDate: "2024-10-22",
			VisitorRegion: "63.03", HostRegion: "33.72", Purpose: "Mempelajari layanan informasi publik.", Language: "id", Visibility: "public"},
			"2024-10-22T00:00:00Z", nil)
	}
	docs := []*Document{
		innovationDoc(b, 1, "app", "33.72", "Aplikasi Pengaduan Warga Solo",
			"Warga Kota Solo melapor lewat aplikasi; pemkot Solo menindaklanjuti."),
		visit(2, "tiru", "studi_tiru", "Studi Tiru DKISP Banjar ke Diskominfo Surakarta"),
		visit(3, "kunker", "kunjungan_kerja", "Kunjungan Kerja DPRD Banjar ke Surakarta"),
	}
	if err := ix.Apply(docs, nil); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ q, first string }{
		{"kunker Solo", "kunker"},
		{"studi banding solo", ""},
		{"working visit Surakarta", "kunker"},
		{"studi tiru solo", "tiru"},
	} {
		got := slugs(mustSearch(t, ix, Request{Query: tc.q}).Hits)
		if i := slices.Index(got, "app"); len(got) != 3 || i != 2 {
			t.Errorf("%q found %v, want both visits, then the innovation", tc.q, got)
		} else if tc.first != "" && got[0] != tc.first {
			t.Errorf("%q found %v, want %s first", tc.q, got, tc.first)
		}
	}
	// A visit word alone lists the visits, the named type first, though
	// the studi tiru never says "kunker" (the seed data's one visit is a
	// studi tiru, and "kunker" found nothing there). So do the bare
	// "kunjungan" and "visit".
	for _, tc := range []struct{ q, first string }{{"kunker", "kunker"}, {"studi tiru", "tiru"}, {"kunk", "kunker"}, {"kunjungan", "kunker"}, {"visit", ""}} {
		if got := slugs(mustSearch(t, ix, Request{Query: tc.q}).Hits); len(got) < 2 || (tc.first != "" && got[0] != tc.first) || !slices.Contains(got, "tiru") || !slices.Contains(got, "kunker") {
			t.Errorf("%q found %v, want both visits, %s first", tc.q, got, tc.first)
		}
	}
	// Without a word naming a visit, nothing favours visits.
	if got := slugs(mustSearch(t, ix, Request{Query: "pengaduan solo"}).Hits); len(got) == 0 || got[0] != "app" {
		t.Errorf("pengaduan solo found %v, want the innovation first", got)
	}
}

// A word naming a visit ranks the visits on its topic above an innovation
// on it, even one that says the topic's word, in English and Indonesian,
// in its title, tags and text while the visit's notes say it once (and
// its title not the visit word: it is logged as a studi banding):
// "studi banding pajak" put an English tax innovation above the study
// visit about tax.
func TestVisitWordWithATopicRanksTheVisitsFirst(t *testing.T) {
	ix := openTestIndex(t)
	b := testBuilder(t)
	docs := []*Document{
		b.Innovation(1, &kb.Innovation{Slug: "tax", Title: "Tax Amnesty and Property Tax Arrears Drive", Region: "16.71", Agency: "Badan Pengelola Pajak Daerah Kota Palembang", Language: "en", Visibility: "public",
			Summary:  "The city waives penalties on property tax arrears, and tax teams visit the owners with the largest arrears.",
			Problem:  "Decades of unpaid property tax had built up on a tax roll full of wrong owners.",
			Solution: "An amnesty window with a clean-up of the tax roll, door to door.",
			Body:     "Some 12,000 invalid tax records were closed, and the tax arrears were collected in 2022.",
			Tags:     []string{"property tax", "tax amnesty"}}, "2024-10-22T00:00:00Z", nil),
		b.Visit(2, &kb.Visit{Slug: "visit", Title: "Bapenda Muara Enim ke Bapenda Kota Bekasi", VisitType: "studi_banding",
			StartDate: "2022-09-07", EndDate: "2022-09-08", VisitorRegion: "16.03", HostRegion: "32.75",
			Purpose: "Mempelajari validasi BPHTB daring dan integrasi dengan BPN serta bank untuk meningkatkan PAD.",
			Body: "Bekasi memakai aplikasi yang terhubung ke BPN; PPAT tidak bisa mendaftarkan peralihan hak tanpa bukti bayar tervalidasi. " +
				"Muara Enim perlu MoU dengan Kantor Pertanahan dan pemutakhiran zona nilai tanah lebih dulu. Rekomendasi: menyusun Perbup tata cara pajak elektronik.",
			Language: "id", Visibility: "public"},
			"2024-10-22T00:00:00Z", nil),
	}
	// Other records, so that the words weigh as in a collection: few are
	// visits, and none says "pajak" or "tax".
	topics := []string{"Wifi Gratis di Taman", "Bank Sampah Sekolah", "Antrean Online Puskesmas", "Posyandu Digital",
		"Ambulans Desa", "Perizinan Keliling", "Beasiswa Anak Nelayan", "Pasar Rakyat Bersih", "Sekolah Lapang Petani",
		"Aduan Warga lewat WhatsApp", "Lampu Jalan Tenaga Surya", "Kartu Identitas Anak", "Perpustakaan Keliling", "Taman Ramah Anak"}
	for i := range 4 * len(topics) {
		title := fmt.Sprintf("%s %d", topics[i%len(topics)], i)
		docs = append(docs, innovationDoc(b, int64(10+i), fmt.Sprintf("s%d", i), "33.72", title, title+": layanan pemerintah daerah untuk warga."))
	}
	docs = append(docs, b.Visit(100, &kb.Visit{Slug: "other-visit", Title: "Kunjungan Kerja DPRD ke Surakarta", VisitType: "kunjungan_kerja",
		StartDate: "2023-05-02", EndDate: "2023-05-03", VisitorRegion: "63.03", HostRegion: "33.72",
		Purpose: "Mempelajari layanan aduan warga.", Language: "id", Visibility: "public"}, "2024-10-22T00:00:00Z", nil))
	if err := ix.Apply(docs, nil); err != nil {
		t.Fatal(err)
	}
	if got := slugs(mustSearch(t, ix, Request{Query: "studi banding pajak"}).Hits); len(got) < 2 || got[0] != "visit" || got[1] != "tax" {
		t.Errorf("studi banding pajak found %v, want the visit, then the innovation", got)
	}
	if got := slugs(mustSearch(t, ix, Request{Query: "pajak"}).Hits); len(got) < 2 || got[0] != "tax" {
		t.Errorf("pajak found %v, want the innovation first", got)
	}
}

// The last word of a query that ends in a word may still be being typed
// (results update as people type): when it matches nothing, it stands for
// the words it begins, and the likeliest one is suggested. A finished word
// (a space after it) or one that matches as written is not completed.
func TestUnfinishedLastWordCompletes(t *testing.T) {
	ix := filledIndex(t,
		[2]string{"Aplikasi Pengaduan Warga", "Warga mengirim pengaduan lewat aplikasi di ponsel."},
		[2]string{"Pengelolaan Sampah Terpadu", "Sampah dipilah dan diangkut terjadwal."},
		[2]string{"Bank Sampah Desa", "Warga menabung sampah di bank sampah desa."},
		[2]string{"Aplikasi Pena Digital", "Tanda tangan dengan pena digital pada aplikasi."},
		[2]string{"Penarikan Retribusi Pasar", "Petugas menarik retribusi dengan aplikasi."},
	)
	for _, tc := range []struct{ q, first, suggestion string }{
		{"aplikasi peng", "s0", "aplikasi pengaduan"},
		{"aplikasi pengad", "s0", "aplikasi pengaduan"},
		{"aplikasi pengadua", "s0", "aplikasi pengaduan"}, // also one edit away
		{"bank sam", "s2", "bank sampah"},
		{"pengelo", "s1", "pengelolaan"},
	} {
		res := mustSearch(t, ix, Request{Query: tc.q})
		if got := slugs(res.Hits); len(got) == 0 || got[0] != tc.first || res.Suggestion != tc.suggestion {
			t.Errorf("%q found %v suggesting %q, want %s first and %q", tc.q, got, res.Suggestion, tc.first, tc.suggestion)
		}
	}
	// A space ends the word: "peng" is then a whole word, respelt by its
	// near spellings, not completed.
	if res := mustSearch(t, ix, Request{Query: "aplikasi peng "}); res.Suggestion == "aplikasi pengaduan" {
		t.Errorf("aplikasi peng (finished) was completed to %q", res.Suggestion)
	}
	// A word found as written is what was meant.
	if got := slugs(mustSearch(t, ix, Request{Query: "pena"}).Hits); slices.Contains(got, "s4") {
		t.Errorf("pena found %v, want no record that only says penarikan", got)
	}
	// Two letters begin too many words to complete.
	if res := mustSearch(t, ix, Request{Query: "aplikasi pe"}); res.Suggestion != "" {
		t.Errorf("aplikasi pe suggested %q, want nothing", res.Suggestion)
	}
}

// A word of the synonym list is a known word, not a typo, even where only
// its wordings of several words occur: "pemda" is not respelt "pemuda".
func TestListedWordIsNoTypo(t *testing.T) {
	ix := filledIndex(t,
		[2]string{"Forum Pemerintah Daerah dan Media", "Pemerintah daerah bertemu wartawan setiap bulan."},
		[2]string{"Pemuda Pelopor Desa", "Pemuda desa membuat konten media sosial."},
	)
	res := mustSearch(t, ix, Request{Query: "media pemda"})
	if got := slugs(res.Hits); res.Suggestion != "" || len(got) == 0 || got[0] != "s0" {
		t.Errorf("media pemda found %v suggesting %q, want s0 first and no respelling", got, res.Suggestion)
	}
}

// A word still being typed is completed rather than respelt, even when a
// near spelling is found beside the other words more often.
func TestCompletionBeforeRespelling(t *testing.T) {
	texts := [][2]string{{"Puskesmas Keliling ke Dusun", "Mobil puskesmas keliling mendatangi dusun."}}
	for i := range 3 {
		texts = append(texts, [2]string{fmt.Sprintf("Puskesmas Pembantu %d", i), "Puskesmas kecil di desa."})
	}
	ix := filledIndex(t, texts...)
	res := mustSearch(t, ix, Request{Query: "puskesmas kelil"})
	if got := slugs(res.Hits); res.Suggestion != "puskesmas keliling" || len(got) == 0 || got[0] != "s0" {
		t.Errorf("puskesmas kelil found %v suggesting %q, want s0 first and puskesmas keliling", got, res.Suggestion)
	}
}

// Each page shows its own records, with their own titles and snippets: the
// stored fields are loaded for the page alone, after the search.
func TestPagesShowTheirOwnRecords(t *testing.T) {
	var texts [][2]string
	for i := range 30 {
		texts = append(texts, [2]string{fmt.Sprintf("Posyandu Nomor %d", i), fmt.Sprintf("Posyandu nomor %d melayani balita.", i)})
	}
	ix := filledIndex(t, texts...)
	all := slugs(mustSearch(t, ix, Request{Query: "posyandu", PerPage: 30}).Hits)
	var paged []string
	for page := 1; page <= 5; page++ {
		res := mustSearch(t, ix, Request{Query: "posyandu", Page: page, PerPage: 7})
		for _, h := range res.Hits {
			n := strings.TrimPrefix(h.Slug, "s")
			if !strings.Contains(string(h.Title), "Nomor "+n) || !strings.Contains(string(h.Snippet), "nomor "+n) {
				t.Errorf("page %d: %s shows %q / %q", page, h.Slug, h.Title, h.Snippet)
			}
			paged = append(paged, h.Slug)
		}
	}
	if !slices.Equal(paged, all) || len(all) != 30 {
		t.Errorf("pages of 7 gave %v, want %v", paged, all)
	}
}

// An abbreviation that no record uses finds the records that spell it out,
// even in their text and where its words are common ("opd" for every
// "organisasi perangkat daerah"); it found nothing.
func TestAbbreviationFindsItsWordingInText(t *testing.T) {
	var texts [][2]string
	for i := range 20 {
		texts = append(texts, [2]string{fmt.Sprintf("Layanan Data %d", i), "Setiap organisasi perangkat daerah mengirim data bulanan."})
		texts = append(texts, [2]string{fmt.Sprintf("Layanan Desa %d", i), "Perangkat desa dan organisasi pemuda di daerah ini mengelola data."})
	}
	ix := filledIndex(t, texts...)
	res := mustSearch(t, ix, Request{Query: "opd", PerPage: 50})
	if res.Total != 20 {
		t.Fatalf("opd found %d records, want the 20 that say organisasi perangkat daerah", res.Total)
	}
	for _, h := range res.Hits {
		if !strings.HasPrefix(string(h.Title), "Layanan Data") {
			t.Errorf("opd found %q", h.Title)
		}
	}
}

// A word being typed completes to the names and tags records carry (a
// region's name), and, when no indexed word begins with it, to a word of
// the synonym list, whose wordings are then searched: "kunk" on its way to
// "kunker" finds the records that say "kunjungan kerja".
func TestUnfinishedWordCompletesToNamesAndListedWords(t *testing.T) {
	ix := filledIndex(t,
		[2]string{"Kunjungan Kerja ke Dinas Tetangga", "Rombongan melakukan kunjungan kerja untuk belajar layanan data."},
		[2]string{"Kunci Digital Arsip", "Arsip dinas dikunci dengan kunci digital."},
	)
	for _, tc := range []struct{ q, first, suggestion string }{
		{"kunk", "s0", "kunker"},
		{"arsip banj", "s1", "arsip banjar"}, // every record is in Kabupaten Banjar
	} {
		res := mustSearch(t, ix, Request{Query: tc.q})
		if got := slugs(res.Hits); len(got) == 0 || got[0] != tc.first || res.Suggestion != tc.suggestion {
			t.Errorf("%q found %v suggesting %q, want %s first and %q", tc.q, got, res.Suggestion, tc.first, tc.suggestion)
		}
	}
	if res := mustSearch(t, ix, Request{Query: "kunk "}); res.Suggestion == "kunker" {
		t.Errorf("kunk (finished) was completed to kunker")
	}
}

// The verb of a need ("mengurangi") or its difficulty ("sulit") orders
// results but is not required: the queue system for ID cards answers
// "mengurangi antrean KTP" though it never says mengurangi, before a
// record that reduces something else.
func TestNeedVerbIsNotRequired(t *testing.T) {
	texts := [][2]string{
		{"Antrean Online KTP", "Warga mengambil nomor antrean KTP secara daring dan datang sesuai jam."},
		{"Mengurangi Perjalanan Warga: Cetak KTP di Kelurahan", "Mengurangi perjalanan: KTP dicetak di kelurahan, mengurangi biaya warga."},
		{"Bank Sampah Desa", "Mengurangi sampah rumah tangga."},
		{"Cetak KTP Tanpa Kesulitan", "Warga tidak lagi sulit dan kesulitan mencetak KTP."},
	}
	for i := range 12 { // so that no word of the query is in a quarter of the records
		texts = append(texts, [2]string{fmt.Sprintf("Posyandu %d", i), "Penimbangan balita setiap bulan."})
	}
	ix := filledIndex(t, texts...)
	for _, q := range []string{"mengurangi antrean KTP", "cara mengurangi antrean KTP", "warga sulit antre KTP", "warga kesulitan antrean KTP"} {
		if got := slugs(mustSearch(t, ix, Request{Query: q}).Hits); len(got) == 0 || got[0] != "s0" {
			t.Errorf("%q found %v, want the queue system s0 first", q, got)
		}
	}
}

// A word being typed brings the synonyms of several words of its
// completion, as the whole word does: "admind" finds the record that says
// "administrasi kependudukan" as "adminduk" does, not only the one tagged
// adminduk.
func TestCompletedWordBringsItsWordingsOfSeveralWords(t *testing.T) {
	texts := [][2]string{
		{"Layanan Dokumen Daring", "Administrasi kependudukan dilayani daring tanpa datang ke kantor."},
		{"Adminduk Keliling", "Petugas adminduk mendatangi kampung."},
	}
	for i := range 8 {
		texts = append(texts, [2]string{fmt.Sprintf("Posyandu %d", i), "Penimbangan balita setiap bulan."})
	}
	ix := filledIndex(t, texts...)
	for _, q := range []string{"adminduk", "admind"} {
		if got := slugs(mustSearch(t, ix, Request{Query: q}).Hits); !slices.Contains(got, "s0") || !slices.Contains(got, "s1") {
			t.Errorf("%q found %v, want s0 (administrasi kependudukan) and s1 (adminduk)", q, got)
		}
	}
}

// A record is found by its province's other names too: "Kalsel" finds a
// record of Kabupaten Banjar, in Kalimantan Selatan.
func TestProvinceAliasFindsItsRegencies(t *testing.T) {
	ix := filledIndex(t, [2]string{"Posyandu Digital", "Kader mencatat penimbangan balita di aplikasi."})
	if got := slugs(mustSearch(t, ix, Request{Query: "posyandu kalsel"}).Hits); !slices.Equal(got, []string{"s0"}) {
		t.Errorf("posyandu kalsel found %v, want s0 (Kabupaten Banjar)", got)
	}
	if got := slugs(mustSearch(t, ix, Request{Query: "kalsel"}).Hits); !slices.Equal(got, []string{"s0"}) {
		t.Errorf("kalsel found %v, want s0", got)
	}
	if res := mustSearch(t, ix, Request{Query: "jateng"}); res.Total != 0 {
		t.Errorf("jateng found %v, want nothing", slugs(res.Hits))
	}
}

// A region's nickname finds its records, but its everyday words do not
// become words of them: "Kota Hujan" is Bogor, yet a search for rain
// ("hujan") finds what is written about rain, not every Bogor record. The
// nickname is not respelt either, and widened it stays whole.
func TestNicknameFindsItsPlaceOnly(t *testing.T) {
	ix := openTestIndex(t)
	b := testBuilder(t)
	if err := ix.Apply([]*Document{
		innovationDoc(b, 1, "bogor-angkot", "32.71", "Penataan Angkot Menjadi Bus Kecil", "Trayek angkutan kota ditata ulang."),
		innovationDoc(b, 2, "bogor-taman", "32.71", "Taman Tematik", "Taman kota untuk warga."),
		innovationDoc(b, 3, "banjar-hujan", "63.03", "Peringatan Dini Banjir", "Sensor curah hujan mengirim peringatan ke warga."),
		innovationDoc(b, 4, "bandung-taman", "32.73", "Taman Kota Ramah Anak", "Taman kota dengan wifi."),
	}, nil); err != nil {
		t.Fatal(err)
	}
	if got := slugs(mustSearch(t, ix, Request{Query: "hujan"}).Hits); !slices.Equal(got, []string{"banjar-hujan"}) {
		t.Errorf("hujan found %v, want only the record about rain", got)
	}
	res := mustSearch(t, ix, Request{Query: "kota hujan"})
	if got := slugs(res.Hits); len(got) < 2 || !slices.Contains(got[:2], "bogor-angkot") || !slices.Contains(got[:2], "bogor-taman") || res.Suggestion != "" {
		t.Errorf("kota hujan found %v (suggested %q), want Bogor's records first, nothing respelt", got, res.Suggestion)
	}
	// Too few records have both: the search widens to Bogor's others, not
	// to records that say "kota" or "hujan".
	if got := slugs(mustSearch(t, ix, Request{Query: "angkot kota hujan"}).Hits); !slices.Equal(got, []string{"bogor-angkot", "bogor-taman"}) {
		t.Errorf("angkot kota hujan found %v, want Bogor's minibus reform, then Bogor's other record", got)
	}
	// "taman kota" is a wording of its own (a city park); the place's
	// whole name wins over it.
	if got := slugs(mustSearch(t, ix, Request{Query: "taman kota kembang"}).Hits); len(got) == 0 || got[0] != "bandung-taman" || slices.Contains(got, "bogor-angkot") {
		t.Errorf("taman kota kembang found %v, want Bandung's park first and no record that only says kota", got)
	}
}

// A root typed bare is a word, not a typo, when the write-ups have it only
// inflected: "urus izin" finds "pengurusan izin" and suggests nothing
// (it was respelt "arus izin", after a record about river currents).
func TestBareRootIsNoTypo(t *testing.T) {
	ix := openTestIndex(t)
	in := publicInnovation(testBuilder(t))
	if err := ix.Apply([]*Document{
		in(1, "izin", "Pengurusan Izin Usaha dari Kecamatan", "Pelaku usaha mengajukan izin tanpa ke kantor kabupaten."),
		in(2, "arus", "Pemantauan Arus Sungai", "Sensor arus dan tinggi muka air untuk peringatan banjir."),
	}, nil); err != nil {
		t.Fatal(err)
	}
	res := mustSearch(t, ix, Request{Query: "urus izin"})
	if res.Suggestion != "" {
		t.Errorf("urus izin: suggested %q", res.Suggestion)
	}
	if got := slugs(res.Hits); len(got) != 1 || got[0] != "izin" {
		t.Errorf("urus izin found %v, want the permit service only", got)
	}
}

// A word that matches nothing, neither as written nor spelt nearly, does
// not make a search settle for records with any one word: the other words
// are still all required.
func TestUnmatchedWordIsNotRequired(t *testing.T) {
	ix := openTestIndex(t)
	in := publicInnovation(testBuilder(t))
	var docs []*Document
	for i := range minStrictHits {
		docs = append(docs, in(int64(1+i), fmt.Sprintf("jalan-%d", i), fmt.Sprintf("Laporan Jalan Rusak %d", i), "Warga melapor jalan rusak dengan foto."))
	}
	for i := range 5 {
		docs = append(docs, in(int64(100+i), fmt.Sprintf("lapor-%d", i), fmt.Sprintf("Kanal Lapor Layanan %d", i), "Warga melapor keluhan layanan."))
	}
	for i := range 60 {
		docs = append(docs, in(int64(200+i), fmt.Sprintf("lain-%d", i), fmt.Sprintf("Program Lain %d", i), "Kegiatan rutin dinas."))
	}
	if err := ix.Apply(docs, nil); err != nil {
		t.Fatal(err)
	}
	res := mustSearch(t, ix, Request{Query: "lapor jalan zqxwv", PerPage: 50})
	for _, s := range slugs(res.Hits) {
		if !strings.HasPrefix(s, "jalan-") {
			t.Errorf("lapor jalan zqxwv found %s, want the road reports only", s)
		}
	}
	if res.Total != minStrictHits {
		t.Errorf("lapor jalan zqxwv found %d records, want %d", res.Total, minStrictHits)
	}
}

// An informal verb form is the word it stands for, not a typo: "ngurus
// izin" is "mengurus izin", and ranks the permit service that says
// "mengurus" above one that only says "izin", without a suggestion.
func TestInformalFormsFindTheirRoot(t *testing.T) {
	ix := openTestIndex(t)
	b := testBuilder(t)
	if err := ix.Apply([]*Document{
		innovationDoc(b, 1, "urus", "63.03", "Layanan Perizinan dari Kecamatan", "Pelaku usaha mengurus izin tanpa ke kantor kabupaten."),
		innovationDoc(b, 2, "acara", "63.03", "Izin Keramaian: Izin Acara Warga", "Izin acara dan izin keramaian diajukan daring."),
		innovationDoc(b, 3, "sampah", "63.03", "Laporan Sampah Menumpuk", "Warga memotret sampah yang menumpuk di pasar."),
		innovationDoc(b, 4, "tani", "63.03", "Pertanian Organik di Lereng Gunung", "Petani menanam tanpa pupuk kimia."),
		innovationDoc(b, 5, "toraja", "73.18", "Festival Budaya", "Pentas tahunan di Tana Toraja."),
	}, nil); err != nil {
		t.Fatal(err)
	}
	// A typo that merely ends in -in is still a typo: without it,
	// "pertanain" would be "pertana", whose stem is the place name Tana.
	if res := mustSearch(t, ix, Request{Query: "pertanain "}); res.Suggestion != "pertanian" {
		t.Errorf("pertanain: suggested %q, want pertanian", res.Suggestion)
	}
	for _, tc := range []struct{ q, first string }{{"ngurus izin", "urus"}, {"numpuk", "sampah"}} {
		res := mustSearch(t, ix, Request{Query: tc.q + " "})
		if got := slugs(res.Hits); len(got) == 0 || got[0] != tc.first {
			t.Errorf("%q found %v, want %s first", tc.q, got, tc.first)
		}
		if res.Suggestion != "" {
			t.Errorf("%q suggested %q", tc.q, res.Suggestion)
		}
	}
}

// A record about the word typed is not outranked by one that uses several
// of its synonyms in passing: a synonym group's wordings are alternatives,
// and a record scores by the one it matches best.
func TestWordTypedOutranksSynonymsInPassing(t *testing.T) {
	ix := openTestIndex(t)
	in := publicInnovation(testBuilder(t))
	docs := []*Document{
		in(1, "pengaduan", "Layanan Pengaduan Terpadu", "Satu nomor untuk pengaduan layanan kelurahan."),
		in(2, "rapat", "Rapat Koordinasi Bulanan Kecamatan", "Rapat membahas keluhan, aduan, laporan warga dan laporan masyarakat yang masuk, juga complaint dari media."),
	}
	for i := range 20 {
		docs = append(docs, in(int64(10+i), fmt.Sprintf("lain-%d", i), fmt.Sprintf("Program Lain %d", i), "Kegiatan rutin dinas."))
	}
	if err := ix.Apply(docs, nil); err != nil {
		t.Fatal(err)
	}
	if got := slugs(mustSearch(t, ix, Request{Query: "pengaduan "}).Hits); len(got) < 2 || got[0] != "pengaduan" {
		t.Errorf("pengaduan found %v, want the complaint service first", got)
	}
}

// A search that arrives while the index is being swapped or closed under
// its write lock answers "not ready" within its time budget, instead of
// waiting behind the lock for as long as closing takes.
func TestSearchDoesNotWaitBehindASwap(t *testing.T) {
	ix := filledIndex(t, [2]string{"Bank Sampah Kelurahan", "Warga menabung sampah."})
	ix.opt.Budget = 50 * time.Millisecond
	ix.mu.Lock()
	done := make(chan error, 2)
	go func() {
		_, err := ix.Search(context.Background(), Request{Query: "sampah"})
		done <- err
	}()
	go func() {
		_, err := ix.Related(context.Background(), "innovation", 1, "Bank Sampah", nil, "", kb.Viewer{}, 5)
		done <- err
	}()
	for range 2 {
		select {
		case err := <-done:
			if !errors.Is(err, ErrNotReady) {
				t.Errorf("while the index is locked: %v, want ErrNotReady", err)
			}
		case <-time.After(time.Minute):
			t.Fatal("a search waited a minute behind the write lock")
		}
	}
	ix.mu.Unlock()
	ix.opt.Budget = 0 // the default again: a loaded machine may take more than 50 ms
	if res := mustSearch(t, ix, Request{Query: "sampah"}); res.Total != 1 {
		t.Errorf("after the swap: %d found, want 1", res.Total)
	}
}

// The word being typed completes a listed wording of several words when
// the words before it begin that wording: "kartu tanda pen" is on its way
// to "kartu tanda penduduk", though "pendaftaran" is the commoner word.
func TestTypingCompletesAListedWording(t *testing.T) {
	var texts [][2]string
	texts = append(texts, [2]string{"Cetak Kartu Tanda Penduduk di Kelurahan", "Warga mencetak kartu tanda penduduk tanpa ke kantor dinas."})
	for i := range 8 {
		texts = append(texts, [2]string{fmt.Sprintf("Pendaftaran Daring %d", i), "Pendaftaran dan kartu antrean untuk tanda terima."})
	}
	ix := filledIndex(t, texts...)
	res := mustSearch(t, ix, Request{Query: "kartu tanda pen"})
	if res.Suggestion != "kartu tanda penduduk" {
		t.Errorf("kartu tanda pen: suggested %q, want kartu tanda penduduk", res.Suggestion)
	}
	if len(res.Hits) == 0 || !strings.Contains(res.Hits[0].Title, "Kartu Tanda Penduduk") {
		t.Errorf("kartu tanda pen: first %v, want the ID card service", slugs(res.Hits))
	}
	// A space after the word: it is finished, and left alone.
	if res := mustSearch(t, ix, Request{Query: "kartu tanda pen "}); res.Suggestion == "kartu tanda penduduk" {
		t.Error("a finished word was completed")
	}
}

// A word or quoted phrase with a minus in front leaves out the records
// that have it, as written; a minus inside a word is part of the word.
func TestMinusExcludes(t *testing.T) {
	ix := filledIndex(t,
		[2]string{"Wifi gratis di taman", "Warga memakai wifi gratis di taman kota."},
		[2]string{"Wifi gratis di pasar", "Pedagang memakai wifi gratis di pasar."},
		[2]string{"Wifi berbayar", "Voucher wifi berbayar untuk tatap muka daring."},
		[2]string{"Antrean e-KTP", "Perekaman e-KTP tanpa antre."},
		[2]string{"Pembayaran pajak", "Warga membayar pajak lewat aplikasi."},
	)
	for _, c := range []struct {
		q    string
		want []string
	}{
		{"wifi -taman", []string{"s1", "s2"}},
		{"wifi gratis -taman -PASAR", []string{"s2"}}, // too few have both words: wifi alone
		{`wifi -"tatap muka"`, []string{"s0", "s1"}},
		{`wifi "-taman"`, []string{"s0"}}, // inside quotes the minus is only a separator
		{"e-ktp", []string{"s3"}},
		{"-berbayar warga", []string{"s0", "s4"}}, // as written: pembayaran stays
	} {
		got := slugs(mustSearch(t, ix, Request{Query: c.q}).Hits)
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s found %v, want %v", c.q, got, c.want)
		}
	}
	// Only exclusions: everything else, as when browsing.
	res := mustSearch(t, ix, Request{Query: "-wifi"})
	if got := slugs(res.Hits); res.Total != 2 || slices.Contains(got, "s0") {
		t.Errorf("-wifi browsed %v, want the two records without wifi", got)
	}
	// A respelling keeps the exclusion, so following it still leaves the
	// records out.
	res = mustSearch(t, ix, Request{Query: "wiffi -taman"})
	if res.Suggestion != "wifi -taman" {
		t.Errorf("wiffi -taman suggests %q, want %q", res.Suggestion, "wifi -taman")
	}
	if got := slugs(res.Hits); slices.Contains(got, "s0") || len(got) != 2 {
		t.Errorf("wiffi -taman found %v, want s1 and s2", got)
	}
}

// A word written with a letter-alone prefix ("e-Kinerja") names a
// system: the records that name it come first, those that only share the
// word after the prefix follow, and a quoted phrase keeps the prefix.
func TestLetterPrefixSearch(t *testing.T) {
	ix := filledIndex(t,
		[2]string{"Aplikasi e-Kinerja ASN", "Pegawai mengisi e-Kinerja setiap hari."},
		[2]string{"Laporan kinerja instansi", "Kinerja instansi diukur tiap tahun dengan indikator kinerja."},
		[2]string{"Perekaman e-KTP tanpa antre", "Perekaman e-KTP tanpa antre di kelurahan."},
		[2]string{"Cetak KTP tanpa antre", "Cetak KTP tanpa antre di kecamatan."},
		[2]string{"Belanja pemerintah", "Pengadaan lewat e-Catalogue lokal."},
	)
	res := mustSearch(t, ix, Request{Query: "e-kinerja"})
	if got := slugs(res.Hits); !slices.Equal(got, []string{"s0", "s1"}) {
		t.Errorf("e-kinerja found %v, want the e-Kinerja record, then the kinerja one", got)
	}
	if len(res.Hits) > 0 && !strings.Contains(res.Hits[0].TitleHTML, "<mark>e-Kinerja</mark>") {
		t.Errorf("e-kinerja title marked as %q", res.Hits[0].TitleHTML)
	}
	if got := slugs(mustSearch(t, ix, Request{Query: "kinerja"}).Hits); len(got) != 2 {
		t.Errorf("kinerja found %v, want both records", got)
	}
	if got := slugs(mustSearch(t, ix, Request{Query: `"e-ktp tanpa antre"`}).Hits); !slices.Equal(got, []string{"s2"}) {
		t.Errorf(`"e-ktp tanpa antre" found %v, want only the e-KTP record`, got)
	}
	// A synonym written with a prefix is a synonym like any other word.
	if got := slugs(mustSearch(t, ix, Request{Query: "e-katalog"}).Hits); !slices.Equal(got, []string{"s4"}) {
		t.Errorf("e-katalog found %v, want the e-Catalogue record", got)
	}
	// No record says e-Instansi: the word after the prefix is searched.
	if got := slugs(mustSearch(t, ix, Request{Query: "e-instansi"}).Hits); !slices.Equal(got, []string{"s1"}) {
		t.Errorf("e-instansi found %v, want the record about instansi", got)
	}
}

func TestNegationsParse(t *testing.T) {
	for _, c := range []struct {
		q, rest string
		not     []string
	}{
		{"wifi -taman", "wifi", []string{"taman"}},
		{`-"tatap muka" layanan`, "layanan", []string{"tatap muka"}},
		{`"a -b" c`, `"a -b" c`, nil},
		{"e-ktp covid-19", "e-ktp covid-19", nil},
		{"+- - -- x", "+- - -- x", nil},
		{`-abc"de f"`, `"de f"`, []string{"abc"}},
		{`-"open`, "", []string{"open"}},
		{`wifi -"berbayar`, "wifi", []string{"berbayar"}}, // an unclosed excluded phrase excludes the rest
		{`"tatap -muka`, "tatap", []string{"muka"}},       // a quote left over is a separator
		{`-"tatap muka" "daring`, "daring", []string{"tatap muka"}},
		{"--ganda", "", []string{"ganda"}},
	} {
		rest, not := negations(c.q)
		if rest != c.rest || !slices.Equal(not, c.not) {
			t.Errorf("negations(%q) = %q, %q; want %q, %q", c.q, rest, not, c.rest, c.not)
		}
	}
}

// A synonym's wording of several common words ("tanpa biaya" for
// "gratis") is looked for in the text when another word of the query is
// rare and required: the records with that word bound the work. A village
// ambulance that carries people "tanpa biaya" has both things asked for.
func TestRareWordLetsSynonymWordingsBeFoundInText(t *testing.T) {
	texts := [][2]string{
		{"Ambulans desa", "Mobil siaga desa mengantar warga sakit tanpa biaya."},
		{"Wifi gratis", "Internet gratis di taman kota."},
	}
	for i := 0; i < 10; i++ {
		texts = append(texts, [2]string{fmt.Sprintf("Layanan keliling %d", i), "Layanan tanpa antre; biaya ditanggung daerah."})
	}
	ix := filledIndex(t, texts...)
	r := readerOf(t, ix)
	plan := ix.textQuery(context.Background(), r, "ambulans gratis", true, nil)
	res, _, err := ix.run(context.Background(), Request{Query: "ambulans gratis", Facets: []string{}}, plan.strict, nil, nil, nil, 0, 20, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 || res.Hits[0].ID != "innovation:1" {
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.ID)
		}
		t.Errorf("records with both ambulans and a wording of gratis: %v, want the ambulance (innovation:1)", got)
	}
	if got := slugs(mustSearch(t, ix, Request{Query: "ambulans gratis"}).Hits); len(got) == 0 || got[0] != "s0" {
		t.Errorf("ambulans gratis: %v, want the ambulance first", got)
	}
}

// A place in the query ranks up the records that happened there: a visit
// to it, not one from it, unless the query says "dari" (from) or names the
// government that acts ("Pemkot Solo"); an innovation of the region, not
// one elsewhere that mentions it.
func TestPlaceRanksUpWhatHappenedThere(t *testing.T) {
	ix := openTestIndex(t)
	b := testBuilder(t)
	visit := func(id int64, slug, from, to, title string) *Document {
		return b.Visit(id, &kb.Visit{Slug: slug, Title: title, VisitType: "kunjungan_kerja", StartDate: "2024-10-22", EndDate: "2024-10-22",
			VisitorRegion: from, HostRegion: to, Purpose: "Mempelajari layanan pengaduan di Solo dan Surabaya.", Language: "id", Visibility: "public"},
			"2024-10-22T00:00:00Z", nil)
	}
	docs := []*Document{
		// The visit from Solo says "Solo" as often as the one to it.
		visit(1, "dari-solo", "33.72", "35.78", "Kunjungan kerja Solo ke Surabaya"),
		visit(2, "ke-solo", "63.03", "33.72", "Kunjungan kerja Banjar ke Solo"),
		innovationDoc(b, 3, "balai-banjar", "51.71", "Wifi di balai banjar",
			"Setiap banjar adat di Denpasar punya wifi; warga banjar memakai wifi di balai banjar."),
		// Says "internet gratis", not "wifi", nor "Kabupaten Banjar".
		innovationDoc(b, 4, "wifi-kab-banjar", "63.03", "Internet desa",
			"Internet gratis di kantor desa."),
		innovationDoc(b, 5, "solo-app", "33.72", "Aplikasi pengaduan",
			"Warga melapor lewat aplikasi."),
		// Surabaya is "Kota Pahlawan"; "pahlawan" alone is a hero, no place.
		innovationDoc(b, 6, "taman-surabaya", "35.78", "Taman kota",
			"Taman kota untuk warga."),
		innovationDoc(b, 7, "taman-pahlawan", "63.03", "Taman Pahlawan",
			"Perawatan Taman Pahlawan oleh warga."),
		// Kota Banjar, in Jawa Barat, is not Kabupaten Banjar.
		innovationDoc(b, 8, "wifi-kota-banjar", "32.79", "Wifi taman",
			"Wifi gratis di taman."),
	}
	if err := ix.Apply(docs, nil); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ q, first string }{
		{"kunker solo", "ke-solo"},
		{"kunker ke surakarta", "ke-solo"},
		{"kunker dari solo", "dari-solo"},
		{"inovasi dari solo", "solo-app"},
		{"inovasi solo", "solo-app"}, // not the visit to Solo, whose title says Solo
		{"taman pahlawan", "taman-pahlawan"},
		{"taman kota pahlawan", "taman-surabaya"},
		// A kabupaten or kota as people shorten it is that one only.
		{"kab banjar wifi", "wifi-kab-banjar"},
		{"wifi kabupaten banjar", "wifi-kab-banjar"},
		{"wifi kota banjar", "wifi-kota-banjar"},
		// "Pemkot Solo" acts: its people's visits, unless one goes to it.
		{"pemkot solo kunker", "dari-solo"},
		{"kunker ke pemkot solo", "ke-solo"},
		{"pemkab banjar kunker", "ke-solo"},
	} {
		if got := slugs(mustSearch(t, ix, Request{Query: tc.q}).Hits); len(got) == 0 || got[0] != tc.first {
			t.Errorf("%q found %v, want %s first", tc.q, got, tc.first)
		}
	}
	// Either Banjar, not Denpasar's banjar halls.
	if got := slugs(mustSearch(t, ix, Request{Query: "wifi banjar"}).Hits); len(got) == 0 || got[0] == "balai-banjar" {
		t.Errorf("wifi banjar found %v, want a Banjar's record first", got)
	}
}

// "inovasi" frames a question in a catalogue of innovations: a write-up
// need not say it to answer "inovasi banjar".
func TestCatalogueWordIsNotRequired(t *testing.T) {
	ix := openTestIndex(t)
	b := testBuilder(t)
	docs := []*Document{
		innovationDoc(b, 1, "posko-banjar", "63.03", "Posko siaga banjir desa", "Relawan desa berjaga saat sungai meluap."),
		innovationDoc(b, 2, "wifi-solo", "33.72", "Inovasi wifi taman", "Inovasi ini dipelajari tamu dari Banjar."),
	}
	for i := range 10 {
		docs = append(docs, innovationDoc(b, int64(3+i), fmt.Sprintf("lain-%d", i), "35.78", fmt.Sprintf("Layanan %d", i), "Layanan kota."))
	}
	if err := ix.Apply(docs, nil); err != nil {
		t.Fatal(err)
	}
	if got := slugs(mustSearch(t, ix, Request{Query: "inovasi banjar"}).Hits); len(got) < 2 || got[0] != "posko-banjar" {
		t.Errorf("inovasi banjar: %v, want Banjar's own innovation first", got)
	}
}

// A year in the query ranks up the records of that year, which seldom
// write it: a visit's start, an innovation's first year.
func TestYearRanksUpItsRecords(t *testing.T) {
	ix := openTestIndex(t)
	b := testBuilder(t)
	visit := func(id int64, slug, start, title string) *Document {
		return b.Visit(id, &kb.Visit{Slug: slug, Title: title, VisitType: "kunjungan_kerja", StartDate: start, EndDate: start,
			VisitorRegion: "63.03", HostRegion: "33.72", Purpose: "Mempelajari layanan pengaduan.", Language: "id", Visibility: "public"},
			"2024-10-22T00:00:00Z", nil)
	}
	if err := ix.Apply([]*Document{
		visit(1, "kunker-2019", "2019-05-02", "Kunjungan kerja Banjar ke Solo, Kota Solo, akhir tahun"),
		visit(2, "kunker-2023", "2023-08-14", "Kunjungan kerja Banjar ke Surakarta, laporan 2023"),
	}, nil); err != nil {
		t.Fatal(err)
	}
	if got := slugs(mustSearch(t, ix, Request{Query: "kunker solo 2023"}).Hits); len(got) != 2 || got[0] != "kunker-2023" {
		t.Errorf("kunker solo 2023: %v, want both visits, the one of 2023 first", got)
	}
	// With no other word required, the year is, and a record of that year
	// has it though its text never says it.
	plan := ix.textQuery(context.Background(), readerOf(t, ix), "kunker 2023", false, nil)
	res, _, err := ix.run(context.Background(), Request{Query: "kunker 2023", Facets: []string{}}, plan.strict, nil, nil, nil, 0, 20, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 || res.Hits[0].ID != "visit:2" {
		t.Errorf("records that have every word of kunker 2023: %d, want the visit of 2023 alone", len(res.Hits))
	}
	// Words that say when ("tahun", a month) are not required beside a
	// year: no visit writes "tahun 2023".
	for _, q := range []string{"kunker tahun 2023", "kunker solo bulan agustus 2023"} {
		if got := slugs(mustSearch(t, ix, Request{Query: q}).Hits); len(got) == 0 || got[0] != "kunker-2023" {
			t.Errorf("%s: %v, want the visit of 2023 first", q, got)
		}
	}
	// A year is meant as typed: no record of 2024 is no reason to offer
	// 2023 instead.
	if res := mustSearch(t, ix, Request{Query: "kunker solo 2024"}); res.Suggestion != "" {
		t.Errorf("kunker solo 2024 suggests %q, want nothing", res.Suggestion)
	}
}

// Whatever is typed, taking the exclusions out leaves balanced quotes for
// the phrases, excludes no empty text, and leaves no word that a minus
// opens.
func FuzzNegations(f *testing.F) {
	for _, q := range []string{`wifi -berbayar`, `-"tatap muka" "daring`, `"a -b" c`, `-"`, `--`, `- -x`, `-abc"de f"`, `"tatap -muka`} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		rest, not := negations(cleanQuery(q))
		if strings.Count(rest, `"`)%2 != 0 {
			t.Errorf("negations(%q) left unbalanced quotes: %q", q, rest)
		}
		for _, n := range not {
			if strings.TrimSpace(n) == "" {
				t.Errorf("negations(%q) excludes an empty text", q)
			}
		}
		if len(not) > MaxExcluded {
			t.Errorf("negations(%q) excludes %d texts", q, len(not))
		}
		again, more := negations(rest)
		if len(more) > 0 && !strings.Contains(rest, `"`) {
			t.Errorf("negations(%q) left %q, which still excludes %q (%q)", q, rest, more, again)
		}
	})
}

// A word one edit away is the likelier meaning than a commoner one two
// edits away: "transparasi" is "transparansi", not "transportasi".
func TestRespellingPrefersFewerEdits(t *testing.T) {
	ix := filledIndex(t,
		[2]string{"Bus sekolah", "Transportasi gratis untuk siswa."},
		[2]string{"Angkutan desa", "Transportasi desa ke pasar."},
		[2]string{"Ojek kampung", "Transportasi warga kampung."},
		[2]string{"Baliho APBDes", "Transparansi anggaran desa di baliho."},
	)
	if res := mustSearch(t, ix, Request{Query: "transparasi"}); res.Suggestion != "transparansi" {
		t.Errorf("transparasi: suggested %q, want transparansi", res.Suggestion)
	}
}

// A connective says how, not what: "tpp berbasis kinerja" is answered by
// a write-up on performance-based allowances that never says "berbasis".
func TestConnectiveIsNotRequired(t *testing.T) {
	texts := [][2]string{
		{"TPP menurut kinerja", "Tambahan penghasilan pegawai (TPP) dibayar menurut capaian kinerja."},
		{"Layanan berbasis data", "Perencanaan berbasis data desa."},
	}
	for i := range 10 {
		texts = append(texts, [2]string{fmt.Sprintf("Taman kota %d", i), "Taman untuk warga."})
	}
	ix := filledIndex(t, texts...)
	plan := ix.textQuery(context.Background(), readerOf(t, ix), "tpp berbasis kinerja", false, nil)
	res, _, err := ix.run(context.Background(), Request{Query: "tpp berbasis kinerja", Facets: []string{}}, plan.strict, nil, nil, nil, 0, 20, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 || res.Hits[0].ID != "innovation:1" {
		t.Errorf("records with every word that matters of tpp berbasis kinerja: %d, want the TPP write-up", len(res.Hits))
	}
}

// A word of an English write-up is a word, not a typo, though only
// another form of it is written: "request" finds "requests" through the
// English fields instead of being respelt as the plural.
func TestEnglishWordIsNoTypo(t *testing.T) {
	ix := openTestIndex(t)
	b := testBuilder(t)
	doc := b.Innovation(1, &kb.Innovation{Slug: "leave-online", Title: "Online leave for civil servants", Region: "33.08",
		Language: "en", Visibility: "public", Summary: "Staff file leave requests from their phones."}, "2024-10-22T00:00:00Z", nil)
	if err := ix.Apply([]*Document{doc}, nil); err != nil {
		t.Fatal(err)
	}
	res := mustSearch(t, ix, Request{Query: "leave request"})
	if res.Suggestion != "" || len(res.Hits) != 1 {
		t.Errorf("leave request: %v suggesting %q, want the write-up and no respelling", slugs(res.Hits), res.Suggestion)
	}
}

// A word typed in capitals is an acronym: one the records lack is not a
// typo of one they have (TPID, the inflation team, is not PPID; PPIP is
// taken the same way).
func TestAcronymIsNotRespelt(t *testing.T) {
	ix := filledIndex(t, [2]string{"PPID desa", "Pejabat pengelola informasi dan dokumentasi (PPID) di tiap desa."})
	if res := mustSearch(t, ix, Request{Query: "PPIP desa"}); res.Suggestion != "" {
		t.Errorf("PPIP desa suggests %q, want nothing", res.Suggestion)
	}
	// The same letters in lower case may be a typo, and are respelt.
	if res := mustSearch(t, ix, Request{Query: "ppip desa "}); !strings.Contains(res.Suggestion, "ppid") {
		t.Errorf("ppip desa suggests %q, want ppid", res.Suggestion)
	}
}

// A word of three letters still completes while typed, though it is too
// short to be respelt ("ret" is retribusi, which no synonym line lists
// beside it); and "pre-ktp" is no letter prefix of "ktp".
func TestShortWordCompletesAndPrefixesAreWhole(t *testing.T) {
	ix := filledIndex(t,
		[2]string{"Retribusi pasar non tunai", "Pedagang membayar retribusi lewat kode QR."},
		[2]string{"Retribusi parkir", "Juru parkir menarik retribusi dengan mesin."},
	)
	res := mustSearch(t, ix, Request{Query: "ret"})
	if res.Suggestion != "retribusi" || len(res.Hits) != 2 {
		t.Errorf("ret: %v suggesting %q, want both records and retribusi", slugs(res.Hits), res.Suggestion)
	}
	if got := afterPrefix("ektp pre-ktp", "ektp"); got != "" {
		t.Errorf(`afterPrefix in "ektp pre-ktp" = %q, want none`, got)
	}
	if got := afterPrefix("ektp e-ktpku", "ektp"); got != "" {
		t.Errorf(`afterPrefix in "ektp e-ktpku" = %q, want none`, got)
	}
	if got := afterPrefix("syarat e-ktp", "ektp"); got != "ktp" {
		t.Errorf(`afterPrefix in "syarat e-ktp" = %q, want ktp`, got)
	}
}

// A month named before a year ranks up the visits that began in that
// month over the rest of the year's.
func TestMonthRanksUpItsVisits(t *testing.T) {
	ix := openTestIndex(t)
	b := testBuilder(t)
	visit := func(id int64, slug, start string) *Document {
		return b.Visit(id, &kb.Visit{Slug: slug, Title: "Kunjungan kerja Banjar ke Surakarta", VisitType: "kunjungan_kerja", StartDate: start, EndDate: start,
			VisitorRegion: "63.03", HostRegion: "33.72", Purpose: "Mempelajari layanan pengaduan.", Language: "id", Visibility: "public"},
			"2024-10-22T00:00:00Z", nil)
	}
	if err := ix.Apply([]*Document{visit(1, "maret", "2023-03-09"), visit(2, "agustus", "2023-08-14"), visit(3, "oktober", "2023-10-02")}, nil); err != nil {
		t.Fatal(err)
	}
	// Without a year, a month still ranks its visits first, in any year;
	// and a month's name is never taken for a typo ("juli" was respelt
	// "judi") or required as a word of the notes ("kunker februari" found
	// nothing).
	for q, first := range map[string]string{"kunker agustus 2023": "agustus", "kunjungan bulan okt 2023": "oktober", "study visit october 2023": "oktober",
		"kunker bulan agustus": "agustus", "kunjungan maret": "maret", "working visit october": "oktober"} {
		if got := slugs(mustSearch(t, ix, Request{Query: q}).Hits); len(got) != 3 || got[0] != first {
			t.Errorf("%s: %v, want all three visits, %s first", q, got, first)
		}
	}
	for _, q := range []string{"kunker juli", "kunker februari"} {
		if res := mustSearch(t, ix, Request{Query: q}); len(res.Hits) != 3 || res.Suggestion != "" {
			t.Errorf("%s: %v, suggestion %q; want all three visits and no respelling", q, slugs(res.Hits), res.Suggestion)
		}
	}
}

// A word naming a kind of record, with only a date beside it, asks for
// that kind whatever its text says: "kunjungan oktober 2024" is the visit
// that began then, though its notes never say "Oktober"; "inovasi tahun
// 2024" lists the innovations begun that year, though few write "inovasi".
func TestKindWordWithADateAsksForThatKind(t *testing.T) {
	ix := openTestIndex(t)
	b := testBuilder(t)
	innovation := func(id int64, slug string, year int, title, summary string) *Document {
		return b.Innovation(id, &kb.Innovation{Slug: slug, Title: title, Region: "63.03", Language: "id", Visibility: "public",
			Summary: summary, YearStarted: year}, "2024-10-22T00:00:00Z", nil)
	}
	docs := []*Document{
		b.Visit(1, &kb.Visit{Slug: "tiru-solo", Title: "Studi Tiru DKISP Banjar ke Diskominfo Surakarta", VisitType: "studi_tiru",
			StartDate: "2024-10-22", EndDate: "2024-10-23", VisitorRegion: "63.03", HostRegion: "33.72",
			Purpose: "Mempelajari inovasi layanan pengaduan dan kunjungan ke ruang kendali.", Language: "id", Visibility: "public"},
			"2024-10-22T00:00:00Z", nil),
		innovation(2, "forum-jurnalis", 2024, "Forum kemitraan jurnalis", "Pertemuan rutin dengan wartawan; kunjungan redaksi dimulai Oktober 2024."),
		innovation(3, "internet-desa", 2024, "Internet gratis desa", "Titik akses di balai desa."),
	}
	for i := range 10 {
		docs = append(docs, innovation(int64(4+i), fmt.Sprintf("lain-%d", i), 2019, fmt.Sprintf("Layanan taman %d", i), "Taman untuk warga."))
	}
	if err := ix.Apply(docs, nil); err != nil {
		t.Fatal(err)
	}
	if got := slugs(mustSearch(t, ix, Request{Query: "kunjungan oktober 2024"}).Hits); len(got) == 0 || got[0] != "tiru-solo" {
		t.Errorf("kunjungan oktober 2024: %v, want the visit of October 2024 first", got)
	}
	got := slugs(mustSearch(t, ix, Request{Query: "inovasi tahun 2024"}).Hits)
	if len(got) < 2 || !slices.Contains(got[:2], "forum-jurnalis") || !slices.Contains(got[:2], "internet-desa") {
		t.Errorf("inovasi tahun 2024: %v, want the two innovations of 2024 first", got)
	}
}

// The means asked for ("aplikasi", "sistem") orders the results but is not
// required: a write-up about an online queue need not say "aplikasi".
func TestMeansIsNotRequired(t *testing.T) {
	texts := [][2]string{
		{"Antrean online Disdukcapil", "Warga mengambil nomor antrean dari rumah lewat situs web; antrean di kantor hilang."},
		{"Aplikasi layanan rumah sakit", "Pasien mendaftar lewat aplikasi dan melihat jadwal dokter; antrean di loket berkurang."},
		{"Aplikasi presensi pegawai", "Pegawai mencatat kehadiran dengan aplikasi."},
	}
	for i := range 10 {
		texts = append(texts, [2]string{fmt.Sprintf("Taman kota %d", i), "Taman untuk warga."})
	}
	ix := filledIndex(t, texts...)
	if got := slugs(mustSearch(t, ix, Request{Query: "aplikasi antrian"}).Hits); len(got) == 0 || got[0] != "s0" {
		t.Errorf("aplikasi antrian: %v, want the online queue first", got)
	}
}

// A synonym's wording with English function words in it is recognised in
// a query, which drops those words as it reads: "free of charge" was
// never matched as a wording of "gratis".
func TestSynonymWordingWithEnglishFunctionWords(t *testing.T) {
	syn, err := ParseSynonyms(strings.NewReader("gratis, tanpa biaya, free of charge\n"))
	if err != nil {
		t.Fatal(err)
	}
	ix, _, err := Open(filepath.Join(t.TempDir(), "index.bleve"), Options{Synonyms: syn})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.MarkReady(); err != nil {
		t.Fatal(err)
	}
	b := testBuilder(t)
	docs := []*Document{innovationDoc(b, 1, "ambulans", "63.03", "Ambulans desa gratis", "Warga diantar ke puskesmas tanpa biaya.")}
	for i := range 10 {
		docs = append(docs, innovationDoc(b, int64(2+i), fmt.Sprintf("lain-%d", i), "63.03", fmt.Sprintf("Layanan taman %d", i), "Taman untuk warga."))
	}
	if err := ix.Apply(docs, nil); err != nil {
		t.Fatal(err)
	}
	if got := slugs(mustSearch(t, ix, Request{Query: "free of charge"}).Hits); len(got) == 0 || got[0] != "ambulans" {
		t.Errorf("free of charge: %v, want the free ambulance", got)
	}
}

// "tindak lanjut" (follow-up) frames what a visit led to and is not
// required: a visit's follow-ups are listed without the words, and a
// write-up that says them in passing is not what was asked for.
func TestFollowUpWordsAreNotRequired(t *testing.T) {
	ix := openTestIndex(t)
	b := testBuilder(t)
	docs := []*Document{
		b.Visit(1, &kb.Visit{Slug: "tiru-solo", Title: "Studi Tiru DKISP Banjar ke Diskominfo Surakarta", VisitType: "studi_tiru",
			StartDate: "2024-10-22", EndDate: "2024-10-22", VisitorRegion: "63.03", HostRegion: "33.72",
			Purpose: "Mempelajari internet gratis di taman.", Language: "id", Visibility: "public",
			FollowUps: []kb.FollowUp{{Action: "Menyusun kajian internet gratis", Owner: "Bidang TIK", Status: "berjalan"}}},
			"2024-10-22T00:00:00Z", nil),
		innovationDoc(b, 2, "lapor-solo", "33.72", "Aplikasi laporan warga Solo", "Tamu dari Banjar bertanya tentang batas waktu tindak lanjut setiap laporan."),
	}
	for i := range 10 {
		docs = append(docs, innovationDoc(b, int64(3+i), fmt.Sprintf("lain-%d", i), "35.78", fmt.Sprintf("Layanan taman %d", i), "Taman untuk warga."))
	}
	if err := ix.Apply(docs, nil); err != nil {
		t.Fatal(err)
	}
	if got := slugs(mustSearch(t, ix, Request{Query: "tindak lanjut studi tiru banjar ke solo"}).Hits); len(got) == 0 || got[0] != "tiru-solo" {
		t.Errorf("tindak lanjut studi tiru banjar ke solo: %v, want the visit first", got)
	}
}

// Chat words that only frame ("cuma" only, "usah" need) are not required
// and never respelt, yet "cuma-cuma" (free of charge) keeps its meaning:
// as stop words they emptied that query, and "usah" was offered as
// "usaha".
func TestChatWordsFrameWithoutLosingWordings(t *testing.T) {
	texts := [][2]string{
		{"Cek kesehatan gratis", "Warga memeriksa kesehatan tanpa biaya di puskesmas."},
		{"Samsat keliling", "Warga membayar pajak kendaraan di mobil samsat, tanpa antre lama."},
		{"Kredit usaha mikro", "Pinjaman usaha untuk pedagang pasar."},
	}
	for i := range 10 {
		texts = append(texts, [2]string{fmt.Sprintf("Taman kota %d", i), "Taman untuk warga."})
	}
	ix := filledIndex(t, texts...)
	if got := slugs(mustSearch(t, ix, Request{Query: "cuma-cuma"}).Hits); len(got) != 1 || got[0] != "s0" {
		t.Errorf("cuma-cuma: %v, want the free health check alone", got)
	}
	res := mustSearch(t, ix, Request{Query: "ga usah antri di samsat"})
	if got := slugs(res.Hits); len(got) == 0 || got[0] != "s1" || res.Suggestion != "" {
		t.Errorf("ga usah antri di samsat: %v, suggestion %q; want the samsat first and no respelling", got, res.Suggestion)
	}
}

// Everyday abbreviations and English terms of public-sector Indonesian find
// the wording a write-up uses: "loker" is how job seekers write lowongan
// kerja, "jamsostek" is the old and still common name of BPJS
// Ketenagakerjaan, "HAKI" and "HKI" are both in use, "Disdag" is the trade
// office, and an English query meets an Indonesian write-up.
func TestEverydayAbbreviationsFindTheirWording(t *testing.T) {
	ix := filledIndex(t,
		[2]string{"Bursa Kerja Daring", "Pencari kerja melamar lowongan kerja perusahaan setempat."},
		[2]string{"Perlindungan Pekerja Rentan", "Iuran BPJS Ketenagakerjaan pekerja informal dibayar APBD."},
		[2]string{"Klinik Kekayaan Intelektual", "Pendaftaran hak kekayaan intelektual usaha mikro dibiayai daerah."},
		[2]string{"Revitalisasi Pasar Rakyat", "Dinas Perdagangan menata kios pedagang."},
		[2]string{"Bebas Pasung", "Layanan kesehatan jiwa di puskesmas."},
		[2]string{"Zona Selamat Sekolah", "Marka dan rambu untuk keselamatan lalu lintas siswa."},
		[2]string{"Validasi BPHTB Daring", "Bea perolehan hak atas tanah dan bangunan divalidasi tanpa datang ke kantor."},
		[2]string{"Aktivasi di Sekolah", "Petugas mengaktifkan identitas kependudukan digital siswa."},
		[2]string{"Sambungan Air Minum", "Perumda air minum memasang sambungan rumah."},
		[2]string{"Jaminan Kesehatan Semesta", "Warga miskin didaftarkan jaminan kesehatan cukup dengan KTP."},
		[2]string{"Rumah Tunggu Kelahiran", "Program kesehatan ibu dan anak di desa terpencil."},
		[2]string{"Kelas Ekspor", "Perajin mebel ukir didampingi sampai ekspor."},
		[2]string{"Laporan Kinerja", "Laporan tahunan dinas disusun tepat waktu."},
	)
	for q, want := range map[string]string{
		"loker": "s0", "jamsostek": "s1", "bpjamsostek": "s1", "HAKI": "s2", "Disdag": "s3",
		"mental health": "s4", "road safety": "s5", "land and building transfer tax": "s6",
		"digital ID": "s7", "PDAM": "s8", "air PAM": "s8", "health insurance": "s9",
		"maternal health": "s10", "furniture export": "s11",
	} {
		res := mustSearch(t, ix, Request{Query: q})
		if len(res.Hits) == 0 || res.Hits[0].Slug != want {
			t.Errorf("%q: top %v, want %s", q, slugs(res.Hits), want)
		}
	}
}

// A word that matches nothing, nor anything spelt nearly, and that is two
// words of the index typed without the space between them, is searched as
// those words and offered with the space: "smartcity" finds what "smart
// city" finds. A word the records have, or spelt nearly, stays as typed, and
// no part is a stop word or shorter than three letters.
func TestJoinedWordsAreSplit(t *testing.T) {
	ix := filledIndex(t,
		[2]string{"Command Center Smart City", "Pusat kendali smart city memantau CCTV dan aduan warga."},
		[2]string{"Pasar Kota Lama", "Revitalisasi pasar di kota lama dan taman kotanya."},
		[2]string{"Kantor Kelurahan Kotaraja", "Pelayanan satu pintu di kelurahan."},
		[2]string{"Wifi Gratis", "Wifi gratis di taman kota; layanan wifigratis kelurahan."},
	)
	res := mustSearch(t, ix, Request{Query: "smartcity"})
	if got := slugs(res.Hits); len(got) == 0 || got[0] != "s0" || res.Suggestion != "smart city" {
		t.Errorf("smartcity found %v, suggestion %q; want s0 first and \"smart city\"", got, res.Suggestion)
	}
	want := slugs(mustSearch(t, ix, Request{Query: "smart city"}).Hits)
	if got := slugs(res.Hits); !slices.Equal(got, want) {
		t.Errorf("smartcity found %v, smart city %v; want the same", got, want)
	}
	if res := mustSearch(t, ix, Request{Query: "pasar kotalama"}); res.Suggestion != "pasar kotaraja" {
		// Two edits from a word of the index: a typo, not two words.
		t.Errorf("pasar kotalama: suggestion %q, want the near spelling pasar kotaraja", res.Suggestion)
	}
	for _, q := range []string{"wifigratis", "dankota", "ecity"} {
		if res := mustSearch(t, ix, Request{Query: q}); strings.Contains(res.Suggestion, " ") {
			t.Errorf("%s: suggestion %q, want no split", q, res.Suggestion)
		}
	}
}

// Abbreviations and English terms of regional services beyond the first
// ones listed find the wording a write-up uses: KLA is the child-friendly
// region scheme (Kabupaten/Kota Layak Anak), "perpus" is how staff write
// perpustakaan, "rusun" and "rusunawa" are rumah susun and rumah susun
// sewa, G1R1J is the dengue movement Gerakan 1 Rumah 1 Jumantik, and an
// English query meets the Indonesian term (street vendors, a cheap market,
// catfish, oil palm replanting, small-scale mining, social forestry, a
// watershed, an integrity zone, a regional enterprise, animal health,
// delivery, a sign language interpreter).
func TestRegionalServiceTermsFindTheirWording(t *testing.T) {
	ix := filledIndex(t,
		[2]string{"Nagari Layak Anak", "Forum anak nagari ikut musyawarah."},
		[2]string{"Perpustakaan Digital", "Warga meminjam buku elektronik dari ponsel."},
		[2]string{"Pendaftaran Rusunawa", "Buruh pabrik menyewa unit dengan antrean terbuka."},
		[2]string{"Gerakan Satu Rumah Satu Jumantik", "Kader memeriksa jentik di bak mandi setiap pekan."},
		[2]string{"Penataan Pedagang Kaki Lima", "Satpol PP memindahkan pedagang ke lokasi binaan."},
		[2]string{"Pasar Murah Keliling", "Beras dan minyak dijual di bawah harga pasar."},
		[2]string{"Budidaya Lele Bioflok", "Kolam terpal bulat untuk kelompok pembudidaya."},
		[2]string{"Peremajaan Sawit Rakyat", "Pekebun mengganti kebun kelapa sawit tua."},
		[2]string{"Izin Pertambangan Rakyat", "Koperasi penambang timah mengurus izin dan reklamasi."},
		[2]string{"Hutan Desa", "Hak kelola perhutanan sosial bagi desa di sekitar hutan."},
		[2]string{"Sekolah Sungai", "Warga memulihkan daerah aliran sungai di hulu."},
		[2]string{"Menuju Zona Integritas", "Rumah sakit daerah meraih predikat WBK."},
		[2]string{"Perumda Pangan", "Badan usaha milik daerah membeli gabah petani."},
		[2]string{"Puskeswan Keliling", "Vaksinasi ternak oleh petugas kesehatan hewan."},
		[2]string{"Pengantaran Obat Rutin", "Obat pasien kronis diantar kader ke rumah."},
		[2]string{"Juru Bahasa Isyarat di Loket", "Teman Tuli didampingi saat mengurus layanan."},
	)
	for q, want := range map[string]string{
		"KLA": "s0", "perpus": "s1", "rumah susun sewa": "s2", "rusun": "s2", "G1R1J": "s3",
		"street vendors": "s4", "cheap market": "s5", "operasi pasar": "s5", "catfish": "s6",
		"palm oil smallholder replanting": "s7", "small-scale mining": "s8", "social forestry": "s9",
		"watershed": "s10", "integrity zone": "s11", "regional owned enterprise": "s12",
		"animal health": "s13", "medicine delivery": "s14", "sign language interpreter": "s15",
	} {
		res := mustSearch(t, ix, Request{Query: q})
		if len(res.Hits) == 0 || res.Hits[0].Slug != want {
			t.Errorf("%q: top %v, want %s", q, slugs(res.Hits), want)
		}
	}
}

// "Maksud Anda" offers the query as typed, its quoted phrases kept: a
// respelling or a split that dropped them searched something else.
func TestSuggestionKeepsThePhrasesTyped(t *testing.T) {
	ix := filledIndex(t,
		[2]string{"Bank sampah sekolah", "Siswa menabung sampah plastik di bank sampah sekolah."},
		[2]string{"Smart city", "Bank sampah terhubung ke dasbor smart city."},
	)
	for q, want := range map[string]string{
		`"bank sampah" sekolha`:   `"bank sampah" sekolah`,
		`"bank sampah" smartcity`: `"bank sampah" smart city`,
	} {
		if got := mustSearch(t, ix, Request{Query: q}).Suggestion; got != want {
			t.Errorf("%s: suggested %q, want %q", q, got, want)
		}
	}
}

// A word no record has is never respelt into a stop word or an English
// function word, which the query drops: "land" was respelt "and", and
// every English write-up came first.
func TestWordIsNotRespeltIntoAStopWord(t *testing.T) {
	ix := openTestIndex(t)
	b := testBuilder(t)
	en := b.Innovation(1, &kb.Innovation{Slug: "tourism", Title: "Guides and homestays", Region: "51.03",
		Language: "en", Visibility: "public", Summary: "Guides and homestays are trained and certified."}, "2024-10-22T00:00:00Z", nil)
	id := innovationDoc(b, 2, "aset", "36.02", "Sertifikasi Tanah Aset Pemda", "Tanah milik pemerintah daerah disertifikatkan bersama kantor pertanahan.")
	if err := ix.Apply([]*Document{en, id}, nil); err != nil {
		t.Fatal(err)
	}
	if res := mustSearch(t, ix, Request{Query: "land "}); res.Suggestion != "" || len(res.Hits) != 0 {
		t.Errorf("land: %v suggesting %q, want nothing", slugs(res.Hits), res.Suggestion)
	}
	if res := mustSearch(t, ix, Request{Query: "government land certificates"}); len(res.Hits) == 0 || res.Hits[0].Slug != "aset" {
		t.Errorf("government land certificates: %v suggesting %q, want aset first", slugs(res.Hits), res.Suggestion)
	}
}

// A last word that ends a wording of the synonym list with the words
// before it is finished, not the start of a longer word: "mentally ill"
// was searched as "mentally illegal", since no record says "ill".
func TestWholeWordingIsNotCompleted(t *testing.T) {
	ix := filledIndex(t,
		[2]string{"Penjangkauan ODGJ Terlantar", "Tim menjemput orang dengan gangguan jiwa yang terlantar di jalan."},
		[2]string{"Patroli Hutan", "Illegal logging dilaporkan warga lewat WhatsApp."},
	)
	res := mustSearch(t, ix, Request{Query: "mentally ill"})
	if len(res.Hits) == 0 || res.Hits[0].Slug != "s0" || res.Suggestion != "" {
		t.Errorf("mentally ill: %v suggesting %q, want s0 first and no suggestion", slugs(res.Hits), res.Suggestion)
	}
}
