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

// querier is what both *sql.DB and *sql.Tx offer, so loaders serve readers
// and writers alike.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Meta is the bookkeeping of a stored record.
type Meta struct {
	ID        int64  `json:"-"`
	Version   int    `json:"version"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
	CreatedBy string `json:"-"`
	UpdatedBy string `json:"-"`
}

// Ref names another record in a list or a link.
type Ref struct {
	Slug   string `json:"slug"`
	Title  string `json:"title"`
	Region string `json:"region,omitempty"`
	Date   string `json:"date,omitempty"`
	// EndDate is a visit's last day, for showing its dates as a span.
	EndDate string `json:"-"`
}

// InnovationRecord is a stored innovation with what links to it.
type InnovationRecord struct {
	kb.Innovation
	Meta
	AgencySlug string           `json:"-"`
	Visits     []Ref            `json:"-"` // visits that observed it
	Adoptions  []AdoptionRecord `json:"-"`
}

// VisitRecord is a stored visit.
type VisitRecord struct {
	kb.Visit
	Meta
	VisitorAgencySlug string           `json:"-"`
	HostAgencySlug    string           `json:"-"`
	Observed          []Ref            `json:"-"` // innovations observed, in order
	Adoptions         []AdoptionRecord `json:"-"` // adoptions this visit triggered
	// Attachments are the visit's files, without their content.
	Attachments []Attachment `json:"-"`
}

// AdoptionRecord is a stored adoption with the titles a page needs.
type AdoptionRecord struct {
	kb.Adoption
	InnovationTitle  string `json:"-"`
	InnovationRegion string `json:"-"`
	VisitTitle       string `json:"-"`
	UpdatedAt        string `json:"-"`

	visitVisibility string
	visitRegions    []string
}

// visibleSQL restricts a query to what the viewer may read. col is the
// visibility column and regionCols the regions that own the record.
func visibleSQL(v kb.Viewer, col string, regionCols ...string) (string, []any) {
	if v.AllInternal {
		return "1", nil
	}
	if v.Region == "" {
		return col + " = 'public'", nil
	}
	parts := []string{col + " = 'public'"}
	var args []any
	for _, c := range regionCols {
		parts = append(parts, c+" = ?")
		args = append(args, v.Region)
	}
	return "(" + strings.Join(parts, " OR ") + ")", args
}

// innovationVisibleSQL restricts a query to the innovations the viewer may
// read: as visibleSQL, and also those the viewer's region is adopting. A
// region that took up an innovation keeps reading it when its owner later
// makes it internal: it saw the write-up when it chose it, and without it
// the adoption could no longer be moved or followed. alias names the
// innovations table in the query.
func innovationVisibleSQL(v kb.Viewer, alias string) (string, []any) {
	vis, args := visibleSQL(v, alias+".visibility", alias+".region_code")
	if v.AllInternal || v.Region == "" {
		return vis, args
	}
	return "(" + vis + " OR EXISTS (SELECT 1 FROM adoptions adr WHERE adr.innovation_id = " + alias + ".id AND adr.region_code = ?))",
		append(args, v.Region)
}

// GetInnovation returns the innovation with slug if the viewer may read it;
// otherwise kb.ErrNotFound, so that internal records do not reveal they exist.
func (db *DB) GetInnovation(ctx context.Context, slug string, v kb.Viewer) (*InnovationRecord, error) {
	vis, args := innovationVisibleSQL(v, "i")
	rec := &InnovationRecord{}
	var doc string
	var agencySlug sql.NullString
	err := db.reader.QueryRowContext(ctx, `SELECT i.id, i.version, i.created_at, i.updated_at, i.created_by, i.updated_by, i.doc, a.slug
		FROM innovations i LEFT JOIN agencies a ON a.id = i.agency_id WHERE i.slug = ? AND `+vis, append([]any{slug}, args...)...).
		Scan(&rec.ID, &rec.Version, &rec.CreatedAt, &rec.UpdatedAt, &rec.CreatedBy, &rec.UpdatedBy, &doc, &agencySlug)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("innovation %s: %w", slug, kb.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read innovation %s: %w", slug, err)
	}
	if err := json.Unmarshal([]byte(doc), &rec.Innovation); err != nil {
		return nil, fmt.Errorf("decode innovation %s: %w", slug, err)
	}
	rec.AgencySlug = agencySlug.String
	vvis, vargs := visibleSQL(v, "v.visibility", "v.visitor_region", "v.host_region")
	rows, err := db.reader.QueryContext(ctx, `SELECT v.slug, v.title, v.visitor_region, v.start_date, v.end_date FROM visit_innovations vi
		JOIN visits v ON v.id = vi.visit_id WHERE vi.innovation_id = ? AND `+vvis+` ORDER BY v.start_date DESC`, append([]any{rec.ID}, vargs...)...)
	if err != nil {
		return nil, fmt.Errorf("read visits of %s: %w", slug, err)
	}
	rec.Visits, err = scanRefs(rows)
	if err != nil {
		return nil, err
	}
	rec.Adoptions, err = db.listAdoptions(ctx, v, "ad.innovation_id = ?", rec.ID)
	return rec, err
}

func scanRefs(rows *sql.Rows) ([]Ref, error) {
	defer rows.Close()
	var out []Ref
	for rows.Next() {
		var r Ref
		if err := rows.Scan(&r.Slug, &r.Title, &r.Region, &r.Date, &r.EndDate); err != nil {
			return nil, fmt.Errorf("scan: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// loadVisit completes a visit's doc with its observed innovations and
// follow-ups, read from their tables.
func loadVisit(ctx context.Context, q querier, id int64, doc string) (*VisitRecord, error) {
	rec := &VisitRecord{}
	if err := json.Unmarshal([]byte(doc), &rec.Visit); err != nil {
		return nil, fmt.Errorf("decode visit %d: %w", id, err)
	}
	rows, err := q.QueryContext(ctx, `SELECT i.slug, i.title, i.region_code, '', '' FROM visit_innovations vi
		JOIN innovations i ON i.id = vi.innovation_id WHERE vi.visit_id = ? ORDER BY vi.position`, id)
	if err != nil {
		return nil, fmt.Errorf("read innovations of visit %d: %w", id, err)
	}
	if rec.Observed, err = scanRefs(rows); err != nil {
		return nil, err
	}
	rec.Visit.Innovations = nil
	for _, r := range rec.Observed {
		rec.Visit.Innovations = append(rec.Visit.Innovations, r.Slug)
	}
	rows, err = q.QueryContext(ctx, "SELECT action, owner, due_date, status FROM follow_ups WHERE visit_id = ? ORDER BY position", id)
	if err != nil {
		return nil, fmt.Errorf("read follow-ups of visit %d: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var f kb.FollowUp
		if err := rows.Scan(&f.Action, &f.Owner, &f.DueDate, &f.Status); err != nil {
			return nil, fmt.Errorf("scan follow-up: %w", err)
		}
		rec.Visit.FollowUps = append(rec.Visit.FollowUps, f)
	}
	return rec, rows.Err()
}

// GetVisit returns the visit with slug if the viewer may read it.
func (db *DB) GetVisit(ctx context.Context, slug string, v kb.Viewer) (*VisitRecord, error) {
	vis, args := visibleSQL(v, "v.visibility", "v.visitor_region", "v.host_region")
	var (
		m               Meta
		doc             string
		visitorA, hostA sql.NullString
	)
	err := db.reader.QueryRowContext(ctx, `SELECT v.id, v.version, v.created_at, v.updated_at, v.created_by, v.updated_by, v.doc, va.slug, ha.slug
		FROM visits v LEFT JOIN agencies va ON va.id = v.visitor_agency_id LEFT JOIN agencies ha ON ha.id = v.host_agency_id
		WHERE v.slug = ? AND `+vis, append([]any{slug}, args...)...).
		Scan(&m.ID, &m.Version, &m.CreatedAt, &m.UpdatedAt, &m.CreatedBy, &m.UpdatedBy, &doc, &visitorA, &hostA)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("visit %s: %w", slug, kb.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read visit %s: %w", slug, err)
	}
	rec, err := loadVisit(ctx, db.reader, m.ID, doc)
	if err != nil {
		return nil, err
	}
	rec.Meta = m
	rec.VisitorAgencySlug, rec.HostAgencySlug = visitorA.String, hostA.String
	// Hide observed innovations the viewer may not read.
	if !v.AllInternal {
		kept := rec.Observed[:0]
		for _, r := range rec.Observed {
			_, err := db.GetInnovation(ctx, r.Slug, v)
			switch {
			case err == nil:
				kept = append(kept, r)
			case !errors.Is(err, kb.ErrNotFound):
				// A failed read must not pass for "not yours to see".
				return nil, fmt.Errorf("visit %s: observed innovation %s: %w", slug, r.Slug, err)
			}
		}
		rec.Observed = kept
		rec.Visit.Innovations = nil
		for _, r := range kept {
			rec.Visit.Innovations = append(rec.Visit.Innovations, r.Slug)
		}
	}
	if rec.Attachments, err = listAttachments(ctx, db.reader, m.ID); err != nil {
		return nil, err
	}
	rec.Adoptions, err = db.listAdoptions(ctx, v, "ad.visit_id = ?", m.ID)
	return rec, err
}

// listAdoptions returns adoptions matching a condition on ad (adoptions),
// with their history, newest change first.
func (db *DB) listAdoptions(ctx context.Context, v kb.Viewer, cond string, args ...any) ([]AdoptionRecord, error) {
	return db.listAdoptionsUpTo(ctx, v, -1, cond, args...)
}

// listAdoptionsUpTo is listAdoptions for at most limit adoptions (-1: all).
func (db *DB) listAdoptionsUpTo(ctx context.Context, v kb.Viewer, limit int, cond string, args ...any) ([]AdoptionRecord, error) {
	vis, vargs := innovationVisibleSQL(v, "i")
	rows, err := db.reader.QueryContext(ctx, `SELECT ad.id FROM adoptions ad JOIN innovations i ON i.id = ad.innovation_id
		WHERE `+cond+` AND `+vis+` ORDER BY ad.updated_at DESC, ad.id LIMIT ?`, append(append(args, vargs...), limit)...)
	if err != nil {
		return nil, fmt.Errorf("list adoptions: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("scan adoption: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list adoptions: %w", err)
	}
	out := make([]AdoptionRecord, 0, len(ids))
	for _, id := range ids {
		a, err := loadAdoption(ctx, db.reader, id)
		if err != nil {
			return nil, err
		}
		// The visit that triggered an adoption may be internal while the
		// innovation is public: then the reader learns neither its title
		// nor its slug.
		if a.Visit != "" && !v.CanSee(a.visitVisibility, a.visitRegions...) {
			a.Visit, a.VisitTitle = "", ""
		}
		out = append(out, *a)
	}
	return out, nil
}

// adoptionColumns are what scanAdoption reads of an adoption (ad), its
// innovation (i) and the visit that triggered it (v, left-joined).
const adoptionColumns = `i.slug, i.title, i.region_code, ad.region_code, ad.status, ad.degree, v.slug, v.title,
		v.visibility, v.visitor_region, v.host_region, ad.status_date, ad.note, ad.updated_at`

// scanAdoption reads a row of adoptionColumns into a.
func scanAdoption(row interface{ Scan(...any) error }, a *AdoptionRecord) error {
	var visit, visitTitle, visitVis, visitor, host sql.NullString
	if err := row.Scan(&a.Innovation, &a.InnovationTitle, &a.InnovationRegion, &a.Region, &a.Status, &a.Degree, &visit, &visitTitle,
		&visitVis, &visitor, &host, &a.Date, &a.Note, &a.UpdatedAt); err != nil {
		return err
	}
	a.Visit, a.VisitTitle = visit.String, visitTitle.String
	a.visitVisibility, a.visitRegions = visitVis.String, []string{visitor.String, host.String}
	return nil
}

// boardAdoptions is listAdoptionsUpTo in one query and without the
// adoptions' histories, which the board does not show: its download lists
// every adoption to anyone who asks, and two queries for each made the
// cost of that request grow with the adoptions recorded.
func (db *DB) boardAdoptions(ctx context.Context, v kb.Viewer, limit, offset int, cond string, args ...any) ([]AdoptionRecord, error) {
	vis, vargs := innovationVisibleSQL(v, "i")
	rows, err := db.reader.QueryContext(ctx, `SELECT `+adoptionColumns+` FROM adoptions ad JOIN innovations i ON i.id = ad.innovation_id
		LEFT JOIN visits v ON v.id = ad.visit_id
		WHERE `+cond+` AND `+vis+` ORDER BY ad.updated_at DESC, ad.id LIMIT ? OFFSET ?`, append(append(args, vargs...), limit, max(offset, 0))...)
	if err != nil {
		return nil, fmt.Errorf("list adoptions: %w", err)
	}
	defer rows.Close()
	var out []AdoptionRecord
	for rows.Next() {
		var a AdoptionRecord
		if err := scanAdoption(rows, &a); err != nil {
			return nil, fmt.Errorf("scan adoption: %w", err)
		}
		// As listAdoptionsUpTo: an internal visit is not named.
		if a.Visit != "" && !v.CanSee(a.visitVisibility, a.visitRegions...) {
			a.Visit, a.VisitTitle = "", ""
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list adoptions: %w", err)
	}
	return out, nil
}

func loadAdoption(ctx context.Context, q querier, id int64) (*AdoptionRecord, error) {
	a := &AdoptionRecord{}
	err := scanAdoption(q.QueryRowContext(ctx, `SELECT `+adoptionColumns+`
		FROM adoptions ad JOIN innovations i ON i.id = ad.innovation_id
		LEFT JOIN visits v ON v.id = ad.visit_id WHERE ad.id = ?`, id), a)
	if err != nil {
		return nil, fmt.Errorf("read adoption %d: %w", id, err)
	}
	rows, err := q.QueryContext(ctx, "SELECT status, date, note, by FROM adoption_events WHERE adoption_id = ? ORDER BY position", id)
	if err != nil {
		return nil, fmt.Errorf("read adoption history %d: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var e kb.AdoptionEvent
		if err := rows.Scan(&e.Status, &e.Date, &e.Note, &e.By); err != nil {
			return nil, fmt.Errorf("scan adoption event: %w", err)
		}
		a.History = append(a.History, e)
	}
	return a, rows.Err()
}
