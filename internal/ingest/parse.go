// Package ingest reads and writes Tiru's exchange formats: JSON Lines and
// Markdown with YAML front matter (docs/format.md), and the CSV reference
// data embedded in package content.
package ingest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/token"

	"tiru/internal/kb"
	"tiru/internal/markdown"
)

// Record kinds in the exchange formats.
const (
	KindInnovation = "innovation"
	KindVisit      = "visit"
	KindAdoption   = "adoption"
)

// MaxLine bounds one JSON Lines record. It is well above the largest record
// validation accepts once JSON escaping has doubled its text (a 1 MiB body
// of quotes, 200 long source URLs), so every exported line imports again.
const MaxLine = 8 << 20

// MaxFile bounds one Markdown file for the same reason.
const MaxFile = MaxLine

// Record is one parsed record and where it came from.
type Record struct {
	Kind       string
	File       string
	Line       int
	Innovation *kb.Innovation
	Visit      *kb.Visit
	Adoption   *kb.Adoption

	fieldLines map[string]int // for Markdown: the line of each top-level key
}

// Slug names the record for duplicate checks.
func (r *Record) Slug() string {
	switch r.Kind {
	case KindInnovation:
		return r.Innovation.Slug
	case KindVisit:
		return r.Visit.Slug
	default:
		return r.Adoption.Innovation + "@" + r.Adoption.Region
	}
}

// lineOf returns the line where a field was written, or the record's line.
func (r *Record) lineOf(field string) int {
	top := field
	if i := strings.IndexAny(top, ".["); i >= 0 {
		top = top[:i]
	}
	if l, ok := r.fieldLines[top]; ok {
		return l
	}
	return r.Line
}

// Problem is one thing wrong with an import, located by file and line.
type Problem struct {
	File    string
	Line    int
	Field   string
	Message kb.Text
}

// String is the problem as one line: file, line and field, then the
// message in Indonesian and, in brackets, English.
func (p Problem) String() string {
	loc := p.File
	if p.Line > 0 {
		loc += ":" + strconv.Itoa(p.Line)
	}
	if p.Field != "" {
		loc += ": " + p.Field
	}
	return loc + ": " + p.Message.ID + " (" + p.Message.EN + ")"
}

// Error lists everything wrong with an import. Nothing was written.
type Error struct {
	Problems []Problem
}

// maxProblems keeps a hopeless file from producing a wall of text.
const maxProblems = 50

// Error lists the problems one a line, at most maxProblems of them.
func (e *Error) Error() string {
	lines := make([]string, 0, len(e.Problems))
	for i, p := range e.Problems {
		if i == maxProblems {
			lines = append(lines, fmt.Sprintf("… dan %d masalah lain (and %d more problems)", len(e.Problems)-i, len(e.Problems)-i))
			break
		}
		lines = append(lines, p.String())
	}
	return strings.Join(lines, "\n")
}

// Unwrap makes an import error an invalid input.
func (e *Error) Unwrap() error { return kb.ErrInvalid }

func (e *Error) add(file string, line int, field, id, en string) {
	e.Problems = append(e.Problems, Problem{File: file, Line: line, Field: field, Message: kb.Text{ID: id, EN: en}})
}

func (e *Error) err() error {
	if len(e.Problems) == 0 {
		return nil
	}
	return e
}

// Parse reads one file by its extension: .jsonl/.ndjson as JSON Lines,
// .md/.markdown as Markdown with front matter.
func Parse(name string, r io.Reader) ([]Record, error) {
	switch strings.ToLower(path.Ext(name)) {
	case ".jsonl", ".ndjson":
		return ParseJSONLines(name, r)
	case ".md", ".markdown":
		data, err := io.ReadAll(io.LimitReader(r, MaxFile+1))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		if len(data) > MaxFile {
			e := &Error{}
			e.add(name, 0, "", fmt.Sprintf("berkas terlalu besar (lebih dari %d byte)", MaxFile), fmt.Sprintf("file too large (over %d bytes)", MaxFile))
			return nil, e
		}
		rec, err := ParseMarkdown(name, data)
		if err != nil {
			return nil, err
		}
		return []Record{*rec}, nil
	}
	e := &Error{}
	e.add(name, 0, "", "jenis berkas tidak dikenal; gunakan .jsonl atau .md", "unknown file type; use .jsonl or .md")
	return nil, e
}

