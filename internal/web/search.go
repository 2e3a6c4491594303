package web

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"tiru/internal/kb"
	"tiru/internal/search"
	"tiru/internal/sqlite"
)

// searchFilterParams are the query parameters that filter a search, each
// checked against its vocabulary.
func (s *Server) searchFilterChecks() map[string]func(string) bool {
	g := s.ref.Ref.Regions
	inTax := func(t kb.Taxonomy) func(string) bool { return func(v string) bool { _, ok := t.Get(v); return ok } }
	return map[string]func(string) bool{
		"kind":     func(v string) bool { return v == "innovation" || v == "visit" },
		"province": func(v string) bool { r, ok := g.Get(v); return ok && r.IsProvince() },
		"region":   func(v string) bool { _, ok := g.Get(v); return ok },
		"urusan":   func(v string) bool { _, ok := s.ref.Ref.Urusan.Get(v); return ok },
		"stage":    inTax(kb.Stages()),
		"type":     inTax(kb.InnovationTypes()),
		"evidence": func(v string) bool { n, err := strconv.Atoi(v); return err == nil && n >= 1 && n <= 5 },
		"adoption": inTax(kb.AdoptionStatuses()),
		"year":     func(v string) bool { n, err := strconv.Atoi(v); return err == nil && n >= 1945 && n <= 2100 },
		"sort":     func(v string) bool { return v == "relevance" || v == "newest" || v == "adopted" },
	}
}

func setFilter(f *search.Filters, name, v string) {
	switch name {
	case "kind":
		f.Kind = v
	case "province":
		f.Province = v
	case "region":
		f.Region = v
	case "urusan":
		f.Urusan = v
	case "stage":
		f.Stage = v
	case "type":
		f.Type = v
	case "evidence":
		f.Evidence = v
	case "adoption":
		f.Adoption = v
	case "year":
		f.Year = v
	}
}

// facetLabel names a facet value in the reader's language.
func (s *Server) facetLabel(field, value, lang string) string {
	switch field {
	case "kind":
		return map[string]kb.Text{"innovation": {ID: "Inovasi", EN: "Innovation"}, "visit": {ID: "Kunjungan", EN: "Visit"}}[value].In(lang)
	case "province", "region":
		if r, ok := s.ref.Ref.Regions.Get(value); ok {
			return r.Name
		}
	case "urusan":
		if u, ok := s.ref.Ref.Urusan.Get(value); ok {
			return u.Name(lang)
		}
	case "stage":
		return kb.Stages().Label(value, lang)
	case "type":
		return kb.InnovationTypes().Label(value, lang)
	case "adoption":
		return kb.AdoptionStatuses().Label(value, lang)
	case "evidence":
		if n, err := strconv.Atoi(value); err == nil && n >= 1 && n <= 5 {
			return value + " – " + kb.EvidenceLevels()[n-1].In(lang)
		}
	}
	return value
}

type facetValueView struct {
	Value, Label string
	Count        int
	Active       bool
	URL          string // this search with the value toggled
}

type facetView struct {
	Field, Title string
	Values       []facetValueView
}

type chipView struct {
	Label, RemoveURL string
}

type searchPage struct {
	Query      string
	Result     *search.Result
	Hits       []searchHitView
	Facets     []facetView
	Chips      []chipView
	Sorts      []option
	Pager      pager
	TookMS     string
	Rebuilding bool
	TooBroad   bool // the search ran out of its time budget
	SuggestURL string
	Broader    string // the search without filters, when filters hide everything
	Hidden     []hiddenField
	RawQuery   string // the search as a query string, for saving it
	// Window is how many results paging reaches, set only when the
	// search found more than that.
	Window int
}

// hiddenField carries an active filter through the search and sort forms.
type hiddenField struct{ Name, Value string }

type searchHitView struct {
	search.Hit
	TitleHTML, Snippet template.HTML
	URL, Kind, Region  string
}

// withParam returns the current search URL with one parameter changed (an
// empty value removes it) and paging reset.
func withParam(u *url.URL, name, value string) string {
	q := u.Query()
	q.Del("page")
	q.Del("lang")
	if value == "" {
		q.Del(name)
	} else {
		q.Set(name, value)
	}
	return "/cari?" + q.Encode()
}

