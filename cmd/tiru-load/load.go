package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"tiru/internal/kb"
	"tiru/internal/sqlite"
)

type loadConfig struct {
	url, token, data string
	rate             float64
	duration         time.Duration
	workers          int
}

// queries are what staff type, with typos and synonyms, as in the
// relevance set.
var queries = []string{
	"aplikasi pengaduan warga", "melaporkan jalan rusak", "pengadun masyarakat", "wifi gratis taman", "complaint app",
	"kunker Solo", "cara mengurangi antrean KTP", "bank sampah", "perizinan usaha", "stunting desa", "puskesmas online",
	"pajak daerah QRIS", "mal pelayanan publik", "internt gratis", "posyandu", "transparansi anggaran", "bansos tepat sasaran",
	"akta kelahiran rumah sakit", "banjir peringatan dini", "UMKM pemasaran daring",
}

type sample struct {
	class string
	dur   time.Duration
	err   bool
}

// runLoad sends requests at a fixed rate (open loop: a slow server does not
// slow the sender, so latency is not hidden) with a 70/20/10 mix of
// searches, page views and authenticated writes.
func runLoad(ctx context.Context, out io.Writer, cfg loadConfig) error {
	u, err := url.Parse(cfg.url)
	if err != nil || (u.Hostname() != "127.0.0.1" && u.Hostname() != "localhost" && u.Hostname() != "::1") {
		return errors.New("-url must be a loopback address: this tool loads only servers on this machine")
	}
	db, err := sqlite.Open(ctx, filepath.Join(cfg.data, "tiru.db"), sqlite.Options{})
	if err != nil {
		return err
	}
	var all, ours []string
	for page := 1; ; page++ {
		// Page views are anonymous: list what an anonymous reader may see,
		// or internal records would count as errors (404) that are correct.
		items, _, err := db.ListInnovations(ctx, sqlite.InnovationFilter{Viewer: kb.Viewer{}, Page: sqlite.Page{Page: page, PerPage: 100}})
		if err != nil {
			db.Close()
			return err
		}
		for _, it := range items {
			all = append(all, it.Slug)
			if it.Agency == loadAgency {
				ours = append(ours, it.Slug)
			}
		}
		if len(items) < 100 {
			break
		}
	}
	db.Close()
	if len(all) == 0 || len(ours) == 0 {
		return errors.New("no innovations to load: run tiru-load seed first")
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: cfg.workers}}
	var (
		mu      sync.Mutex
		samples []sample
		wg      sync.WaitGroup
	)
	slots := make(chan struct{}, cfg.workers)
	dropped := 0
	interval := time.Duration(float64(time.Second) / cfg.rate)
	tick := time.NewTicker(interval)
	defer tick.Stop()
	deadline := time.Now().Add(cfg.duration)
	r := rand.New(rand.NewPCG(7, 11))
	version := 0
	for time.Now().Before(deadline) && ctx.Err() == nil {
		<-tick.C
		var (
			req   *http.Request
			class string
			err   error
		)
		switch p := r.Float64(); {
		case p < 0.7:
			class = "search"
			q := url.Values{"q": {queries[r.IntN(len(queries))]}}
			if r.IntN(3) == 0 {
				q.Set("province", "63")
			}
			req, err = http.NewRequest(http.MethodGet, cfg.url+"/api/v1/search?"+q.Encode(), nil)
		case p < 0.9:
			class = "page"
			paths := []string{"/inovasi/" + all[r.IntN(len(all))], "/inovasi?page=" + fmt.Sprint(1+r.IntN(50)), "/wilayah/63.03", "/"}
			req, err = http.NewRequest(http.MethodGet, cfg.url+paths[r.IntN(len(paths))], nil)
		default:
			class = "write"
			version++
			slug := ours[r.IntN(len(ours))]
			var body []byte
			body, err = json.Marshal(map[string]any{"slug": slug, "title": "Inovasi uji beban " + slug, "region": loadRegion, "agency": loadAgency,
				"summary": fmt.Sprintf("Ringkasan versi %d dari uji beban.", version), "stage": "penerapan"})
			if err == nil {
				req, err = http.NewRequest(http.MethodPut, cfg.url+"/api/v1/innovations/"+slug, bytes.NewReader(body))
			}
			if err == nil {
				req.Header.Set("Authorization", "Bearer "+cfg.token)
				req.Header.Set("Content-Type", "application/json")
			}
		}
		if err != nil {
			// Only a bad -url can make a request unbuildable, and then
			// every request would be.
			return fmt.Errorf("build %s request: %w", class, err)
		}
		select {
		case slots <- struct{}{}:
		default:
			dropped++ // every worker busy: the server is not keeping up
			continue
		}
		wg.Add(1)
		go func(req *http.Request, class string) {
			defer wg.Done()
			defer func() { <-slots }()
			start := time.Now()
			resp, err := client.Do(req.WithContext(ctx))
			failed := err != nil
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				failed = resp.StatusCode >= 400
			}
			mu.Lock()
			samples = append(samples, sample{class, time.Since(start), failed})
			mu.Unlock()
		}(req, class)
	}
	wg.Wait()
	report(out, samples, dropped, cfg)
	return nil
}

func pct(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	i := int(float64(len(d)-1) * p)
	return d[i]
}

func report(out io.Writer, samples []sample, dropped int, cfg loadConfig) {
	by := map[string][]time.Duration{}
	errs := map[string]int{}
	for _, s := range samples {
		by[s.class] = append(by[s.class], s.dur)
		by["all"] = append(by["all"], s.dur)
		if s.err {
			errs[s.class]++
			errs["all"]++
		}
	}
	fmt.Fprintf(out, "target %.0f req/s for %v: sent %d (%.1f req/s), dropped (all workers busy) %d\n",
		cfg.rate, cfg.duration, len(samples), float64(len(samples))/cfg.duration.Seconds(), dropped)
	classes := []string{"all", "search", "page", "write"}
	fmt.Fprintf(out, "%-7s %7s %7s %9s %9s %9s %9s\n", "class", "n", "errors", "p50", "p95", "p99", "max")
	for _, c := range classes {
		d := by[c]
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		if len(d) == 0 {
			continue
		}
		fmt.Fprintf(out, "%-7s %7d %7d %9s %9s %9s %9s\n", c, len(d), errs[c], ms(pct(d, .5)), ms(pct(d, .95)), ms(pct(d, .99)), ms(d[len(d)-1]))
	}
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000)
}
