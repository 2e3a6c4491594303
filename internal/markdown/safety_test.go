package markdown

import (
	"fmt"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// forbiddenElements can run script, load active content, restyle the page
// or submit data; none may appear in rendered output.
var forbiddenElements = map[string]bool{
	"script": true, "style": true, "iframe": true, "frame": true, "frameset": true,
	"object": true, "embed": true, "applet": true, "form": true, "input": true,
	"button": true, "textarea": true, "select": true, "base": true, "link": true,
	"meta": true, "svg": true, "math": true, "template": true, "noscript": true,
	"audio": true, "video": true, "source": true, "portal": true,
}

// urlAttributes hold URLs that a browser may follow, load or run.
var urlAttributes = map[string]bool{
	"href": true, "src": true, "cite": true, "action": true, "formaction": true,
	"poster": true, "background": true, "data": true, "srcset": true, "ping": true,
	"longdesc": true, "manifest": true, "codebase": true, "dynsrc": true, "lowsrc": true,
	"xlink:href": true,
}

// unsafeHTML parses out as a browser would parse it inside a <div> and
// describes the first thing in it that could run script or break out of the
// rendered block, or returns "" when there is none. Checking the parsed tree,
// not substrings, is what catches entity-encoded schemes and odd quoting.
func unsafeHTML(out string) string {
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(out), ctx)
	if err != nil {
		return fmt.Sprintf("output does not parse: %v", err)
	}
	for _, n := range nodes {
		if problem := unsafeNode(n); problem != "" {
			return problem
		}
	}
	return ""
}

func unsafeNode(n *html.Node) string {
	if n.Type == html.ElementNode {
		name := strings.ToLower(n.Data)
		if forbiddenElements[name] || n.Namespace != "" {
			return fmt.Sprintf("forbidden element <%s> (namespace %q)", name, n.Namespace)
		}
		for _, a := range n.Attr {
			key := strings.ToLower(a.Key)
			if a.Namespace != "" {
				key = strings.ToLower(a.Namespace) + ":" + key
			}
			switch {
			case strings.HasPrefix(key, "on"):
				return fmt.Sprintf("event handler %s=%q on <%s>", key, a.Val, name)
			case key == "style":
				return fmt.Sprintf("style attribute %q on <%s>", a.Val, name)
			case key == "srcset":
				return fmt.Sprintf("srcset %q on <%s>", a.Val, name)
			case key == "id" && (!strings.HasPrefix(a.Val, HeadingIDPrefix) || strings.ContainsAny(a.Val, " \t\n\f\r")):
				return fmt.Sprintf("id %q on <%s> lacks the %q prefix or has spaces", a.Val, name, HeadingIDPrefix)
			case urlAttributes[key]:
				if !allowedScheme(name, key, a.Val) {
					return fmt.Sprintf("%s=%q on <%s> has a forbidden scheme", key, a.Val, name)
				}
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if problem := unsafeNode(c); problem != "" {
			return problem
		}
	}
	return ""
}

// allowedScheme applies the policy to a decoded attribute value: relative
// URLs, http and https everywhere, mailto only in links.
func allowedScheme(element, attr, val string) bool {
	switch browserScheme(val) {
	case "", "http", "https":
		return true
	case "mailto":
		return element == "a" && attr == "href"
	}
	return false
}

// browserScheme finds a URL's scheme following the WHATWG URL parser, written
// out again here rather than calling the package's scheme so that a mistake
// there is not repeated in the check.
func browserScheme(u string) string {
	u = strings.Trim(u, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f"+
		"\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
	u = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(u)
	colon := strings.IndexByte(u, ':')
	if colon < 1 {
		return ""
	}
	s := u[:colon]
	if !isASCIILetter(s[0]) {
		return ""
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !isASCIILetter(c) && !('0' <= c && c <= '9') && c != '+' && c != '-' && c != '.' {
			return ""
		}
	}
	return strings.ToLower(s)
}

func isASCIILetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }
