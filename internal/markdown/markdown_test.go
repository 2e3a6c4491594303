package markdown

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

func parse(t *testing.T, out string) []*html.Node {
	t.Helper()
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(out), ctx)
	if err != nil {
		t.Fatalf("parse output: %v", err)
	}
	return nodes
}

// elements returns every element called tag, in document order.
func elements(nodes []*html.Node, tag string) []*html.Node {
	var found []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == tag {
			found = append(found, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return found
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func render(t *testing.T, src string) []*html.Node {
	t.Helper()
	out, err := New().Render(src)
	if err != nil {
		t.Fatalf("Render(%q): %v", src, err)
	}
	if problem := unsafeHTML(string(out)); problem != "" {
		t.Fatalf("%s\noutput: %s", problem, out)
	}
	return parse(t, string(out))
}

func TestRenderKeepsMarkup(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want map[string]int // element name to how many there must be
	}{
		{"headings", "# One\n\n## Two\n\n### Three\n\n#### Four\n\n##### Five\n\n###### Six\n",
			map[string]int{"h1": 1, "h2": 1, "h3": 1, "h4": 1, "h5": 1, "h6": 1}},
		{"setext heading", "Title\n=====\n", map[string]int{"h1": 1}},
		{"emphasis", "*em* **strong** ~~struck~~ `code`",
			map[string]int{"em": 1, "strong": 1, "del": 1, "code": 1}},
		{"table", "| Kota | Jumlah |\n|:-----|-------:|\n| Solo | 37 |\n| Blitar | 12 |\n",
			map[string]int{"table": 1, "thead": 1, "tbody": 1, "th": 2, "td": 4}},
		{"fenced code", "```go\nfunc main() {}\n```\n", map[string]int{"pre": 1, "code": 1}},
		{"indented code", "    x := 1\n", map[string]int{"pre": 1, "code": 1}},
		{"unordered list", "- satu\n- dua\n- tiga\n", map[string]int{"ul": 1, "li": 3}},
		{"ordered list", "1. satu\n2. dua\n", map[string]int{"ol": 1, "li": 2}},
		{"nested list", "- a\n  - b\n  - c\n- d\n", map[string]int{"ul": 2, "li": 4}},
		{"list without blank line", "Agenda:\n- satu\n- dua\n", map[string]int{"p": 1, "ul": 1, "li": 2}},
		{"blockquote", "> kutipan\n> lanjut\n", map[string]int{"blockquote": 1, "p": 1}},
		{"rule", "a\n\n***\n\nb\n", map[string]int{"hr": 1, "p": 2}},
		{"definition list", "Istilah\n: Arti\n", map[string]int{"dl": 1, "dt": 1, "dd": 1}},
		{"links", "[a](https://example.com) [b](/visits/1) <https://example.org>",
			map[string]int{"a": 3}},
		{"image", "![peta](https://example.com/peta.png)", map[string]int{"img": 1}},
		{"hard break", "line one\\\nline two", map[string]int{"br": 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			nodes := render(t, tc.src)
			for tag, n := range tc.want {
				if got := len(elements(nodes, tag)); got != n {
					t.Errorf("%d <%s>, want %d", got, tag, n)
				}
			}
		})
	}
}

func TestRenderDetails(t *testing.T) {
	t.Run("code keeps language class and text", func(t *testing.T) {
		nodes := render(t, "```go\nif a < b && c {}\n```\n")
		code := elements(nodes, "code")[0]
		if class, _ := attr(code, "class"); class != "language-go" {
			t.Errorf("class = %q, want language-go", class)
		}
		if got := text(code); got != "if a < b && c {}\n" {
			t.Errorf("code text = %q", got)
		}
	})
	t.Run("table alignment survives", func(t *testing.T) {
		nodes := render(t, "| a | b |\n|:--|--:|\n| 1 | 2 |\n")
		th := elements(nodes, "th")
		if a, _ := attr(th[0], "align"); a != "left" {
			t.Errorf("first column align = %q, want left", a)
		}
		if a, _ := attr(th[1], "align"); a != "right" {
			t.Errorf("second column align = %q, want right", a)
		}
	})
	t.Run("heading ids are prefixed and unique", func(t *testing.T) {
		nodes := render(t, "# Main\n\n# Main\n\n## Ringkasan {#summary}\n")
		var ids []string
		for _, tag := range []string{"h1", "h2"} {
			for _, h := range elements(nodes, tag) {
				id, _ := attr(h, "id")
				ids = append(ids, id)
			}
		}
		want := []string{"md-main", "md-main-1", "md-summary"}
		if strings.Join(ids, " ") != strings.Join(want, " ") {
			t.Errorf("ids = %q, want %q", ids, want)
		}
	})
	t.Run("explicit ids are reduced to safe anchors", func(t *testing.T) {
		nodes := render(t, "# A {#x onclick=alert(1)}\n\n# "+strings.Repeat("panjang ", 50)+"\n")
		h := elements(nodes, "h1")
		if id, _ := attr(h[0], "id"); id != "md-x-onclick-alert-1" {
			t.Errorf("explicit id = %q, want md-x-onclick-alert-1", id)
		}
		if id, _ := attr(h[1], "id"); len(id) > len(HeadingIDPrefix)+maxAnchorBytes {
			t.Errorf("long heading gave a %d-byte id", len(id))
		}
	})
	t.Run("external links open safely", func(t *testing.T) {
		for _, src := range []string{"[x](https://example.com/a)", "<https://example.com/a>",
			"see https://example.com/a now", "[x](//example.com/a)", "[x][r]\n\n[r]: http://example.com/a\n"} {
			a := elements(render(t, src), "a")
			if len(a) != 1 {
				t.Fatalf("%q: %d links, want 1", src, len(a))
			}
			rel, _ := attr(a[0], "rel")
			for _, want := range []string{"nofollow", "noopener", "noreferrer"} {
				if !strings.Contains(" "+rel+" ", " "+want+" ") {
					t.Errorf("%q: rel = %q, lacks %s", src, rel, want)
				}
			}
			if target, _ := attr(a[0], "target"); target != "_blank" {
				t.Errorf("%q: target = %q, want _blank", src, target)
			}
		}
	})
	t.Run("links within the site stay plain", func(t *testing.T) {
		for src, href := range map[string]string{
			"[x](/innovations/12)": "/innovations/12",
			"[x](#md-ringkasan)":   "#md-ringkasan",
			"[x](report.html)":     "report.html",
			"[x](../visits)":       "../visits",
		} {
			a := elements(render(t, src), "a")
			if len(a) != 1 {
				t.Fatalf("%q: %d links, want 1", src, len(a))
			}
			if got, _ := attr(a[0], "href"); got != href {
				t.Errorf("%q: href = %q, want %q", src, got, href)
			}
			if rel, ok := attr(a[0], "rel"); ok {
				t.Errorf("%q: internal link has rel=%q", src, rel)
			}
		}
	})
	t.Run("mailto links survive", func(t *testing.T) {
		a := elements(render(t, "[surat](mailto:dinas@example.go.id)"), "a")
		if href, _ := attr(a[0], "href"); href != "mailto:dinas@example.go.id" {
			t.Errorf("href = %q", href)
		}
	})
	t.Run("rejected link keeps its text", func(t *testing.T) {
		nodes := render(t, "[klik di sini](javascript:alert(1))")
		if len(elements(nodes, "a")) != 0 {
			t.Error("javascript: link kept as a link")
		}
		if got := text(nodes[0]); !strings.Contains(got, "klik di sini") {
			t.Errorf("text = %q, lost the link text", got)
		}
	})
	t.Run("raw html is dropped, not shown", func(t *testing.T) {
		nodes := render(t, "a <b>bold</b> c\n\n<div>block</div>\n")
		if len(elements(nodes, "b")) != 0 {
			t.Error("raw <b> survived; SkipHTML should drop it")
		}
	})
	t.Run("dollar signs are not math", func(t *testing.T) {
		nodes := render(t, "biaya $5 atau $10")
		if got := text(nodes[0]); got != "biaya $5 atau $10" {
			t.Errorf("text = %q", got)
		}
	})
}

func TestRenderSizeLimit(t *testing.T) {
	r := New()
	if _, err := r.Render(strings.Repeat("a", MaxSourceBytes)); err != nil {
		t.Errorf("Render at exactly MaxSourceBytes: %v", err)
	}
	out, err := r.Render(strings.Repeat("a", MaxSourceBytes+1))
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("Render over MaxSourceBytes: err = %v, want ErrTooLarge", err)
	}
	if out != "" {
		t.Errorf("Render over MaxSourceBytes returned %d bytes of output", len(out))
	}
}

func TestRenderEmpty(t *testing.T) {
	out, err := New().Render("")
	if err != nil || out != "" {
		t.Errorf(`Render("") = %q, %v`, out, err)
	}
}

func TestRendererIsSafeForConcurrentUse(t *testing.T) {
	r := New()
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, tc := range xssPayloads {
				out, err := r.Render(tc.src + "\n\n# Judul\n\n[x](https://example.com)")
				if err != nil {
					t.Error(err)
					return
				}
				if problem := unsafeHTML(string(out)); problem != "" {
					t.Errorf("%s: %s", tc.name, problem)
				}
			}
		}()
	}
	wg.Wait()
}

