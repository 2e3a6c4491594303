package main

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"tiru/internal/auth"
	"tiru/internal/kb"
	"tiru/internal/sqlite"
)

// syncBuffer is an io.Writer safe to read while run writes to it from
// another goroutine (the serve command keeps logging while the test polls).
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// tiru runs the command like a user would, with env as the environment.
func tiru(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut syncBuffer
	getenv := func(k string) string { return env[k] }
	err = run(context.Background(), args, getenv, strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), err
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const sampleJSONL = `{"kind":"innovation","slug":"internet-gratis","title":"Internet Gratis di Ruang Publik","region":"Solo","agency":"Diskominfo SP Kota Surakarta","stage":"Penerapan","partners":["Telkom Indonesia"]}
{"kind":"visit","slug":"banjar-ke-solo","title":"Studi tiru ke Solo","visit_type":"studi tiru","start_date":"2024-10-22","end_date":"2024-10-22","visitor_region":"Kab. Banjar","host_region":"Surakarta","innovations":["aplikasi-pengaduan","internet-gratis"],"follow_ups":[{"action":"Minta data teknis","due_date":"2025-03-31"}]}

{"kind":"innovation","slug":"aplikasi-pengaduan","title":"Aplikasi Pengaduan Warga","region":"33.72","summary":"Sekitar 30 laporan per hari."}
{"kind":"adoption","innovation":"internet-gratis","region":"63.03","status":"diminati","visit":"banjar-ke-solo","date":"2024-10-22"}
`

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {}, {"--help"}, {"-h"}} {
		t.Run(strings.Join(append([]string{"tiru"}, args...), " "), func(t *testing.T) {
			out, _, err := tiru(t, nil, args...)
			if err != nil {
				t.Fatalf("run: %v", err)
			}
			for _, cmd := range []string{"tiru serve", "tiru import", "tiru export", "TIRU_DATA"} {
				if !strings.Contains(out, cmd) {
					t.Errorf("help lacks %q:\n%s", cmd, out)
				}
			}
		})
	}
}

func TestUnknownCommand(t *testing.T) {
	out, errOut, err := tiru(t, nil, "impor")
	if err == nil || !strings.Contains(err.Error(), `"impor"`) {
		t.Fatalf("run(impor) = %v, want an error naming the command", err)
	}
	if out != "" || !strings.Contains(errOut, "tiru import") {
		t.Errorf("usage should go to stderr; stdout %q stderr %q", out, errOut)
	}
}

func TestImportThenExportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	in := writeFile(t, dir, "impor/inovasi.jsonl", sampleJSONL)

	out, _, err := tiru(t, nil, "import", "--data", data, in)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	for _, want := range []string{"inovasi / innovation: 2 dibuat / created", "kunjungan / visit: 1 dibuat / created", "adopsi / adoption: 1 dibuat / created"} {
		if !strings.Contains(out, want) {
			t.Errorf("import output lacks %q:\n%s", want, out)
		}
	}

	exported := filepath.Join(dir, "ekspor.jsonl")
	_, errOut, err := tiru(t, nil, "export", "--data", data, "--out", exported)
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	if !strings.Contains(errOut, "4 catatan ditulis ke / records written to") {
		t.Errorf("export says %q, want the count of records", errOut)
	}
	first, err := os.ReadFile(exported)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(first), "\n"); n != 4 {
		t.Errorf("export has %d lines, want 4:\n%s", n, first)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".tiru-export-*")); len(leftovers) != 0 {
		t.Errorf("export left temporary files: %v", leftovers)
	}

	// Import the export into a second data folder (given by TIRU_DATA this
	// time) and export to standard output: the same bytes come out.
	env := map[string]string{"TIRU_DATA": filepath.Join(dir, "data2")}
	if _, _, err := tiru(t, env, "import", exported); err != nil {
		t.Fatalf("import of the export: %v", err)
	}
	second, _, err := tiru(t, env, "export")
	if err != nil {
		t.Fatalf("second export: %v", err)
	}
	if second != string(first) {
		t.Fatalf("round trip is not byte-identical:\nfirst:\n%s\nsecond:\n%s", first, second)
	}

	// Importing the same file again changes nothing.
	out, _, err = tiru(t, nil, "import", "--data", data, in)
	if err != nil {
		t.Fatalf("second import: %v", err)
	}
	if !strings.Contains(out, "inovasi / innovation: 0 dibuat / created, 0 diubah / updated, 2 tetap / unchanged") || !strings.Contains(out, "adopsi / adoption: 0 dibuat / created, 0 diubah / updated, 1 tetap / unchanged") {
		t.Errorf("second import output:\n%s", out)
	}
}

