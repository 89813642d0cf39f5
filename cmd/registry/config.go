package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"slices"
	"strings"

	"github.com/caarlos0/env/v11"

	"github.com/hanoicreative/registry/internal/store"
	"github.com/hanoicreative/registry/internal/wards"
	"github.com/hanoicreative/registry/internal/webhooks"
)

// The settings are read from the environment by caarlos0/env, from the
// struct tags below; a flag of the same setting overrides its variable.
// The tags are the one source of the names, defaults and descriptions that
// --help shows and the README's configuration table repeats (a test keeps
// them equal):
//
//	env      the variable, envDefault its default
//	flag     the flag (without dashes)
//	absent   what --help says when there is no default (off, none)
//	help     the description

// DBConfig is what every command that opens the database reads. It is
// exported only because caarlos0/env sets the fields of an embedded struct
// through its exported name (serveConfig embeds it).
type DBConfig struct {
	DatabaseURL     string    `env:"DATABASE_URL" envDefault:"sqlite:registry.db" flag:"database-url" help:"sqlite:PATH (relative or absolute) or postgres://user:password@host:5432/db?sslmode=verify-full (connect_timeout, statement_timeout, pool_max_conns... as URL parameters; 5 s and 30 s by default)"`
	DatabaseReadURL string    `env:"DATABASE_READ_URL" flag:"database-read-url" absent:"none" help:"a PostgreSQL streaming replica: reads go there, writes and a client's reads of its own writes to DATABASE_URL"`
	LogLevel        logLevel  `env:"LOG_LEVEL" envDefault:"info" flag:"log-level" help:"debug, info, warn or error"`
	LogFormat       logFormat `env:"LOG_FORMAT" envDefault:"json" flag:"log-format" help:"json or text (make run uses text); logs go to standard error"`
}

// serveConfig is what serve reads.
type serveConfig struct {
	DBConfig
	Listen              string           `env:"LISTEN_ADDR" envDefault:":8080" flag:"listen" help:"the API's address (make run: 127.0.0.1:8080)"`
	MetricsAddr         optionalAddr     `env:"METRICS_ADDR" envDefault:"127.0.0.1:9090" flag:"metrics-addr" help:"serve Prometheus metrics at /metrics on this address, apart from the API; off turns it off (use :9090 in a container, for the scraper)"`
	RateLimit           rateLimit        `env:"RATE_LIMIT" flag:"rate-limit" absent:"off" help:"per-client request rate, such as 20/s, 300/m or 5000/h (bursts up to the number); off when unset"`
	CORSOrigins         commaList        `env:"CORS_ORIGINS" flag:"cors-origins" absent:"none" help:"comma-separated partner origins allowed to call the API from browsers, such as https://map.example.vn"`
	TrustedProxies      cidrList         `env:"TRUSTED_PROXIES" flag:"trusted-proxies" absent:"none" help:"comma-separated CIDRs of reverse proxies whose X-Forwarded-For names the client"`
	PublicURL           baseURL          `env:"PUBLIC_URL" flag:"public-url" absent:"none" help:"the address people reach the server at (scheme, host and any path prefix), which the set-password links the console's admins make and the linked-data identifiers (@id) start with; when unset, the address each request reached"`
	RequestTimeout      positiveDuration `env:"REQUEST_TIMEOUT" envDefault:"30s" flag:"request-timeout" help:"how long a request may take, database included (exports have 10 minutes)"`
	ShutdownTimeout     positiveDuration `env:"SHUTDOWN_TIMEOUT" envDefault:"30s" flag:"shutdown-timeout" help:"how long requests in flight may take to finish on SIGINT or SIGTERM"`
	CacheSize           cacheSize        `env:"CACHE_SIZE_MB" envDefault:"auto" flag:"cache-size" help:"MiB of read answers to cache, kept compressed and checked against the database on every read; auto gives the cache what the in-memory index (counted twice) and its caches leave of three quarters of GOMEMLIMIT, at least 6 MiB; 0 turns caching off"`
	ReadTurns           readTurns        `env:"READ_TURNS" envDefault:"auto" flag:"read-turns" help:"how many reads the response cache cannot answer are computed at once, the others waiting in line in the order they came (so that each takes its wait plus its own time, not the time of all of them); auto is the CPUs + 1"`
	MemoryIndex         onOff            `env:"MEMORY_INDEX" envDefault:"on" flag:"memory-index" help:"answer listings, searches, facets and stats from an in-memory index built at start-up and kept current from the change feed; off answers them with SQL"`
	IndexReconcile      positiveDuration `env:"INDEX_RECONCILE_INTERVAL" envDefault:"5m" flag:"index-reconcile-interval" help:"how often the in-memory index is compared with the database, and rebuilt if they differ"`
	PprofAddr           string           `env:"PPROF_ADDR" flag:"pprof" absent:"off" help:"serve Go profiles (/debug/pprof/) on this address, such as 127.0.0.1:6060; only a loopback address unless PPROF_ALLOW_REMOTE is on"`
	PprofAllowRemote    onOff            `env:"PPROF_ALLOW_REMOTE" envDefault:"off" flag:"pprof-allow-remote" help:"let PPROF_ADDR be an address other hosts can reach (profiles show the process's memory: keep that network private)"`
	WebhookAllowPrivate onOff            `env:"WEBHOOK_ALLOW_PRIVATE" envDefault:"off" flag:"webhook-allow-private" help:"let webhook endpoints be http and on private, loopback or link-local addresses, for development and tests; off sends to https on public addresses only, checked at every delivery"`
	BenchCeiling        onOff            `env:"BENCH_CEILING" envDefault:"off" flag:"bench-ceiling" help:"serve GET /bench/ceiling, the load benchmark's yardstick; leave it off in production"`
	CatalogConfig
}

