// Package sqlite is Tiru's storage: all SQL lives here. SQLite is the source
// of truth; the search index is derived from it through an outbox table that
// every write fills in the same transaction.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// DB is an open Tiru database: one writer connection and a pool of readers.
type DB struct {
	path     string
	writer   *sql.DB
	reader   *sql.DB
	now      func() time.Time
	onCommit func()
}

// Options configure Open.
type Options struct {
	// OnCommit, when set, is called after every committed write that queued
	// records for the search index, so the indexer can wake without polling.
	OnCommit func()
	// Now replaces the clock, for tests.
	Now func() time.Time
	// Readers is the size of the read pool (default 4).
	Readers int
	// BusyTimeout is how long a write waits for another process's lock
	// before failing with ErrBusy (default 10 s).
	BusyTimeout time.Duration
}

// Open opens (creating if needed) the database file at path and brings its
// schema up to date. A failed migration leaves the file as it was.
func Open(ctx context.Context, path string, opt Options) (*DB, error) {
	return open(ctx, path, opt, migrationFiles)
}

// open is Open with the migrations taken from files, so that a test can
// make a database as an older Tiru left it and then upgrade it.
func open(ctx context.Context, path string, opt Options, files fs.FS) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	// Pragmas for every connection:
	//   journal_mode=WAL  readers never block the writer and vice versa;
	//   synchronous=FULL  a commit is on disk before it is acknowledged, so an
	//                     acknowledged save survives a power cut (WAL's NORMAL
	//                     may lose the last commits);
	//   busy_timeout      wait for a lock instead of failing at once;
	//   foreign_keys      SQLite leaves them off unless asked.
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("database path %q: must not contain ? or #", path)
	}
	wait := opt.BusyTimeout
	if wait <= 0 {
		wait = 10 * time.Second
	}
	base := path + "?_journal_mode=WAL&_synchronous=FULL&_busy_timeout=" + strconv.FormatInt(wait.Milliseconds(), 10) + "&_foreign_keys=on"
	// The single writer takes its lock when a transaction begins
	// (_txlock=immediate), so two writes never deadlock on a lock upgrade;
	// "database is locked" comes only from another process holding the
	// lock past busy_timeout (see ErrBusy).
	w, err := sql.Open("sqlite3", base+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	// Readers cannot write even by mistake.
	r, err := sql.Open("sqlite3", base+"&_query_only=true")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	n := opt.Readers
	if n <= 0 {
		n = 4
	}
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	db := &DB{path: path, writer: w, reader: r, now: opt.Now, onCommit: opt.OnCommit}
	if db.now == nil {
		db.now = time.Now
	}
	if err := db.migrate(ctx, files); err != nil {
		db.Close()
		return nil, err
	}
	// Table statistics let the planner see that nearly every record is
	// public, so a list walks the newest-first index instead of sorting
	// everything public. Cheap when they are fresh (it then does nothing).
	if _, err := db.writer.ExecContext(ctx, "PRAGMA optimize = 0x10002"); err != nil {
		db.Close()
		return nil, fmt.Errorf("gather table statistics: %w", err)
	}
	return db, nil
}

// Close refreshes the table statistics if they are stale, as SQLite
// advises, and closes both pools.
func (db *DB) Close() error {
	_, err := db.writer.Exec("PRAGMA optimize")
	return errors.Join(err, db.reader.Close(), db.writer.Close())
}

// Path is the database file.
func (db *DB) Path() string { return db.path }

// Ping checks that the database answers, for readiness probes.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.reader.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

func (db *DB) timestamp() string {
	return db.now().UTC().Format(time.RFC3339Nano)
}

