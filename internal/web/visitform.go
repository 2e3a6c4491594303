package web

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"tiru/internal/kb"
	"tiru/internal/search"
)

// The visit form is how an organiser logs a visit, and later its follow-ups,
// without a script: one page, no JavaScript needed. The lists of a visit
// (people met, follow-ups, innovations seen) are typed one item a line,
// with the parts of an item separated by "|", so the form stays a plain
// HTML form that works on any browser and keeps what was typed when it is
// refused.

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
		// One slug a line, as the field's hint says (a slug has no comma).
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
		vals[f] = formText(c, f)
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
			// Reported once: the size is left at 0, which Validate takes.
			errs = append(errs, kb.FieldError{Field: "delegation_size", Message: kb.Text{ID: "tulis jumlah orang sebagai angka", EN: "write the number of people as a number"}})
			n = 0
		}
		v.DelegationSize = n
	}
	v.Innovations = observedLines(vals["innovations"])
	for _, p := range formLines(vals["people_met"], "people_met", 3, &errs) {
		v.PeopleMet = append(v.PeopleMet, kb.Person{Name: p[0], Role: p[1], Agency: p[2]})
	}
	for _, p := range formLines(vals["follow_ups"], "follow_ups", 4, &errs) {
		v.FollowUps = append(v.FollowUps, kb.FollowUp{Action: p[0], Owner: p[1], DueDate: p[2], Status: p[3]})
	}
	return v, vals, errs
}

// visitForm is the visit form: the visit API's rules and writing, and how
// a visit reads as a form.
func (s *Server) visitForm() recordForm[kb.Visit] {
	return recordForm[kb.Visit]{
		api: s.visitAPI(), base: "/kunjungan/", page: "visit_form", messages: "visitform",
		// A new visit: the organiser's own agency visiting, today.
		blank: func(a kb.Actor) *kb.Visit {
			today := time.Now().In(wib).Format(kb.DateLayout)
			return &kb.Visit{VisitType: "studi_tiru", StartDate: today, EndDate: today, VisitorRegion: a.Region,
				VisitorAgency: a.Agency, Language: "id", Visibility: "public"}
		},
		read: s.readVisitForm, values: visitValues,
		choices: func(l *Localizer, v map[string]string) map[string][]option {
			return map[string][]option{
				"visit_type": options(kb.VisitTypes().Terms, l.Lang, v["visit_type"]),
				"language":   options(kb.Languages().Terms, l.Lang, v["language"]),
				"visibility": options(kb.Visibilities().Terms, l.Lang, v["visibility"]),
			}
		},
		newSlug: func(v *kb.Visit) string { return slugFor(v.Title, strings.TrimSpace(v.StartDate)) },
		refused: kb.FieldError{Field: "visitor_agency", Message: kb.Text{
			ID: "instansi Anda harus menjadi pengunjung atau tuan rumah", EN: "your agency must be the visitor or the host"}},
	}
}

