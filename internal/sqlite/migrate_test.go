package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"testing/fstest"
)

// TestFailedMigrationLeavesDatabaseAsItWas applies a migration that fails
// halfway: the table it created first must not exist afterwards, the
// migration must not be recorded, and the data must be untouched.
func TestFailedMigrationLeavesDatabaseAsItWas(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tiru.db")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	before, err := db.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	files := fstest.MapFS{}
	for _, name := range []string{"001_init.sql", "002_accounts.sql", "003_bookmarks.sql"} {
		b, err := migrationFiles.ReadFile("migrations/" + name)
		if err != nil {
			t.Fatal(err)
		}
		files["migrations/"+name] = &fstest.MapFile{Data: b}
	}
	files["migrations/999_broken.sql"] = &fstest.MapFile{Data: []byte(
		"CREATE TABLE half_done (x INTEGER);\nINSERT INTO no_such_table VALUES (1);\n")}
	if err := db.migrate(ctx, files); err == nil {
		t.Fatal("a broken migration was applied without error")
	}
	after, _ := db.SchemaVersion(ctx)
	if after != before {
		t.Errorf("schema version moved from %d to %d", before, after)
	}
	var n int
	if err := db.reader.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").Scan(&n); err != nil || n != 0 {
		t.Errorf("the failed migration left its table behind (%v)", err)
	}
	// And the database still works, and reopens.
	db.Close()
	db2, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatalf("reopen after a failed migration: %v", err)
	}
	db2.Close()
}