func (s *Server) searchPage(c *gin.Context) {
	l := s.localizer(c)
	checks := s.searchFilterChecks()
	req := search.Request{Query: c.Query("q"), Viewer: s.viewer(c), Page: pageParams(c).Page, PerPage: 20}
	active := map[string]string{}
	for name, ok := range checks {
		if v := strings.TrimSpace(c.Query(name)); v != "" && ok(v) {
			active[name] = v
			if name == "sort" {
				req.Sort = v
			} else {
				setFilter(&req.Filters, name, v)
			}
		}
	}
	d := searchPage{Query: req.Query, RawQuery: c.Request.URL.RawQuery}
	// The tab and the browser's history name what was searched.
	title := l.T("search.title")
	if q := strings.TrimSpace(req.Query); q != "" {
		title = l.T("search.title_q", q)
	}
	if v, ok := active["sort"]; ok {
		d.Hidden = append(d.Hidden, hiddenField{"sort", v})
	}
	res, err := s.search.Search(c.Request.Context(), req)
	switch {
	case errors.Is(err, search.ErrNotReady):
		d.Rebuilding = true
		c.Header("Retry-After", "10")
		s.render(c, http.StatusServiceUnavailable, "search", title, d)
		return
	case errors.Is(err, search.ErrTooBroad):
		d.TooBroad = true
		s.render(c, http.StatusServiceUnavailable, "search", title, d)
		return
	case err != nil:
		s.fail(c, err)
		return
	}
	d.Result = res
	d.TookMS = strconv.FormatFloat(float64(res.Took.Microseconds())/1000, 'f', 1, 64)
	if l.Lang == "id" {
		d.TookMS = strings.Replace(d.TookMS, ".", ",", 1)
	}
	u := c.Request.URL
	for _, h := range res.Hits {
		v := searchHitView{Hit: h, TitleHTML: safeHTML(h.TitleHTML), Snippet: safeHTML(h.Snippet), Region: h.Region}
		if h.Kind == "visit" {
			v.URL, v.Kind = "/kunjungan/"+h.Slug, l.T("kind.visit")
		} else {
			v.URL, v.Kind = "/inovasi/"+h.Slug, l.T("kind.innovation")
		}
		d.Hits = append(d.Hits, v)
	}
	for _, field := range search.FacetFields() {
		fv := facetView{Field: field, Title: l.T("facet." + field)}
		for _, val := range res.Facets[field] {
			isActive := active[field] == val.Value
			next := val.Value
			if isActive {
				next = ""
			}
			fv.Values = append(fv.Values, facetValueView{Value: val.Value, Label: s.facetLabel(field, val.Value, l.Lang), Count: val.Count, Active: isActive, URL: withParam(u, field, next)})
		}
		if v, ok := active[field]; ok && len(fv.Values) == 0 {
			fv.Values = append(fv.Values, facetValueView{Value: v, Label: s.facetLabel(field, v, l.Lang), Active: true, URL: withParam(u, field, "")})
		}
		if len(fv.Values) > 0 {
			d.Facets = append(d.Facets, fv)
		}
	}
	for _, field := range search.FacetFields() {
		if v, ok := active[field]; ok {
			d.Hidden = append(d.Hidden, hiddenField{field, v})
			d.Chips = append(d.Chips, chipView{Label: l.T("facet."+field) + ": " + s.facetLabel(field, v, l.Lang), RemoveURL: withParam(u, field, "")})
		}
	}
	sorts := []kb.Term{{Key: "relevance", ID: "Paling relevan", EN: "Most relevant"}, {Key: "newest", ID: "Terbaru", EN: "Newest"}, {Key: "adopted", ID: "Paling banyak direplikasi", EN: "Most adopted"}}
	d.Sorts = options(sorts, l.Lang, active["sort"])
	// The pager counts only the results paging reaches, so it never links
	// past them, and a page past them is told where the last one is; the
	// page says why, when the search found more.
	d.Pager = newPager(u, sqlite.Page{Page: res.Page, PerPage: res.PerPage}, int(min(res.Total, search.MaxWindow)))
	if res.Total > search.MaxWindow {
		d.Window = search.MaxWindow
	}
	if res.Suggestion != "" {
		d.SuggestURL = withParam(u, "q", res.Suggestion)
	}
	if res.Total == 0 {
		if len(d.Chips) > 0 {
			d.Broader = "/cari?q=" + url.QueryEscape(req.Query)
		}
	}
	s.render(c, http.StatusOK, "search", title, d)
}