// runtimeSettings are read by the Go runtime, not by the registry; --help
// lists them with the rest.
var runtimeSettings = []setting{{
	Env: "GOMEMLIMIT", Default: "112MiB",
	Help: "the Go heap's soft limit (the collector works harder near it); the in-memory index and the caches size themselves to three quarters of it",
}}

// setting describes one variable for --help.
type setting struct {
	Env, Flag, Default, Help string
	isBool                   bool
}

// settingsOf lists the settings of a config struct, in field order.
func settingsOf(cfg any) []setting {
	var out []setting
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Anonymous {
				walk(f.Type)
				continue
			}
			s := setting{Env: f.Tag.Get("env"), Flag: f.Tag.Get("flag"), Help: f.Tag.Get("help"),
				isBool: f.Type == reflect.TypeFor[onOff]()}
			var ok bool
			if s.Default, ok = f.Tag.Lookup("envDefault"); !ok {
				s.Default = f.Tag.Get("absent")
			}
			out = append(out, s)
		}
	}
	walk(reflect.TypeOf(cfg).Elem())
	return out
}

// configError is a setting the command cannot start with; the binary
// exits with status 2.
type configError struct{ msg string }

func (e configError) Error() string { return e.msg }

func configErrorf(format string, args ...any) error {
	return configError{fmt.Sprintf(format, args...)}
}

// configFlags registers the settings of cfg as flags of fs. A flag's value
// overrides its variable's; both are parsed by the same code (load).
type configFlags struct {
	settings []setting
	fromFlag map[string]string // variable → the flag's value
}

func registerConfig(fs *flag.FlagSet, cfg any) *configFlags {
	c := &configFlags{settings: settingsOf(cfg), fromFlag: map[string]string{}}
	for _, s := range c.settings {
		fs.Var(&flagOverride{env: s.Env, values: c.fromFlag, isBool: s.isBool}, s.Flag, s.Help+" (env "+s.Env+")")
		fs.Lookup(s.Flag).DefValue = s.Default
	}
	return c
}

