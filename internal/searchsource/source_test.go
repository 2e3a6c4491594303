package searchsource

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tiru/content"
	"tiru/internal/ingest"
	"tiru/internal/kb"
	"tiru/internal/search"
	"tiru/internal/sqlite"
)

type env struct {
	dir string
	db  *sqlite.DB
	ref *ingest.ReferenceData
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ref, err := ingest.LoadReference(content.Regions(), content.Aliases(), content.Urusan())
	if err != nil {
		t.Fatal(err)
	}
	e := &env{dir: t.TempDir(), ref: ref}
	e.open(t)
	return e
}

func (e *env) open(t *testing.T) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(e.dir, "tiru.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SyncReference(context.Background(), e.ref.Regions, e.ref.Urusan); err != nil {
		t.Fatal(err)
	}
	e.db = db
	t.Cleanup(func() { db.Close() })
}

func (e *env) openIndex(t *testing.T) (*search.Index, bool) {
	t.Helper()
	syn, err := Synonyms()
	if err != nil {
		t.Fatal(err)
	}
	ix, fresh, err := search.Open(filepath.Join(e.dir, "index.bleve"), search.Options{Synonyms: syn})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix, fresh
}

func (e *env) write(t *testing.T, lines string) {
	t.Helper()
	recs, err := ingest.ParseJSONLines("t.jsonl", strings.NewReader(lines))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ingest.Import(context.Background(), e.db, e.ref.Ref, recs, "test"); err != nil {
		t.Fatal(err)
	}
}

func (e *env) pending(t *testing.T) int {
	t.Helper()
	_, n, _, err := e.db.OutboxState(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func hits(t *testing.T, ix *search.Index, q string) []string {
	t.Helper()
	res, err := ix.Search(context.Background(), search.Request{Query: q, Viewer: kb.Viewer{AllInternal: true}})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.Slug)
	}
	return out
}

