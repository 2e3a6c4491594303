package search

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"tiru/internal/kb"
)

// Builder turns domain records into index documents. Plain converts
// Markdown to plain text; it is passed in so this package does not depend on
// the Markdown renderer.
type Builder struct {
	Ref   kb.Reference
	Plain func(markdown string) string
	// Aliases maps a region code to the other names people use for it
	// ("Solo" for 33.72), so "kunker Solo" finds Surakarta.
	Aliases map[string][]string
}

// regionWords are the names a record's region is searched by as words of
// its text: its own name and aliases, and its province's ("Kalsel" finds
// Kabupaten Banjar). Nicknames are left to the place field (see
// placeNames): as words, "Kota Hujan" made every Bogor record a match of
// "hujan" (rain).
func (b *Builder) regionWords(code string) []string {
	var out []string
	names := func(r kb.Region) {
		out = append(out, r.Name)
		for _, a := range b.Aliases[r.Code] {
			if r.Level == kb.LevelNational || !isNickname(a, r.Name) {
				out = append(out, a)
			}
		}
	}
	if r, ok := b.Ref.Regions.Get(code); ok {
		names(r)
		if p, ok := b.Ref.Regions.Province(r); ok && p.Code != r.Code {
			names(p)
		}
	} else {
		out = append(out, b.Aliases[code]...)
	}
	return out
}

// isNickname reports whether alias is a region's nickname rather than a
// spelling or short form of its name: two words or more, none of them a
// word of the name besides the words that say what kind of region it is
// ("Kota Kembang" for Kota Bandung, "Serambi Mekkah" for Aceh; not
// "Sumatra Utara" for Sumatera Utara, nor "Jakarta Pusat").
func isNickname(alias, name string) bool {
	ws := tokens(alias)
	if len(ws) < 2 {
		return false
	}
	own := tokens(name)
	for _, w := range ws {
		if !isRegionKindWord(w) && slices.Contains(own, w) {
			return false
		}
	}
	return true
}

// isRegionKindWord reports whether w says what kind of region a name is,
// not which: every Kota would match "kota".
func isRegionKindWord(w string) bool {
	switch w {
	case "kota", "kabupaten", "kab", "provinsi", "prov", "administrasi", "daerah", "khusus", "ibukota", "istimewa":
		return true
	}
	return false
}

// placeNames are the names of the place a record happened at (see
// Document.Place), each as its query words: the region's and its
// province's official names without the words that name a kind of region
// (every Kota would be a match of "kota"), and their aliases whole, since
// a nickname without its "Kota" is a common word ("Kota Pahlawan" is
// Surabaya, "pahlawan" a hero). The nation is no place.
func (b *Builder) placeNames(code string) []string {
	r, ok := b.Ref.Regions.Get(code)
	if !ok || r.Level == kb.LevelNational {
		return nil
	}
	official := func(name string) string {
		var ws []string
		for _, w := range tokens(name) {
			if !isRegionKindWord(w) {
				ws = append(ws, w)
			}
		}
		return strings.Join(ws, " ")
	}
	// Without stop words, which queries lose too: "DI Yogyakarta".
	whole := func(name string) string { return strings.Join(withoutStop(tokens(name)), " ") }
	// The name whole as well, so that "Kabupaten Banjar" is not also
	// Kota Banjar, as "banjar" is.
	out := []string{official(r.Name), whole(r.Name)}
	for _, a := range b.Aliases[code] {
		out = append(out, whole(a))
	}
	if p, ok := b.Ref.Regions.Province(r); ok && p.Code != r.Code {
		out = append(out, official(p.Name))
		for _, a := range b.Aliases[p.Code] {
			out = append(out, whole(a))
		}
	}
	return dedupe(out)
}

func (b *Builder) province(code string) string {
	if r, ok := b.Ref.Regions.Get(code); ok {
		if p, ok := b.Ref.Regions.Province(r); ok {
			return p.Code
		}
	}
	return ""
}

// sortTime writes t so that later times sort after earlier ones as text.
func sortTime(t time.Time) string { return t.UTC().Format("20060102150405.000000000") }

// sortCount writes n so that larger counts sort after smaller ones as text.
func sortCount(n int) string { s := strconv.Itoa(n); return strings.Repeat("0", max(0, 7-len(s))) + s }

func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t, _ = time.Parse(kb.DateLayout, s)
	}
	return t
}

// Adopter is one region's adoption of an innovation.
type Adopter struct{ Region, Status string }

