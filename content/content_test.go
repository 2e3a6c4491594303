package content

import (
	"bytes"
	"encoding/csv"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"testing"
)

// readCSV parses an embedded CSV, checks its header and returns the data rows.
func readCSV(t *testing.T, name string, data []byte, header ...string) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = len(header)
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(rows) == 0 {
		t.Fatalf("%s: empty", name)
	}
	if got, want := strings.Join(rows[0], ","), strings.Join(header, ","); got != want {
		t.Fatalf("%s: header %q, want %q", name, got, want)
	}
	for i, row := range rows[1:] {
		for j, f := range row {
			if f != strings.TrimSpace(f) {
				t.Errorf("%s line %d: field %s has surrounding spaces: %q", name, i+2, header[j], f)
			}
		}
	}
	return rows[1:]
}

type regionRow struct{ code, name, level, province string }

func loadRegions(t *testing.T) map[string]regionRow {
	t.Helper()
	regions := map[string]regionRow{}
	for _, row := range readCSV(t, "regions.csv", Regions(), "code", "name", "level", "province_code") {
		r := regionRow{row[0], row[1], row[2], row[3]}
		if _, dup := regions[r.code]; dup {
			t.Errorf("regions.csv: duplicate code %s", r.code)
		}
		regions[r.code] = r
	}
	return regions
}

var (
	provinceCode = regexp.MustCompile(`^[1-9][0-9]$`)
	regencyCode  = regexp.MustCompile(`^([1-9][0-9])\.([0-6][0-9]|[7-9][0-9])$`)
)

func TestRegions(t *testing.T) {
	regions := loadRegions(t)
	if len(regions) != 553 {
		t.Errorf("regions.csv has %d rows, want 553 (552 regions + nasional)", len(regions))
	}
	counts := map[string]int{}
	names := map[string]string{}
	for _, r := range regions {
		counts[r.level]++
		if r.name == "" {
			t.Errorf("%s: empty name", r.code)
		}
		if other, dup := names[strings.ToLower(r.name)]; dup {
			t.Errorf("%s and %s share the name %q", other, r.code, r.name)
		}
		names[strings.ToLower(r.name)] = r.code
		switch r.level {
		case "nasional":
			if r.code != "00" || r.province != "" {
				t.Errorf("nasional row is %+v, want code 00 and no province", r)
			}
		case "provinsi":
			if !provinceCode.MatchString(r.code) || r.province != "" {
				t.Errorf("bad provinsi row %+v", r)
			}
			if strings.HasPrefix(r.name, "Provinsi ") {
				t.Errorf("%s: province name %q should not start with Provinsi", r.code, r.name)
			}
		case "kabupaten", "kota":
			m := regencyCode.FindStringSubmatch(r.code)
			if m == nil || m[1] != r.province {
				t.Errorf("bad %s row %+v", r.level, r)
				continue
			}
			if p, ok := regions[r.province]; !ok || p.level != "provinsi" {
				t.Errorf("%s: province_code %q is not a province", r.code, r.province)
			}
			wantLevel, prefix := "kabupaten", "Kabupaten "
			if m[2] >= "71" {
				wantLevel, prefix = "kota", "Kota "
			}
			if m[2] == "00" || m[2] == "70" {
				t.Errorf("%s: regency number %s is not used", r.code, m[2])
			}
			if r.level != wantLevel || !strings.HasPrefix(r.name, prefix) {
				t.Errorf("%s: level %s, name %q; want level %s and prefix %q", r.code, r.level, r.name, wantLevel, prefix)
			}
			if r.name != strings.Join(strings.Fields(r.name), " ") || strings.ToUpper(r.name) == r.name {
				t.Errorf("%s: name %q is not clean title case", r.code, r.name)
			}
		default:
			t.Errorf("%s: unknown level %q", r.code, r.level)
		}
	}
	for level, want := range map[string]int{"nasional": 1, "provinsi": 38, "kabupaten": 416, "kota": 98} {
		if counts[level] != want {
			t.Errorf("%d rows at level %s, want %d", counts[level], level, want)
		}
	}
	for _, want := range []regionRow{
		{"00", "Nasional", "nasional", ""},
		{"63", "Kalimantan Selatan", "provinsi", ""},
		{"63.03", "Kabupaten Banjar", "kabupaten", "63"},
		{"32", "Jawa Barat", "provinsi", ""},
		{"32.79", "Kota Banjar", "kota", "32"},
		{"33.72", "Kota Surakarta", "kota", "33"},
	} {
		if got := regions[want.code]; got != want {
			t.Errorf("region %s is %+v, want %+v", want.code, got, want)
		}
	}
}

// bareName strips the level prefix: "Kota Administrasi Jakarta Pusat" -> "jakarta pusat".
func bareName(name string) string {
	n := strings.ToLower(name)
	for _, p := range []string{"kabupaten administrasi ", "kota administrasi ", "kabupaten ", "kota "} {
		if strings.HasPrefix(n, p) {
			return strings.TrimPrefix(n, p)
		}
	}
	return n
}

