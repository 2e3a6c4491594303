package web

import (
	"net/http"
	"net/url"
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

// underWaySteps are the steps of an adoption still on its way: neither
// reached (diterapkan, melembaga) nor stopped (stalledSteps).
func underWaySteps() []string {
	return []string{"diminati", "dikaji", "dikunjungi", "surat_minat", "disepakati", "perencanaan", "uji_coba"}
}

// idleMonths is how long an adoption under way may go without a step
// before the board calls it idle: a stop is seldom written down, so an
// adoption left at "diminati" since a visit a year ago is a stalled one
// the stop statuses never show. Six months is two budget quarters, the
// pace at which regional governments plan.
const idleMonths = 6

// boardLimit bounds the latest moves and open follow-ups a board lists.
const boardLimit = 100

type boardStep struct {
	Status, Label string
	Count         int
	Stalled       bool
}

// boardRow is an adoption as the board lists it.
type boardRow struct {
	sqlite.AdoptionRecord
	Idle bool // under way, with no step since idleSince
}

type boardData struct {
	Steps      []boardStep
	Total      int
	Stalled    int
	Idle       int
	OnlyIdle   bool // the latest moves are the idle adoptions
	IdleMonths int
	Latest     []boardRow
	LatestOf   int // how many adoptions Latest is the newest of
	FollowUps  []sqlite.FollowUpRecord
	MoreFUs    bool // open follow-ups past the boardLimit listed
	Provinces  []option
	Statuses   []option
	Region     string
	Status     string
	Today      string // for marking follow-ups past their due date
	Filtered   bool
	// Place is the regency or city the board is narrowed to (the region
	// pages and the board's own links give one), which the province
	// select cannot show; PlaceRemoved is the board without it.
	Place        *kb.Region
	PlaceRemoved string
	// Filters is the board's filters as an address's query ("" for none),
	// which the downloads keep.
	Filters string
}

// boardFilter reads the board's filters from the address: a region (a
// regency or city, or a province), a step, and whether only the idle
// adoptions are listed, as of now.
func (s *Server) boardFilter(c *gin.Context, now time.Time) sqlite.BoardFilter {
	g := s.ref.Ref.Regions
	region := filterValue(c, "region", func(v string) bool { _, ok := g.Get(v); return ok })
	if region == "" {
		region = filterValue(c, "province", func(v string) bool { r, ok := g.Get(v); return ok && r.IsProvince() })
	}
	return sqlite.BoardFilter{Region: region,
		Status:     filterValue(c, "status", func(v string) bool { _, ok := kb.AdoptionStatuses().Get(v); return ok }),
		IdleSteps:  underWaySteps(),
		IdleBefore: now.AddDate(0, -idleMonths, 0).Format(kb.DateLayout),
		OnlyIdle:   c.Query("diam") == "1"}
}

// idleAdoption reports whether a stands at a step still under way with no
// step dated since idleBefore, as the store counts idle adoptions: by the
// latest step's date, or by when the adoption was last written if that
// step has none.
func idleAdoption(a sqlite.AdoptionRecord, idleBefore string) bool {
	since := a.Date
	if since == "" && len(a.UpdatedAt) >= len(kb.DateLayout) {
		since = a.UpdatedAt[:len(kb.DateLayout)]
	}
	return slices.Contains(underWaySteps(), a.Status) && since < idleBefore
}

func (s *Server) board(c *gin.Context) {
	l := s.localizer(c)
	v := s.viewer(c)
	now := time.Now().In(wib)
	f := s.boardFilter(c, now)
	region, status, idleSince, onlyIdle := f.Region, f.Status, f.IdleBefore, f.OnlyIdle
	b, err := s.db.Board(c.Request.Context(), v, f, boardLimit)
	if err != nil {
		s.fail(c, err)
		return
	}
	// One more than is listed tells whether the list is cut.
	fus, err := s.db.OpenFollowUps(c.Request.Context(), v, region, boardLimit+1)
	if err != nil {
		s.fail(c, err)
		return
	}
	moreFUs := len(fus) > boardLimit
	fus = fus[:min(len(fus), boardLimit)]
	// The list is cut at boardLimit; the reader is told of how many.
	latestOf := b.Total
	if onlyIdle {
		latestOf = b.Idle
	} else if status != "" {
		latestOf = b.Counts[status]
	}
	d := boardData{Total: b.Total, Idle: b.Idle, OnlyIdle: onlyIdle, IdleMonths: idleMonths, LatestOf: latestOf, FollowUps: fus, MoreFUs: moreFUs, Region: region, Status: status,
		Provinces: s.provinceOptions(region), Statuses: options(kb.AdoptionStatuses().Terms, l.Lang, status),
		Today: now.Format(kb.DateLayout), Filtered: region != "" || status != "" || onlyIdle, Place: s.place(region)}
	fq := url.Values{}
	if region != "" {
		fq.Set("region", region)
	}
	if status != "" {
		fq.Set("status", status)
	}
	if onlyIdle {
		fq.Set("diam", "1")
	}
	if len(fq) > 0 {
		d.Filters = "?" + fq.Encode()
	}
	if d.Place != nil {
		q := url.Values{}
		if status != "" {
			q.Set("status", status)
		}
		if onlyIdle {
			q.Set("diam", "1")
		}
		d.PlaceRemoved = "/replikasi"
		if len(q) > 0 {
			d.PlaceRemoved += "?" + q.Encode()
		}
	}
	for _, a := range b.Latest {
		d.Latest = append(d.Latest, boardRow{AdoptionRecord: a, Idle: idleAdoption(a, idleSince)})
	}
	for _, t := range kb.AdoptionStatuses().Terms {
		st := boardStep{Status: t.Key, Label: t.Label(l.Lang), Count: b.Counts[t.Key], Stalled: slices.Contains(stalledSteps(), t.Key)}
		if st.Stalled {
			d.Stalled += st.Count
		}
		d.Steps = append(d.Steps, st)
	}
	s.render(c, http.StatusOK, "board", l.T("board.title"), d)
}
