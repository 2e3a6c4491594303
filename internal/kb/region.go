package kb

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Region levels.
const (
	LevelNational  = "nasional"
	LevelProvince  = "provinsi"
	LevelKabupaten = "kabupaten"
	LevelKota      = "kota"
)

// NationalCode is the region of national bodies such as KemenPAN-RB.
const NationalCode = "00"

// Region is a province, kabupaten or kota with its Kemendagri code
// ("63" Kalimantan Selatan, "63.03" Kabupaten Banjar), or the nation ("00").
type Region struct {
	Code         string `json:"code"`
	Name         string `json:"name"`
	Level        string `json:"level"`
	ProvinceCode string `json:"province_code,omitempty"`
}

// IsProvince reports whether the region is a province.
func (r Region) IsProvince() bool { return r.Level == LevelProvince }

// Alias is another name for a region, such as Solo for Kota Surakarta.
type Alias struct {
	Alias string
	Code  string
}

var regionCodeRe = regexp.MustCompile(`^(00|\d\d|\d\d\.\d\d)$`)

// Gazetteer resolves what people write for a region ("Solo", "Kab. Banjar",
// "33.72") to one region. It is built once and only read afterwards.
type Gazetteer struct {
	byCode map[string]Region
	strong map[string][]string // full names, prefixed names and aliases
	weak   map[string][]string // names without Provinsi/Kabupaten/Kota
	list   []Region
}

// NewGazetteer indexes regions and aliases. It fails on an alias that points
// nowhere or a duplicate code, because such data would resolve silently wrong.
func NewGazetteer(regions []Region, aliases []Alias) (*Gazetteer, error) {
	g := &Gazetteer{byCode: map[string]Region{}, strong: map[string][]string{}, weak: map[string][]string{}}
	for _, r := range regions {
		if !regionCodeRe.MatchString(r.Code) {
			return nil, fmt.Errorf("region %q: malformed code", r.Code)
		}
		if _, dup := g.byCode[r.Code]; dup {
			return nil, fmt.Errorf("region %q: duplicate code", r.Code)
		}
		g.byCode[r.Code] = r
		g.list = append(g.list, r)
		name := foldKey(r.Name)
		g.strong[name] = appendOnce(g.strong[name], r.Code)
		bare := name
		switch r.Level {
		case LevelProvince:
			g.strong["provinsi "+name] = appendOnce(g.strong["provinsi "+name], r.Code)
			g.strong["prov "+name] = appendOnce(g.strong["prov "+name], r.Code)
			// A bare province name is only weak: "Bengkulu" is also a kota.
			delete(g.strong, name)
		case LevelKabupaten:
			bare = strings.TrimPrefix(name, "kabupaten ")
			g.strong["kab "+bare] = appendOnce(g.strong["kab "+bare], r.Code)
		case LevelKota:
			bare = strings.TrimPrefix(name, "kota ")
			g.strong["kotamadya "+bare] = appendOnce(g.strong["kotamadya "+bare], r.Code)
		}
		g.weak[bare] = appendOnce(g.weak[bare], r.Code)
	}
	for _, a := range aliases {
		if _, ok := g.byCode[a.Code]; !ok {
			return nil, fmt.Errorf("alias %q: unknown region code %q", a.Alias, a.Code)
		}
		k := foldKey(a.Alias)
		g.strong[k] = appendOnce(g.strong[k], a.Code)
	}
	sort.Slice(g.list, func(i, j int) bool { return g.list[i].Code < g.list[j].Code })
	return g, nil
}

func appendOnce(list []string, code string) []string {
	for _, c := range list {
		if c == code {
			return list
		}
	}
	return append(list, code)
}

// Get returns the region with exactly this code.
func (g *Gazetteer) Get(code string) (Region, bool) {
	r, ok := g.byCode[code]
	return r, ok
}

// All returns every region ordered by code. The slice is shared: do not modify it.
func (g *Gazetteer) All() []Region { return g.list }

// Province returns the province a region belongs to (itself for a province).
func (g *Gazetteer) Province(r Region) (Region, bool) {
	if r.Level == LevelProvince {
		return r, true
	}
	return g.Get(r.ProvinceCode)
}

// Resolve finds the one region meant by s: a code, an alias, a full or
// abbreviated name. A name that fits several regions is refused with the
// candidates named, never guessed.
func (g *Gazetteer) Resolve(s string) (Region, error) {
	s = strings.TrimSpace(s)
	if r, ok := g.byCode[s]; ok {
		return r, nil
	}
	k := foldKey(s)
	if k == "" {
		return Region{}, fmt.Errorf("%w: empty region", ErrNotFound)
	}
	codes := g.strong[k]
	if len(codes) == 0 {
		codes = g.weak[k]
	}
	switch len(codes) {
	case 1:
		return g.byCode[codes[0]], nil
	case 0:
		return Region{}, fmt.Errorf("%w: region %q", ErrNotFound, clip(s, 60))
	}
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = g.byCode[c].Name + " (" + c + ")"
	}
	sort.Strings(names)
	return Region{}, &AmbiguousError{Input: s, Candidates: names}
}

// AmbiguousError says a name fits more than one region.
type AmbiguousError struct {
	Input      string
	Candidates []string
}

// Error names the input and its candidates, in both languages.
func (e *AmbiguousError) Error() string {
	return fmt.Sprintf("%q bisa berarti beberapa wilayah (fits several regions): %s", e.Input, strings.Join(e.Candidates, ", "))
}

