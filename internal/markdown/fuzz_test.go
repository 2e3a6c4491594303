package markdown

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzRepeatBytes is how far FuzzRender repeats a small input: enough that
// quadratic behaviour on that input shows up as a hang, which the fuzzer
// reports, without making each run so slow that fuzzing finds nothing.
const fuzzRepeatBytes = 4 << 10

func FuzzRender(f *testing.F) {
	for _, tc := range xssPayloads {
		f.Add(tc.src)
	}
	for _, seed := range []string{
		"",
		"# Judul\n\n*em* **strong** `code`\n\n- a\n- b\n\n1. c\n\n> q\n",
		"| a | b |\n|:--|--:|\n| 1 | 2 |\n",
		"```go\nx := 1\n```\n",
		"[a](https://example.com \"t\") [b](/x) [c](#md-y) <https://example.org> ![i](a.png)",
		"[r]\n\n[r]: https://example.com\n",
		"Istilah\n: arti\n",
		"# A {#id}\n\n# A\n",
		"~~~~\xb4~\x94~\x94~\xd1\r\r:\xb4\x94\x94~\x9f~\xb4~\x94~\x94\x94",
		"[[[[[[\n\t: ]]]]]]\n\n: \n\n:(()",
		":\x00\x00\x00\x01V\n>* \x00\x80e\n\t* \n\n:\t",
		"\xa2 \n\t: \n: ",
		"*[*[*[*[*[",
		"<div>\n\n<div>\n\n",
	} {
		f.Add(seed)
	}
	r := New()
	f.Fuzz(func(t *testing.T, src string) {
		check := func(src string) {
			out, err := r.Render(src)
			if len(src) > MaxSourceBytes {
				if !errors.Is(err, ErrTooLarge) {
					t.Fatalf("%d bytes: err = %v, want ErrTooLarge", len(src), err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			if problem := unsafeHTML(string(out)); problem != "" {
				t.Fatalf("%s\ninput:  %q\noutput: %s", problem, src, out)
			}
			if p := Plain(src); strings.Contains(p, "  ") || p != strings.TrimSpace(p) {
				t.Fatalf("Plain left runs of white space: %q", p)
			}
		}
		check(src)
		if n := len(src); n > 0 && n <= fuzzRepeatBytes/4 {
			check(strings.Repeat(src, fuzzRepeatBytes/n))
		}
	})
}

func FuzzSplitFrontMatter(f *testing.F) {
	for _, seed := range []string{
		"", "---", "---\n", "---\n---\n", "---\na: 1\n---\nbody", "---\r\na: 1\r\n...\r\nbody",
		"\ufeff---\na: 1\n---\n", "# no front matter\n", "---\nunclosed\n", "\ufeff", "----\n---\n",
		"---\n\n\n---\n\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		orig := bytes.Clone(src)
		front, body, line, err := SplitFrontMatter(src)
		if !bytes.Equal(src, orig) {
			t.Fatal("SplitFrontMatter changed its input")
		}
		if err != nil {
			if !errors.Is(err, ErrFrontMatter) {
				t.Fatalf("error %v does not wrap ErrFrontMatter", err)
			}
			if front != nil || body != nil || line != 0 {
				t.Fatal("results returned alongside an error")
			}
			return
		}
		s := bytes.TrimPrefix(src, []byte(utf8BOM))
		if !within(s, body) || len(body) > 0 && &body[len(body)-1] != &s[len(s)-1] {
			t.Fatalf("body %q is not a suffix slice of the input", body)
		}
		head := s[:len(s)-len(body)]
		want := 1 + bytes.Count(head, []byte("\n"))
		if front != nil && !bytes.HasSuffix(head, []byte("\n")) {
			// A closer at the very end has no line ending; the (empty)
			// body is still on the line after it.
			want++
		}
		if line != want {
			t.Fatalf("bodyLine = %d, want %d", line, want)
		}
		if front == nil {
			if len(head) != 0 {
				t.Fatalf("no front matter, yet %q is missing from the body", head)
			}
			return
		}
		if !within(s, front) || cap(front) != len(front) {
			t.Fatalf("front %q is not a capped sub-slice of the input", front)
		}
		opener := "---\n"
		if bytes.HasPrefix(s, []byte("---\r\n")) {
			opener = "---\r\n"
		}
		if !bytes.HasPrefix(head, []byte(opener)) || !bytes.HasPrefix(head[len(opener):], front) {
			t.Fatalf("front %q does not follow the opening line in %q", front, head)
		}
		closer := head[len(opener)+len(front):]
		switch string(bytes.TrimSuffix(bytes.TrimSuffix(closer, []byte("\n")), []byte("\r"))) {
		case "---", "...":
		default:
			t.Fatalf("front matter closed by %q", closer)
		}
		if utf8.Valid(src) && !utf8.Valid(front) {
			t.Fatal("front cut a character in half")
		}
	})
}

// within reports whether sub lies in s's memory rather than being a copy;
// an empty sub trivially does.
func within(s, sub []byte) bool {
	if len(sub) == 0 {
		return true
	}
	for i := range s {
		if &s[i] == &sub[0] {
			return len(sub) <= len(s)-i
		}
	}
	return false
}
