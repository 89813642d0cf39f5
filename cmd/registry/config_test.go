package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// A bad setting stops the binary before it does anything, with exit
// status 2 and a message naming the variable and what it accepts.
func TestBadSettingsRefuseToStart(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "never.db")
	cases := []struct {
		vars map[string]string
		args []string
		want string
	}{
		{map[string]string{"MEMORY_INDEX": "maybe"}, nil, `MEMORY_INDEX="maybe" is not valid: use on or off`},
		{map[string]string{"REQUEST_TIMEOUT": "5"}, nil, `REQUEST_TIMEOUT="5" is not valid: use a duration above zero with its unit`},
		{map[string]string{"REQUEST_TIMEOUT": "-1s"}, nil, `REQUEST_TIMEOUT="-1s"`},
		{map[string]string{"SHUTDOWN_TIMEOUT": "soon"}, nil, `SHUTDOWN_TIMEOUT="soon"`},
		{map[string]string{"CACHE_SIZE_MB": "lots"}, nil, `CACHE_SIZE_MB="lots" is not valid: use auto, or a whole number of MiB`},
		{map[string]string{"CACHE_SIZE_MB": "-1"}, nil, `CACHE_SIZE_MB="-1"`},
		{map[string]string{"READ_TURNS": "0"}, nil, `READ_TURNS="0" is not valid: use auto, or a whole number from 1 to 1024`},
		{map[string]string{"READ_TURNS": "many"}, nil, `READ_TURNS="many"`},
		{map[string]string{"RATE_LIMIT": "20/d"}, nil, `RATE_LIMIT="20/d" is not valid: use N/s, N/m or N/h`},
		{map[string]string{"TRUSTED_PROXIES": "10.0.0.0/8, 10.1.2.3"}, nil, `TRUSTED_PROXIES="10.0.0.0/8, 10.1.2.3" is not valid: "10.1.2.3" is not a network`},
		{map[string]string{"METRICS_ADDR": "9090"}, nil, `METRICS_ADDR="9090" is not valid: use host:port`},
		{map[string]string{"BENCH_CEILING": "sure"}, nil, `BENCH_CEILING="sure"`},
		{map[string]string{"PPROF_ALLOW_REMOTE": "2"}, nil, `PPROF_ALLOW_REMOTE="2"`},
		{map[string]string{"LOG_LEVEL": "loud"}, nil, `LOG_LEVEL="loud" is not valid: use debug, info, warn or error`},
		{map[string]string{"LOG_FORMAT": "xml"}, []string{"migrate"}, `LOG_FORMAT="xml" is not valid: use json or text`},
		{nil, []string{"serve", "--request-timeout", "5"}, `--request-timeout (REQUEST_TIMEOUT)="5" is not valid`},
		{nil, []string{"keys", "list", "--log-level=loud"}, `--log-level (LOG_LEVEL)="loud"`},
		// Every wrong setting is named at once.
		{map[string]string{"MEMORY_INDEX": "x", "LOG_FORMAT": "y"}, nil, "LOG_FORMAT=\"y\" is not valid: use json or text\nMEMORY_INDEX=\"x\""},
	}
	for _, tc := range cases {
		vars := map[string]string{"DATABASE_URL": dsn}
		for k, v := range tc.vars {
			vars[k] = v
		}
		env, out, errOut := testEnv(vars)
		code := exitCode(env, run(context.Background(), env, tc.args))
		if code != 2 || out.Len() != 0 || !strings.Contains(errOut.String(), tc.want) || strings.Contains(errOut.String(), "goroutine") {
			t.Errorf("%v %v: exit %d, stderr:\n%s\nwant it to contain %q", tc.vars, tc.args, code, errOut, tc.want)
		}
	}
	if _, err := os.Stat(strings.TrimPrefix(dsn, "sqlite:")); err == nil {
		t.Error("a command with a bad setting opened the database")
	}
}