// ParseJSONLines reads one record per line. It reads the whole input and
// reports every bad line, not just the first.
func ParseJSONLines(name string, r io.Reader) ([]Record, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), MaxLine)
	var out []Record
	e := &Error{}
	line := 0
	for sc.Scan() {
		line++
		text := bytes.TrimSpace(sc.Bytes())
		if line == 1 {
			text = bytes.TrimPrefix(text, []byte("\xef\xbb\xbf"))
		}
		if len(text) == 0 {
			continue
		}
		rec, err := decodeRecord(name, line, text, "")
		if err != nil {
			mergeProblems(e, err)
			continue
		}
		out = append(out, *rec)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			e.add(name, line+1, "", fmt.Sprintf("baris terlalu panjang (lebih dari %d byte)", MaxLine), fmt.Sprintf("line too long (over %d bytes)", MaxLine))
		} else {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
	}
	if err := e.err(); err != nil {
		return nil, err
	}
	return out, nil
}

func mergeProblems(e *Error, err error) {
	var ie *Error
	if errors.As(err, &ie) {
		e.Problems = append(e.Problems, ie.Problems...)
		return
	}
	e.add("", 0, "", err.Error(), err.Error())
}

// decodeRecord decodes one JSON object strictly: unknown fields and
// repeated keys are errors, because a misspelt field name would otherwise
// be dropped in silence, and a repeated one replace the first.
func decodeRecord(file string, line int, data []byte, defaultKind string) (*Record, error) {
	e := &Error{}
	if !utf8.Valid(data) {
		e.add(file, line, "", "teks bukan UTF-8 yang sah", "text is not valid UTF-8")
		return nil, e
	}
	var head struct {
		Kind string `json:"kind"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		id, en := describeJSONError(err)
		e.add(file, line, jsonField(data, err), id, en)
		return nil, e
	}
	kind := strings.ToLower(strings.TrimSpace(head.Kind))
	if kind == "" {
		kind = defaultKind
	}
	rec := &Record{Kind: kind, File: file, Line: line}
	var target any
	switch kind {
	case KindInnovation:
		rec.Innovation = &kb.Innovation{}
		target = &struct {
			Kind string `json:"kind"`
			*kb.Innovation
		}{Innovation: rec.Innovation}
	case KindVisit:
		rec.Visit = &kb.Visit{}
		target = &struct {
			Kind string `json:"kind"`
			*kb.Visit
		}{Visit: rec.Visit}
	case KindAdoption:
		rec.Adoption = &kb.Adoption{}
		target = &struct {
			Kind string `json:"kind"`
			*kb.Adoption
		}{Adoption: rec.Adoption}
	case "":
		e.add(file, line, "kind", "wajib diisi: innovation, visit atau adoption", "is required: innovation, visit or adoption")
		return nil, e
	default:
		e.add(file, line, "kind", "jenis \""+head.Kind+"\" tidak dikenal; gunakan innovation, visit atau adoption",
			"unknown kind \""+head.Kind+"\"; use innovation, visit or adoption")
		return nil, e
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(target); err != nil {
		id, en := describeJSONError(err)
		e.add(file, line, jsonField(data, err), id, en)
		return nil, e
	}
	if dec.More() {
		e.add(file, line, "", "lebih dari satu objek JSON dalam satu baris", "more than one JSON object on one line")
		return nil, e
	}
	if path := repeatedKey(data); path != "" {
		id, en := repeatedKeyMessage(path)
		e.add(file, line, path, id, en)
		return nil, e
	}
	return rec, nil
}

var unknownFieldRe = regexp.MustCompile(`unknown field "([^"]*)"`)

