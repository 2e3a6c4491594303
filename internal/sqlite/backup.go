package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// IntegrityCheck runs SQLite's own check of the whole file.
func (db *DB) IntegrityCheck(ctx context.Context) error {
	return integrityCheck(ctx, db.reader)
}

func integrityCheck(ctx context.Context, q *sql.DB) error {
	rows, err := q.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return fmt.Errorf("integrity check: %w", err)
		}
		if s != "ok" {
			problems = append(problems, s)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("integrity check failed: %s", strings.Join(problems, "; "))
	}
	return nil
}

// Backup writes a consistent copy of the database at src to dest while
// other processes keep writing: VACUUM INTO reads one snapshot on its own
// connection (so it never holds up the server's writer), the copy is synced
// to disk and checked, and only then renamed into place, so dest is either
// the old file or a complete, verified new one.
func Backup(ctx context.Context, src, dest string) error {
	if strings.ContainsAny(src, "?#") {
		return fmt.Errorf("database path %q: must not contain ? or #", src)
	}
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	dir := filepath.Dir(dest)
	tmp, err := os.CreateTemp(dir, ".tiru-backup-*")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	tmpName := tmp.Name()
	tmp.Close()
	os.Remove(tmpName) // VACUUM INTO wants to create the file itself
	defer os.Remove(tmpName)

	conn, err := sql.Open("sqlite3", src+"?_busy_timeout=10000")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "VACUUM INTO ?", tmpName); err != nil {
		return fmt.Errorf("backup: copy: %w", err)
	}
	if err := syncFile(tmpName); err != nil {
		return err
	}
	if err := checkFile(ctx, tmpName); err != nil {
		return fmt.Errorf("backup: the copy failed its check: %w", err)
	}
	if err := os.Rename(tmpName, dest); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return syncFile(dir)
}

// checkFile opens a database file read-only and runs the integrity check,
// and makes sure it is a Tiru database.
func checkFile(ctx context.Context, path string) error {
	conn, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := integrityCheck(ctx, conn); err != nil {
		return err
	}
	var n int
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations").Scan(&n); err != nil || n == 0 {
		return fmt.Errorf("%s is not a Tiru database", path)
	}
	return nil
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	return nil
}

// BadBackupError is what Restore answers for a file that is not a sound
// Tiru database (not SQLite at all, damaged, or another program's): File
// is the file given, Err what the check found.
type BadBackupError struct {
	File string
	Err  error
}

func (e *BadBackupError) Error() string { return "restore: " + e.File + ": " + e.Err.Error() }
func (e *BadBackupError) Unwrap() error { return e.Err }

// Restore copies a backup file to dest, which must not exist yet: it is
// checked first, copied beside dest, synced and renamed into place.
func Restore(ctx context.Context, backup, dest string) error {
	if _, err := os.Stat(dest); err == nil {
		return fmt.Errorf("restore: %s already exists; restore into an empty data folder", dest)
	}
	if err := checkFile(ctx, backup); err != nil {
		return &BadBackupError{File: backup, Err: err}
	}
	if err := os.MkdirAll(filepath.Dir(dest), 0o750); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	in, err := os.Open(backup)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer in.Close()
	out, err := os.CreateTemp(filepath.Dir(dest), ".tiru-restore-*")
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer os.Remove(out.Name())
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("restore: %w", err)
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return fmt.Errorf("restore: %w", err)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := os.Rename(out.Name(), dest); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return syncFile(filepath.Dir(dest))
}
