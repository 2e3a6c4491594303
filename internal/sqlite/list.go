package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"tiru/internal/kb"
)

// Page is a 1-based page of a list. Zero values mean the first page of 20.
type Page struct {
	Page    int
	PerPage int
}

// MaxPerPage bounds a page so no request can ask for the whole table.
const MaxPerPage = 100

// Clamp returns the page with defaults applied and bounds enforced.
func (p Page) Clamp() Page {
	if p.PerPage <= 0 {
		p.PerPage = 20
	}
	if p.PerPage > MaxPerPage {
		p.PerPage = MaxPerPage
	}
	if p.Page <= 0 {
		p.Page = 1
	}
	if p.Page > 100000 {
		p.Page = 100000
	}
	return p
}

func (p Page) limitSQL() string {
	p = p.Clamp()
	return fmt.Sprintf(" LIMIT %d OFFSET %d", p.PerPage, (p.Page-1)*p.PerPage)
}

// where collects SQL conditions and their arguments.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return "1"
	}
	return strings.Join(w.conds, " AND ")
}

// regionCond matches a region column against a code; a province code also
// matches every kabupaten and kota in it.
func regionCond(col, code string) (string, []any) {
	if len(code) == 2 {
		return "(" + col + " = ? OR substr(" + col + ", 1, 3) = ?)", []any{code, code + "."}
	}
	return col + " = ?", []any{code}
}

// InnovationFilter selects innovations for a list.
type InnovationFilter struct {
	Viewer   kb.Viewer
	Region   string // code; a province includes its regions
	AgencyID int64
	Urusan   string
	Stage    string
	Type     string
	Sort     string // "updated" (default), "title", "adopted"
	Page
}

// InnovationSummary is an innovation as a list shows it.
type InnovationSummary struct {
	Slug           string `json:"slug"`
	Title          string `json:"title"`
	Region         string `json:"region"`
	Agency         string `json:"agency,omitempty"`
	AgencySlug     string `json:"-"`
	Urusan         string `json:"urusan,omitempty"`
	Stage          string `json:"stage,omitempty"`
	InnovationType string `json:"innovation_type,omitempty"`
	YearStarted    int    `json:"year_started,omitempty"`
	Summary        string `json:"summary,omitempty"`
	Visibility     string `json:"visibility"`
	UpdatedAt      string `json:"updated_at"`
	Adoptions      int    `json:"adoptions"`
}

// ListInnovations returns one page of innovations and the total count.
func (db *DB) ListInnovations(ctx context.Context, f InnovationFilter) ([]InnovationSummary, int, error) {
	w := &where{}
	vis, args := innovationVisibleSQL(f.Viewer, "i")
	w.add(vis, args...)
	if f.Region != "" {
		c, a := regionCond("i.region_code", f.Region)
		w.add(c, a...)
	}
	if f.AgencyID != 0 {
		w.add("i.agency_id = ?", f.AgencyID)
	}
	if f.Urusan != "" {
		w.add("i.urusan_code = ?", f.Urusan)
	}
	if f.Stage != "" {
		w.add("i.stage = ?", f.Stage)
	}
	if f.Type != "" {
		w.add("i.innovation_type = ?", f.Type)
	}
	var total int
	if err := db.reader.QueryRowContext(ctx, "SELECT count(*) FROM innovations i WHERE "+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count innovations: %w", err)
	}
	order := "i.updated_at DESC, i.id DESC"
	switch f.Sort {
	case "title":
		order = "i.title COLLATE NOCASE, i.id"
	case "adopted":
		order = "adoptions DESC, i.updated_at DESC, i.id DESC"
	}
	rows, err := db.reader.QueryContext(ctx, `SELECT i.slug, i.title, i.region_code, coalesce(a.name, ''), coalesce(a.slug, ''),
		i.urusan_code, i.stage, i.innovation_type, i.year_started, i.summary, i.visibility, i.updated_at,
		(SELECT count(*) FROM adoptions ad WHERE ad.innovation_id = i.id) AS adoptions
		FROM innovations i LEFT JOIN agencies a ON a.id = i.agency_id WHERE `+w.sql()+" ORDER BY "+order+f.Page.limitSQL(), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list innovations: %w", err)
	}
	defer rows.Close()
	out := []InnovationSummary{}
	for rows.Next() {
		var s InnovationSummary
		if err := rows.Scan(&s.Slug, &s.Title, &s.Region, &s.Agency, &s.AgencySlug, &s.Urusan, &s.Stage, &s.InnovationType,
			&s.YearStarted, &s.Summary, &s.Visibility, &s.UpdatedAt, &s.Adoptions); err != nil {
			return nil, 0, fmt.Errorf("scan innovation: %w", err)
		}
		out = append(out, s)
	}
	return out, total, rows.Err()
}

