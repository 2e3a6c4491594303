package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"tiru/internal/ingest"
	"tiru/internal/sqlite"
)

func cmdImport(ctx context.Context, env *environment, args []string) error {
	c := &config{}
	fs := newFlagSet("import", env)
	commonFlags(fs, env, c)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("import: beri minimal satu berkas .jsonl atau .md, atau foldernya (give at least one .jsonl or .md file or folder)")
	}
	var records []ingest.Record
	perr := &ingest.Error{}
	for _, p := range fs.Args() {
		st, err := os.Stat(p)
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("import: berkas atau folder %s tidak ada, tidak ada yang disimpan (no such file or folder, nothing was saved)", p)
		}
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		var recs []ingest.Record
		if st.IsDir() {
			recs, err = readFS(os.DirFS(p), p)
		} else {
			var f *os.File
			f, err = os.Open(p)
			if err != nil {
				return fmt.Errorf("import: %w", err)
			}
			recs, err = ingest.Parse(filepath.Clean(p), f)
			f.Close()
		}
		var ie *ingest.Error
		if errors.As(err, &ie) {
			perr.Problems = append(perr.Problems, ie.Problems...)
			continue
		}
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		records = append(records, recs...)
	}
	if len(perr.Problems) > 0 {
		return fmt.Errorf("import gagal, tidak ada yang disimpan (import failed, nothing was saved):\n%w", perr)
	}
	if len(records) == 0 {
		return fmt.Errorf("import: tidak ada catatan di %s (no records found there)", strings.Join(fs.Args(), ", "))
	}
	db, ref, err := openStore(ctx, c, sqlite.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	sum, err := ingest.Import(ctx, db, ref.Ref, records, "import")
	if err != nil {
		return fmt.Errorf("import gagal, tidak ada yang disimpan (import failed, nothing was saved):\n%w", err)
	}
	fmt.Fprint(env.stdout, sum.String())
	return nil
}

func cmdExport(ctx context.Context, env *environment, args []string) error {
	c := &config{}
	fs := newFlagSet("export", env)
	commonFlags(fs, env, c)
	out := fs.String("out", "", "tulis ke berkas ini, bukan ke keluaran standar / write to this file instead of standard output")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := c.requireDB(); err != nil {
		return err
	}
	db, _, err := openStore(ctx, c, sqlite.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	// Visits' files are not records: the export moves content between
	// installations as JSON Lines, and megabytes of base64 would not
	// belong there. Said, so nobody takes the export for a backup of them.
	files, err := db.AttachmentCount(ctx)
	if err != nil {
		return err
	}
	leftBehind := func() {
		if files > 0 {
			fmt.Fprintf(env.stderr, "%d lampiran kunjungan tidak ikut diekspor; tiru backup menyalinnya (%d visit attachments are not exported; tiru backup copies them)\n", files, files)
		}
	}
	if *out == "" {
		_, err := ingest.Export(ctx, db, env.stdout)
		if err == nil {
			leftBehind()
		}
		return err
	}
	// Write beside the target and rename, so a failed export never leaves a
	// half-written file where a good one was.
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".tiru-export-*")
	if err != nil {
		return fmt.Errorf("export: tidak bisa menulis ke / cannot write to %s: %w", *out, err)
	}
	defer os.Remove(tmp.Name())
	n, err := ingest.Export(ctx, db, tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), *out)
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintf(env.stderr, "%d catatan ditulis ke / records written to %s\n", n, *out)
	leftBehind()
	return nil
}
