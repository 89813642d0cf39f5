package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/hanoicreative/registry/api"
	"github.com/hanoicreative/registry/docs"
	"github.com/hanoicreative/registry/internal/registry"
)

func runServe(ctx context.Context, env environment, args []string) error {
	fs := newFlagSet(env, "serve", "Migrates the database (creating it, for SQLite, if missing), then serves the API, /swagger/index.html and /openapi.json until SIGINT or SIGTERM, when it finishes the requests in flight and exits.")
	var db dbFlags
	db.register(fs, env)
	addr := fs.String("listen", envOr(env, "LISTEN_ADDR", ":8080"), "address to listen on (env LISTEN_ADDR)")
	shutdown := fs.Duration("shutdown-timeout", 30*time.Second, "how long to let requests in flight finish on shutdown")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log, err := db.logger(env.stderr)
	if err != nil {
		return err
	}
	store, wardIndex, err := db.openStore(ctx, log)
	if err != nil {
		return err
	}
	defer store.Close()

	handler := api.New(registry.NewService(store, wardIndex), log, api.Config{
		OpenAPI: docs.OpenAPI3,
		Version: version(),
	})
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
		"swagger", "/swagger/index.html", "openapi", "/openapi.json")

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
