package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"tiru/content"
	"tiru/internal/ingest"
	"tiru/internal/kb"
	"tiru/internal/sqlite"
)

// TestBackupRestoreKeepsEverything backs up a database while writes go on,
// restores it into an empty folder, and compares everything: the export of
// the restored data equals the export of the backed-up state, the index is
// rebuilt and agrees with it, and restore refuses a folder that has data.
func TestBackupRestoreKeepsEverything(t *testing.T) {
	src := t.TempDir()
	env := map[string]string{"TIRU_DATA": src}
	if _, stderr, err := tiru(t, env, "import", filepath.Join("..", "..", "content", "seed")); err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	// Writes from another connection while the backup runs: the backup must
	// be one consistent snapshot, whatever it catches.
	ctx := context.Background()
	ref, err := ingest.LoadReference(content.Regions(), content.Aliases(), content.Urusan())
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(ctx, filepath.Join(src, "tiru.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// A visit's file, which only the backup carries (the export leaves
	// files behind).
	pdf := append([]byte("%PDF-1.4\n"), strings.Repeat("laporan perjalanan ", 20000)...)
	var file sqlite.Attachment
	if err := db.Update(ctx, "test", func(tx *sqlite.Tx) error {
		var err error
		file, _, err = tx.AddAttachment(ctx, "kunjungan-dkisp-banjar-ke-diskominfo-surakarta-2024", sqlite.NewAttachment{Name: "laporan.pdf", MediaType: "application/pdf", Data: pdf})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range 40 {
			line := fmt.Sprintf(`{"kind":"innovation","slug":"selama-cadangan-%d","title":"Inovasi %d","region":"63.03","summary":"ditulis saat pencadangan"}`, i, i)
			recs, err := ingest.ParseJSONLines("w.jsonl", strings.NewReader(line))
			if err == nil {
				_, err = ingest.Import(ctx, db, ref.Ref, recs, "test")
			}
			if err != nil {
				t.Errorf("write during backup: %v", err)
				return
			}
		}
	}()
	backup := filepath.Join(t.TempDir(), "tiru-backup.db")
	out, stderr, err := tiru(t, env, "backup", backup)
	wg.Wait()
	db.Close()
	if err != nil {
		t.Fatalf("backup: %v\n%s", err, stderr)
	}
	if !strings.Contains(out, "integrity ok") {
		t.Errorf("backup output: %s", out)
	}

	// What the backup holds, read straight from the file.
	snap, err := sqlite.Open(ctx, backup, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var want strings.Builder
	if _, err := ingest.Export(ctx, snap, &want); err != nil {
		t.Fatal(err)
	}
	snap.Close()
	if !strings.Contains(want.String(), "kunjungan-dkisp-banjar-ke-diskominfo-surakarta-2024") {
		t.Fatal("backup lacks the seed visit")
	}

	dest := filepath.Join(t.TempDir(), "restored")
	denv := map[string]string{"TIRU_DATA": dest}
	if _, stderr, err := tiru(t, denv, "restore", backup); err != nil {
		t.Fatalf("restore: %v\n%s", err, stderr)
	}
	got, exportNote, err := tiru(t, denv, "export")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(exportNote, "1 visit attachments are not exported") {
		t.Errorf("the export does not say the file stayed behind: %q", exportNote)
	}
	restored, err := sqlite.Open(ctx, filepath.Join(dest, "tiru.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	data, err := restored.AttachmentData(ctx, "kunjungan-dkisp-banjar-ke-diskominfo-surakarta-2024", file.ID, kb.Viewer{})
	restored.Close()
	if err != nil || !bytes.Equal(data, pdf) {
		t.Errorf("the restored file: %d bytes, %v", len(data), err)
	}
	if got != want.String() {
		t.Error("restored data differs from the backup")
	}
	if out, _, err := tiru(t, denv, "check"); err != nil || !strings.Contains(out, "index and database agree") || !strings.Contains(out, "database integrity: ok") {
		t.Errorf("check after restore: %v\n%s", err, out)
	}
	// A folder with data in it is never overwritten.
	before, _ := os.ReadFile(filepath.Join(dest, "tiru.db"))
	if _, stderr, err := tiru(t, denv, "restore", backup); err == nil || !strings.Contains(stderr+err.Error(), "not empty") {
		t.Errorf("restore into a used folder: %v %s", err, stderr)
	}
	after, _ := os.ReadFile(filepath.Join(dest, "tiru.db"))
	if string(before) != string(after) {
		t.Error("a refused restore changed the database")
	}
	// A file that is not a Tiru database is refused.
	junk := filepath.Join(t.TempDir(), "junk.db")
	os.WriteFile(junk, []byte("bukan basis data"), 0o600)
	if _, _, err := tiru(t, map[string]string{"TIRU_DATA": filepath.Join(t.TempDir(), "x")}, "restore", junk); err == nil {
		t.Error("restore accepted a file that is not a database")
	}
}

// A backup never replaces an existing file unless told to, and says which
// file it left alone; a restore from a file that is not a database says
// so in both languages, naming the file.
func TestBackupAndRestoreRefuseTheWrongFile(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"TIRU_DATA": filepath.Join(dir, "data")}
	if _, stderr, err := tiru(t, env, "import", writeFile(t, dir, "in.jsonl", sampleJSONL)); err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	old := writeFile(t, dir, "cadangan-kemarin.db", "cadangan lama")
	_, _, err := tiru(t, env, "backup", old)
	if err == nil {
		t.Fatal("backup overwrote an existing file")
	}
	for _, want := range []string{old, "sudah ada", "already exists", "--force"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the refusal lacks %q: %v", want, err)
		}
	}
	if b, _ := os.ReadFile(old); string(b) != "cadangan lama" {
		t.Error("a refused backup changed the file")
	}
	if _, stderr, err := tiru(t, env, "backup", "--force", old); err != nil {
		t.Fatalf("backup --force: %v\n%s", err, stderr)
	}
	if b, _ := os.ReadFile(old); !strings.HasPrefix(string(b), "SQLite format 3") {
		t.Error("backup --force did not write the backup over the file")
	}

	junk := writeFile(t, dir, "bukan.db", "bukan basis data")
	_, _, err = tiru(t, map[string]string{"TIRU_DATA": filepath.Join(dir, "kosong")}, "restore", junk)
	if err == nil {
		t.Fatal("restore accepted a file that is not a database")
	}
	for _, want := range []string{junk, "bukan basis data Tiru", "not a Tiru database", "tidak ada yang diubah", "nothing was changed"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the refusal lacks %q: %v", want, err)
		}
	}
}
