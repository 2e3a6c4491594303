package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"tiru/internal/kb"
	"tiru/internal/sqlite"
)

// The visit form is how an organiser logs a visit, and later its follow-ups,
// without a script: one page, no JavaScript needed. The lists of a visit
// (people met, follow-ups, innovations seen) are typed one item a line,
// with the parts of an item separated by "|", so the form stays a plain
// HTML form that works on any browser and keeps what was typed when it is
// refused.

// visitFormData is the form as shown: the fields as typed, and what is
// wrong with them.
type visitFormData struct {
	New     bool
	Action  string // where the form posts
	Slug    string // the visit edited; empty for a new one
	Version int
	Values  map[string]string
	Errors  []formError
	ByField map[string]string // the first error of each field, for its aria-describedby
	Types   []option
	Langs   []option
	Vis     []option
	// Conflict: the visit changed since the form was opened.
	Conflict bool
}

// visitFields are the form's fields, in the order they are shown.
var visitFields = []string{"title", "slug", "visit_type", "start_date", "end_date", "visitor_region", "visitor_agency",
	"host_region", "host_agency", "delegation_size", "delegation", "purpose", "body", "innovations", "people_met",
	"follow_ups", "language", "visibility"}

// visitValues are a visit's fields as the form shows them.
func visitValues(v *kb.Visit) map[string]string {
	size := ""
	if v.DelegationSize > 0 {
		size = strconv.Itoa(v.DelegationSize)
	}
	return map[string]string{
		"title": v.Title, "slug": v.Slug, "visit_type": v.VisitType, "start_date": v.StartDate, "end_date": v.EndDate,
		"visitor_region": v.VisitorRegion, "visitor_agency": v.VisitorAgency, "host_region": v.HostRegion,
		"host_agency": v.HostAgency, "delegation_size": size, "delegation": v.Delegation, "purpose": v.Purpose,
		"body": v.Body, "innovations": strings.Join(v.Innovations, "\n"),
		"people_met": joinLines(len(v.PeopleMet), func(i int) []string {
			p := v.PeopleMet[i]
			return []string{p.Name, p.Role, p.Agency}
		}),
		"follow_ups": joinLines(len(v.FollowUps), func(i int) []string {
			f := v.FollowUps[i]
			return []string{f.Action, f.Owner, f.DueDate, f.Status}
		}),
		"language": v.Language, "visibility": v.Visibility,
	}
}

// visitFromForm reads the posted form into a visit, and the fields as typed.
// A line with more parts than its items have is reported on its field.
func visitFromForm(c *gin.Context) (*kb.Visit, map[string]string, []kb.FieldError) {
	vals := map[string]string{}
	for _, f := range visitFields {
		vals[f] = c.PostForm(f)
	}
	var errs []kb.FieldError
	v := &kb.Visit{
		Title: vals["title"], Slug: strings.TrimSpace(vals["slug"]), VisitType: vals["visit_type"],
		StartDate: vals["start_date"], EndDate: vals["end_date"], VisitorRegion: vals["visitor_region"],
		VisitorAgency: vals["visitor_agency"], HostRegion: vals["host_region"], HostAgency: vals["host_agency"],
		Delegation: vals["delegation"], Purpose: vals["purpose"], Body: vals["body"],
		Language: vals["language"], Visibility: vals["visibility"],
	}
	if s := strings.TrimSpace(vals["delegation_size"]); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			errs = append(errs, kb.FieldError{Field: "delegation_size", Message: kb.Text{ID: "tulis jumlah orang sebagai angka", EN: "write the number of people as a number"}})
		}
		v.DelegationSize = n
	}
	v.Innovations = formList(vals["innovations"])
	for _, p := range formLines(vals["people_met"], "people_met", 3, &errs) {
		v.PeopleMet = append(v.PeopleMet, kb.Person{Name: p[0], Role: p[1], Agency: p[2]})
	}
	for _, p := range formLines(vals["follow_ups"], "follow_ups", 4, &errs) {
		v.FollowUps = append(v.FollowUps, kb.FollowUp{Action: p[0], Owner: p[1], DueDate: p[2], Status: p[3]})
	}
	return v, vals, errs
}

func (s *Server) renderVisitForm(c *gin.Context, status int, d visitFormData) {
	l := s.localizer(c)
	d.Types = options(kb.VisitTypes().Terms, l.Lang, d.Values["visit_type"])
	d.Langs = options(kb.Languages().Terms, l.Lang, d.Values["language"])
	d.Vis = options(kb.Visibilities().Terms, l.Lang, d.Values["visibility"])
	title := l.T("visitform.new")
	if !d.New {
		title = l.T("visitform.edit")
	}
	s.render(c, status, "visit_form", title, d)
}

