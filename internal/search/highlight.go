package search

import (
	"html"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"tiru/internal/search/indonesian"
)

// snippetBytes is about how much text a snippet shows.
const snippetBytes = 240

// marker puts <mark> around the words of a query in titles and snippets.
// It works on the stored text of a page of hits rather than asking Bleve to
// highlight: Bleve's highlighting makes the search gather the position of
// every matched word in every matching record, which costs more than the
// search itself. Working here also lets a stemmed match be marked
// ("melaporkan" marks "laporan"), which Bleve's highlighter cannot do.
type marker struct {
	words map[string]bool // as typed, respelt, and their synonyms
	stems []string        // the Indonesian stems of those words
	// needles are what a word that stems to one of stems must hold.
	needles []string
	seen    map[string]bool // whether a word of the text matches, memoised
	// shortest is the fewest bytes a matching word can have: it equals a
	// word or holds a needle. Most words of a text are shorter than any
	// query word and are ruled out without a look-up.
	shortest int
	// phrases are wordings of several words (a synonym's "kartu tanda
	// penduduk" for "ktp"), marked only where the text has all their
	// words in a row: marked word by word, "ktp" marked every "tanda".
	phrases [][]string
	longest int // the most words of a phrase
}

// newMarker marks words (and the words that share their stems) and
// phrases, each given as its lower-case words.
func newMarker(words []string, phrases ...[]string) *marker {
	m := &marker{words: map[string]bool{}, seen: map[string]bool{}}
	for _, p := range phrases {
		if len(p) > 1 {
			m.phrases = append(m.phrases, p)
			m.longest = max(m.longest, len(p))
		}
	}
	for _, w := range words {
		m.words[w] = true
		// Short stems ("adu") would mark unrelated words; a stem must keep
		// some substance to be worth matching on.
		if s := indonesian.Stem(w); utf8.RuneCountInString(s) >= 4 && !slices.Contains(m.stems, s) {
			m.stems = append(m.stems, s)
		}
	}
	for _, s := range m.stems {
		m.needles = append(m.needles, s)
		// The nasal prefixes replace a root's first k, p, t or s:
		// "mengeluh" stems to "keluh" without holding it.
		if strings.IndexByte("kpts", s[0]) >= 0 {
			m.needles = append(m.needles, s[1:])
		}
	}
	m.shortest = math.MaxInt
	for w := range m.words {
		m.shortest = min(m.shortest, len(w))
	}
	for _, s := range m.needles {
		m.shortest = min(m.shortest, len(s))
	}
	return m
}

func (m *marker) matches(word string) bool {
	// Lower case takes more bytes than upper case only outside ASCII
	// (Ⱥ, 2 bytes, is ⱥ, 3).
	if len(word) < m.shortest && isASCII(word) {
		return false
	}
	if ok, done := m.seen[word]; done {
		return ok
	}
	t := strings.ToLower(word)
	ok := m.words[t]
	// A word can only stem to a stem it holds (less a first letter a
	// prefix replaced), so most words are ruled out without stemming them.
	for _, s := range m.needles {
		if !ok && strings.Contains(t, s) {
			ok = slices.Contains(m.stems, indonesian.Stem(t))
			break
		}
	}
	m.seen[word] = ok
	return ok
}