// VisitFilter selects visits for a list.
type VisitFilter struct {
	Viewer   kb.Viewer
	Region   string // visiting or hosting region; a province includes its regions
	Role     string // "visitor" or "host" narrows Region to one side
	AgencyID int64  // visiting or hosting agency
	Type     string
	Page
}

// VisitSummary is a visit as a list shows it.
type VisitSummary struct {
	Slug           string `json:"slug"`
	Title          string `json:"title"`
	VisitType      string `json:"visit_type"`
	StartDate      string `json:"start_date"`
	EndDate        string `json:"end_date"`
	VisitorRegion  string `json:"visitor_region"`
	VisitorAgency  string `json:"visitor_agency,omitempty"`
	HostRegion     string `json:"host_region"`
	HostAgency     string `json:"host_agency,omitempty"`
	DelegationSize int    `json:"delegation_size,omitempty"`
	Visibility     string `json:"visibility"`
	Observed       int    `json:"innovations_observed"`
	OpenFollowUps  int    `json:"open_follow_ups"`
}

// ListVisits returns one page of visits, newest first, and the total count.
func (db *DB) ListVisits(ctx context.Context, f VisitFilter) ([]VisitSummary, int, error) {
	w := &where{}
	vis, args := visibleSQL(f.Viewer, "v.visibility", "v.visitor_region", "v.host_region")
	w.add(vis, args...)
	if f.Region != "" {
		vc, va := regionCond("v.visitor_region", f.Region)
		hc, ha := regionCond("v.host_region", f.Region)
		switch f.Role {
		case "visitor":
			w.add(vc, va...)
		case "host":
			w.add(hc, ha...)
		default:
			w.add("("+vc+" OR "+hc+")", append(va, ha...)...)
		}
	}
	if f.AgencyID != 0 {
		w.add("(v.visitor_agency_id = ? OR v.host_agency_id = ?)", f.AgencyID, f.AgencyID)
	}
	if f.Type != "" {
		w.add("v.visit_type = ?", f.Type)
	}
	var total int
	if err := db.reader.QueryRowContext(ctx, "SELECT count(*) FROM visits v WHERE "+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count visits: %w", err)
	}
	// The innovations observed are counted as the reader may see them: a
	// public visit that saw an internal innovation said "2 seen" to
	// readers shown one.
	seen, seenArgs := innovationVisibleSQL(f.Viewer, "i")
	rows, err := db.reader.QueryContext(ctx, `SELECT v.slug, v.title, v.visit_type, v.start_date, v.end_date, v.visitor_region,
		coalesce(va.name, ''), v.host_region, coalesce(ha.name, ''), v.delegation_size, v.visibility,
		(SELECT count(*) FROM visit_innovations vi JOIN innovations i ON i.id = vi.innovation_id WHERE vi.visit_id = v.id AND `+seen+`),
		(SELECT count(*) FROM follow_ups fu WHERE fu.visit_id = v.id AND fu.status IN ('terbuka', 'berjalan'))
		FROM visits v LEFT JOIN agencies va ON va.id = v.visitor_agency_id LEFT JOIN agencies ha ON ha.id = v.host_agency_id
		WHERE `+w.sql()+" ORDER BY v.start_date DESC, v.id DESC"+f.Page.limitSQL(), append(seenArgs, w.args...)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list visits: %w", err)
	}
	defer rows.Close()
	out := []VisitSummary{}
	for rows.Next() {
		var s VisitSummary
		if err := rows.Scan(&s.Slug, &s.Title, &s.VisitType, &s.StartDate, &s.EndDate, &s.VisitorRegion, &s.VisitorAgency,
			&s.HostRegion, &s.HostAgency, &s.DelegationSize, &s.Visibility, &s.Observed, &s.OpenFollowUps); err != nil {
			return nil, 0, fmt.Errorf("scan visit: %w", err)
		}
		out = append(out, s)
	}
	return out, total, rows.Err()
}

// ListAdoptionsByRegion returns the adoptions a region is pursuing.
func (db *DB) ListAdoptionsByRegion(ctx context.Context, region string, v kb.Viewer) ([]AdoptionRecord, error) {
	c, a := regionCond("ad.region_code", region)
	return db.listAdoptions(ctx, v, c, a...)
}

// Agency is a regional office.
type Agency struct {
	ID     int64  `json:"-"`
	Slug   string `json:"slug"`
	Name   string `json:"name"`
	Region string `json:"region"`
	Urusan string `json:"urusan,omitempty"` // its government affair, when known
}