// observedLines reads the innovations a visit saw as typed in its form:
// one a line, since a title may hold a comma. A line of slugs separated by
// commas, as the field once asked for, is still read as those slugs.
func observedLines(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		parts := strings.Split(line, ",")
		allSlugs := len(parts) > 1
		for i, p := range parts {
			parts[i] = strings.TrimSpace(p)
			allSlugs = allSlugs && (parts[i] == "" || kb.ValidSlug(parts[i]))
		}
		if !allSlugs {
			out = append(out, line)
			continue
		}
		for _, p := range parts {
			if p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// readVisitForm reads the visit form, with the innovations it saw named as
// an organiser knows them: by title, by the address of their page, or by
// slug. Each is written down by slug; one that names no innovation the
// organiser may read, or several, is refused on its line, with the likeliest
// innovations named.
func (s *Server) readVisitForm(c *gin.Context) (*kb.Visit, map[string]string, []kb.FieldError) {
	v, vals, errs := visitFromForm(c)
	if n := len(v.Innovations); n > kb.MaxList {
		// Each line costs a lookup, and one naming no innovation a
		// search: a list longer than a visit may hold is refused as it
		// stands, before any of that (the form's body may hold
		// hundreds of thousands of lines). The form keeps it as typed.
		errs = append(errs, tooManyObserved(n))
		v.Innovations = nil
		return v, vals, errs
	}
	ctx := c.Request.Context()
	viewer := s.actor(c).Viewer()
	slugs := make([]string, 0, len(v.Innovations))
	for i, line := range v.Innovations {
		slug, problem, err := s.observedSlug(ctx, viewer, line)
		if err != nil {
			// The line as typed: the write checks every observed
			// innovation again (sqlite.Tx.SeenBy), and a failing
			// database fails the save there.
			slugs = append(slugs, line)
			continue
		}
		if problem != nil {
			problem.Field = fmt.Sprintf("innovations[%d]", i)
			errs = append(errs, *problem)
			continue
		}
		slugs = append(slugs, slug)
	}
	v.Innovations = slugs
	return v, vals, errs
}

// tooManyObserved is the error of a form naming n innovations, more than a
// visit holds: the words of the validation's own.
func tooManyObserved(n int) kb.FieldError {
	return kb.FieldError{Field: "innovations", Message: kb.Text{
		ID: "terlalu banyak isian: " + strconv.Itoa(n) + ", paling banyak " + strconv.Itoa(kb.MaxList),
		EN: "too many items: " + strconv.Itoa(n) + ", at most " + strconv.Itoa(kb.MaxList)}}
}

// observedSlug finds the innovation a line of the visit form names, or
// says why it cannot.
func (s *Server) observedSlug(ctx context.Context, viewer kb.Viewer, line string) (string, *kb.FieldError, error) {
	visible := func(slug string) (bool, error) {
		if !kb.ValidSlug(slug) {
			return false, nil
		}
		return s.db.InnovationVisible(ctx, slug, viewer)
	}
	// The address of its page, whole or from /inovasi/ on.
	if _, rest, ok := strings.Cut(line, "/inovasi/"); ok {
		slug, _, _ := strings.Cut(rest, "/")
		slug, _, _ = strings.Cut(slug, "?")
		slug, _, _ = strings.Cut(slug, "#")
		if ok, err := visible(slug); err != nil || ok {
			return slug, nil, err
		}
	}
	// "Title (slug)", as the picker on the form writes it.
	if open := strings.LastIndex(line, "("); open >= 0 && strings.HasSuffix(line, ")") {
		if ok, err := visible(strings.TrimSpace(line[open+1 : len(line)-1])); err != nil || ok {
			return strings.TrimSpace(line[open+1 : len(line)-1]), nil, err
		}
	}
	if ok, err := visible(line); err != nil || ok {
		return line, nil, err
	}
	title := strings.Join(strings.Fields(line), " ")
	slugs, err := s.db.InnovationsTitled(ctx, title, viewer, 4)
	if err != nil {
		return "", nil, err
	}
	shown := clipRunes(title, 60)
	switch len(slugs) {
	case 1:
		return slugs[0], nil, nil
	case 0:
		msg := kb.Text{ID: fmt.Sprintf("inovasi %q tidak ditemukan", shown), EN: fmt.Sprintf("innovation %q not found", shown)}
		if near := s.likelyInnovations(ctx, viewer, title); near != "" {
			msg.ID += "; mungkin: " + near
			msg.EN += "; perhaps: " + near
		}
		return "", &kb.FieldError{Message: msg}, nil
	}
	list := strings.Join(slugs, ", ")
	return "", &kb.FieldError{Message: kb.Text{
		ID: fmt.Sprintf("beberapa inovasi berjudul %q; tulis slug yang dimaksud: %s", shown, list),
		EN: fmt.Sprintf("several innovations are titled %q; write the one meant by its slug: %s", shown, list)}}, nil
}

// likelyInnovations names up to three innovations the reader may see that
// a search for q finds, as "Title (slug)", for a line of the form that
// named none; empty when the search finds none or cannot answer now.
func (s *Server) likelyInnovations(ctx context.Context, viewer kb.Viewer, q string) string {
	if s.search == nil {
		return ""
	}
	res, err := s.search.Search(ctx, search.Request{Query: q, Viewer: viewer, PerPage: 3, Facets: []string{},
		Filters: search.Filters{Kind: "innovation"}})
	if err != nil {
		return ""
	}
	var names []string
	for _, h := range res.Hits {
		names = append(names, h.Title+" ("+h.Slug+")")
	}
	return strings.Join(names, "; ")
}

func (s *Server) newVisitForm(c *gin.Context)    { showNewForm(s, c, s.visitForm()) }
func (s *Server) editVisitForm(c *gin.Context)   { showEditForm(s, c, s.visitForm()) }
func (s *Server) createVisitForm(c *gin.Context) { saveForm(s, c, s.visitForm(), "") }
func (s *Server) updateVisitForm(c *gin.Context) { saveForm(s, c, s.visitForm(), c.Param("slug")) }
func (s *Server) deleteVisitForm(c *gin.Context) { deleteForm(s, c, s.visitForm(), c.Param("slug")) }
