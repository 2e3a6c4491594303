package ingest_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"tiru/content"
	"tiru/internal/ingest"
	"tiru/internal/kb"
	"tiru/internal/sqlite"
)

// loadReference parses the shipped reference data once for the package.
var loadReference = sync.OnceValues(func() (*ingest.ReferenceData, error) {
	return ingest.LoadReference(content.Regions(), content.Aliases(), content.Urusan())
})

func testRef(t testing.TB) kb.Reference {
	t.Helper()
	ref, err := loadReference()
	if err != nil {
		t.Fatalf("load reference data: %v", err)
	}
	return ref.Ref
}

// openDB opens a fresh database in a temporary folder with reference data.
func openDB(t testing.TB) *sqlite.DB {
	t.Helper()
	ref, err := loadReference()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "tiru.db"), sqlite.Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.SyncReference(ctx, ref.Regions, ref.Urusan); err != nil {
		t.Fatalf("SyncReference: %v", err)
	}
	return db
}

// tableCounts counts the rows of every table an import writes, reading the
// database file directly (the sqlite3 driver is registered by package sqlite).
func tableCounts(t testing.TB, db *sqlite.DB) map[string]int {
	t.Helper()
	raw, err := sql.Open("sqlite3", db.Path()+"?_busy_timeout=5000&_query_only=true")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	out := map[string]int{}
	for _, table := range []string{"innovations", "visits", "adoptions", "adoption_events", "visit_innovations",
		"follow_ups", "agencies", "revisions", "search_outbox"} {
		var n int
		if err := raw.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		out[table] = n
	}
	return out
}

// parse parses src as the file name and fails the test on any error.
func parse(t testing.TB, name, src string) []ingest.Record {
	t.Helper()
	recs, err := ingest.Parse(name, strings.NewReader(src))
	if err != nil {
		t.Fatalf("Parse %s: %v", name, err)
	}
	return recs
}

// parseErr parses src and returns the import error, failing the test when
// parsing succeeds or fails in another way.
func parseErr(t testing.TB, name, src string) *ingest.Error {
	t.Helper()
	_, err := ingest.Parse(name, strings.NewReader(src))
	return asImportError(t, err)
}

func asImportError(t testing.TB, err error) *ingest.Error {
	t.Helper()
	var ie *ingest.Error
	if !errors.As(err, &ie) {
		t.Fatalf("got %v (%T), want an *ingest.Error", err, err)
	}
	if !errors.Is(err, kb.ErrInvalid) {
		t.Errorf("import error does not wrap kb.ErrInvalid")
	}
	for _, p := range ie.Problems {
		if p.Message.ID == "" || p.Message.EN == "" {
			t.Errorf("problem %v lacks a message in one language", p)
		}
	}
	return ie
}

// findProblem returns the problem at file:line, failing when there is none.
func findProblem(t testing.TB, ie *ingest.Error, file string, line int) ingest.Problem {
	t.Helper()
	for _, p := range ie.Problems {
		if p.File == file && p.Line == line {
			return p
		}
	}
	t.Fatalf("no problem at %s:%d in:\n%v", file, line, ie)
	return ingest.Problem{}
}

// readSeed parses the embedded seed write-ups in name order, as tiru serve
// does on an empty database.
func readSeed(t testing.TB) []ingest.Record {
	t.Helper()
	seed := content.Seed()
	names, err := fs.Glob(seed, "*.md")
	if err != nil || len(names) == 0 {
		t.Fatalf("seed files: %v, %v", names, err)
	}
	sort.Strings(names)
	var all []ingest.Record
	for _, n := range names {
		data, err := fs.ReadFile(seed, n)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := ingest.Parse("seed/"+n, bytes.NewReader(data))
		if err != nil {
			t.Fatalf("seed %s: %v", n, err)
		}
		all = append(all, recs...)
	}
	return all
}

func importRecords(t testing.TB, db *sqlite.DB, recs []ingest.Record) ingest.Summary {
	t.Helper()
	sum, err := ingest.Import(context.Background(), db, testRef(t), recs, "test")
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	return sum
}

func export(t testing.TB, db *sqlite.DB) string {
	t.Helper()
	var b bytes.Buffer
	if _, err := ingest.Export(context.Background(), db, &b); err != nil {
		t.Fatalf("Export: %v", err)
	}
	return b.String()
}
