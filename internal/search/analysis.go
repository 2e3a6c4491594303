// Package search is Tiru's full-text index: a Bleve index over innovations
// and visits with Indonesian analysis (a Tala-style stemmer, a curated stop
// list), synonyms, typo tolerance, facets and highlighting. The index is
// derived data: it is filled from the database through an outbox and can
// always be rebuilt. This package never imports the storage package; it
// declares the small Source interface it needs.
package search

import (
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/stop"
	"github.com/blevesearch/bleve/v2/analysis/tokenmap"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"

	"tiru/internal/search/indonesian"
)

// Names of the analysis components registered in the index mapping.
const (
	tokenizerName  = "tiru_words"
	stemFilterName = "tiru_stem_id"
	inflFilterName = "tiru_inflected_id"
	stopMapName    = "tiru_stop_id_words"
	stopFilterName = "tiru_stop_id"
	// AnalyzerExact keeps words as written (lower-cased, stop words out):
	// exact matches, phrases, typo tolerance and highlighting use it.
	AnalyzerExact = "tiru_exact"
	// AnalyzerStemID adds the Indonesian stemmer, so "melaporkan" meets
	// "laporan". Queries of the stemmed fields and synonym definitions use it.
	AnalyzerStemID = "tiru_stem_id"
	// AnalyzerInflectedID indexes the stems of inflected words only
	// ("melaporkan" as "lapor"; "posyandu", its own stem, not at all): a
	// word as written is in the exact fields already, so the stemmed fields
	// hold only what the exact ones cannot find, and searching them costs
	// little for the many words that are their own stem.
	AnalyzerInflectedID = "tiru_inflected_id"
	// AnalyzerEN is Bleve's English analyzer, for write-ups in English.
	AnalyzerEN = en.AnalyzerName
)

// Bleve looks token filters up by name in a process-wide registry; every
// binary that opens the index must link this registration, or Open fails.
func init() {
	registry.RegisterTokenizer(tokenizerName, func(map[string]interface{}, *registry.Cache) (analysis.Tokenizer, error) {
		return wordTokenizer{}, nil
	})
	registry.RegisterTokenFilter(stemFilterName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return stemFilter{}, nil
	})
	registry.RegisterTokenFilter(inflFilterName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return inflectedFilter{}, nil
	})
}

// stemFilter stems each token with the Indonesian stemmer. Tokens marked as
// keywords are left alone.
type stemFilter struct{}

func (stemFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		if tok.KeyWord {
			continue
		}
		if s := indonesian.Stem(string(tok.Term)); s != string(tok.Term) {
			tok.Term = []byte(s)
		}
	}
	return input
}

// inflectedFilter keeps only the tokens the stemmer changes, stemmed, at
// their original positions. Keywords are kept as they are.
type inflectedFilter struct{}

func (inflectedFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	out := input[:0]
	for _, tok := range input {
		if tok.KeyWord {
			out = append(out, tok)
			continue
		}
		if s := indonesian.Stem(string(tok.Term)); s != string(tok.Term) {
			tok.Term = []byte(s)
			out = append(out, tok)
		}
	}
	return out
}

// wordTokenizer splits text into runs of letters, digits and combining
// marks. Bleve's unicode tokenizer follows the full Unicode word-break rules,
// which cost more than all the rest of the analysis and the highlighting put
// together; for Indonesian and English write-ups the runs give the same
// words, except that "3.5" becomes "3" and "5". Bytes that are not UTF-8 are
// separators, not the end of the text.
//
// A letter alone joined by a hyphen to a word ("e-KTP", "e-Kinerja") is a
// prefix, not a word: it becomes the joined word ("eKTP") and the word
// after it ("KTP"), both at one position, so that "e-kinerja" finds the
// system of that name and not every mention of kinerja, while "kinerja"
// still finds it. See prefixed.
type wordTokenizer struct{}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return isWordByte(byte(r))
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// isWordByte is isWordRune for ASCII, small enough to be inlined where a
// text is read byte by byte.
func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// prefixed reports whether letter, followed by a hyphen and word, is a
// letter-alone prefix: one letter, then a word that begins with a letter
// and is longer than one ("e-KTP", not "H-1", "a-b" or "wi-fi").
func prefixed(letter, word string) bool {
	l, size := utf8.DecodeRuneInString(letter)
	if size != len(letter) || !unicode.IsLetter(l) {
		return false
	}
	w, size := utf8.DecodeRuneInString(word)
	return unicode.IsLetter(w) && size < len(word)
}

