package markdown

import (
	"errors"
	"testing"
)

func TestSplitFrontMatter(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		front    *string // nil means no front matter
		body     string
		bodyLine int
	}{
		{"no front matter", "# Judul\n\nisi\n", nil, "# Judul\n\nisi\n", 1},
		{"empty file", "", nil, "", 1},
		{"only BOM", "\ufeff", nil, "", 1},
		{"BOM without front matter", "\ufeff# Judul\n", nil, "# Judul\n", 1},
		{"thematic break is not an opener", "----\nx\n---\n", nil, "----\nx\n---\n", 1},
		{"opener with trailing text is not an opener", "--- x\na: 1\n---\n", nil, "--- x\na: 1\n---\n", 1},
		{"indented opener is not an opener", " ---\na: 1\n---\n", nil, " ---\na: 1\n---\n", 1},
		{"front matter later in file is body", "x\n---\na: 1\n---\n", nil, "x\n---\na: 1\n---\n", 1},
		{"simple", "---\ntitle: Solo\n---\n# Judul\n", ptr("title: Solo\n"), "# Judul\n", 4},
		{"several lines", "---\na: 1\nb: 2\nc: [x, y]\n---\nbody\n", ptr("a: 1\nb: 2\nc: [x, y]\n"), "body\n", 6},
		{"closed by dots", "---\na: 1\n...\nbody", ptr("a: 1\n"), "body", 4},
		{"empty front matter", "---\n---\nbody\n", ptr(""), "body\n", 3},
		{"no body", "---\na: 1\n---", ptr("a: 1\n"), "", 4},
		{"no body after newline", "---\na: 1\n---\n", ptr("a: 1\n"), "", 4},
		{"CRLF", "---\r\ntitle: Solo\r\nn: 2\r\n---\r\n# Judul\r\n", ptr("title: Solo\r\nn: 2\r\n"), "# Judul\r\n", 5},
		{"BOM and CRLF", "\ufeff---\r\na: 1\r\n---\r\n\r\nbody", ptr("a: 1\r\n"), "\r\nbody", 4},
		{"closer with trailing space does not close", "---\na: 1\n--- \n---\nbody", ptr("a: 1\n--- \n"), "body", 5},
		{"first closer wins", "---\na: 1\n---\nb\n---\nc", ptr("a: 1\n"), "b\n---\nc", 4},
		{"blank lines counted", "---\n\n\na: 1\n\n---\n\n\nbody", ptr("\n\na: 1\n\n"), "\n\nbody", 7},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			front, body, line, err := SplitFrontMatter([]byte(tc.src))
			if err != nil {
				t.Fatalf("error: %v", err)
			}
			switch {
			case tc.front == nil && front != nil:
				t.Errorf("front = %q, want nil", front)
			case tc.front != nil && front == nil:
				t.Errorf("front = nil, want %q", *tc.front)
			case tc.front != nil && string(front) != *tc.front:
				t.Errorf("front = %q, want %q", front, *tc.front)
			}
			if string(body) != tc.body {
				t.Errorf("body = %q, want %q", body, tc.body)
			}
			if line != tc.bodyLine {
				t.Errorf("bodyLine = %d, want %d", line, tc.bodyLine)
			}
		})
	}
}

func TestSplitFrontMatterUnclosed(t *testing.T) {
	for _, src := range []string{
		"---",
		"---\n",
		"---\r\n",
		"\ufeff---\ntitle: x\n",
		"---\ntitle: x\n-- -\n----\n ---\n",
		"---\ntitle: x\r\n--- \r\n",
	} {
		front, body, line, err := SplitFrontMatter([]byte(src))
		if !errors.Is(err, ErrFrontMatter) {
			t.Errorf("%q: err = %v, want ErrFrontMatter", src, err)
			continue
		}
		if front != nil || body != nil || line != 0 {
			t.Errorf("%q: returned %q, %q, %d alongside the error", src, front, body, line)
		}
	}
}

func TestSplitFrontMatterDoesNotShareCapacity(t *testing.T) {
	src := []byte("---\na: 1\n---\nbody")
	front, _, _, err := SplitFrontMatter(src)
	if err != nil {
		t.Fatal(err)
	}
	_ = append(front, "XXXX"...)
	if string(src) != "---\na: 1\n---\nbody" {
		t.Errorf("appending to front changed the input: %q", src)
	}
}

func ptr(s string) *string { return &s }
