package search

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"tiru/internal/search/indonesian"
)

func TestMarkerTitle(t *testing.T) {
	m := newMarker([]string{"melaporkan", "jalan"})
	got := m.title(`Laporan <b>Jalan</b> & "Lapor" Rusak`)
	want := `<mark>Laporan</mark> &lt;b&gt;<mark>Jalan</mark>&lt;/b&gt; &amp; &#34;<mark>Lapor</mark>&#34; Rusak`
	if got != want {
		t.Errorf("title:\n got %s\nwant %s", got, want)
	}
}

// A word whose prefix replaced the root's first letter is marked too: a
// search for complaints marks the villagers who complain.
func TestMarkerMarksNasalForms(t *testing.T) {
	got := newMarker([]string{"keluhan", "sakit"}).title("Warga Mengeluh soal Penyakit")
	if want := "Warga <mark>Mengeluh</mark> soal <mark>Penyakit</mark>"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestMarkerSnippet(t *testing.T) {
	m := newMarker([]string{"posyandu"})
	filler := strings.Repeat("kata lain yang panjang ", 40)
	text := filler + "Kader posyandu menimbang balita. Posyandu buka tiap bulan. " + filler
	got := m.snippet(text)
	if !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") {
		t.Errorf("snippet from the middle should show it is cut: %q", got)
	}
	if strings.Count(got, "<mark>") != 2 || !strings.Contains(got, "<mark>Posyandu</mark>") {
		t.Errorf("snippet should mark both matches: %q", got)
	}
	if len(got) > snippetBytes+60 {
		t.Errorf("snippet of %d bytes, want about %d", len(got), snippetBytes)
	}

	// No match: the start of the text; hostile text stays escaped.
	got = newMarker([]string{"tidakada"}).snippet(`<script>alert(1)</script> ` + filler)
	if !strings.HasPrefix(got, "&lt;script&gt;") || strings.Contains(got, "<script") {
		t.Errorf("unmatched snippet: %q", got)
	}

	// Multi-byte text is never cut inside a character.
	got = newMarker([]string{"posyandu"}).snippet(strings.Repeat("é", 300) + " posyandu " + strings.Repeat("ü", 300))
	if !strings.Contains(got, "<mark>posyandu</mark>") || strings.ContainsRune(got, '\uFFFD') {
		t.Errorf("multi-byte snippet: %q", got)
	}
}

func TestWordTokenizer(t *testing.T) {
	var got []string
	for _, tok := range (wordTokenizer{}).Tokenize([]byte("e-KTP\xffRp10.000, naïve 2024")) {
		got = append(got, string(tok.Term))
	}
	want := []string{"eKTP", "KTP", "Rp10", "000", "naïve", "2024"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("tokens %q, want %q (an invalid byte separates, it does not end the text)", got, want)
	}
}

// A letter-alone prefix is part of the word it is joined to: the index
// holds both the joined word and the word, at one position (so phrases
// still match across it), and a query asks for the joined word.
func TestLetterPrefixes(t *testing.T) {
	var got []string
	for _, tok := range (wordTokenizer{}).Tokenize([]byte("Aplikasi e-Kinerja dan é-Rapor, wi-fi H-1 a-b x-ray")) {
		got = append(got, fmt.Sprintf("%s@%d[%d:%d]", tok.Term, tok.Position, tok.Start, tok.End))
	}
	want := "Aplikasi@1[0:8] eKinerja@2[9:18] Kinerja@2[11:18] dan@3[19:22] éRapor@4[23:31] Rapor@4[26:31] " +
		"wi@5[33:35] fi@6[36:38] H@7[39:40] 1@8[41:42] a@9[43:44] b@10[45:46] xray@11[47:52] ray@11[49:52]"
	if strings.Join(got, " ") != want {
		t.Errorf("tokens\n%s\nwant\n%s", strings.Join(got, " "), want)
	}
	if got, want := strings.Join(tokens("E-Kinerja, e-ktp; wi-fi H-1 covid-19 -e-gov"), "|"), "ekinerja|ektp|wi|fi|h|1|covid|19|egov"; got != want {
		t.Errorf("query tokens %q, want %q", got, want)
	}
	if got := newMarker([]string{"ekinerja"}).title("Aplikasi e-Kinerja dan Kinerja"); got != "Aplikasi <mark>e-Kinerja</mark> dan Kinerja" {
		t.Errorf("joined word marked as %q", got)
	}
	if got := newMarker([]string{"kinerja"}).title("e-Kinerja"); got != "e-<mark>Kinerja</mark>" {
		t.Errorf("word after a prefix marked as %q", got)
	}
}

