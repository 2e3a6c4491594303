package web

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/gin-gonic/gin"

	"tiru/internal/kb"
)

// Localizer gives the words of one request in its language.
type Localizer struct {
	Lang    string
	catalog map[string]kb.Text
}

// T returns the message for key, formatted with args when given. A key
// missing from the catalogue shows as itself, and a test makes sure none is.
//
// Counts: when the first argument is a count of one and the catalogue has
// key+".one", that message is used instead, because English says "1
// adoption" but "2 adoptions". Indonesian does not inflect for number, so
// the ".one" form of a message repeats its Indonesian.
func (l *Localizer) T(key string, args ...any) string {
	if len(args) > 0 && isOne(args[0]) {
		if _, ok := l.catalog[key+".one"]; ok {
			key += ".one"
		}
	}
	m, ok := l.catalog[key]
	if !ok {
		return key
	}
	s := m.In(l.Lang)
	if len(args) > 0 {
		// A copy: the caller's slice (args...) is not the messages' to change.
		shown := make([]any, len(args))
		for i, a := range args {
			shown[i] = a
			if n, ok := asInt(a); ok {
				shown[i] = grouped{n: n, lang: l.Lang}
			}
		}
		return fmt.Sprintf(s, shown...)
	}
	return s
}

// grouped is a whole number in a message, written with the language's
// thousands separator ("37.956 hasil", "37,956 results"), as the pages
// write the numbers they show.
type grouped struct {
	n    int64
	lang string
}

// Format writes g for %d and %v grouped, and as a plain number for any
// other verb.
func (g grouped) Format(f fmt.State, verb rune) {
	if verb == 'd' || verb == 'v' {
		_, _ = io.WriteString(f, formatNumber(g.lang, g.n))
		return
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), g.n)
}

// asInt returns v as an int64 when it is a whole number of a Go integer
// type that fits.
func asInt(v any) (int64, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int64:
		return n, true
	case int32:
		return int64(n), true
	case uint:
		return int64(n), n <= math.MaxInt64
	case uint64:
		return int64(n), n <= math.MaxInt64
	case uint32:
		return int64(n), true
	}
	return 0, false
}

// Field names a record's field, given as its key in the import format
// (as revisions record what changed): "evidence_level" reads "Tingkat
// bukti". A key without a label shows as itself.
func (l *Localizer) Field(key string) string {
	if m, ok := l.catalog["changed."+key]; ok {
		return m.In(l.Lang)
	}
	return key
}

// FieldOf is Field for a field of one kind of record ("visit"), where its
// label differs from other kinds': a visit's body is its trip notes.
func (l *Localizer) FieldOf(kind, key string) string {
	if m, ok := l.catalog["changed."+kind+"."+key]; ok {
		return m.In(l.Lang)
	}
	return l.Field(key)
}

// Counted is the label of a count shown apart from its number ("4" over
// "innovations"): key+".one" when n is 1 and the catalogue has it, as T
// chooses for a message that holds its number.
func (l *Localizer) Counted(key string, n int) string {
	if n == 1 {
		if _, ok := l.catalog[key+".one"]; ok {
			return l.T(key + ".one")
		}
	}
	return l.T(key)
}

// isOne reports whether v is an integer equal to 1.
func isOne(v any) bool {
	n, ok := asInt(v)
	return ok && n == 1
}

// Other is the language the switch offers.
func (l *Localizer) Other() string {
	if l.Lang == "en" {
		return "id"
	}
	return "en"
}

// IsEN reports whether the page is in English.
func (l *Localizer) IsEN() bool { return l.Lang == "en" }

const langCookie = "tiru_lang"

// localizer picks the language: an explicit ?lang= (remembered in a cookie),
// then the cookie, then Indonesian. Indonesian is the default even for
// browsers that prefer English, because Tiru's users are Indonesian agencies.
func (s *Server) localizer(c *gin.Context) *Localizer {
	if l, ok := c.Get("localizer"); ok {
		return l.(*Localizer)
	}
	lang := "id"
	if q := c.Query("lang"); q == "en" || q == "id" {
		lang = q
		// Secure as the session cookie is, --secure-cookies included:
		// behind a proxy that ends TLS, the request itself is plain HTTP.
		s.setCookie(c, langCookie, q, 365*24*3600)
	} else if ck, err := c.Cookie(langCookie); err == nil && (ck == "en" || ck == "id") {
		lang = ck
	} else if isAPI(c) && strings.HasPrefix(strings.ToLower(c.GetHeader("Accept-Language")), "en") {
		lang = "en"
	}
	l := &Localizer{Lang: lang, catalog: s.catalog}
	c.Set("localizer", l)
	return l
}
