package web

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"tiru/internal/kb"
	"tiru/internal/search"
	"tiru/internal/sqlite"
)

// pageParams reads page and per_page leniently: pages never fail on a bad
// number, they show the first page.
func pageParams(c *gin.Context) sqlite.Page {
	p, _ := strconv.Atoi(c.Query("page"))
	pp, _ := strconv.Atoi(c.Query("per_page"))
	return sqlite.Page{Page: p, PerPage: pp}.Clamp()
}

// pager is the data of the previous/next links of a list.
type pager struct {
	Page, Pages, Total int
	Prev, Next         string
	// First and Last are set only when Page is past the last page (an old
	// link, or a list that shrank): the list is empty although Total is
	// not, and the page says so and links back instead.
	First, Last string
}

// PastEnd reports whether the page asked for is after the last one.
func (p pager) PastEnd() bool { return p.Last != "" }

func newPager(u *url.URL, p sqlite.Page, total int) pager {
	pages := (total + p.PerPage - 1) / p.PerPage
	pg := pager{Page: p.Page, Pages: pages, Total: total}
	link := func(n int) string {
		q := u.Query()
		q.Set("page", strconv.Itoa(n))
		q.Del("lang")
		return u.Path + "?" + q.Encode()
	}
	if pages > 0 && p.Page > pages {
		pg.Last = link(pages)
		if pages > 1 {
			pg.First = link(1)
		}
		return pg
	}
	if p.Page > 1 {
		pg.Prev = link(p.Page - 1)
	}
	if p.Page < pages {
		pg.Next = link(p.Page + 1)
	}
	return pg
}

type homeData struct {
	Stats       sqlite.Stats
	Innovations []sqlite.InnovationSummary
	Visits      []sqlite.VisitSummary
	// Due are the open follow-ups of the signed-in reader's region that
	// are past their date or soon due: with no mail to remind anyone,
	// the first page after signing in does.
	Due     []sqlite.FollowUpRecord
	DueMore bool // more are due than Due lists
	Region  string
	Today   string
}

// homeDueDays is how far ahead the home page looks for follow-ups due:
// two weeks leaves time to act on one before its date.
const homeDueDays = 14

// homeDueLimit is how many due follow-ups the home page lists.
const homeDueLimit = 5

func (s *Server) home(c *gin.Context) {
	v := s.viewer(c)
	ctx := c.Request.Context()
	d := homeData{}
	var err error
	if d.Stats, err = s.db.Stats(ctx, v); err != nil {
		s.fail(c, err)
		return
	}
	if d.Innovations, _, err = s.db.ListInnovations(ctx, sqlite.InnovationFilter{Viewer: v, Page: sqlite.Page{PerPage: 6}}); err != nil {
		s.fail(c, err)
		return
	}
	if d.Visits, _, err = s.db.ListVisits(ctx, sqlite.VisitFilter{Viewer: v, Page: sqlite.Page{PerPage: 5}}); err != nil {
		s.fail(c, err)
		return
	}
	if a := s.actor(c); a.LoggedIn() && a.Region != "" {
		now := time.Now().In(wib)
		d.Region, d.Today = a.Region, now.Format(kb.DateLayout)
		soon := now.AddDate(0, 0, homeDueDays).Format(kb.DateLayout)
		// Soonest due first, and those without a date last: the ones
		// due soon are at the head of the list.
		fus, err := s.db.OpenFollowUps(ctx, v, a.Region, homeDueLimit+1)
		if err != nil {
			s.fail(c, err)
			return
		}
		for _, f := range fus {
			if f.DueDate != "" && f.DueDate <= soon {
				d.Due = append(d.Due, f)
			}
		}
		d.DueMore = len(d.Due) > homeDueLimit
		d.Due = d.Due[:min(len(d.Due), homeDueLimit)]
	}
	s.render(c, http.StatusOK, "home", s.localizer(c).T("home.title"), d)
}

// option is one choice of a filter select.
type option struct {
	Value, Label string
	Selected     bool
}