// spans returns the byte ranges of text that match, in order: words split
// the way the index splits them (see wordTokenizer). With reach > 0 it
// stops reach bytes after the first match: a snippet needs no more.
func (m *marker) spans(text string, reach int) [][2]int {
	if m == nil || (len(m.words) == 0 && len(m.phrases) == 0) || text == "" {
		return nil
	}
	var out [][2]int
	// The last words read, for the phrases, and whether one was marked
	// out of order (a phrase's first words come before its last).
	var recent [][2]int
	unsorted := false
	start := -1
	// The run before, for a letter-alone prefix ("e-Kinerja").
	prevStart, prevEnd := -1, -1
	for i := 0; i <= len(text); {
		if reach > 0 && len(out) > 0 && i > out[0][0]+reach {
			break
		}
		size, word := 1, false
		if i < len(text) {
			if c := text[i]; c < utf8.RuneSelf {
				word = isWordByte(c) // most of any text: ASCII
			} else {
				var r rune
				r, size = utf8.DecodeRuneInString(text[i:])
				word = r != utf8.RuneError && isWordRune(r)
			}
		}
		if word {
			if start < 0 {
				start = i
			}
		} else if start >= 0 {
			switch {
			case prevEnd >= 0 && prevEnd == start-1 && text[prevEnd] == '-' && prefixed(text[prevStart:prevEnd], text[start:i]) &&
				m.matches(text[prevStart:prevEnd]+text[start:i]):
				out = append(out, [2]int{prevStart, i})
			case m.matches(text[start:i]):
				out = append(out, [2]int{start, i})
			}
			prevStart, prevEnd = start, i
			if len(m.phrases) > 0 {
				recent = append(recent, [2]int{start, i})
				if len(recent) > m.longest {
					recent = recent[1:]
				}
				for _, p := range m.phrases {
					if m.endsWith(text, recent, p) {
						out = append(out, recent[len(recent)-len(p):]...)
						unsorted = true
					}
				}
			}
			start = -1
		}
		i += size
	}
	if unsorted {
		slices.SortFunc(out, func(a, b [2]int) int { return a[0] - b[0] })
		out = slices.Compact(out)
	}
	return out
}

// endsWith reports whether the words of text at recent end in phrase p.
func (m *marker) endsWith(text string, recent [][2]int, p []string) bool {
	if len(recent) < len(p) {
		return false
	}
	tail := recent[len(recent)-len(p):]
	for k, w := range p {
		if !strings.EqualFold(text[tail[k][0]:tail[k][1]], w) {
			return false
		}
	}
	return true
}

// title returns the escaped title with its matching words marked.
func (m *marker) title(title string) string {
	return markRange(title, m.spans(title, 0), 0, len(title))
}

// snippet returns about snippetBytes of text around where the most matching
// words are (looking a little past the first), escaped and marked; or the
// start of the text when nothing matches.
func (m *marker) snippet(text string) string {
	spans := m.spans(text, 4*snippetBytes)
	start, end := 0, min(len(text), snippetBytes)
	if len(spans) > 0 {
		// The window starting at a match that holds the most matches.
		best, bestN := 0, 0
		for i := range spans {
			n := 0
			for j := i; j < len(spans) && spans[j][1] <= spans[i][0]+snippetBytes; j++ {
				n++
			}
			if n > bestN {
				best, bestN = i, n
			}
		}
		// Start a little before the first match, at a word boundary.
		start = max(0, spans[best][0]-snippetBytes/4)
		if start > 0 {
			if i := strings.IndexAny(text[start:spans[best][0]], " \n"); i >= 0 {
				start += i + 1
			} else {
				start = spans[best][0]
			}
		}
		end = min(len(text), start+snippetBytes)
	}
	if end < len(text) {
		if i := strings.LastIndexAny(text[start:end], " \n"); i > 0 {
			end = start + i
		}
	}
	for start < end && !utf8.RuneStart(text[start]) {
		start++
	}
	for end < len(text) && !utf8.RuneStart(text[end]) {
		end--
	}
	out := markRange(text, spans, start, end)
	if start > 0 {
		out = "…" + out
	}
	if end < len(text) {
		out += "…"
	}
	return out
}

// markRange escapes text[start:end], wrapping the spans inside it in <mark>.
func markRange(text string, spans [][2]int, start, end int) string {
	var b strings.Builder
	at := start
	for _, s := range spans {
		if s[0] < at || s[1] > end {
			continue
		}
		b.WriteString(html.EscapeString(text[at:s[0]]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[s[0]:s[1]]))
		b.WriteString("</mark>")
		at = s[1]
	}
	b.WriteString(html.EscapeString(text[at:end]))
	return strings.Join(strings.Fields(b.String()), " ")
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
