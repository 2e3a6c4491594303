package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// MaxExcluded is how many words or phrases a query may exclude; the rest of
// them are ignored.
const MaxExcluded = 8

// negations takes out of q (already cleaned, see cleanQuery) what it
// excludes: a word written with a minus in front of it (wifi -berbayar) or
// a quoted phrase with one (-"tatap muka"). A minus inside a word (e-KTP,
// covid-19), alone, or inside quotes excludes nothing. Quotes pair from
// the left; one left over opens no phrase and is a separator, unless a
// minus opens it (wifi -"tatap muka, as typed so far), which excludes the
// rest of the query. What is left keeps its quoted phrases, balanced, for
// phrases to read.
func negations(q string) (rest string, not []string) {
	if strings.Count(q, `"`)%2 != 0 {
		last := strings.LastIndexByte(q, '"')
		if last > 0 && q[last-1] == '-' && (last == 1 || q[last-2] == ' ') {
			q += `"`
		} else {
			q = q[:last] + " " + q[last+1:]
		}
	}
	var b strings.Builder
	for i := 0; i < len(q); {
		if q[i] == '-' && (i == 0 || q[i-1] == ' ') {
			j := i
			for j < len(q) && q[j] == '-' {
				j++
			}
			if j < len(q) && q[j] == '"' {
				// Quotes balance now, so this one closes.
				end := j + 1 + strings.IndexByte(q[j+1:], '"')
				if t := strings.TrimSpace(q[j+1 : end]); t != "" {
					not = append(not, t)
				}
				i = end + 1
				continue
			}
			if r, _ := utf8.DecodeRuneInString(q[j:]); unicode.IsLetter(r) || unicode.IsDigit(r) {
				end := j
				for end < len(q) && q[end] != ' ' && q[end] != '"' {
					end++
				}
				not = append(not, q[j:end])
				i = end
				continue
			}
		}
		if q[i] == '"' {
			// A quoted phrase is copied whole: a minus inside it is a
			// word of the phrase.
			end := i + 1 + strings.IndexByte(q[i+1:], '"')
			b.WriteString(q[i : end+1])
			i = end + 1
			continue
		}
		b.WriteByte(q[i])
		i++
	}
	if len(not) > MaxExcluded {
		not = not[:MaxExcluded]
	}
	return strings.Join(strings.Fields(b.String()), " "), not
}

// excluded is the records that have any of the words or phrases of not as
// written (not their stems or synonyms: "-berbayar" leaves the records
// about "pembayaran"), in the title, the text or the tags and names; nil
// when not is empty.
func excluded(not []string) query.Query {
	if len(not) == 0 {
		return nil
	}
	var qs []query.Query
	for _, t := range not {
		if ws := tokens(t); len(ws) > MaxTerms {
			t = strings.Join(ws[:MaxTerms], " ")
		}
		for _, f := range []string{fTitle, fText, fMeta} {
			qs = append(qs, phrase(t, f, 1))
		}
	}
	return bleve.NewDisjunctionQuery(qs...)
}

// withNegations writes the excluded parts back after a suggested query, so
// that following the suggestion keeps them out.
func withNegations(suggestion string, not []string) string {
	if suggestion == "" {
		return ""
	}
	for _, t := range not {
		if strings.Contains(t, " ") {
			suggestion += ` -"` + t + `"`
		} else {
			suggestion += " -" + t
		}
	}
	return suggestion
}

// lastExcluded reports whether the last word of q, as typed, is one it
// excludes: that word is not one to complete.
func lastExcluded(q string) bool {
	fs := strings.Fields(q)
	return len(fs) > 0 && strings.HasPrefix(fs[len(fs)-1], "-")
}
