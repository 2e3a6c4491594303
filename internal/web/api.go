package web

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"tiru/internal/kb"
	"tiru/internal/sqlite"
)

//go:embed openapi.json
var openAPIDoc []byte

func (s *Server) openAPI(c *gin.Context) {
	c.Data(http.StatusOK, "application/json; charset=utf-8", openAPIDoc)
}

type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code      string          `json:"code"`
	Message   string          `json:"message"`
	RequestID string          `json:"request_id,omitempty"`
	Fields    []apiFieldError `json:"fields,omitempty"`
}

type apiFieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// badParam answers 400 naming the query parameter that is wrong.
func (s *Server) badParam(c *gin.Context, name string, msg kb.Text) {
	l := s.localizer(c)
	c.AbortWithStatusJSON(http.StatusBadRequest, apiError{Error: apiErrorBody{Code: "invalid", Message: l.T("error.invalid"),
		RequestID: requestIDOf(c), Fields: []apiFieldError{{Field: name, Message: msg.In(l.Lang)}}}})
}

// apiPage reads page and per_page strictly: the API says what is wrong
// instead of guessing.
func (s *Server) apiPage(c *gin.Context) (sqlite.Page, bool) {
	p := sqlite.Page{Page: 1, PerPage: 20}
	for _, f := range []struct {
		name     string
		dst      *int
		min, max int
	}{{"page", &p.Page, 1, 100000}, {"per_page", &p.PerPage, 1, sqlite.MaxPerPage}} {
		raw := c.Query(f.name)
		if raw == "" {
			continue
		}
		n, err := strconv.Atoi(raw)
		if err != nil || n < f.min || n > f.max {
			s.badParam(c, f.name, kb.Text{ID: fmt.Sprintf("harus bilangan bulat %d–%d", f.min, f.max), EN: fmt.Sprintf("must be a whole number from %d to %d", f.min, f.max)})
			return p, false
		}
		*f.dst = n
	}
	return p, true
}

// apiFilter reads an optional filter parameter that must be a known key.
func (s *Server) apiFilter(c *gin.Context, name string, ok func(string) bool) (string, bool) {
	v := strings.TrimSpace(c.Query(name))
	if v == "" || ok(v) {
		return v, true
	}
	hint := paramHint(name)
	s.badParam(c, name, kb.Text{ID: "nilai tidak dikenal; " + hint.ID, EN: "unknown value; " + hint.EN})
	return "", false
}

// paramHint says what a filter parameter takes, for the message that
// refuses a value.
func paramHint(name string) kb.Text {
	list := func(keys []string) kb.Text {
		k := strings.Join(keys, ", ")
		return kb.Text{ID: "pakai salah satu: " + k, EN: "use one of: " + k}
	}
	switch name {
	case "region":
		return kb.Text{ID: "pakai kode wilayah Kemendagri, mis. 33.72 (cari kodenya di /api/v1/regions?q=nama)", EN: "use a Kemendagri region code, e.g. 33.72 (find it at /api/v1/regions?q=name)"}
	case "province":
		return kb.Text{ID: "pakai kode provinsi Kemendagri, mis. 63", EN: "use a Kemendagri province code, e.g. 63"}
	case "urusan":
		return kb.Text{ID: "pakai kode urusan Permendagri 90/2019, mis. 2.16", EN: "use a Permendagri 90/2019 affair code, e.g. 2.16"}
	case "stage":
		return list(kb.Stages().Keys())
	case "type":
		return list(kb.InnovationTypes().Keys())
	case "visit_type":
		return list(kb.VisitTypes().Keys())
	case "role":
		return list([]string{"visitor", "host"})
	case "level":
		return list([]string{kb.LevelNational, kb.LevelProvince, kb.LevelKabupaten, kb.LevelKota})
	}
	return kb.Text{ID: "lihat nilai yang diterima di /api/v1/openapi.json", EN: "see the accepted values in /api/v1/openapi.json"}
}

type regionRef struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

func (s *Server) regionRef(code string) regionRef {
	r, _ := s.ref.Ref.Regions.Get(code)
	return regionRef{Code: code, Name: r.Name}
}

