package sqlite_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"tiru/internal/kb"
	"tiru/internal/sqlite"
)

func TestOpenAppliesMigrationsOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "folder", "tiru.db") // Open creates the folder
	db, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	v1, err := db.SchemaVersion(ctx)
	if err != nil || v1 < 1 {
		t.Fatalf("SchemaVersion = %d, %v; want ≥ 1", v1, err)
	}
	raw := rawDB(t, db)
	var applied int
	var firstAt string
	if err := raw.QueryRow("SELECT count(*), min(applied_at) FROM schema_migrations").Scan(&applied, &firstAt); err != nil {
		t.Fatal(err)
	}
	if applied != v1 {
		t.Errorf("%d migrations recorded, newest is %d: every migration must be recorded once", applied, v1)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	for i := 0; i < 2; i++ {
		db, err = sqlite.Open(ctx, path, sqlite.Options{})
		if err != nil {
			t.Fatalf("reopen %d: %v", i, err)
		}
		if v, err := db.SchemaVersion(ctx); err != nil || v != v1 {
			t.Errorf("after reopen SchemaVersion = %d, %v; want %d", v, err, v1)
		}
		var n int
		var at string
		if err := raw.QueryRow("SELECT count(*), min(applied_at) FROM schema_migrations").Scan(&n, &at); err != nil {
			t.Fatal(err)
		}
		if n != applied || at != firstAt {
			t.Errorf("reopen re-applied migrations: %d rows (was %d), applied_at %s (was %s)", n, applied, at, firstAt)
		}
		if err := db.Ping(ctx); err != nil {
			t.Errorf("Ping: %v", err)
		}
		db.Close()
	}
}

func TestReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tiru.db")
	db := openPath(t, path, sqlite.Options{})
	putInnovation(t, db, "tester", newInnovation(t, "internet-gratis", "33.72"))
	if empty, err := db.Empty(ctx); err != nil || empty {
		t.Fatalf("Empty = %v, %v after a write", empty, err)
	}
	db.Close()

	db = openPath(t, path, sqlite.Options{})
	rec, err := db.GetInnovation(ctx, "internet-gratis", kb.Viewer{})
	if err != nil {
		t.Fatalf("after reopen: %v", err)
	}
	if rec.Title != "Inovasi internet-gratis" || rec.Region != "33.72" || rec.Version != 1 {
		t.Errorf("after reopen got %+v", rec.Innovation)
	}
}

func TestOpenRejectsDSNCharacters(t *testing.T) {
	for _, name := range []string{"tiru.db?_foreign_keys=off", "tiru#x.db"} {
		t.Run(name, func(t *testing.T) {
			db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), name), sqlite.Options{})
			if err == nil {
				db.Close()
				t.Fatal("Open accepted a path that would change the connection options")
			}
		})
	}
}

func TestSyncReferenceIsIdempotent(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, sqlite.Options{})
	ref := testRef(t)
	// A second sync (every start does one) changes nothing and fails nothing,
	// even with records pointing at regions.
	putInnovation(t, db, "tester", newInnovation(t, "internet-gratis", "33.72"))
	if err := db.SyncReference(ctx, ref.Regions, ref.Urusan); err != nil {
		t.Fatalf("second SyncReference: %v", err)
	}
	raw := rawDB(t, db)
	if n := count(t, raw, "SELECT count(*) FROM regions"); n != len(ref.Regions) || n != 553 {
		t.Errorf("%d regions, want %d (552 + nasional)", n, len(ref.Regions))
	}
	if n := count(t, raw, "SELECT count(*) FROM urusan"); n != len(ref.Urusan) {
		t.Errorf("%d urusan, want %d", n, len(ref.Urusan))
	}
}

func TestEmpty(t *testing.T) {
	db := openDB(t, sqlite.Options{})
	if empty, err := db.Empty(context.Background()); err != nil || !empty {
		t.Fatalf("Empty on a new database = %v, %v", empty, err)
	}
}

func TestUpdateRollsBackOnPanic(t *testing.T) {
	db := openDB(t, sqlite.Options{})
	func() {
		defer func() { _ = recover() }()
		_ = db.Update(context.Background(), "tester", func(tx *sqlite.Tx) error {
			if _, err := tx.PutInnovation(context.Background(), newInnovation(t, "panik", "33.72")); err != nil {
				t.Errorf("Put: %v", err)
			}
			panic("handler bug")
		})
	}()
	// The single writer connection must be free again.
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	err := db.Update(ctx, "tester", func(tx *sqlite.Tx) error {
		_, err := tx.PutInnovation(ctx, newInnovation(t, "sesudah-panik", "33.72"))
		return err
	})
	if err != nil {
		t.Fatalf("Update after a panic: %v", err)
	}
	if _, err := db.GetInnovation(context.Background(), "panik", kb.Viewer{AllInternal: true}); !errors.Is(err, kb.ErrNotFound) {
		t.Errorf("the write of the panicking transaction was kept: %v", err)
	}
}
