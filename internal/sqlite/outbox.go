package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"tiru/internal/kb"
)

// OutboxEntry says a record changed and must be (re)indexed or removed.
type OutboxEntry struct {
	ID       int64
	Kind     string
	RecordID int64
}

// Outbox returns up to limit pending entries, oldest first.
func (db *DB) Outbox(ctx context.Context, limit int) ([]OutboxEntry, error) {
	rows, err := db.reader.QueryContext(ctx, "SELECT id, kind, record_id FROM search_outbox ORDER BY id LIMIT ?", limit)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	defer rows.Close()
	var out []OutboxEntry
	for rows.Next() {
		var e OutboxEntry
		if err := rows.Scan(&e.ID, &e.Kind, &e.RecordID); err != nil {
			return nil, fmt.Errorf("scan outbox: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// AckOutbox removes entries that have been applied to the index.
func (db *DB) AckOutbox(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM search_outbox WHERE id IN (?"+strings.Repeat(",?", len(ids)-1)+")", args...)
		if err != nil {
			return fmt.Errorf("acknowledge outbox: %w", err)
		}
		return nil
	})
}

// AckOutboxUpTo removes every entry up to and including id, after a full
// rebuild that read a snapshot taken later than those entries.
func (db *DB) AckOutboxUpTo(ctx context.Context, id int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM search_outbox WHERE id <= ?", id); err != nil {
			return fmt.Errorf("acknowledge outbox: %w", err)
		}
		return nil
	})
}

// OutboxState returns the newest entry id, how many wait and how old the
// oldest is (its timestamp), for rebuilds and monitoring.
func (db *DB) OutboxState(ctx context.Context) (maxID int64, pending int, oldest string, err error) {
	err = db.reader.QueryRowContext(ctx, "SELECT coalesce(max(id), 0), count(*), coalesce(min(created_at), '') FROM search_outbox").Scan(&maxID, &pending, &oldest)
	if err != nil {
		err = fmt.Errorf("read outbox state: %w", err)
	}
	return
}

// IndexRecord is a record as the search index needs it, whatever its
// visibility.
type IndexRecord struct {
	Kind       string
	ID         int64
	UpdatedAt  string
	Innovation *kb.Innovation
	Visit      *kb.Visit
	Observed   []Ref           // visit: innovations seen
	Files      []string        // visit: the names of its attachments
	Adoptions  []IndexAdoption // innovation: its adoptions
}

// IndexAdoption is one region's adoption of an innovation, as the index
// needs it: the status for the facet, the region because the adopting
// region may read the innovation even when it is internal.
type IndexAdoption struct{ Region, Status string }

// RecordForIndex loads one record by kind and id; (nil, nil) when it is gone.
func (db *DB) RecordForIndex(ctx context.Context, kind string, id int64) (*IndexRecord, error) {
	recs, err := db.recordsForIndex(ctx, db.reader, kind, "WHERE x.id = ?", id)
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	return recs[0], nil
}

// EachRecordForIndex calls fn for every innovation and visit, from one
// consistent snapshot.
func (db *DB) EachRecordForIndex(ctx context.Context, fn func(*IndexRecord) error) error {
	tx, err := db.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin snapshot: %w", err)
	}
	defer tx.Rollback()
	for _, kind := range []string{KindInnovation, KindVisit} {
		var last int64
		for {
			recs, err := db.recordsForIndex(ctx, tx, kind, "WHERE x.id > ? ORDER BY x.id LIMIT 500", last)
			if err != nil {
				return err
			}
			for _, r := range recs {
				if err := fn(r); err != nil {
					return err
				}
				last = r.ID
			}
			if len(recs) < 500 {
				break
			}
		}
	}
	return nil
}

func (db *DB) recordsForIndex(ctx context.Context, q querier, kind, where string, args ...any) ([]*IndexRecord, error) {
	table, err := recordTable(kind)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, "SELECT x.id, x.doc, x.updated_at FROM "+table+" x "+where, args...)
	if err != nil {
		return nil, fmt.Errorf("read %s for index: %w", kind, err)
	}
	type row struct {
		id       int64
		doc, upd string
	}
	var list []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.doc, &r.upd); err != nil {
			rows.Close()
			return nil, fmt.Errorf("scan %s: %w", kind, err)
		}
		list = append(list, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read %s for index: %w", kind, err)
	}
	out := make([]*IndexRecord, 0, len(list))
	for _, r := range list {
		rec := &IndexRecord{Kind: kind, ID: r.id, UpdatedAt: r.upd}
		if kind == KindInnovation {
			rec.Innovation = &kb.Innovation{}
			if err := json.Unmarshal([]byte(r.doc), rec.Innovation); err != nil {
				return nil, fmt.Errorf("decode innovation %d: %w", r.id, err)
			}
			st, err := q.QueryContext(ctx, "SELECT region_code, status FROM adoptions WHERE innovation_id = ? ORDER BY id", r.id)
			if err != nil {
				return nil, fmt.Errorf("read adoptions: %w", err)
			}
			if rec.Adoptions, err = collect(st, func(rows *sql.Rows) (a IndexAdoption, err error) {
				err = rows.Scan(&a.Region, &a.Status)
				return a, err
			}); err != nil {
				return nil, fmt.Errorf("read adoptions of innovation %d: %w", r.id, err)
			}
		} else {
			v, err := loadVisit(ctx, q, r.id, r.doc)
			if err != nil {
				return nil, err
			}
			rec.Visit = &v.Visit
			// A visit's document carries the titles of what it observed; an
			// internal innovation's title must not become findable through
			// a public visit.
			for _, o := range v.Observed {
				var vis string
				if err := q.QueryRowContext(ctx, "SELECT visibility FROM innovations WHERE slug = ?", o.Slug).Scan(&vis); err != nil {
					return nil, fmt.Errorf("read observed innovation %s: %w", o.Slug, err)
				}
				if vis == "public" {
					rec.Observed = append(rec.Observed, o)
				}
			}
			st, err := q.QueryContext(ctx, "SELECT name FROM attachments WHERE visit_id = ? ORDER BY position", r.id)
			if err != nil {
				return nil, fmt.Errorf("read attachments: %w", err)
			}
			if rec.Files, err = collect(st, func(rows *sql.Rows) (name string, err error) {
				err = rows.Scan(&name)
				return name, err
			}); err != nil {
				return nil, fmt.Errorf("read attachments of visit %d: %w", r.id, err)
			}
		}
		out = append(out, rec)
	}
	return out, nil
}

// Counts returns how many innovations and visits exist, for checks.
func (db *DB) Counts(ctx context.Context) (innovations, visits int, err error) {
	err = db.reader.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM innovations), (SELECT count(*) FROM visits)").Scan(&innovations, &visits)
	return
}
