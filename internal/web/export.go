package web

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"

	"github.com/gin-gonic/gin"

	"tiru/internal/kb"
)

// Leadership takes the board's lists into its own reports: the board shows
// the latest 100 adoptions and the first 100 open follow-ups, and these
// give them whole, with the board's filters, as CSV a spreadsheet opens.

// exportLimit bounds the rows of one download: far above what a region's
// government records, and it keeps a download's memory bounded.
const exportLimit = 100_000

// csvCell makes a value safe for a spreadsheet: a cell that would begin as
// a formula does (=, +, -, @ or their full-width forms, also behind spaces,
// tabs or quotes, which some readers drop) is read as text, so that
// a note typed as "=HYPERLINK(…)" cannot run when the file is opened. A
// cell does not only begin where the value does: a spreadsheet set to
// Indonesian splits a CSV file opened as it is at ";", its list separator
// (quotes in the middle of a value do not protect it there), and a line
// break or a tab may start a cell or a row in other readers. So every
// place after one of those is made safe as well, with a "'" of its own.
func csvCell(v string) string {
	if !strings.ContainsAny(v, cellBreaks) && !startsFormula(v) {
		return v
	}
	var b strings.Builder
	start := 0
	for i := 0; i <= len(v); i++ {
		if i < len(v) && !strings.ContainsRune(cellBreaks, rune(v[i])) {
			continue
		}
		// v[start:i] is one piece a reader may take for a cell.
		if startsFormula(v[start:i]) {
			b.WriteByte('\'')
		}
		b.WriteString(v[start:i])
		if i < len(v) {
			b.WriteByte(v[i])
		}
		start = i + 1
	}
	return b.String()
}

// cellBreaks are the characters after which some reader of a CSV file
// starts a new cell or row: ";" (the list separator of Indonesian and many
// other locales), tab, and line breaks. The comma needs none: a value that
// holds one is quoted.
const cellBreaks = ";\t\n\r"

// startsFormula reports whether a cell beginning with s would be read as a
// formula: after any spaces and quotes, it begins with a formula's first
// character.
func startsFormula(s string) bool {
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || r == '"':
			continue
		case strings.ContainsRune("=+-@\uff1d\uff0b\uff0d\uff20", r):
			return true
		}
		return false
	}
	return false
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
		degree := ""
		if a.Degree != "" {
			degree = kb.AdoptionDegrees().Label(a.Degree, l.Lang)
		}
		rows = append(rows, []string{a.InnovationTitle, a.Innovation, s.regionName(a.InnovationRegion),
			s.regionName(a.Region), a.Region, kb.AdoptionStatuses().Label(a.Status, l.Lang), degree, a.Date,
			yesNo(l, idleAdoption(a, f.IdleBefore)), a.Note, a.VisitTitle, a.Visit})
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
