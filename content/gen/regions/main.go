// Command regions writes content/regions.csv, Tiru's list of Indonesian
// regions, from the provinces.csv and regencies.csv files of the npm package
// idn-area-data (see content/gen/regions.sh, which fetches the package and
// runs this program).
//
// The output has the columns code,name,level,province_code. Its first data row
// is the national level (00, Nasional); then every province is followed by its
// kabupaten and kota, in code order. The program fails, writing nothing, when
// the source does not look as expected: wrong headers, malformed or duplicate
// codes, counts other than 38 provinces, 416 kabupaten and 98 kota, or known
// regions (Kabupaten Banjar, Kota Banjar, Kota Surakarta) out of place.
package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Expected counts (Kepmendagri 2022 onwards, with the four new Papua provinces).
const (
	wantProvinces = 38
	wantKabupaten = 416
	wantKota      = 98
)

// Levels written to the level column.
const (
	levelNasional  = "nasional"
	levelProvinsi  = "provinsi"
	levelKabupaten = "kabupaten"
	levelKota      = "kota"
)

// nameFixes corrects source spellings that differ from how the regions write
// their own names (and how Kemendagri and BPS list them). Each fix names the
// spelling it expects in the source, so a changed source fails loudly instead
// of being silently overwritten.
var nameFixes = map[string]struct{ from, to string }{
	"62.71": {"Kota Palangkaraya", "Kota Palangka Raya"},
	"72.09": {"Kabupaten Tojo Una Una", "Kabupaten Tojo Una-Una"},
	"74.72": {"Kota Bau Bau", "Kota Baubau"},
	"92.03": {"Kabupaten Fak Fak", "Kabupaten Fakfak"},
}

// spotChecks are regions whose code, name and province must come out exactly so.
var spotChecks = []region{
	{code: "63.03", name: "Kabupaten Banjar", level: levelKabupaten, province: "63"},
	{code: "63", name: "Kalimantan Selatan", level: levelProvinsi},
	{code: "32.79", name: "Kota Banjar", level: levelKota, province: "32"},
	{code: "32", name: "Jawa Barat", level: levelProvinsi},
	{code: "33.72", name: "Kota Surakarta", level: levelKota, province: "33"},
	{code: "31", name: "Daerah Khusus Ibukota Jakarta", level: levelProvinsi},
	{code: "73.10", name: "Kabupaten Pangkajene dan Kepulauan", level: levelKabupaten, province: "73"},
	{code: "21.72", name: "Kota Tanjung Pinang", level: levelKota, province: "21"},
}

var (
	provinceCode = regexp.MustCompile(`^[1-9][0-9]$`)
	regencyCode  = regexp.MustCompile(`^([1-9][0-9])\.([0-9]{2})$`)
)

type region struct {
	code, name, level, province string
}

func main() {
	provinces := flag.String("provinces", "", "path to idn-area-data's provinces.csv (code,name)")
	regencies := flag.String("regencies", "", "path to idn-area-data's regencies.csv (code,province_code,name)")
	out := flag.String("out", "content/regions.csv", "file to write")
	flag.Parse()
	if *provinces == "" || *regencies == "" {
		fmt.Fprintln(os.Stderr, "usage: regions -provinces provinces.csv -regencies regencies.csv [-out regions.csv]")
		os.Exit(2)
	}
	if err := run(*provinces, *regencies, *out); err != nil {
		fmt.Fprintln(os.Stderr, "regions:", err)
		os.Exit(1)
	}
}

