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
	stdin          io.Reader // nil reads as empty
	stdout, stderr io.Writer
	getenv         func(string) string
}

func commands() []command {
	return []command{
		{"serve", "migrate the database, then serve the API (the default)", runServe},
		{"migrate", "bring the database schema and reference data up to date, then exit", runMigrate},
		{"keys", "create, list and revoke API keys (create prints the secret once)", runKeys},
		{"users", "create, list, disable and enable staff accounts; links to set passwords", runUsers},
		{"import", "import entities from a CSV or JSON file, all or nothing (--dry-run to check)", runImport},
		{"seed", "add sample (--sample) or synthetic (--synthetic N) entities for demos and load tests", runSeed},
		{"version", "print the version and exit", runVersion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	env := environment{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	os.Exit(exitCode(env, run(ctx, env, os.Args[1:])))
}

// exitCode reports err on standard error and picks the exit status: 0 for
// success and --help, 2 for a bad command line or setting, 1 otherwise.
func exitCode(env environment, err error) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, new(configError)):
		fmt.Fprintln(env.stderr, "registry:", err)
		return 2
	}
	fmt.Fprintln(env.stderr, "registry:", err)
	return 1
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
	return configErrorf("unknown command %q", name)
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

Environment (each variable is also a flag of serve, named in "registry serve --help";
the database and log settings are flags of every command):
`)
	for _, s := range append(settingsOf(&serveConfig{}), runtimeSettings...) {
		fmt.Fprintf(w, "  %s (default %s)\n", s.Env, s.Default)
		fmt.Fprintf(w, "      %s\n", s.Help)
	}
}

// newFlagSet returns a flag set whose --help prints the command's usage
// on standard output (see parseArgs); a usage error prints it on
// standard error.
func newFlagSet(env environment, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	printUsage := func(w io.Writer) {
		fmt.Fprintf(w, "Usage: registry %s [flags]\n\n%s\n\nFlags:\n", name, synopsis)
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	fs.Usage = func() { printUsage(env.stderr) }
	help := &helpFlag{print: func() { printUsage(env.stdout) }}
	fs.Var(help, "help", "print this help and exit")
	fs.Var(help, "h", "print this help and exit")
	return fs
}

// helpFlag is -h and --help: asked for, the usage goes to standard output.
type helpFlag struct {
	asked bool
	print func()
}

func (h *helpFlag) String() string     { return "" }
func (h *helpFlag) IsBoolFlag() bool   { return true }
func (h *helpFlag) Set(v string) error { h.asked = v != "false"; return nil }

// parseArgs parses a command's flags: --help prints the usage on standard
// output and returns flag.ErrHelp (exit status 0); a bad flag is a
// configError.
func parseArgs(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return configErrorf("%s: %v", fs.Name(), err)
	}
	if h, ok := fs.Lookup("help").Value.(*helpFlag); ok && h.asked {
		h.print()
		return flag.ErrHelp
	}
	return nil
}