func options(terms []kb.Term, lang, selected string) []option {
	out := make([]option, len(terms))
	for i, t := range terms {
		out[i] = option{t.Key, t.Label(lang), t.Key == selected}
	}
	return out
}

type innovationListData struct {
	Items     []sqlite.InnovationSummary
	Pager     pager
	Provinces []option
	Urusan    []option
	Stages    []option
	Types     []option
	Sorts     []option
	Place     *kb.Region // a regency or city the list is narrowed to (a region page links here)
	Filtered  bool
}

// filterValue keeps only a value that is one of the allowed keys, so a
// crafted query string cannot reach the database as anything but a known key.
func filterValue(c *gin.Context, name string, ok func(string) bool) string {
	v := strings.TrimSpace(c.Query(name))
	if v == "" || !ok(v) {
		return ""
	}
	return v
}

func (s *Server) innovationFilter(c *gin.Context) sqlite.InnovationFilter {
	g := s.ref.Ref.Regions
	f := sqlite.InnovationFilter{Viewer: s.viewer(c), Page: pageParams(c)}
	f.Region = filterValue(c, "region", func(v string) bool { _, ok := g.Get(v); return ok })
	if f.Region == "" {
		f.Region = filterValue(c, "province", func(v string) bool { r, ok := g.Get(v); return ok && r.IsProvince() })
	}
	f.Urusan = filterValue(c, "urusan", func(v string) bool { _, ok := s.ref.Ref.Urusan.Get(v); return ok })
	f.Stage = filterValue(c, "stage", func(v string) bool { _, ok := kb.Stages().Get(v); return ok })
	f.Type = filterValue(c, "type", func(v string) bool { _, ok := kb.InnovationTypes().Get(v); return ok })
	f.Sort = filterValue(c, "sort", func(v string) bool { return v == "updated" || v == "title" || v == "adopted" })
	return f
}

// regionName is the name of the region with code, or the code when the
// reference lacks it: for pages and downloads alike.
func (s *Server) regionName(code string) string {
	if r, ok := s.ref.Ref.Regions.Get(code); ok {
		return r.Name
	}
	return code
}

// place is the regency or city a list is narrowed to, which the province
// select cannot show: the list names it and keeps it when refiltered.
// A province, or no region, is nil.
func (s *Server) place(code string) *kb.Region {
	r, ok := s.ref.Ref.Regions.Get(code)
	if code == "" || !ok || r.IsProvince() {
		return nil
	}
	return &r
}

func (s *Server) provinceOptions(selected string) []option {
	var out []option
	for _, r := range s.ref.Ref.Regions.All() {
		if r.IsProvince() {
			out = append(out, option{r.Code, r.Name, r.Code == selected})
		}
	}
	return out
}

func (s *Server) urusanOptions(lang, selected string) []option {
	var out []option
	for _, u := range s.ref.Ref.Urusan.All() {
		out = append(out, option{u.Code, u.Code + " " + u.Name(lang), u.Code == selected})
	}
	return out
}

