package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// registryVars are the environment variables the registry reads: the
// benchmark sets those it needs and removes the others, so that, say, a
// RATE_LIMIT in the caller's environment cannot skew the figures.
var registryVars = []string{"DATABASE_URL", "DATABASE_READ_URL", "LISTEN_ADDR", "LOG_LEVEL", "LOG_FORMAT",
	"RATE_LIMIT", "CORS_ORIGINS", "TRUSTED_PROXIES", "REQUEST_TIMEOUT", "SHUTDOWN_TIMEOUT", "CACHE_SIZE_MB", "READ_TURNS", "MEMORY_INDEX",
	"METRICS_ADDR", "PPROF_ADDR", "PPROF_ALLOW_REMOTE", "BENCH_CEILING"}

// registryEnv is this process's environment without registryVars, plus set
// ("NAME=value" each).
func registryEnv(set ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		keep := true
		for _, v := range registryVars {
			if name == v {
				keep = false
				break
			}
		}
		if keep {
			env = append(env, kv)
		}
	}
	return append(env, set...)
}

// registryCmd runs the registry binary's commands on one database.
type registryCmd struct {
	bin string
	dsn string
}

// command returns the command "registry args..." on the database, killed
// (SIGTERM, then SIGKILL after 10s) when ctx ends.
func (r registryCmd) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, r.bin, args...)
	cmd.Env = registryEnv("DATABASE_URL="+r.dsn, "LOG_LEVEL=warn")
	cmd.SysProcAttr = childAttr()
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second
	return cmd
}

// run runs "registry args..." and returns its standard output; an error
// includes its standard error.
func (r registryCmd) run(ctx context.Context, args ...string) (string, error) {
	var stdout, stderr bytes.Buffer
	cmd := r.command(ctx, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("registry %s: %w\n%s", strings.Join(args, " "), err, tail(stderr.String(), 20))
	}
	return stdout.String(), nil
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