func TestAliases(t *testing.T) {
	regions := loadRegions(t)
	fullNames := map[string]string{}
	bareCodes := map[string]map[string]bool{}
	for _, r := range regions {
		fullNames[strings.ToLower(r.name)] = r.code
		b := bareName(r.name)
		if bareCodes[b] == nil {
			bareCodes[b] = map[string]bool{}
		}
		bareCodes[b][r.code] = true
	}
	if len(bareCodes["banjar"]) != 2 {
		t.Fatalf("want two regions named Banjar, got %v", bareCodes["banjar"])
	}

	seen := map[string]string{}
	rows := readCSV(t, "aliases.csv", Aliases(), "alias", "code")
	if len(rows) == 0 {
		t.Fatal("aliases.csv has no aliases")
	}
	for _, row := range rows {
		alias, code := row[0], row[1]
		key := strings.ToLower(alias)
		if alias == "" {
			t.Errorf("empty alias for %s", code)
		}
		if _, ok := regions[code]; !ok {
			t.Errorf("alias %q: code %s is not in regions.csv", alias, code)
		}
		if prev, dup := seen[key]; dup {
			t.Errorf("alias %q appears twice (codes %s and %s)", alias, prev, code)
		}
		seen[key] = code
		if c, ok := fullNames[key]; ok && c != code {
			t.Errorf("alias %q -> %s, but it is the name of %s", alias, code, c)
		}
		// An alias must not settle a name that fits several regions (Banjar).
		if codes := bareCodes[key]; len(codes) > 1 {
			t.Errorf("alias %q -> %s picks one of the regions sharing that name %v", alias, code, codes)
		}
	}
	for alias, want := range map[string]string{"solo": "33.72", "dki jakarta": "31", "diy": "34", "kalsel": "63", "nasional": "00"} {
		if seen[alias] != want {
			t.Errorf("alias %q -> %q, want %s", alias, seen[alias], want)
		}
	}
}

func TestUrusan(t *testing.T) {
	code := regexp.MustCompile(`^\d\.\d\d$`)
	seen := map[string]bool{}
	for _, row := range readCSV(t, "urusan.csv", Urusan(), "code", "name_id", "name_en") {
		if !code.MatchString(row[0]) {
			t.Errorf("urusan code %q does not match %s", row[0], code)
		}
		if seen[row[0]] {
			t.Errorf("urusan code %s appears twice", row[0])
		}
		seen[row[0]] = true
		if row[1] == "" || row[2] == "" {
			t.Errorf("urusan %s: missing name", row[0])
		}
	}
	for _, c := range []string{"1.01", "2.12", "2.16", "2.20", "2.21", "3.32", "4.01", "5.05", "6.01", "7.01", "8.01"} {
		if !seen[c] {
			t.Errorf("urusan %s missing", c)
		}
	}
}

// frontMatter returns the top-level scalar keys of a seed file's front matter
// and the items of its top-level lists of strings. It understands just enough
// YAML for the seed files; the real parser lives in the ingest code.
func frontMatter(t *testing.T, name, text string) (map[string]string, map[string][]string) {
	t.Helper()
	if !strings.HasPrefix(text, "---\n") {
		t.Errorf("%s: does not start with --- front matter", name)
		return nil, nil
	}
	fm, _, ok := strings.Cut(text[len("---\n"):], "\n---\n")
	if !ok {
		t.Errorf("%s: front matter is not closed by ---", name)
		return nil, nil
	}
	scalars, lists := map[string]string{}, map[string][]string{}
	var list string
	for _, line := range strings.Split(fm, "\n") {
		if item, ok := strings.CutPrefix(line, "  - "); ok && list != "" {
			lists[list] = append(lists[list], strings.Trim(item, `"`))
			continue
		}
		if line == "" || line[0] == ' ' {
			continue
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			t.Errorf("%s: unexpected front matter line %q", name, line)
			continue
		}
		val = strings.Trim(strings.TrimSpace(val), `"`)
		list = ""
		if val == "" {
			list = key
		}
		scalars[key] = val
	}
	return scalars, lists
}

func TestSeed(t *testing.T) {
	regions := loadRegions(t)
	names, err := fs.Glob(Seed(), "*.md")
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatal("no seed files")
	}
	slug := regexp.MustCompile(`^[a-z0-9-]{3,80}$`)
	date := regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	type ref struct{ file, kind, slug string }
	slugs := map[string]string{} // slug -> kind
	var refs []ref
	for _, name := range names {
		data, err := fs.ReadFile(Seed(), name)
		if err != nil {
			t.Fatal(err)
		}
		fm, lists := frontMatter(t, name, string(data))
		if fm == nil {
			continue
		}
		kind := fm["kind"]
		switch kind {
		case "visit", "innovation":
			s := fm["slug"]
			if !slug.MatchString(s) || s+".md" != path.Base(name) {
				t.Errorf("%s: slug %q should be valid and match the file name", name, s)
			}
			if _, dup := slugs[s]; dup {
				t.Errorf("%s: duplicate slug %s", name, s)
			}
			slugs[s] = kind
		case "adoption":
			refs = append(refs, ref{name, "innovation", fm["innovation"]})
			if fm["visit"] != "" {
				refs = append(refs, ref{name, "visit", fm["visit"]})
			}
		default:
			t.Errorf("%s: kind %q", name, kind)
		}
		for _, s := range lists["innovations"] {
			refs = append(refs, ref{name, "innovation", s})
		}
		for _, key := range []string{"region", "visitor_region", "host_region"} {
			if c, ok := fm[key]; ok {
				if _, known := regions[c]; !known {
					t.Errorf("%s: %s %q is not a region code", name, key, c)
				}
			}
		}
		for _, key := range []string{"date", "start_date", "end_date", "sustainability_verified"} {
			if d, ok := fm[key]; ok && !date.MatchString(d) {
				t.Errorf("%s: %s %q is not YYYY-MM-DD", name, key, d)
			}
		}
	}
	for _, r := range refs {
		if slugs[r.slug] != r.kind {
			t.Errorf("%s: refers to %s %q, which is not a seed %s", r.file, r.kind, r.slug, r.kind)
		}
	}
}

func TestReturnsCopies(t *testing.T) {
	b := Regions()
	b[0] = 'X'
	if Regions()[0] != 'c' {
		t.Error("Regions shares its backing array between calls")
	}
}
