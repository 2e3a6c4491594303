package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

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

	// The copy a restore killed before its rename left in the folder
	// does not make it "not empty": the next try removes it.
	dest := filepath.Join(t.TempDir(), "restored")
	if err := os.Mkdir(dest, 0o750); err != nil {
		t.Fatal(err)
	}
	leftover := writeFile(t, dest, ".tiru-restore-1234567", "SQLite format 3\x00 setengah")
	denv := map[string]string{"TIRU_DATA": dest}
	if _, stderr, err := tiru(t, denv, "restore", backup); err != nil {
		t.Fatalf("restore: %v\n%s", err, stderr)
	}
	if _, err := os.Stat(leftover); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the killed restore's copy is still there (%v)", err)
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
	_, data, err := restored.AttachmentFile(ctx, "kunjungan-dkisp-banjar-ke-diskominfo-surakarta-2024", file.ID, kb.Viewer{})
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

// A backup killed midway leaves its partial file beside the target, with
// SQLite's journal of the copy, and the next backup into that folder
// removes them. The database is made large enough (32 MB) that the copy
// is caught under way: the backup is killed once its partial file has
// data in it.
func TestBackupKilledMidwayIsCleanedUpByTheNext(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if _, stderr, err := tiru(t, map[string]string{"TIRU_DATA": data}, "import", writeFile(t, dir, "in.jsonl", sampleJSONL)); err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	addBallast(t, filepath.Join(data, "tiru.db"), 32<<20)
	out := filepath.Join(dir, "cadangan")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}

	killed := startBackup(t, data, filepath.Join(out, "dibunuh.db"))
	stale := killed.waitForPartial(t, out, true)
	killed.kill(t)
	if _, err := os.Stat(stale); err != nil {
		t.Fatalf("the killed backup's partial file: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "dibunuh.db")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the backup finished before it was killed (%v); the test needs a larger database", err)
	}
	// A clean-up killed in turn may leave a journal without its file.
	orphan := writeFile(t, out, ".tiru-backup-42-journal", "jurnal")
	t.Logf("left by the kill: %v", partialsIn(t, out))

	if _, stderr, err := runProc(t, time.Minute, "backup", "--data", data, filepath.Join(out, "berikutnya.db")); err != nil {
		t.Fatalf("the next backup: %v\n%s", err, stderr)
	}
	if left := partialsIn(t, out); len(left) > 0 {
		t.Errorf("partial files left after the next backup: %v", left)
	}
	if _, err := os.Lstat(orphan); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a journal without its file is still there (%v)", err)
	}
	// It holds password and token hashes: for its owner only.
	if st, err := os.Stat(filepath.Join(out, "berikutnya.db")); err != nil {
		t.Errorf("the next backup: %v", err)
	} else if st.Mode().Perm() != 0o600 {
		t.Errorf("the backup's mode is %v, want -rw-------", st.Mode().Perm())
	}
}

// The clean-up of one backup leaves alone the partial file of a backup
// still running in another process, whatever its target. The running
// backup's database is held by a connection in exclusive locking mode, so
// that it stops, its partial file made, waiting for the database, until
// let go.
func TestBackupLeavesARunningBackupsPartialFile(t *testing.T) {
	dir := t.TempDir()
	held, other := filepath.Join(dir, "held"), filepath.Join(dir, "other")
	for _, data := range []string{held, other} {
		if _, stderr, err := tiru(t, map[string]string{"TIRU_DATA": data}, "import", writeFile(t, dir, "in.jsonl", sampleJSONL)); err != nil {
			t.Fatalf("import: %v\n%s", err, stderr)
		}
	}
	release := holdDatabase(t, filepath.Join(held, "tiru.db"))
	out := filepath.Join(dir, "cadangan")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	running := startBackup(t, held, filepath.Join(out, "berjalan.db"))
	live := running.waitForPartial(t, out, false)

	// Another backup, of another database into the same folder.
	if _, stderr, err := runProc(t, time.Minute, "backup", "--data", other, filepath.Join(out, "lain.db")); err != nil {
		t.Fatalf("the other backup: %v\n%s", err, stderr)
	}
	select {
	case <-running.done:
		t.Fatalf("the running backup ended before the other one was checked against it: %v\n%s", running.err, running.out.String())
	default:
	}
	if _, err := os.Stat(live); err != nil {
		t.Errorf("the other backup removed the partial file of one still running: %v", err)
	}

	// Let go, the running backup finishes, and nothing partial is left.
	release()
	<-running.done
	if running.err != nil {
		t.Fatalf("the running backup, let go: %v\n%s", running.err, running.out.String())
	}
	for _, name := range []string{"berjalan.db", "lain.db"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("backup %s: %v", name, err)
		}
	}
	if left := partialsIn(t, out); len(left) > 0 {
		t.Errorf("partial files left: %v", left)
	}
}

// addBallast adds a table of about size bytes to the database at path, so
// that copying it takes a while.
func addBallast(t *testing.T, path string, size int) {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE ballast (b BLOB)"); err != nil {
		t.Fatal(err)
	}
	// randomblob: a copy cannot shrink it.
	if _, err := db.Exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < ?) INSERT INTO ballast SELECT randomblob(65536) FROM n", size/65536); err != nil {
		t.Fatal(err)
	}
}

// holdDatabase opens the database at path in exclusive locking mode and
// reads it, which keeps every other connection from reading it until the
// returned function lets go (or the test ends).
func holdDatabase(t *testing.T, path string) (release func()) {
	t.Helper()
	db, err := sql.Open("sqlite3", path+"?_locking_mode=EXCLUSIVE")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	var n int
	if err := db.QueryRow("SELECT count(*) FROM schema_migrations").Scan(&n); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			if err := db.Close(); err != nil {
				t.Error(err)
			}
		})
	}
	t.Cleanup(release)
	return release
}

// backupProc is a `tiru backup` running as a process of its own.
type backupProc struct {
	cmd  *exec.Cmd
	out  syncBuffer
	done chan struct{} // closed once it has ended
	err  error         // how it ended, once done is closed
}

// startBackup starts `tiru backup --data data dest`, killed when the test
// ends if it still runs.
func startBackup(t *testing.T, data, dest string) *backupProc {
	t.Helper()
	p := &backupProc{done: make(chan struct{})}
	p.cmd = exec.Command(procBinary(t), "backup", "--data", data, dest)
	p.cmd.Env = procEnv()
	p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() { p.kill(t) })
	return p
}

// kill ends the backup with SIGKILL, as a crash or an impatient operator
// would, and waits for it.
func (p *backupProc) kill(t *testing.T) {
	t.Helper()
	select {
	case <-p.done:
		return
	default:
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Error(err)
	}
	<-p.done
}

// waitForPartial waits until the backup's partial file is in dir (with
// data in it, if written) and returns its path.
func (p *backupProc) waitForPartial(t *testing.T, dir string, written bool) string {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		for _, path := range partialsIn(t, dir) {
			if strings.HasSuffix(path, "-journal") {
				continue
			}
			if st, err := os.Stat(path); err == nil && (!written || st.Size() > 0) {
				return path
			}
		}
		select {
		case <-p.done:
			t.Fatalf("the backup ended (%v) with no partial file seen in %s:\n%s", p.err, dir, p.out.String())
		default:
		}
	}
	t.Fatalf("no partial file of the backup appeared in %s", dir)
	return ""
}

// partialsIn lists the backups' partial files in dir, and what SQLite
// wrote beside them.
func partialsIn(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".tiru-backup-") {
			found = append(found, filepath.Join(dir, e.Name()))
		}
	}
	return found
}