// Innovation builds the document of an innovation adopted by adopters. An
// adopting region is one of its owners, as far as reading goes: it may
// read the innovation when the region that made it keeps it internal.
func (b *Builder) Innovation(id int64, in *kb.Innovation, updatedAt string, adopters []Adopter) *Document {
	statuses := make([]string, len(adopters))
	owners := []string{in.Region}
	for i, a := range adopters {
		statuses[i] = a.Status
		owners = append(owners, a.Region)
	}
	var text []string
	text = append(text, in.Summary, b.Plain(in.Problem), b.Plain(in.Solution))
	for _, r := range in.Results {
		text = append(text, r.Figure, r.Note)
	}
	text = append(text, b.Plain(in.Body), b.Plain(in.Prerequisites))
	for _, c := range in.Contacts {
		text = append(text, c.Name, c.Role)
	}
	meta := append([]string{in.Agency}, b.regionWords(in.Region)...)
	meta = append(meta, in.Tags...)
	meta = append(meta, in.Partners...)
	if u, ok := b.Ref.Urusan.Get(in.Urusan); ok {
		meta = append(meta, u.NameID, u.NameEN)
	}
	d := &Document{ID: id, Lang: in.Language, Kind: "innovation", Slug: in.Slug, Title: in.Title,
		Text: joinText(text), Meta: joinText(meta), Place: b.placeNames(in.Region), Region: in.Region, Province: b.province(in.Region),
		Regions: []string{in.Region}, Stage: in.Stage, InnovType: in.InnovationType, Adoption: dedupe(statuses),
		Adoptions: sortCount(len(adopters)), Visibility: in.Visibility, Owners: dedupe(owners), Updated: sortTime(parseTime(updatedAt))}
	if in.Urusan != "" {
		d.Urusan = append([]string{in.Urusan}, in.UrusanRelated...)
	}
	if in.EvidenceLevel > 0 {
		d.Evidence = strconv.Itoa(in.EvidenceLevel)
	}
	if in.YearStarted > 0 {
		d.Year = strconv.Itoa(in.YearStarted)
	}
	d.Facets = d.facetTerms()
	return d
}

// Visit builds the document of a visit; observed are the titles of the
// innovations it saw, so a visit is found by what it was about, and files
// the names of its attachments, which name what they hold ("Paparan Smart
// City Surakarta.pptx") as people look for it.
func (b *Builder) Visit(id int64, v *kb.Visit, updatedAt string, observed []string, files ...string) *Document {
	text := []string{v.Purpose, v.Delegation, b.Plain(v.Body)}
	for _, f := range files {
		// Without the extension: "pdf" says nothing of the visit.
		text = append(text, strings.TrimSuffix(f, path.Ext(f)))
	}
	for _, p := range v.PeopleMet {
		text = append(text, p.Name, p.Role, p.Agency)
	}
	for _, f := range v.FollowUps {
		text = append(text, f.Action)
	}
	text = append(text, observed...)
	vt := kb.VisitTypes()
	meta := []string{v.VisitorAgency, v.HostAgency, vt.Label(v.VisitType, "id"), vt.Label(v.VisitType, "en")}
	meta = append(meta, b.regionWords(v.VisitorRegion)...)
	meta = append(meta, b.regionWords(v.HostRegion)...)
	d := &Document{ID: id, Lang: v.Language, Kind: "visit", Slug: v.Slug, Title: v.Title, Text: joinText(text), Meta: joinText(meta),
		Place: b.placeNames(v.HostRegion), From: b.placeNames(v.VisitorRegion), Region: v.HostRegion, Province: b.province(v.HostRegion), Regions: dedupe([]string{v.HostRegion, v.VisitorRegion}),
		Visibility: v.Visibility, Owners: dedupe([]string{v.VisitorRegion, v.HostRegion}), Updated: sortTime(parseTime(updatedAt))}
	if len(v.StartDate) >= 4 {
		d.Year = v.StartDate[:4]
	}
	if len(v.StartDate) >= 7 {
		// The month alone too, for a month named without a year
		// ("kunjungan kerja bulan februari").
		d.Month = []string{v.StartDate[:7], v.StartDate[5:7]}
	}
	d.Facets = d.facetTerms()
	return d
}

// facetTerms lists the document's value of each facet as "facet:value",
// all in one field: counting facets then reads one field of each matching
// record rather than nine, which took a fifth less time at 10,000 records.
func (d *Document) facetTerms() []string {
	var out []string
	add := func(facet string, vals ...string) {
		for _, v := range vals {
			if v != "" {
				out = append(out, facet+facetSep+v)
			}
		}
	}
	add("kind", d.Kind)
	add("province", d.Province)
	add("region", d.Region)
	add("urusan", d.Urusan...)
	add("stage", d.Stage)
	add("type", d.InnovType)
	add("evidence", d.Evidence)
	add("adoption", d.Adoption...)
	add("year", d.Year)
	return out
}

// facetSep separates a facet's name from its value in the facets field.
const facetSep = ":"

func joinText(parts []string) string {
	var keep []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, "\n")
}

func dedupe(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range list {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// Fingerprint identifies what d holds: two documents built from the same
// record in the same state have the same fingerprint, and a record changed
// since it was indexed has another. The Sum field itself is left out.
func (d *Document) Fingerprint() string {
	c := *d
	c.Sum = ""
	// A Document is plain strings and slices of strings; encoding it
	// cannot fail.
	b, _ := json.Marshal(&c)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:12])
}
