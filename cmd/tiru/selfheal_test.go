package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
)

const (
	healVisitSlug  = "kunjungan-dkisp-banjar-ke-diskominfo-surakarta-2024"
	healVisitTitle = "Studi Tiru DKISP Kabupaten Banjar ke Diskominfo SP Kota Surakarta"
	// healWord is in the title of every bulk record: a made-up word of
	// consonants that no affix rule touches.
	healWord = "xvzqbhk"
)

// copyTree copies a stopped server's data folder.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o750)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o600)
	})
	if err != nil {
		t.Fatalf("copy %s: %v", src, err)
	}
}

// indexFiles returns the files inside index.bleve/store matching glob.
func indexFiles(t *testing.T, data, glob string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(data, "index.bleve", "store", glob))
	if err != nil || len(files) == 0 {
		t.Fatalf("no index files %s in %s (%v)", glob, data, err)
	}
	return files
}

// garbage is n bytes of deterministic noise.
func garbage(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// healCases are the ways an index folder is lost or damaged while the
// server is stopped.
var healCases = []struct {
	name string
	harm func(t *testing.T, data string)
}{
	{name: "deleted", harm: func(t *testing.T, data string) {
		if err := os.RemoveAll(filepath.Join(data, "index.bleve")); err != nil {
			t.Fatal(err)
		}
	}},
	{name: "meta-and-store-garbage", harm: func(t *testing.T, data string) {
		files := append([]string{filepath.Join(data, "index.bleve", "index_meta.json")}, indexFiles(t, data, "*")...)
		for i, f := range files {
			if err := os.WriteFile(f, garbage(4096, uint64(i)), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}},
	{name: "meta-truncated", harm: func(t *testing.T, data string) {
		if err := os.Truncate(filepath.Join(data, "index.bleve", "index_meta.json"), 0); err != nil {
			t.Fatal(err)
		}
	}},
	{name: "bolt-garbage", harm: func(t *testing.T, data string) {
		for _, f := range indexFiles(t, data, "*.bolt") {
			st, _ := os.Stat(f)
			if err := os.WriteFile(f, garbage(int(st.Size()), 1), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}},
	{name: "segments-truncated", harm: func(t *testing.T, data string) {
		for _, f := range indexFiles(t, data, "*.zap") {
			if err := os.Truncate(f, 100); err != nil {
				t.Fatal(err)
			}
		}
	}},
	{name: "segments-deleted", harm: func(t *testing.T, data string) {
		for _, f := range indexFiles(t, data, "*.zap") {
			if err := os.Remove(f); err != nil {
				t.Fatal(err)
			}
		}
	}},
	{name: "outdated-mapping", harm: func(t *testing.T, data string) {
		// An index built by an older Tiru: the mapping version it records
		// differs from this build's.
		idx, err := bleve.Open(filepath.Join(data, "index.bleve"))
		if err != nil {
			t.Fatal(err)
		}
		if err := idx.SetInternal([]byte("tiru_mapping_version"), []byte("outdated")); err != nil {
			t.Fatal(err)
		}
		if err := idx.Close(); err != nil {
			t.Fatal(err)
		}
	}},
	{
		name: "segment-bytes-overwritten",
		harm: func(t *testing.T, data string) {
			for i, f := range indexFiles(t, data, "*.zap") {
				st, err := os.Stat(f)
				if err != nil {
					t.Fatal(err)
				}
				fh, err := os.OpenFile(f, os.O_WRONLY, 0)
				if err != nil {
					t.Fatal(err)
				}
				_, err = fh.WriteAt(garbage(int(st.Size()/2), uint64(10+i)), st.Size()/4)
				if cerr := fh.Close(); err == nil {
					err = cerr
				}
				if err != nil {
					t.Fatal(err)
				}
			}
		},
	},
}

// healSearch asks the search API; rebuilding reports a well-formed 503
// index_rebuilding answer.
func healSearch(t *testing.T, base string, q url.Values) (rebuilding bool, total uint64, slugs []string) {
	t.Helper()
	status, h, body, err := fetch(context.Background(), http.MethodGet, base+"/api/v1/search?"+q.Encode(), "", nil)
	if err != nil {
		t.Fatalf("search: %v", err)
	}
	switch status {
	case http.StatusServiceUnavailable:
		var e struct {
			Error struct {
				Code      string `json:"code"`
				Message   string `json:"message"`
				RequestID string `json:"request_id"`
			} `json:"error"`
		}
		if err := json.Unmarshal(body, &e); err != nil || e.Error.Code != "index_rebuilding" || e.Error.Message == "" || e.Error.RequestID == "" {
			t.Fatalf("503 from search is not a well-formed index_rebuilding error: %v %s", err, body)
		}
		if n, err := strconv.Atoi(h.Get("Retry-After")); err != nil || n <= 0 {
			t.Errorf("503 index_rebuilding without a usable Retry-After: %q", h.Get("Retry-After"))
		}
		if !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
			t.Errorf("503 index_rebuilding Content-Type = %q", h.Get("Content-Type"))
		}
		return true, 0, nil
	case http.StatusOK:
		var res struct {
			Total uint64 `json:"total"`
			Hits  []struct {
				Slug string `json:"slug"`
			} `json:"hits"`
		}
		if err := json.Unmarshal(body, &res); err != nil {
			t.Fatalf("search answer: %v %s", err, body)
		}
		for _, h := range res.Hits {
			slugs = append(slugs, h.Slug)
		}
		return false, res.Total, slugs
	}
	t.Fatalf("search answered %d: %s", status, body)
	return
}

// assertPagesWork checks pages that read SQLite, not the index.
func assertPagesWork(t *testing.T, base string) {
	t.Helper()
	for _, p := range []string{"/kunjungan", "/kunjungan/" + healVisitSlug} {
		status, _, body, err := fetch(context.Background(), http.MethodGet, base+p, "", nil)
		if err != nil || status != http.StatusOK || !strings.Contains(string(body), healVisitTitle) {
			t.Errorf("GET %s = %d %v; seed visit shown: %v", p, status, err, strings.Contains(string(body), healVisitTitle))
		}
	}
	status, _, body, err := fetch(context.Background(), http.MethodGet, base+"/api/v1/innovations/massal-00007", "", nil)
	if err != nil || status != http.StatusOK {
		t.Errorf("GET /api/v1/innovations/massal-00007 = %d %v %.200s", status, err, body)
	}
}

// assertLockedOut runs a second server and a reindex on a data folder a
// running server holds: each must fail within 5 s saying the index is in
// use. A check succeeds on the database alone.
func assertLockedOut(t *testing.T, data string) {
	t.Helper()
	for _, args := range [][]string{
		{"serve", "--data", data, "--addr", "127.0.0.1:0", "--no-seed"},
		{"reindex", "--data", data},
	} {
		start := time.Now()
		out, stderr, err := runProc(t, 20*time.Second, args...)
		took := time.Since(start)
		switch {
		case err == nil:
			t.Errorf("tiru %s succeeded while a server holds the index\n%s", args[0], out)
		case took > 5*time.Second:
			t.Errorf("tiru %s took %v to fail; want < 5 s: %v", args[0], took, err)
		case !strings.Contains(stderr, "in use") || !strings.Contains(stderr, "sedang dipakai"):
			t.Errorf("tiru %s failed without saying the index is in use: %v\n%s", args[0], err, stderr)
		case procListenRe.MatchString(out):
			t.Errorf("second tiru serve listened: %s", out)
		}
		t.Logf("second `tiru %s` on the same data folder failed after %v: %s", args[0], took.Round(time.Millisecond), firstLine(stderr))
	}
	// A check (say, from cron) still checks the database, says why the
	// index was not compared, and is no failure.
	out, stderr, err := runProc(t, 20*time.Second, "check", "--data", data)
	if err != nil || !strings.Contains(out, "database integrity: ok") || !strings.Contains(out, "not compared") {
		t.Errorf("tiru check while a server runs: %v\n%s%s", err, out, stderr)
	}
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// TestIndexHealsItself damages the search index of a stopped server in
// several ways. Each time the server must start, serve pages from SQLite at
// once, answer searches with 503 index_rebuilding until the index is rebuilt
// from SQLite in the background, then answer them in full; afterwards
// `tiru check` finds index and database in agreement.
func TestIndexHealsItself(t *testing.T) {
	bulk := 2000 // enough records that the rebuild takes a moment
	if testing.Short() {
		bulk = 500
	}
	start := time.Now()
	healthy := t.TempDir()

	// A data folder as a server leaves it: seeded by `tiru serve`, plus bulk
	// records imported while it is stopped, indexed by `tiru reindex`.
	srv := mustLaunchServe(t, healthy)
	deadline := time.Now().Add(20 * time.Second)
	for {
		rebuilding, _, slugs := healSearch(t, srv.base, url.Values{"q": {"studi tiru banjar surakarta"}, "kind": {"visit"}})
		if !rebuilding && len(slugs) > 0 && slugs[0] == healVisitSlug {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the seeded server never found its seed visit: %v", slugs)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := srv.stop(); err != nil {
		t.Fatalf("stop: %v\n%s", err, srv.err.String())
	}
	var lines strings.Builder
	for i := range bulk {
		rec := map[string]any{"kind": "innovation", "slug": fmt.Sprintf("massal-%05d", i),
			"title": fmt.Sprintf("Inovasi massal %d %s", i, healWord), "region": "63.03", "agency": "DKISP Kabupaten Banjar",
			"summary": "Layanan pengaduan warga lewat aplikasi dan jaringan internet publik desa.",
			"body":    strings.Repeat("Petugas kecamatan menindaklanjuti laporan warga tentang layanan publik. ", 20)}
		b, _ := json.Marshal(rec)
		lines.Write(b)
		lines.WriteByte('\n')
	}
	bulkFile := filepath.Join(t.TempDir(), "massal.jsonl")
	if err := os.WriteFile(bulkFile, []byte(lines.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, stderr, err := runProc(t, time.Minute, "import", "--data", healthy, bulkFile); err != nil {
		t.Fatalf("import: %v\n%s%s", err, out, stderr)
	}
	if out, stderr, err := runProc(t, time.Minute, "reindex", "--data", healthy); err != nil {
		t.Fatalf("reindex: %v\n%s%s", err, out, stderr)
	}
	if out, stderr, err := runProc(t, time.Minute, "check", "--data", healthy); err != nil || !strings.Contains(out, "index and database agree") {
		t.Fatalf("check of the healthy folder: %v\n%s%s", err, out, stderr)
	}
	t.Logf("prepared a data folder with the seed and %d bulk innovations in %v", bulk, time.Since(start).Round(time.Millisecond))

	for i, tc := range healCases {
		t.Run(tc.name, func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "data")
			copyTree(t, healthy, data)
			tc.harm(t, data)

			srv := mustLaunchServe(t, data, "--no-seed", "--no-rate-limit")
			// Pages read SQLite and work at once, rebuild or not.
			assertPagesWork(t, srv.base)
			var (
				rebuilding503 int
				pagesChecked  bool
				ready         time.Duration
			)
			for {
				rebuilding, _, slugs := healSearch(t, srv.base, url.Values{"q": {"studi tiru banjar surakarta"}, "kind": {"visit"}})
				if rebuilding {
					rebuilding503++
					if !pagesChecked {
						// While the index is rebuilt, pages from SQLite still
						// work and the search page says it is rebuilding.
						assertPagesWork(t, srv.base)
						status, h, body, err := fetch(context.Background(), http.MethodGet, srv.base+"/cari?q=aplikasi", "", nil)
						if err != nil || (status != http.StatusServiceUnavailable && status != http.StatusOK) ||
							(status == http.StatusServiceUnavailable && (h.Get("Retry-After") == "" || !strings.Contains(string(body), "<html"))) {
							t.Errorf("/cari during the rebuild = %d %v, Retry-After %q", status, err, h.Get("Retry-After"))
						}
						pagesChecked = true
					}
				} else {
					ready = time.Since(srv.started)
					if len(slugs) == 0 || slugs[0] != healVisitSlug {
						t.Errorf("search after the rebuild does not find the seed visit first: %v", slugs)
					}
					// The index is answered only once complete: the first
					// answer already counts every bulk record.
					if _, total, _ := healSearch(t, srv.base, url.Values{"q": {healWord}, "kind": {"innovation"}, "per_page": {"1"}}); total != uint64(bulk) {
						t.Errorf("search for the bulk records finds %d, want %d", total, bulk)
					}
					break
				}
				if time.Since(srv.started) > 60*time.Second {
					t.Fatalf("search still rebuilding 60 s after start\n%s", srv.err.String())
				}
				time.Sleep(10 * time.Millisecond)
			}
			if i == 0 {
				assertLockedOut(t, data)
			}
			if err := srv.stop(); err != nil {
				t.Errorf("graceful stop: %v", err)
			}
			log := srv.err.String()
			if !strings.Contains(log, "search index rebuilt") {
				t.Errorf("the server did not log a rebuild:\n%s", log)
			}
			if _, err := os.Stat(filepath.Join(data, "index.bleve.old")); !os.IsNotExist(err) {
				t.Errorf("the damaged index was left at index.bleve.old (%v)", err)
			}
			out, stderr, err := runProc(t, time.Minute, "check", "--data", data)
			if err != nil || !strings.Contains(out, "index and database agree") {
				t.Errorf("tiru check after the rebuild: %v\n%s%s", err, out, stderr)
			}
			t.Logf("%s: listening after %v, searches ready after %v, %d × 503 index_rebuilding seen",
				tc.name, srv.listen.Round(time.Millisecond), ready.Round(time.Millisecond), rebuilding503)
		})
	}
	t.Logf("total time: %v", time.Since(start).Round(time.Millisecond))
}
