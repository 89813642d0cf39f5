package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/hanoicreative/registry/internal/store"
	"github.com/hanoicreative/registry/internal/wards"
)

// dbFlags are the flags of every command that opens the database.
type dbFlags struct {
	databaseURL string
	readURL     string
	logLevel    string
	logFormat   string
}

func (f *dbFlags) register(fs *flag.FlagSet, env environment) {
	fs.StringVar(&f.databaseURL, "database-url", envOr(env, "DATABASE_URL", "sqlite:registry.db"), "database: sqlite:PATH or postgres://... (env DATABASE_URL)")
	fs.StringVar(&f.readURL, "database-read-url", env.getenv("DATABASE_READ_URL"), "optional PostgreSQL read replica: reads go there, writes and a client's reads of its own writes to DATABASE_URL (env DATABASE_READ_URL)")
	fs.StringVar(&f.logLevel, "log-level", envOr(env, "LOG_LEVEL", "info"), "debug, info, warn or error (env LOG_LEVEL)")
	fs.StringVar(&f.logFormat, "log-format", envOr(env, "LOG_FORMAT", "json"), "json or text (env LOG_FORMAT)")
}

func envOr(env environment, name, def string) string {
	if v := env.getenv(name); v != "" {
		return v
	}
	return def
}

// logger builds the structured logger the flags ask for.
func (f *dbFlags) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(f.logLevel)); err != nil {
		return nil, fmt.Errorf("LOG_LEVEL %q: use debug, info, warn or error", f.logLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch strings.ToLower(f.logFormat) {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("LOG_FORMAT %q: use json or text", f.logFormat)
}

// open builds the logger the flags ask for, then opens and migrates the
// database: what every command but serve starts with.
func (f *dbFlags) open(ctx context.Context, env environment) (*store.DB, *wards.Index, error) {
	log, err := f.logger(env.stderr)
	if err != nil {
		return nil, nil, err
	}
	return f.openStore(ctx, log)
}

// openStore loads the ward index, opens the database and migrates it.
func (f *dbFlags) openStore(ctx context.Context, log *slog.Logger) (*store.DB, *wards.Index, error) {
	w, err := wards.Load()
	if err != nil {
		return nil, nil, err
	}
	db, err := store.Open(ctx, f.databaseURL, w, store.Options{Logger: log, ReadDSN: f.readURL})
	if err != nil {
		return nil, nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, nil, err
	}
	log.Info("database ready", "database", db.String(), "engine", db.Engine())
	return db, w, nil
}
