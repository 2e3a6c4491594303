package search

import (
	"strings"
	"testing"
)

func TestMarkerTitle(t *testing.T) {
	m := newMarker([]string{"melaporkan", "jalan"})
	got := m.title(`Laporan <b>Jalan</b> & "Lapor" Rusak`)
	want := `<mark>Laporan</mark> &lt;b&gt;<mark>Jalan</mark>&lt;/b&gt; &amp; &#34;<mark>Lapor</mark>&#34; Rusak`
	if got != want {
		t.Errorf("title:\n got %s\nwant %s", got, want)
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
	want := []string{"e", "KTP", "Rp10", "000", "naïve", "2024"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("tokens %q, want %q (an invalid byte separates, it does not end the text)", got, want)
	}
}
