package kb_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"sync"
	"testing"

	"tiru/content"
	"tiru/internal/kb"
)

// loadReference parses the shipped reference CSVs once for the whole package:
// the gazetteer is read-only after construction, so tests may share it.
var loadReference = sync.OnceValues(func() (kb.Reference, error) {
	var regions []kb.Region
	if err := eachRow(content.Regions(), 4, func(f []string) {
		regions = append(regions, kb.Region{Code: f[0], Name: f[1], Level: f[2], ProvinceCode: f[3]})
	}); err != nil {
		return kb.Reference{}, fmt.Errorf("regions.csv: %w", err)
	}
	var aliases []kb.Alias
	if err := eachRow(content.Aliases(), 2, func(f []string) {
		aliases = append(aliases, kb.Alias{Alias: f[0], Code: f[1]})
	}); err != nil {
		return kb.Reference{}, fmt.Errorf("aliases.csv: %w", err)
	}
	var urusan []kb.Urusan
	if err := eachRow(content.Urusan(), 3, func(f []string) {
		urusan = append(urusan, kb.Urusan{Code: f[0], NameID: f[1], NameEN: f[2]})
	}); err != nil {
		return kb.Reference{}, fmt.Errorf("urusan.csv: %w", err)
	}
	g, err := kb.NewGazetteer(regions, aliases)
	if err != nil {
		return kb.Reference{}, err
	}
	return kb.Reference{Regions: g, Urusan: kb.NewUrusanList(urusan)}, nil
})

func eachRow(data []byte, fields int, row func([]string)) error {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = fields
	recs, err := r.ReadAll()
	if err != nil {
		return err
	}
	for _, f := range recs[1:] { // skip the header
		row(f)
	}
	return nil
}

// testRef returns the shared reference data built from package content.
func testRef(t testing.TB) kb.Reference {
	t.Helper()
	ref, err := loadReference()
	if err != nil {
		t.Fatalf("load reference data: %v", err)
	}
	return ref
}

// fieldError returns the error recorded for field, failing the test when err
// is not a validation error naming that field in both languages.
func fieldError(t testing.TB, err error, field string) kb.FieldError {
	t.Helper()
	if err == nil {
		t.Fatalf("Validate() = nil, want an error on %q", field)
	}
	fes := kb.FieldErrors(err)
	if fes == nil {
		t.Fatalf("Validate() = %v (%T), want a *kb.ValidationError", err, err)
	}
	for _, fe := range fes {
		if fe.Field != field {
			continue
		}
		if fe.Message.ID == "" || fe.Message.EN == "" {
			t.Errorf("%s: message must be in both languages, got ID=%q EN=%q", field, fe.Message.ID, fe.Message.EN)
		}
		if fe.Message.ID == fe.Message.EN {
			t.Errorf("%s: Indonesian and English text are the same (%q): one is untranslated", field, fe.Message.ID)
		}
		if !strings.Contains(err.Error(), field) {
			t.Errorf("Error() = %q does not name field %q", err.Error(), field)
		}
		return fe
	}
	names := make([]string, len(fes))
	for i, fe := range fes {
		names[i] = fe.Field
	}
	t.Fatalf("no error on field %q; errors are on %v: %v", field, names, err)
	return kb.FieldError{}
}

func TestReferenceDataShape(t *testing.T) {
	ref := testRef(t)
	levels := map[string]int{}
	for _, r := range ref.Regions.All() {
		levels[r.Level]++
	}
	want := map[string]int{kb.LevelNational: 1, kb.LevelProvince: 38, kb.LevelKabupaten: 416, kb.LevelKota: 98}
	for level, n := range want {
		if levels[level] != n {
			t.Errorf("%d regions of level %s, want %d", levels[level], level, n)
		}
	}
	if u, ok := ref.Urusan.Get("2.16"); !ok || u.NameID != "Komunikasi dan Informatika" {
		t.Errorf("urusan 2.16 = %+v, %v", u, ok)
	}
}