// migrate applies each embedded migration not yet recorded, each in its own
// transaction together with its record, so a failure rolls it back whole.
// Foreign keys stay on throughout (the connection is opened with them, and
// PRAGMA foreign_keys is ignored inside a transaction), so a migration that
// drops a table other tables reference deletes their rows by cascade; see
// 008 for a rebuild that is safe because nothing references its table.
func (db *DB) migrate(ctx context.Context, files fs.FS) error {
	if _, err := db.writer.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`); err != nil {
		return fmt.Errorf("create migrations table: %w", err)
	}
	names, err := fs.Glob(files, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("list migrations: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		base := filepath.Base(name)
		version, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: name must start with a number", base)
		}
		var done int
		if err := db.writer.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations WHERE version = ?", version).Scan(&done); err != nil {
			return fmt.Errorf("check migration %s: %w", base, err)
		}
		if done > 0 {
			continue
		}
		src, err := fs.ReadFile(files, name)
		if err != nil {
			return fmt.Errorf("read migration %s: %w", base, err)
		}
		err = db.inTx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, string(src)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", version, base, db.timestamp())
			return err
		})
		if err != nil {
			return fmt.Errorf("apply migration %s: %w", base, err)
		}
	}
	return nil
}

// SchemaVersion returns the newest applied migration.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := db.reader.QueryRowContext(ctx, "SELECT max(version) FROM schema_migrations").Scan(&v)
	return int(v.Int64), err
}

func (db *DB) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", busy(err))
	}
	// A panic in fn must not leave the single writer connection inside an
	// open transaction, or every later write would wait for it.
	committed := false
	defer func() {
		if !committed {
			_ = tx.Rollback()
		}
	}()
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	committed = true
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", busy(err))
	}
	return nil
}

// ErrBusy means another process held the database's write lock for longer
// than a write waits for it (busy_timeout): an import run from the command
// line while the server runs, say. Trying again later is the remedy.
var ErrBusy = errors.New("database busy")

// busy marks err as ErrBusy when SQLite gave up waiting for a lock.
func busy(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked) {
		return fmt.Errorf("%w: %w", ErrBusy, err)
	}
	return err
}

// Update runs fn in one write transaction on behalf of author ("import",
// "seed"). Everything fn does is committed together or not at all.
func (db *DB) Update(ctx context.Context, author string, fn func(*Tx) error) error {
	return db.UpdateAs(ctx, Who{Name: author}, fn)
}

// UpdateAs runs fn in one write transaction on behalf of who; revisions and
// the audit log name them.
func (db *DB) UpdateAs(ctx context.Context, who Who, fn func(*Tx) error) error {
	now := db.now()
	t := &Tx{db: db, who: who, author: who.Name, now: now.UTC().Format(time.RFC3339Nano), unix: now.Unix()}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		t.tx = tx
		return fn(t)
	})
	if err != nil {
		return err
	}
	if t.queued && db.onCommit != nil {
		db.onCommit()
	}
	return nil
}

// Tx is a write transaction. Its methods validate references against the
// database and record revisions and outbox entries for every change.
type Tx struct {
	db     *DB
	tx     *sql.Tx
	who    Who
	author string
	now    string
	unix   int64
	queued bool
}

// Audit records an action in the audit log, in this transaction.
func (t *Tx) Audit(ctx context.Context, action, kind, ref, detail string) error {
	if _, err := t.tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor_id, actor, action, kind, ref, ip, request_id, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, t.now, t.who.UserID, t.who.Name, action, kind, ref, t.who.IP, t.who.RequestID, clipString(detail, 500)); err != nil {
		return fmt.Errorf("write audit log: %w", err)
	}
	return nil
}

// Change says what a write did.
type Change int

// The outcomes of a write.
const (
	Unchanged Change = iota
	Created
	Updated
	Deleted
)

// String names the change in English, for logs and the import summary's
// keys.
func (c Change) String() string {
	names := [...]string{"unchanged", "created", "updated", "deleted"}
	if c < 0 || int(c) >= len(names) {
		return fmt.Sprintf("change(%d)", int(c))
	}
	return names[c]
}

// enqueue records that a record must be (re)indexed or removed from the index.
func (t *Tx) enqueue(ctx context.Context, kind string, id int64) error {
	if _, err := t.tx.ExecContext(ctx, "INSERT INTO search_outbox (kind, record_id, created_at) VALUES (?, ?, ?)", kind, id, t.now); err != nil {
		return fmt.Errorf("queue %s %d for indexing: %w", kind, id, err)
	}
	t.queued = true
	return nil
}

// isConstraint reports whether err is a SQLite constraint violation.
func isConstraint(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.Code == sqlite3.ErrConstraint
}