// newVisitForm shows an empty form, filled in with the organiser's own
// region and agency as the visitors.
func (s *Server) newVisitForm(c *gin.Context) {
	if !s.requireUser(c) {
		return
	}
	a := s.actor(c)
	if !a.CanWriteVisit(nil, nil) {
		s.fail(c, kb.ErrForbidden)
		return
	}
	today := time.Now().In(time.FixedZone("WIB", 7*3600)).Format(kb.DateLayout)
	v := &kb.Visit{VisitType: "studi_tiru", StartDate: today, EndDate: today, VisitorRegion: a.Region, VisitorAgency: a.Agency,
		Language: "id", Visibility: "public"}
	s.renderVisitForm(c, http.StatusOK, visitFormData{New: true, Action: "/kunjungan/baru", Values: visitValues(v)})
}

// editVisitForm shows a visit in the form.
func (s *Server) editVisitForm(c *gin.Context) {
	if !s.requireUser(c) {
		return
	}
	a := s.actor(c)
	rec, err := s.db.GetVisit(c.Request.Context(), c.Param("slug"), a.Viewer())
	if err != nil {
		s.fail(c, err)
		return
	}
	if !a.CanWriteVisit(&rec.Visit, nil) {
		s.fail(c, kb.ErrForbidden)
		return
	}
	s.renderVisitForm(c, http.StatusOK, visitFormData{Action: "/kunjungan/" + rec.Slug + "/ubah", Slug: rec.Slug, Version: rec.Version,
		Values: visitValues(&rec.Visit)})
}

// saveVisitForm creates (slug "") or updates a visit from the form. A
// refused form comes back with what was typed and every problem named by
// its field; nothing is stored.
func (s *Server) saveVisitForm(c *gin.Context, slug string) {
	if !s.requireUser(c) {
		return
	}
	ctx := c.Request.Context()
	a := s.actor(c)
	l := s.localizer(c)
	creating := slug == ""
	d := visitFormData{New: creating, Action: "/kunjungan/baru", Slug: slug}
	var old *kb.Visit
	if !creating {
		rec, err := s.db.GetVisit(ctx, slug, a.Viewer())
		if err != nil {
			s.fail(c, err)
			return
		}
		old = &rec.Visit
		d.Action = "/kunjungan/" + slug + "/ubah"
		d.Version = rec.Version
		// Someone saved the visit since this form was opened: the form
		// comes back as typed, with the version now stored, so that saving
		// again is a choice made knowing it.
		if sent, err := strconv.Atoi(c.PostForm("version")); err == nil && sent != rec.Version {
			d.Conflict = true
		}
	}
	if !a.CanWriteVisit(old, nil) {
		s.fail(c, kb.ErrForbidden)
		return
	}
	v, vals, errs := visitFromForm(c)
	d.Values = vals
	if !creating {
		v.Slug = slug
	} else if v.Slug == "" {
		v.Slug = slugFor(v.Title, strings.TrimSpace(v.StartDate))
	}
	if d.Conflict {
		s.renderVisitForm(c, http.StatusConflict, d)
		return
	}
	if err := v.Validate(s.ref.Ref); err != nil {
		errs = append(errs, kb.FieldErrors(err)...)
	}
	if len(errs) == 0 && !a.CanWriteVisit(old, v) {
		errs = append(errs, kb.FieldError{Field: "visitor_agency", Message: kb.Text{
			ID: "instansi Anda harus menjadi pengunjung atau tuan rumah", EN: "your agency must be the visitor or the host"}})
	}
	if len(errs) == 0 {
		err := s.db.UpdateAs(ctx, s.who(c), func(tx *sqlite.Tx) error {
			if creating {
				exists, err := tx.Exists(ctx, sqlite.KindVisit, v.Slug)
				if err != nil {
					return err
				}
				if exists {
					return errSlugTaken
				}
			}
			if err := tx.SeenBy(ctx, v, a.Viewer()); err != nil {
				return err
			}
			_, err := tx.PutVisit(ctx, v)
			return err
		})
		switch {
		case err == nil:
			c.Redirect(http.StatusSeeOther, "/kunjungan/"+v.Slug)
			return
		case errors.Is(err, errSlugTaken):
			errs = append(errs, kb.FieldError{Field: "slug", Message: kb.Text{ID: "sudah dipakai kunjungan atau inovasi lain; pilih yang lain",
				EN: "already used by another visit or innovation; choose another"}})
		case kb.FieldErrors(err) != nil:
			errs = append(errs, kb.FieldErrors(err)...)
		default:
			s.fail(c, err)
			return
		}
	}
	if creating && vals["slug"] == "" {
		// The address made from the title is shown, to be kept or changed.
		d.Values["slug"] = v.Slug
	}
	d.Errors, d.ByField = formErrors(l, errs)
	s.renderVisitForm(c, http.StatusUnprocessableEntity, d)
}

func (s *Server) createVisitForm(c *gin.Context) { s.saveVisitForm(c, "") }
func (s *Server) updateVisitForm(c *gin.Context) { s.saveVisitForm(c, c.Param("slug")) }