func (s *Server) innovationList(c *gin.Context) {
	l := s.localizer(c)
	f := s.innovationFilter(c)
	items, total, err := s.db.ListInnovations(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	sorts := []kb.Term{{Key: "updated", ID: "Terbaru diperbarui", EN: "Recently updated"}, {Key: "title", ID: "Judul (A–Z)", EN: "Title (A–Z)"}, {Key: "adopted", ID: "Paling banyak direplikasi", EN: "Most adopted"}}
	d := innovationListData{Items: items, Pager: newPager(c.Request.URL, f.Page, total),
		Provinces: s.provinceOptions(f.Region), Urusan: s.urusanOptions(l.Lang, f.Urusan),
		Stages: options(kb.Stages().Terms, l.Lang, f.Stage), Types: options(kb.InnovationTypes().Terms, l.Lang, f.Type),
		Sorts: options(sorts, l.Lang, f.Sort), Place: s.place(f.Region), Filtered: f.Region != "" || f.Urusan != "" || f.Stage != "" || f.Type != ""}
	s.render(c, http.StatusOK, "innovations", l.T("innovations.title"), d)
}

type innovationData struct {
	*sqlite.InnovationRecord
	Related    []search.Hit
	Bookmarked bool
	Revisions  []sqlite.Revision
	Adopt      adoptionFormData
}

// adoptionFormData is the leader's form to record their region's step in
// adopting the innovation.
type adoptionFormData struct {
	Show      bool   // the reader leads a region that may adopt it
	OwnRegion bool   // the reader leads the region that made it, which cannot adopt it
	Region    string // the reader's region
	Steps     []option
	Degrees   []option
	Visits    []option // visits that observed it, to name as where the step came from
	Date      string
	Today     string
	Note      string
	Error     string // why the step was refused, shown with what was typed
}

func (s *Server) innovationPage(c *gin.Context) {
	s.showInnovation(c, http.StatusOK, nil, "")
}

// showInnovation renders an innovation's page. With sent, the page answers
// a refused adoption step: the form shows why, with what was typed.
func (s *Server) showInnovation(c *gin.Context, status int, sent *adoptionMove, refusal string) {
	rec, err := s.db.GetInnovation(c.Request.Context(), c.Param("slug"), s.viewer(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	l := s.localizer(c)
	related := s.related(c.Request.Context(), rec.ID, &rec.Innovation, s.viewer(c))
	d := innovationData{InnovationRecord: rec, Related: related}
	if a := s.actor(c); a.LoggedIn() {
		d.Bookmarked = s.bookmarked(c, a.UserID, "innovation", rec.Slug)
		d.Adopt = s.adoptionFormFor(a, rec, l.Lang, sent, refusal)
	}
	revs, err := s.db.Revisions(c.Request.Context(), sqlite.KindInnovation, rec.Slug)
	if err != nil {
		s.fail(c, err)
		return
	}
	d.Revisions = revisionsFor(revs, s.viewer(c), innovationFields)
	s.render(c, status, "innovation", rec.Title, d)
}

// adoptionFormFor fills the adoption form for a leader: it starts at where
// their region stands (starting at the first step, a leader who only added
// a note moved the adoption back), or at what they sent when it was
// refused.
func (s *Server) adoptionFormFor(a kb.Actor, rec *sqlite.InnovationRecord, lang string, sent *adoptionMove, refusal string) adoptionFormData {
	if a.Role != kb.RolePimpinan || a.Region == "" {
		return adoptionFormData{}
	}
	f := adoptionFormData{Region: a.Region, Today: time.Now().In(wib).Format(kb.DateLayout)}
	if a.Region == rec.Region {
		f.OwnRegion = true
		return f
	}
	f.Show = true
	current, degree, visit := "", "", ""
	for _, ad := range rec.Adoptions {
		if ad.Region == a.Region {
			current, degree, visit = ad.Status, ad.Degree, ad.Visit
		}
	}
	if sent != nil {
		current, f.Date, f.Note, f.Error = sent.Status, sent.Date, sent.Note, refusal
		degree, visit = cmp.Or(sent.Degree, degree), cmp.Or(sent.Visit, visit)
	}
	f.Steps = options(kb.AdoptionStatuses().Terms, lang, current)
	f.Degrees = options(kb.AdoptionDegrees().Terms, lang, degree)
	for _, v := range rec.Visits {
		f.Visits = append(f.Visits, option{Value: v.Slug, Label: v.Title, Selected: v.Slug == visit})
	}
	return f
}

// revisionsFor is a record's history as v may see it: without who made
// each change for a reader who has not signed in, since an author is
// recorded by the e-mail address the account logs in with. The fields each
// revision changed are listed in the form's order (fields): in the order of
// their JSON keys, they read as shuffled in Indonesian.
func revisionsFor(revs []sqlite.Revision, v kb.Viewer, fields []string) []sqlite.Revision {
	out := slices.Clone(revs)
	at := func(f string) int {
		if i := slices.Index(fields, f); i >= 0 {
			return i
		}
		return len(fields)
	}
	for i := range out {
		if v.Anonymous() {
			out[i].Author = ""
		}
		changed := slices.Clone(out[i].Changed)
		slices.SortStableFunc(changed, func(a, b string) int { return at(a) - at(b) })
		out[i].Changed = changed
	}
	return out
}

func (s *Server) visitList(c *gin.Context) {
	l := s.localizer(c)
	g := s.ref.Ref.Regions
	f := sqlite.VisitFilter{Viewer: s.viewer(c), Page: pageParams(c)}
	f.Region = filterValue(c, "region", func(v string) bool { _, ok := g.Get(v); return ok })
	if f.Region == "" {
		f.Region = filterValue(c, "province", func(v string) bool { r, ok := g.Get(v); return ok && r.IsProvince() })
	}
	f.Type = filterValue(c, "type", func(v string) bool { _, ok := kb.VisitTypes().Get(v); return ok })
	items, total, err := s.db.ListVisits(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	d := struct {
		Items     []sqlite.VisitSummary
		Pager     pager
		Provinces []option
		Types     []option
		Place     *kb.Region
		Filtered  bool
	}{items, newPager(c.Request.URL, f.Page, total), s.provinceOptions(f.Region), options(kb.VisitTypes().Terms, l.Lang, f.Type), s.place(f.Region), f.Region != "" || f.Type != ""}
	s.render(c, http.StatusOK, "visits", l.T("visits.title"), d)
}

type visitData struct {
	*sqlite.VisitRecord
	Bookmarked bool
	Revisions  []sqlite.Revision
	Today      string // for marking follow-ups past their due date, as the board does
	// Files are the visit's attachments as the page lists them.
	Files []attachmentView
	// FileError says why an upload was refused, beside the upload form.
	FileError string
}

func (s *Server) visitPage(c *gin.Context) { s.showVisit(c, http.StatusOK, "") }

// showVisit renders a visit's page with status; fileError, when set, is
// why an attachment was refused, shown at the upload form.
func (s *Server) showVisit(c *gin.Context, status int, fileError string) {
	rec, err := s.db.GetVisit(c.Request.Context(), c.Param("slug"), s.viewer(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	d := visitData{VisitRecord: rec, Today: time.Now().In(wib).Format(kb.DateLayout), FileError: fileError}
	if a := s.actor(c); a.LoggedIn() {
		d.Bookmarked = s.bookmarked(c, a.UserID, "visit", rec.Slug)
	}
	revs, err := s.db.Revisions(c.Request.Context(), sqlite.KindVisit, rec.Slug)
	if err != nil {
		s.fail(c, err)
		return
	}
	d.Revisions = revisionsFor(revs, s.viewer(c), visitFields)
	d.Files = attachmentViews(s.localizer(c), rec.Slug, rec.Attachments, s.viewer(c))
	s.render(c, status, "visit", rec.Title, d)
}

func (s *Server) regionList(c *gin.Context) {
	l := s.localizer(c)
	q := clipRunes(strings.TrimSpace(c.Query("q")), 100)
	var regions []kb.Region
	if q != "" {
		regions = s.ref.Ref.Regions.Search(q, 50)
	} else {
		for _, r := range s.ref.Ref.Regions.All() {
			if r.IsProvince() || r.Level == kb.LevelNational {
				regions = append(regions, r)
			}
		}
	}
	s.render(c, http.StatusOK, "regions", l.T("regions.title"), struct {
		Query   string
		Regions []kb.Region
	}{q, regions})
}

type regionData struct {
	Region      kb.Region
	Province    *kb.Region
	Children    []kb.Region
	Innovations []sqlite.InnovationSummary
	InnovTotal  int
	Made        []sqlite.VisitSummary
	MadeTotal   int
	Hosted      []sqlite.VisitSummary
	HostedTotal int
	Adoptions   []sqlite.AdoptionRecord
	Agencies    []sqlite.Agency
}

func (s *Server) regionPage(c *gin.Context) {
	g := s.ref.Ref.Regions
	r, ok := g.Get(c.Param("code"))
	if !ok {
		// Accept a name or alias in the URL too, and send the reader to the canonical page.
		rr, err := g.Resolve(c.Param("code"))
		if err == nil {
			c.Redirect(http.StatusMovedPermanently, "/wilayah/"+rr.Code)
			return
		}
		// A name several regions share ("Banjar": the Kabupaten and the
		// Kota) lists them, rather than a bare "not found".
		var amb *kb.AmbiguousError
		if errors.As(err, &amb) {
			c.Redirect(http.StatusSeeOther, "/wilayah?q="+url.QueryEscape(c.Param("code")))
			return
		}
		s.fail(c, fmt.Errorf("region %q: %w", c.Param("code"), kb.ErrNotFound))
		return
	}
	ctx := c.Request.Context()
	v := s.viewer(c)
	d := regionData{Region: r}
	if p, ok := g.Province(r); ok && p.Code != r.Code {
		d.Province = &p
	}
	if r.IsProvince() {
		for _, x := range g.All() {
			if x.ProvinceCode == r.Code {
				d.Children = append(d.Children, x)
			}
		}
	}
	var err error
	if d.Innovations, d.InnovTotal, err = s.db.ListInnovations(ctx, sqlite.InnovationFilter{Viewer: v, Region: r.Code, Page: sqlite.Page{PerPage: 50}}); err != nil {
		s.fail(c, err)
		return
	}
	if d.Made, d.MadeTotal, err = s.db.ListVisits(ctx, sqlite.VisitFilter{Viewer: v, Region: r.Code, Role: "visitor", Page: sqlite.Page{PerPage: 50}}); err != nil {
		s.fail(c, err)
		return
	}
	if d.Hosted, d.HostedTotal, err = s.db.ListVisits(ctx, sqlite.VisitFilter{Viewer: v, Region: r.Code, Role: "host", Page: sqlite.Page{PerPage: 50}}); err != nil {
		s.fail(c, err)
		return
	}
	if d.Adoptions, err = s.db.ListAdoptionsByRegion(ctx, r.Code, v); err != nil {
		s.fail(c, err)
		return
	}
	if d.Agencies, err = s.db.ListAgencies(ctx, r.Code, s.viewer(c)); err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "region", r.Name, d)
}

func (s *Server) agencyPage(c *gin.Context) {
	ctx := c.Request.Context()
	a, err := s.db.GetAgency(ctx, c.Param("slug"), s.viewer(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.viewer(c)
	inn, _, err := s.db.ListInnovations(ctx, sqlite.InnovationFilter{Viewer: v, AgencyID: a.ID, Page: sqlite.Page{PerPage: 100}})
	if err != nil {
		s.fail(c, err)
		return
	}
	vis, _, err := s.db.ListVisits(ctx, sqlite.VisitFilter{Viewer: v, AgencyID: a.ID, Page: sqlite.Page{PerPage: 100}})
	if err != nil {
		s.fail(c, err)
		return
	}
	peers, err := s.db.Counterparts(ctx, a, 30, s.viewer(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "agency", a.Name, struct {
		Agency       *sqlite.Agency
		Innovations  []sqlite.InnovationSummary
		Visits       []sqlite.VisitSummary
		Counterparts []sqlite.Agency
	}{a, inn, vis, peers})
}

// bookmarked reports whether the reader keeps a record. A failure to read
// it is logged and shown as not kept: the page is worth more than its
// bookmark button.
func (s *Server) bookmarked(c *gin.Context, userID int64, kind, slug string) bool {
	ok, err := s.db.IsBookmarked(c.Request.Context(), userID, kind, slug)
	if err != nil {
		s.log.Warn("bookmark state", "request_id", requestIDOf(c), "error", err)
	}
	return ok
}
