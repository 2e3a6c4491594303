package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"tiru/content"
	"tiru/internal/ingest"
	"tiru/internal/sqlite"
)

// config is what every subcommand shares.
type config struct {
	data string
}

func (c *config) dbPath() string    { return filepath.Join(c.data, "tiru.db") }
func (c *config) indexPath() string { return filepath.Join(c.data, "index.bleve") }

// commonFlags registers the flags every subcommand takes, with defaults
// from the environment.
func commonFlags(fs *flag.FlagSet, env *environment, c *config) {
	def := env.getenv("TIRU_DATA")
	if def == "" {
		def = "data"
	}
	fs.StringVar(&c.data, "data", def, "folder data / data folder (TIRU_DATA)")
}

// requireDB refuses to go on when the data folder holds no database, for
// the commands that only read or look after one: with a mistyped --data,
// opening would create an empty database there and report on nothing.
func (c *config) requireDB() error {
	if _, err := os.Stat(c.dbPath()); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("folder data %s belum berisi basis data Tiru (tiru.db); periksa --data atau TIRU_DATA, atau buat dengan `tiru serve` atau `tiru import` (the data folder %s holds no Tiru database; check --data or TIRU_DATA, or create one with `tiru serve` or `tiru import`)",
			filepath.Clean(c.data), filepath.Clean(c.data))
	} else if err != nil {
		return fmt.Errorf("basis data / database %s: %w", c.dbPath(), err)
	}
	return nil
}

func newFlagSet(name string, env *environment) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Penggunaan / usage: tiru %s [opsi / flags]\n", name)
		fs.PrintDefaults()
	}
	return fs
}

// openStore opens the database and brings its reference data up to date.
func openStore(ctx context.Context, c *config, opt sqlite.Options) (*sqlite.DB, *ingest.ReferenceData, error) {
	ref, err := ingest.LoadReference(content.Regions(), content.Aliases(), content.Urusan())
	if err != nil {
		return nil, nil, fmt.Errorf("load reference data: %w", err)
	}
	db, err := sqlite.Open(ctx, c.dbPath(), opt)
	if err != nil {
		return nil, nil, err
	}
	if err := db.SyncReference(ctx, ref.Regions, ref.Urusan); err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("load reference data: %w", err)
	}
	return db, ref, nil
}

// seed loads the embedded seed write-ups when the database holds nothing.
func seed(ctx context.Context, db *sqlite.DB, ref *ingest.ReferenceData) (bool, error) {
	empty, err := db.Empty(ctx)
	if err != nil || !empty {
		return false, err
	}
	records, err := readFS(content.Seed(), "seed")
	if err != nil {
		return false, err
	}
	if _, err := ingest.Import(ctx, db, ref.Ref, records, "seed"); err != nil {
		return false, fmt.Errorf("load seed content: %w", err)
	}
	return true, nil
}

// readFS parses every .md and .jsonl file in fsys, in name order.
func readFS(fsys fs.FS, prefix string) ([]ingest.Record, error) {
	var names []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		ext := strings.ToLower(filepath.Ext(p))
		if !d.IsDir() && (ext == ".md" || ext == ".markdown" || ext == ".jsonl" || ext == ".ndjson") {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", prefix, err)
	}
	sort.Strings(names)
	var all []ingest.Record
	perr := &ingest.Error{}
	for _, n := range names {
		f, err := fsys.Open(n)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", n, err)
		}
		recs, err := ingest.Parse(filepath.Join(prefix, n), f)
		f.Close()
		var ie *ingest.Error
		if errors.As(err, &ie) {
			perr.Problems = append(perr.Problems, ie.Problems...)
			continue
		}
		if err != nil {
			return nil, err
		}
		all = append(all, recs...)
	}
	if len(perr.Problems) > 0 {
		return nil, perr
	}
	return all, nil
}