// jsonField names the field of data that err, from decoding it, is about,
// as the client wrote it.
func jsonField(data []byte, err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		// Go names the field by its path through the Go structs, which
		// differs between Go versions and includes embedded structs
		// ("readOnly.version", "Innovation.results.figure"); the offset
		// finds it in what the client sent ("results[1].figure").
		return pathAt(data, te.Offset)
	}
	if m := unknownFieldRe.FindStringSubmatch(err.Error()); m != nil {
		return m[1]
	}
	return ""
}

// describeJSONError turns a decoding error into a message a person can act on.
func describeJSONError(err error) (string, string) {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("JSON tidak sah di kolom %d (periksa tanda kutip, koma dan kurung di sekitarnya)", se.Offset), fmt.Sprintf("invalid JSON at column %d: %s", se.Offset, se.Error())
	case errors.As(err, &te):
		want := map[string][2]string{
			"string": {"teks (dalam tanda kutip, mis. \"33.72\")", "text (in quotes, e.g. \"33.72\")"},
			"int":    {"bilangan bulat", "a whole number"}, "int64": {"bilangan bulat", "a whole number"},
		}[te.Type.Kind().String()]
		if want[0] == "" {
			want = [2]string{te.Type.String(), te.Type.String()}
			if strings.HasPrefix(te.Type.String(), "[]") {
				want = [2]string{"daftar", "a list"}
			} else if te.Type.Kind().String() == "struct" {
				want = [2]string{"objek", "an object"}
			}
		}
		// The kind of JSON value found, as Go names it: "string", "number",
		// "array", "object", "bool".
		got := map[string]string{"string": "teks", "number": "angka", "array": "daftar", "object": "objek", "bool": "benar/salah"}[te.Value]
		if got == "" {
			got = te.Value
		}
		return "harus berupa " + want[0] + ", bukan " + got, "must be " + want[1] + ", not " + te.Value
	case unknownFieldRe.MatchString(err.Error()):
		return "kolom tidak dikenal (periksa ejaannya; lihat docs/format.md)", "unknown field (check its spelling; see docs/format.md)"
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return "JSON terpotong", "JSON is cut short"
	}
	return "JSON tidak sah", "invalid JSON: " + err.Error()
}

