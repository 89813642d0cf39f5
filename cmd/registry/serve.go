package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/hanoicreative/registry/api"
	"github.com/hanoicreative/registry/docs"
	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/idempotency"
	"github.com/hanoicreative/registry/internal/index"
	"github.com/hanoicreative/registry/internal/registry"
)

func runServe(ctx context.Context, env environment, args []string) error {
	fs := newFlagSet(env, "serve", "Migrates the database (creating it, for SQLite, if missing), then serves the API, /swagger/index.html and /openapi.json until SIGINT or SIGTERM, when it finishes the requests in flight and exits.")
	var db dbFlags
	db.register(fs, env)
	addr := fs.String("listen", envOr(env, "LISTEN_ADDR", ":8080"), "address to listen on (env LISTEN_ADDR)")
	rateLimit := fs.String("rate-limit", env.getenv("RATE_LIMIT"), "per-client request rate, such as 20/s, 300/m or 5000/h; off when empty (env RATE_LIMIT)")
	corsOrigins := fs.String("cors-origins", env.getenv("CORS_ORIGINS"), "comma-separated partner origins allowed to call the API from browsers, such as https://map.example.vn (env CORS_ORIGINS)")
	trustedProxies := fs.String("trusted-proxies", env.getenv("TRUSTED_PROXIES"), "comma-separated CIDRs of reverse proxies whose X-Forwarded-For names the client (env TRUSTED_PROXIES)")
	requestTimeout := fs.Duration("request-timeout", durationEnv(env, "REQUEST_TIMEOUT", 30*time.Second), "how long a request may take, database included (env REQUEST_TIMEOUT)")
	cacheSize := fs.String("cache-size", envOr(env, "CACHE_SIZE_MB", "auto"), "MiB of read answers to cache, checked against the database on every read; auto: what the in-memory index leaves of three quarters of the Go memory limit (GOMEMLIMIT), at least 16 MiB; 0 turns caching off (env CACHE_SIZE_MB)")
	pprofAddr := fs.String("pprof", env.getenv("PPROF_ADDR"), "serve Go profiles (net/http/pprof) on this address, such as 127.0.0.1:6060; off when empty. Never expose it publicly (env PPROF_ADDR)")
	memoryIndex := fs.Bool("memory-index", envOr(env, "MEMORY_INDEX", "on") != "off", "answer listings, searches, facets and stats from an in-memory index of the entities, built at start-up in the background and kept current from the change feed; off answers them with SQL (env MEMORY_INDEX=on|off)")
	reconcile := fs.Duration("index-reconcile-interval", durationEnv(env, "INDEX_RECONCILE_INTERVAL", index.DefaultReconcileInterval), "how often the in-memory index is compared with the database, and rebuilt if they differ (env INDEX_RECONCILE_INTERVAL)")
	benchCeiling := fs.Bool("bench-ceiling", env.getenv("BENCH_CEILING") == "1", "serve GET /bench/ceiling, the load benchmark's yardstick (env BENCH_CEILING=1)")
	shutdown := fs.Duration("shutdown-timeout", 30*time.Second, "how long to let requests in flight finish on shutdown")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log, err := db.logger(env.stderr)
	if err != nil {
		return err
	}
	if env.getenv("GOMEMLIMIT") == "" {
		// A soft limit makes the collector work harder before the process
		// grows, so a small container keeps its footprint; GOMEMLIMIT
		// overrides it.
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	cacheBytes, autoCache, err := parseCacheSize(*cacheSize) // after the limit: auto takes half of it
	if err != nil {
		return err
	}
	cfg := api.Config{OpenAPI: docs.OpenAPI3, Version: version(), RequestTimeout: *requestTimeout,
		CacheBytes: cacheBytes, BenchCeiling: *benchCeiling}
	if *rateLimit != "" {
		if cfg.RateLimit, err = api.ParseRateLimit(*rateLimit); err != nil {
			return err
		}
	}
	cfg.CORSOrigins = splitComma(*corsOrigins)
	for _, cidr := range splitComma(*trustedProxies) {
		_, n, err := net.ParseCIDR(cidr)
		if err != nil {
			return fmt.Errorf("TRUSTED_PROXIES: %q is not a CIDR such as 10.0.0.0/8", cidr)
		}
		cfg.TrustedProxies = append(cfg.TrustedProxies, n)
	}

	store, wardIndex, err := db.openStore(ctx, log)
	if err != nil {
		return err
	}
	defer store.Close()
	go purgeIdempotencyKeys(ctx, store, log)
	if *pprofAddr != "" {
		go servePprof(ctx, *pprofAddr, log)
	}

	var entities registry.Store = store
	var listings *index.Store
	if *memoryIndex {
		listings = index.NewWith(store, log, index.Options{ReconcileInterval: *reconcile})
		listings.Start(ctx)
		entities = listings
	}
	handler := api.New(api.Deps{
		Registry:    registry.NewService(entities, wardIndex),
		Auth:        auth.NewService(store),
		Idempotency: store,
		SQLDB:       store.SQLDB(),
		Replication: store,
		Index:       indexStats(listings),
	}, log, cfg)
	if autoCache && listings != nil {
		go fitCache(ctx, handler, listings, log)
	}
	srv := &http.Server{
		Addr:              *addr,
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       120 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	log.Info("serving", "addr", ln.Addr().String(), "version", version(),
		"swagger", "/swagger/index.html", "openapi", "/openapi.json",
		"rate_limit", *rateLimit, "cors_origins", cfg.CORSOrigins)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight", "timeout", shutdown.String())
	sctx, cancel := context.WithTimeout(context.Background(), *shutdown)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// defaultMemoryLimit is the Go heap's soft limit unless GOMEMLIMIT is set.
const defaultMemoryLimit = 96 << 20

// parseCacheSize reads --cache-size: MiB, 0 (off) or auto.
func parseCacheSize(s string) (bytes uint64, auto bool, err error) {
	if s == "auto" {
		return cacheBudget(), true, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, false, fmt.Errorf("--cache-size (CACHE_SIZE_MB) must be auto or 0 or more MiB, not %q", s)
	}
	return uint64(n) << 20, false, nil
}

// fitCache gives the response cache what the index leaves of the budget,
// once the index is built and then as it grows.

// purgeIdempotencyKeys deletes expired idempotency records every hour.
func purgeIdempotencyKeys(ctx context.Context, store idempotency.Store, log *slog.Logger) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if n, err := store.PurgeExpired(ctx, time.Now().UTC()); err != nil {
				log.Warn("purging expired idempotency keys", "err", err)
			} else if n > 0 {
				log.Info("purged expired idempotency keys", "count", n)
			}
		}
	}
}

func splitComma(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// servePprof serves the Go profiler on its own address, apart from the API.
func servePprof(ctx context.Context, addr string, log *slog.Logger) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	log.Warn("serving Go profiles: keep this address private", "pprof", addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Error("pprof server", "err", err)
	}
}

func intEnv(env environment, name string, def int) int {
	if n, err := strconv.Atoi(env.getenv(name)); err == nil {
		return n
	}
	return def
}

func durationEnv(env environment, name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(env.getenv(name)); err == nil && d > 0 {
		return d
	}
	return def
}

// indexStats is the index for /metrics, or none (not a nil *index.Store).
func indexStats(listings *index.Store) api.IndexStats {
	if listings == nil {
		return nil
	}
	return listings
}
