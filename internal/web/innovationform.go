package web

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"tiru/internal/kb"
)

// The innovation form is how an organiser writes up an innovation of their
// agency, with its IGA profile, without a script (see form.go).

// innovationFields are the form's fields.
var innovationFields = []string{"title", "slug", "region", "agency", "urusan", "urusan_related", "stage", "stage_inisiatif",
	"stage_uji_coba", "stage_penerapan", "innovation_type", "form", "initiator", "year_started", "summary", "problem",
	"solution", "results", "cost_per_year", "partners", "legal_basis", "prerequisites", "contacts", "evidence_level",
	"sustainability", "sustainability_verified", "sources", "tags", "body", "language", "visibility"}

// thousands is a whole number written with dots between its thousands.
var thousands = regexp.MustCompile(`^\d{1,3}([. ]\d{3})+$`)

// innovationValues are an innovation's fields as the form shows them.
func innovationValues(in *kb.Innovation) map[string]string {
	num := func(n int64) string {
		if n == 0 {
			return ""
		}
		return strconv.FormatInt(n, 10)
	}
	return map[string]string{
		"title": in.Title, "slug": in.Slug, "region": in.Region, "agency": in.Agency, "urusan": in.Urusan,
		"urusan_related": showList(in.UrusanRelated), "stage": in.Stage,
		"stage_inisiatif": in.StageDates.Inisiatif, "stage_uji_coba": in.StageDates.UjiCoba, "stage_penerapan": in.StageDates.Penerapan,
		"innovation_type": in.InnovationType, "form": in.Form, "initiator": in.Initiator, "year_started": num(int64(in.YearStarted)),
		"summary": in.Summary, "problem": in.Problem, "solution": in.Solution,
		"results": joinLines(len(in.Results), func(i int) []string {
			r := in.Results[i]
			return []string{r.Date, r.Figure, r.Note}
		}),
		"cost_per_year": num(in.CostPerYear), "partners": strings.Join(in.Partners, "\n"),
		"legal_basis": strings.Join(in.LegalBasis, "\n"), "prerequisites": in.Prerequisites,
		"contacts": joinLines(len(in.Contacts), func(i int) []string {
			c := in.Contacts[i]
			return []string{c.Name, c.Role, c.Email, c.Phone}
		}),
		"evidence_level": num(int64(in.EvidenceLevel)), "sustainability": in.Sustainability,
		"sustainability_verified": in.SustainabilityVerified,
		"sources": joinLines(len(in.Sources), func(i int) []string {
			s := in.Sources[i]
			return []string{s.Title, s.URL}
		}),
		"tags": showList(in.Tags), "body": in.Body, "language": in.Language, "visibility": in.Visibility,
	}
}