func (wordTokenizer) Tokenize(input []byte) analysis.TokenStream {
	// One allocation for all the tokens: a write-up has hundreds.
	toks := make([]analysis.Token, 0, len(input)/6+1)
	start, numeric, pos := -1, true, 0
	emit := func(end int) {
		typ := analysis.AlphaNumeric
		if numeric {
			typ = analysis.Numeric
		}
		if n := len(toks); n > 0 && toks[n-1].End == start-1 && input[start-1] == '-' && prefixed(string(toks[n-1].Term), string(input[start:end])) {
			// The letter's token becomes the joined word, and the word
			// takes the same position.
			joined := &toks[n-1]
			joined.Term = append(append(make([]byte, 0, end-joined.Start-1), joined.Term...), input[start:end]...)
			joined.End, joined.Type = end, analysis.AlphaNumeric
		} else {
			pos++
		}
		toks = append(toks, analysis.Token{Term: input[start:end], Start: start, End: end, Position: pos, Type: typ})
		start, numeric = -1, true
	}
	for i := 0; i < len(input); {
		r, size := rune(input[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(input[i:])
		}
		if r != utf8.RuneError && isWordRune(r) {
			if start < 0 {
				start = i
			}
			numeric = numeric && '0' <= r && r <= '9'
		} else if start >= 0 {
			emit(i)
		}
		i += size
	}
	if start >= 0 {
		emit(len(input))
	}
	out := make(analysis.TokenStream, len(toks))
	for i := range toks {
		out[i] = &toks[i]
	}
	return out
}

// addAnalyzers registers Tiru's analyzers in an index mapping. The stop
// list and analyzers travel inside the mapping; only the stemmer needs code.
func addAnalyzers(m *mapping.IndexMappingImpl) error {
	words := indonesian.StopWords()
	list := make([]interface{}, len(words))
	for i, w := range words {
		list[i] = w
	}
	if err := m.AddCustomTokenMap(stopMapName, map[string]interface{}{"type": tokenmap.Name, "tokens": list}); err != nil {
		return fmt.Errorf("stop words: %w", err)
	}
	if err := m.AddCustomTokenFilter(stopFilterName, map[string]interface{}{"type": stop.Name, "stop_token_map": stopMapName}); err != nil {
		return fmt.Errorf("stop filter: %w", err)
	}
	if err := m.AddCustomAnalyzer(AnalyzerExact, map[string]interface{}{
		"type": custom.Name, "tokenizer": tokenizerName, "token_filters": []string{lowercase.Name, stopFilterName},
	}); err != nil {
		return fmt.Errorf("exact analyzer: %w", err)
	}
	if err := m.AddCustomAnalyzer(AnalyzerStemID, map[string]interface{}{
		"type": custom.Name, "tokenizer": tokenizerName, "token_filters": []string{lowercase.Name, stopFilterName, stemFilterName},
	}); err != nil {
		return fmt.Errorf("stem analyzer: %w", err)
	}
	if err := m.AddCustomAnalyzer(AnalyzerInflectedID, map[string]interface{}{
		"type": custom.Name, "tokenizer": tokenizerName, "token_filters": []string{lowercase.Name, stopFilterName, inflFilterName},
	}); err != nil {
		return fmt.Errorf("inflected analyzer: %w", err)
	}
	return nil
}
