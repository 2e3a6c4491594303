package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// This file holds the crash test and the helpers it shares with
// selfheal_test.go: building the tiru binary once and running it as a real
// process that can be killed.

// ---------------------------------------------------------------------------
// The binary and its processes.

var (
	procBinOnce sync.Once
	procBinPath string
	procBinErr  error
)

// procBinary builds ./cmd/tiru once per test run into tmp/tiru under the
// module root and returns its path.
func procBinary(t *testing.T) string {
	t.Helper()
	procBinOnce.Do(func() { procBinPath, procBinErr = buildProcBinary() })
	if procBinErr != nil {
		t.Fatalf("build tiru: %v", procBinErr)
	}
	return procBinPath
}

func buildProcBinary() (string, error) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		return "", fmt.Errorf("module root not found from the test's folder: %w", err)
	}
	goBin := "go"
	if gr := os.Getenv("GOROOT"); gr != "" {
		if _, err := os.Stat(filepath.Join(gr, "bin", "go")); err == nil {
			goBin = filepath.Join(gr, "bin", "go")
		}
	}
	dir := filepath.Join(root, "tmp")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	// Build beside the target and rename, so a test run in parallel (another
	// `go test` of this package) never executes a half-written file.
	part := filepath.Join(dir, fmt.Sprintf(".tiru-build-%d", os.Getpid()))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goBin, "build", "-o", part, "./cmd/tiru")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		os.Remove(part)
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	final := filepath.Join(dir, "tiru")
	if err := os.Rename(part, final); err != nil {
		os.Remove(part)
		return "", err
	}
	return final, nil
}

// procEnv is the test's environment without TIRU_* settings, so that only
// the flags a test passes apply.
func procEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TIRU_") {
			env = append(env, kv)
		}
	}
	return env
}

// runProc runs a tiru subcommand to completion (at most timeout).
func runProc(t *testing.T, timeout time.Duration, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var out, errOut syncBuffer
	cmd := exec.CommandContext(ctx, procBinary(t), args...)
	cmd.Env = procEnv()
	cmd.Stdout, cmd.Stderr = &out, &errOut
	cmd.WaitDelay = 5 * time.Second
	err = cmd.Run()
	if ctx.Err() != nil {
		err = fmt.Errorf("tiru %s: did not finish within %v: %w", strings.Join(args, " "), timeout, ctx.Err())
	}
	return out.String(), errOut.String(), err
}

// serveProc is a running `tiru serve`.
type serveProc struct {
	cmd      *exec.Cmd
	base     string        // http://127.0.0.1:PORT
	started  time.Time     // when the process was started
	listen   time.Duration // from start to the printed address
	out, err syncBuffer
	done     chan struct{} // closed once the process has exited
	waitErr  error         // the exit status, once done is closed
}

var procListenRe = regexp.MustCompile(`http://(127\.0\.0\.1:\d+)`)

