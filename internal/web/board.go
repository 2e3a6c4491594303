package web

import (
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"tiru/internal/kb"
	"tiru/internal/sqlite"
)

// The adoption board is what leadership looks at: how many adoptions stand
// at each step, which stalled, the latest moves, and the follow-ups of
// visits still open, overdue first.

// stalledSteps are the adoption steps at which an adoption stopped moving.
func stalledSteps() []string { return []string{"ditunda", "tidak_dilanjutkan", "dihentikan"} }

// boardLimit bounds the latest moves and open follow-ups a board lists.
const boardLimit = 100

type boardStep struct {
	Status, Label string
	Count         int
	Stalled       bool
}

type boardData struct {
	Steps     []boardStep
	Total     int
	Stalled   int
	Latest    []sqlite.AdoptionRecord
	FollowUps []sqlite.FollowUpRecord
	Provinces []option
	Statuses  []option
	Region    string
	Status    string
	Today     string // for marking follow-ups past their due date
	Filtered  bool
}

func (s *Server) board(c *gin.Context) {
	l := s.localizer(c)
	g := s.ref.Ref.Regions
	region := filterValue(c, "region", func(v string) bool { _, ok := g.Get(v); return ok })
	if region == "" {
		region = filterValue(c, "province", func(v string) bool { r, ok := g.Get(v); return ok && r.IsProvince() })
	}
	status := filterValue(c, "status", func(v string) bool { _, ok := kb.AdoptionStatuses().Get(v); return ok })
	v := s.viewer(c)
	b, err := s.db.Board(c.Request.Context(), v, region, status, boardLimit)
	if err != nil {
		s.fail(c, err)
		return
	}
	fus, err := s.db.OpenFollowUps(c.Request.Context(), v, region, boardLimit)
	if err != nil {
		s.fail(c, err)
		return
	}
	d := boardData{Total: b.Total, Latest: b.Latest, FollowUps: fus, Region: region, Status: status,
		Provinces: s.provinceOptions(region), Statuses: options(kb.AdoptionStatuses().Terms, l.Lang, status),
		Today: time.Now().In(wib).Format(kb.DateLayout), Filtered: region != "" || status != ""}
	for _, t := range kb.AdoptionStatuses().Terms {
		st := boardStep{Status: t.Key, Label: t.Label(l.Lang), Count: b.Counts[t.Key], Stalled: slices.Contains(stalledSteps(), t.Key)}
		if st.Stalled {
			d.Stalled += st.Count
		}
		d.Steps = append(d.Steps, st)
	}
	s.render(c, http.StatusOK, "board", l.T("board.title"), d)
}
