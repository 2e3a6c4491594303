package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tiru/internal/sqlite"
)

// A cancelled backup (the command's context ends on SIGINT or SIGTERM)
// removes its partial file and writes nothing: cancelled before it starts,
// and while it waits for a database another connection holds in exclusive
// locking mode.
func TestBackupCancelledLeavesNoPartialFile(t *testing.T) {
	db := openDB(t, sqlite.Options{})
	src := db.Path()
	db.Close()
	dir := t.TempDir()
	dest := filepath.Join(dir, "cadangan.db")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := sqlite.Backup(ctx, src, dest); !errors.Is(err, context.Canceled) {
		t.Errorf("backup with a cancelled context: %v, want context.Canceled", err)
	}
	checkNothingWritten(t, dir)

	holder, err := sql.Open("sqlite3", src+"?_locking_mode=EXCLUSIVE")
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	holder.SetMaxOpenConns(1)
	var n int
	if err := holder.QueryRow("SELECT count(*) FROM schema_migrations").Scan(&n); err != nil {
		t.Fatal(err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- sqlite.Backup(ctx, src, dest) }()
	for deadline := time.Now().Add(time.Minute); len(partials(t, dir)) == 0; time.Sleep(2 * time.Millisecond) {
		select {
		case err := <-done:
			t.Fatalf("the backup ended before it was cancelled: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("no partial file appeared")
		}
	}
	cancel()
	// Let go of the database only once the backup is cancelled, so that
	// its copy, if it starts at all, starts cancelled.
	if err := holder.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err == nil {
		t.Error("a cancelled backup succeeded")
	}
	checkNothingWritten(t, dir)
}

// checkNothingWritten fails the test unless dir is empty: no backup, and
// no partial file or journal beside it.
func checkNothingWritten(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("left in the backup's folder: %s", e.Name())
	}
}

// partials lists the backups' partial files in dir.
func partials(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".tiru-backup-") {
			found = append(found, e.Name())
		}
	}
	return found
}
