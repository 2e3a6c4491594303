package kb

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits on free text, chosen so that a real write-up always fits and a
// pasted file or an attack does not.
const (
	MaxTitle   = 200
	MaxSummary = 1000
	MaxText    = 20000   // problem, solution, prerequisites, purpose
	MaxBody    = 1 << 20 // Markdown write-ups and trip notes
	MaxList    = 200     // items in one list field
	MaxShort   = 300     // names, roles, tags, list items
)

var slugRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Result is one dated figure showing what an innovation achieved.
type Result struct {
	Date   string `json:"date,omitempty"`
	Figure string `json:"figure"`
	Note   string `json:"note,omitempty"`
}

// Contact is a person to ask about an innovation.
type Contact struct {
	Name  string `json:"name"`
	Role  string `json:"role,omitempty"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// Source is where a fact came from.
type Source struct {
	Title string `json:"title"`
	URL   string `json:"url,omitempty"`
}

// StageDates gives when an innovation entered each IGA stage.
type StageDates struct {
	Inisiatif string `json:"inisiatif,omitempty"`
	UjiCoba   string `json:"uji_coba,omitempty"`
	Penerapan string `json:"penerapan,omitempty"`
}

// Innovation is one region's practice, with an IGA-compatible profile. The
// JSON form is the import/export format (docs/format.md).
type Innovation struct {
	Slug                   string     `json:"slug"`
	Title                  string     `json:"title"`
	Region                 string     `json:"region"`
	RegionCode             string     `json:"region_code,omitempty"` // accepted on input only
	Agency                 string     `json:"agency,omitempty"`
	Urusan                 string     `json:"urusan,omitempty"`
	UrusanRelated          []string   `json:"urusan_related,omitempty"`
	Stage                  string     `json:"stage,omitempty"`
	StageDates             StageDates `json:"stage_dates,omitzero"`
	InnovationType         string     `json:"innovation_type,omitempty"`
	Form                   string     `json:"form,omitempty"`
	Initiator              string     `json:"initiator,omitempty"`
	YearStarted            int        `json:"year_started,omitempty"`
	Summary                string     `json:"summary,omitempty"`
	Problem                string     `json:"problem,omitempty"`
	Solution               string     `json:"solution,omitempty"`
	Results                []Result   `json:"results,omitempty"`
	CostPerYear            int64      `json:"cost_per_year,omitempty"`
	Partners               []string   `json:"partners,omitempty"`
	LegalBasis             []string   `json:"legal_basis,omitempty"`
	Prerequisites          string     `json:"prerequisites,omitempty"`
	Contacts               []Contact  `json:"contacts,omitempty"`
	EvidenceLevel          int        `json:"evidence_level,omitempty"`
	Sustainability         string     `json:"sustainability,omitempty"`
	SustainabilityVerified string     `json:"sustainability_verified,omitempty"`
	Sources                []Source   `json:"sources,omitempty"`
	Tags                   []string   `json:"tags,omitempty"`
	Language               string     `json:"language,omitempty"`
	Visibility             string     `json:"visibility,omitempty"`
	Body                   string     `json:"body,omitempty"`
}

// EvidenceLevels describes the 1–5 evidence scale.
func EvidenceLevels() []Text {
	return []Text{
		{ID: "Deskripsi saja", EN: "Description only"},
		{ID: "Ada data keluaran", EN: "Output data"},
		{ID: "Ada data hasil terukur", EN: "Measured outcomes"},
		{ID: "Dievaluasi pihak lain", EN: "Independently evaluated"},
		{ID: "Sudah direplikasi daerah lain", EN: "Already replicated elsewhere"},
	}
}

// Validate checks and normalises the innovation in place: taxonomy values
// become keys, regions become codes, urusan become codes, text is trimmed.
// It reports every problem at once.
func (in *Innovation) Validate(ref Reference) error {
	v := &ValidationError{}
	checkSlug(v, &in.Slug)
	checkText(v, "title", &in.Title, MaxTitle, true)
	if in.Region == "" {
		in.Region = in.RegionCode
	}
	in.RegionCode = ""
	ref.Regions.normalize(v, "region", &in.Region, true)
	checkLine(v, "agency", &in.Agency, MaxShort, false)
	ref.Urusan.normalize(v, "urusan", &in.Urusan)
	in.UrusanRelated = trimList(in.UrusanRelated)
	for i := range in.UrusanRelated {
		ref.Urusan.normalize(v, fieldAt("urusan_related", i), &in.UrusanRelated[i])
	}
	Stages().normalize(v, "stage", &in.Stage, false)
	stages := []struct {
		field string
		date  *string
	}{{"stage_dates.inisiatif", &in.StageDates.Inisiatif}, {"stage_dates.uji_coba", &in.StageDates.UjiCoba}, {"stage_dates.penerapan", &in.StageDates.Penerapan}}
	last := ""
	for _, st := range stages {
		checkDate(v, st.field, st.date)
		checkPast(v, st.field, *st.date)
		// Dates as YYYY-MM-DD compare as text; a stage is not reached
		// before the one it follows.
		if d := *st.date; d != "" && len(d) == len(DateLayout) {
			if last != "" && d < last {
				v.add(st.field, "tahap ini tidak bisa dimulai sebelum tahap sebelumnya ("+last+")", "this stage cannot begin before the one before it ("+last+")")
			}
			last = d
		}
	}
	InnovationTypes().normalize(v, "innovation_type", &in.InnovationType, false)
	Forms().normalize(v, "form", &in.Form, false)
	Initiators().normalize(v, "initiator", &in.Initiator, false)
	if in.YearStarted != 0 && (in.YearStarted < MinYear || in.YearStarted > MaxYear) {
		v.add("year_started", "tahun harus antara "+strconv.Itoa(MinYear)+" dan "+strconv.Itoa(MaxYear),
			"year must be between "+strconv.Itoa(MinYear)+" and "+strconv.Itoa(MaxYear))
	} else if next := time.Now().UTC().Year() + 1; in.YearStarted > next {
		v.add("year_started", "tahun mulai paling lambat "+strconv.Itoa(next), "the starting year can be "+strconv.Itoa(next)+" at the latest")
	}
	checkText(v, "summary", &in.Summary, MaxSummary, false)
	checkText(v, "problem", &in.Problem, MaxText, false)
	checkText(v, "solution", &in.Solution, MaxText, false)
	checkLen(v, "results", len(in.Results))
	for i := range in.Results {
		r := &in.Results[i]
		checkDate(v, fieldAt("results", i)+".date", &r.Date)
		checkPast(v, fieldAt("results", i)+".date", r.Date)
		checkText(v, fieldAt("results", i)+".figure", &r.Figure, MaxShort, true)
		checkText(v, fieldAt("results", i)+".note", &r.Note, MaxShort*3, false)
	}
	if in.CostPerYear < 0 {
		v.add("cost_per_year", "biaya tidak boleh negatif", "cost cannot be negative")
	}
	in.Partners = checkList(v, "partners", in.Partners)
	in.LegalBasis = checkList(v, "legal_basis", in.LegalBasis)
	checkText(v, "prerequisites", &in.Prerequisites, MaxText, false)
	checkLen(v, "contacts", len(in.Contacts))
	for i := range in.Contacts {
		c := &in.Contacts[i]
		checkText(v, fieldAt("contacts", i)+".name", &c.Name, MaxShort, true)
		checkText(v, fieldAt("contacts", i)+".role", &c.Role, MaxShort, false)
		checkEmail(v, fieldAt("contacts", i)+".email", &c.Email, false)
		checkText(v, fieldAt("contacts", i)+".phone", &c.Phone, 40, false)
	}
	if in.EvidenceLevel != 0 && (in.EvidenceLevel < 1 || in.EvidenceLevel > 5) {
		v.add("evidence_level", "tingkat bukti harus 1 sampai 5", "evidence level must be 1 to 5")
	}
	Sustainabilities().normalize(v, "sustainability", &in.Sustainability, false)
	checkDate(v, "sustainability_verified", &in.SustainabilityVerified)
	checkPast(v, "sustainability_verified", in.SustainabilityVerified)
	checkLen(v, "sources", len(in.Sources))
	for i := range in.Sources {
		s := &in.Sources[i]
		checkText(v, fieldAt("sources", i)+".title", &s.Title, MaxShort, true)
		checkURL(v, fieldAt("sources", i)+".url", &s.URL)
	}
	in.Tags = checkList(v, "tags", in.Tags)
	defaultTo(&in.Language, "id")
	Languages().normalize(v, "language", &in.Language, true)
	defaultTo(&in.Visibility, "public")
	Visibilities().normalize(v, "visibility", &in.Visibility, true)
	checkText(v, "body", &in.Body, MaxBody, false)
	return v.err()
}

// helpers shared by the record types

func defaultTo(s *string, def string) {
	if strings.TrimSpace(*s) == "" {
		*s = def
	}
}

func fieldAt(field string, i int) string {
	return field + "[" + strconv.Itoa(i) + "]"
}

// ReservedSlug is the address of the form for a new record
// (/inovasi/baru, /kunjungan/baru), so no record may have it.
const ReservedSlug = "baru"

func checkSlug(v *ValidationError, s *string) {
	*s = strings.TrimSpace(*s)
	switch {
	case *s == "":
		v.add("slug", "wajib diisi", "is required")
	case len(*s) < 3 || len(*s) > 80 || !slugRe.MatchString(*s):
		v.add("slug", "hanya huruf kecil, angka dan tanda hubung (-), 3–80 karakter", "only lower-case letters, digits and hyphens (-), 3–80 characters")
	case *s == ReservedSlug:
		v.add("slug", "\""+ReservedSlug+"\" adalah alamat formulir baru; pilih yang lain", "\""+ReservedSlug+"\" is the address of the new-record form; choose another")
	}
}

// checkText trims a field and checks that it is valid UTF-8, free of control
// characters other than newlines and tabs, and within its limit.
func checkText(v *ValidationError, field string, s *string, limit int, required bool) {
	*s = strings.TrimSpace(*s)
	if *s == "" {
		if required {
			v.add(field, "wajib diisi", "is required")
		}
		return
	}
	if !utf8.ValidString(*s) {
		v.add(field, "teks bukan UTF-8 yang sah", "text is not valid UTF-8")
		return
	}
	if strings.ContainsFunc(*s, func(r rune) bool { return isControl(r) && r != '\n' && r != '\t' && r != '\r' }) {
		v.add(field, "teks berisi karakter kendali", "text contains control characters")
		return
	}
	if strings.ContainsFunc(*s, isDirectionControl) {
		v.add(field, "teks berisi karakter pengatur arah tulisan", "text contains writing-direction control characters")
		return
	}
	if n := len(*s); n > limit {
		v.add(field, "terlalu panjang: "+strconv.Itoa(n)+" byte, paling banyak "+strconv.Itoa(limit),
			"too long: "+strconv.Itoa(n)+" bytes, at most "+strconv.Itoa(limit))
	}
}

// checkLine is checkText for a one-line value, such as a name: a line
// break or a tab in it would break the lists, tables and terminal columns
// it is shown in.
func checkLine(v *ValidationError, field string, s *string, limit int, required bool) {
	before := len(v.Errors)
	checkText(v, field, s, limit, required)
	if len(v.Errors) == before && strings.ContainsAny(*s, "\n\r\t") {
		v.add(field, "harus satu baris, tanpa ganti baris atau tab", "must be one line, without line breaks or tabs")
	}
}

// isControl reports whether r is a C0 or C1 control character (an ANSI
// escape starts with one).
func isControl(r rune) bool { return r < 0x20 || r >= 0x7f && r <= 0x9f }

// isDirectionControl reports whether r is a writing-direction embedding,
// override or isolate (U+202A–U+202E, U+2066–U+2069). They make text show
// in another order than it is stored ("gpj.exe" shown as "exe.jpg"), so a
// title or a name could pass for another; Indonesian and English text
// never needs them.
func isDirectionControl(r rune) bool { return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 }

func checkLen(v *ValidationError, field string, n int) {
	if n > MaxList {
		v.add(field, "terlalu banyak isian: "+strconv.Itoa(n)+", paling banyak "+strconv.Itoa(MaxList),
			"too many items: "+strconv.Itoa(n)+", at most "+strconv.Itoa(MaxList))
	}
}

// checkList trims items, drops empty ones and checks each.
func checkList(v *ValidationError, field string, items []string) []string {
	items = trimList(items)
	checkLen(v, field, len(items))
	for i := range items {
		checkText(v, fieldAt(field, i), &items[i], MaxShort, false)
	}
	return items
}

func trimList(items []string) []string {
	out := items[:0]
	for _, it := range items {
		if t := strings.TrimSpace(it); t != "" {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// DateLayout is the one date format of the import format and API.
const DateLayout = "2006-01-02"

// checkPast refuses a date after tomorrow (tomorrow, so that the day
// already begun in the east of Indonesia is not refused by a clock in
// UTC), for dates that record what has happened: a stage reached, a result
// measured, an adoption's step.
func checkPast(v *ValidationError, field, date string) {
	d, err := time.Parse(DateLayout, date)
	if err != nil {
		return // empty, or checkDate reported it
	}
	if d.After(time.Now().UTC().AddDate(0, 0, 1)) {
		v.add(field, "tanggal "+date+" mencatat yang sudah terjadi; tidak boleh di masa depan", "the date "+date+" records what has happened; it cannot be in the future")
	}
}

func checkDate(v *ValidationError, field string, s *string) {
	*s = strings.TrimSpace(*s)
	if *s == "" {
		return
	}
	d, err := time.Parse(DateLayout, *s)
	if err != nil {
		v.add(field, "tanggal \""+clip(*s, 30)+"\" tidak sah; tulis TTTT-BB-HH, mis. 2024-10-22",
			"invalid date \""+clip(*s, 30)+"\"; use YYYY-MM-DD, e.g. 2024-10-22")
		return
	}
	// A date outside these years is a slip of the keyboard (0024 for
	// 2024), not a record of Indonesian regional government.
	if y := d.Year(); y < MinYear || y > MaxYear {
		v.add(field, "tahun harus antara "+strconv.Itoa(MinYear)+" dan "+strconv.Itoa(MaxYear),
			"year must be between "+strconv.Itoa(MinYear)+" and "+strconv.Itoa(MaxYear))
	}
}

// MinYear and MaxYear bound the years of every date: from independence,
// to due dates well ahead.
const (
	MinYear = 1945
	MaxYear = 2100
)

func checkURL(v *ValidationError, field string, s *string) {
	*s = strings.TrimSpace(*s)
	if *s == "" {
		return
	}
	u, err := url.Parse(*s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(*s) > 2000 {
		v.add(field, "alamat web harus diawali http:// atau https://", "URL must start with http:// or https://")
	}
}
