package markdown

import "testing"

// xssPayloads are known ways to get script into Markdown renderers and HTML
// sanitisers. Every one must come out inert; they also seed FuzzRender.
var xssPayloads = []struct{ name, src string }{
	{"script tag", `<script>alert(1)</script>`},
	{"script tag upper case with src", `<SCRIPT SRC=//evil.example/x.js></SCRIPT>`},
	{"script inline in paragraph", "hello <script>alert(1)</script> world"},
	{"img onerror block", `<img src=x onerror=alert(1)>`},
	{"img onerror inline", `hello <img src="x" onerror="alert(1)"/> world`},
	{"img onerror with good src", `<img src="https://example.com/a.png" onerror="alert(1)">`},
	{"a onclick", `<a href="https://example.com" onclick="alert(1)">x</a>`},
	{"link javascript", `[x](javascript:alert(1))`},
	{"link JaVaScRiPt", `[x](JaVaScRiPt:alert(1))`},
	{"link decimal entity", `[x](&#106;avascript:alert(1))`},
	{"link hex entities", `[x](&#x6A;avascript&#x3A;alert(1))`},
	{"link named colon entity", `[x](javascript&colon;alert(1))`},
	{"link numeric colon entity", `[x](javascript&#58;alert(1))`},
	{"link tab entity", `[x](jav&#9;ascript:alert(1))`},
	{"link tab in angle destination", "[x](<java\tscript:alert(1)>)"},
	{"link newline entity", `[x](java&#10;script:alert(1))`},
	{"link leading space", `[x]( javascript:alert(1))`},
	{"link leading control char", "[x](\x01javascript:alert(1))"},
	{"link javascript comment newline", `[x](javascript://%0aalert(1))`},
	{"link vbscript", `[x](vbscript:msgbox(1))`},
	{"link file", `[x](file:///etc/passwd)`},
	{"link data text/html", `[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`},
	{"autolink javascript", `<javascript:alert(1)>`},
	{"autolink JAVASCRIPT", `<JAVASCRIPT:alert(1)>`},
	{"autolink data", `<data:text/html,alert(1)>`},
	{"autolink quote breakout", `https://example.com/"onmouseover="alert(1)`},
	{"link quote breakout", `[x](https://example.com/"onmouseover="alert(1))`},
	{"link title breakout", `[x](https://example.com "a\" onmouseover=\"alert(1)")`},
	{"image javascript", `![x](javascript:alert(1))`},
	{"image data svg", `![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)`},
	{"image data html", `![x](data:text/html,<script>alert(1)</script>)`},
	{"image data png", `![x](data:image/png;base64,iVBORw0KGgo=)`},
	{"image mailto", `![x](mailto:a@example.com)`},
	{"image title breakout", `![x](https://example.com/a.png "\" onerror=\"alert(1)")`},
	{"image inside javascript link", `[![x](javascript:alert(1))](javascript:alert(2))`},
	{"html inside link text", `[<img src=x onerror=alert(1)>](https://example.com)`},
	{"reference link javascript", "[x][ref]\n\n[ref]: javascript:alert(1)\n"},
	{"shortcut reference JaVaScRiPt", "[ref]\n\n[ref]: JaVaScRiPt:alert(1)\n"},
	{"reference image javascript", "![x][ref]\n\n[ref]: javascript:alert(1) \"t\"\n"},
	{"reference entity encoded", "[x][r]\n\n[r]: &#106;avascript:alert(1)\n"},
	{"svg onload", `<svg onload=alert(1)>`},
	{"svg script", `<svg><script>alert(1)</script></svg>`},
	{"svg xlink href", `<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>`},
	{"iframe", `<iframe src="javascript:alert(1)"></iframe>`},
	{"iframe srcdoc", `<iframe srcdoc="<script>alert(1)</script>"></iframe>`},
	{"raw a vbscript", `<a href="vbscript:msgbox(1)">x</a>`},
	{"raw a entity javascript", `<a href="&#x6A;avascript:alert(1)">x</a>`},
	{"raw a tab entity", `<a href="jav&#x09;ascript:alert(1)">x</a>`},
	{"details ontoggle", `<details open ontoggle=alert(1)>`},
	{"style element", `<style>body{background:url(javascript:alert(1))}</style>`},
	{"style attribute", `<p style="background:url(javascript:alert(1))">x</p>`},
	{"object", `<object data="javascript:alert(1)"></object>`},
	{"embed", `<embed src="javascript:alert(1)">`},
	{"form", `<form action="javascript:alert(1)"><button>x</button></form>`},
	{"input autofocus", `<input autofocus onfocus=alert(1)>`},
	{"video source onerror", `<video><source onerror=alert(1)></video>`},
	{"body onload", `<body onload=alert(1)>`},
	{"base href", `<base href="javascript:alert(1)//">`},
	{"meta refresh", `<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`},
	{"link stylesheet", `<link rel=stylesheet href=javascript:alert(1)>`},
	{"math mXSS", `<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`},
	{"noscript mXSS", `<noscript><p title="</noscript><img src=x onerror=alert(1)>">`},
	{"comment breakout", `<!--><script>alert(1)</script>-->`},
	{"xmp", `<xmp><script>alert(1)</script></xmp>`},
	{"code span", "`<script>alert(1)</script>`"},
	{"fenced code breakout", "```\n</code></pre><script>alert(1)</script>\n```"},
	{"fenced code info breakout", "```\" onmouseover=\"alert(1)\n"},
	{"heading id attribute", `# Title {#x onclick=alert(1)}`},
	{"heading id quote", `# Title {#x" onclick="alert(1)}`},
	{"heading block attributes", "{onclick=\"alert(1)\" style=\"x\"}\n# Title"},
	{"table cells", "| <img src=x onerror=alert(1)> | b |\n|---|---|\n| [x](javascript:alert(1)) | <script>alert(1)</script> |"},
	{"footnote", "text[^1]\n\n[^1]: <script>alert(1)</script>"},
	{"definition list", "Term\n: <script>alert(1)</script> [x](javascript:alert(1))"},
	{"blockquote", "> <img src=x onerror=alert(1)>\n> [x](javascript:alert(1))"},
	{"list item", "- <svg onload=alert(1)>\n- [x](javascript:alert(1))"},
	{"emphasis around html", "*<img src=x onerror=alert(1)>*"},
	{"html block with markdown", "<div onclick=\"alert(1)\">\n\n[x](javascript:alert(1))\n\n</div>"},
	{"protocol-relative script", `<script src="//evil.example/x.js"></script>`},
	{"unclosed script", `<script>alert(1)`},
	{"null byte in tag", "<scr\x00ipt>alert(1)</script>"},
}

