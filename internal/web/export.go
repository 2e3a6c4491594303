package web

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"tiru/internal/kb"
)

// Leadership takes the board's lists into its own reports: the board shows
// the latest 100 adoptions and the first 100 open follow-ups, and these
// give them whole, with the board's filters, as CSV a spreadsheet opens.

// exportLimit bounds the rows of one download: far above what a region's
// government records, and it keeps a download's memory bounded.
const exportLimit = 100_000

// csvCell makes a value safe for a spreadsheet: one that begins as a
// formula would (=, +, -, @, or a tab or carriage return before one) is
// read as text, so that a note typed as "=HYPERLINK(…)" cannot run when
// the file is opened.
func csvCell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// writeCSV answers with rows as a CSV download named name: UTF-8 with a
// byte-order mark, without which Excel reads the names of Indonesian
// places and people as another code page.
func writeCSV(c *gin.Context, name string, header []string, rows [][]string) {
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	c.Status(http.StatusOK)
	if _, err := c.Writer.WriteString("\ufeff"); err != nil {
		return // the reader went away
	}
	w := csv.NewWriter(c.Writer)
	_ = w.Write(header)
	for _, r := range rows {
		for i := range r {
			r[i] = csvCell(r[i])
		}
		if err := w.Write(r); err != nil {
			return
		}
	}
	w.Flush()
}

// regionName is the name of the region with code, or the code when the
// reference lacks it.
func (s *Server) regionName(code string) string {
	if r, ok := s.ref.Ref.Regions.Get(code); ok {
		return r.Name
	}
	return code
}

// yesNo is a yes or no in the reader's language.
func yesNo(l *Localizer, b bool) string {
	if b {
		return l.T("export.yes")
	}
	return l.T("export.no")
}

// boardCSV is the board's adoptions, with its filters, whole.
func (s *Server) boardCSV(c *gin.Context) {
	l := s.localizer(c)
	now := time.Now().In(wib)
	f := s.boardFilter(c, now)
	b, err := s.db.Board(c.Request.Context(), s.viewer(c), f, exportLimit)
	if err != nil {
		s.fail(c, err)
		return
	}
	header := []string{l.T("field.innovation"), l.T("export.innovation_slug"), l.T("export.innovation_region"),
		l.T("board.adopter"), l.T("export.region_code"), l.T("field.status"), l.T("field.degree"), l.T("field.date"),
		l.T("export.idle", idleMonths), l.T("field.note"), l.T("field.visit"), l.T("export.visit_slug")}
	rows := make([][]string, 0, len(b.Latest))
	for _, a := range b.Latest {
		since := a.Date
		if since == "" && len(a.UpdatedAt) >= len(kb.DateLayout) {
			since = a.UpdatedAt[:len(kb.DateLayout)]
		}
		idle := slices.Contains(underWaySteps(), a.Status) && since < f.IdleBefore
		degree := ""
		if a.Degree != "" {
			degree = kb.AdoptionDegrees().Label(a.Degree, l.Lang)
		}
		rows = append(rows, []string{a.InnovationTitle, a.Innovation, s.regionName(a.InnovationRegion),
			s.regionName(a.Region), a.Region, kb.AdoptionStatuses().Label(a.Status, l.Lang), degree, a.Date,
			yesNo(l, idle), a.Note, a.VisitTitle, a.Visit})
	}
	writeCSV(c, "replikasi-"+now.Format(kb.DateLayout)+".csv", header, rows)
}

// followUpsCSV is the board's open follow-ups, in its region, whole.
func (s *Server) followUpsCSV(c *gin.Context) {
	l := s.localizer(c)
	now := time.Now().In(wib)
	f := s.boardFilter(c, now)
	fus, err := s.db.OpenFollowUps(c.Request.Context(), s.viewer(c), f.Region, exportLimit)
	if err != nil {
		s.fail(c, err)
		return
	}
	today := now.Format(kb.DateLayout)
	header := []string{l.T("field.action"), l.T("field.owner"), l.T("field.due"), l.T("export.overdue"), l.T("field.status"),
		l.T("field.visit"), l.T("export.visit_slug"), l.T("export.visitor_region")}
	rows := make([][]string, 0, len(fus))
	for _, fu := range fus {
		rows = append(rows, []string{fu.Action, fu.Owner, fu.DueDate, yesNo(l, fu.DueDate != "" && fu.DueDate < today),
			kb.FollowUpStatuses().Label(fu.Status, l.Lang), fu.VisitTitle, fu.VisitSlug, s.regionName(fu.VisitorRegion)})
	}
	writeCSV(c, "tindak-lanjut-"+today+".csv", header, rows)
}
