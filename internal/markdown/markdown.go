// Package markdown turns user-written Markdown into HTML that is safe to put
// on a page, into plain text for the search index, and splits off the YAML
// front matter of imported files.
//
// Rendering is two steps on purpose. gomarkdown is a Markdown parser, not a
// sanitiser: even with SkipHTML and Safelink it documents that its output is
// not safe as it is, so every rendering goes through bluemonday afterwards,
// and bluemonday has the last word on which tags, attributes and URLs survive.
package markdown

import (
	"errors"
	"fmt"
	"html"
	"html/template"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gomarkdown/markdown"
	"github.com/gomarkdown/markdown/ast"
	mdhtml "github.com/gomarkdown/markdown/html"
	"github.com/gomarkdown/markdown/parser"
	"github.com/microcosm-cc/bluemonday"
)

// MaxSourceBytes bounds the Markdown one call will render. gomarkdown has had
// inputs that made it loop or go quadratic (CVE-2024-44337 and later fuzz
// finds), so a bound keeps the worst case of one request small; 1 MiB is far
// more than any trip note or write-up needs.
const MaxSourceBytes = 1 << 20

// HeadingIDPrefix starts every id attribute in rendered Markdown, so that a
// heading such as "# Main" can never take an id the page itself uses (a
// skip link's target, a form field) or clobber a DOM global.
const HeadingIDPrefix = "md-"

// ErrTooLarge is returned, wrapped, by Render for sources over
// MaxSourceBytes, so callers can tell the user to shorten the text instead of
// showing a generic failure.
var ErrTooLarge = errors.New("markdown source too large")

// extensions is CommonExtensions without MathJax, plus generated heading ids
// and blocks that need no blank line before them. MathJax is left out because
// it turns text between two dollar signs ("costs $5 or $10") into math spans.
const extensions = (parser.CommonExtensions &^ parser.MathJax) |
	parser.AutoHeadingIDs | parser.NoEmptyLineBeforeBlock

// languageClass is the only class allowed through: the one gomarkdown puts on
// fenced code, which a syntax highlighter may later want.
var languageClass = regexp.MustCompile(`^language-[A-Za-z0-9_+#.-]{1,40}$`)

// Renderer renders untrusted Markdown to sanitised HTML. It holds the
// sanitising policy, which is costly to build but safe for concurrent use, so
// build one with New at start-up and share it.
type Renderer struct {
	policy *bluemonday.Policy
	cache  *renderCache
}

// New builds a Renderer whose policy starts from bluemonday's UGCPolicy.
func New() *Renderer {
	p := bluemonday.UGCPolicy()
	// UGCPolicy puts rel="nofollow" on every link, even links within the
	// site; external links get nofollow, noreferrer, target="_blank" and (from
	// bluemonday, because of target) noopener instead. Link attributes are
	// left to bluemonday alone: it strips the rel that gomarkdown would write,
	// and it decides "external" from the URL it finally emits.
	p.RequireNoFollowOnLinks(false)
	p.RequireNoFollowOnFullyQualifiedLinks(true)
	p.RequireNoReferrerOnFullyQualifiedLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	p.AllowAttrs("class").Matching(languageClass).OnElements("code")
	return &Renderer{policy: p, cache: newRenderCache(cacheBytes)}
}

// Render converts Markdown to HTML that may be put on a page unescaped. Raw
// HTML tags in the source are dropped, not shown. Links to anything but a
// relative, http, https or mailto URL, and images from anything but a
// relative, http or https URL, are shown as their text instead. Links to
// other hosts open in a new tab with rel="nofollow noreferrer noopener";
// heading ids start with HeadingIDPrefix. Sources over MaxSourceBytes return
// an error wrapping ErrTooLarge: nothing is silently truncated, so what was
// saved is what is shown.
func (r *Renderer) Render(src string) (template.HTML, error) {
	if len(src) > MaxSourceBytes {
		return "", fmt.Errorf("%w: %d bytes, the limit is %d", ErrTooLarge, len(src), MaxSourceBytes)
	}
	if len(src) < cacheFrom {
		return template.HTML(r.policy.SanitizeBytes(toHTML([]byte(src)))), nil
	}
	return r.cache.get(src, func() template.HTML {
		return template.HTML(r.policy.SanitizeBytes(toHTML([]byte(src))))
	}), nil
}