func TestPlain(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"empty", "", ""},
		{"paragraphs do not run together", "satu\n\ndua", "satu dua"},
		{"headings and lists", "# Judul\n\n- a\n- b\n", "Judul a b"},
		{"markup dropped", "**tebal** dan *miring* dan [tautan](https://example.com)", "tebal dan miring dan tautan"},
		{"entities decoded", "AT&amp;T &lt;3 &copy; \"kutip\" 'apos'", "AT&T <3 © \"kutip\" 'apos'"},
		{"raw html blocks dropped", "a\n\n<script>\nalert(1)\n</script>\n\n<style>x{}</style>\n\nc", "a c"},
		// Inline raw HTML loses its tags but, like any text, keeps what is
		// between them: gomarkdown skips tags, not elements.
		{"inline html tags dropped", "a <script>alert(1)</script> <b>b</b>", "a alert(1) b"},
		{"code kept as text", "```\nif a < b {}\n```", "if a < b {}"},
		{"table cells separated", "| a | b |\n|---|---|\n| 1 | 2 |", "a b 1 2"},
		{"white space collapsed", "a  \t b\n\n\n   c", "a b c"},
		{"non-ASCII", "Kunjungan ke *Kabupaten* Banyuwangi — 22 Oktober", "Kunjungan ke Kabupaten Banyuwangi — 22 Oktober"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Plain(tc.src); got != tc.want {
				t.Errorf("Plain(%q) = %q, want %q", tc.src, got, tc.want)
			}
		})
	}
}

