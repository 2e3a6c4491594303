// Package synthetic generates a deterministic corpus of realistic Indonesian
// innovation write-ups (inovasi daerah) and study visits, for benchmarks and
// load tests. The same seed always gives the same records, on every machine:
// all randomness comes from math/rand/v2 PCG streams derived from the seed and
// the record's position, so record i does not depend on how many records are
// asked for, and no global state is used.
//
// The text is built from sentence templates filled from a vocabulary of
// Indonesian public-sector words, including the affixed forms a write-up
// really uses (lapor → melaporkan, dilaporkan, laporan, pelaporan, pelapor).
// Within each word class, words are drawn with Zipf-like frequencies, so a few
// words are very common and most are rare, as in real postings lists. Every
// record passes kb's Validate against the real reference data (Kemendagri
// region codes from content.Regions, urusan codes of Permendagri 90/2019).
package synthetic

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"

	"tiru/content"
	"tiru/internal/kb"
)

// Generator holds the parsed vocabulary and reference data. It is read-only
// after New, so one Generator may be used from several goroutines.
type Generator struct {
	seed uint64

	regions   []place // kabupaten, kota and provinces, shuffled by seed
	regionCDF []float64

	topics   []*topic
	topicCDF []float64

	verbs, passives, nouns, agents, intrans []string
	verbCDF, passiveCDF, nounCDF, agentCDF  []float64
	intransCDF                              []float64
	adjs                                    []string
	adjCDF                                  []float64
}

// place is a region an innovation can belong to.
type place struct {
	code, name, level, province string
	bare                        string // name without Kabupaten/Kota
}

// topic is a field of innovation with its own words: the urusan it falls
// under, the agencies that run it, the parts its titles are made of, and the
// things, people and places its write-ups talk about.
type topic struct {
	key      string
	urusan   string
	related  []string
	agencies []string
	heads    []string // title heads: "Aplikasi", "Posyandu", "Jemput Bola"
	objs     []string // title objects, title case: "Pengaduan Warga"
	quals    []string // title qualifiers: "Digital", "Keliling"; "" for none
	objects  []string // noun phrases for the text: "akta kelahiran"
	actors   []string // who takes part: "kader posyandu"
	places   []string // where it happens: "balai desa"
	tags     []string
	partners []string
	digital  float64 // chance an innovation whose head does not decide it is digital
	weight   float64
}

// New parses the vocabulary and the region list for seed.
func New(seed uint64) *Generator {
	g := &Generator{seed: seed}
	g.regions = loadPlaces()
	shuffle := rand.New(rand.NewPCG(seed, 0x726567696f6e73)) // "regions"
	shuffle.Shuffle(len(g.regions), func(i, j int) { g.regions[i], g.regions[j] = g.regions[j], g.regions[i] })
	g.regionCDF = zipfCDF(len(g.regions), 0.8)

	g.topics = topics()
	w := make([]float64, len(g.topics))
	for i, t := range g.topics {
		w[i] = t.weight
	}
	g.topicCDF = cdf(w)

	lex := buildLexicon()
	g.verbs, g.passives, g.nouns, g.agents, g.intrans = lex.verbs, lex.passives, lex.nouns, lex.agents, lex.intrans
	g.verbCDF = zipfCDF(len(g.verbs), 1.0)
	g.passiveCDF = zipfCDF(len(g.passives), 1.0)
	g.nounCDF = zipfCDF(len(g.nouns), 1.0)
	g.agentCDF = zipfCDF(len(g.agents), 1.0)
	g.intransCDF = zipfCDF(len(g.intrans), 1.0)
	g.adjs = strings.Fields(adjectives)
	g.adjCDF = zipfCDF(len(g.adjs), 1.0)
	return g
}

// Innovations returns n innovations generated from seed.
func Innovations(seed uint64, n int) []*kb.Innovation {
	g := New(seed)
	out := make([]*kb.Innovation, n)
	for i := range out {
		out[i] = g.Innovation(i)
	}
	return out
}

// Visits returns n study visits generated from seed; each observes one to
// three of the given innovations (which should already exist where the
// visits are stored) and is hosted by the region of the first.
func Visits(seed uint64, n int, observed []*kb.Innovation) []*kb.Visit {
	g := New(seed)
	out := make([]*kb.Visit, n)
	for i := range out {
		out[i] = g.Visit(i, observed)
	}
	return out
}

// Vocabulary reports the distinct words the generator draws on (word classes,
// topic words and template words; not names, numbers or regions), for tests.
func (g *Generator) Vocabulary() []string {
	seen := map[string]bool{}
	add := func(s string) {
		for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r == '-')
		}) {
			seen[strings.Trim(w, "-")] = true
		}
	}
	for _, list := range [][]string{g.verbs, g.passives, g.nouns, g.agents, g.intrans, g.adjs, generalActors, generalPlaces,
		generalObjects, timePhrases, summaryT, problemT, solutionT, backgroundT, stepT, resultT, lessonT, prereqT} {
		for _, s := range list {
			add(s)
		}
	}
	for _, t := range g.topics {
		for _, list := range [][]string{t.agencies, t.heads, t.objs, t.quals, t.objects, t.actors, t.places, t.tags, t.partners} {
			for _, s := range list {
				add(s)
			}
		}
	}
	delete(seen, "")
	out := make([]string, 0, len(seen))
	for w := range seen {
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}

// rng returns the random stream of record i of a kind.
func (g *Generator) rng(kind uint64, i int) *rand.Rand {
	return rand.New(rand.NewPCG(g.seed^kind, uint64(i)))
}

const (
	streamInnovation = 0x696e6e6f76617469 // "innovati"
	streamVisit      = 0x7669736974737475 // "visitstu"
)

// doc is the state of one record being written.
type doc struct {
	g      *Generator
	r      *rand.Rand
	t      *topic
	region place
	agency string
	name   string // how the text calls the innovation
	year   int
}

// Innovation returns record i of the generator's sequence.
func (g *Generator) Innovation(i int) *kb.Innovation {
	r := g.rng(streamInnovation, i)
	d := &doc{g: g, r: r}
	d.t = g.topics[pickCDF(r, g.topicCDF)]
	d.region = g.regions[pickCDF(r, g.regionCDF)]
	d.agency = pick(r, d.t.agencies) + " " + d.regionTitle()
	d.year = 2014 + pickWeighted(r, []float64{2, 2, 3, 3, 4, 5, 6, 8, 9, 9, 8, 5})

	head, obj, qual := pick(r, d.t.heads), pick(r, d.t.objs), pick(r, d.t.quals)
	for try := 0; try < 5 && (sharesWord(head, obj) || sharesWord(obj, qual) || sharesWord(head, qual)); try++ {
		obj, qual = pick(r, d.t.objs), pick(r, d.t.quals)
	}
	if sharesWord(head, qual) || sharesWord(obj, qual) {
		qual = ""
	}
	title := strings.Join(nonEmpty(head, obj, qual), " ")
	d.name = title
	switch x := r.Float64(); {
	case x < 0.25:
		acr := acronym(r, title)
		d.name = acr
		title = acr + ": " + title
	case x < 0.5:
		title += " " + d.region.name
		if d.region.level == kb.LevelProvince {
			title = strings.TrimSuffix(title, d.region.name) + "Provinsi " + d.region.name
		}
	}

	in := &kb.Innovation{
		Slug:       slugify(title, i),
		Title:      title,
		Region:     d.region.code,
		Agency:     d.agency,
		Urusan:     d.t.urusan,
		Language:   "id",
		Visibility: "public",
	}
	if r.Float64() < 0.3 && len(d.t.related) > 0 {
		in.UrusanRelated = []string{pick(r, d.t.related)}
	}
	in.Stage = []string{"inisiatif", "uji_coba", "penerapan"}[pickWeighted(r, []float64{15, 25, 60})]
	in.StageDates = d.stageDates(in.Stage)
	digital := strings.HasPrefix(head, "Aplikasi") || strings.HasPrefix(head, "Sistem") || strings.HasPrefix(head, "Portal") ||
		strings.HasPrefix(head, "Dasbor") || strings.HasPrefix(head, "Layanan Online") || r.Float64() < d.t.digital
	in.InnovationType = "non_digital"
	if digital {
		in.InnovationType = "digital"
	}
	in.Form = []string{"pelayanan_publik", "tata_kelola", "lainnya"}[pickWeighted(r, []float64{60, 30, 10})]
	in.Initiator = []string{"opd", "kepala_daerah", "asn", "masyarakat", "anggota_dprd"}[pickWeighted(r, []float64{50, 20, 15, 10, 5})]
	in.YearStarted = d.year

	in.Summary = d.sentences(summaryT, 2)
	in.Problem = d.sentences(problemT, 3)
	in.Solution = d.sentences(solutionT, 3+r.IntN(2))
	for k := range 1 + r.IntN(3) {
		in.Results = append(in.Results, kb.Result{
			Date:   fmt.Sprintf("%d-%02d-%02d", min(d.year+1+k, 2025), 1+r.IntN(12), 1+r.IntN(28)),
			Figure: d.figure(),
			Note:   d.fill(pick(r, resultNoteT)),
		})
	}
	if r.Float64() < 0.8 {
		in.CostPerYear = int64(1+r.IntN(250)) * 10_000_000
	}
	for range r.IntN(3) {
		p := pick(r, d.t.partners)
		if r.Float64() < 0.4 {
			p = pick(r, generalPartners)
		}
		if !contains(in.Partners, p) {
			in.Partners = append(in.Partners, p)
		}
	}
	if r.Float64() < 0.7 {
		in.LegalBasis = []string{d.legalBasis()}
	}
	in.Prerequisites = d.sentences(prereqT, 1+r.IntN(2))
	in.Contacts = []kb.Contact{{Name: d.person(), Role: pick(r, contactRoles), Email: "inovasi@" + d.domain()}}
	if r.Float64() < 0.8 {
		in.EvidenceLevel = 1 + pickWeighted(r, []float64{30, 30, 25, 10, 5})
	}
	in.Sustainability = []string{"berlanjut", "stagnan", "berhenti"}[pickWeighted(r, []float64{70, 20, 10})]
	in.SustainabilityVerified = fmt.Sprintf("2025-%02d-%02d", 1+r.IntN(9), 1+r.IntN(28))
	if r.Float64() < 0.6 {
		in.Sources = []kb.Source{{Title: "Profil Inovasi Daerah " + d.regionTitle() + " " + strconv.Itoa(d.year),
			URL: "https://" + d.domain() + "/inovasi/" + in.Slug}}
	}
	in.Tags = d.tags()
	if r.Float64() < 0.05 {
		in.Visibility = "internal"
	}
	in.Body = d.body()
	return in
}