// Plain converts Markdown to one line of plain text for search indexing and
// snippets: markup and raw HTML are dropped, entities decoded and runs of
// white space collapsed to single spaces. Only the first MaxSourceBytes of
// src are used (cut at a character boundary); an index or snippet of the
// first megabyte is good enough, and Plain cannot fail.
//
// The result is text, not HTML: decoding entities means it can contain "<"
// and "&", so it must be escaped wherever it is shown (html/template does).
func Plain(src string) string {
	if len(src) > MaxSourceBytes {
		cut := MaxSourceBytes
		for cut > 0 && !utf8.RuneStart(src[cut]) {
			cut--
		}
		src = src[:cut]
	}
	// A fresh policy per call keeps the package free of shared state; it is
	// a handful of small maps, cheap next to parsing.
	strict := bluemonday.StrictPolicy()
	// Without the space, "<p>a</p><p>b</p>" would index as the word "ab".
	strict.AddSpaceWhenStrippingTag(true)
	text := html.UnescapeString(strict.Sanitize(string(toHTML([]byte(src)))))
	return strings.Join(strings.Fields(text), " ")
}

// toHTML runs gomarkdown with a fresh parser and renderer each time: both
// keep per-document state (references, heading ids) and are not reusable.
func toHTML(src []byte) []byte {
	p := parser.NewWithExtensions(extensions)
	rd := mdhtml.NewRenderer(mdhtml.RendererOptions{
		// SkipHTML and Safelink are a first line of defence only;
		// bluemonday enforces the same rules again on the output.
		Flags:           mdhtml.SkipHTML | mdhtml.Safelink,
		HeadingIDPrefix: HeadingIDPrefix,
	})
	// Safelink's own list rejects fragment links ("#md-intro") and bare
	// relative paths ("other-page") while allowing ftp:; judge by scheme
	// instead, the same way the browser and bluemonday will.
	rd.IsSafeURLOverride = safeURL
	doc := p.Parse(src)
	// Explicit ids ("# Title {#any text}") reach the page unsanitised and
	// bluemonday's id rule matches nearly anything, so give them the same
	// shape as generated ones.
	ast.WalkFunc(doc, func(n ast.Node, entering bool) ast.WalkStatus {
		if h, ok := n.(*ast.Heading); ok && entering && h.HeadingID != "" {
			h.HeadingID = anchorName(h.HeadingID)
		}
		return ast.GoToNext
	})
	return markdown.Render(doc, rd)
}

// maxAnchorBytes keeps a heading of many kilobytes from repeating itself in
// its id; the renderer adds "-1", "-2" if shortening makes two ids equal.
const maxAnchorBytes = 80

// anchorName reduces an id to lower-case letters and digits joined by single
// hyphens, as gomarkdown does for the ids it generates itself.
func anchorName(id string) string {
	var b strings.Builder
	dash := false
	for _, c := range id {
		if !unicode.IsLetter(c) && !unicode.IsNumber(c) {
			dash = true
			continue
		}
		if b.Len()+utf8.UTFMax+1 > maxAnchorBytes {
			break
		}
		if dash && b.Len() > 0 {
			b.WriteByte('-')
		}
		dash = false
		b.WriteRune(unicode.ToLower(c))
	}
	if b.Len() == 0 {
		return "empty"
	}
	return b.String()
}

// safeURL reports whether a link or image destination, as it will be written
// to the page, is relative or uses http or https. gomarkdown lets mailto:
// links through on its own, and only for links.
func safeURL(dest []byte) bool {
	switch scheme(string(dest)) {
	case "", "http", "https":
		return true
	}
	return false
}

// scheme returns the lower-cased scheme of a URL the way a browser finds it
// (WHATWG URL): leading and trailing control characters and spaces are
// ignored, tabs and newlines anywhere are removed, and a scheme must start
// with a letter and continue with letters, digits, "+", "-" or ".". It
// returns "" for relative URLs.
func scheme(u string) string {
	u = strings.TrimFunc(u, func(c rune) bool { return c <= ' ' })
	u = strings.Map(func(c rune) rune {
		if c == '\t' || c == '\n' || c == '\r' {
			return -1
		}
		return c
	}, u)
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return strings.ToLower(u[:i])
		default:
			return ""
		}
	}
	return ""
}