func TestPlainTruncatesAtCharacterBoundary(t *testing.T) {
	// "é" is two bytes, so an odd limit would cut one in half.
	src := "x" + strings.Repeat("é", MaxSourceBytes/2)
	got := Plain(src)
	if !utf8.ValidString(got) {
		t.Fatal("Plain cut a character in half")
	}
	if len(got) > MaxSourceBytes {
		t.Errorf("Plain returned %d bytes, more than MaxSourceBytes", len(got))
	}
	if len(got) < MaxSourceBytes-2 {
		t.Errorf("Plain returned %d bytes, dropped more than the tail", len(got))
	}
}

// TestPathologicalInputsFinish feeds the shapes behind gomarkdown's hang and
// blow-up reports (CVE-2024-44337 and the GHSAs that followed: unmatched
// brackets, deep nesting, unclosed HTML blocks). There is deliberately no
// timer: finishing is the assertion, and go test's timeout reports a hang.
func TestPathologicalInputsFinish(t *testing.T) {
	const size = 100 << 10
	fill := func(unit string) string { return strings.Repeat(unit, size/len(unit)) }
	inputs := map[string]string{
		"open brackets":        fill("["),
		"open then close":      fill("[")[:size/2] + fill("]")[:size/2],
		"nested quotes":        fill(">"),
		"nested quote lines":   fill(">x\n"),
		"stars":                fill("*"),
		"star brackets":        fill("*["),
		"underscores":          fill("_a"),
		"backticks":            fill("`a``"),
		"image openers":        fill("!["),
		"link openers":         fill("[a]("),
		"angle openers":        fill("<a "),
		"unclosed html blocks": fill("<div>\n\n"),
		"nested lists":         nestedLists(2000),
		"deep list markers":    fill("- "),
		"table columns":        "|" + fill("a|")[:size-40] + "\n|" + strings.Repeat("-|", 10) + "\n",
		"reference defs":       fill("[a]: /x\n[a]\n"),
		"emphasis runs":        fill("**a*"),
		"definition colons":    fill(":\n\n"),
		"CVE-2024-44337 input": fill("~~~~\xb4~\x94~\x94~\xd1\r\r:\xb4\x94\x94~\x9f~\xb4~\x94~\x94\x94"),
		"gomarkdown infinite1": fill("[[[[[[\n\t: ]]]]]]\n\n: \n\n:(()"),
		"gomarkdown infinite2": fill(":\x00\x00\x00\x01V\n>* \x00\x80e\n\t* \n\n:\t"),
		"gomarkdown infinite3": fill("\xa2 \n\t: \n: "),
		"entities":             fill("&#"),
		"autolink prefixes":    fill("http://"),
		"fences":               fill("```\n~~~\n"),
		"heading ids":          fill("# a {#\n"),
	}
	r := New()
	for name, src := range inputs {
		t.Run(name, func(t *testing.T) {
			out, err := r.Render(src)
			if err != nil {
				t.Fatal(err)
			}
			if problem := unsafeHTML(string(out)); problem != "" {
				t.Error(problem)
			}
			Plain(src)
		})
	}
}

func nestedLists(depth int) string {
	var b strings.Builder
	for i := 0; i < depth; i++ {
		b.WriteString(strings.Repeat("  ", i%200))
		b.WriteString("- item\n")
	}
	return b.String()
}

// TestMaxSizeInputsFinish renders sources of exactly MaxSourceBytes, the
// largest a caller will ever pass, built from ordinary and hostile Markdown.
func TestMaxSizeInputsFinish(t *testing.T) {
	if testing.Short() {
		t.Skip("renders several megabytes")
	}
	units := []string{
		"# Kunjungan\n\nDelegasi **37 jurnalis** ke [Banyuwangi](https://example.com).\n\n- a\n- b\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n",
		"[x](javascript:alert(1)) <img src=x onerror=alert(1)> ",
		"[[[[****>>>>",
		"*[",
	}
	r := New()
	for _, unit := range units {
		src := strings.Repeat(unit, MaxSourceBytes/len(unit))
		out, err := r.Render(src)
		if err != nil {
			t.Fatalf("%q: %v", unit[:10], err)
		}
		if problem := unsafeHTML(string(out)); problem != "" {
			t.Errorf("%q: %s", unit[:10], problem)
		}
	}
}