// Visit returns visit i of the generator's sequence, observing some of the
// given innovations (none when the list is empty).
func (g *Generator) Visit(i int, observed []*kb.Innovation) *kb.Visit {
	r := g.rng(streamVisit, i)
	d := &doc{g: g, r: r}
	d.t = g.topics[pickCDF(r, g.topicCDF)]
	host := g.regions[pickCDF(r, g.regionCDF)]
	var seen []*kb.Innovation
	if len(observed) > 0 {
		for range 1 + r.IntN(3) {
			in := observed[r.IntN(len(observed))]
			if !containsInnovation(seen, in) {
				seen = append(seen, in)
			}
		}
		for _, p := range g.regions {
			if p.code == seen[0].Region {
				host = p
				break
			}
		}
	}
	visitor := g.regions[pickCDF(r, g.regionCDF)]
	for visitor.code == host.code {
		visitor = g.regions[r.IntN(len(g.regions))]
	}
	d.region = visitor
	d.year = 2019 + r.IntN(7)
	d.agency = pick(r, d.t.agencies) + " " + d.regionTitle()
	d.name = pick(r, d.t.objs)
	hostAgency := pick(r, d.t.agencies) + " " + titleOf(host)
	vt := []string{"studi_tiru", "studi_banding", "kunjungan_kerja", "bimbingan_teknis", "lainnya"}[pickWeighted(r, []float64{40, 30, 20, 7, 3})]
	start := fmt.Sprintf("%d-%02d-%02d", d.year, 1+r.IntN(12), 1+r.IntN(26))
	end := start
	if r.Float64() < 0.5 {
		end = start[:8] + fmt.Sprintf("%02d", atoi(start[8:])+1+r.IntN(2))
	}
	label := kb.VisitTypes().Label(vt, "id")
	v := &kb.Visit{
		Slug:           slugify(label+" "+d.regionTitle()+" ke "+titleOf(host), i),
		Title:          label + " " + d.agency + " ke " + titleOf(host),
		VisitType:      vt,
		StartDate:      start,
		EndDate:        end,
		VisitorRegion:  visitor.code,
		VisitorAgency:  d.agency,
		HostRegion:     host.code,
		HostAgency:     hostAgency,
		DelegationSize: 2 + r.IntN(15),
		Delegation:     "Kepala " + pick(r, []string{"dinas", "bidang", "bagian", "seksi"}) + " dan " + strconv.Itoa(1+r.IntN(10)) + " staf",
		Purpose:        d.sentences(purposeT, 2),
		Language:       "id",
		Visibility:     "public",
	}
	var body strings.Builder
	body.WriteString("## Catatan kunjungan\n\n")
	body.WriteString(d.sentences(backgroundT, 3))
	body.WriteString("\n\n## Yang dipelajari\n\n")
	for k := range 3 {
		fmt.Fprintf(&body, "%d. %s\n", k+1, d.fill(pick(r, stepT)))
	}
	body.WriteString("\n## Rencana tindak lanjut\n\n")
	body.WriteString(d.sentences(lessonT, 2))
	v.Body = body.String()
	for _, in := range seen {
		v.Innovations = append(v.Innovations, in.Slug)
	}
	for range 1 + r.IntN(3) {
		v.PeopleMet = append(v.PeopleMet, kb.Person{Name: d.person(), Role: pick(r, contactRoles), Agency: hostAgency})
	}
	for range 1 + r.IntN(3) {
		v.FollowUps = append(v.FollowUps, kb.FollowUp{Action: d.fill(pick(r, followUpT)), Owner: "Kepala " + pick(r, []string{"Bidang", "Seksi", "Bagian"}) + " " + pick(r, d.t.objs),
			DueDate: fmt.Sprintf("%d-%02d-%02d", min(d.year+1, 2026), 1+r.IntN(12), 1+r.IntN(28)),
			Status:  []string{"terbuka", "berjalan", "selesai", "batal"}[pickWeighted(r, []float64{40, 30, 25, 5})]})
	}
	if r.Float64() < 0.1 {
		v.Visibility = "internal"
	}
	return v
}

// --- text -------------------------------------------------------------------

func (d *doc) regionTitle() string { return titleOf(d.region) }

func titleOf(p place) string {
	if p.level == kb.LevelProvince {
		return "Provinsi " + p.name
	}
	return p.name
}

// domain is the region's government web domain, e.g. banjarkab.go.id.
func (d *doc) domain() string {
	s := strings.ReplaceAll(strings.ToLower(d.region.bare), " ", "")
	switch d.region.level {
	case kb.LevelKabupaten:
		s += "kab"
	case kb.LevelProvince:
		s += "prov"
	}
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s) + ".go.id"
}

func (d *doc) stageDates(stage string) kb.StageDates {
	var sd kb.StageDates
	// Dates in order: each stage a few months to two years after the last.
	t := time.Date(d.year, time.Month(1+d.r.IntN(6)), 1+d.r.IntN(28), 0, 0, 0, 0, time.UTC)
	last := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	next := func() string {
		s := t.Format(kb.DateLayout)
		t = t.AddDate(0, 2+d.r.IntN(20), d.r.IntN(28))
		if t.After(last) {
			t = last
		}
		return s
	}
	sd.Inisiatif = next()
	if stage == "uji_coba" || stage == "penerapan" {
		sd.UjiCoba = next()
	}
	if stage == "penerapan" {
		sd.Penerapan = next()
	}
	return sd
}

// sentences fills n different templates from list and joins them.
func (d *doc) sentences(list []string, n int) string {
	used := map[int]bool{}
	var out []string
	for len(out) < n && len(used) < len(list) {
		k := d.r.IntN(len(list))
		if used[k] {
			continue
		}
		used[k] = true
		out = append(out, d.fill(list[k]))
	}
	return strings.Join(out, " ")
}

// fill expands the {X} slots of a template and capitalises the sentence.
func (d *doc) fill(tmpl string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			break
		}
		j := strings.IndexByte(tmpl[i:], '}')
		b.WriteString(tmpl[:i])
		b.WriteString(d.slot(tmpl[i+1 : i+j]))
		tmpl = tmpl[i+j+1:]
	}
	s := b.String()
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		s = string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

func (d *doc) slot(name string) string {
	r, g, t := d.r, d.g, d.t
	switch name {
	case "W": // who
		if r.Float64() < 0.55 {
			return pick(r, t.actors)
		}
		return pick(r, generalActors)
	case "O": // what
		if r.Float64() < 0.8 {
			return pick(r, t.objects)
		}
		return pick(r, generalObjects)
	case "L":
		if r.Float64() < 0.5 {
			return pick(r, t.places)
		}
		return pick(r, generalPlaces)
	case "V":
		return g.verbs[pickCDF(r, g.verbCDF)]
	case "P":
		return g.passives[pickCDF(r, g.passiveCDF)]
	case "N":
		return g.nouns[pickCDF(r, g.nounCDF)]
	case "Ag":
		return g.agents[pickCDF(r, g.agentCDF)]
	case "B":
		return g.intrans[pickCDF(r, g.intransCDF)]
	case "A":
		return g.adjs[pickCDF(r, g.adjCDF)]
	case "R":
		return d.regionTitle()
	case "Rb":
		return d.region.bare
	case "G":
		return d.agency
	case "X":
		return d.name
	case "Y":
		return strconv.Itoa(d.year)
	case "T":
		return pick(r, timePhrases)
	case "Q":
		return d.quantity()
	case "Qt": // a duration
		if r.IntN(2) == 0 {
			return strconv.Itoa(1+r.IntN(14)) + " hari"
		}
		return strconv.Itoa(2+r.IntN(10)) + " minggu"
	case "Qs": // a shorter duration
		if r.IntN(2) == 0 {
			return strconv.Itoa(1+r.IntN(48)) + " jam"
		}
		return strconv.Itoa(1+r.IntN(3)) + " hari"
	case "Qn": // a count
		return numberID(100+r.IntN(30000)) + " " + pick(r, t.objects)
	case "D":
		return "Desa " + pick(r, villageHeads) + strings.ToLower(pick(r, villageTails))
	case "M":
		return pick(r, months)
	case "Z":
		return d.person()
	case "n":
		return numberID(2 + r.IntN(60))
	case "K": // one of the topic's tags, as a plain word
		return pick(r, t.tags)
	}
	return name
}