var yamlPosRe = regexp.MustCompile(`^\[(\d+):(\d+)\]\s*(.*)`)
var topKeyRe = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)\s*:`)
var nestedKeyRe = regexp.MustCompile(`^[\s-]+([A-Za-z_][A-Za-z0-9_]*)\s*:|[{,]\s*([A-Za-z_][A-Za-z0-9_]*)\s*:`)

// Bounds on front matter, far above what a record needs (a visit's people
// and follow-ups are two levels deep), that keep a hostile file cheap.
const (
	maxFrontMatter = 256 << 10
	maxYAMLDepth   = 16
)

// ParseMarkdown reads a Markdown file with YAML front matter. The Markdown
// after the front matter becomes the record's body.
func ParseMarkdown(name string, data []byte) (*Record, error) {
	e := &Error{}
	if !utf8.Valid(data) {
		e.add(name, 1, "", "berkas bukan UTF-8 yang sah", "file is not valid UTF-8")
		return nil, e
	}
	front, body, bodyLine, err := markdown.SplitFrontMatter(data)
	if err != nil {
		e.add(name, 1, "", "front matter YAML tidak ditutup dengan baris ---", "YAML front matter is not closed by a --- line")
		return nil, e
	}
	if front == nil {
		e.add(name, 1, "", "berkas Markdown harus diawali front matter YAML di antara dua baris ---", "a Markdown file must start with YAML front matter between two --- lines")
		return nil, e
	}
	if len(front) > maxFrontMatter {
		e.add(name, 2, "", fmt.Sprintf("front matter terlalu besar (paling banyak %d KiB); tulisan panjang masuk ke isi di bawah baris --- penutup", maxFrontMatter/1024),
			fmt.Sprintf("front matter too large (at most %d KiB); long text goes in the body below the closing --- line", maxFrontMatter/1024))
		return nil, e
	}
	// Anchors and aliases let a few hundred bytes expand into gigabytes
	// ("billion laughs"), and deep nesting ("[[[[…", "- - - -…") makes
	// the YAML library's memory grow with the square of the depth: a
	// 200 KB file took 15 GB. Tiru's front matter needs neither; the
	// lexer's tokens show both cheaply.
	flow := 0
	for _, tok := range lexer.Tokenize(string(front)) {
		line := 2
		if tok.Position != nil {
			line = tok.Position.Line + 1
		}
		switch tok.Type {
		case token.AnchorType, token.AliasType:
			e.add(name, line, "", "front matter tidak boleh memakai anchor (&) atau alias (*) YAML", "front matter must not use YAML anchors (&) or aliases (*)")
			return nil, e
		case token.SequenceStartType, token.MappingStartType:
			flow++
		case token.SequenceEndType, token.MappingEndType:
			flow--
		}
		if flow > maxYAMLDepth || (tok.Type == token.SequenceEntryType && tok.Position != nil && tok.Position.Column > 2*maxYAMLDepth) {
			e.add(name, line, "", "front matter bersarang terlalu dalam", "front matter is nested too deeply")
			return nil, e
		}
	}
	js, err := yaml.YAMLToJSON(front)
	if err != nil {
		first := strings.SplitN(err.Error(), "\n", 2)[0]
		line := 2
		if m := yamlPosRe.FindStringSubmatch(first); m != nil {
			n, _ := strconv.Atoi(m[1])
			line = n + 1
			first = m[3]
		}
		e.add(name, line, "", "YAML tidak sah: "+first, "invalid YAML: "+first)
		return nil, e
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(js, &obj); err != nil || obj == nil {
		e.add(name, 2, "", "front matter harus berupa pasangan kunci: nilai", "front matter must be key: value pairs")
		return nil, e
	}
	lines := map[string]int{}
	nested := map[string]int{} // keys inside objects and lists, by their own name
	for i, l := range strings.Split(string(front), "\n") {
		if m := topKeyRe.FindStringSubmatch(l); m != nil {
			if _, seen := lines[m[1]]; !seen {
				lines[m[1]] = i + 2
			}
		} else {
			for _, m := range nestedKeyRe.FindAllStringSubmatch(l, -1) {
				if k := m[1] + m[2]; k != "" {
					if _, seen := nested[k]; !seen {
						nested[k] = i + 2
					}
				}
			}
		}
	}
	lines["body"] = bodyLine
	if strings.TrimSpace(string(body)) != "" {
		if _, has := obj["body"]; has {
			e.add(name, lines["body"], "body", "isi ditulis dua kali: di front matter dan setelahnya", "body given twice: in the front matter and after it")
			return nil, e
		}
		b, _ := json.Marshal(string(body))
		obj["body"] = b
	}
	js, _ = json.Marshal(obj)
	rec, err := decodeRecord(name, 1, js, KindInnovation)
	if err != nil {
		var ie *Error
		if errors.As(err, &ie) {
			for i := range ie.Problems {
				f := ie.Problems[i].Field
				if l, ok := lines[strings.SplitN(strings.SplitN(f, ".", 2)[0], "[", 2)[0]]; ok {
					ie.Problems[i].Line = l
				} else if l, ok := nested[f]; ok {
					ie.Problems[i].Line = l
				}
			}
		}
		return nil, err
	}
	rec.fieldLines = lines
	return rec, nil
}

// DecodeStrict decodes one JSON object into v as the import does: unknown
// fields, wrong types and repeated keys are field errors
// (kb.ValidationError) naming the field as the client wrote it, so the API
// can answer them like validation failures.
func DecodeStrict(data []byte, v any) error {
	if !utf8.Valid(data) {
		return kb.Invalid("", "teks bukan UTF-8 yang sah", "text is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		id, en := describeJSONError(err)
		return kb.Invalid(jsonField(data, err), id, en)
	}
	if dec.More() {
		return kb.Invalid("", "lebih dari satu objek JSON", "more than one JSON object")
	}
	if path := repeatedKey(data); path != "" {
		id, en := repeatedKeyMessage(path)
		return kb.Invalid(path, id, en)
	}
	return nil
}

// jsonPaths walks data, one JSON value, and calls visit with the path of
// every value in it as the client wrote it ("people_met[1].name", the way
// the format's messages name fields) and the byte offsets around the
// value's text: from the end of the token before it to its own end.
// Children are visited before the object or list holding them, so the
// first value visited around an offset is the innermost. visit returning
// false stops the walk.
//
// The first key an object repeats is returned as a path. Keys are
// compared as encoding/json matches them to fields, without case
// (kb.Fold): {"agency":…,"Agency":…} fills one field twice as well.
//
// The walk keeps its own stack, so deep nesting costs memory, not the
// goroutine's stack.
func jsonPaths(data []byte, visit func(path string, start, end int64) bool) (repeated string, err error) {
	type frame struct {
		path    string
		start   int64
		list    bool
		index   int             // of the next item, in a list
		key     string          // the current key, in an object
		wantKey bool            // the next token is a key or the end, in an object
		keys    map[string]bool // folded keys seen, in an object
	}
	var stack []*frame
	top := func() *frame {
		if len(stack) == 0 {
			return nil
		}
		return stack[len(stack)-1]
	}
	// valueDone moves the container past the value just read.
	valueDone := func() {
		switch f := top(); {
		case f == nil:
		case f.list:
			f.index++
		default:
			f.wantKey = true
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err == io.EOF {
			return repeated, nil
		}
		if err != nil {
			return repeated, err
		}
		end := dec.InputOffset()
		f := top()
		d, delim := tok.(json.Delim)
		if delim && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			if !visit(f.path, f.start, end) {
				return repeated, nil
			}
			valueDone()
			continue
		}
		if f != nil && f.wantKey {
			key, _ := tok.(string) // the decoder allows only a string here
			folded := kb.Fold(key)
			path := key
			if f.path != "" {
				path = f.path + "." + key
			}
			if f.keys[folded] && repeated == "" {
				repeated = path
			}
			f.keys[folded], f.key, f.wantKey = true, key, false
			continue
		}
		path := ""
		switch {
		case f == nil:
		case f.list:
			path = f.path + "[" + strconv.Itoa(f.index) + "]"
		case f.path == "":
			path = f.key
		default:
			path = f.path + "." + f.key
		}
		if delim {
			stack = append(stack, &frame{path: path, start: start, list: d == '[', wantKey: d == '{', keys: map[string]bool{}})
			continue
		}
		if !visit(path, start, end) {
			return repeated, nil
		}
		valueDone()
	}
}

// pathAt returns the path (see jsonPaths) of the innermost value of data
// whose text holds byte offset off, where a decoding error was found; ""
// for the whole value or when data does not parse.
func pathAt(data []byte, off int64) string {
	found := ""
	_, _ = jsonPaths(data, func(path string, start, end int64) bool {
		if start < off && off <= end {
			found = path
			return false
		}
		return true
	})
	return found
}

// repeatedKey returns the path of the first key an object of data gives
// twice, or "". encoding/json keeps the last value in silence (a second
// "agency" or "region" replacing the first), where the front matter's
// YAML refuses a repeated key; the JSON formats refuse it too. data has
// already decoded, so it parses.
func repeatedKey(data []byte) string {
	path, _ := jsonPaths(data, func(string, int64, int64) bool { return true })
	return path
}

// repeatedKeyMessage says that the key at path is given twice.
func repeatedKeyMessage(path string) (string, string) {
	return "kunci \"" + path + "\" ditulis dua kali; tulis sekali saja", "key \"" + path + "\" given twice; give it once"
}
