package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"tiru/internal/kb"
	"tiru/internal/sqlite"
)

// The innovation form is how an organiser writes up an innovation of their
// agency, with its IGA profile, without a script (see form.go).

// innovationFormData is the form as shown.
type innovationFormData struct {
	New      bool
	Action   string
	Slug     string
	Version  int
	Values   map[string]string
	Errors   []formError
	ByField  map[string]string
	Conflict bool
	// The choices of the select fields; each has an empty first choice.
	Urusan, Stages, Types, Forms, Initiators, Sustain, Evidence, Langs, Vis []option
}

// innovationFields are the form's fields.
var innovationFields = []string{"title", "slug", "region", "agency", "urusan", "urusan_related", "stage", "stage_inisiatif",
	"stage_uji_coba", "stage_penerapan", "innovation_type", "form", "initiator", "year_started", "summary", "problem",
	"solution", "results", "cost_per_year", "partners", "legal_basis", "prerequisites", "contacts", "evidence_level",
	"sustainability", "sustainability_verified", "sources", "tags", "body", "language", "visibility"}

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
		"urusan_related": strings.Join(in.UrusanRelated, ", "), "stage": in.Stage,
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
		"tags": strings.Join(in.Tags, ", "), "body": in.Body, "language": in.Language, "visibility": in.Visibility,
	}
}

