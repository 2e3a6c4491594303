package markdown

import (
	"bytes"
	"errors"
	"fmt"
)

// ErrFrontMatter is wrapped by SplitFrontMatter's errors, so importers can
// tell a malformed file from a failure to read it. The wrapped messages are
// English; callers translate by this sentinel, not by the text.
var ErrFrontMatter = errors.New("invalid front matter")

// utf8BOM is the byte order mark some Windows editors put first.
const utf8BOM = "\xef\xbb\xbf"

// SplitFrontMatter separates YAML front matter from the Markdown body.
//
// Front matter is present when the first line (after an optional UTF-8 byte
// order mark) is exactly "---". It ends at the next line that is exactly
// "---" or "..." (YAML's document end). Lines may end in "\n" or "\r\n"; the
// returned front keeps the original line endings, which YAML accepts. Front
// starts on line 2 of the file, so a YAML error on line n is on file line
// n+1. bodyLine is the 1-based file line on which body starts, for
// file:line messages about the body.
//
// Without front matter, front is nil and body is src without any byte order
// mark, starting on line 1. Empty front matter ("---" then "---") gives a
// non-nil, empty front. front and body are sub-slices of src, not copies.
//
// An opening "---" that is never closed returns an error wrapping
// ErrFrontMatter rather than guessing where the YAML stops: a document that
// merely begins with a thematic break should be written with "***" instead.
func SplitFrontMatter(src []byte) (front []byte, body []byte, bodyLine int, err error) {
	src = bytes.TrimPrefix(src, []byte(utf8BOM))
	first, rest, ok := cutLine(src)
	if !ok || !isMarker(first, "---") {
		return nil, src, 1, nil
	}
	start := len(src) - len(rest)
	line := 2
	for pos := start; pos < len(src); line++ {
		l, after, _ := cutLine(src[pos:])
		if isMarker(l, "---") || isMarker(l, "...") {
			bodyStart := len(src) - len(after)
			return src[start:pos:pos], src[bodyStart:], line + 1, nil
		}
		pos = len(src) - len(after)
	}
	return nil, nil, 0, fmt.Errorf("%w: the front matter opened with --- on line 1 is not closed by a line containing only --- (or ...)", ErrFrontMatter)
}

// cutLine returns the first line of b without its line ending and what
// follows that ending. ok is false when b is empty.
func cutLine(b []byte) (line, rest []byte, ok bool) {
	if len(b) == 0 {
		return nil, nil, false
	}
	line, rest, found := bytes.Cut(b, []byte("\n"))
	if !found {
		rest = b[len(b):]
	}
	return bytes.TrimSuffix(line, []byte("\r")), rest, true
}

// isMarker reports whether line is exactly marker.
func isMarker(line []byte, marker string) bool {
	return string(line) == marker
}