type listResponse[T any] struct {
	Total   int `json:"total"`
	Page    int `json:"page"`
	PerPage int `json:"per_page"`
	Items   []T `json:"items"`
}

type apiInnovationItem struct {
	Slug           string    `json:"slug"`
	Title          string    `json:"title"`
	Region         regionRef `json:"region"`
	Agency         string    `json:"agency,omitempty"`
	Urusan         string    `json:"urusan,omitempty"`
	Stage          string    `json:"stage,omitempty"`
	InnovationType string    `json:"innovation_type,omitempty"`
	YearStarted    int       `json:"year_started,omitempty"`
	Summary        string    `json:"summary,omitempty"`
	Visibility     string    `json:"visibility"`
	UpdatedAt      string    `json:"updated_at"`
	Adoptions      int       `json:"adoptions"`
}

func (s *Server) apiInnovations(c *gin.Context) {
	p, ok := s.apiPage(c)
	if !ok {
		return
	}
	g := s.ref.Ref.Regions
	f := sqlite.InnovationFilter{Viewer: s.viewer(c), Page: p}
	checks := []struct {
		name string
		dst  *string
		ok   func(string) bool
	}{
		{"region", &f.Region, func(v string) bool { _, ok := g.Get(v); return ok }},
		{"urusan", &f.Urusan, func(v string) bool { _, ok := s.ref.Ref.Urusan.Get(v); return ok }},
		{"stage", &f.Stage, func(v string) bool { _, ok := kb.Stages().Get(v); return ok }},
		{"type", &f.Type, func(v string) bool { _, ok := kb.InnovationTypes().Get(v); return ok }},
		{"sort", &f.Sort, func(v string) bool { return v == "updated" || v == "title" || v == "adopted" }},
	}
	for _, ch := range checks {
		v, ok := s.apiFilter(c, ch.name, ch.ok)
		if !ok {
			return
		}
		*ch.dst = v
	}
	// The web list's province filter, for links and clients built on it.
	province, ok := s.apiFilter(c, "province", func(v string) bool { r, ok := g.Get(v); return ok && r.IsProvince() })
	if !ok {
		return
	}
	if f.Region == "" {
		f.Region = province
	}
	items, total, err := s.db.ListInnovations(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := listResponse[apiInnovationItem]{Total: total, Page: p.Page, PerPage: p.PerPage, Items: make([]apiInnovationItem, len(items))}
	for i, it := range items {
		out.Items[i] = apiInnovationItem{Slug: it.Slug, Title: it.Title, Region: s.regionRef(it.Region), Agency: it.Agency,
			Urusan: it.Urusan, Stage: it.Stage, InnovationType: it.InnovationType, YearStarted: it.YearStarted,
			Summary: it.Summary, Visibility: it.Visibility, UpdatedAt: it.UpdatedAt, Adoptions: it.Adoptions}
	}
	c.JSON(http.StatusOK, out)
}

type apiRef struct {
	Slug  string `json:"slug"`
	Title string `json:"title"`
	Date  string `json:"date,omitempty"`
}

type apiAdoption struct {
	kb.Adoption
	RegionName string `json:"region_name"`
}

type apiInnovationDetail struct {
	*kb.Innovation
	RegionName string        `json:"region_name"`
	Version    int           `json:"version"`
	CreatedAt  string        `json:"created_at"`
	UpdatedAt  string        `json:"updated_at"`
	ObservedIn []apiRef      `json:"observed_in"`
	Adoptions  []apiAdoption `json:"adoptions"`
}

func (s *Server) adoptions(list []sqlite.AdoptionRecord, v kb.Viewer) []apiAdoption {
	out := make([]apiAdoption, len(list))
	for i, a := range list {
		out[i] = apiAdoption{Adoption: a.Adoption, RegionName: s.regionRef(a.Region).Name}
		if v.Anonymous() {
			out[i].History = anonymousHistory(a.History)
		}
	}
	return out
}

// anonymousHistory is an adoption's history without who moved it.
func anonymousHistory(h []kb.AdoptionEvent) []kb.AdoptionEvent {
	out := slices.Clone(h)
	for i := range out {
		out[i].By = ""
	}
	return out
}

func (s *Server) innovationDetail(ctx context.Context, slug string, v kb.Viewer) (*apiInnovationDetail, error) {
	rec, err := s.db.GetInnovation(ctx, slug, v)
	if err != nil {
		return nil, err
	}
	d := &apiInnovationDetail{Innovation: &rec.Innovation, RegionName: s.regionRef(rec.Region).Name, Version: rec.Version,
		CreatedAt: rec.CreatedAt, UpdatedAt: rec.UpdatedAt, ObservedIn: []apiRef{}, Adoptions: s.adoptions(rec.Adoptions, v)}
	for _, v := range rec.Visits {
		d.ObservedIn = append(d.ObservedIn, apiRef{Slug: v.Slug, Title: v.Title, Date: v.Date})
	}
	return d, nil
}

func (s *Server) apiInnovation(c *gin.Context) {
	d, err := s.innovationDetail(c.Request.Context(), c.Param("slug"), s.viewer(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}

type apiVisitItem struct {
	Slug           string    `json:"slug"`
	Title          string    `json:"title"`
	VisitType      string    `json:"visit_type"`
	StartDate      string    `json:"start_date"`
	EndDate        string    `json:"end_date"`
	VisitorRegion  regionRef `json:"visitor_region"`
	VisitorAgency  string    `json:"visitor_agency,omitempty"`
	HostRegion     regionRef `json:"host_region"`
	HostAgency     string    `json:"host_agency,omitempty"`
	DelegationSize int       `json:"delegation_size,omitempty"`
	Visibility     string    `json:"visibility"`
	Observed       int       `json:"innovations_observed"`
	OpenFollowUps  int       `json:"open_follow_ups"`
}

func (s *Server) apiVisits(c *gin.Context) {
	p, ok := s.apiPage(c)
	if !ok {
		return
	}
	g := s.ref.Ref.Regions
	f := sqlite.VisitFilter{Viewer: s.viewer(c), Page: p}
	if f.Region, ok = s.apiFilter(c, "region", func(v string) bool { _, ok := g.Get(v); return ok }); !ok {
		return
	}
	if f.Role, ok = s.apiFilter(c, "role", func(v string) bool { return v == "visitor" || v == "host" }); !ok {
		return
	}
	if f.Type, ok = s.apiFilter(c, "visit_type", func(v string) bool { _, ok := kb.VisitTypes().Get(v); return ok }); !ok {
		return
	}
	items, total, err := s.db.ListVisits(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := listResponse[apiVisitItem]{Total: total, Page: p.Page, PerPage: p.PerPage, Items: make([]apiVisitItem, len(items))}
	for i, v := range items {
		out.Items[i] = apiVisitItem{Slug: v.Slug, Title: v.Title, VisitType: v.VisitType, StartDate: v.StartDate, EndDate: v.EndDate,
			VisitorRegion: s.regionRef(v.VisitorRegion), VisitorAgency: v.VisitorAgency, HostRegion: s.regionRef(v.HostRegion),
			HostAgency: v.HostAgency, DelegationSize: v.DelegationSize, Visibility: v.Visibility, Observed: v.Observed, OpenFollowUps: v.OpenFollowUps}
	}
	c.JSON(http.StatusOK, out)
}

type apiVisitDetail struct {
	*kb.Visit
	VisitorRegionName string        `json:"visitor_region_name"`
	HostRegionName    string        `json:"host_region_name"`
	Version           int           `json:"version"`
	CreatedAt         string        `json:"created_at"`
	UpdatedAt         string        `json:"updated_at"`
	Adoptions         []apiAdoption `json:"adoptions"`
	// Attachments are the visit's files, without their content (url
	// serves it).
	Attachments []apiAttachment `json:"attachments"`
}

func (s *Server) visitDetail(ctx context.Context, slug string, v kb.Viewer) (*apiVisitDetail, error) {
	rec, err := s.db.GetVisit(ctx, slug, v)
	if err != nil {
		return nil, err
	}
	return &apiVisitDetail{Visit: &rec.Visit, VisitorRegionName: s.regionRef(rec.VisitorRegion).Name,
		HostRegionName: s.regionRef(rec.HostRegion).Name, Version: rec.Version, CreatedAt: rec.CreatedAt, UpdatedAt: rec.UpdatedAt,
		Adoptions: s.adoptions(rec.Adoptions, v), Attachments: apiAttachments(rec.Slug, rec.Attachments)}, nil
}

func (s *Server) apiVisit(c *gin.Context) {
	d, err := s.visitDetail(c.Request.Context(), c.Param("slug"), s.viewer(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}

func (s *Server) apiRegions(c *gin.Context) {
	p, ok := s.apiPage(c)
	if !ok {
		return
	}
	g := s.ref.Ref.Regions
	level, ok := s.apiFilter(c, "level", func(v string) bool {
		return v == kb.LevelNational || v == kb.LevelProvince || v == kb.LevelKabupaten || v == kb.LevelKota
	})
	if !ok {
		return
	}
	province, ok := s.apiFilter(c, "province", func(v string) bool { r, ok := g.Get(v); return ok && r.IsProvince() })
	if !ok {
		return
	}
	q := strings.TrimSpace(c.Query("q"))
	if len(q) > 100 {
		s.badParam(c, "q", kb.Text{ID: "paling banyak 100 karakter", EN: "at most 100 characters"})
		return
	}
	var all []kb.Region
	if q != "" {
		all = g.Search(q, len(g.All()))
	} else {
		all = g.All()
	}
	matched := []kb.Region{}
	for _, r := range all {
		if (level == "" || r.Level == level) && (province == "" || r.ProvinceCode == province || r.Code == province) {
			matched = append(matched, r)
		}
	}
	out := listResponse[kb.Region]{Total: len(matched), Page: p.Page, PerPage: p.PerPage, Items: []kb.Region{}}
	if start := (p.Page - 1) * p.PerPage; start < len(matched) {
		out.Items = matched[start:min(start+p.PerPage, len(matched))]
	}
	c.JSON(http.StatusOK, out)
}

type apiRegionDetail struct {
	kb.Region
	Province *regionRef   `json:"province"`
	Counts   regionCounts `json:"counts"`
}

type regionCounts struct {
	Innovations  int `json:"innovations"`
	VisitsMade   int `json:"visits_made"`
	VisitsHosted int `json:"visits_hosted"`
	Adoptions    int `json:"adoptions"`
}

func (s *Server) apiRegion(c *gin.Context) {
	g := s.ref.Ref.Regions
	r, ok := g.Get(c.Param("code"))
	if !ok {
		// A name or alias answers as the page does: the region's own
		// address when it names one region, the candidates when several.
		rr, err := g.Resolve(c.Param("code"))
		var amb *kb.AmbiguousError
		switch {
		case err == nil:
			c.Redirect(http.StatusMovedPermanently, "/api/v1/regions/"+rr.Code)
		case errors.As(err, &amb):
			_, ferr := g.ResolveField("code", c.Param("code"))
			s.writeError(c, ferr) // 422, the candidates named on the field
		default:
			s.fail(c, fmt.Errorf("region %q: %w", c.Param("code"), kb.ErrNotFound))
		}
		return
	}
	ctx := c.Request.Context()
	v := s.viewer(c)
	d := apiRegionDetail{Region: r}
	if p, ok := g.Province(r); ok && p.Code != r.Code {
		d.Province = &regionRef{Code: p.Code, Name: p.Name}
	}
	var err error
	one := sqlite.Page{PerPage: 1}
	if _, d.Counts.Innovations, err = s.db.ListInnovations(ctx, sqlite.InnovationFilter{Viewer: v, Region: r.Code, Page: one}); err == nil {
		if _, d.Counts.VisitsMade, err = s.db.ListVisits(ctx, sqlite.VisitFilter{Viewer: v, Region: r.Code, Role: "visitor", Page: one}); err == nil {
			if _, d.Counts.VisitsHosted, err = s.db.ListVisits(ctx, sqlite.VisitFilter{Viewer: v, Region: r.Code, Role: "host", Page: one}); err == nil {
				var ads []sqlite.AdoptionRecord
				ads, err = s.db.ListAdoptionsByRegion(ctx, r.Code, v)
				d.Counts.Adoptions = len(ads)
			}
		}
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}
