package sqlite

import (
	"context"
	"fmt"
	"time"

	"tiru/internal/kb"
)

// Bookmark is a record a user keeps for later.
type Bookmark struct {
	Kind, Slug, Title string
	CreatedAt         time.Time
	// Gone says the record was deleted or the reader may no longer read
	// it (made internal, or the reader moved region); its title is then
	// blank, and the bookmark is only there to be removed.
	Gone bool
}

// SavedSearch is a search a user keeps for later: a name and the query
// string of /cari.
type SavedSearch struct {
	ID        int64
	Name      string
	Query     string
	CreatedAt time.Time
}

// MaxSaved bounds what one user keeps, so a script cannot fill the disk.
const MaxSaved = 500

// AddBookmark keeps a record for a user; adding it twice changes nothing.
func (db *DB) AddBookmark(ctx context.Context, who Who, userID int64, kind, slug, title string) error {
	return db.UpdateAs(ctx, who, func(tx *Tx) error {
		var n int
		if err := tx.tx.QueryRowContext(ctx, "SELECT count(*) FROM bookmarks WHERE user_id = ?", userID).Scan(&n); err != nil {
			return fmt.Errorf("count bookmarks: %w", err)
		}
		if n >= MaxSaved {
			return kb.Invalid("bookmark", fmt.Sprintf("paling banyak %d tanda", MaxSaved), fmt.Sprintf("at most %d bookmarks", MaxSaved))
		}
		_, err := tx.tx.ExecContext(ctx, `INSERT INTO bookmarks (user_id, kind, slug, title, created_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, userID, kind, slug, title, tx.unix)
		if err != nil {
			return fmt.Errorf("add bookmark: %w", err)
		}
		return nil
	})
}

// RemoveBookmark forgets a bookmark.
func (db *DB) RemoveBookmark(ctx context.Context, who Who, userID int64, kind, slug string) error {
	return db.UpdateAs(ctx, who, func(tx *Tx) error {
		if _, err := tx.tx.ExecContext(ctx, "DELETE FROM bookmarks WHERE user_id = ? AND kind = ? AND slug = ?", userID, kind, slug); err != nil {
			return fmt.Errorf("remove bookmark %s %s: %w", kind, slug, err)
		}
		return nil
	})
}

// IsBookmarked reports whether a user keeps a record.
func (db *DB) IsBookmarked(ctx context.Context, userID int64, kind, slug string) (bool, error) {
	var n int
	if err := db.reader.QueryRowContext(ctx, "SELECT count(*) FROM bookmarks WHERE user_id = ? AND kind = ? AND slug = ?", userID, kind, slug).Scan(&n); err != nil {
		return false, fmt.Errorf("read bookmark: %w", err)
	}
	return n > 0, nil
}

// Bookmarks lists a user's bookmarks, newest first, as v (the user) may
// read them: see Bookmark.Gone.
func (db *DB) Bookmarks(ctx context.Context, userID int64, v kb.Viewer) ([]Bookmark, error) {
	inn, innArgs := innovationVisibleSQL(v, "i")
	vis, visArgs := visibleSQL(v, "v.visibility", "v.visitor_region", "v.host_region")
	args := append(append(innArgs, visArgs...), userID)
	rows, err := db.reader.QueryContext(ctx, `SELECT b.kind, b.slug, b.title, b.created_at, CASE b.kind
		WHEN 'innovation' THEN EXISTS (SELECT 1 FROM innovations i WHERE i.slug = b.slug AND `+inn+`)
		ELSE EXISTS (SELECT 1 FROM visits v WHERE v.slug = b.slug AND `+vis+`) END
		FROM bookmarks b WHERE b.user_id = ? ORDER BY b.created_at DESC, b.slug`, args...)
	if err != nil {
		return nil, fmt.Errorf("list bookmarks: %w", err)
	}
	defer rows.Close()
	var out []Bookmark
	for rows.Next() {
		var b Bookmark
		var at int64
		var readable bool
		if err := rows.Scan(&b.Kind, &b.Slug, &b.Title, &at, &readable); err != nil {
			return nil, fmt.Errorf("scan bookmark: %w", err)
		}
		b.CreatedAt = time.Unix(at, 0)
		if !readable {
			b.Gone, b.Title = true, ""
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// SaveSearch keeps a search for a user. The same search saved again (a
// double click, or saving it twice from the page) is kept once, under the
// name given last.
func (db *DB) SaveSearch(ctx context.Context, who Who, userID int64, name, query string) error {
	return db.UpdateAs(ctx, who, func(tx *Tx) error {
		res, err := tx.tx.ExecContext(ctx, "UPDATE saved_searches SET name = ? WHERE user_id = ? AND query = ?", name, userID, query)
		if err != nil {
			return fmt.Errorf("save search: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("save search: %w", err)
		} else if n > 0 {
			return nil
		}
		var n int
		if err := tx.tx.QueryRowContext(ctx, "SELECT count(*) FROM saved_searches WHERE user_id = ?", userID).Scan(&n); err != nil {
			return fmt.Errorf("count saved searches: %w", err)
		}
		if n >= MaxSaved {
			return kb.Invalid("search", fmt.Sprintf("paling banyak %d pencarian tersimpan", MaxSaved), fmt.Sprintf("at most %d saved searches", MaxSaved))
		}
		if _, err := tx.tx.ExecContext(ctx, "INSERT INTO saved_searches (user_id, name, query, created_at) VALUES (?, ?, ?, ?)", userID, name, query, tx.unix); err != nil {
			return fmt.Errorf("save search: %w", err)
		}
		return nil
	})
}

// DeleteSavedSearch forgets one of a user's saved searches.
func (db *DB) DeleteSavedSearch(ctx context.Context, who Who, userID, id int64) error {
	return db.UpdateAs(ctx, who, func(tx *Tx) error {
		res, err := tx.tx.ExecContext(ctx, "DELETE FROM saved_searches WHERE user_id = ? AND id = ?", userID, id)
		if err != nil {
			return fmt.Errorf("delete saved search: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("saved search %d: %w", id, kb.ErrNotFound)
		}
		return nil
	})
}

// SavedSearches lists a user's saved searches, newest first.
func (db *DB) SavedSearches(ctx context.Context, userID int64) ([]SavedSearch, error) {
	rows, err := db.reader.QueryContext(ctx, "SELECT id, name, query, created_at FROM saved_searches WHERE user_id = ? ORDER BY id DESC", userID)
	if err != nil {
		return nil, fmt.Errorf("list saved searches: %w", err)
	}
	defer rows.Close()
	var out []SavedSearch
	for rows.Next() {
		var s SavedSearch
		var at int64
		if err := rows.Scan(&s.ID, &s.Name, &s.Query, &at); err != nil {
			return nil, fmt.Errorf("scan saved search: %w", err)
		}
		s.CreatedAt = time.Unix(at, 0)
		out = append(out, s)
	}
	return out, rows.Err()
}
