package sqlite

import (
	"context"
	"database/sql"
	"errors"
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
// the old file or a complete, verified new one. The copy is written to a
// hidden partial file beside dest (see newPartial), readable by its owner
// only: it holds password and token hashes. The partial file is removed
// when the backup fails or is cancelled, and one left by a backup that was
// killed is removed by the next backup into the same folder.
func Backup(ctx context.Context, src, dest string) error {
	if strings.ContainsAny(src, "?#") {
		return fmt.Errorf("database path %q: must not contain ? or #", src)
	}
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	dir := filepath.Dir(dest)
	removeAbandonedPartials(dir)
	part, err := newPartial(dir)
	if err != nil {
		return err
	}
	tmpName := part.Name()
	// Closed last, after the rename: until then the lock tells another
	// backup that the file is in use. Removed first, whatever happened
	// (once renamed, its name is gone and nothing is removed).
	defer part.Close()
	defer removePartial(tmpName)

	conn, err := sql.Open("sqlite3", src+"?_busy_timeout=10000")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer conn.Close()
	// VACUUM INTO writes into an empty file as into a new one.
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

// partialPrefix begins the name of a backup's partial file.
const partialPrefix = ".tiru-backup-"

// partialSidecars are the endings of the files SQLite may write beside a
// database file: VACUUM INTO journals the copy it writes, and a backup
// killed during the copy leaves that journal too.
func partialSidecars() []string { return []string{"-journal", "-wal", "-shm"} }

// newPartial creates the empty file a backup is written to, in dir, and
// locks it for as long as the file stays open. The lock is how a later
// backup tells a partial file still being written from one whose backup
// was killed: the kernel lets go of it when the process ends, however it
// ends, which a process id in the name could not promise (ids are reused,
// and another container sharing the folder has ids of its own).
func newPartial(dir string) (*os.File, error) {
	for range 10 {
		f, err := os.CreateTemp(dir, partialPrefix+"*")
		if err != nil {
			return nil, fmt.Errorf("backup: %w", err)
		}
		locked, err := tryLock(f)
		if err != nil {
			// A file system without locks: the backup goes on. Another
			// backup's clean-up cannot lock the file there either, and
			// leaves it alone.
			return f, nil
		}
		// Another backup's clean-up may have locked and removed the file
		// between its creation and this lock: the lock counts only on the
		// file the name still names.
		if locked && sameFile(f, f.Name()) {
			return f, nil
		}
		f.Close()
	}
	return nil, fmt.Errorf("backup: no partial file could be created and locked in %s", dir)
}

// removeAbandonedPartials removes, from dir, the partial files of backups
// that ended without removing them (killed, or the machine stopped), with
// what SQLite left beside them. A partial file another backup still holds
// is left alone. It does its best and reports nothing: what it cannot
// remove is no reason to refuse a new backup.
func removeAbandonedPartials(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	var sidecars []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, partialPrefix) || !e.Type().IsRegular() {
			continue
		}
		if isSidecar(name) {
			sidecars = append(sidecars, name)
			continue
		}
		path := filepath.Join(dir, name)
		f, err := os.Open(path)
		if err != nil {
			continue
		}
		// Locked here, the file is no one's: its backup is gone, and a
		// new backup cannot take it (see newPartial).
		if locked, err := tryLock(f); err == nil && locked && sameFile(f, path) {
			removePartial(path)
		}
		f.Close()
	}
	// A sidecar is written only while its partial file exists and is
	// locked, so one whose partial file is gone is left over.
	for _, name := range sidecars {
		path := filepath.Join(dir, name)
		if _, err := os.Lstat(sidecarOf(path)); errors.Is(err, os.ErrNotExist) {
			os.Remove(path)
		}
	}
}

// isSidecar reports whether name ends as a file SQLite keeps beside a
// database does.
func isSidecar(name string) bool {
	return sidecarOf(name) != name
}

// sidecarOf returns the database file a sidecar belongs to, or name itself
// when it is no sidecar.
func sidecarOf(name string) string {
	for _, end := range partialSidecars() {
		if base, ok := strings.CutSuffix(name, end); ok {
			return base
		}
	}
	return name
}

// removePartial removes a partial file and its sidecars.
func removePartial(path string) {
	os.Remove(path)
	for _, end := range partialSidecars() {
		os.Remove(path + end)
	}
}

// sameFile reports whether path names the open file f.
func sameFile(f *os.File, path string) bool {
	a, err := f.Stat()
	if err != nil {
		return false
	}
	b, err := os.Lstat(path)
	return err == nil && os.SameFile(a, b)
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

// restorePrefix begins the name of the partial file a restore copies the
// backup to, beside the database it becomes.
const restorePrefix = ".tiru-restore-"

// IsRestoreLeftover reports whether name, a file in a data folder, is the
// partial copy of a restore that was killed before it was renamed into
// place: it holds nothing that is not in the backup it came from, and a
// data folder that holds only such files is as empty as before.
func IsRestoreLeftover(name string) bool {
	return strings.HasPrefix(name, restorePrefix)
}

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
	out, err := os.CreateTemp(filepath.Dir(dest), restorePrefix+"*")
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
