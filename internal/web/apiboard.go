package web

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"tiru/internal/kb"
	"tiru/internal/sqlite"
)

// The board for programs: a province's dashboard or a reporting script
// reads the adoptions and the open follow-ups page by page, with the
// board's filters, as the board and its downloads show them to a person.

// apiBoardAdoption is an adoption as the board lists it.
type apiBoardAdoption struct {
	Innovation apiBoardInnovation `json:"innovation"`
	Region     regionRef          `json:"region"` // the adopting region
	Status     string             `json:"status"`
	Degree     string             `json:"degree,omitempty"`
	Date       string             `json:"date,omitempty"`
	Note       string             `json:"note,omitempty"`
	// Idle: under way, with no step for idleMonths (see the board).
	Idle      bool    `json:"idle"`
	Visit     *apiRef `json:"visit,omitempty"`
	UpdatedAt string  `json:"updated_at"`
}

type apiBoardInnovation struct {
	Slug   string    `json:"slug"`
	Title  string    `json:"title"`
	Region regionRef `json:"region"`
}

// apiBoard is one page of the board's adoptions, with the counts the board
// shows above them.
type apiBoard struct {
	listResponse[apiBoardAdoption]
	Counts map[string]int `json:"counts"` // by status, within the region asked for
	Idle   int            `json:"idle"`
}

// apiFollowUp is an open follow-up of a visit.
type apiFollowUp struct {
	Action        string    `json:"action"`
	Owner         string    `json:"owner,omitempty"`
	DueDate       string    `json:"due_date,omitempty"`
	Status        string    `json:"status"`
	Overdue       bool      `json:"overdue"`
	Visit         apiRef    `json:"visit"`
	VisitorRegion regionRef `json:"visitor_region"`
}

// apiRegionFilter reads the optional region filter of the board's lists: a
// regency, a city or a province (which includes its regions).
func (s *Server) apiRegionFilter(c *gin.Context) (string, bool) {
	g := s.ref.Ref.Regions
	return s.apiFilter(c, "region", func(v string) bool { _, ok := g.Get(v); return ok })
}

func (s *Server) apiAdoptions(c *gin.Context) {
	p, ok := s.apiPage(c)
	if !ok {
		return
	}
	now := time.Now().In(wib)
	f := sqlite.BoardFilter{IdleSteps: underWaySteps(), IdleBefore: now.AddDate(0, -idleMonths, 0).Format(kb.DateLayout),
		Offset: (p.Page - 1) * p.PerPage}
	if f.Region, ok = s.apiRegionFilter(c); !ok {
		return
	}
	if f.Status, ok = s.apiFilter(c, "status", func(v string) bool { _, ok := kb.AdoptionStatuses().Get(v); return ok }); !ok {
		return
	}
	var idle string
	if idle, ok = s.apiFilter(c, "idle", func(v string) bool { return v == "true" || v == "false" }); !ok {
		return
	}
	f.OnlyIdle = idle == "true"
	b, err := s.db.Board(c.Request.Context(), s.viewer(c), f, p.PerPage)
	if err != nil {
		s.fail(c, err)
		return
	}
	// As the board counts the list it shows.
	total := b.Total
	switch {
	case f.OnlyIdle:
		total = b.Idle
	case f.Status != "":
		total = b.Counts[f.Status]
	}
	out := apiBoard{listResponse: listResponse[apiBoardAdoption]{Total: total, Page: p.Page, PerPage: p.PerPage,
		Items: make([]apiBoardAdoption, len(b.Latest))}, Counts: b.Counts, Idle: b.Idle}
	for i, a := range b.Latest {
		item := apiBoardAdoption{
			Innovation: apiBoardInnovation{Slug: a.Innovation, Title: a.InnovationTitle, Region: s.regionRef(a.InnovationRegion)},
			Region:     s.regionRef(a.Region), Status: a.Status, Degree: a.Degree, Date: a.Date, Note: a.Note,
			Idle: idleAdoption(a, f.IdleBefore), UpdatedAt: a.UpdatedAt}
		if a.Visit != "" {
			item.Visit = &apiRef{Slug: a.Visit, Title: a.VisitTitle}
		}
		out.Items[i] = item
	}
	c.JSON(http.StatusOK, out)
}

func (s *Server) apiFollowUps(c *gin.Context) {
	p, ok := s.apiPage(c)
	if !ok {
		return
	}
	region, ok := s.apiRegionFilter(c)
	if !ok {
		return
	}
	fus, total, err := s.db.OpenFollowUpsPage(c.Request.Context(), s.viewer(c), region, p)
	if err != nil {
		s.fail(c, err)
		return
	}
	today := time.Now().In(wib).Format(kb.DateLayout)
	out := listResponse[apiFollowUp]{Total: total, Page: p.Page, PerPage: p.PerPage, Items: make([]apiFollowUp, len(fus))}
	for i, f := range fus {
		out.Items[i] = apiFollowUp{Action: f.Action, Owner: f.Owner, DueDate: f.DueDate, Status: f.Status,
			Overdue: f.DueDate != "" && f.DueDate < today, Visit: apiRef{Slug: f.VisitSlug, Title: f.VisitTitle},
			VisitorRegion: s.regionRef(f.VisitorRegion)}
	}
	c.JSON(http.StatusOK, out)
}