// BenchmarkMarker marks the titles and snippets of the first page of hits
// of real searches, as a search does for every page it answers.
func BenchmarkMarker(b *testing.B) {
	ix := openTestIndex(b)
	applyInBatches(b, ix, syntheticDocs(b, 61, 1000, nil), 500)
	r := readerOf(b, ix)
	for _, q := range []string{"posyandu", "aplikasi pengaduan warga", "melaporkan jalan rusak", "pengelolaan sampah", "pelayann publik"} {
		plan := ix.textQuery(context.Background(), r, cleanQuery(q), endsInWord(q), nil)
		res, _, err := ix.run(context.Background(), Request{Query: q, Facets: []string{}}, plan.strict, nil, nil, nil, 0, 20, false)
		if err != nil || len(res.Hits) < 20 {
			b.Fatalf("%q: %d hits, %v", q, len(res.Hits), err)
		}
		b.Run(strings.ReplaceAll(q, " ", "_"), func(b *testing.B) {
			for b.Loop() {
				m := newMarker(plan.marks)
				for _, h := range res.Hits {
					m.title(str(h.Fields, "title"))
					m.snippet(str(h.Fields, "text"))
				}
			}
		})
	}
}

// spansReadingEveryWord is how spans found matches before it skipped to the
// first place a match can start: every word of the text, one by one.
func spansReadingEveryWord(m *marker, text string, reach int) [][2]int {
	var out [][2]int
	start := -1
	for i := 0; i <= len(text); {
		if reach > 0 && len(out) > 0 && i > out[0][0]+reach {
			break
		}
		r, size := utf8.RuneError, 1
		if i < len(text) {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		if i < len(text) && r != utf8.RuneError && isWordRune(r) {
			if start < 0 {
				start = i
			}
		} else if start >= 0 {
			if slices.Contains(m.stems, indonesian.Stem(strings.ToLower(text[start:i]))) || m.words[strings.ToLower(text[start:i])] {
				out = append(out, [2]int{start, i})
			}
			start = -1
		}
		i += size
	}
	return out
}

// Marking finds what reading every word finds, in write-ups and in texts
// with capitals, other scripts, case mappings that change a word's length
// (Ⱥ, İ, the Kelvin sign), digits and words at either end.
func TestMarkerSpansFindWhatReadingEveryWordFinds(t *testing.T) {
	texts := []string{
		"POSYANDU di desa; Posyandu keliling. posyandu",
		"Kader-posyandu (posyandu2) menimbang—balita “Posyandu”",
		"İbu hamil ke POSYANDU, İBU menyusui; \u212Aota Surakarta, KOTA Solo",
		"Pelaporan LAPORAN melaporkan dilaporkan; laporannya",
		"Ünïcödé wörds then jalan rusak at the end: jalan",
		"jalan",
		"",
		"12 34 2024 posyandu 2025",
		"Warga mengeluh, menulis surat dan memukul kentongan; penyakit menular. Keluhan tertulis.",
		// Ⱥ is 2 bytes and its lower case ⱥ 3: offsets in the lower-case
		// text run ahead.
		strings.Repeat("Ⱥ", 12) + " posyandu akhir Ⱥbu",
	}
	for _, d := range syntheticDocs(t, 67, 40, nil) {
		texts = append(texts, d.Text, d.Title)
	}
	for _, words := range [][]string{
		{"posyandu"}, {"ibu", "kota"}, {"melaporkan", "jalan", "rusak"}, {"aplikasi", "pengaduan", "warga", "keluhan", "masyarakat"},
		{"2024"}, {"tidakadakatasepertiini"}, {"k", "kota"}, {"keluhan", "tulis", "pukul", "sakit"}, {"ⱥbu"},
	} {
		for _, text := range texts {
			for _, reach := range []int{0, 4 * snippetBytes} {
				m := newMarker(words)
				want := spansReadingEveryWord(newMarker(words), text, reach)
				if got := m.spans(text, reach); !slices.Equal(got, want) {
					t.Errorf("%v in %.60q (reach %d): %v, reading every word %v", words, text, reach, got, want)
				}
			}
		}
	}
}

// A wording of several words is marked only where its words stand
// together: "ktp" brings "kartu tanda penduduk", and used to mark every
// "tanda" (sign) and "kartu" (card) of a snippet.
func TestPhraseIsMarkedOnlyWhole(t *testing.T) {
	m := newMarker([]string{"ktp"}, []string{"kartu", "tanda", "penduduk"})
	got := m.snippet("Tanda tangan di kartu keluarga. Warga membawa Kartu Tanda Penduduk ke kantor; KTP elektronik.")
	want := "Tanda tangan di kartu keluarga. Warga membawa <mark>Kartu</mark> <mark>Tanda</mark> <mark>Penduduk</mark> ke kantor; <mark>KTP</mark> elektronik."
	if got != want {
		t.Errorf("snippet\n got %s\nwant %s", got, want)
	}
	ix := filledIndex(t, [2]string{"Layanan KTP keliling", "Petugas merekam kartu tanda penduduk; warga memberi tanda tangan."})
	res := mustSearch(t, ix, Request{Query: "ktp"})
	if len(res.Hits) != 1 || strings.Contains(res.Hits[0].Snippet, "<mark>tanda</mark> tangan") || !strings.Contains(res.Hits[0].Snippet, "<mark>kartu</mark> <mark>tanda</mark> <mark>penduduk</mark>") {
		t.Errorf("ktp: %+v", res.Hits)
	}
}
