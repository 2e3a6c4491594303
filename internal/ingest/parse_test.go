package ingest_test

import (
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"

	"tiru/internal/ingest"
	"tiru/internal/kb"
)

const okInnovation = `{"kind":"innovation","slug":"internet-gratis","title":"Internet Gratis","region":"Solo"}`

func TestJSONLinesBadLinesAreLocated(t *testing.T) {
	src := strings.Join([]string{
		okInnovation,
		"",
		`{"kind":"innovation","slug":"aplikasi-aduan","title":"Aduan","region":"33.72","year_started":"2021"}`,
		`{"kind":"innovation","slug":`,
		`{"kind":"visit","slug":"kunjungan","title":"K","titel":"typo"}`,
		`{"kind":"innovation","slug":"kurasi-media","title":"Kurasi","region":"33.72"}`,
		`{"kind":"innovasi","slug":"x"}`,
		`["not", "an", "object"]`,
		`{"kind":"visit"} {"kind":"visit"}`,
	}, "\n")
	ie := parseErr(t, "data/inovasi.jsonl", src)
	tests := []struct {
		line  int
		field string // substring of the problem's field
		want  string // substring of the message
	}{
		{3, "year_started", "whole number"},
		{4, "", "JSON"},
		{5, "titel", "unknown field"},
		{7, "kind", "innovasi"},
		{8, "", "object"},
		{9, "", "JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			p := findProblem(t, ie, "data/inovasi.jsonl", tt.line)
			if !strings.Contains(p.Field, tt.field) {
				t.Errorf("problem on field %q, want %q", p.Field, tt.field)
			}
			if !strings.Contains(p.Message.EN, tt.want) {
				t.Errorf("message %q lacks %q", p.Message.EN, tt.want)
			}
			if loc := "data/inovasi.jsonl:" + strconv.Itoa(tt.line) + ":"; !strings.Contains(ie.Error(), loc) {
				t.Errorf("Error() lacks %q:\n%s", loc, ie.Error())
			}
		})
	}
	if len(ie.Problems) != len(tests) {
		t.Errorf("%d problems, want %d (good lines 1 and 6 have none):\n%v", len(ie.Problems), len(tests), ie)
	}
}

func TestJSONLinesValidationProblemsAreLocated(t *testing.T) {
	src := okInnovation + "\n\n" +
		`{"kind":"innovation","slug":"aplikasi-aduan","title":"Aduan","region":"33.72","evidence_level":6}` + "\n" +
		`{"kind":"adoption","innovation":"internet-gratis","region":"Banjar","status":"diminati"}` + "\n"
	recs := parse(t, "impor.jsonl", src)
	if len(recs) != 3 {
		t.Fatalf("%d records, want 3 (the blank line is skipped)", len(recs))
	}
	ie := asImportError(t, ingest.Validate(recs, testRef(t)))
	p := findProblem(t, ie, "impor.jsonl", 3)
	if p.Field != "evidence_level" || !strings.Contains(p.String(), "impor.jsonl:3: evidence_level: ") {
		t.Errorf("problem = %q, want impor.jsonl:3: evidence_level: …", p.String())
	}
	p = findProblem(t, ie, "impor.jsonl", 4)
	if p.Field != "region" || !strings.Contains(p.Message.EN, "63.03") || !strings.Contains(p.Message.EN, "32.79") {
		t.Errorf("ambiguous region problem = %q", p.String())
	}
	if len(ie.Problems) != 2 {
		t.Errorf("%d problems, want 2:\n%v", len(ie.Problems), ie)
	}
}

