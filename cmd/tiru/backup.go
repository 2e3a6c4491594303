package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"tiru/internal/sqlite"
)

func cmdBackup(ctx context.Context, env *environment, args []string) error {
	c := &config{}
	fs := newFlagSet("backup", env)
	commonFlags(fs, env, c)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("backup: cara pakai / usage: tiru backup [--data DIR] FILE")
	}
	if err := c.requireDB(); err != nil {
		return err
	}
	dest := fs.Arg(0)
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
	if entries, err := os.ReadDir(c.data); err == nil && len(entries) > 0 {
		return fmt.Errorf("restore: folder data %s tidak kosong; pulihkan ke folder kosong, tidak ada yang diubah (the data folder %s is not empty; restore into an empty folder, nothing was changed)", c.data, c.data)
	}
	if _, err := os.Stat(fs.Arg(0)); errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("restore: berkas cadangan %s tidak ada, tidak ada yang diubah (no such backup file, nothing was changed)", fs.Arg(0))
	}
	if err := sqlite.Restore(ctx, fs.Arg(0), c.dbPath()); err != nil {
		return err
	}
	if _, err := rebuildIndex(ctx, env, c); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "dipulihkan ke / restored into %s; indeks pencarian dibangun ulang / search index rebuilt\n", filepath.Clean(c.data))
	return nil
}
