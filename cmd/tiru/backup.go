package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"tiru/internal/sqlite"
)

func cmdBackup(ctx context.Context, env *environment, args []string) error {
	c := &config{}
	fs := newFlagSet("backup", env)
	commonFlags(fs, env, c)
	force := fs.Bool("force", false, "timpa FILE yang sudah ada / overwrite FILE if it exists")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("backup: cara pakai / usage: tiru backup [--data DIR] [--force] FILE")
	}
	if err := c.requireDB(); err != nil {
		return err
	}
	dest := fs.Arg(0)
	// A backup written over the last good one by a mistyped name would
	// leave nothing to go back to.
	if _, err := os.Stat(dest); err == nil && !*force {
		return fmt.Errorf("backup: berkas %s sudah ada dan tidak ditimpa; pilih nama lain, atau tambahkan --force untuk menimpanya (%s already exists and was not overwritten; choose another name, or add --force to overwrite it)", dest, dest)
	}
	if err := sqlite.Backup(ctx, c.dbPath(), dest); err != nil {
		return err
	}
	st, err := os.Stat(dest)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "cadangan dibuat / backup written: %s (%d bita / bytes, integritas / integrity ok)\n", dest, st.Size())
	return nil
}

func cmdRestore(ctx context.Context, env *environment, args []string) error {
	c := &config{}
	fs := newFlagSet("restore", env)
	commonFlags(fs, env, c)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("restore: cara pakai / usage: tiru restore [--data DIR] FILE")
	}
	entries, _ := os.ReadDir(c.data)
	// A restore killed before its copy was renamed into place leaves the
	// copy: the folder is still empty, and a second try must not be told
	// otherwise.
	entries = slices.DeleteFunc(entries, func(e os.DirEntry) bool {
		return sqlite.IsRestoreLeftover(e.Name()) && os.Remove(filepath.Join(c.data, e.Name())) == nil
	})
	if len(entries) > 0 {
		return fmt.Errorf("restore: folder data %s tidak kosong; pulihkan ke folder kosong, tidak ada yang diubah (the data folder %s is not empty; restore into an empty folder, nothing was changed)", c.data, c.data)
	}
	if _, err := os.Stat(fs.Arg(0)); errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("restore: berkas cadangan %s tidak ada, tidak ada yang diubah (no such backup file, nothing was changed)", fs.Arg(0))
	}
	var bad *sqlite.BadBackupError
	if err := sqlite.Restore(ctx, fs.Arg(0), c.dbPath()); errors.As(err, &bad) {
		return fmt.Errorf("restore: berkas %s bukan basis data Tiru atau rusak, tidak ada yang diubah (%s is not a Tiru database or is damaged, nothing was changed); pemeriksaan / check: %v", bad.File, bad.File, bad.Err)
	} else if err != nil {
		return err
	}
	if _, err := rebuildIndex(ctx, env, c); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "dipulihkan ke / restored into %s; indeks pencarian dibangun ulang / search index rebuilt\n", filepath.Clean(c.data))
	return nil
}