func TestImportFolder(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "tulisan")
	writeFile(t, src, "inovasi.jsonl", sampleJSONL)
	writeFile(t, src, "sub/kurasi.md", "---\nslug: kurasi-media\ntitle: Kurasi Kemitraan Media\nregion: Kota Surakarta\n---\n## Isi\n")
	writeFile(t, src, "catatan.txt", "not imported")
	out, _, err := tiru(t, nil, "import", "--data", filepath.Join(dir, "data"), src)
	if err != nil {
		t.Fatalf("import folder: %v", err)
	}
	if !strings.Contains(out, "inovasi / innovation: 3 dibuat / created") {
		t.Errorf("import output:\n%s", out)
	}
}

func TestImportBadFileSavesNothing(t *testing.T) {
	tests := []struct {
		name, file, content string
		loc                 string
	}{
		{"bad JSON line", "rusak.jsonl", sampleJSONL + `{"kind":"innovation","slug":` + "\n", "rusak.jsonl:6"},
		{"invalid record", "rusak.jsonl", `{"kind":"innovation","slug":"baru","title":"Baru","region":"33.72"}` + "\n" +
			`{"kind":"innovation","slug":"lain","title":"Lain","region":"Banjar"}` + "\n", "rusak.jsonl:2"},
		{"missing observed innovation", "rusak.jsonl", `{"kind":"innovation","slug":"baru","title":"Baru","region":"33.72"}` + "\n" +
			`{"kind":"visit","slug":"k","title":"K","visit_type":"studi_tiru","start_date":"2024-10-22","end_date":"2024-10-22","visitor_region":"63.03","host_region":"33.72","innovations":["tidak-ada"]}` + "\n",
			"rusak.jsonl:2"},
		{"broken YAML", "rusak.md", "---\nslug: baru\ntitle: Baru\nregion: \"33.72\"\nslug: lagi\n---\n", "rusak.md:5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			data := filepath.Join(dir, "data")
			if _, _, err := tiru(t, nil, "import", "--data", data, writeFile(t, dir, "awal.jsonl", sampleJSONL)); err != nil {
				t.Fatalf("first import: %v", err)
			}
			before, _, err := tiru(t, nil, "export", "--data", data)
			if err != nil {
				t.Fatal(err)
			}
			bad := writeFile(t, dir, tt.file, tt.content)
			out, _, err := tiru(t, nil, "import", "--data", data, bad)
			if err == nil {
				t.Fatalf("import of a bad file succeeded: %s", out)
			}
			msg := err.Error()
			if !strings.Contains(msg, filepath.Join(dir, tt.loc)) || !strings.Contains(msg, "tidak ada yang disimpan") || !strings.Contains(msg, "nothing was saved") {
				t.Errorf("error should give %s and say nothing was saved:\n%s", tt.loc, msg)
			}
			after, _, err := tiru(t, nil, "export", "--data", data)
			if err != nil {
				t.Fatal(err)
			}
			if after != before {
				t.Errorf("a failed import changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
}

func TestImportUsageErrors(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := tiru(t, nil, "import", "--data", dir); err == nil || !strings.Contains(err.Error(), "import") {
		t.Errorf("import without files = %v, want a usage error", err)
	}
	if _, _, err := tiru(t, nil, "import", "--data", dir, filepath.Join(dir, "tidak-ada.jsonl")); err == nil || !strings.Contains(err.Error(), "tidak-ada.jsonl") {
		t.Errorf("import of a missing file = %v, want an error naming it", err)
	}
	if _, _, err := tiru(t, nil, "import", "--bogus"); err == nil {
		t.Error("an unknown flag was accepted")
	}
	out := filepath.Join(dir, "no-such-folder", "x.jsonl")
	if _, _, err := tiru(t, nil, "export", "--data", dir, "--out", out); err == nil {
		t.Error("export into a missing folder succeeded")
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a failed export left %s", out)
	}
}

var addrRe = regexp.MustCompile(`http://(127\.0\.0\.1:\d+)`)

// startServe runs `tiru serve` in the background and returns its base URL
// and a function that stops it and returns run's result.
func startServe(t *testing.T, env map[string]string, args ...string) (string, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), func(k string) string { return env[k] },
			strings.NewReader(""), &out, &errOut)
	}()
	stop := func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			t.Fatal("serve did not stop within 10 s of cancellation")
			return nil
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := addrRe.FindStringSubmatch(out.String()); m != nil {
			return "http://" + m[1], stop
		}
		select {
		case err := <-done:
			cancel()
			t.Fatalf("serve stopped before listening: %v\nstdout: %s\nstderr: %s", err, out.String(), errOut.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("serve printed no address within 10 s\nstdout: %s\nstderr: %s", out.String(), errOut.String())
	return "", nil
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", url, err)
	}
	return resp.StatusCode, string(body)
}

const seedVisitTitle = "Studi Tiru DKISP Kabupaten Banjar ke Diskominfo SP Kota Surakarta"

func TestServe(t *testing.T) {
	data := t.TempDir()
	base, stop := startServe(t, nil, "--data", data)

	if code, body := get(t, base+"/healthz"); code != http.StatusOK || strings.TrimSpace(body) != "ok" {
		t.Errorf("/healthz = %d %q", code, body)
	}
	if code, body := get(t, base+"/"); code != http.StatusOK || !strings.Contains(body, "<html") {
		t.Errorf("/ = %d, body starts %.200q", code, body)
	}
	code, body := get(t, base+"/kunjungan")
	if code != http.StatusOK || !strings.Contains(body, seedVisitTitle) {
		t.Errorf("/kunjungan = %d, seed visit title present: %v", code, strings.Contains(body, seedVisitTitle))
	}
	code, body = get(t, base+"/kunjungan/kunjungan-dkisp-banjar-ke-diskominfo-surakarta-2024")
	if code != http.StatusOK || !strings.Contains(body, seedVisitTitle) {
		t.Errorf("seed visit page = %d", code)
	}
	if code, _ := get(t, base+"/kunjungan/tidak-ada"); code != http.StatusNotFound {
		t.Errorf("missing visit = %d, want 404", code)
	}

	if err := stop(); err != nil {
		t.Fatalf("serve returned %v after cancellation, want nil (graceful shutdown)", err)
	}
	if _, err := (&http.Client{Timeout: time.Second}).Get(base + "/healthz"); err == nil {
		t.Error("the server still answers after shutdown")
	}

	// The database the server seeded is closed and usable by the CLI.
	out, _, err := tiru(t, nil, "export", "--data", data)
	if err != nil {
		t.Fatalf("export after serve: %v", err)
	}
	if n := strings.Count(out, "\n"); n != 9 {
		t.Errorf("seeded database exports %d records, want 9 (4 innovations, 1 visit, 4 adoptions)", n)
	}
}

func TestServeWithoutSeed(t *testing.T) {
	data := t.TempDir()
	base, stop := startServe(t, map[string]string{"TIRU_SEED": "0", "TIRU_DATA": data})
	code, body := get(t, base+"/kunjungan")
	if code != http.StatusOK || strings.Contains(body, seedVisitTitle) {
		t.Errorf("/kunjungan = %d; seed visit present with TIRU_SEED=0: %v", code, strings.Contains(body, seedVisitTitle))
	}
	if err := stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}
	if _, err := os.Stat(filepath.Join(data, "tiru.db")); err != nil {
		t.Errorf("TIRU_DATA not used: %v", err)
	}
}

func TestServeAddressInUse(t *testing.T) {
	data := t.TempDir()
	base, stop := startServe(t, nil, "--data", data)
	defer stop()
	addr := strings.TrimPrefix(base, "http://")
	_, _, err := tiru(t, nil, "serve", "--no-seed", "--data", t.TempDir(), "--addr", addr)
	if err == nil || !strings.Contains(err.Error(), addr) {
		t.Errorf("a second server on %s = %v, want an error naming the address", addr, err)
	}
}

// indexedSample imports sampleJSONL into a new data folder and builds its
// index, returning the folder it is in and the data folder.
func indexedSample(t *testing.T) (dir, data string) {
	t.Helper()
	dir = t.TempDir()
	data = filepath.Join(dir, "data")
	if _, _, err := tiru(t, nil, "import", "--data", data, writeFile(t, dir, "a.jsonl", sampleJSONL)); err != nil {
		t.Fatalf("import: %v", err)
	}
	if _, stderr, err := tiru(t, nil, "reindex", "--data", data); err != nil {
		t.Fatalf("reindex: %v\n%s", err, stderr)
	}
	return dir, data
}

// A record changed behind the index's back (here by hand in SQLite, as a
// lost queue entry would leave it) is reported as out of date: a check of
// ids alone said the index and the database agreed while searches still
// found the old title.
func TestCheckFindsOutOfDateDocuments(t *testing.T) {
	_, data := indexedSample(t)
	if out, _, err := tiru(t, nil, "check", "--data", data); err != nil || !strings.Contains(out, "index and database agree") {
		t.Fatalf("check after reindex: %v\n%s", err, out)
	}
	db, err := sql.Open("sqlite3", filepath.Join(data, "tiru.db"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(`UPDATE innovations SET summary = 'Sekitar 45 laporan per hari.', doc = json_set(doc, '$.summary', 'Sekitar 45 laporan per hari.') WHERE slug = 'aplikasi-pengaduan'`)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	out, _, err := tiru(t, nil, "check", "--data", data)
	if err == nil || !strings.Contains(out, "out of date in index: innovation:2\n") || !strings.Contains(err.Error(), "1 usang") {
		t.Errorf("check after a change the index missed: %v\n%s", err, out)
	}
	if _, stderr, err := tiru(t, nil, "reindex", "--data", data); err != nil {
		t.Fatalf("reindex: %v\n%s", err, stderr)
	}
	if out, _, err := tiru(t, nil, "check", "--data", data); err != nil || !strings.Contains(out, "index and database agree") {
		t.Errorf("check after the second reindex: %v\n%s", err, out)
	}
}

// A record imported while no server runs waits in the queue for the next
// `tiru serve`. `tiru check` counts it as waiting, not as a difference
// that needs a rebuild (after a crash, every write in flight looked like
// damage and the check told people to reindex).
func TestCheckCountsQueuedRecordsAsWaiting(t *testing.T) {
	dir, data := indexedSample(t)
	more := `{"kind":"innovation","slug":"bank-sampah","title":"Bank Sampah Kelurahan","region":"33.72"}`
	if _, _, err := tiru(t, nil, "import", "--data", data, writeFile(t, dir, "b.jsonl", more)); err != nil {
		t.Fatalf("import: %v", err)
	}
	out, _, err := tiru(t, nil, "check", "--data", data)
	if err != nil || !strings.Contains(out, "waiting in the queue") || strings.Contains(out, "missing from index") {
		t.Errorf("check with a record in the queue: %v\n%s", err, out)
	}
}

// A region the CLI cannot place is refused in both languages, naming the
// flag, and the ambiguous one lists what it could mean.
func TestUserAddExplainsABadRegion(t *testing.T) {
	data := t.TempDir()
	_, _, err := tiru(t, nil, "user", "add", "--data", data, "--email", "a@b.go.id", "--name", "A", "--role", "staf", "--agency", "Diskominfo", "--region", "Atlantis")
	if err == nil || !strings.Contains(err.Error(), `--region: wilayah "Atlantis" tidak dikenal`) || !strings.Contains(err.Error(), "unknown region") {
		t.Errorf("unknown region: %v", err)
	}
	_, _, err = tiru(t, nil, "user", "add", "--data", data, "--email", "a@b.go.id", "--name", "A", "--role", "staf", "--agency", "Diskominfo", "--region", "Banjar")
	if err == nil || !strings.Contains(err.Error(), "bisa berarti beberapa wilayah") || !strings.Contains(err.Error(), "Kota Banjar") {
		t.Errorf("ambiguous region: %v", err)
	}
	if out, _, err := tiru(t, nil, "user", "list", "--data", data); err != nil || strings.Contains(out, "a@b.go.id") {
		t.Errorf("a refused account was created: %v\n%s", err, out)
	}
	// An agency the region does not have is made only when asked for.
	_, _, err = tiru(t, nil, "user", "add", "--data", data, "--email", "a@b.go.id", "--name", "A", "--role", "staf", "--agency", "Diskominfo Banjr", "--region", "63.03")
	if err == nil || !strings.Contains(err.Error(), "--new-agency") {
		t.Errorf("an unknown agency: %v, want a refusal naming --new-agency", err)
	}
	if _, _, err := tiru(t, nil, "user", "add", "--data", data, "--email", "a@b.go.id", "--name", "A", "--role", "staf", "--agency", "Diskominfo Banjar", "--region", "63.03", "--new-agency"); err != nil {
		t.Errorf("a new agency asked for: %v", err)
	}
}

// tiru user add refuses what the admin page refuses, naming the flag, in
// both languages, and makes no account.
func TestUserAddRefusesBadEmailsAndNames(t *testing.T) {
	data := t.TempDir()
	if _, _, err := tiru(t, nil, "user", "add", "--data", data, "--email", "admin@banjarkab.go.id", "--name", "Admin", "--role", "admin"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		email, name, agency, flag, says string
	}{
		{"x y@", "Pegawai", "", "--email", "alamat email tidak sah"},
		{"@", "Pegawai", "", "--email", "alamat email tidak sah"},
		{"a b@c", "Pegawai", "", "--email", "alamat email tidak sah"},
		{"ani@banjarkab.go.id", "a\x07b\x1b[31m", "", "--name", "karakter kendali"},
		{"ani@banjarkab.go.id", "Ani \u202eurip", "", "--name", "arah tulisan"},
		{"ani@banjarkab.go.id", "Ani", "DKISP\u202e", "--agency", "arah tulisan"},
	}
	for _, tt := range tests {
		args := []string{"user", "add", "--data", data, "--email", tt.email, "--name", tt.name}
		if tt.agency == "" {
			args = append(args, "--role", "admin")
		} else {
			args = append(args, "--role", "staf", "--agency", tt.agency, "--region", "63.03", "--new-agency")
		}
		_, _, err := tiru(t, nil, args...)
		if err == nil || !strings.Contains(err.Error(), tt.flag+": ") || !strings.Contains(err.Error(), tt.says) || !strings.Contains(err.Error(), "(") {
			t.Errorf("%q, %q, %q: %v, want a refusal naming %s", tt.email, tt.name, tt.agency, err, tt.flag)
		}
	}
	if out, _, err := tiru(t, nil, "user", "list", "--data", data); err != nil || strings.Count(out, "\n") != 2 {
		t.Errorf("refused accounts were made: %v\n%s", err, out)
	}
}

// tiru user list prints names stored before they were checked with their
// control and writing-direction characters escaped, so the terminal shows
// them and does not obey them.
func TestUserListEscapesControlCharacters(t *testing.T) {
	data := t.TempDir()
	if _, _, err := tiru(t, nil, "user", "add", "--data", data, "--email", "admin@banjarkab.go.id", "--name", "Admin", "--role", "admin"); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(data, "tiru.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateUser(ctx, sqlite.Who{Name: "test"}, sqlite.NewUser{Email: "lama@banjarkab.go.id", Name: "a\x07b\x1b[31m\tc\u202ed", Role: kb.RoleStaf}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	out, _, err := tiru(t, nil, "user", "list", "--data", data)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsFunc(out, func(r rune) bool { return r != '\n' && (r < 0x20 || r == 0x7f || r == 0x202e) }) {
		t.Errorf("user list printed raw control characters: %q", out)
	}
	if !strings.Contains(out, `a\x07b\x1b[31m\x09c\u202ed`) {
		t.Errorf("user list does not show the stored name escaped: %q", out)
	}
}

// A mistyped --data must not create an empty database and report on it:
// the commands that only read or look after one refuse, in both
// languages, and leave the folder as it was.
func TestCommandsRefuseAFolderWithoutDatabase(t *testing.T) {
	typo := filepath.Join(t.TempDir(), "dat")
	for _, args := range [][]string{
		{"export", "--data", typo},
		{"check", "--data", typo},
		{"reindex", "--data", typo},
		{"backup", "--data", typo, filepath.Join(t.TempDir(), "b.db")},
		{"user", "list", "--data", typo},
		{"token", "create", "--data", typo, "--email", "a@b.go.id"},
	} {
		_, _, err := tiru(t, nil, args...)
		if err == nil || !strings.Contains(err.Error(), "belum berisi basis data Tiru") || !strings.Contains(err.Error(), "holds no Tiru database") {
			t.Errorf("%v: %v, want a refusal naming the folder", args, err)
		}
		if _, err := os.Stat(filepath.Join(typo, "tiru.db")); err == nil {
			t.Fatalf("%v created a database in the mistyped folder", args)
		}
	}
}

// Imports that find nothing, or nothing to read, say so instead of
// succeeding silently or printing a system error in English.
func TestImportSaysWhatIsMissing(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	empty := writeFile(t, dir, "kosong.jsonl", "")
	if _, _, err := tiru(t, nil, "import", "--data", data, empty); err == nil || !strings.Contains(err.Error(), "tidak ada catatan") {
		t.Errorf("empty file: %v, want 'tidak ada catatan'", err)
	}
	if _, _, err := tiru(t, nil, "import", "--data", data, filepath.Join(dir, "tidak-ada.jsonl")); err == nil || !strings.Contains(err.Error(), "tidak ada, tidak ada yang disimpan") {
		t.Errorf("missing file: %v", err)
	}
	if _, _, err := tiru(t, nil, "token", "create", "--data", data); err == nil || !strings.Contains(err.Error(), "--email wajib diisi") {
		t.Errorf("token without --email: %v", err)
	}
}

// An admin who lost their password or their authenticator gets back in
// from the command line: a new password, printed once, every session
// ended, and with --2fa the second factor off, to be set up again.
func TestUserResetIsTheWayBackIn(t *testing.T) {
	data := t.TempDir()
	shown := regexp.MustCompile(`\(shown once\): (\S+)`)
	out, _, err := tiru(t, nil, "user", "add", "--data", data, "--email", "admin@banjarkab.go.id", "--name", "Admin", "--role", "admin")
	m := shown.FindStringSubmatch(out)
	if err != nil || m == nil {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	old := m[1]
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(data, "tiru.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	u, err := db.UserByEmail(ctx, "admin@banjarkab.go.id")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetTOTP(ctx, sqlite.Who{Name: "test"}, u.ID, "JBSWY3DPEHPK3PXP", true); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateSession(ctx, "sesi-lama", u.ID, true, "127.0.0.1", "test"); err != nil {
		t.Fatal(err)
	}
	// A reset link issued from the admin page before, and not used.
	if err := db.CreateResetLink(ctx, sqlite.Who{Name: "test"}, u.ID, "tautan-lama", time.Hour); err != nil {
		t.Fatal(err)
	}
	db.Close()

	out, _, err = tiru(t, nil, "user", "reset", "--data", data, "--email", "ADMIN@banjarkab.go.id", "--2fa")
	m = shown.FindStringSubmatch(out)
	if err != nil || m == nil || !strings.Contains(out, "verifikasi dua langkah dimatikan") {
		t.Fatalf("user reset: %v\n%s", err, out)
	}
	db, err = sqlite.Open(ctx, filepath.Join(data, "tiru.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, err = db.UserByEmail(ctx, "admin@banjarkab.go.id")
	if err != nil {
		t.Fatal(err)
	}
	if auth.CheckPassword(u.PasswordHash, m[1]) != nil || auth.CheckPassword(u.PasswordHash, old) == nil {
		t.Error("the printed password does not log in, or the old one still does")
	}
	if u.TOTPEnabled || u.TOTPSecret != "" {
		t.Error("the second factor is still on")
	}
	if _, err := db.GetSession(ctx, "sesi-lama"); err == nil {
		t.Error("a session from before the reset survived")
	}
	if _, err := db.ResetLinkUser(ctx, "tautan-lama"); err == nil {
		t.Error("a reset link from before the reset still sets a password")
	}
	if _, _, err := tiru(t, nil, "user", "reset", "--data", data, "--email", "siapa@banjarkab.go.id"); err == nil || !strings.Contains(err.Error(), "tidak ada") {
		t.Errorf("reset of an unknown account: %v", err)
	}
}

// Asking for help is not a failure: the flags are printed in both
// languages and the command succeeds.
func TestHelpFlagSucceeds(t *testing.T) {
	_, errOut, err := tiru(t, nil, "serve", "--help")
	if err != nil || !strings.Contains(errOut, "Penggunaan / usage: tiru serve") || !strings.Contains(errOut, "-addr") {
		t.Errorf("serve --help: %v\n%s", err, errOut)
	}
	if out, _, err := tiru(t, nil, "user", "--help"); err != nil || !strings.Contains(out, "tiru user reset") {
		t.Errorf("user --help: %v\n%s", err, out)
	}
}