// agencyShown is the condition that an agency (as a) appears in a record
// the viewer may read. An agency named only by internal records, or only
// by an account, is not listed and has no page for other readers: its name
// alone can say what another region keeps internal.
func agencyShown(v kb.Viewer) (string, []any) {
	iv, iargs := innovationVisibleSQL(v, "i")
	vv, vargs := visibleSQL(v, "v.visibility", "v.visitor_region", "v.host_region")
	return `(EXISTS (SELECT 1 FROM innovations i WHERE i.agency_id = a.id AND ` + iv + `)
		OR EXISTS (SELECT 1 FROM visits v WHERE (v.visitor_agency_id = a.id OR v.host_agency_id = a.id) AND ` + vv + `))`,
		append(iargs, vargs...)
}

// GetAgency returns the agency with slug if it appears in a record the
// viewer may read; otherwise kb.ErrNotFound.
func (db *DB) GetAgency(ctx context.Context, slug string, v kb.Viewer) (*Agency, error) {
	a := &Agency{}
	shown, args := agencyShown(v)
	err := db.reader.QueryRowContext(ctx, "SELECT a.id, a.slug, a.name, a.region_code, a.urusan_code FROM agencies a WHERE a.slug = ? AND "+shown,
		append([]any{slug}, args...)...).Scan(&a.ID, &a.Slug, &a.Name, &a.Region, &a.Urusan)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("agency %s: %w", slug, kb.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read agency %s: %w", slug, err)
	}
	return a, nil
}

// ListAgencies returns the agencies of a region (a province includes its
// regions) that appear in records the viewer may read, by name.
func (db *DB) ListAgencies(ctx context.Context, region string, v kb.Viewer) ([]Agency, error) {
	c, args := regionCond("a.region_code", region)
	shown, sargs := agencyShown(v)
	return db.agencies(ctx, c+" AND "+shown+" ORDER BY a.name COLLATE NOCASE", append(args, sargs...)...)
}

// AgencyNames returns the names of every agency of exactly region, by
// name: what an admin can give a new account before making a new agency.
func (db *DB) AgencyNames(ctx context.Context, region string) ([]string, error) {
	rows, err := db.reader.QueryContext(ctx, "SELECT name FROM agencies WHERE region_code = ? ORDER BY name COLLATE NOCASE", region)
	if err != nil {
		return nil, fmt.Errorf("list agency names of %s: %w", region, err)
	}
	names, err := collect(rows, func(rows *sql.Rows) (n string, err error) { err = rows.Scan(&n); return n, err })
	if err != nil {
		return nil, fmt.Errorf("list agency names of %s: %w", region, err)
	}
	return names, nil
}

// Counterparts lists agencies of other regions that handle the same
// government affair, among those the viewer may see: whom to call to
// learn how they do it.
func (db *DB) Counterparts(ctx context.Context, a *Agency, limit int, v kb.Viewer) ([]Agency, error) {
	if a.Urusan == "" {
		return nil, nil
	}
	shown, args := agencyShown(v)
	return db.agencies(ctx, "a.urusan_code = ? AND a.region_code <> ? AND "+shown+" ORDER BY a.region_code, a.name COLLATE NOCASE LIMIT ?",
		append(append([]any{a.Urusan, a.Region}, args...), limit)...)
}

