package ingest

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"

	"tiru/internal/kb"
)

// ReferenceData is the parsed reference content: regions, aliases, urusan.
type ReferenceData struct {
	Regions []kb.Region
	Aliases []kb.Alias
	Urusan  []kb.Urusan
	Ref     kb.Reference
}

// LoadReference parses the three reference CSV files (each with a header
// row) and builds the lookups validation uses.
func LoadReference(regionsCSV, aliasesCSV, urusanCSV []byte) (*ReferenceData, error) {
	d := &ReferenceData{}
	err := readCSV("regions.csv", regionsCSV, 4, func(f []string) {
		d.Regions = append(d.Regions, kb.Region{Code: f[0], Name: f[1], Level: f[2], ProvinceCode: f[3]})
	})
	if err != nil {
		return nil, err
	}
	if err := readCSV("aliases.csv", aliasesCSV, 2, func(f []string) {
		d.Aliases = append(d.Aliases, kb.Alias{Alias: f[0], Code: f[1]})
	}); err != nil {
		return nil, err
	}
	if err := readCSV("urusan.csv", urusanCSV, 3, func(f []string) {
		d.Urusan = append(d.Urusan, kb.Urusan{Code: f[0], NameID: f[1], NameEN: f[2]})
	}); err != nil {
		return nil, err
	}
	g, err := kb.NewGazetteer(d.Regions, d.Aliases)
	if err != nil {
		return nil, fmt.Errorf("reference data: %w", err)
	}
	d.Ref = kb.Reference{Regions: g, Urusan: kb.NewUrusanList(d.Urusan)}
	return d, nil
}

func readCSV(name string, data []byte, fields int, row func([]string)) error {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = fields
	if _, err := r.Read(); err != nil {
		return fmt.Errorf("%s: header: %w", name, err)
	}
	for {
		f, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		row(f)
	}
}
