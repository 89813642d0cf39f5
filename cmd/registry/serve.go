package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/hanoicreative/registry/api"
	"github.com/hanoicreative/registry/docs"
	"github.com/hanoicreative/registry/internal/accounts"
	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/console"
	"github.com/hanoicreative/registry/internal/idempotency"
	"github.com/hanoicreative/registry/internal/index"
	"github.com/hanoicreative/registry/internal/messages"
	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/webhooks"
)

func runServe(ctx context.Context, env environment, args []string) error {
	fs := newFlagSet(env, "serve", "Migrates the database (creating it, for SQLite, if missing), then serves the API, /swagger/index.html and /openapi.json until SIGINT or SIGTERM, when it finishes the requests in flight and exits. Prometheus metrics are served on a separate address (METRICS_ADDR). Every flag may be given by its environment variable instead; the flag wins.")
	var cfg serveConfig
	flags := registerConfig(fs, &cfg)
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	if err := flags.load(env.getenv, &cfg); err != nil {
		return err
	}
	log := cfg.logger(env.stderr)
	if env.getenv("GOMEMLIMIT") == "" {
		// A soft limit makes the collector work harder before the process
		// grows, so a small container keeps its footprint; GOMEMLIMIT
		// overrides it.
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	if cfg.PprofAddr == "" {
		// Nobody can read the heap profile: sampling allocations for it
		// only costs time and some 2 MiB of buckets of the memory limit.
		runtime.MemProfileRate = 0
	}
	cacheBytes := cfg.CacheSize.mib << 20
	if cfg.CacheSize.auto {
		cacheBytes = cacheBudget() // after the limit: auto takes part of it
	}
	apiCfg := api.Config{OpenAPI: docs.OpenAPI3, Version: version(), RequestTimeout: time.Duration(cfg.RequestTimeout),
		CacheBytes: cacheBytes, ReadTurns: int(cfg.ReadTurns), BenchCeiling: bool(cfg.BenchCeiling), RateLimit: cfg.RateLimit.RateLimit,
		CORSOrigins: cfg.CORSOrigins, TrustedProxies: cfg.TrustedProxies,
		PublicURL: string(cfg.PublicURL), Catalog: cfg.info()}

	// Every address is taken before the database is opened, so that a
	// port in use or a refused address stops the start at once.
	var pprofLn net.Listener
	if cfg.PprofAddr != "" {
		var err error
		if pprofLn, err = listenPprof(cfg.PprofAddr, bool(cfg.PprofAllowRemote)); err != nil {
			return err
		}
		defer pprofLn.Close()
	}
	var metricsLn net.Listener
	if cfg.MetricsAddr != "" {
		var err error
		if metricsLn, err = net.Listen("tcp", string(cfg.MetricsAddr)); err != nil {
			return fmt.Errorf("METRICS_ADDR: %w", err)
		}
		defer metricsLn.Close()
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("LISTEN_ADDR: %w", err)
	}
	defer ln.Close()

	store, wardIndex, err := cfg.openStore(ctx, log)
	if err != nil {
		return err
	}
	defer store.Close()
	go purgeIdempotencyKeys(ctx, store, log)

	var entities registry.Store = store
	var listings *index.Store
	if cfg.MemoryIndex {
		listings = index.NewWith(store, log, index.Options{ReconcileInterval: time.Duration(cfg.IndexReconcile)})
		listings.Start(ctx)
		entities = listings
	}
	keys := auth.NewService(store)
	go keys.RecordUses(ctx, log)
	staff := accounts.NewService(store, accounts.Options{Logger: log})
	go staff.RecordUses(ctx, log)
	svc := registry.NewService(entities, wardIndex).WithMedia(store)
	msgs := messages.New()
	queue, err := webhooks.New(store, webhooks.Options{AllowPrivate: bool(cfg.WebhookAllowPrivate), Logger: log})
	if err != nil {
		return err
	}
	if err := queue.Start(ctx); err != nil {
		return err
	}
	hooks := registry.NewWebhooks(store, queue, bool(cfg.WebhookAllowPrivate))
	defer func() {
		// Deliveries under way may finish; the rest wait in the database.
		stopCtx, cancel := context.WithTimeout(context.Background(), webhooks.Timeout+time.Second)
		defer cancel()
		if err := queue.Stop(stopCtx); err != nil {
			log.Warn("stopping the webhook queue", "err", err)
		}
	}()
	handler := api.New(api.Deps{
		Registry:    svc,
		Messages:    msgs,
		Auth:        keys,
		Idempotency: store,
		SQLDB:       store.SQLDB(),
		Replication: store,
		Index:       indexStats(listings),
		Webhooks:    hooks,
	}, log, apiCfg)
	staffConsole, err := console.New(console.Deps{Registry: svc, Accounts: staff, Keys: keys, Messages: msgs, JSONImport: api.ReadJSONRows, Webhooks: hooks}, log,
		console.Config{TrustedProxies: cfg.TrustedProxies, PublicURL: string(cfg.PublicURL)})
	if err != nil {
		return err
	}
	if cfg.CacheSize.auto && listings != nil {
		go fitCache(ctx, handler, listings, log)
	}
	if pprofLn != nil {
		go serveAside(ctx, pprofLn, pprofHandler(), log, "pprof")
		log.Warn("serving Go profiles: keep this address private", "pprof", pprofLn.Addr().String())
	}
	if metricsLn != nil {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", handler.Metrics())
		go serveAside(ctx, metricsLn, mux, log, "metrics")
	}
	srv := &http.Server{
		Handler:           withConsole(handler, staffConsole),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       120 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	log.Info("serving", "addr", ln.Addr().String(), "version", version(),
		"swagger", "/swagger/index.html", "console", console.Prefix, "openapi", "/openapi.json",
		"metrics", addrOf(metricsLn), "rate_limit", cfg.RateLimit.String(), "cors_origins", apiCfg.CORSOrigins)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown := time.Duration(cfg.ShutdownTimeout)
	log.Info("shutting down: finishing requests in flight", "timeout", shutdown.String())
	sctx, cancel := context.WithTimeout(context.Background(), shutdown)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	// Requests that finished during the shutdown may have queued uses.
	if err := keys.FlushUses(sctx); err != nil {
		log.Warn("recording the last use of API keys", "err", err)
	}
	if err := staff.FlushUses(sctx); err != nil {
		log.Warn("recording the last use of staff sessions", "err", err)
	}
	log.Info("stopped")
	return nil
}

// withConsole serves the staff console under /console/ and everything
// else by the API, whose middleware and path handling stay as they are
// (no ServeMux in front, which would clean and redirect its paths).
func withConsole(apiHandler, consoleHandler http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/console":
			http.Redirect(w, r, console.Prefix, http.StatusMovedPermanently)
		case strings.HasPrefix(r.URL.Path, console.Prefix):
			consoleHandler.ServeHTTP(w, r)
		default:
			apiHandler.ServeHTTP(w, r)
		}
	})
}

