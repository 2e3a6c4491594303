package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"tiru/internal/search"
	"tiru/internal/searchsource"
	"tiru/internal/sqlite"
	"tiru/internal/web"
)

func cmdServe(ctx context.Context, env *environment, args []string) error {
	c := &config{}
	fs := newFlagSet("serve", env)
	commonFlags(fs, env, c)
	defAddr := env.getenv("TIRU_ADDR")
	if defAddr == "" {
		defAddr = "127.0.0.1:8080"
	}
	addr := fs.String("addr", defAddr, "alamat yang didengarkan / address to listen on (TIRU_ADDR)")
	noSeed := fs.Bool("no-seed", env.getenv("TIRU_SEED") == "0", "jangan muat tulisan contoh ke basis data kosong / do not load the seed write-ups into an empty database (TIRU_SEED=0)")
	proxies := fs.String("trusted-proxies", env.getenv("TIRU_TRUSTED_PROXIES"), "alamat atau CIDR proksi balik tepercaya untuk X-Forwarded-For, dipisah koma / comma-separated addresses or CIDRs of reverse proxies to trust for X-Forwarded-For (TIRU_TRUSTED_PROXIES)")
	secure := fs.Bool("secure-cookies", env.getenv("TIRU_SECURE_COOKIES") == "1", "tandai cookie Secure (di balik proksi HTTPS) / mark cookies Secure (behind an HTTPS proxy) (TIRU_SECURE_COOKIES=1)")
	noLimit := fs.Bool("no-rate-limit", false, "matikan batas permintaan per alamat (untuk uji beban di loopback) / turn off the per-address request limit (for load tests on loopback)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(env.stderr, nil))

	// The index is opened first so a second server fails fast, before it
	// touches the database.
	ix, err := openIndex(c, log, false)
	if err != nil {
		return err
	}
	defer ix.Close()
	var indexer *search.Indexer
	db, ref, err := openStore(ctx, c, sqlite.Options{OnCommit: func() {
		if indexer != nil {
			indexer.Notify()
		}
	}})
	if err != nil {
		return err
	}
	defer db.Close()
	if !*noSeed {
		loaded, err := seed(ctx, db, ref)
		if err != nil {
			return err
		}
		if loaded {
			log.Info("seed content loaded into the empty database")
		}
	}
	indexer = search.NewIndexer(ix, searchsource.New(db, ref), log)
	indexCtx, stopIndexer := context.WithCancel(context.WithoutCancel(ctx))
	indexDone := make(chan error, 1)
	go func() { indexDone <- indexer.Run(indexCtx) }()
	// Runs before the deferred closes: the indexer applies what it can in a
	// few seconds (the rest waits in the outbox for the next start) and stops
	// before the index and the database close.
	defer func() {
		stopIndexer()
		if err := <-indexDone; err != nil {
			log.Error("search indexer stopped", "error", err)
		}
		// The indexer has stopped; close the index before the database.
		if err := ix.Close(); err != nil {
			log.Error("close search index", "error", err)
		}
	}()

	cfg := web.Config{DB: db, Reference: ref, Search: ix, Logger: log, SecureCookies: *secure}
	for _, p := range strings.Split(*proxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			cfg.TrustedProxies = append(cfg.TrustedProxies, p)
		}
	}
	if *noLimit {
		cfg.RequestsPerSecond = -1
	}
	srv, err := web.New(cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("tidak bisa mendengarkan / cannot listen on %s: %w", *addr, err)
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	log.Info("serving", "addr", "http://"+ln.Addr().String(), "data", c.data)
	fmt.Fprintf(env.stdout, "Tiru berjalan di / is running at http://%s\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	// Stop taking requests and let those in flight finish, then close the
	// database (deferred above), in reverse order of opening.
	log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
