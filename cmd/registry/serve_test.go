package main

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// Metrics are served on METRICS_ADDR, not on the API's port; with
// MEMORY_INDEX=false the index is really off (no index in the metrics).
func TestServeMetricsApartFromTheAPI(t *testing.T) {
	metrics := freeAddr(t)
	vars := map[string]string{"METRICS_ADDR": metrics, "MEMORY_INDEX": "false"}
	stop := startServe(t, vars)
	if code := getStatus("http://" + vars["LISTEN_ADDR"] + "/metrics"); code != http.StatusNotFound {
		t.Errorf("GET /metrics on the API's port: %d, want 404", code)
	}
	if code := getStatus("http://" + vars["LISTEN_ADDR"] + "/v1/kinds"); code != http.StatusOK {
		t.Errorf("GET /v1/kinds: %d", code)
	}
	code, body := get("http://" + metrics + "/metrics")
	if code != http.StatusOK || !strings.Contains(body, `registry_http_requests_total{method="GET",route="/v1/kinds",status="200"} 1`) {
		t.Errorf("GET /metrics on METRICS_ADDR: %d\n%.500s", code, body)
	}
	if strings.Contains(body, "registry_index_ready") {
		t.Error("MEMORY_INDEX=false, yet the index is in the metrics")
	}
	if code := getStatus("http://" + metrics + "/v1/kinds"); code != http.StatusNotFound {
		t.Errorf("the metrics address serves the API: %d", code)
	}
	if log, err := stop(); err != nil {
		t.Fatalf("%v\n%s", err, log)
	}

	// off: no metrics listener at all.
	vars = map[string]string{"METRICS_ADDR": "off", "DATABASE_URL": vars["DATABASE_URL"]}
	stop = startServe(t, vars)
	if code := getStatus("http://" + metrics + "/metrics"); code != 0 {
		t.Errorf("METRICS_ADDR=off, yet %s answers %d", metrics, code)
	}
	if log, err := stop(); err != nil || !strings.Contains(log, `"metrics":"off"`) {
		t.Fatalf("%v\n%s", err, log)
	}
}

// Profiles are served only on a loopback address unless
// PPROF_ALLOW_REMOTE says otherwise; anything else stops the start.
func TestPprofOnlyOnLoopback(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "p.db")
	for _, addr := range []string{"0.0.0.0:6060", ":6060", "[::]:6060"} {
		env, _, errOut := testEnv(map[string]string{"DATABASE_URL": dsn, "PPROF_ADDR": addr, "METRICS_ADDR": "off", "LISTEN_ADDR": freeAddr(t)})
		code := exitCode(env, run(context.Background(), env, []string{"serve"}))
		if code != 2 || !strings.Contains(errOut.String(), `PPROF_ADDR="`+addr+`" is not a loopback address`) || !strings.Contains(errOut.String(), "PPROF_ALLOW_REMOTE=on") {
			t.Errorf("PPROF_ADDR=%s: exit %d\n%s", addr, code, errOut)
		}
	}

	pprof := freeAddr(t)
	stop := startServe(t, map[string]string{"DATABASE_URL": dsn, "PPROF_ADDR": pprof, "METRICS_ADDR": "off"})
	if code := getStatus("http://" + pprof + "/debug/pprof/"); code != http.StatusOK {
		t.Errorf("pprof on %s: %d", pprof, code)
	}
	stop()

	// Forced: every interface, reached here through loopback.
	port := pprof[strings.LastIndex(pprof, ":"):]
	stop = startServe(t, map[string]string{"DATABASE_URL": dsn, "PPROF_ADDR": "0.0.0.0" + port, "PPROF_ALLOW_REMOTE": "true", "METRICS_ADDR": "off"})
	if code := getStatus("http://127.0.0.1" + port + "/debug/pprof/"); code != http.StatusOK {
		t.Errorf("pprof forced on 0.0.0.0%s: %d", port, code)
	}
	if log, err := stop(); err != nil || !strings.Contains(log, "keep this address private") {
		t.Errorf("%v\n%s", err, log)
	}
}

// The staff console is served beside the API on the same address, and
// the API's answers are what they were.
func TestServeMountsTheConsole(t *testing.T) {
	vars := map[string]string{}
	stop := startServe(t, vars)
	base := "http://" + vars["LISTEN_ADDR"]
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for path, want := range map[string]struct {
		status   int
		location string
	}{
		"/console":           {http.StatusMovedPermanently, "/console/"},
		"/console/":          {http.StatusSeeOther, "/console/login"},
		"/console/entities":  {http.StatusSeeOther, "/console/login?next=%2Fconsole%2Fentities"},
		"/console/login":     {http.StatusOK, ""},
		"/v1/kinds":          {http.StatusOK, ""},
		"/v1/no-such-thing":  {http.StatusNotFound, ""},
		"/console/no-such-x": {http.StatusNotFound, ""},
	} {
		resp, err := noFollow.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want.status || resp.Header.Get("Location") != want.location {
			t.Errorf("GET %s: %d to %q, want %d to %q", path, resp.StatusCode, resp.Header.Get("Location"), want.status, want.location)
		}
		csp := resp.Header.Get("Content-Security-Policy")
		if strings.HasPrefix(path, "/console/") && !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("GET %s: Content-Security-Policy %q", path, csp)
		}
		if strings.HasPrefix(path, "/v1/") && resp.Header.Get("Content-Type") == "text/html; charset=utf-8" {
			t.Errorf("GET %s was answered by the console", path)
		}
	}
	if log, err := stop(); err != nil || !strings.Contains(log, `"console":"/console/"`) {
		t.Fatalf("%v\n%s", err, log)
	}
}