func addrOf(ln net.Listener) string {
	if ln == nil {
		return "off"
	}
	return ln.Addr().String()
}

// defaultMemoryLimit is the Go heap's soft limit unless GOMEMLIMIT is set.
//
// 112 MiB: at 100,000 entities the index and its caches hold some 75 MiB
// the collector cannot free, and every cold search makes some 150 KB of
// garbage. Under 96 MiB the collector ran some 45 times a second and a
// cold search's p99 was 35 ms at 16 clients; under 112 MiB it runs a
// third as often (p99 25 ms), and the process's peak stays near 141 MiB,
// of which some 36 MiB are the binary's own pages.
const defaultMemoryLimit = 112 << 20

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

// listenPprof takes the profiler's address. Profiles show the process's
// memory and let anyone make it work, so only a loopback address is taken
// unless allowRemote says the network is private.
func listenPprof(addr string, allowRemote bool) (net.Listener, error) {
	if !allowRemote {
		tcp, err := net.ResolveTCPAddr("tcp", addr)
		if err != nil {
			return nil, configErrorf("PPROF_ADDR=%q is not valid: use a loopback host:port such as 127.0.0.1:6060", addr)
		}
		if tcp.IP == nil || !tcp.IP.IsLoopback() {
			return nil, configErrorf("PPROF_ADDR=%q is not a loopback address: profiles expose the process's memory, so serve them on 127.0.0.1 or [::1] (such as 127.0.0.1:6060), or set PPROF_ALLOW_REMOTE=on if that network is private", addr)
		}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("PPROF_ADDR: %w", err)
	}
	return ln, nil
}

func pprofHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// serveAside serves an operations handler (metrics, profiles) on its own
// listener, apart from the API, until ctx ends.
func serveAside(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger, what string) {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Error(what+" server", "err", err)
	}
}

// indexStats is the index for /metrics, or none (not a nil *index.Store).
func indexStats(listings *index.Store) api.IndexStats {
	if listings == nil {
		return nil
	}
	return listings
}