// innovationFromForm reads the posted form into an innovation, and the
// fields as typed.
func innovationFromForm(c *gin.Context) (*kb.Innovation, map[string]string, []kb.FieldError) {
	vals := map[string]string{}
	for _, f := range innovationFields {
		vals[f] = formText(c, f)
	}
	var errs []kb.FieldError
	number := func(field string) int64 {
		s := strings.TrimSpace(vals[field])
		if thousands.MatchString(s) {
			s = strings.NewReplacer(".", "", " ", "").Replace(s) // 350.000.000, as Indonesian writes it
		}
		if s == "" {
			return 0
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			errs = append(errs, kb.FieldError{Field: field, Message: kb.Text{ID: "tulis sebagai angka bulat", EN: "write it as a whole number"}})
			return 0
		}
		return n
	}
	lines := func(field string) []string {
		var out []string
		for _, s := range strings.Split(vals[field], "\n") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	in := &kb.Innovation{
		Title: vals["title"], Slug: strings.TrimSpace(vals["slug"]), Region: vals["region"], Agency: vals["agency"],
		Urusan: vals["urusan"], UrusanRelated: formList(vals["urusan_related"]), Stage: vals["stage"],
		StageDates:     kb.StageDates{Inisiatif: vals["stage_inisiatif"], UjiCoba: vals["stage_uji_coba"], Penerapan: vals["stage_penerapan"]},
		InnovationType: vals["innovation_type"], Form: vals["form"], Initiator: vals["initiator"],
		YearStarted: int(number("year_started")), Summary: vals["summary"], Problem: vals["problem"], Solution: vals["solution"],
		CostPerYear: number("cost_per_year"), Partners: lines("partners"), LegalBasis: lines("legal_basis"),
		Prerequisites: vals["prerequisites"], EvidenceLevel: int(number("evidence_level")), Sustainability: vals["sustainability"],
		SustainabilityVerified: vals["sustainability_verified"], Tags: formList(vals["tags"]), Body: vals["body"],
		Language: vals["language"], Visibility: vals["visibility"],
	}
	for _, p := range formLines(vals["results"], "results", 3, &errs) {
		in.Results = append(in.Results, kb.Result{Date: p[0], Figure: p[1], Note: p[2]})
	}
	for _, p := range formLines(vals["contacts"], "contacts", 4, &errs) {
		in.Contacts = append(in.Contacts, kb.Contact{Name: p[0], Role: p[1], Email: p[2], Phone: p[3]})
	}
	for _, p := range formLines(vals["sources"], "sources", 2, &errs) {
		in.Sources = append(in.Sources, kb.Source{Title: p[0], URL: p[1]})
	}
	return in, vals, errs
}

// innovationForm is the innovation form: the innovation API's rules and
// writing, and how an innovation reads as a form.
func (s *Server) innovationForm() recordForm[kb.Innovation] {
	return recordForm[kb.Innovation]{
		api: s.innovationAPI(), base: "/inovasi/", page: "innovation_form", messages: "innovationform",
		blank: func(a kb.Actor) *kb.Innovation {
			return &kb.Innovation{Region: a.Region, Agency: a.Agency, Language: "id", Visibility: "public"}
		},
		read: innovationFromForm, values: innovationValues,
		choices: func(l *Localizer, v map[string]string) map[string][]option {
			evidence := []option{}
			for i, t := range kb.EvidenceLevels() {
				n := strconv.Itoa(i + 1)
				evidence = append(evidence, option{n, n + " – " + t.In(l.Lang), v["evidence_level"] == n})
			}
			return map[string][]option{
				"urusan":          withEmpty(l, s.urusanOptions(l.Lang, v["urusan"])),
				"stage":           withEmpty(l, options(kb.Stages().Terms, l.Lang, v["stage"])),
				"innovation_type": withEmpty(l, options(kb.InnovationTypes().Terms, l.Lang, v["innovation_type"])),
				"form":            withEmpty(l, options(kb.Forms().Terms, l.Lang, v["form"])),
				"initiator":       withEmpty(l, options(kb.Initiators().Terms, l.Lang, v["initiator"])),
				"sustainability":  withEmpty(l, options(kb.Sustainabilities().Terms, l.Lang, v["sustainability"])),
				"evidence_level":  withEmpty(l, evidence),
				"language":        options(kb.Languages().Terms, l.Lang, v["language"]),
				"visibility":      options(kb.Visibilities().Terms, l.Lang, v["visibility"]),
			}
		},
		newSlug: func(in *kb.Innovation) string { return slugFor(in.Title, "") },
		refused: kb.FieldError{Field: "agency", Message: kb.Text{
			ID: "harus instansi Anda sendiri, di wilayah Anda", EN: "must be your own agency, in your region"}},
	}
}

// withEmpty puts a "not stated" choice before a field's options.
func withEmpty(l *Localizer, opts []option) []option {
	return append([]option{{Value: "", Label: l.T("form.unstated")}}, opts...)
}

func (s *Server) newInnovationForm(c *gin.Context)    { showNewForm(s, c, s.innovationForm()) }
func (s *Server) editInnovationForm(c *gin.Context)   { showEditForm(s, c, s.innovationForm()) }
func (s *Server) createInnovationForm(c *gin.Context) { saveForm(s, c, s.innovationForm(), "") }
func (s *Server) updateInnovationForm(c *gin.Context) {
	saveForm(s, c, s.innovationForm(), c.Param("slug"))
}
func (s *Server) deleteInnovationForm(c *gin.Context) {
	deleteForm(s, c, s.innovationForm(), c.Param("slug"))
}