// TestChangesReachTheIndexThroughTheOutbox follows a record from commit to
// search: queued in the same transaction, indexed and acknowledged by the
// indexer, changed, then deleted.
func TestChangesReachTheIndexThroughTheOutbox(t *testing.T) {
	e := newEnv(t)
	ix, fresh := e.openIndex(t)
	in := search.NewIndexer(ix, New(e.db, e.ref), nil)
	if !fresh {
		t.Fatal("a new index must need a build")
	}
	if err := in.Rebuild(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.write(t, `{"kind":"innovation","slug":"bank-sampah-digital","title":"Bank Sampah Digital","region":"35.78","summary":"Warga menabung sampah terpilah."}`+"\n")
	if e.pending(t) != 1 {
		t.Fatalf("outbox holds %d entries, want 1", e.pending(t))
	}
	if got := hits(t, ix, "bank sampah"); len(got) != 0 {
		t.Fatalf("indexed before the indexer ran: %v", got)
	}
	if err := in.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := hits(t, ix, "bank sampah"); len(got) != 1 || got[0] != "bank-sampah-digital" {
		t.Fatalf("after drain: %v", got)
	}
	if e.pending(t) != 0 {
		t.Error("outbox not acknowledged after indexing")
	}
	e.write(t, `{"kind":"innovation","slug":"bank-sampah-digital","title":"Tabungan Emas dari Sampah","region":"35.78"}`+"\n")
	in.Drain(context.Background())
	if got := hits(t, ix, "tabungan emas"); len(got) != 1 {
		t.Errorf("update not indexed: %v", got)
	}
	if err := e.db.Update(context.Background(), "test", func(tx *sqlite.Tx) error {
		return tx.DeleteInnovation(context.Background(), "bank-sampah-digital")
	}); err != nil {
		t.Fatal(err)
	}
	in.Drain(context.Background())
	if got := hits(t, ix, "tabungan emas"); len(got) != 0 {
		t.Errorf("deleted record still found: %v", got)
	}
}

// A record that cannot be read for the index (here its stored document is
// damaged) must not hold back every later change: the others are indexed,
// it stays pending, and once it can be read again it is indexed too.
func TestUnreadableRecordDoesNotStopIndexing(t *testing.T) {
	e := newEnv(t)
	ix, _ := e.openIndex(t)
	in := search.NewIndexer(ix, New(e.db, e.ref), nil)
	if err := in.Rebuild(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.write(t, `{"kind":"innovation","slug":"bank-sampah-digital","title":"Bank Sampah Digital","region":"35.78"}`+"\n"+
		`{"kind":"innovation","slug":"wifi-taman","title":"Wifi Taman Kota","region":"35.78"}`+"\n")
	raw, err := sql.Open("sqlite3", filepath.Join(e.dir, "tiru.db")+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var doc string
	if err := raw.QueryRow("SELECT doc FROM innovations WHERE slug = 'bank-sampah-digital'").Scan(&doc); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("UPDATE innovations SET doc = '{' WHERE slug = 'bank-sampah-digital'"); err != nil {
		t.Fatal(err)
	}
	if err := in.Drain(context.Background()); err == nil || !strings.Contains(err.Error(), "innovation") {
		t.Errorf("drain with an unreadable record: %v, want an error naming it", err)
	}
	if got := hits(t, ix, "wifi taman"); len(got) != 1 {
		t.Errorf("the readable record was held back: %v", got)
	}
	if n := e.pending(t); n != 1 {
		t.Errorf("outbox holds %d entries, want the unreadable record's only", n)
	}
	if _, err := raw.Exec("UPDATE innovations SET doc = ? WHERE slug = 'bank-sampah-digital'", doc); err != nil {
		t.Fatal(err)
	}
	if err := in.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := hits(t, ix, "bank sampah"); len(got) != 1 || e.pending(t) != 0 {
		t.Errorf("once readable: found %v, %d pending", got, e.pending(t))
	}
}

// TestCrashBetweenCommitAndIndexingLosesNothing commits writes, "crashes"
// before the indexer runs (closes everything), and checks that a restarted
// indexer still indexes them from the outbox.
func TestCrashBetweenCommitAndIndexingLosesNothing(t *testing.T) {
	e := newEnv(t)
	ix, _ := e.openIndex(t)
	if err := search.NewIndexer(ix, New(e.db, e.ref), nil).Rebuild(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.write(t, `{"kind":"innovation","slug":"posyandu-keliling","title":"Posyandu Keliling","region":"63.03"}`+"\n"+
		`{"kind":"innovation","slug":"ambulans-desa","title":"Ambulans Desa","region":"33.19"}`+"\n")
	e.db.Close()
	ix.Close()

	e.open(t)
	if e.pending(t) != 2 {
		t.Fatalf("outbox after restart holds %d entries, want 2", e.pending(t))
	}
	ix2, fresh := e.openIndex(t)
	if fresh {
		t.Fatal("a cleanly closed index must not need a rebuild")
	}
	if err := search.NewIndexer(ix2, New(e.db, e.ref), nil).Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := hits(t, ix2, "posyandu keliling"); len(got) != 1 {
		t.Errorf("write committed before the crash was not indexed: %v", got)
	}
	if got := hits(t, ix2, "ambulans desa"); len(got) == 0 {
		t.Error("second write lost")
	}
}

// TestBrokenIndexIsRebuiltFromTheDatabase corrupts the index on disk and
// checks that opening it asks for a rebuild, which restores every record.
func TestBrokenIndexIsRebuiltFromTheDatabase(t *testing.T) {
	e := newEnv(t)
	e.write(t, `{"kind":"innovation","slug":"wifi-taman","title":"Wifi Taman Kota","region":"32.73"}`+"\n")
	ix, _ := e.openIndex(t)
	if err := search.NewIndexer(ix, New(e.db, e.ref), nil).Rebuild(context.Background()); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	meta := filepath.Join(e.dir, "index.bleve", "index_meta.json")
	if err := os.WriteFile(meta, []byte("{rusak"), 0o600); err != nil {
		t.Fatal(err)
	}
	ix2, fresh := e.openIndex(t)
	if !fresh || ix2.Ready() {
		t.Fatal("a corrupt index must be replaced and report that it needs a build")
	}
	if _, err := ix2.Search(context.Background(), search.Request{Query: "wifi"}); err != search.ErrNotReady {
		t.Errorf("search during rebuild: %v, want ErrNotReady", err)
	}
	if err := search.NewIndexer(ix2, New(e.db, e.ref), nil).Rebuild(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := hits(t, ix2, "wifi taman"); len(got) != 1 {
		t.Errorf("after rebuild: %v", got)
	}
	if e.pending(t) != 0 {
		t.Error("rebuild did not acknowledge the outbox it covered")
	}
}

// TestSecondProcessFailsFast opens the index twice: the second open must
// fail quickly with ErrLocked instead of waiting for ever.
func TestSecondProcessFailsFast(t *testing.T) {
	e := newEnv(t)
	e.openIndex(t)
	syn, _ := Synonyms()
	_, _, err := search.Open(filepath.Join(e.dir, "index.bleve"), search.Options{Synonyms: syn})
	if err != search.ErrLocked {
		t.Fatalf("second open: %v, want ErrLocked", err)
	}
}

// Asked to stop, the indexer stops within its finishing time and leaves
// the rest of a backlog in the outbox for the next start: draining a large
// import's backlog whole held a restart for most of a minute. Nothing is
// lost: the next indexer applies what was left.
func TestStoppingLeavesTheBacklogForTheNextStart(t *testing.T) {
	e := newEnv(t)
	ix, _ := e.openIndex(t)
	in := search.NewIndexer(ix, New(e.db, e.ref), nil)
	if err := in.Rebuild(context.Background()); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for i := range 1200 {
		fmt.Fprintf(&b, `{"kind":"innovation","slug":"antrean-daring-%d","title":"Antrean Daring %d","region":"35.78"}`+"\n", i, i)
	}
	e.write(t, b.String())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	in.SetFinish(0)
	if err := in.Run(ctx); err != nil {
		t.Fatalf("run asked to stop: %v", err)
	}
	if n := e.pending(t); n == 0 {
		t.Fatal("the whole backlog was applied though the indexer had no time to finish")
	}
	if err := search.NewIndexer(ix, New(e.db, e.ref), nil).Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := e.pending(t); n != 0 {
		t.Errorf("%d changes still pending after the next start's drain", n)
	}
	if got := hits(t, ix, "antrean daring 1199"); len(got) == 0 {
		t.Error("the last record of the backlog is not searchable after the next start")
	}
}

// writeMany writes n innovations, more than a rebuild writes in one batch
// when n is over 500.
func (e *env) writeMany(t *testing.T, n int) {
	t.Helper()
	var lines strings.Builder
	for i := range n {
		fmt.Fprintf(&lines, `{"kind":"innovation","slug":"posyandu-%d","title":"Posyandu Digital %d","region":"35.78","summary":"Kader mencatat timbang balita."}`+"\n", i, i)
	}
	e.write(t, lines.String())
}

// A rebuild leaves the index in one segment, however many batches it
// wrote, so that searches look each word up once (see Index.Compact).
func TestRebuildLeavesOneSegment(t *testing.T) {
	e := newEnv(t)
	e.writeMany(t, 1_100)
	ix, _ := e.openIndex(t)
	if err := search.NewIndexer(ix, New(e.db, e.ref), nil).Rebuild(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n, err := ix.Segments(); err != nil || n != 1 {
		t.Fatalf("after a rebuild of 1,100 records in batches of 500: %d segments (%v), want 1", n, err)
	}
	if n, err := ix.Count(); err != nil || n != 1_100 {
		t.Fatalf("index holds %d records (%v), want 1,100", n, err)
	}
}

// The server's indexer compacts a rebuilt index too, in the background,
// and stops doing so when it is stopped.
func TestRunCompactsARebuiltIndex(t *testing.T) {
	e := newEnv(t)
	e.writeMany(t, 1_100)
	ix, _ := e.openIndex(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- search.NewIndexer(ix, New(e.db, e.ref), nil).Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) {
		n, err := ix.Segments()
		if ix.Ready() && err == nil && n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a minute after the start: ready %v, %d segments (%v), want one", ix.Ready(), n, err)
		}
	}
	if n, err := ix.Count(); err != nil || n != 1_100 {
		t.Fatalf("index holds %d records (%v), want 1,100", n, err)
	}
}