// load fills cfg from the environment and the flags, or says which
// setting is wrong and what it accepts.
func (c *configFlags) load(getenv func(string) string, cfg any) error {
	values := map[string]string{}
	for _, s := range c.settings {
		if v := getenv(s.Env); v != "" {
			values[s.Env] = v
		}
		if v, ok := c.fromFlag[s.Env]; ok {
			values[s.Env] = v
		}
	}
	err := env.ParseWithOptions(cfg, env.Options{Environment: values})
	if err == nil {
		return nil
	}
	var agg env.AggregateError
	if !errors.As(err, &agg) {
		return configErrorf("configuration: %v", err)
	}
	fieldEnv := fieldVariables(reflect.TypeOf(cfg).Elem())
	var msgs []string
	for _, e := range agg.Errors {
		var pe env.ParseError
		if !errors.As(e, &pe) {
			msgs = append(msgs, e.Error())
			continue
		}
		name := fieldEnv[pe.Name]
		if _, ok := c.fromFlag[name]; ok {
			name = "--" + c.flagOf(name) + " (" + name + ")"
		}
		msgs = append(msgs, fmt.Sprintf("%s=%q is not valid: %v", name, values[fieldEnv[pe.Name]], accepted(pe.Err)))
	}
	slices.Sort(msgs)
	return configError{strings.Join(msgs, "\n")}
}

func (c *configFlags) flagOf(envName string) string {
	for _, s := range c.settings {
		if s.Env == envName {
			return s.Flag
		}
	}
	return ""
}

// fieldVariables maps the fields of a config struct to their variables.
func fieldVariables(t reflect.Type) map[string]string {
	m := map[string]string{}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			for k, v := range fieldVariables(f.Type) {
				m[k] = v
			}
			continue
		}
		m[f.Name] = f.Tag.Get("env")
	}
	return m
}

// accepted is what a setting's type says it accepts, else the error as is.
func accepted(err error) error {
	var v valueError
	if errors.As(err, &v) {
		return v
	}
	return err
}

// flagOverride is a flag that records its value for load.
type flagOverride struct {
	env    string
	values map[string]string
	isBool bool
}

func (f *flagOverride) String() string {
	if f == nil || f.values == nil {
		return ""
	}
	return f.values[f.env]
}

func (f *flagOverride) Set(v string) error { f.values[f.env] = v; return nil }
func (f *flagOverride) IsBoolFlag() bool   { return f.isBool }

// dbFlags are the flags of every command that opens the database.
type dbFlags struct {
	flags *configFlags
	cfg   DBConfig
}

func (f *dbFlags) register(fs *flag.FlagSet, _ environment) {
	f.flags = registerConfig(fs, &f.cfg)
}

// logger builds the structured logger the settings ask for.
func (c DBConfig) logger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.Level(c.LogLevel)}
	if c.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// open reads the settings, builds the logger, then opens and migrates the
// database: what every command but serve starts with.
func (f *dbFlags) open(ctx context.Context, env environment) (*store.DB, *wards.Index, error) {
	if err := f.flags.load(env.getenv, &f.cfg); err != nil {
		return nil, nil, err
	}
	return f.cfg.openStore(ctx, f.cfg.logger(env.stderr))
}

// openStore loads the ward index, opens the database and migrates it.
func (c DBConfig) openStore(ctx context.Context, log *slog.Logger) (*store.DB, *wards.Index, error) {
	w, err := wards.Load()
	if err != nil {
		return nil, nil, err
	}
	db, err := store.Open(ctx, c.DatabaseURL, w, store.Options{Logger: log, ReadDSN: c.DatabaseReadURL})
	if err != nil {
		return nil, nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, nil, err
	}
	// The webhook queue's tables are River's, migrated by River's migrator.
	if err := webhooks.Migrate(ctx, db); err != nil {
		db.Close()
		return nil, nil, err
	}
	log.Info("database ready", "database", db.String(), "engine", db.Engine())
	return db, w, nil
}