func TestUnknownFieldIsNamed(t *testing.T) {
	tests := []struct {
		name, file, src string
		line            int
		field           string
	}{
		{"jsonl", "a.jsonl", okInnovation + "\n" + `{"kind":"innovation","slug":"abc","titel":"Judul","region":"33.72"}`, 2, "titel"},
		{"markdown", "a.md", "---\nslug: abc\ntitle: Judul\nregion: \"33.72\"\ntitel: Judul lain\n---\nIsi\n", 5, "titel"},
		{"adoption field on a visit", "b.jsonl", `{"kind":"visit","slug":"abc","status":"diminati"}`, 1, "status"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ie := parseErr(t, tt.file, tt.src)
			p := findProblem(t, ie, tt.file, tt.line)
			if p.Field != tt.field || !strings.Contains(ie.Error(), tt.field) {
				t.Errorf("problem %q does not name the unknown field %q", p.String(), tt.field)
			}
			if !strings.Contains(p.Message.ID, "tidak dikenal") || !strings.Contains(p.Message.EN, "unknown field") {
				t.Errorf("message %v", p.Message)
			}
		})
	}
}

func TestMarkdownRegionAsNumber(t *testing.T) {
	src := "---\nkind: innovation\nslug: internet-gratis\nregion: 33.72\ntitle: Internet Gratis\n---\nIsi.\n"
	ie := parseErr(t, "inovasi/internet.md", src)
	if len(ie.Problems) != 1 {
		t.Fatalf("%d problems, want 1: %v", len(ie.Problems), ie)
	}
	p := ie.Problems[0]
	msg := p.String()
	for _, want := range []string{"inovasi/internet.md:", "region", "tanda kutip", "in quotes", `"33.72"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
}

func TestDecodeErrorsNameTheFormatField(t *testing.T) {
	tests := []struct {
		name, file, src string
		line            int
		fields          []string // any of these names the field in the format's terms
	}{
		{"markdown region number", "x.md", "---\nkind: innovation\nslug: internet-gratis\nregion: 33.72\ntitle: Internet\n---\n", 4, []string{"region"}},
		{"markdown urusan number", "x.md", "---\nslug: internet-gratis\ntitle: Internet\nregion: \"33.72\"\nurusan: 2.16\n---\n", 5, []string{"urusan"}},
		{"jsonl year as text", "x.jsonl", `{"kind":"innovation","slug":"abc","title":"x","region":"33.72","year_started":"2021"}`, 1, []string{"year_started"}},
		{"jsonl number in a list", "x.jsonl", `{"kind":"innovation","slug":"abc","title":"x","region":"33.72","results":[{"figure":30}]}`, 1, []string{"results[0].figure"}},
		{"jsonl number in the second item", "x.jsonl", `{"kind":"innovation","slug":"abc","title":"x","region":"33.72","results":[{"figure":"30"},{"figure":30}]}`, 1, []string{"results[1].figure"}},
		{"jsonl field in another case", "x.jsonl", `{"kind":"innovation","slug":"abc","title":"x","region":"33.72","Year_Started":"2021"}`, 1, []string{"Year_Started"}},
		{"jsonl object for text", "x.jsonl", `{"kind":"innovation","slug":"abc","title":{"id":"x"},"region":"33.72"}`, 1, []string{"title"}},
		{"markdown nested unknown key", "x.md", "---\nslug: internet-gratis\ntitle: Internet\nregion: \"33.72\"\nstage_dates:\n  ujicoba: 2024-01-02\n---\n", 6, []string{"stage_dates.ujicoba", "ujicoba"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ie := parseErr(t, tt.file, tt.src)
			p := findProblem(t, ie, tt.file, tt.line)
			if !slices.Contains(tt.fields, p.Field) {
				t.Errorf("problem on field %q, want one of %q: %s", p.Field, tt.fields, p)
			}
		})
	}
}

func TestBrokenYAMLReportsFileLine(t *testing.T) {
	tests := []struct {
		name string
		src  string
		line int
	}{
		{"duplicate key", "---\nslug: abc-def\ntitle: Judul\nregion: \"33.72\"\nslug: lagi\n---\n", 5},
		{"tab indentation", "---\nslug: abc-def\ntitle: Judul\nregion: \"33.72\"\n\tstage: x\n---\n", 5},
		{"reserved character", "---\nslug: abc-def\ntitle: Judul\nregion: \"33.72\"\nstage: @x\n---\n", 5},
		{"bad list indentation", "---\nslug: abc-def\ntitle: Judul\nregion: \"33.72\"\ntags:\n  - a\n - b\n---\n", 7},
		{"colon in a plain value", "---\nslug: abc-def\ntitle: Judul\nregion: \"33.72\"\nsummary: catatan: penting\n---\n", 5},
		{"CRLF line endings", "---\r\nslug: abc-def\r\ntitle: Judul\r\nregion: \"33.72\"\r\nslug: x\r\n---\r\n", 5},
		{"byte order mark", "\xef\xbb\xbf---\nslug: abc-def\ntitle: Judul\nregion: \"33.72\"\nslug: x\n---\n", 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ie := parseErr(t, "catatan.md", tt.src)
			if len(ie.Problems) != 1 {
				t.Fatalf("%d problems, want 1: %v", len(ie.Problems), ie)
			}
			p := ie.Problems[0]
			if p.Line != tt.line {
				t.Errorf("reported line %d, want %d: %s", p.Line, tt.line, p)
			}
			if !strings.Contains(p.Message.ID, "YAML tidak sah") || !strings.Contains(p.Message.EN, "invalid YAML") {
				t.Errorf("message %v", p.Message)
			}
		})
	}
}

func TestMarkdownValidationProblemsPointAtTheKey(t *testing.T) {
	src := "---\nslug: internet-gratis\ntitle: Internet Gratis\nregion: \"33.72\"\nstage: selesai\nsources:\n  - title: Berita\n    url: ftp://example.org\n---\nIsi.\n"
	recs := parse(t, "a.md", src)
	ie := asImportError(t, ingest.Validate(recs, testRef(t)))
	if p := findProblem(t, ie, "a.md", 5); p.Field != "stage" || !strings.Contains(p.Message.EN, "inisiatif, uji_coba, penerapan") {
		t.Errorf("stage problem = %s", p)
	}
	if p := findProblem(t, ie, "a.md", 6); p.Field != "sources[0].url" {
		t.Errorf("source problem = %s", p)
	}
}

func TestMarkdownFrontMatterAndBody(t *testing.T) {
	src := "---\r\nslug: internet-gratis\r\ntitle: Internet Gratis\r\nregion: Kota Surakarta\r\nstage: Uji Coba\r\n---\r\n## Ringkasan\r\n\r\nIsi.\r\n"
	recs := parse(t, "internet.MD", src)
	if len(recs) != 1 || recs[0].Kind != ingest.KindInnovation {
		t.Fatalf("got %+v, want one innovation (kind defaults to innovation)", recs)
	}
	in := recs[0].Innovation
	if err := ingest.Validate(recs, testRef(t)); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if in.Region != "33.72" || in.Stage != "uji_coba" || !strings.HasPrefix(in.Body, "## Ringkasan") {
		t.Errorf("got region %q stage %q body %q", in.Region, in.Stage, in.Body)
	}

	visit := parse(t, "k.markdown", "---\nkind: visit\nslug: kunjungan\ntitle: K\n---\nCatatan perjalanan.\n")
	if visit[0].Kind != ingest.KindVisit || visit[0].Visit.Body != "Catatan perjalanan.\n" {
		t.Errorf("visit body = %q", visit[0].Visit.Body)
	}
}

func TestMarkdownStructuralErrors(t *testing.T) {
	tests := []struct {
		name, src string
		line      int
		want      string
	}{
		{"no front matter", "# Judul\n\nIsi.\n", 1, "front matter"},
		{"unclosed front matter", "---\nslug: abc\ntitle: x\n", 1, "not closed"},
		{"front matter is a list", "---\n- a\n- b\n---\n", 2, "key: value"},
		{"body twice", "---\nslug: abc\ntitle: x\nregion: \"33.72\"\nbody: satu\n---\ndua\n", 7, "body given twice"},
		{"invalid UTF-8", "---\nslug: abc\ntitle: \xff\n---\n", 1, "UTF-8"},
		{"adoption kind with unknown kind", "---\nkind: laporan\nslug: abc\n---\n", 2, "laporan"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ie := parseErr(t, "x.md", tt.src)
			p := findProblem(t, ie, "x.md", tt.line)
			if !strings.Contains(p.Message.EN, tt.want) {
				t.Errorf("message %q lacks %q", p.Message.EN, tt.want)
			}
		})
	}
}

func TestParseRefusesOtherFiles(t *testing.T) {
	for _, name := range []string{"data.json", "data.csv", "README", "data.jsonl.bak"} {
		t.Run(name, func(t *testing.T) {
			ie := parseErr(t, name, okInnovation)
			if !strings.Contains(ie.Error(), name) || !strings.Contains(ie.Error(), ".jsonl") {
				t.Errorf("error %q should name the file and the accepted types", ie)
			}
		})
	}
}

func TestJSONLinesTooLongLine(t *testing.T) {
	long := `{"kind":"innovation","slug":"panjang","title":"x","region":"33.72","body":"` + strings.Repeat("a", ingest.MaxLine) + `"}`
	src := okInnovation + "\n" + okInnovation + "\n" + long + "\n" + okInnovation + "\n"
	ie := parseErr(t, "besar.jsonl", src)
	p := findProblem(t, ie, "besar.jsonl", 3)
	if !strings.Contains(p.Message.EN, "too long") {
		t.Errorf("message %q, want it to say the line is too long", p.Message.EN)
	}
}

func TestJSONLinesLargestBodyFits(t *testing.T) {
	// A body of exactly kb.MaxBody plain text fits on one line: MaxLine
	// leaves room for the rest of the record.
	src := `{"kind":"innovation","slug":"panjang","title":"x","region":"33.72","body":"` + strings.Repeat("a", kb.MaxBody) + `"}` + "\n"
	recs, err := ingest.ParseJSONLines("besar.jsonl", strings.NewReader(src))
	if err != nil {
		t.Fatalf("ParseJSONLines: %v", err)
	}
	if err := ingest.Validate(recs, testRef(t)); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if len(recs[0].Innovation.Body) != kb.MaxBody {
		t.Errorf("body is %d bytes, want %d", len(recs[0].Innovation.Body), kb.MaxBody)
	}
}

func TestJSONLinesReaderError(t *testing.T) {
	_, err := ingest.ParseJSONLines("rusak.jsonl", io.MultiReader(strings.NewReader(okInnovation+"\n"), errReader{}))
	if err == nil || !strings.Contains(err.Error(), "rusak.jsonl") {
		t.Fatalf("a read error = %v, want an error naming the file", err)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, io.ErrClosedPipe }

func TestErrorListIsBounded(t *testing.T) {
	var b strings.Builder
	for range 120 {
		b.WriteString("{bad json\n")
	}
	ie := parseErr(t, "rusak.jsonl", b.String())
	if len(ie.Problems) != 120 {
		t.Fatalf("%d problems, want one per bad line (120)", len(ie.Problems))
	}
	if n := strings.Count(ie.Error(), "\n"); n > 60 {
		t.Errorf("Error() has %d lines: a hopeless file must not produce a wall of text", n)
	}
	if !strings.Contains(ie.Error(), "70") {
		t.Errorf("Error() should say how many problems were left out:\n%s", ie.Error()[len(ie.Error())-200:])
	}
}

// A key given twice in one JSON object is refused on that key, at every
// depth and in any case, as the front matter's YAML refuses it: the
// decoder would keep the last value in silence.
func TestJSONLinesRefuseRepeatedKeys(t *testing.T) {
	tests := []struct{ name, src, field string }{
		{"top level", `{"kind":"innovation","slug":"abc","title":"x","region":"33.72","agency":"Diskominfo","agency":"DKISP"}`, "agency"},
		{"another case", `{"kind":"innovation","slug":"abc","title":"x","region":"33.72","Region":"63.03"}`, "Region"},
		{"in a list item", `{"kind":"visit","slug":"abc","title":"x","visitor_region":"63.03","host_region":"33.72","people_met":[{"name":"A"},{"name":"B","role":"x","name":"C"}]}`, "people_met[1].name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ie := parseErr(t, "x.jsonl", tt.src)
			p := findProblem(t, ie, "x.jsonl", 1)
			if p.Field != tt.field || !strings.Contains(p.Message.ID, "dua kali") || !strings.Contains(p.Message.EN, "twice") {
				t.Errorf("problem %s, want one on %s saying it is given twice", p, tt.field)
			}
		})
	}
	// The same keys in different objects are no repetition.
	ok := `{"kind":"visit","slug":"abc","title":"x","visitor_region":"63.03","host_region":"33.72","people_met":[{"name":"A","role":"x"},{"name":"B","role":"y"}],"follow_ups":[{"action":"a"},{"action":"b"}]}`
	recs, err := ingest.ParseJSONLines("x.jsonl", strings.NewReader(ok))
	if err != nil || len(recs) != 1 || len(recs[0].Visit.PeopleMet) != 2 || recs[0].Visit.PeopleMet[1].Role != "y" || len(recs[0].Visit.FollowUps) != 2 {
		t.Errorf("a visit with lists of objects: %v, %+v", err, recs)
	}
}

// DecodeStrict, which the API decodes bodies with, names a wrong type by
// the field the client sent, not by the Go structs it decodes into, and
// refuses a repeated key.
func TestDecodeStrictNamesTheClientsField(t *testing.T) {
	type extra struct {
		Version *int `json:"version"`
	}
	tests := []struct{ name, body, field, says string }{
		{"embedded struct", `{"slug":"abc","version":"1"}`, "version", "bilangan bulat"},
		{"list item", `{"slug":"abc","results":[{"figure":"1"},{"figure":2}]}`, "results[1].figure", "teks"},
		{"nested object", `{"slug":"abc","stage_dates":{"uji_coba":5}}`, "stage_dates.uji_coba", "teks"},
		{"repeated key", `{"slug":"abc","region":"33.72","title":"x","region":"63.03"}`, "region", "dua kali"},
		{"repeated in another case", `{"slug":"abc","version":1,"VERSION":2}`, "VERSION", "dua kali"},
		{"wrong type after a repeated key", `{"slug":"abc","slug":"abd","results":[{"figure":1}]}`, "results[0].figure", "teks"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ingest.DecodeStrict([]byte(tt.body), &struct {
				*kb.Innovation
				*extra
			}{&kb.Innovation{}, &extra{}})
			fes := kb.FieldErrors(err)
			if len(fes) != 1 || fes[0].Field != tt.field || !strings.Contains(fes[0].Message.ID, tt.says) || fes[0].Message.EN == "" {
				t.Errorf("got %v, want an error on %s saying %q", err, tt.field, tt.says)
			}
		})
	}
	in, ex := &kb.Innovation{}, &extra{}
	body := `{"slug":"abc","version":3,"results":[{"figure":"30","date":"2024-01-02"},{"figure":"40","date":"2024-02-02"}],"contacts":[{"name":"A"},{"name":"B"}]}`
	if err := ingest.DecodeStrict([]byte(body), &struct {
		*kb.Innovation
		*extra
	}{in, ex}); err != nil || *ex.Version != 3 || len(in.Results) != 2 || in.Results[1].Figure != "40" || in.Contacts[1].Name != "B" {
		t.Errorf("a good body: %v, %+v", err, in)
	}
}