func (db *DB) agencies(ctx context.Context, where string, args ...any) ([]Agency, error) {
	rows, err := db.reader.QueryContext(ctx, "SELECT a.id, a.slug, a.name, a.region_code, a.urusan_code FROM agencies a WHERE "+where, args...)
	if err != nil {
		return nil, fmt.Errorf("list agencies: %w", err)
	}
	defer rows.Close()
	var out []Agency
	for rows.Next() {
		var a Agency
		if err := rows.Scan(&a.ID, &a.Slug, &a.Name, &a.Region, &a.Urusan); err != nil {
			return nil, fmt.Errorf("scan agency: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Stats are the counts the home page shows.
type Stats struct {
	Innovations int
	Visits      int
	Regions     int // regions with at least one innovation
	Adoptions   int
}

// Stats counts what the viewer may see.
func (db *DB) Stats(ctx context.Context, v kb.Viewer) (Stats, error) {
	var s Stats
	ivis, iargs := innovationVisibleSQL(v, "innovations")
	vvis, vargs := visibleSQL(v, "visibility", "visitor_region", "host_region")
	avis, aargs := innovationVisibleSQL(v, "i")
	err := db.reader.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM innovations WHERE `+ivis+`),
		(SELECT count(DISTINCT region_code) FROM innovations WHERE `+ivis+`),
		(SELECT count(*) FROM visits WHERE `+vvis+`),
		(SELECT count(*) FROM adoptions ad JOIN innovations i ON i.id = ad.innovation_id WHERE `+avis+`)`,
		append(append(append(append([]any{}, iargs...), iargs...), vargs...), aargs...)...).
		Scan(&s.Innovations, &s.Regions, &s.Visits, &s.Adoptions)
	if err != nil {
		return s, fmt.Errorf("count records: %w", err)
	}
	return s, nil
}

// Empty reports whether the database holds no innovations and no visits,
// which is when seed content is loaded.
func (db *DB) Empty(ctx context.Context) (bool, error) {
	var n int
	err := db.reader.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM innovations) + (SELECT count(*) FROM visits)").Scan(&n)
	return n == 0, err
}

// Export calls fn for every record, innovations first, then visits, then
// adoptions, each ordered by slug, in the import format, so that importing
// the output reproduces the data.
func (db *DB) Export(ctx context.Context, fn func(kind string, record any) error) error {
	// One read transaction gives a consistent snapshot while writes go on.
	tx, err := db.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin export: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, "SELECT doc FROM innovations ORDER BY slug")
	if err != nil {
		return fmt.Errorf("export innovations: %w", err)
	}
	docs, err := collect(rows, func(rows *sql.Rows) (d string, err error) { err = rows.Scan(&d); return d, err })
	if err != nil {
		return fmt.Errorf("export innovations: %w", err)
	}
	for _, d := range docs {
		var in kb.Innovation
		if err := json.Unmarshal([]byte(d), &in); err != nil {
			return fmt.Errorf("decode innovation: %w", err)
		}
		if err := fn(KindInnovation, &in); err != nil {
			return err
		}
	}
	type idDoc struct {
		id  int64
		doc string
	}
	rows, err = tx.QueryContext(ctx, "SELECT id, doc FROM visits ORDER BY slug")
	if err != nil {
		return fmt.Errorf("export visits: %w", err)
	}
	visits, err := collect(rows, func(rows *sql.Rows) (x idDoc, err error) { err = rows.Scan(&x.id, &x.doc); return x, err })
	if err != nil {
		return fmt.Errorf("export visits: %w", err)
	}
	for _, x := range visits {
		rec, err := loadVisit(ctx, tx, x.id, x.doc)
		if err != nil {
			return err
		}
		if err := fn(KindVisit, &rec.Visit); err != nil {
			return err
		}
	}
	rows, err = tx.QueryContext(ctx, `SELECT ad.id FROM adoptions ad JOIN innovations i ON i.id = ad.innovation_id ORDER BY i.slug, ad.region_code`)
	if err != nil {
		return fmt.Errorf("export adoptions: %w", err)
	}
	ids, err := collect(rows, func(rows *sql.Rows) (id int64, err error) { err = rows.Scan(&id); return id, err })
	if err != nil {
		return fmt.Errorf("export adoptions: %w", err)
	}
	for _, id := range ids {
		a, err := loadAdoption(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := fn(KindAdoption, &a.Adoption); err != nil {
			return err
		}
	}
	return nil
}

// Revision is one recorded change.
type Revision struct {
	Version   int      `json:"version"`
	Author    string   `json:"author"`
	CreatedAt string   `json:"created_at"`
	Changed   []string `json:"changed"`
	Deleted   bool     `json:"deleted"`
}

// Revisions lists the changes of a record, newest first.
func (db *DB) Revisions(ctx context.Context, kind, slug string) ([]Revision, error) {
	rows, err := db.reader.QueryContext(ctx, `SELECT version, author, created_at, changed, doc IS NULL FROM revisions
		WHERE kind = ? AND slug = ? ORDER BY id DESC LIMIT 200`, kind, slug)
	if err != nil {
		return nil, fmt.Errorf("list revisions: %w", err)
	}
	defer rows.Close()
	var out []Revision
	for rows.Next() {
		var r Revision
		var changed string
		if err := rows.Scan(&r.Version, &r.Author, &r.CreatedAt, &changed, &r.Deleted); err != nil {
			return nil, fmt.Errorf("scan revision: %w", err)
		}
		if err := json.Unmarshal([]byte(changed), &r.Changed); err != nil {
			return nil, fmt.Errorf("revision %d: changed fields: %w", r.Version, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// collect reads every row with scan and closes rows. An error met while
// reading, and not only while scanning, is returned: a read cut short must
// never pass for the whole table (an export would be missing records).
func collect[T any](rows *sql.Rows, scan func(*sql.Rows) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