// Unwrap makes an ambiguous name an invalid input.
func (e *AmbiguousError) Unwrap() error { return ErrInvalid }

// Search returns up to limit regions whose name or code contains q, best
// first: exact, then prefix, then substring.
func (g *Gazetteer) Search(q string, limit int) []Region {
	k := foldKey(q)
	if k == "" {
		if limit > len(g.list) {
			limit = len(g.list)
		}
		return g.list[:limit]
	}
	type scored struct {
		r     Region
		score int
	}
	var hits []scored
	for _, r := range g.list {
		name := foldKey(r.Name)
		switch {
		case r.Code == q || name == k:
			hits = append(hits, scored{r, 0})
		case strings.HasPrefix(r.Code, q) || strings.HasPrefix(name, k) || strings.Contains(name, " "+k):
			hits = append(hits, scored{r, 1})
		case strings.Contains(name, k):
			hits = append(hits, scored{r, 2})
		}
	}
	for alias, codes := range g.strong {
		if alias == k && len(codes) == 1 {
			hits = append(hits, scored{g.byCode[codes[0]], 0})
		}
	}
	// The regions whose name is the query without "Kabupaten" or "Kota"
	// come first: "Banjar" is Kabupaten Banjar and Kota Banjar before
	// Banjarnegara, which sorted between them.
	for _, code := range g.weak[k] {
		hits = append(hits, scored{g.byCode[code], 0})
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].score != hits[j].score {
			return hits[i].score < hits[j].score
		}
		return hits[i].r.Code < hits[j].r.Code
	})
	var out []Region
	seen := map[string]bool{}
	for _, h := range hits {
		if !seen[h.r.Code] && len(out) < limit {
			seen[h.r.Code] = true
			out = append(out, h.r)
		}
	}
	return out
}

// ResolveField is Resolve for a region typed into field: on failure it
// returns a validation error naming field that says, in both languages,
// what to write instead.
func (g *Gazetteer) ResolveField(field, value string) (Region, error) {
	r, err := g.Resolve(value)
	if err == nil {
		return r, nil
	}
	var amb *AmbiguousError
	if errors.As(err, &amb) {
		list := strings.Join(amb.Candidates, ", ")
		return Region{}, Invalid(field, "\""+clip(value, 60)+"\" bisa berarti beberapa wilayah: "+list+"; tulis kodenya atau nama lengkapnya",
			"\""+clip(value, 60)+"\" fits several regions: "+list+"; give its code or full name")
	}
	return Region{}, Invalid(field, "wilayah \""+clip(value, 60)+"\" tidak dikenal; tulis kode Kemendagri (mis. 33.72) atau nama (mis. Kota Surakarta)",
		"unknown region \""+clip(value, 60)+"\"; give a Kemendagri code (e.g. 33.72) or a name (e.g. Kota Surakarta)")
}

// normalize resolves a region field in place to its code.
func (g *Gazetteer) normalize(v *ValidationError, field string, value *string, required bool) {
	if strings.TrimSpace(*value) == "" {
		*value = ""
		if required {
			v.add(field, "wajib diisi", "is required")
		}
		return
	}
	r, err := g.ResolveField(field, *value)
	if err != nil {
		v.Errors = append(v.Errors, FieldErrors(err)...)
		return
	}
	*value = r.Code
}

// Urusan is a government affair of Permendagri 90/2019 ("2.16" Komunikasi
// dan Informatika), used to find counterpart agencies across regions.
type Urusan struct {
	Code   string `json:"code"`
	NameID string `json:"name_id"`
	NameEN string `json:"name_en"`
}

// Name returns the urusan's name in lang.
func (u Urusan) Name(lang string) string { return Text{ID: u.NameID, EN: u.NameEN}.In(lang) }

// UrusanList is the ordered list of government affairs.
type UrusanList struct {
	list []Urusan
}

// NewUrusanList wraps the list, ordered as given.
func NewUrusanList(list []Urusan) *UrusanList { return &UrusanList{list: list} }

// All returns the list; do not modify it.
func (l *UrusanList) All() []Urusan { return l.list }

// Get returns the urusan with this code.
func (l *UrusanList) Get(code string) (Urusan, bool) {
	for _, u := range l.list {
		if u.Code == code {
			return u, true
		}
	}
	return Urusan{}, false
}

// Parse finds an urusan by code or by its name in either language.
func (l *UrusanList) Parse(s string) (Urusan, bool) {
	s = strings.TrimSpace(s)
	if u, ok := l.Get(s); ok {
		return u, true
	}
	k := foldKey(s)
	for _, u := range l.list {
		if foldKey(u.NameID) == k || foldKey(u.NameEN) == k {
			return u, true
		}
	}
	return Urusan{}, false
}

func (l *UrusanList) normalize(v *ValidationError, field string, value *string) {
	if strings.TrimSpace(*value) == "" {
		*value = ""
		return
	}
	u, ok := l.Parse(*value)
	if !ok {
		v.add(field, "urusan \""+clip(*value, 60)+"\" tidak dikenal; tulis kodenya (mis. 2.16) atau namanya (mis. Komunikasi dan Informatika)",
			"unknown urusan \""+clip(*value, 60)+"\"; give its code (e.g. 2.16) or name (e.g. Komunikasi dan Informatika)")
		return
	}
	*value = u.Code
}

// Reference is the read-only reference data that validation resolves against.
type Reference struct {
	Regions *Gazetteer
	Urusan  *UrusanList
}