func (d *doc) quantity() string {
	r := d.r
	switch r.IntN(6) {
	case 0:
		return strconv.Itoa(1+r.IntN(14)) + " hari kerja"
	case 1:
		return strconv.Itoa(5+r.IntN(90)) + " persen"
	case 2:
		return numberID(10+r.IntN(5000)) + " " + pick(r, []string{"warga", "orang", "keluarga", "pelaku usaha", "siswa", "peserta", "pengguna"})
	case 3:
		return strconv.Itoa(2+r.IntN(4)) + " kali lipat"
	case 4:
		return strconv.Itoa(1+r.IntN(6)) + " jam"
	default:
		return strconv.Itoa(2+r.IntN(11)) + " bulan"
	}
}

func (d *doc) figure() string {
	r := d.r
	n := numberID(20 + r.IntN(20000))
	return n + " " + pick(r, d.t.objects) + " " + pick(r, []string{"ditangani", "diterbitkan", "dilayani", "terdata", "diproses", "diselesaikan", "tercatat", "terlayani"})
}

func (d *doc) legalBasis() string {
	r := d.r
	kind := "Peraturan"
	if r.Float64() < 0.4 {
		kind = "Keputusan"
	}
	head := map[string]string{kb.LevelKabupaten: "Bupati", kb.LevelKota: "Wali Kota", kb.LevelProvince: "Gubernur"}[d.region.level]
	return fmt.Sprintf("%s %s %s Nomor %d Tahun %d tentang %s %s", kind, head, d.region.bare, 1+r.IntN(80), d.year,
		pick(r, []string{"Penyelenggaraan", "Pelaksanaan", "Pedoman", "Pengelolaan", "Penerapan"}), pick(r, d.t.objs))
}

func (d *doc) person() string {
	return pick(d.r, firstNames) + " " + pick(d.r, lastNames)
}

func (d *doc) tags() []string {
	n := 3 + d.r.IntN(4)
	var out []string
	for len(out) < n {
		var tag string
		if d.r.Float64() < 0.75 {
			tag = pick(d.r, d.t.tags)
		} else {
			tag = pick(d.r, generalTags)
		}
		if !contains(out, tag) {
			out = append(out, tag)
		}
		if len(out) >= len(d.t.tags) {
			break
		}
	}
	return out
}

func (d *doc) body() string {
	r := d.r
	var b strings.Builder
	b.WriteString("## Latar belakang\n\n")
	b.WriteString(d.sentences(backgroundT, 3))
	b.WriteString("\n\n## Cara kerja\n\n")
	for k := range 3 + r.IntN(3) {
		fmt.Fprintf(&b, "%d. %s\n", k+1, d.fill(pick(r, stepT)))
	}
	b.WriteString("\n## Hasil\n\n")
	b.WriteString(d.sentences(resultT, 2))
	b.WriteString("\n\n## Pelajaran untuk daerah lain\n\n")
	b.WriteString(d.sentences(lessonT, 2))
	return b.String()
}

// acronym makes a program name the way regions do: "Si" plus the first
// syllables of the title's main words, e.g. SIPEWA.
func acronym(r *rand.Rand, title string) string {
	var parts []string
	for _, w := range strings.Fields(title) {
		lw := strings.ToLower(w)
		if len(lw) < 3 || lw == "dan" || lw == "untuk" || lw == "bagi" || lw == "sistem" || lw == "informasi" || lw == "aplikasi" {
			continue
		}
		parts = append(parts, syllable(lw))
		if len(parts) == 3 {
			break
		}
	}
	prefix := []string{"SI", "SI", "E-", "", "GEMA ", "SAPA "}[r.IntN(6)]
	a := prefix + strings.ToUpper(strings.Join(parts, ""))
	if len(parts) == 0 || len(a) < 3 {
		a = "SIMPEL"
	}
	return a
}

// syllable returns the first consonant-vowel(-consonant) group of w.
func syllable(w string) string {
	i := 0
	for i < len(w) && !isVowel(w[i]) {
		i++
	}
	if i < len(w) {
		i++
	}
	if i < len(w) && !isVowel(w[i]) && (i+1 >= len(w) || !isVowel(w[i+1])) {
		i++
	}
	return w[:i]
}

// --- helpers ----------------------------------------------------------------

func slugify(title string, i int) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		} else {
			dash = true
		}
	}
	s := b.String()
	if len(s) > 60 {
		s = s[:60]
		if k := strings.LastIndexByte(s, '-'); k > 20 {
			s = s[:k]
		}
		s = strings.TrimRight(s, "-")
	}
	return s + "-" + strconv.Itoa(i+1)
}

