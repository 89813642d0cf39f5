// Command registry serves the public registry of Hà Nội's creative
// community: a REST/JSON API over PostgreSQL or an embedded SQLite file.
//
// Run "registry --help" for the subcommands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// command is a subcommand of the binary.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env environment, args []string) error
}

// environment is what a subcommand may touch of the outside world, passed
// in rather than read from globals so that commands can be tested.
type environment struct {
	stdout, stderr io.Writer
	getenv         func(string) string
}

func commands() []command {
	return []command{
		{"serve", "migrate the database, then serve the API (the default)", runServe},
		{"migrate", "bring the database schema and reference data up to date, then exit", runMigrate},
		{"keys", "create, list and revoke API keys (create prints the secret once)", runKeys},
		{"import", "import entities from a CSV or JSON file, all or nothing (--dry-run to check)", runImport},
		{"seed", "add sample (--sample) or synthetic (--synthetic N) entities for demos and load tests", runSeed},
		{"version", "print the version and exit", runVersion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	env := environment{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	if err := run(ctx, env, os.Args[1:]); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(env.stderr, "registry:", err)
			os.Exit(1)
		}
	}
}

// run dispatches to a subcommand; with none, or only flags, it serves.
func run(ctx context.Context, env environment, args []string) error {
	name := "serve"
	if len(args) > 0 {
		switch args[0] {
		case "-h", "-help", "--help", "help":
			usage(env.stdout)
			return nil
		}
		if args[0] != "" && args[0][0] != '-' {
			name, args = args[0], args[1:]
		}
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(ctx, env, args)
		}
	}
	usage(env.stderr)
	return fmt.Errorf("unknown command %q", name)
}

func usage(w io.Writer) {
	fmt.Fprint(w, `registry: the public registry of Hà Nội's creative community.

Usage: registry [command] [flags]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run "registry COMMAND --help" for a command's flags.

Environment:
  DATABASE_URL   sqlite:PATH (default sqlite:registry.db) or postgres://user:pass@host/db
  DATABASE_READ_URL optional PostgreSQL read replica (postgres://...)
  LISTEN_ADDR    address to serve on (default :8080)
  LOG_LEVEL      debug, info (default), warn or error
  LOG_FORMAT     json (default) or text
  RATE_LIMIT     per-client rate such as 20/s (off when unset)
  CORS_ORIGINS   comma-separated partner origins allowed from browsers (none when unset)
  TRUSTED_PROXIES comma-separated CIDRs of proxies whose X-Forwarded-For is believed
  REQUEST_TIMEOUT how long a request may take (default 30s)
  CACHE_SIZE_MB  MiB of cached read answers (default 32; 0: off)
  PPROF_ADDR     serve Go profiles on this private address (off when unset)
  GOMEMLIMIT     the Go heap's soft limit (default 96MiB)
`)
}

// newFlagSet returns a flag set whose --help prints the command's usage.
func newFlagSet(env environment, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.stderr, "Usage: registry %s [flags]\n\n%s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}
