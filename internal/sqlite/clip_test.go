package sqlite

import (
	"testing"
	"unicode/utf8"
)

// A client's user agent is stored cut to a length; the cut must leave
// valid text, whatever bytes were sent.
func TestClipStringKeepsValidText(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"Mozilla/5.0", 300, "Mozilla/5.0"},
		{"abcé", 4, "abc"}, // é is two bytes: not cut in half
		{"ab\xffcd", 4, "abcd"},
		{"ééé", 5, "éé"},
	} {
		if got := clipString(c.in, c.n); got != c.want || !utf8.ValidString(got) {
			t.Errorf("clipString(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}