// launchServe starts `tiru serve --data data --addr 127.0.0.1:0 args...` and
// waits until it prints the address it listens on. The process is killed
// when the test ends, whatever happened.
func launchServe(t *testing.T, data string, args ...string) (*serveProc, error) {
	p := &serveProc{done: make(chan struct{})}
	p.cmd = exec.Command(procBinary(t), append([]string{"serve", "--data", data, "--addr", "127.0.0.1:0"}, args...)...)
	p.cmd.Env = procEnv()
	p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.err
	p.started = time.Now()
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		p.waitErr = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(p.kill)
	deadline := time.After(20 * time.Second)
	for {
		if m := procListenRe.FindStringSubmatch(p.out.String()); m != nil {
			p.base = "http://" + m[1]
			p.listen = time.Since(p.started)
			return p, nil
		}
		select {
		case <-p.done:
			return nil, fmt.Errorf("tiru serve exited before listening: %v\nstdout: %s\nstderr: %s", p.waitErr, p.out.String(), p.err.String())
		case <-deadline:
			p.kill()
			return nil, fmt.Errorf("tiru serve printed no address within 20 s\nstdout: %s\nstderr: %s", p.out.String(), p.err.String())
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// startServe is launchServe that fails the test on error.
func mustLaunchServe(t *testing.T, data string, args ...string) *serveProc {
	t.Helper()
	p, err := launchServe(t, data, args...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (p *serveProc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// kill ends the process with SIGKILL (a crash) and waits for it.
func (p *serveProc) kill() {
	if p == nil || p.exited() {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// stop asks the process to shut down (SIGTERM) and returns its exit status.
func (p *serveProc) stop() error {
	if p.exited() {
		return fmt.Errorf("already exited: %v", p.waitErr)
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		return p.waitErr
	case <-time.After(30 * time.Second):
		p.kill()
		return errors.New("did not stop within 30 s of SIGTERM")
	}
}

var procClient = &http.Client{
	Timeout:   20 * time.Second,
	Transport: &http.Transport{MaxIdleConnsPerHost: 16, IdleConnTimeout: 30 * time.Second},
}

// fetch does one request; a transport error is returned, not fatal.
func fetch(ctx context.Context, method, u, token string, body []byte) (int, http.Header, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return 0, nil, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := procClient.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, nil, err
	}
	return resp.StatusCode, resp.Header, b, nil
}

// organiserToken creates a penyelenggara of DKISP Kabupaten Banjar (63.03)
// in data and returns an API token for them. An admin would not do: an
// admin without two-step verification acts as staf, over tokens too.
func organiserToken(t *testing.T, data string) string {
	t.Helper()
	if out, stderr, err := runProc(t, time.Minute, "user", "add", "--data", data, "--email", "penulis@banjarkab.go.id",
		"--name", "Penulis Uji", "--role", "penyelenggara", "--agency", crashAgency, "--region", crashRegion, "--new-agency"); err != nil {
		t.Fatalf("user add: %v\n%s\n%s", err, out, stderr)
	}
	out, stderr, err := runProc(t, time.Minute, "token", "create", "--data", data, "--email", "penulis@banjarkab.go.id", "--name", "uji")
	if err != nil {
		t.Fatalf("token create: %v\n%s", err, stderr)
	}
	tok := strings.TrimSpace(out)
	if !strings.HasPrefix(tok, "tiru_") || strings.ContainsAny(tok, " \n") {
		t.Fatalf("token create printed %q", out)
	}
	return tok
}

// ---------------------------------------------------------------------------
// The crash test.

const (
	crashAgency = "DKISP Kabupaten Banjar"
	crashRegion = "63.03"
	// Every innovation is created and then updated this many times (each
	// acknowledged) before a worker moves on to a new slug.
	crashUpdatesPerSlug = 3
	crashWorkers        = 4
)

// crashDoc is what the test sends and what it compares: the fields of an
// innovation it sets.
type crashDoc struct {
	Slug    string `json:"slug"`
	Title   string `json:"title"`
	Region  string `json:"region"`
	Agency  string `json:"agency"`
	Summary string `json:"summary"`
	Body    string `json:"body"`
}

// slugLog is everything sent for one slug. One worker owns a slug and sends
// its requests one after another, so versions are in sending order.
type slugLog struct {
	slug   string
	sent   map[int]crashDoc // every version ever sent
	acked  int              // the last version acknowledged (200/201); 0 if none
	unsure []int            // versions sent after it whose outcome is unknown
	acks   int
}

type crashRun struct {
	t     *testing.T
	token string // API token
	word  string // a made-up word in every title, to find the run's records

	mu    sync.Mutex // guards logs
	logs  map[string]*slugLog
	order []string

	sent, acked, unknown, conflicts atomic.Int64
	reads, halfSeen                 atomic.Int64

	srvMu   sync.Mutex // guards base and changed
	base    string
	changed chan struct{} // closed when the server is replaced
}

func (r *crashRun) current() (string, chan struct{}) {
	r.srvMu.Lock()
	defer r.srvMu.Unlock()
	return r.base, r.changed
}

// publish points the workers at a (re)started server and wakes those
// waiting for one.
func (r *crashRun) publish(base string) {
	r.srvMu.Lock()
	defer r.srvMu.Unlock()
	r.base = base
	if r.changed != nil {
		close(r.changed)
	}
	r.changed = make(chan struct{})
}

var crashVersionRe = regexp.MustCompile(`versi (\d+)`)

// crashFiller is Indonesian-looking text of n words.
func crashFiller(rng *rand.Rand, n int) string {
	words := []string{"layanan", "warga", "aplikasi", "pengaduan", "daerah", "data", "jaringan", "petugas",
		"laporan", "internet", "publik", "desa", "kecamatan", "anggaran", "kegiatan", "pelatihan"}
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words[rng.IntN(len(words))])
	}
	return b.String()
}

// next records and returns version v of a slug's innovation; every field
// names the version, so a record mixing two versions shows.
func (r *crashRun) next(l *slugLog, rng *rand.Rand) (crashDoc, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	v := len(l.sent) + 1
	d := crashDoc{
		Slug:    l.slug,
		Title:   fmt.Sprintf("Uji ketahanan %s %s versi %d", r.word, l.slug[len(l.slug)-6:], v),
		Region:  crashRegion,
		Agency:  crashAgency,
		Summary: fmt.Sprintf("Ringkasan versi %d: %s.", v, crashFiller(rng, 5+rng.IntN(60))),
		// Bodies of up to ~30 KB make commits of different sizes.
		Body: fmt.Sprintf("## Catatan versi %d\n\n%s.\n\nAkhir catatan versi %d.", v, crashFiller(rng, 10+rng.IntN(3000)), v),
	}
	l.sent[v] = d
	l.unsure = append(l.unsure, v)
	return d, v
}

func (r *crashRun) ack(l *slugLog, v int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	l.acked, l.unsure = v, nil
	l.acks++
	r.acked.Add(1)
}

// settled drops a version whose request was answered without writing.
func (r *crashRun) settled(l *slugLog, v int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	l.unsure = slices.DeleteFunc(l.unsure, func(x int) bool { return x == v })
}

func (r *crashRun) newLog(slug string) *slugLog {
	r.mu.Lock()
	defer r.mu.Unlock()
	l := &slugLog{slug: slug, sent: map[int]crashDoc{}}
	r.logs[slug] = l
	r.order = append(r.order, slug)
	return l
}

// worker creates innovations and updates them until ctx ends. A request
// that gets no answer (the server was killed) leaves its outcome unknown;
// the worker waits for the restarted server and goes on.
func (r *crashRun) worker(ctx context.Context, id int, rng *rand.Rand) {
	t := r.t
	for n := 0; ctx.Err() == nil; n++ {
		l := r.newLog(fmt.Sprintf("uji-crash-%s-w%d-%04d", r.word, id, n))
		exists := false
		for l.acks < 1+crashUpdatesPerSlug && ctx.Err() == nil {
			base, changed := r.current()
			d, v := r.next(l, rng)
			body, _ := json.Marshal(d)
			method, u := http.MethodPost, base+"/api/v1/innovations"
			if exists {
				method, u = http.MethodPut, base+"/api/v1/innovations/"+d.Slug
			}
			r.sent.Add(1)
			status, _, resp, err := fetch(ctx, method, u, r.token, body)
			switch {
			case err != nil:
				if ctx.Err() != nil {
					return
				}
				r.unknown.Add(1)
				if method == http.MethodPost {
					exists = false // unknown; a retried create says 409 if it landed
				}
				select {
				case <-changed:
				case <-time.After(3 * time.Second):
				case <-ctx.Done():
					return
				}
			case status == http.StatusCreated && method == http.MethodPost, status == http.StatusOK && method == http.MethodPut:
				var got crashDoc
				if err := json.Unmarshal(resp, &got); err != nil || got != d {
					t.Errorf("%s %s v%d answered %d with another record: %v\nsent %+v\ngot  %+v", method, d.Slug, v, status, err, d, got)
				}
				r.ack(l, v)
				exists = true
			case status == http.StatusConflict && method == http.MethodPost:
				// An earlier create whose answer was lost did land.
				r.settled(l, v)
				r.conflicts.Add(1)
				exists = true
			case status == http.StatusNotFound && method == http.MethodPut:
				r.settled(l, v)
				if l.acked > 0 {
					t.Errorf("LOST: %s was acknowledged at version %d but PUT now says 404", d.Slug, l.acked)
					return
				}
				exists = false
			case status >= 500:
				// The write may or may not have happened; keep it unsure.
				r.unknown.Add(1)
				time.Sleep(50 * time.Millisecond)
			default:
				t.Errorf("%s %s v%d: unexpected %d %s", method, d.Slug, v, status, resp)
				return
			}
		}
	}
}

// reader reads the records while they are being written: what it sees must
// be exactly one version that was sent, never a mix of two.
func (r *crashRun) reader(ctx context.Context, rng *rand.Rand) {
	t := r.t
	for ctx.Err() == nil {
		base, changed := r.current()
		r.mu.Lock()
		if len(r.order) == 0 {
			r.mu.Unlock()
			time.Sleep(5 * time.Millisecond)
			continue
		}
		l := r.logs[r.order[rng.IntN(len(r.order))]]
		r.mu.Unlock()
		status, _, body, err := fetch(ctx, http.MethodGet, base+"/api/v1/innovations/"+l.slug, "", nil)
		switch {
		case err != nil:
			if ctx.Err() != nil {
				return
			}
			select {
			case <-changed:
			case <-time.After(time.Second):
			case <-ctx.Done():
				return
			}
			continue
		case status == http.StatusNotFound:
			continue
		case status != http.StatusOK:
			t.Errorf("read %s while writing: %d %s", l.slug, status, body)
			continue
		}
		var d crashDoc
		if err := json.Unmarshal(body, &d); err != nil {
			t.Errorf("read %s: %v", l.slug, err)
			continue
		}
		m := crashVersionRe.FindStringSubmatch(d.Title)
		r.mu.Lock()
		var want crashDoc
		ok := m != nil
		if ok {
			ver, _ := strconv.Atoi(m[1])
			want, ok = l.sent[ver]
		}
		r.mu.Unlock()
		if !ok || d != want {
			r.halfSeen.Add(1)
			t.Errorf("HALF-WRITTEN read while writing %s:\nread %+v\nsent %+v", l.slug, d, want)
		}
		r.reads.Add(1)
	}
}

// snapshot copies the logs for checking.
func (r *crashRun) snapshot() []slugLog {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]slugLog, 0, len(r.order))
	for _, s := range r.order {
		l := r.logs[s]
		c := *l
		c.unsure = slices.Clone(l.unsure)
		c.sent = make(map[int]crashDoc, len(l.sent))
		for k, v := range l.sent {
			c.sent[k] = v
		}
		out = append(out, c)
	}
	return out
}

// crashVerdict compares what the store holds for a slug with what was sent.
type crashVerdict struct {
	checked, lost, mixed, wrong int
	problems                    []string
}

func (v *crashVerdict) judge(l slugLog, found *crashDoc) {
	v.checked++
	if found == nil {
		if l.acked > 0 {
			v.lost++
			v.problems = append(v.problems, fmt.Sprintf("LOST: %s acknowledged at version %d is missing", l.slug, l.acked))
		}
		return
	}
	versions := map[string]bool{}
	for _, f := range []string{found.Title, found.Summary, found.Body} {
		if m := crashVersionRe.FindAllStringSubmatch(f, -1); m != nil {
			for _, x := range m {
				versions[x[1]] = true
			}
		} else {
			versions["none"] = true
		}
	}
	if len(versions) != 1 {
		v.mixed++
		v.problems = append(v.problems, fmt.Sprintf("HALF-WRITTEN: %s mixes versions %v: %+v", l.slug, slices.Sorted(maps.Keys(versions)), *found))
		return
	}
	ver, _ := strconv.Atoi(crashVersionRe.FindStringSubmatch(found.Title)[1])
	allowed := ver == l.acked || slices.Contains(l.unsure, ver)
	switch {
	case !allowed && ver < l.acked:
		v.lost++
		v.problems = append(v.problems, fmt.Sprintf("LOST: %s holds version %d, older than the acknowledged %d", l.slug, ver, l.acked))
	case !allowed:
		v.wrong++
		v.problems = append(v.problems, fmt.Sprintf("%s holds version %d, neither the acknowledged %d nor an unanswered %v", l.slug, ver, l.acked, l.unsure))
	case *found != l.sent[ver]:
		v.mixed++
		v.problems = append(v.problems, fmt.Sprintf("ALTERED: %s version %d differs from what was sent\nsent %+v\nhave %+v", l.slug, ver, l.sent[ver], *found))
	}
}

// verifyLive reads every slug through the API of a running server (no
// writes in flight) and judges it; it returns the titles it found.
func (r *crashRun) verifyLive(ctx context.Context, base string) (crashVerdict, map[string]string, error) {
	logs := r.snapshot()
	found := make([]*crashDoc, len(logs))
	errs := make([]error, len(logs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i, l := range logs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			status, _, body, err := fetch(ctx, http.MethodGet, base+"/api/v1/innovations/"+l.slug, "", nil)
			switch {
			case err != nil:
				errs[i] = err
			case status == http.StatusNotFound:
			case status == http.StatusOK:
				d := &crashDoc{}
				if err := json.Unmarshal(body, d); err != nil {
					errs[i] = err
				}
				found[i] = d
			default:
				errs[i] = fmt.Errorf("GET %s: %d %s", l.slug, status, body)
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return crashVerdict{}, nil, err
	}
	var v crashVerdict
	titles := map[string]string{}
	for i, l := range logs {
		v.judge(l, found[i])
		if found[i] != nil {
			titles[l.slug] = found[i].Title
		}
	}
	return v, titles, nil
}

// indexTitles pages through the search API for the run's word and returns
// slug → title as the index has them; ok is false while it is rebuilding.
func (r *crashRun) indexTitles(ctx context.Context, base string) (map[string]string, bool, error) {
	out := map[string]string{}
	for page := 1; ; page++ {
		q := url.Values{"q": {r.word}, "kind": {"innovation"}, "sort": {"newest"}, "per_page": {"50"}, "page": {strconv.Itoa(page)}}
		status, _, body, err := fetch(ctx, http.MethodGet, base+"/api/v1/search?"+q.Encode(), "", nil)
		if err != nil {
			return nil, false, err
		}
		if status == http.StatusServiceUnavailable && strings.Contains(string(body), `"index_rebuilding"`) {
			return nil, false, nil
		}
		if status != http.StatusOK {
			return nil, false, fmt.Errorf("search: %d %s", status, body)
		}
		var res struct {
			Total uint64 `json:"total"`
			Hits  []struct {
				Slug  string `json:"slug"`
				Title string `json:"title"`
			} `json:"hits"`
		}
		if err := json.Unmarshal(body, &res); err != nil {
			return nil, false, err
		}
		for _, h := range res.Hits {
			out[h.Slug] = h.Title
		}
		if len(res.Hits) == 0 || uint64(len(out)) >= res.Total {
			return out, true, nil
		}
	}
}

// drift counts records the index lacks, has extra, or has in another
// version than the database.
func drift(db, ix map[string]string) (n int, detail []string) {
	for s, title := range db {
		switch it, ok := ix[s]; {
		case !ok:
			detail = append(detail, "missing from index: "+s)
		case it != title:
			detail = append(detail, fmt.Sprintf("stale in index: %s has %q, database %q", s, it, title))
		}
	}
	for s := range ix {
		if _, ok := db[s]; !ok {
			detail = append(detail, "extra in index: "+s)
		}
	}
	slices.Sort(detail)
	return len(detail), detail
}

// TestCrashKeepsAcknowledgedWrites runs `tiru serve` as a real process,
// writes innovations through the API from several goroutines, kills the
// server with SIGKILL at random moments and restarts it. Every write that
// was acknowledged must survive exactly as sent, no record may mix two
// versions, and after the last restart the index must agree with the
// database within a few seconds.
func TestCrashKeepsAcknowledgedWrites(t *testing.T) {
	kills, minAcked := 4, 400
	if testing.Short() {
		kills, minAcked = 2, 200
	}
	seed := time.Now().UnixNano()
	rng := rand.New(rand.NewPCG(uint64(seed), 7))
	start := time.Now()
	data := t.TempDir()
	token := organiserToken(t, data)

	// A made-up word of consonants: no Indonesian affix to strip, in no
	// other record.
	const letters = "bcdfghjqvwxz"
	word := "x"
	for range 7 {
		word += string(letters[rng.IntN(len(letters))])
	}
	r := &crashRun{t: t, token: token, word: word, logs: map[string]*slugLog{}}

	srv := mustLaunchServe(t, data, "--no-seed", "--no-rate-limit")
	r.publish(srv.base)
	ctx, stopWorkers := context.WithCancel(context.Background())
	defer stopWorkers()
	var wg sync.WaitGroup
	for i := range crashWorkers {
		wg.Add(1)
		wrng := rand.New(rand.NewPCG(uint64(seed), uint64(100+i)))
		go func() {
			defer wg.Done()
			r.worker(ctx, i, wrng)
		}()
	}

	wg.Add(1)
	go func() {
		defer wg.Done()
		r.reader(ctx, rand.New(rand.NewPCG(uint64(seed), 99)))
	}()

	var restarts []time.Duration
	rebuilds := 0
	countRebuilds := func(p *serveProc) {
		if strings.Contains(p.err.String(), "rebuilding") {
			rebuilds++
		}
	}
	deadline := time.Now().Add(45 * time.Second)
	for k := 1; k <= kills; k++ {
		// Crashes are spread over the run: crash k comes at a random moment
		// after k/kills of the writes were acknowledged.
		for r.acked.Load() < int64(minAcked*k/kills) {
			if t.Failed() {
				stopWorkers()
				wg.Wait()
				t.FailNow()
			}
			if time.Now().After(deadline) {
				stopWorkers()
				wg.Wait()
				t.Fatalf("only %d writes acknowledged in time (want %d before crash %d); sent %d", r.acked.Load(), minAcked*k/kills, k, r.sent.Load())
			}
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(time.Duration(100+rng.IntN(501)) * time.Millisecond)
		srv.kill()
		countRebuilds(srv)
		t.Logf("kill %d: SIGKILL after %d acknowledged writes (%d sent)", k, r.acked.Load(), r.sent.Load())
		if k == kills {
			stopWorkers()
			wg.Wait()
		}
		var err error
		if srv, err = launchServe(t, data, "--no-seed", "--no-rate-limit"); err != nil {
			stopWorkers()
			wg.Wait()
			t.Fatal(err)
		}
		restarts = append(restarts, srv.listen)
		if k == kills {
			break // checked below
		}
		// Nothing is being written now: the workers wait for this server.
		v, _, err := r.verifyLive(context.Background(), srv.base)
		if err != nil {
			stopWorkers()
			wg.Wait()
			t.Fatalf("after kill %d: %v", k, err)
		}
		for _, p := range v.problems {
			t.Errorf("after kill %d: %s", k, p)
		}
		r.publish(srv.base)
	}
	sent, acked := r.sent.Load(), r.acked.Load()

	// After the last crash: how long until the index agrees with the
	// database again, asked through the running server.
	v, dbTitles, err := r.verifyLive(context.Background(), srv.base)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range v.problems {
		t.Errorf("after kill %d: %s", kills, p)
	}
	var (
		drifted       int
		details       []string
		converged     time.Duration
		sawRebuilding bool
	)
	for {
		ix, ready, err := r.indexTitles(context.Background(), srv.base)
		if err != nil {
			t.Fatal(err)
		}
		if !ready {
			sawRebuilding = true
			drifted, details = len(dbTitles), []string{"index rebuilding"}
		} else {
			drifted, details = drift(dbTitles, ix)
		}
		if drifted == 0 {
			converged = time.Since(srv.started)
			break
		}
		if time.Since(srv.started) > 10*time.Second {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if drifted != 0 {
		t.Errorf("index still differs from the database %v after the last restart: %d records\n%s",
			time.Since(srv.started).Round(time.Millisecond), drifted, strings.Join(details[:min(len(details), 20)], "\n"))
	}

	if err := srv.stop(); err != nil {
		t.Errorf("graceful stop: %v\nstderr: %s", err, srv.err.String())
	}
	countRebuilds(srv)

	// The database, as `tiru export` sees it, against every acknowledged write.
	out, stderr, err := runProc(t, time.Minute, "export", "--data", data)
	if err != nil {
		t.Fatalf("export: %v\n%s", err, stderr)
	}
	exported := map[string]*crashDoc{}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 4<<20)
	for sc.Scan() {
		var rec struct {
			Kind string `json:"kind"`
			crashDoc
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("export line %.200q: %v", sc.Text(), err)
		}
		if rec.Kind == "innovation" {
			d := rec.crashDoc
			exported[d.Slug] = &d
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	var final crashVerdict
	logs := r.snapshot()
	for _, l := range logs {
		final.judge(l, exported[l.slug])
		delete(exported, l.slug)
	}
	for s := range exported {
		t.Errorf("export holds %s, which the test never sent", s)
	}
	for _, p := range final.problems {
		t.Error("export: " + p)
	}

	// `tiru check` on the stopped server's data: index and database agree.
	out, stderr, err = runProc(t, time.Minute, "check", "--data", data)
	if err != nil || !strings.Contains(out, "index and database agree") {
		t.Errorf("tiru check: %v\n%s\n%s", err, out, stderr)
	}

	var unsure int
	for _, l := range logs {
		unsure += len(l.unsure)
	}
	t.Logf("crash test (seed %d, word %q): %d workers, %d kills, %d slugs", seed, word, crashWorkers, kills, len(logs))
	t.Logf("requests sent:                 %d", sent)
	t.Logf("requests acknowledged:         %d", acked)
	t.Logf("requests without an answer:    %d (outcome unknown; %d later found landed via 409)", r.unknown.Load(), r.conflicts.Load())
	t.Logf("acknowledged writes lost:      %d (must be 0)", final.lost+v.lost)
	t.Logf("half-written/mixed records:    %d (must be 0); %d reads during the writes saw %d", final.mixed+v.mixed, r.reads.Load(), r.halfSeen.Load())
	t.Logf("records checked:               %d live after the last restart, %d in the export", v.checked, final.checked)
	t.Logf("restart to listening:          %v", restarts)
	t.Logf("index rebuilds after a crash:  %d (index_rebuilding seen after the last restart: %v)", rebuilds, sawRebuilding)
	t.Logf("index drift after recovery:    %d (must be 0); converged %v after the last restart began", drifted, converged.Round(time.Millisecond))
	t.Logf("total time:                    %v", time.Since(start).Round(time.Millisecond))
}