// apiSearch is GET /api/v1/search.
func (s *Server) apiSearch(c *gin.Context) {
	l := s.localizer(c)
	p, ok := s.apiPage(c)
	if !ok {
		return
	}
	if p.PerPage > search.MaxPerPage {
		s.badParam(c, "per_page", kb.Text{ID: "paling banyak 50", EN: "at most 50"})
		return
	}
	q := c.Query("q")
	if len([]rune(q)) > search.MaxQueryRunes*4 {
		n := strconv.Itoa(search.MaxQueryRunes * 4)
		s.badParam(c, "q", kb.Text{ID: "pertanyaan terlalu panjang (paling banyak " + n + " karakter)", EN: "query too long (at most " + n + " characters)"})
		return
	}
	req := search.Request{Query: q, Viewer: s.viewer(c), Page: p.Page, PerPage: p.PerPage}
	if v, ok := c.GetQuery("facets"); ok {
		if req.Facets, ok = parseFacets(v); !ok {
			s.badParam(c, "facets", kb.Text{ID: "daftar facet tidak dikenal; gunakan none atau nama facet dipisah koma", EN: "unknown facets; use none or facet names separated by commas"})
			return
		}
	}
	for name, check := range s.searchFilterChecks() {
		v, ok := s.apiFilter(c, name, check)
		if !ok {
			return
		}
		if name == "sort" {
			req.Sort = v
		} else if v != "" {
			setFilter(&req.Filters, name, v)
		}
	}
	res, err := s.search.Search(c.Request.Context(), req)
	if errors.Is(err, search.ErrNotReady) {
		c.Header("Retry-After", "10")
		c.AbortWithStatusJSON(http.StatusServiceUnavailable, apiError{Error: apiErrorBody{Code: "index_rebuilding", Message: l.T("search.rebuilding"), RequestID: requestIDOf(c)}})
		return
	}
	if errors.Is(err, search.ErrTooBroad) {
		c.AbortWithStatusJSON(http.StatusServiceUnavailable, apiError{Error: apiErrorBody{Code: "search_too_broad", Message: l.T("search.too_broad"), Fields: []apiFieldError{{Field: "q", Message: l.T("search.too_broad")}}, RequestID: requestIDOf(c)}})
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	type hit struct {
		Kind    string    `json:"kind"`
		Slug    string    `json:"slug"`
		Title   string    `json:"title"`
		Region  regionRef `json:"region"`
		Snippet string    `json:"snippet"`
		Score   float64   `json:"score"`
	}
	type facetValue struct {
		Value string `json:"value"`
		Label string `json:"label"`
		Count int    `json:"count"`
	}
	out := struct {
		Query      string                  `json:"query"`
		Total      uint64                  `json:"total"`
		TookMS     float64                 `json:"took_ms"`
		Page       int                     `json:"page"`
		PerPage    int                     `json:"per_page"`
		Hits       []hit                   `json:"hits"`
		Facets     map[string][]facetValue `json:"facets"`
		Suggestion string                  `json:"suggestion,omitempty"`
	}{Query: q, Total: res.Total, TookMS: float64(res.Took.Microseconds()) / 1000, Page: res.Page, PerPage: res.PerPage,
		Hits: []hit{}, Facets: map[string][]facetValue{}, Suggestion: res.Suggestion}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, hit{Kind: h.Kind, Slug: h.Slug, Title: h.Title, Region: s.regionRef(h.Region), Snippet: h.Snippet, Score: h.Score})
	}
	for _, f := range search.FacetFields() {
		if req.Facets != nil && !slices.Contains(req.Facets, f) {
			continue
		}
		vals := []facetValue{}
		for _, v := range res.Facets[f] {
			vals = append(vals, facetValue{Value: v.Value, Label: s.facetLabel(f, v.Value, l.Lang), Count: v.Count})
		}
		out.Facets[f] = vals
	}
	c.JSON(http.StatusOK, out)
}

// parseFacets reads the facets parameter: "none", or facet names separated
// by commas.
func parseFacets(v string) ([]string, bool) {
	v = strings.TrimSpace(v)
	if v == "none" {
		return []string{}, true
	}
	var out []string
	for _, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		if !slices.Contains(search.FacetFields(), f) {
			return nil, false
		}
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out, true
}

// safeHTML marks search snippets as HTML. The search package builds them
// from escaped text with only <mark> added.
func safeHTML(s string) template.HTML { return template.HTML(s) }

// related finds innovations like this one; the page shows none rather
// than failing when the index cannot answer.
func (s *Server) related(ctx context.Context, id int64, in *kb.Innovation, v kb.Viewer) []search.Hit {
	hits, err := s.search.Related(ctx, "innovation", id, in.Title, in.Tags, in.Urusan, v, 5)
	if err != nil {
		if !errors.Is(err, search.ErrNotReady) {
			s.log.Warn("related innovations", "error", err)
		}
		return nil
	}
	return hits
}
