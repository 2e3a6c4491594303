package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"sync"
	"testing"

	"tiru/content"
	"tiru/internal/ingest"
	"tiru/internal/kb"
	"tiru/internal/sqlite"
)

// loadReference parses the shipped reference data once for the package; it
// is read-only afterwards, so every test may share it.
var loadReference = sync.OnceValues(func() (*ingest.ReferenceData, error) {
	return ingest.LoadReference(content.Regions(), content.Aliases(), content.Urusan())
})

func testRef(t testing.TB) *ingest.ReferenceData {
	t.Helper()
	ref, err := loadReference()
	if err != nil {
		t.Fatalf("load reference data: %v", err)
	}
	return ref
}

// openDB opens a fresh database in a temporary folder with the reference data
// loaded, as the tiru command does at start.
func openDB(t testing.TB, opt sqlite.Options) *sqlite.DB {
	t.Helper()
	return openPath(t, filepath.Join(t.TempDir(), "tiru.db"), opt)
}

func openPath(t testing.TB, path string, opt sqlite.Options) *sqlite.DB {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path, opt)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	ref := testRef(t)
	if err := db.SyncReference(ctx, ref.Regions, ref.Urusan); err != nil {
		t.Fatalf("SyncReference: %v", err)
	}
	return db
}

// rawDB opens the same SQLite file with database/sql, to look at tables the
// store does not expose (the outbox, revisions) exactly as they are on disk.
// The sqlite3 driver is registered by package sqlite.
func rawDB(t testing.TB, db *sqlite.DB) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite3", db.Path()+"?_busy_timeout=5000&_query_only=true")
	if err != nil {
		t.Fatalf("open raw: %v", err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

func count(t testing.TB, raw *sql.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := raw.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// newInnovation returns a validated innovation; change adjusts it before
// validation.
func newInnovation(t testing.TB, slug, region string, change ...func(*kb.Innovation)) *kb.Innovation {
	t.Helper()
	in := &kb.Innovation{
		Slug:    slug,
		Title:   "Inovasi " + slug,
		Region:  region,
		Agency:  "Diskominfo " + region,
		Urusan:  "2.16",
		Stage:   "penerapan",
		Summary: "Ringkasan " + slug,
	}
	for _, c := range change {
		c(in)
	}
	if err := in.Validate(testRef(t).Ref); err != nil {
		t.Fatalf("Validate %s: %v", slug, err)
	}
	return in
}

func newVisit(t testing.TB, slug string, innovations []string, change ...func(*kb.Visit)) *kb.Visit {
	t.Helper()
	v := &kb.Visit{
		Slug:          slug,
		Title:         "Kunjungan " + slug,
		VisitType:     "studi_tiru",
		StartDate:     "2024-10-22",
		EndDate:       "2024-10-22",
		VisitorRegion: "63.03",
		VisitorAgency: "DKISP Kabupaten Banjar",
		HostRegion:    "33.72",
		HostAgency:    "Diskominfo SP Kota Surakarta",
		Innovations:   innovations,
	}
	for _, c := range change {
		c(v)
	}
	if err := v.Validate(testRef(t).Ref); err != nil {
		t.Fatalf("Validate %s: %v", slug, err)
	}
	return v
}

// mustUpdate runs fn in one write transaction and fails the test on error.
func mustUpdate(t testing.TB, db *sqlite.DB, author string, fn func(ctx context.Context, tx *sqlite.Tx) error) {
	t.Helper()
	ctx := context.Background()
	if err := db.Update(ctx, author, func(tx *sqlite.Tx) error { return fn(ctx, tx) }); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

// putInnovation writes one innovation in its own transaction and returns what
// the store says it did.
func putInnovation(t testing.TB, db *sqlite.DB, author string, in *kb.Innovation) sqlite.Change {
	t.Helper()
	var c sqlite.Change
	mustUpdate(t, db, author, func(ctx context.Context, tx *sqlite.Tx) error {
		var err error
		c, err = tx.PutInnovation(ctx, in)
		return err
	})
	return c
}

func putVisit(t testing.TB, db *sqlite.DB, author string, v *kb.Visit) sqlite.Change {
	t.Helper()
	var c sqlite.Change
	mustUpdate(t, db, author, func(ctx context.Context, tx *sqlite.Tx) error {
		var err error
		c, err = tx.PutVisit(ctx, v)
		return err
	})
	return c
}
