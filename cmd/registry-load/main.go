// Command registry-load is the registry's load benchmark. It builds the
// registry binary, starts a throwaway PostgreSQL cluster (or uses an existing
// server), seeds synthetic data sets with the binary's own commands, serves
// them with "registry serve" and drives the API with vegeta from this
// process, then prints a Markdown table of the results against the
// service's targets.
//
// The machine is shared and noisy and the load generator runs on it too, so
// throughput targets are ratios within one run: each endpoint's requests per
// second divided by the ceiling's, GET /bench/ceiling (the same server and
// middleware encoding a fixed 50-entity page on every request).
//
// Run "go run ./cmd/registry-load --help" for the flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	cfg, err := parseFlags(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "registry-load:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// After the first signal, a second one ends the process at once
		// (the pgtest reaper and the server's parent-death signal still
		// clean up).
		<-ctx.Done()
		stop()
	}()
	code, err := run(ctx, cfg)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "registry-load:", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}