func TestRenderNeutralisesXSS(t *testing.T) {
	if len(xssPayloads) < 30 {
		t.Fatalf("only %d payloads; the suite promises at least 30", len(xssPayloads))
	}
	r := New()
	for _, tc := range xssPayloads {
		t.Run(tc.name, func(t *testing.T) {
			out, err := r.Render(tc.src)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			if problem := unsafeHTML(string(out)); problem != "" {
				t.Errorf("%s\ninput:  %q\noutput: %s", problem, tc.src, out)
			}
		})
	}
}

// TestSafetyCheckCatchesUnsafeHTML guards the checker itself: a checker that
// passes everything would make the XSS suite and the fuzz target worthless.
func TestSafetyCheckCatchesUnsafeHTML(t *testing.T) {
	unsafe := []string{
		`<script>alert(1)</script>`,
		`<p><img src="x" onerror="alert(1)"></p>`,
		`<a href="javascript:alert(1)">x</a>`,
		`<a href=" JaVaScRiPt:alert(1)">x</a>`,
		`<a href="&#106;avascript:alert(1)">x</a>`,
		`<a href="java&#9;script:alert(1)">x</a>`,
		"<a href=\"\x01javascript:alert(1)\">x</a>",
		`<img src="mailto:a@example.com">`,
		`<img src="data:image/png;base64,AAAA">`,
		`<a href="vbscript:x">x</a>`,
		`<p style="color:red">x</p>`,
		`<svg><a xlink:href="javascript:alert(1)">x</a></svg>`,
		`<math><mi>x</mi></math>`,
		`<h1 id="main">x</h1>`,
		`<h1 id="md-a onclick">x</h1>`,
		`<iframe></iframe>`,
		`<form></form>`,
		`<object></object>`,
		`<embed>`,
		`<style>x{}</style>`,
		`<details open ontoggle="alert(1)">`,
	}
	for _, s := range unsafe {
		if unsafeHTML(s) == "" {
			t.Errorf("checker passed unsafe HTML %q", s)
		}
	}
	safe := []string{
		`<p><a href="https://example.com" rel="nofollow">x</a> <a href="/x">y</a> <a href="#md-a">z</a> <a href="mailto:a@example.com">m</a></p>`,
		`<img src="https://example.com/a.png" alt="x"><img src="a.png" alt="y"><a href="page?x=javascript:1">q</a>`,
		`<h2 id="md-intro">Intro</h2><pre><code class="language-go">x</code></pre>`,
	}
	for _, s := range safe {
		if problem := unsafeHTML(s); problem != "" {
			t.Errorf("checker rejected safe HTML %q: %s", s, problem)
		}
	}
}
