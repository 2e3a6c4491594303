package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"

	"tiru/internal/kb"
	"tiru/internal/sqlite"
)

// Summary counts what an import did, by kind and change.
type Summary map[string]map[string]int

func (s Summary) add(kind string, c sqlite.Change) {
	if s[kind] == nil {
		s[kind] = map[string]int{}
	}
	s[kind][c.String()]++
}

// String gives the counts in a stable order, for the CLI, in Indonesian
// and English.
func (s Summary) String() string {
	var out string
	for _, kind := range []struct{ key, id string }{{KindInnovation, "inovasi"}, {KindVisit, "kunjungan"}, {KindAdoption, "adopsi"}} {
		m := s[kind.key]
		if m == nil {
			continue
		}
		out += fmt.Sprintf("%s / %s: %d dibuat / created, %d diubah / updated, %d tetap / unchanged\n",
			kind.id, kind.key, m["created"], m["updated"], m["unchanged"])
	}
	return out
}

// Validate normalises every record against the reference data and checks
// that no slug appears twice. It reports every problem it finds.
func Validate(records []Record, ref kb.Reference) error {
	e := &Error{}
	seen := map[string]Record{}
	for i := range records {
		r := &records[i]
		var err error
		switch r.Kind {
		case KindInnovation:
			err = r.Innovation.Validate(ref)
		case KindVisit:
			err = r.Visit.Validate(ref)
		case KindAdoption:
			err = r.Adoption.Validate(ref)
		}
		for _, fe := range kb.FieldErrors(err) {
			e.Problems = append(e.Problems, Problem{File: r.File, Line: r.lineOf(fe.Field), Field: fe.Field, Message: fe.Message})
		}
		if err != nil {
			continue
		}
		key := r.Kind + "/" + r.Slug()
		if prev, dup := seen[key]; dup {
			e.add(r.File, r.lineOf("slug"), "slug",
				fmt.Sprintf("slug %q sudah dipakai di %s:%d dalam impor ini", r.Slug(), prev.File, prev.Line),
				fmt.Sprintf("slug %q is already used at %s:%d in this import", r.Slug(), prev.File, prev.Line))
			continue
		}
		seen[key] = *r
	}
	return e.err()
}

// Import validates records and writes them in one transaction: innovations
// first, then visits (which refer to innovations), then adoptions. Either
// everything is written or, on any problem, nothing is.
func Import(ctx context.Context, db *sqlite.DB, ref kb.Reference, records []Record, author string) (Summary, error) {
	if err := Validate(records, ref); err != nil {
		return nil, err
	}
	order := map[string]int{KindInnovation: 0, KindVisit: 1, KindAdoption: 2}
	sorted := make([]*Record, len(records))
	for i := range records {
		sorted[i] = &records[i]
	}
	sort.SliceStable(sorted, func(i, j int) bool { return order[sorted[i].Kind] < order[sorted[j].Kind] })
	sum := Summary{}
	e := &Error{}
	err := db.Update(ctx, author, func(tx *sqlite.Tx) error {
		for _, r := range sorted {
			var (
				c   sqlite.Change
				err error
			)
			switch r.Kind {
			case KindInnovation:
				c, err = tx.PutInnovation(ctx, r.Innovation)
			case KindVisit:
				c, err = tx.PutVisit(ctx, r.Visit)
			case KindAdoption:
				c, err = tx.PutAdoption(ctx, r.Adoption)
			}
			if fes := kb.FieldErrors(err); fes != nil {
				for _, fe := range fes {
					e.Problems = append(e.Problems, Problem{File: r.File, Line: r.lineOf(fe.Field), Field: fe.Field, Message: fe.Message})
				}
				continue
			}
			if err != nil {
				return fmt.Errorf("%s:%d: %w", r.File, r.Line, err)
			}
			sum.add(r.Kind, c)
		}
		if len(e.Problems) > 0 {
			return e
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return sum, nil
}

// Export writes every record as JSON Lines, in the format Import reads.
func Export(ctx context.Context, db *sqlite.DB, w io.Writer) (int, error) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	n := 0
	err := db.Export(ctx, func(kind string, record any) error {
		var line any
		switch r := record.(type) {
		case *kb.Innovation:
			line = struct {
				Kind string `json:"kind"`
				*kb.Innovation
			}{kind, r}
		case *kb.Visit:
			line = struct {
				Kind string `json:"kind"`
				*kb.Visit
			}{kind, r}
		case *kb.Adoption:
			line = struct {
				Kind string `json:"kind"`
				*kb.Adoption
			}{kind, r}
		default:
			return errors.New("export: unknown record type")
		}
		n++
		if err := enc.Encode(line); err != nil {
			return fmt.Errorf("write export: %w", err)
		}
		return nil
	})
	return n, err
}
