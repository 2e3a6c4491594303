package web

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"tiru/internal/kb"
)

// The record forms (visitform.go, innovationform.go) are plain HTML forms
// that work without JavaScript. A record's lists are typed one item a
// line, the parts of an item separated by "|", and a refused form comes
// back as it was typed, every problem named by its field.

// formError is one problem, named by the field's label and, for a list,
// the line.
type formError struct {
	Field   string // the form field's name (its element's id is "f-" + Field)
	Message string
}

// joinLines writes n items one a line, their parts separated by " | ", as
// the forms take them.
func joinLines(n int, item func(i int) []string) string {
	var b strings.Builder
	for i := range n {
		parts := item(i)
		for len(parts) > 1 && parts[len(parts)-1] == "" {
			parts = parts[:len(parts)-1]
		}
		b.WriteString(strings.Join(parts, " | "))
		b.WriteString("\n")
	}
	return b.String()
}

// formLines reads a list typed one item a line, parts separated by "|",
// each item padded to want parts. A line of more parts is reported on its
// field and line.
func formLines(text, field string, want int, errs *[]kb.FieldError) [][]string {
	var out [][]string
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		parts := strings.Split(line, "|")
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		if len(parts) > want {
			*errs = append(*errs, kb.FieldError{Field: fmt.Sprintf("%s[%d]", field, len(out)),
				Message: kb.Text{ID: fmt.Sprintf("paling banyak %d bagian dipisah |", want), EN: fmt.Sprintf("at most %d parts separated by |", want)}})
		}
		for len(parts) < want {
			parts = append(parts, "")
		}
		out = append(out, parts)
	}
	return out
}

// formList reads a list of single values, one a line or separated by commas.
func formList(text string) []string {
	var out []string
	for _, s := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == ',' }) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// listField splits a field error's name into the form field and, for an
// item of a list, its line (from 1): "people_met[1].name" is line 2 of
// people_met.
var listField = regexp.MustCompile(`^([a-z_]+)\[(\d+)\]`)

// formErrors turns field errors into the form's words: each named by its
// field's label, and a list item by its line.
func formErrors(l *Localizer, fes []kb.FieldError) ([]formError, map[string]string) {
	var out []formError
	by := map[string]string{}
	for _, fe := range fes {
		field, label := fe.Field, ""
		if m := listField.FindStringSubmatch(fe.Field); m != nil {
			n, _ := strconv.Atoi(m[2])
			field = m[1]
			label = l.Field(field) + ", " + l.T("form.line", n+1)
		} else {
			// "stage_dates.uji_coba" is the form's stage_uji_coba.
			if rest, ok := strings.CutPrefix(field, "stage_dates."); ok {
				field = "stage_" + rest
			}
			field, _, _ = strings.Cut(field, ".")
			label = l.Field(field)
		}
		msg := label + ": " + fe.Message.In(l.Lang)
		out = append(out, formError{Field: field, Message: msg})
		if _, ok := by[field]; !ok {
			by[field] = msg
		}
	}
	return out, by
}

// slugFor makes an address for a new record from its title and, for a
// visit, the year of its date, when the organiser leaves the slug empty.
func slugFor(title, date string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.Trim(b.String(), "-")
	// At most 70 letters, cut between words, leaving room for the year.
	if len(s) > 70 {
		s = s[:70]
		if i := strings.LastIndexByte(s, '-'); i > 30 {
			s = s[:i]
		}
	}
	if y := date[:min(len(date), 4)]; len(y) == 4 && strings.Trim(y, "0123456789") == "" && !strings.HasSuffix(s, y) {
		s += "-" + y
	}
	return strings.Trim(s, "-")
}
