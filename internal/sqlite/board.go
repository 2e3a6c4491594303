package sqlite

import (
	"context"
	"fmt"

	"tiru/internal/kb"
)

// AdoptionBoard is what leadership sees of adoptions: how many stand at
// each step, and the latest moves.
type AdoptionBoard struct {
	Counts map[string]int // by status
	Total  int
	Latest []AdoptionRecord // newest change first
}

// Board returns the adoptions by adopting region (a province includes its
// regions; "" for all) and status ("" for all) that the viewer may see:
// the counts of every status, and up to limit of the latest.
func (db *DB) Board(ctx context.Context, v kb.Viewer, region, status string, limit int) (*AdoptionBoard, error) {
	cond, args := "1", []any{}
	if region != "" {
		cond, args = regionCond("ad.region_code", region)
	}
	vis, vargs := visibleSQL(v, "i.visibility", "i.region_code", "ad.region_code")
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
	if status != "" {
		cond += " AND ad.status = ?"
		args = append(args, status)
	}
	b.Latest, err = db.listAdoptionsUpTo(ctx, v, limit, cond, args...)
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
	cond, args := "1", []any{}
	if region != "" {
		c1, a1 := regionCond("vi.visitor_region", region)
		c2, a2 := regionCond("vi.host_region", region)
		cond, args = "("+c1+" OR "+c2+")", append(a1, a2...)
	}
	vis, vargs := visibleSQL(v, "vi.visibility", "vi.visitor_region", "vi.host_region")
	rows, err := db.reader.QueryContext(ctx, `SELECT f.action, f.owner, f.due_date, f.status, vi.slug, vi.title, vi.visitor_region
		FROM follow_ups f JOIN visits vi ON vi.id = f.visit_id
		WHERE f.status IN ('', 'terbuka', 'berjalan') AND `+cond+` AND `+vis+`
		ORDER BY f.due_date = '', f.due_date, vi.start_date, f.position LIMIT ?`, append(append(args, vargs...), limit)...)
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