// innovationFromForm reads the posted form into an innovation, and the
// fields as typed.
func innovationFromForm(c *gin.Context) (*kb.Innovation, map[string]string, []kb.FieldError) {
	vals := map[string]string{}
	for _, f := range innovationFields {
		vals[f] = c.PostForm(f)
	}
	var errs []kb.FieldError
	number := func(field string) int64 {
		s := strings.TrimSpace(strings.NewReplacer(".", "", " ", "").Replace(vals[field]))
		if s == "" {
			return 0
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			errs = append(errs, kb.FieldError{Field: field, Message: kb.Text{ID: "tulis sebagai angka bulat", EN: "write it as a whole number"}})
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

// withEmpty puts a "not stated" choice before a field's options.
func withEmpty(l *Localizer, opts []option) []option {
	return append([]option{{Value: "", Label: l.T("form.unstated")}}, opts...)
}

func (s *Server) renderInnovationForm(c *gin.Context, status int, d innovationFormData) {
	l := s.localizer(c)
	v := d.Values
	d.Urusan = withEmpty(l, s.urusanOptions(l.Lang, v["urusan"]))
	d.Stages = withEmpty(l, options(kb.Stages().Terms, l.Lang, v["stage"]))
	d.Types = withEmpty(l, options(kb.InnovationTypes().Terms, l.Lang, v["innovation_type"]))
	d.Forms = withEmpty(l, options(kb.Forms().Terms, l.Lang, v["form"]))
	d.Initiators = withEmpty(l, options(kb.Initiators().Terms, l.Lang, v["initiator"]))
	d.Sustain = withEmpty(l, options(kb.Sustainabilities().Terms, l.Lang, v["sustainability"]))
	for i, t := range kb.EvidenceLevels() {
		n := strconv.Itoa(i + 1)
		d.Evidence = append(d.Evidence, option{n, n + " – " + t.In(l.Lang), v["evidence_level"] == n})
	}
	d.Evidence = withEmpty(l, d.Evidence)
	d.Langs = options(kb.Languages().Terms, l.Lang, v["language"])
	d.Vis = options(kb.Visibilities().Terms, l.Lang, v["visibility"])
	title := l.T("innovationform.new")
	if !d.New {
		title = l.T("innovationform.edit")
	}
	s.render(c, status, "innovation_form", title, d)
}

// newInnovationForm shows an empty form, with the organiser's region and
// agency filled in.
func (s *Server) newInnovationForm(c *gin.Context) {
	if !s.requireUser(c) {
		return
	}
	a := s.actor(c)
	if !a.CanWriteInnovation(nil, nil) {
		s.fail(c, kb.ErrForbidden)
		return
	}
	in := &kb.Innovation{Region: a.Region, Agency: a.Agency, Language: "id", Visibility: "public"}
	s.renderInnovationForm(c, http.StatusOK, innovationFormData{New: true, Action: "/inovasi/baru", Values: innovationValues(in)})
}

// editInnovationForm shows an innovation in the form.
func (s *Server) editInnovationForm(c *gin.Context) {
	if !s.requireUser(c) {
		return
	}
	a := s.actor(c)
	rec, err := s.db.GetInnovation(c.Request.Context(), c.Param("slug"), a.Viewer())
	if err != nil {
		s.fail(c, err)
		return
	}
	if !a.CanWriteInnovation(&rec.Innovation, nil) {
		s.fail(c, kb.ErrForbidden)
		return
	}
	s.renderInnovationForm(c, http.StatusOK, innovationFormData{Action: "/inovasi/" + rec.Slug + "/ubah", Slug: rec.Slug,
		Version: rec.Version, Values: innovationValues(&rec.Innovation)})
}

// saveInnovationForm creates (slug "") or updates an innovation from the
// form, as saveVisitForm does a visit.
func (s *Server) saveInnovationForm(c *gin.Context, slug string) {
	if !s.requireUser(c) {
		return
	}
	ctx := c.Request.Context()
	a := s.actor(c)
	creating := slug == ""
	d := innovationFormData{New: creating, Action: "/inovasi/baru", Slug: slug}
	var old *kb.Innovation
	if !creating {
		rec, err := s.db.GetInnovation(ctx, slug, a.Viewer())
		if err != nil {
			s.fail(c, err)
			return
		}
		old = &rec.Innovation
		d.Action = "/inovasi/" + slug + "/ubah"
		d.Version = rec.Version
		if sent, err := strconv.Atoi(c.PostForm("version")); err == nil && sent != rec.Version {
			d.Conflict = true
		}
	}
	if !a.CanWriteInnovation(old, nil) {
		s.fail(c, kb.ErrForbidden)
		return
	}
	in, vals, errs := innovationFromForm(c)
	d.Values = vals
	if !creating {
		in.Slug = slug
	} else if in.Slug == "" {
		in.Slug = slugFor(in.Title, "")
	}
	if d.Conflict {
		s.renderInnovationForm(c, http.StatusConflict, d)
		return
	}
	if err := in.Validate(s.ref.Ref); err != nil {
		errs = append(errs, kb.FieldErrors(err)...)
	}
	if len(errs) == 0 && !a.CanWriteInnovation(old, in) {
		errs = append(errs, kb.FieldError{Field: "agency", Message: kb.Text{
			ID: "harus instansi Anda sendiri, di wilayah Anda", EN: "must be your own agency, in your region"}})
	}
	if len(errs) == 0 {
		err := s.db.UpdateAs(ctx, s.who(c), func(tx *sqlite.Tx) error {
			if creating {
				exists, err := tx.Exists(ctx, sqlite.KindInnovation, in.Slug)
				if err != nil {
					return err
				}
				if exists {
					return errSlugTaken
				}
			}
			_, err := tx.PutInnovation(ctx, in)
			return err
		})
		switch {
		case err == nil:
			c.Redirect(http.StatusSeeOther, "/inovasi/"+in.Slug)
			return
		case errors.Is(err, errSlugTaken):
			errs = append(errs, kb.FieldError{Field: "slug", Message: kb.Text{ID: "sudah dipakai inovasi lain; pilih yang lain",
				EN: "already used by another innovation; choose another"}})
		case kb.FieldErrors(err) != nil:
			errs = append(errs, kb.FieldErrors(err)...)
		default:
			s.fail(c, err)
			return
		}
	}
	if creating && vals["slug"] == "" {
		d.Values["slug"] = in.Slug
	}
	d.Errors, d.ByField = formErrors(s.localizer(c), errs)
	s.renderInnovationForm(c, http.StatusUnprocessableEntity, d)
}

func (s *Server) createInnovationForm(c *gin.Context) { s.saveInnovationForm(c, "") }
func (s *Server) updateInnovationForm(c *gin.Context) { s.saveInnovationForm(c, c.Param("slug")) }
