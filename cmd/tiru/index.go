package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"

	"tiru/internal/search"
	"tiru/internal/searchsource"
	"tiru/internal/sqlite"
)

// openIndex opens the search index, explaining a lock held by a server.
// With inspect, a broken or outdated index is reported, not replaced.
func openIndex(c *config, log *slog.Logger, inspect bool) (*search.Index, error) {
	syn, err := searchsource.Synonyms()
	if err != nil {
		return nil, err
	}
	ix, _, err := search.Open(c.indexPath(), search.Options{Synonyms: syn, Logger: log, Inspect: inspect})
	if errors.Is(err, search.ErrLocked) {
		return nil, fmt.Errorf("indeks pencarian sedang dipakai server Tiru yang berjalan; server itu menjaga indeks tetap sesuai sendiri. Hentikan server dulu bila perlu.\n(%w; the running server keeps the index in step by itself: stop it first if you must.)", err)
	}
	return ix, err
}

func cmdReindex(ctx context.Context, env *environment, args []string) error {
	c := &config{}
	fs := newFlagSet("reindex", env)
	commonFlags(fs, env, c)
	if err := fs.Parse(args); err != nil {
		return err
	}
	n, err := rebuildIndex(ctx, env, c)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "indeks dibangun ulang / index rebuilt: %d dokumen / documents\n", n)
	return nil
}

// rebuildIndex fills the search index afresh from the database and returns
// how many records it holds.
func rebuildIndex(ctx context.Context, env *environment, c *config) (int, error) {
	if err := c.requireDB(); err != nil {
		return 0, err
	}
	db, ref, err := openStore(ctx, c, sqlite.Options{})
	if err != nil {
		return 0, err
	}
	defer db.Close()
	log := slog.New(slog.NewTextHandler(env.stderr, nil))
	ix, err := openIndex(c, log, false)
	if err != nil {
		return 0, err
	}
	defer ix.Close()
	if err := search.NewIndexer(ix, searchsource.New(db, ref), log).Rebuild(ctx); err != nil {
		return 0, err
	}
	return ix.Count()
}

func cmdCheck(ctx context.Context, env *environment, args []string) error {
	c := &config{}
	fs := newFlagSet("check", env)
	commonFlags(fs, env, c)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := c.requireDB(); err != nil {
		return err
	}
	db, ref, err := openStore(ctx, c, sqlite.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	ix, err := openIndex(c, slog.New(slog.DiscardHandler), true)
	if errors.Is(err, search.ErrLocked) {
		// A running server holds the index and keeps it in step itself:
		// the database is still checked, and a check run by cron while
		// the server runs is no failure.
		if err := db.IntegrityCheck(ctx); err != nil {
			return fmt.Errorf("database: %w", err)
		}
		fmt.Fprintln(env.stdout, "integritas basis data / database integrity: ok")
		fmt.Fprintln(env.stdout, "indeks pencarian tidak dibandingkan: server Tiru yang berjalan memakainya dan menjaganya sendiri (lihat /readyz dan /metrics)\n(search index not compared: the running Tiru server holds it and keeps it in step; see /readyz and /metrics)")
		return nil
	}
	if errors.Is(err, search.ErrNeedsRebuild) {
		return errors.New("indeks pencarian hilang, rusak atau usang; jalankan `tiru reindex` atau `tiru serve` (the search index is missing, damaged or outdated; run `tiru reindex` or `tiru serve`)")
	}
	if err != nil {
		return err
	}
	defer ix.Close()
	if err := db.IntegrityCheck(ctx); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	fmt.Fprintln(env.stdout, "integritas basis data / database integrity: ok")
	src := searchsource.New(db, ref)
	want := map[string]string{}
	if err := src.Documents(ctx, func(d *search.Document) error {
		want[search.DocID(d.Kind, d.ID)] = d.Fingerprint()
		return nil
	}); err != nil {
		return err
	}
	have, err := ix.Fingerprints()
	if err != nil {
		return err
	}
	_, pending, _, err := db.OutboxState(ctx)
	if err != nil {
		return err
	}
	// A record still waiting in the queue (a crash, or a stop before the
	// queue drained) differs for now but needs no rebuild: the next
	// `tiru serve` applies the queue first.
	queue, err := db.Outbox(ctx, pending)
	if err != nil {
		return err
	}
	queued := map[string]bool{}
	for _, e := range queue {
		queued[search.DocID(e.Kind, e.RecordID)] = true
	}
	var missing, extra, stale []string
	waiting := 0
	for id, sum := range want {
		got, ok := have[id]
		switch {
		case ok && got == sum:
			continue
		case queued[id]:
			waiting++
		case !ok:
			missing = append(missing, id)
		default:
			stale = append(stale, id)
		}
	}
	for id := range have {
		if _, ok := want[id]; !ok {
			if queued[id] {
				waiting++
				continue
			}
			extra = append(extra, id)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	sort.Strings(stale)
	// Records, not queue entries: one record changed twice is two entries,
	// and the two counts side by side read as a contradiction.
	fmt.Fprintf(env.stdout, "basis data / database: %d catatan / records; indeks / index: %d dokumen / documents; menunggu diindeks / waiting to be indexed: %d catatan / records\n", len(want), len(have), len(queued))
	for _, id := range missing {
		fmt.Fprintf(env.stdout, "tidak ada di indeks / missing from index: %s\n", id)
	}
	for _, id := range extra {
		fmt.Fprintf(env.stdout, "lebih di indeks / extra in index: %s\n", id)
	}
	for _, id := range stale {
		fmt.Fprintf(env.stdout, "usang di indeks / out of date in index: %s\n", id)
	}
	if n := len(missing) + len(extra) + len(stale); n > 0 {
		return fmt.Errorf("indeks dan basis data berbeda: %d hilang, %d lebih, %d usang; jalankan `tiru reindex` (index and database differ: %d missing, %d extra, %d out of date; run `tiru reindex`)",
			len(missing), len(extra), len(stale), len(missing), len(extra), len(stale))
	}
	if waiting > 0 {
		fmt.Fprintf(env.stdout, "ok: indeks dan basis data sesuai setelah `tiru serve` menerapkan %d catatan yang menunggu di antrean (tidak perlu dibangun ulang) / index and database agree once `tiru serve` applies the %d records waiting in the queue (no rebuild needed)\n", len(queued), len(queued))
		return nil
	}
	fmt.Fprintln(env.stdout, "ok: indeks dan basis data sesuai / index and database agree")
	return nil
}