func run(provincesPath, regenciesPath, outPath string) error {
	provRows, err := readCSV(provincesPath, []string{"code", "name"})
	if err != nil {
		return err
	}
	regRows, err := readCSV(regenciesPath, []string{"code", "province_code", "name"})
	if err != nil {
		return err
	}
	regions, err := build(provRows, regRows)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write([]string{"code", "name", "level", "province_code"}); err != nil {
		return err
	}
	for _, r := range regions {
		if err := w.Write([]string{r.code, r.name, r.level, r.province}); err != nil {
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	if err := writeFileAtomic(outPath, buf.Bytes()); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "regions: wrote %s: %d rows (1 nasional, %d provinsi, %d kabupaten, %d kota)\n",
		outPath, len(regions), wantProvinces, wantKabupaten, wantKota)
	return nil
}

// build validates the source rows and returns the output rows in order.
func build(provRows, regRows [][]string) ([]region, error) {
	var errs []error
	byCode := map[string]region{}
	add := func(r region) {
		if _, dup := byCode[r.code]; dup {
			errs = append(errs, fmt.Errorf("duplicate code %s", r.code))
			return
		}
		byCode[r.code] = r
	}
	add(region{code: "00", name: "Nasional", level: levelNasional})

	for _, row := range provRows {
		code, name := strings.TrimSpace(row[0]), row[1]
		if !provinceCode.MatchString(code) {
			errs = append(errs, fmt.Errorf("province %q: malformed code", code))
			continue
		}
		add(region{code: code, name: provinceName(name), level: levelProvinsi})
	}

	for _, row := range regRows {
		code, prov, name := strings.TrimSpace(row[0]), strings.TrimSpace(row[1]), row[2]
		m := regencyCode.FindStringSubmatch(code)
		if m == nil {
			errs = append(errs, fmt.Errorf("regency %q: malformed code", code))
			continue
		}
		if m[1] != prov {
			errs = append(errs, fmt.Errorf("regency %s: province_code %q does not match the code", code, prov))
			continue
		}
		if p, ok := byCode[prov]; !ok || p.level != levelProvinsi {
			errs = append(errs, fmt.Errorf("regency %s: unknown province %q", code, prov))
			continue
		}
		kk, _ := strconv.Atoi(m[2])
		var level string
		switch {
		case kk >= 1 && kk <= 69:
			level = levelKabupaten
		case kk >= 71 && kk <= 99:
			level = levelKota
		default:
			errs = append(errs, fmt.Errorf("regency %s: number %02d is neither kabupaten (01-69) nor kota (71-99)", code, kk))
			continue
		}
		full, err := regencyName(name, level)
		if err != nil {
			errs = append(errs, fmt.Errorf("regency %s: %w", code, err))
			continue
		}
		if fix, ok := nameFixes[code]; ok {
			switch full {
			case fix.from:
				full = fix.to
			case fix.to:
				// The source already has the right spelling.
			default:
				errs = append(errs, fmt.Errorf("regency %s: name fix expects %q in the source, found %q; review nameFixes", code, fix.from, full))
				continue
			}
		}
		add(region{code: code, name: full, level: level, province: prov})
	}

	counts := map[string]int{}
	for _, r := range byCode {
		counts[r.level]++
	}
	for _, c := range []struct {
		level string
		want  int
	}{{levelProvinsi, wantProvinces}, {levelKabupaten, wantKabupaten}, {levelKota, wantKota}} {
		if counts[c.level] != c.want {
			errs = append(errs, fmt.Errorf("found %d %s, want %d", counts[c.level], c.level, c.want))
		}
	}
	for _, want := range spotChecks {
		if got, ok := byCode[want.code]; !ok {
			errs = append(errs, fmt.Errorf("spot check: %s (%s) is missing", want.code, want.name))
		} else if got != want {
			errs = append(errs, fmt.Errorf("spot check: %s is %+v, want %+v", want.code, got, want))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}

	out := make([]region, 0, len(byCode))
	for _, r := range byCode {
		out = append(out, r)
	}
	// Plain string order puts "11" before "11.01" and "11.75" before "12".
	sort.Slice(out, func(i, j int) bool { return out[i].code < out[j].code })
	return out, nil
}

// provinceName returns a province name without a leading "Provinsi", in title case.
func provinceName(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > len("provinsi ") && strings.EqualFold(s[:len("provinsi ")], "provinsi ") {
		s = s[len("provinsi "):]
	}
	return titleCase(s)
}

// regencyPrefixes are the ways the source may begin a regency name, longest
// first, with the level each implies and the canonical spelling.
var regencyPrefixes = []struct{ source, level, canonical string }{
	{"KABUPATEN ADMINISTRASI ", levelKabupaten, "Kabupaten Administrasi "},
	{"KAB. ADM. ", levelKabupaten, "Kabupaten Administrasi "},
	{"KABUPATEN ", levelKabupaten, "Kabupaten "},
	{"KAB. ", levelKabupaten, "Kabupaten "},
	{"KAB ", levelKabupaten, "Kabupaten "},
	{"KOTA ADMINISTRASI ", levelKota, "Kota Administrasi "},
	{"KOTA ADM. ", levelKota, "Kota Administrasi "},
	{"KOTA ", levelKota, "Kota "},
}

// regencyName returns the full name ("Kabupaten Banjar", "Kota Surakarta") of
// a regency whose level comes from its code. A name whose prefix contradicts
// the level is an error.
func regencyName(s, level string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	upper := strings.ToUpper(s)
	for _, p := range regencyPrefixes {
		if strings.HasPrefix(upper, p.source) {
			if p.level != level {
				return "", fmt.Errorf("name %q says %s but the code says %s", s, p.level, level)
			}
			rest := s[len(p.source):]
			if rest == "" {
				return "", fmt.Errorf("name %q has no name after the prefix", s)
			}
			return p.canonical + titleCase(rest), nil
		}
	}
	if s == "" {
		return "", errors.New("empty name")
	}
	if level == levelKota {
		return "Kota " + titleCase(s), nil
	}
	return "Kabupaten " + titleCase(s), nil
}

// Words written in lower case inside a name, as in "Pangkajene dan Kepulauan".
var particles = map[string]bool{"dan": true, "serta": true}

// Abbreviations and Roman numerals written in upper case.
var upperWords = map[string]bool{
	"DKI": true, "DI": true,
	"I": true, "II": true, "III": true, "IV": true, "V": true, "VI": true,
	"VII": true, "VIII": true, "IX": true, "X": true, "XI": true, "XII": true,
}

// titleCase fixes words the source wrote in all capitals or all lower case.
// Words already in mixed case ("Fakfak", "Tojo") are kept as the source has them.
func titleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		parts := strings.Split(w, "-")
		for j, p := range parts {
			parts[j] = casePart(p, i == 0 && j == 0)
		}
		words[i] = strings.Join(parts, "-")
	}
	return strings.Join(words, " ")
}

func casePart(p string, first bool) string {
	if p == "" {
		return p
	}
	upper, lower := strings.ToUpper(p), strings.ToLower(p)
	if p != upper && p != lower {
		return p
	}
	if upperWords[upper] {
		return upper
	}
	if !first && particles[lower] {
		return lower
	}
	r := []rune(lower)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

// readCSV reads a CSV file whose header must equal header and returns the data rows.
func readCSV(path string, header []string) ([][]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = len(header)
	got, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", path, err)
	}
	if strings.Join(got, ",") != strings.Join(header, ",") {
		return nil, fmt.Errorf("%s: header is %q, want %q", path, got, header)
	}
	var rows [][]string
	for {
		row, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		rows = append(rows, row)
	}
}

// writeFileAtomic writes data next to path and renames it into place, so a
// failed run never leaves a half-written file.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".regions-*.csv")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