// numberID writes n with Indonesian thousands separators: 1.240.
func numberID(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

func pickWeighted(r *rand.Rand, w []float64) int { return pickCDF(r, cdf(w)) }

func pickCDF(r *rand.Rand, c []float64) int {
	i := sort.SearchFloat64s(c, r.Float64())
	return min(i, len(c)-1)
}

func cdf(w []float64) []float64 {
	out := make([]float64, len(w))
	sum := 0.0
	for _, x := range w {
		sum += x
	}
	acc := 0.0
	for i, x := range w {
		acc += x / sum
		out[i] = acc
	}
	return out
}

// zipfCDF is the cumulative distribution of ranks 1..n with weight 1/k^s.
func zipfCDF(n int, s float64) []float64 {
	w := make([]float64, n)
	for k := range w {
		w[k] = 1 / math.Pow(float64(k+1), s)
	}
	return cdf(w)
}

func nonEmpty(parts ...string) []string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// sharesWord reports whether a and b have a word in common ("Bank Sampah"
// and "Sampah Organik"), which would make a title stutter.
func sharesWord(a, b string) bool {
	for _, w := range strings.Fields(a) {
		for _, v := range strings.Fields(b) {
			if strings.EqualFold(w, v) {
				return true
			}
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func containsInnovation(list []*kb.Innovation, in *kb.Innovation) bool {
	for _, x := range list {
		if x == in {
			return true
		}
	}
	return false
}

func isVowel(c byte) bool { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' }

// loadPlaces reads kabupaten, kota and provinces from the embedded
// Kemendagri list. The file is part of the binary and covered by content's
// tests, so a parse failure is a build mistake.
func loadPlaces() []place {
	rd := csv.NewReader(bytes.NewReader(content.Regions()))
	rows, err := rd.ReadAll()
	if err != nil || len(rows) < 2 {
		panic(fmt.Sprintf("synthetic: regions.csv: %v", err))
	}
	var out []place
	for _, f := range rows[1:] {
		if len(f) < 4 || f[2] == kb.LevelNational {
			continue
		}
		p := place{code: f[0], name: f[1], level: f[2], province: f[3], bare: f[1]}
		p.bare = strings.TrimPrefix(strings.TrimPrefix(p.bare, "Kabupaten "), "Kota ")
		out = append(out, p)
	}
	return out
}

// --- morphology ---------------------------------------------------------------

// lexicon is the general vocabulary by word class, most common first.
type lexicon struct {
	verbs, passives, nouns, agents, intrans []string
}

// nasal attaches the meN-/peN- prefix (base "me" or "pe") with the usual
// assimilation: lapor → melapor, tulis → menulis, sampai → menyampai,
// kelola → mengelola, proses → memproses.
func nasal(base, root string) string {
	c := root[0]
	cluster := len(root) > 1 && !isVowel(root[1])
	switch {
	case isVowel(c):
		return base + "ng" + root
	case c == 'b' || c == 'f' || c == 'v':
		return base + "m" + root
	case c == 'p':
		if cluster {
			return base + "m" + root
		}
		return base + "m" + root[1:]
	case c == 't':
		if cluster {
			return base + "n" + root
		}
		return base + "n" + root[1:]
	case c == 'd' || c == 'c' || c == 'j' || c == 'z':
		return base + "n" + root
	case c == 's':
		if cluster {
			return base + "n" + root
		}
		return base + "ny" + root[1:]
	case c == 'k':
		if cluster {
			return base + "ng" + root
		}
		return base + "ng" + root[1:]
	case c == 'g' || c == 'h':
		return base + "ng" + root
	}
	return base + root
}

func ber(root string) string {
	if root[0] == 'r' {
		return "be" + root
	}
	return "ber" + root
}

func per(root string) string {
	if root[0] == 'r' {
		return "pe" + root
	}
	return "per" + root
}

// buildLexicon derives the word forms of roots. Each entry is root:codes:
//
//	s root           n root+an        m meN-, di-       v meN- only
//	k meN-…-kan, di-…-kan             i meN-…-i, di-…-i
//	p peN-…-an       g peN- (agent)   b ber-            e ke-…-an
//	t ter-           r per-…-an
func buildLexicon() lexicon {
	var lx lexicon
	for _, e := range strings.Fields(roots) {
		root, codes, _ := strings.Cut(e, ":")
		root = strings.ReplaceAll(root, "_", " ")
		for _, c := range codes {
			switch c {
			case 's':
				lx.nouns = append(lx.nouns, root)
			case 'n':
				lx.nouns = append(lx.nouns, root+"an")
			case 'm':
				lx.verbs = append(lx.verbs, nasal("me", root))
				lx.passives = append(lx.passives, "di"+root)
			case 'v':
				lx.verbs = append(lx.verbs, nasal("me", root))
			case 'k':
				lx.verbs = append(lx.verbs, nasal("me", root)+"kan")
				lx.passives = append(lx.passives, "di"+root+"kan")
			case 'i':
				lx.verbs = append(lx.verbs, nasal("me", root)+"i")
				lx.passives = append(lx.passives, "di"+root+"i")
			case 'p':
				lx.nouns = append(lx.nouns, nasal("pe", root)+"an")
			case 'g':
				lx.agents = append(lx.agents, nasal("pe", root))
			case 'b':
				lx.intrans = append(lx.intrans, ber(root))
			case 'e':
				lx.nouns = append(lx.nouns, "ke"+root+"an")
			case 't':
				lx.passives = append(lx.passives, "ter"+root)
			case 'r':
				lx.nouns = append(lx.nouns, per(root)+"an")
			}
		}
	}
	words := func(s string) []string {
		f := strings.Fields(s)
		for i := range f {
			f[i] = strings.ReplaceAll(f[i], "_", " ")
		}
		return f
	}
	lx.verbs = append(lx.verbs, words(extraVerbs)...)
	lx.nouns = append(lx.nouns, words(extraNouns)...)
	lx.intrans = append(lx.intrans, words(extraIntrans)...)
	return lx
}

// roots is the general public-sector vocabulary, commonest first.
const roots = `
lapor:nkpg layan:nip kelola:mpg terap:kp tangan:ip pantau:mpg catat:mnp data:smpg kembang:kpg tingkat:skp
sampai:kp sedia:kp urus:mpg kumpul:kp verifikasi:sm kurang:sip manfaat:skp olah:mp kirim:mp terima:mpg
terus:k daftar:smkp bayar:mp cetak:mp serah:kp unggah:mp akses:sm periksa:mpg beri:kp bantu:mn damping:ipg
latih:mnpg sosialisasi:sk integrasi:skt hubung:knt bangun:mp guna:kpg ganti:mp capai:mp libat:kpt dukung:mng
atur:nmp susun:mp rencana:skr awas:ipg evaluasi:sm ukur:mpt hitung:mp simpan:mp cari:mp temu:kn jangkau:mt
datang:sie kunjung:ing tunggu:v antre:sn proses:sm promosi:sk pasar:kp jual:mnpg beli:mpg usaha:sbr kerja:s
didik:mpg sehat:se bersih:sek aman:sep selamat:e tertib:sep lindung:ir duduk:g izin:sr mohon:rvg baik:r
ubah:r tumbuh:r cegah:mp tanggulang:ip rekam:mp tulis:mnp baca:mng isi:mp pilih:mnp tetap:kp putus:kne
arah:kn ajak:mn undang:mn koordinasi:sk kolaborasi:sb inovasi:sb informasi:sk komunikasi:skb edukasi:sm
partisipasi:sb hasil:skb laksana:kpg tugas:skp uji:smp coba:v lanjut:kn tambah:mnp luas:r ringan:k biaya:sip
dana:sp pungut:np tagih:npv pajak:sr angkut:nmp parkir:sr ikut:i siap:kep sesuai:kp selesai:kp sederhana:kp
pangkas:m hapus:mp tolak:mp setuju:ir tanya:kr jawab:nv balas:mn respons:sv tanggap:in keluh:nv aspirasi:s
pesan:snv jelas:kp contoh:s tiru:v replikasi:sm adopsi:sm sasar:nv prioritas:sk mampu:e paham:ip sadar:e
peduli:e percaya:e puas:e butuh:ke wajib:ke tentu:kep sepakat:ie miskin:e rawan:e timbang:mp obat:sp rawat:mr
rujuk:nv tolong:r tumpuk:p buang:mp pilah:mp tanam:mp pupuk:sp alir:nk genang:n pasang:mp sambung:nkp
jaring:n terang:ke lahir:e mati:e kawin:r pindah:sr cerai:r pimpin:nvg camat:se lurah:se giat:e wilayah:s
nilai:smpg lampir:kn salin:mn tunjuk:k saji:kp rekap:smp pakai:mp tanda:i tagar:s tindak:s muat:n pulih:kp
kendali:kp kuasa:i tampung:mp tampil:kn pajang:m pegang:m jamin:nkp cair:kp salur:kp sebar:kp
`

// extra words the rules above do not derive well.
const (
	extraVerbs = `mempercepat mempermudah memperbaiki memperkuat memperluas memberdayakan memperhatikan menindaklanjuti
menyelaraskan mendigitalkan memangkas menjemput mengoptimalkan memaksimalkan memfasilitasi memastikan`
	extraNouns = `antrean tindak_lanjut petugas peserta pemberdayaan kependudukan keberhasilan keberlanjutan pembelajaran
digitalisasi transparansi akuntabilitas percepatan kemudahan efisiensi efektivitas kinerja anggaran regulasi
kebijakan pemerintah pemerintahan perangkat masyarakat pelayanan_publik tata_kelola sumber_daya kapasitas
infrastruktur jaringan_internet basis_data dasbor aplikasi sistem formulir berkas dokumen surat nomor kartu
loket kantor desa kelurahan kecamatan kabupaten kota provinsi daerah pusat rumah kampung dusun warga pegawai
aparatur pejabat kepala staf tim admin operator relawan kader mitra swasta bank perusahaan komunitas organisasi
lembaga kelembagaan dinas badan bagian bidang seksi unit program kegiatan produk dampak kualitas mutu waktu
jumlah angka target capaian indikator standar prosedur mekanisme alur tahapan jadwal laporan_berkala`
	extraIntrans = `bekerja belajar bekerja_sama berjalan berkembang berlangsung berubah bertambah berkurang meningkat menurun
tumbuh datang hadir berpartisipasi bergabung berkoordinasi berdiskusi bermusyawarah`
)

const adjectives = `cepat mudah terpadu gratis tepat akurat lengkap terbuka transparan akuntabel efektif efisien ramah aman
nyaman sederhana jelas baru mandiri berkelanjutan inklusif responsif praktis rutin berkala langsung daring luring
terjangkau layak bersih hijau produktif kreatif terpencil murah penting utama khusus umum modern tertib sehat
partisipatif kolaboratif adaptif informatif interaktif sistematis terukur lestari optimal merata`

var (
	generalActors = []string{"warga", "masyarakat", "petugas", "pegawai", "aparatur sipil negara", "perangkat desa", "ketua RT",
		"ketua RW", "lurah", "camat", "kepala desa", "tokoh masyarakat", "operator", "admin", "relawan", "pemuda", "lansia",
		"penyandang disabilitas", "pelajar", "mahasiswa", "pelaku usaha", "ibu rumah tangga", "kader PKK", "pendamping desa",
		"tenaga kontrak", "kepala seksi", "kepala bidang", "pimpinan daerah", "anggota DPRD", "pemangku kepentingan"}
	generalPlaces = []string{"kantor kecamatan", "kantor kelurahan", "balai desa", "kantor dinas", "Mal Pelayanan Publik",
		"pusat kota", "daerah terpencil", "pasar tradisional", "sekolah", "puskesmas", "ruang publik", "taman kota",
		"kantor bupati", "balai kota", "pendopo", "aula kecamatan", "rumah warga", "pos ronda", "masjid", "gereja"}
	generalObjects = []string{"data", "dokumen", "berkas", "laporan", "informasi", "formulir", "surat keterangan",
		"anggaran", "program", "kegiatan", "layanan", "pengaduan", "usulan", "permohonan", "rekomendasi"}
	timePhrases = []string{"setiap hari", "setiap minggu", "setiap bulan", "setiap tahun", "dalam satu hari", "pada akhir tahun",
		"sejak awal", "selama pandemi", "pada masa uji coba", "dalam tiga bulan pertama", "secara berkala", "pada jam kerja",
		"di luar jam kerja", "pada hari libur", "setiap triwulan", "sejak tahun lalu", "dalam waktu singkat", "tanpa harus menunggu"}
	generalPartners = []string{"PT Telkom Indonesia", "Bank Pembangunan Daerah", "BPJS Kesehatan", "BPJS Ketenagakerjaan",
		"Universitas Negeri setempat", "Kementerian Dalam Negeri", "Kementerian PANRB", "Badan Pusat Statistik",
		"PT Pos Indonesia", "Bank Rakyat Indonesia", "Tim Penggerak PKK", "Karang Taruna", "Forum CSR", "UNICEF Indonesia",
		"Kejaksaan Negeri", "Polres setempat", "Ombudsman RI Perwakilan"}
	generalTags = []string{"inovasi daerah", "pelayanan publik", "digital", "desa", "tata kelola", "partisipasi masyarakat",
		"kolaborasi", "transparansi", "efisiensi", "jemput bola", "tanpa biaya", "gratis", "smart city", "SPBE", "replikasi"}
	contactRoles = []string{"Pengelola inovasi", "Kepala bidang", "Kepala seksi", "Admin aplikasi", "Koordinator program",
		"Sekretaris dinas", "Analis kebijakan", "Pranata komputer", "Penyuluh", "Fungsional perencana"}
	months       = []string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}
	villageHeads = []string{"Suka", "Sumber", "Karang", "Tanjung", "Sido", "Mekar", "Jaya", "Banyu", "Tegal", "Rejo", "Margo",
		"Sari", "Wono", "Purwo", "Kali", "Batu", "Pasir", "Gunung", "Cibadak", "Talang", "Muara", "Lubuk", "Air", "Tanah"}
	villageTails = []string{"Maju", "Makmur", "Jaya", "Rejo", "Sari", "Mulyo", "Asri", "Harjo", "Indah", "Baru", "Mukti", "Agung",
		"Lestari", "Damai", "Sejahtera", "Raya", "Tengah", "Hilir", "Hulu", "Permai"}
	firstNames = []string{"Ahmad", "Budi", "Siti", "Dewi", "Agus", "Sri", "Rina", "Hendra", "Yusuf", "Nur", "Eko", "Wahyu",
		"Fitri", "Rahmat", "Andi", "Putu", "Made", "Ketut", "Nyoman", "Teuku", "Cut", "Muhammad", "Rizky", "Indah", "Lestari",
		"Bambang", "Joko", "Heny", "Yohanes", "Maria", "Fransiskus", "Sulastri", "Arif", "Irfan", "Dian", "Ratna", "Taufik",
		"Syamsul", "Hasanuddin", "La Ode", "Wa Ode", "Daeng", "Marthen", "Yosef", "Kadek", "Ilham", "Novi", "Yulia", "Fajar"}
	lastNames = []string{"Santoso", "Wibowo", "Hidayat", "Saputra", "Lestari", "Rahayu", "Siregar", "Nasution", "Harahap",
		"Simanjuntak", "Pratama", "Kurniawan", "Setiawan", "Gunawan", "Susanto", "Wijaya", "Rahman", "Hakim", "Syahputra",
		"Ermawati", "Purnamasari", "Handayani", "Utami", "Nugroho", "Prasetyo", "Mahendra", "Sinaga", "Pardede", "Tambunan",
		"Manurung", "Latuconsina", "Wenda", "Rumbiak", "Ginting", "Tarigan", "Hutapea", "Pane", "Lubis", "Daulay", "Batubara"}
)

// Sentence templates. {W} who, {O} what, {L} where, {V} active verb,
// {P} passive verb, {N} abstract noun, {Ag} agent noun, {B} intransitive
// verb, {A} adjective, {R} region, {Rb} region name alone, {G} agency,
// {X} the innovation's name, {Y} year started, {T} time phrase,
// {Q} quantity, {D} village, {M} month, {Z} person, {n} number, {K} a tag.
var (
	summaryT = []string{
		"{X} adalah inovasi {G} untuk {N} {O} yang lebih {A} dan {A} bagi {W} di {R}.",
		"Melalui {X}, {W} dapat {V} {O} tanpa harus datang ke {L}.",
		"Sejak {Y}, {G} {V} {O} dengan {N} yang {A}, sehingga {W} tidak lagi {B} {T}.",
		"Inovasi ini {P} oleh {G} agar {N} {O} menjadi {A} dan {A}.",
		"{X} memudahkan {W} untuk {V} {O} {T} dan memantau tindak lanjutnya secara {A}.",
		"Petugas {V} {O} langsung di {L}, sehingga waktu {N} berkurang dari {Qt} menjadi {Qs}.",
		"{G} {V} {W} dan {W} dalam {N} {O} di {n} desa dan kelurahan.",
		"Program ini menjawab masalah {N} {O} yang selama ini {P} secara manual.",
	}
	problemT = []string{
		"Sebelum ada inovasi ini, {W} harus datang ke {L} untuk mengurus {O}, dan prosesnya bisa memakan waktu {Q}.",
		"Banyak {W} di {R} belum {V} {O} karena jarak ke {L} jauh dan informasinya terbatas.",
		"Data {O} masih tersebar di beberapa perangkat daerah dan tidak {P} secara berkala.",
		"Laporan {W} tentang {O} sering tidak tercatat, sehingga {N} berjalan lambat dan tidak {A}.",
		"Jumlah {Ag} terbatas, sementara kebutuhan {N} {O} terus bertambah {T}.",
		"Antrean panjang di {L} membuat {W} enggan {V} {O} tepat waktu.",
		"{N} {O} selama ini {P} dengan kertas, sehingga sulit {P} dan rawan hilang.",
		"Hasil evaluasi {Y} menunjukkan capaian {N} {O} di {R} masih di bawah target.",
		"Koordinasi antara {G} dan {Ag} belum {A}, sehingga {O} sering terlambat {P}.",
		"Biaya perjalanan ke {L} memberatkan {W} dari {D} dan desa-desa terpencil lainnya.",
		"Masyarakat kurang mendapat informasi tentang {O}, sehingga {N} tidak merata.",
		"Pada {M} {Y} tercatat {Qn} yang belum {P}, terutama di wilayah pinggiran.",
	}
	solutionT = []string{
		"{G} {V} {X}, yaitu {N} {O} yang {A} dan dapat diakses {T}.",
		"{W} cukup {V} {O} melalui ponsel, lalu petugas {V} dan {V} dalam {Q}.",
		"Tim {Ag} mendatangi {L} dan {D} untuk {V} {O} secara langsung.",
		"Setiap {O} yang masuk {P}, diberi nomor, lalu {P} ke perangkat daerah terkait dengan batas waktu {Q}.",
		"Inovasi ini {V} {N} {O} dengan data {Ag} sehingga {N} menjadi {A}.",
		"{G} bekerja sama dengan {Ag} dan tokoh masyarakat untuk {V} {W} tentang {O}.",
		"Layanan {P} tanpa biaya dan {P} di {L} {T}.",
		"Hasil {N} {P} dalam dasbor yang dapat dipantau pimpinan daerah {T}.",
		"{W} yang {V} {O} mendapat tanda terima dan dapat melihat status {N} {T}.",
		"Petugas dilatih untuk {V} {O} dengan prosedur yang {A} dan {A}.",
		"Kader dan relawan di {D} {P} untuk {V} {W} yang belum terjangkau.",
	}
	backgroundT = []string{
		"Pada {Y}, {G} mencatat banyak keluhan {W} tentang {N} {O}.",
		"Gagasan {X} muncul dari {Ag} yang melihat {W} harus {B} berjam-jam di {L}.",
		"Kepala daerah meminta agar {N} {O} {P} lebih {A}, terutama bagi {W} di {D}.",
		"Sebelumnya {O} {P} secara manual dan {N} tidak {A}.",
		"Inovasi ini mulai {P} di {n} kecamatan sebelum {P} ke seluruh {R}.",
		"Menurut {Z}, {Ag} di {G}, {N} {O} adalah masalah yang paling sering {P} warga.",
		"Uji coba {P} pada {M} {Y} dengan melibatkan {W} dan {W}.",
		"Anggaran awal berasal dari APBD dan dukungan {Ag}, dan kini {P} setiap tahun.",
		"Kebutuhan {N} makin besar setelah jumlah {O} naik {Q} dalam dua tahun.",
	}
	stepT = []string{
		"{W} {V} {O} melalui aplikasi atau datang ke {L}.",
		"Petugas {V} kelengkapan {O} dalam {Q}.",
		"{O} yang lengkap {P} dan {P} kepada {W}.",
		"Admin {V} laporan ke perangkat daerah terkait dan memantau tindak lanjutnya.",
		"{Ag} {V} {W} di {D} {T}.",
		"Hasil {N} {P} di dasbor dan {P} kepada pimpinan {T}.",
		"{W} menerima pemberitahuan ketika {O} selesai {P}.",
		"Tim {V} data {O} dengan data kependudukan agar tidak ganda.",
		"{G} {V} evaluasi {T} bersama {Ag}.",
		"Keluhan yang belum selesai {P} kembali dalam rapat koordinasi {T}.",
	}
	resultT = []string{
		"Sejak {Y}, lebih dari {Qn} telah {P} melalui {X}.",
		"Waktu {N} {O} turun dari {Qt} menjadi {Qs}.",
		"Tingkat kepuasan {W} naik menjadi {n} persen berdasarkan survei {Y}.",
		"Inovasi ini meraih penghargaan dalam Innovative Government Award dan {P} oleh daerah lain.",
		"Jumlah {O} yang {P} {T} meningkat {Q}.",
		"Biaya {N} berkurang karena {W} tidak perlu datang ke {L}.",
	}
	resultNoteT = []string{
		"Data {G} per {M}.",
		"Angka dari laporan kinerja {G}.",
		"Dihitung dari dasbor {X}.",
		"Disampaikan {Ag} saat evaluasi tahunan.",
		"Hasil survei kepuasan {W}.",
	}
	lessonT = []string{
		"Daerah yang ingin meniru perlu menyiapkan {Ag} yang {V} {O} {T}.",
		"Dukungan pimpinan daerah dan peraturan kepala daerah membuat {N} tetap berjalan setelah uji coba.",
		"Libatkan {W} sejak awal agar {N} {O} diterima dan dipakai.",
		"Mulailah dari {n} desa atau kelurahan, lalu perluas setelah prosedurnya {A}.",
		"Biaya terbesar ada pada {N} dan honor {Ag}, bukan pada aplikasinya.",
		"Integrasi dengan data kependudukan sebaiknya {P} sejak awal.",
		"Sosialisasi lewat media sosial, radio dan tokoh masyarakat terbukti {A}.",
	}
	prereqT = []string{
		"{Ag} yang {V} {O} {T}.",
		"Anggaran untuk {N} dan pemeliharaan sekitar Rp {n} juta per tahun.",
		"Peraturan kepala daerah sebagai dasar {N} {O}.",
		"Jaringan internet yang {A} di {L}.",
		"Kesepakatan dengan perangkat daerah lain tentang tindak lanjut dan tenggat.",
	}
	purposeT = []string{
		"Mempelajari {N} {O} yang {P} {G}.",
		"Melihat langsung cara {W} {V} {O} di {L}.",
		"Menggali pengalaman {Ag} dalam {N} {O} untuk diterapkan di {R}.",
		"Membahas kemungkinan kerja sama {N} antara kedua daerah.",
	}
	followUpT = []string{
		"Menyusun kajian {N} {O} untuk {R}",
		"Menyiapkan rancangan peraturan kepala daerah tentang {O}",
		"Mengusulkan anggaran {N} dalam APBD perubahan",
		"Melatih {Ag} tentang {N} {O}",
		"Menghubungi {Ag} tuan rumah untuk meminta dokumen {O}",
	}
)

// topics lists the fields of innovation, the commonest first.
func topics() []*topic {
	l := func(s string) []string { return strings.Split(s, "|") }
	return []*topic{
		{key: "pengaduan", urusan: "2.16", related: l("5.05|2.20"), weight: 9, digital: 0.8,
			agencies: l("Dinas Komunikasi dan Informatika|Diskominfo|Bagian Organisasi Sekretariat Daerah|Inspektorat Daerah"),
			heads:    l("Aplikasi|Sistem Informasi|Layanan Online|Kanal|Pusat|Gerakan|Portal|Lapor"),
			objs:     l("Pengaduan Warga|Pengaduan Masyarakat|Laporan Masyarakat|Aspirasi Warga|Keluhan Pelayanan Publik|Jalan Rusak|Suara Warga|Pengaduan Terpadu"),
			quals:    l("||Online|Terpadu|24 Jam|Satu Pintu|Cepat Tanggap|Digital"),
			objects:  l("pengaduan warga|laporan masyarakat|keluhan|aduan|aspirasi warga|laporan jalan rusak|pengaduan pelayanan publik|laporan lampu jalan mati|keluhan sampah|laporan warga"),
			actors:   l("pelapor|admin pengaduan|pejabat penghubung|operator SP4N-LAPOR|warga pelapor|tim tindak lanjut"),
			places:   l("media sosial|WhatsApp|call center 112|balai kota|kanal pengaduan|aplikasi di ponsel"),
			tags:     l("pengaduan|aduan|keluhan|laporan warga|aspirasi|aplikasi|complaint|SP4N-LAPOR|layanan publik"),
			partners: l("Ombudsman RI Perwakilan|SP4N-LAPOR KemenPAN-RB|PT Telkom Indonesia|Polres setempat")},
		{key: "kependudukan", urusan: "2.12", related: l("1.06|2.16"), weight: 8, digital: 0.4,
			agencies: l("Dinas Kependudukan dan Pencatatan Sipil|Disdukcapil"),
			heads:    l("Jemput Bola|Layanan|Dukcapil|Gerai|Aplikasi|Pelayanan|Sistem Informasi|Gerakan"),
			objs:     l("Perekaman KTP Elektronik|Akta Kelahiran|Kartu Identitas Anak|Kartu Keluarga|Administrasi Kependudukan|Akta Kematian|Dokumen Kependudukan|Identitas Kependudukan Digital"),
			quals:    l("||Keliling|Tanpa Antre|Online|di Sekolah|Desa|Sehari Jadi|Terintegrasi"),
			objects:  l("KTP elektronik|akta kelahiran|kartu keluarga|kartu identitas anak|akta kematian|dokumen kependudukan|perekaman KTP|kartu tanda penduduk|surat pindah|identitas kependudukan digital|NIK"),
			actors:   l("pemohon|petugas Dukcapil|operator desa|orang tua bayi|siswa wajib KTP|penduduk lansia"),
			places:   l("kantor Disdukcapil|Mal Pelayanan Publik|sekolah|rumah sakit|kantor desa|anjungan dukcapil mandiri"),
			tags:     l("KTP|e-KTP|adminduk|dukcapil|akta kelahiran|kartu keluarga|jemput bola|antrean|kependudukan"),
			partners: l("Ditjen Dukcapil Kemendagri|PT Pos Indonesia|Rumah Sakit Umum Daerah|Pengadilan Agama")},
		{key: "kesehatan", urusan: "1.02", related: l("2.14|1.06"), weight: 8, digital: 0.3,
			agencies: l("Dinas Kesehatan|Puskesmas|Rumah Sakit Umum Daerah"),
			heads:    l("Posyandu|Gerakan|Layanan|Rumah|Klinik|Aplikasi|Sistem Informasi|Pojok|Ambulans"),
			objs:     l("Cegah Stunting|Gizi Balita|Ibu Hamil Sehat|Kesehatan Lansia|Imunisasi Anak|Kesehatan Jiwa|Remaja Sehat|Sanitasi|Rujukan Terintegrasi"),
			quals:    l("||Keliling|Terpadu|Desa|Gratis|Digital|Ramah Anak|Bergerak"),
			objects:  l("stunting|gizi buruk|imunisasi|pemeriksaan ibu hamil|penimbangan balita|rujukan pasien|posyandu|obat|pemeriksaan kesehatan|data balita|tekanan darah|kesehatan lansia|tengkes"),
			actors:   l("kader posyandu|bidan desa|ibu hamil|balita|tenaga kesehatan|dokter puskesmas|pasien|perawat|ahli gizi"),
			places:   l("puskesmas|posyandu|rumah sakit|puskesmas pembantu|polindes|rumah warga"),
			tags:     l("kesehatan|stunting|posyandu|puskesmas|gizi|ibu hamil|balita|imunisasi|tengkes"),
			partners: l("BPJS Kesehatan|UNICEF Indonesia|Tim Penggerak PKK|Ikatan Bidan Indonesia")},
		{key: "sampah", urusan: "2.11", related: l("1.03|2.13"), weight: 6, digital: 0.25,
			agencies: l("Dinas Lingkungan Hidup|Dinas Lingkungan Hidup dan Kebersihan"),
			heads:    l("Bank Sampah|Gerakan|Kampung|Sedekah|Aplikasi|Rumah|Sekolah|Pasar"),
			objs:     l("Sampah Plastik|Pilah Sampah|Daur Ulang|Kompos Rumah Tangga|Sampah Organik|Bebas Sampah|Adiwiyata|Minyak Jelantah"),
			quals:    l("||Digital|Mandiri|Berbasis Masyarakat|Desa|Hijau|Terpadu|Bersih"),
			objects:  l("sampah|sampah plastik|sampah organik|bank sampah|kompos|daur ulang|tempat pembuangan sementara|sampah rumah tangga|minyak jelantah|retribusi sampah"),
			actors:   l("nasabah bank sampah|pengurus bank sampah|petugas kebersihan|pemulung|pengepul|siswa adiwiyata"),
			places:   l("tempat pembuangan sementara|TPA|bank sampah unit|sungai|rumah kompos|pasar"),
			tags:     l("sampah|bank sampah|lingkungan|daur ulang|plastik|kompos|kebersihan|waste"),
			partners: l("Kementerian Lingkungan Hidup|komunitas peduli sampah|pengepul lokal|Bank Sampah Induk")},
		{key: "pendidikan", urusan: "1.01", related: l("2.23|2.19"), weight: 6, digital: 0.35,
			agencies: l("Dinas Pendidikan|Dinas Pendidikan dan Kebudayaan"),
			heads:    l("Gerakan|Sekolah|Beasiswa|Kelas|Aplikasi|Rumah|Program|Guru"),
			objs:     l("Literasi Anak|Anak Putus Sekolah|Siswa Miskin|Belajar Daring|Penguatan Karakter|Calistung|Pendidikan Inklusif|Guru Penggerak"),
			quals:    l("||Keliling|Gratis|Desa|Digital|Terpadu|Inklusif|Ramah Anak"),
			objects:  l("beasiswa|anak putus sekolah|literasi|kegiatan belajar|rapor|penerimaan peserta didik baru|seragam sekolah|buku pelajaran|kompetensi guru|bimbingan belajar"),
			actors:   l("siswa|guru|kepala sekolah|orang tua murid|pengawas sekolah|anak putus sekolah|tutor"),
			places:   l("sekolah|sekolah dasar|madrasah|taman baca|rumah belajar|pusat kegiatan belajar masyarakat"),
			tags:     l("pendidikan|sekolah|beasiswa|literasi|guru|siswa|putus sekolah|education"),
			partners: l("Kementerian Pendidikan|Tanoto Foundation|perguruan tinggi setempat|Baznas")},
		{key: "perizinan", urusan: "2.18", related: l("2.17|1.03"), weight: 5, digital: 0.7,
			agencies: l("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu|DPMPTSP"),
			heads:    l("Layanan|Sistem Informasi|Aplikasi|Klinik|Gerai|Perizinan|Mal Pelayanan Publik"),
			objs:     l("Perizinan Online|Izin Usaha|Persetujuan Bangunan Gedung|Nomor Induk Berusaha|Izin Praktik|Investasi|Perizinan Berusaha"),
			quals:    l("||Satu Pintu|Tanpa Tatap Muka|Sehari Jadi|Terpadu|Cepat|Online|Keliling"),
			objects:  l("izin usaha|perizinan|Nomor Induk Berusaha|persetujuan bangunan gedung|izin praktik|izin reklame|permohonan izin|berkas perizinan|rekomendasi teknis|OSS"),
			actors:   l("pemohon izin|pelaku usaha|investor|petugas front office|tim teknis|pengembang perumahan"),
			places:   l("Mal Pelayanan Publik|kantor DPMPTSP|gerai perizinan|loket pelayanan"),
			tags:     l("perizinan|izin|PTSP|MPP|OSS|investasi|permit|pelayanan terpadu satu pintu"),
			partners: l("Kementerian Investasi/BKPM|Bank Pembangunan Daerah|Kementerian PANRB")},
		{key: "umkm", urusan: "2.17", related: l("3.30|3.31"), weight: 5, digital: 0.45,
			agencies: l("Dinas Koperasi dan Usaha Mikro|Dinas Koperasi, UKM dan Perdagangan"),
			heads:    l("Pasar|Gerai|Rumah|Klinik|Aplikasi|Program|Kampung|Galeri"),
			objs:     l("UMKM Naik Kelas|Produk Lokal|Usaha Mikro|Kredit Usaha Rakyat|Pemasaran Digital|Kemasan Produk|Wirausaha Muda|Koperasi Sehat"),
			quals:    l("||Digital|Online|Desa|Mandiri|Terpadu|Kreatif|Go Digital"),
			objects:  l("produk UMKM|usaha mikro|pemasaran digital|modal usaha|kredit usaha rakyat|sertifikasi halal|kemasan produk|koperasi|pelatihan kewirausahaan|katalog produk"),
			actors:   l("pelaku UMKM|perajin|pedagang|wirausaha muda|pengurus koperasi|pendamping UMKM"),
			places:   l("pasar|galeri UMKM|lokapasar|pusat oleh-oleh|rumah produksi"),
			tags:     l("UMKM|usaha mikro|koperasi|pemasaran|ekonomi|kewirausahaan|produk lokal|small business"),
			partners: l("Bank Rakyat Indonesia|Shopee|Tokopedia|Bank Indonesia|Kementerian Koperasi")},
		{key: "pertanian", urusan: "3.27", related: l("2.09|3.25"), weight: 4, digital: 0.25,
			agencies: l("Dinas Pertanian|Dinas Pertanian dan Pangan|Dinas Ketahanan Pangan"),
			heads:    l("Sekolah|Kartu|Gerakan|Aplikasi|Klinik|Kebun|Lumbung|Taman"),
			objs:     l("Tani Digital|Pupuk Bersubsidi|Pertanian Organik|Petani Milenial|Pangan Lokal|Irigasi Desa|Pekarangan Pangan"),
			quals:    l("||Terpadu|Mandiri|Berbasis Desa|Digital|Lestari|Sejahtera"),
			objects:  l("pupuk bersubsidi|benih|hasil panen|irigasi|alat mesin pertanian|hama|lahan sawah|harga gabah|cadangan pangan|kelompok tani"),
			actors:   l("petani|kelompok tani|penyuluh pertanian|petani milenial|gapoktan|pedagang gabah"),
			places:   l("sawah|balai penyuluhan pertanian|lumbung pangan|kebun|gudang pupuk"),
			tags:     l("pertanian|petani|pupuk|pangan|penyuluhan|irigasi|agriculture"),
			partners: l("Kementerian Pertanian|PT Pupuk Indonesia|Bulog|Institut Pertanian")},
		{key: "sosial", urusan: "1.06", related: l("2.12|2.08"), weight: 4, digital: 0.35,
			agencies: l("Dinas Sosial|Dinas Sosial dan Pemberdayaan Masyarakat"),
			heads:    l("Layanan|Rumah|Gerakan|Aplikasi|Sistem Informasi|Kartu|Program"),
			objs:     l("Bantuan Sosial Tepat Sasaran|Data Terpadu Kesejahteraan Sosial|Lansia Terlantar|Penyandang Disabilitas|Keluarga Miskin|Rehabilitasi Sosial"),
			quals:    l("||Terpadu|Tepat Sasaran|Desa|Inklusif|Peduli"),
			objects:  l("bantuan sosial|bansos|data kesejahteraan sosial|keluarga penerima manfaat|lansia terlantar|penyandang disabilitas|kartu sembako|rehabilitasi sosial|data kemiskinan"),
			actors:   l("penerima bantuan|pendamping PKH|pekerja sosial|lansia|penyandang disabilitas|keluarga miskin"),
			places:   l("panti sosial|kantor desa|rumah penerima bantuan|pusat layanan sosial"),
			tags:     l("bansos|bantuan sosial|kemiskinan|DTKS|disabilitas|lansia|sosial"),
			partners: l("Kementerian Sosial|Baznas|PT Pos Indonesia|Dompet Dhuafa")},
		{key: "perhubungan", urusan: "2.15", related: l("1.03|3.26"), weight: 3, digital: 0.5,
			agencies: l("Dinas Perhubungan"),
			heads:    l("Aplikasi|Sistem|Layanan|Bus|Angkutan|Gerakan|Parkir"),
			objs:     l("Parkir Elektronik|Angkutan Sekolah|Lalu Lintas Terpadu|Uji Kendaraan Bermotor|Angkutan Desa|Keselamatan Jalan"),
			quals:    l("||Gratis|Terpadu|Online|Pintar|Non Tunai"),
			objects:  l("parkir|angkutan umum|lalu lintas|uji kendaraan|rambu jalan|angkutan sekolah|retribusi parkir|halte|kemacetan"),
			actors:   l("juru parkir|sopir angkot|penumpang|penguji kendaraan|petugas Dishub"),
			places:   l("terminal|halte|jalan protokol|persimpangan|tempat parkir"),
			tags:     l("transportasi|angkutan|parkir|lalu lintas|perhubungan|transport"),
			partners: l("Kementerian Perhubungan|Jasa Raharja|Polres setempat|PT Telkom Indonesia")},
		{key: "pu", urusan: "1.03", related: l("2.11|1.04"), weight: 3, digital: 0.3,
			agencies: l("Dinas Pekerjaan Umum dan Penataan Ruang|Dinas PUPR|Dinas Sumber Daya Air"),
			heads:    l("Aplikasi|Gerakan|Sistem Informasi|Layanan|Program|Lapor"),
			objs:     l("Jalan Rusak|Air Bersih|Drainase Perkotaan|Jembatan Desa|Sanitasi Layak|Penerangan Jalan|Tata Ruang"),
			quals:    l("||Cepat Tanggap|Terpadu|Desa|Online|Mandiri"),
			objects:  l("jalan rusak|jalan berlubang|air bersih|saluran drainase|jembatan|penerangan jalan umum|tata ruang|genangan air|sambungan air minum"),
			actors:   l("tim reaksi cepat|pengawas lapangan|kontraktor|warga sekitar|petugas PUPR"),
			places:   l("jalan kabupaten|saluran irigasi|jembatan|permukiman|bantaran sungai"),
			tags:     l("jalan rusak|infrastruktur|air bersih|drainase|pekerjaan umum|pothole"),
			partners: l("Kementerian PUPR|PDAM|Balai Besar Wilayah Sungai")},
		{key: "pajak", urusan: "5.02", related: l("2.16|5.01"), weight: 3, digital: 0.7,
			agencies: l("Badan Pendapatan Daerah|Bapenda|Badan Keuangan Daerah"),
			heads:    l("Aplikasi|Layanan|Sistem|Gerai|Pembayaran|Gerakan"),
			objs:     l("Pajak Daerah|Pajak Bumi dan Bangunan|Retribusi Daerah|Pembayaran Non Tunai|Pajak Restoran|Sadar Pajak"),
			quals:    l("||Online|Non Tunai|Terpadu|Keliling|Digital"),
			objects:  l("pajak daerah|pajak bumi dan bangunan|retribusi|tagihan pajak|pembayaran non tunai|wajib pajak|pendapatan asli daerah|kode bayar"),
			actors:   l("wajib pajak|petugas pemungut|juru tagih|pengusaha restoran|bendahara"),
			places:   l("kantor Bapenda|gerai pajak|bank|minimarket|kantor desa"),
			tags:     l("pajak|retribusi|PBB|PAD|non tunai|tax|keuangan daerah"),
			partners: l("Bank Pembangunan Daerah|PT Pos Indonesia|Bank Rakyat Indonesia|Komisi Pemberantasan Korupsi")},
		{key: "kepegawaian", urusan: "5.03", related: l("5.04|6.01"), weight: 2, digital: 0.8,
			agencies: l("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia|BKPSDM"),
			heads:    l("Aplikasi|Sistem Informasi|Layanan|Sekolah|Program"),
			objs:     l("Kinerja ASN|Presensi Pegawai|Kenaikan Pangkat|Manajemen Talenta|Pelatihan Aparatur"),
			quals:    l("||Online|Terpadu|Digital|Mandiri"),
			objects:  l("presensi pegawai|kinerja ASN|kenaikan pangkat|cuti pegawai|data kepegawaian|pelatihan aparatur|tunjangan kinerja"),
			actors:   l("ASN|pegawai negeri sipil|pengelola kepegawaian|atasan langsung|PPPK"),
			places:   l("kantor BKPSDM|ruang kerja|kantor dinas"),
			tags:     l("ASN|kepegawaian|kinerja|presensi|PNS|civil servant"),
			partners: l("Badan Kepegawaian Negara|Lembaga Administrasi Negara")},
		{key: "perencanaan", urusan: "5.01", related: l("2.20|5.05"), weight: 2, digital: 0.6,
			agencies: l("Badan Perencanaan Pembangunan Daerah|Bappeda|Bappedalitbang"),
			heads:    l("Sistem Informasi|Aplikasi|Forum|Dasbor|Gerakan"),
			objs:     l("Musrenbang|Perencanaan Pembangunan|Satu Data|Usulan Warga|Evaluasi Pembangunan"),
			quals:    l("||Online|Partisipatif|Terpadu|Desa"),
			objects:  l("usulan musrenbang|rencana kerja|data pembangunan|indikator kinerja|dokumen perencanaan|pokok pikiran DPRD|satu data"),
			actors:   l("perencana|peserta musrenbang|anggota DPRD|kepala desa|tim anggaran"),
			places:   l("forum musrenbang|kantor Bappeda|balai desa"),
			tags:     l("perencanaan|musrenbang|Bappeda|satu data|pembangunan"),
			partners: l("Kementerian PPN/Bappenas|Badan Pusat Statistik|perguruan tinggi setempat")},
		{key: "pariwisata", urusan: "3.26", related: l("2.22|2.17"), weight: 2, digital: 0.3,
			agencies: l("Dinas Pariwisata|Dinas Pariwisata dan Kebudayaan"),
			heads:    l("Desa Wisata|Festival|Kampung|Aplikasi|Paket|Galeri"),
			objs:     l("Wisata Alam|Budaya Lokal|Kuliner Khas|Homestay Warga|Ekowisata|Wisata Religi"),
			quals:    l("||Berkelanjutan|Digital|Mandiri|Hijau"),
			objects:  l("desa wisata|homestay|kunjungan wisatawan|paket wisata|atraksi budaya|kuliner khas|pemandu wisata|promosi wisata"),
			actors:   l("wisatawan|pengelola desa wisata|pemandu wisata|kelompok sadar wisata|pelaku seni"),
			places:   l("desa wisata|pantai|air terjun|kawasan wisata|alun-alun"),
			tags:     l("pariwisata|desa wisata|budaya|wisata|tourism|ekowisata"),
			partners: l("Kementerian Pariwisata|Pokdarwis|asosiasi biro perjalanan")},
		{key: "desa", urusan: "2.13", related: l("5.02|2.17"), weight: 3, digital: 0.45,
			agencies: l("Dinas Pemberdayaan Masyarakat dan Desa|DPMD"),
			heads:    l("Sistem Informasi|Sekolah|Gerakan|Aplikasi|Program|Klinik"),
			objs:     l("Desa Digital|Dana Desa|BUMDes|Aparatur Desa|Keuangan Desa|Desa Mandiri"),
			quals:    l("||Transparan|Mandiri|Terpadu|Berdaya"),
			objects:  l("dana desa|BUMDes|keuangan desa|aparatur desa|profil desa|APBDes|musyawarah desa|peraturan desa"),
			actors:   l("kepala desa|perangkat desa|pendamping desa|pengurus BUMDes|Badan Permusyawaratan Desa"),
			places:   l("balai desa|kantor desa|dusun|kecamatan"),
			tags:     l("desa|dana desa|BUMDes|pemberdayaan|village"),
			partners: l("Kementerian Desa|pendamping desa profesional|Bank Pembangunan Daerah")},
		{key: "bencana", urusan: "1.05", related: l("2.11|1.03"), weight: 2, digital: 0.4,
			agencies: l("Badan Penanggulangan Bencana Daerah|BPBD|Satuan Polisi Pamong Praja|Dinas Pemadam Kebakaran"),
			heads:    l("Sistem|Desa|Gerakan|Aplikasi|Sekolah|Tim"),
			objs:     l("Peringatan Dini Banjir|Tangguh Bencana|Siaga Kebakaran|Relawan Bencana|Tanggap Darurat"),
			quals:    l("||Terpadu|Cepat Tanggap|Desa|24 Jam"),
			objects:  l("banjir|kebakaran|tanah longsor|peringatan dini|evakuasi|posko bencana|logistik bencana|jalur evakuasi"),
			actors:   l("relawan|petugas BPBD|pemadam kebakaran|warga terdampak|Satpol PP"),
			places:   l("posko bencana|bantaran sungai|daerah rawan banjir|pos pemadam"),
			tags:     l("bencana|banjir|kebakaran|BPBD|tanggap darurat|flood"),
			partners: l("BNPB|BMKG|Palang Merah Indonesia|Basarnas")},
		{key: "anak", urusan: "2.08", related: l("1.06|1.02"), weight: 2, digital: 0.25,
			agencies: l("Dinas Pemberdayaan Perempuan dan Perlindungan Anak|DP3A"),
			heads:    l("Rumah|Layanan|Gerakan|Forum|Pusat|Sekolah"),
			objs:     l("Perlindungan Anak|Kota Layak Anak|Perempuan Berdaya|Cegah Perkawinan Anak|Pengasuhan Positif"),
			quals:    l("||Terpadu|Ramah Anak|Desa|Aman"),
			objects:  l("kekerasan terhadap anak|perkawinan anak|pengasuhan anak|perlindungan perempuan|korban kekerasan|forum anak"),
			actors:   l("anak|perempuan|korban kekerasan|konselor|forum anak|orang tua"),
			places:   l("rumah aman|pusat pembelajaran keluarga|sekolah|ruang bermain ramah anak"),
			tags:     l("perlindungan anak|perempuan|kota layak anak|kekerasan|gender"),
			partners: l("UNICEF Indonesia|Kementerian PPPA|lembaga bantuan hukum")},
		{key: "perpustakaan", urusan: "2.23", related: l("1.01|2.22"), weight: 1, digital: 0.4,
			agencies: l("Dinas Perpustakaan dan Kearsipan|Dinas Perpustakaan"),
			heads:    l("Perpustakaan|Pojok Baca|Gerakan|Mobil|Aplikasi"),
			objs:     l("Keliling|Digital|Gemar Membaca|Literasi Desa"),
			quals:    l("||Desa|Keliling|Digital"),
			objects:  l("buku|koleksi buku|minat baca|perpustakaan desa|buku digital|arsip daerah"),
			actors:   l("pustakawan|pembaca|pegiat literasi|anak sekolah"),
			places:   l("perpustakaan daerah|taman baca|pojok baca"),
			tags:     l("perpustakaan|literasi|membaca|buku"),
			partners: l("Perpustakaan Nasional|komunitas literasi")},
		{key: "tenagakerja", urusan: "2.07", related: l("2.17|5.04"), weight: 1, digital: 0.5,
			agencies: l("Dinas Tenaga Kerja|Dinas Tenaga Kerja dan Transmigrasi"),
			heads:    l("Bursa|Aplikasi|Balai|Layanan|Program"),
			objs:     l("Kerja Online|Pelatihan Kerja|Pencari Kerja|Pekerja Migran|Kartu Kuning Online"),
			quals:    l("||Online|Terpadu|Gratis"),
			objects:  l("lowongan kerja|pencari kerja|kartu kuning|pelatihan kerja|pekerja migran|sertifikasi kompetensi"),
			actors:   l("pencari kerja|pekerja|perusahaan|instruktur|calon pekerja migran"),
			places:   l("balai latihan kerja|bursa kerja|kantor Disnaker"),
			tags:     l("tenaga kerja|lowongan|pelatihan kerja|pengangguran"),
			partners: l("BPJS Ketenagakerjaan|Kementerian Ketenagakerjaan|BP2MI")},
		{key: "wifi", urusan: "2.16", related: l("2.13|1.01"), weight: 2, digital: 0.95,
			agencies: l("Dinas Komunikasi dan Informatika|Diskominfo|Dinas Komunikasi, Informatika, Statistik dan Persandian"),
			heads:    l("Wifi|Internet|Desa|Taman|Kampung|Layanan"),
			objs:     l("Publik Gratis|Gratis Ruang Publik|Digital|Internet Desa|Hotspot Kelurahan"),
			quals:    l("||Gratis|Merata|Terpadu"),
			objects:  l("wifi publik|internet gratis|hotspot|titik akses internet|jaringan internet|bandwidth|menara telekomunikasi"),
			actors:   l("pengguna internet|pelajar|pelaku usaha|teknisi jaringan|pengelola taman"),
			places:   l("taman kota|ruang publik|balai desa|alun-alun|perpustakaan"),
			tags:     l("wifi|internet gratis|hotspot|internet|ruang publik|free wifi"),
			partners: l("PT Telkom Indonesia|BAKTI Kominfo|penyedia jasa internet lokal")},
		{key: "statistik", urusan: "2.20", related: l("5.01|2.16"), weight: 1, digital: 0.95,
			agencies: l("Dinas Komunikasi, Informatika, Statistik dan Persandian|Diskominfo|Bappeda"),
			heads:    l("Portal|Dasbor|Aplikasi|Sistem Informasi"),
			objs:     l("Satu Data|Data Sektoral|Statistik Desa|Indikator Daerah"),
			quals:    l("||Terpadu|Terbuka|Online"),
			objects:  l("data sektoral|satu data|statistik sektoral|metadata|portal data|dasbor pimpinan"),
			actors:   l("walidata|produsen data|statistisi|pengguna data"),
			places:   l("portal data|ruang kendali|pusat data"),
			tags:     l("satu data|statistik|data|dasbor|keterbukaan informasi"),
			partners: l("Badan Pusat Statistik|Kementerian Kominfo")},
	}
}