// The documented values, and the usual true/false forms, are accepted.
func TestSettingsAccepted(t *testing.T) {
	load := func(vars map[string]string, args ...string) serveConfig {
		t.Helper()
		env, _, _ := testEnv(vars)
		fs := newFlagSet(env, "serve", "")
		var cfg serveConfig
		flags := registerConfig(fs, &cfg)
		if err := parseArgs(fs, args); err != nil {
			t.Fatal(err)
		}
		if err := flags.load(env.getenv, &cfg); err != nil {
			t.Fatalf("%v %v: %v", vars, args, err)
		}
		return cfg
	}
	def := load(nil)
	if def.DatabaseURL != "sqlite:registry.db" || def.Listen != ":8080" || def.MetricsAddr != "127.0.0.1:9090" ||
		time.Duration(def.RequestTimeout) != 30*time.Second || time.Duration(def.ShutdownTimeout) != 30*time.Second ||
		!def.CacheSize.auto || !bool(def.MemoryIndex) || bool(def.BenchCeiling) || bool(def.PprofAllowRemote) || def.RateLimit.RateLimit != nil ||
		def.LogFormat != "json" || def.CORSOrigins != nil || def.TrustedProxies != nil || def.PprofAddr != "" || def.ReadTurns != 0 {
		t.Errorf("defaults: %+v", def)
	}
	for _, off := range []string{"off", "false", "FALSE", "0", "no", "f"} {
		if bool(load(map[string]string{"MEMORY_INDEX": off}).MemoryIndex) {
			t.Errorf("MEMORY_INDEX=%s left the index on", off)
		}
	}
	for _, on := range []string{"on", "true", "True", "1", "yes", "t"} {
		if !bool(load(map[string]string{"BENCH_CEILING": on, "MEMORY_INDEX": on}).BenchCeiling) {
			t.Errorf("BENCH_CEILING=%s left it off", on)
		}
	}
	c := load(map[string]string{"CACHE_SIZE_MB": "0", "METRICS_ADDR": "off", "RATE_LIMIT": "300/m", "REQUEST_TIMEOUT": "1m30s",
		"CORS_ORIGINS": " https://a.example , https://b.example,", "TRUSTED_PROXIES": "10.0.0.0/8,fd00::/8", "LOG_LEVEL": "DEBUG", "READ_TURNS": "6"})
	if c.ReadTurns != 6 || c.CacheSize.auto || c.CacheSize.mib != 0 || c.MetricsAddr != "" || c.RateLimit.Requests != 300 || c.RateLimit.Per != time.Minute ||
		time.Duration(c.RequestTimeout) != 90*time.Second || len(c.CORSOrigins) != 2 || c.CORSOrigins[1] != "https://b.example" ||
		len(c.TrustedProxies) != 2 || c.LogLevel != -4 {
		t.Errorf("parsed %+v", c)
	}
	// An empty variable is its default; a flag wins over its variable.
	c = load(map[string]string{"LISTEN_ADDR": "", "MEMORY_INDEX": "on", "CACHE_SIZE_MB": "64"}, "--memory-index=false", "--cache-size", "8", "--listen", "127.0.0.1:1")
	if c.Listen != "127.0.0.1:1" || bool(c.MemoryIndex) || c.CacheSize.mib != 8 {
		t.Errorf("flags over variables: %+v", c)
	}
	if !bool(load(nil, "--bench-ceiling").BenchCeiling) {
		t.Error("a bare boolean flag is not on")
	}
}

// The README's configuration table lists exactly the variables of
// registry --help, with the same defaults.
func TestREADMEConfigurationMatchesHelp(t *testing.T) {
	env, out, _ := testEnv(nil)
	if err := run(context.Background(), env, []string{"--help"}); err != nil {
		t.Fatal(err)
	}
	help := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^  ([A-Z][A-Z0-9_]+) \(default (.*)\)$`).FindAllStringSubmatch(out.String(), -1) {
		help[m[1]] = m[2]
	}
	if len(help) < 10 {
		t.Fatalf("found %d variables in --help:\n%s", len(help), out)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	// | `VARIABLE` | `--flag` | `default` | meaning |
	row := regexp.MustCompile("(?m)^\\| `([A-Z][A-Z0-9_]+)` \\|[^|]*\\| ([^|]*) \\|")
	table := map[string]string{}
	for _, m := range row.FindAllStringSubmatch(string(readme), -1) {
		if _, dup := table[m[1]]; dup {
			t.Errorf("README: %s is in a configuration table twice", m[1])
		}
		table[m[1]] = strings.Trim(strings.TrimSpace(m[2]), "`")
	}
	for name, def := range help {
		got, ok := table[name]
		switch {
		case !ok:
			t.Errorf("README: the configuration table lacks %s (default %s)", name, def)
		case got != def:
			t.Errorf("README: %s defaults to %q in the table, %q in --help", name, got, def)
		}
	}
	for name := range table {
		if _, ok := help[name]; !ok {
			t.Errorf("README: %s is in the configuration table but not in --help", name)
		}
	}
}

// startServe runs serve with vars (SQLite in a temporary directory unless
// vars name a database) until /readyz answers 200 on LISTEN_ADDR; stop ends
// it as SIGTERM does and returns its log and error.
func startServe(t *testing.T, vars map[string]string, args ...string) (stop func() (log string, err error)) {
	t.Helper()
	if vars["DATABASE_URL"] == "" {
		vars["DATABASE_URL"] = "sqlite:" + filepath.Join(t.TempDir(), "registry.db")
	}
	if vars["LISTEN_ADDR"] == "" {
		vars["LISTEN_ADDR"] = freeAddr(t)
	}
	env, _, _ := testEnv(vars)
	var log syncBuffer
	env.stderr = &log
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, env, append([]string{"serve"}, args...)) }()
	deadline := time.Now().Add(20 * time.Second)
	for getStatus("http://"+vars["LISTEN_ADDR"]+"/readyz") != http.StatusOK {
		select {
		case err := <-done:
			cancel()
			t.Fatalf("serve exited before /readyz said 200: %v\n%s", err, log.String())
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("/readyz did not say 200 within 20s\n%s", log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	stopped := false
	stop = func() (string, error) {
		if stopped {
			return log.String(), nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			return log.String(), err
		case <-time.After(15 * time.Second):
			t.Fatal("serve did not shut down within 15s")
		}
		return "", nil
	}
	t.Cleanup(func() { stop() })
	return stop
}

// getStatus answers a GET's status, 0 when nothing answers.
func getStatus(url string) int {
	code, _ := get(url)
	return code
}

func get(url string) (int, string) {
	res, err := (&http.Client{Timeout: 5 * time.Second}).Get(url)
	if err != nil {
		return 0, ""
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// syncBuffer is a log the server writes while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
