package sqlite

import (
	"context"
	"fmt"
	"strings"

	"tiru/internal/kb"
)

// AdoptionBoard is what leadership sees of adoptions: how many stand at
// each step, how many stopped moving, and the latest moves.
type AdoptionBoard struct {
	Counts map[string]int // by status
	Total  int
	Idle   int              // at a step still under way, with no step since BoardFilter.IdleBefore
	Latest []AdoptionRecord // newest change first, without their histories
}

// BoardFilter selects the adoptions of a board.
type BoardFilter struct {
	Region string // adopting region; a province includes its regions; "" for all
	Status string // "" for all
	// An adoption is idle when it stands at one of IdleSteps (steps of
	// adopting still under way) and its latest step is dated before
	// IdleBefore. With OnlyIdle, the latest moves are the idle ones.
	IdleSteps  []string
	IdleBefore string
	OnlyIdle   bool
	// Offset skips the first of the latest moves: the API pages through
	// them.
	Offset int
}

// Board returns the adoptions of f that the viewer may see: the counts of
// every status, how many are idle, and up to limit of the latest.
func (db *DB) Board(ctx context.Context, v kb.Viewer, f BoardFilter, limit int) (*AdoptionBoard, error) {
	cond, args := "1", []any{}
	if f.Region != "" {
		cond, args = regionCond("ad.region_code", f.Region)
	}
	vis, vargs := innovationVisibleSQL(v, "i")
	rows, err := db.reader.QueryContext(ctx, `SELECT ad.status, count(*) FROM adoptions ad JOIN innovations i ON i.id = ad.innovation_id
		WHERE `+cond+` AND `+vis+` GROUP BY ad.status`, append(append([]any{}, args...), vargs...)...)
	if err != nil {
		return nil, fmt.Errorf("count adoptions: %w", err)
	}
	b := &AdoptionBoard{Counts: map[string]int{}}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("count adoptions: %w", err)
		}
		b.Counts[st] = n
		b.Total += n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count adoptions: %w", err)
	}
	if f.Status != "" {
		cond += " AND ad.status = ?"
		args = append(args, f.Status)
	}
	// An adoption's latest step is dated; one stored without a date (an
	// import that gave none) counts from when it was last written.
	idleCond, idleArgs := "0", []any{}
	if len(f.IdleSteps) > 0 && f.IdleBefore != "" {
		idleCond = "ad.status IN (?" + strings.Repeat(", ?", len(f.IdleSteps)-1) + ") AND coalesce(nullif(ad.status_date, ''), substr(ad.updated_at, 1, 10)) < ?"
		for _, st := range f.IdleSteps {
			idleArgs = append(idleArgs, st)
		}
		idleArgs = append(idleArgs, f.IdleBefore)
	}
	if err := db.reader.QueryRowContext(ctx, `SELECT count(*) FROM adoptions ad JOIN innovations i ON i.id = ad.innovation_id
		WHERE `+cond+` AND `+vis+` AND `+idleCond, append(append(append([]any{}, args...), vargs...), idleArgs...)...).Scan(&b.Idle); err != nil {
		return nil, fmt.Errorf("count idle adoptions: %w", err)
	}
	if f.OnlyIdle {
		cond += " AND " + idleCond
		args = append(args, idleArgs...)
	}
	b.Latest, err = db.boardAdoptions(ctx, v, limit, f.Offset, cond, args...)
	return b, err
}

// FollowUpRecord is a follow-up with the visit it belongs to.
type FollowUpRecord struct {
	kb.FollowUp
	VisitSlug, VisitTitle, VisitorRegion string
}

// OpenFollowUps returns up to limit follow-ups not yet done or cancelled,
// of the visits the viewer may see that a region (a province includes its
// regions; "" for all) made or hosted, soonest due first (those without a
// due date last).
func (db *DB) OpenFollowUps(ctx context.Context, v kb.Viewer, region string, limit int) ([]FollowUpRecord, error) {
	return db.openFollowUps(ctx, v, region, limit, 0)
}

// OpenFollowUpsPage is one page of OpenFollowUps, with how many there are
// in all.
func (db *DB) OpenFollowUpsPage(ctx context.Context, v kb.Viewer, region string, p Page) ([]FollowUpRecord, int, error) {
	p = p.Clamp()
	cond, args := openFollowUpsCond(v, region)
	var total int
	if err := db.reader.QueryRowContext(ctx, `SELECT count(*) FROM follow_ups f JOIN visits vi ON vi.id = f.visit_id WHERE `+cond, args...).
		Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count follow-ups: %w", err)
	}
	out, err := db.openFollowUps(ctx, v, region, p.PerPage, (p.Page-1)*p.PerPage)
	return out, total, err
}

// openFollowUpsCond selects the open follow-ups of the visits v may see
// that region made or hosted.
func openFollowUpsCond(v kb.Viewer, region string) (string, []any) {
	cond, args := "f.status IN ('', 'terbuka', 'berjalan')", []any{}
	if region != "" {
		c1, a1 := regionCond("vi.visitor_region", region)
		c2, a2 := regionCond("vi.host_region", region)
		cond, args = cond+" AND ("+c1+" OR "+c2+")", append(a1, a2...)
	}
	vis, vargs := visibleSQL(v, "vi.visibility", "vi.visitor_region", "vi.host_region")
	return cond + " AND " + vis, append(args, vargs...)
}

func (db *DB) openFollowUps(ctx context.Context, v kb.Viewer, region string, limit, offset int) ([]FollowUpRecord, error) {
	cond, args := openFollowUpsCond(v, region)
	rows, err := db.reader.QueryContext(ctx, `SELECT f.action, f.owner, f.due_date, f.status, vi.slug, vi.title, vi.visitor_region
		FROM follow_ups f JOIN visits vi ON vi.id = f.visit_id
		WHERE `+cond+`
		ORDER BY f.due_date = '', f.due_date, vi.start_date, f.position LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, fmt.Errorf("list follow-ups: %w", err)
	}
	defer rows.Close()
	var out []FollowUpRecord
	for rows.Next() {
		var f FollowUpRecord
		if err := rows.Scan(&f.Action, &f.Owner, &f.DueDate, &f.Status, &f.VisitSlug, &f.VisitTitle, &f.VisitorRegion); err != nil {
			return nil, fmt.Errorf("scan follow-up: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}
