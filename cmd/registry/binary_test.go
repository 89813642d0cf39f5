package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBuiltBinary builds the binary as make build does and runs it as a
// user would: version names the commit, settings and --help give the
// documented exit statuses, and SIGINT is a clean shutdown.
func TestBuiltBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	for _, tool := range []string{"make", "git"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("no %s", tool)
		}
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "registry")
	build := exec.Command("make", "-C", "../..", "build", "BIN="+bin)
	// As on machines that turn VCS stamping off by default: make build must
	// turn it back on.
	build.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("make build: %v\n%s", err, out)
	}
	runBin := func(vars []string, args ...string) (stdout, stderr string, code int) {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), vars...)
		cmd.Dir = dir
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return out.String(), errOut.String(), code
	}

	t.Run("version", func(t *testing.T) {
		out, _, code := runBin(nil, "version")
		if code != 0 || !strings.HasPrefix(out, "registry ") {
			t.Fatalf("version: exit %d\n%s", code, out)
		}
		top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
		if err != nil {
			t.Skip("not in a git checkout")
		}
		if st, err := os.Stat(filepath.Join(strings.TrimSpace(string(top)), ".git")); err != nil || !st.IsDir() {
			// The go command stamps builds only where .git is a directory.
			t.Skip("a git worktree (.git is a file): the go command does not stamp the commit here")
		}
		head, err := exec.Command("git", "rev-parse", "HEAD").Output()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, "commit "+strings.TrimSpace(string(head))+" (") {
			t.Errorf("version does not name HEAD %s:\n%s", head, out)
		}
		status, err := exec.Command("git", "status", "--porcelain").Output()
		if err != nil {
			t.Fatal(err)
		}
		if dirty := len(bytes.TrimSpace(status)) > 0; dirty != strings.Contains(out, "uncommitted changes") {
			t.Errorf("checkout dirty: %v, but version says:\n%s", dirty, out)
		}
		if first := strings.SplitN(out, "\n", 2)[0]; first == "registry dev" || first == "registry (devel)" {
			t.Errorf("no module version: %q", first)
		}
	})

	t.Run("help and bad settings", func(t *testing.T) {
		out, errOut, code := runBin(nil, "serve", "--help")
		if code != 0 || !strings.Contains(out, "Usage: registry serve") || errOut != "" {
			t.Errorf("serve --help: exit %d\nstdout: %.200s\nstderr: %s", code, out, errOut)
		}
		out, errOut, code = runBin([]string{"MEMORY_INDEX=maybe", "DATABASE_URL=sqlite:never.db"})
		if code != 2 || out != "" || !strings.HasPrefix(errOut, `registry: MEMORY_INDEX="maybe" is not valid`) || strings.Contains(errOut, "goroutine") {
			t.Errorf("MEMORY_INDEX=maybe: exit %d\nstderr: %s", code, errOut)
		}
	})

	t.Run("SIGINT shuts down cleanly", func(t *testing.T) {
		addr := freeAddr(t)
		cmd := exec.Command(bin, "serve")
		cmd.Env = append(os.Environ(), "LISTEN_ADDR="+addr, "METRICS_ADDR=off", "DATABASE_URL=sqlite:"+filepath.Join(dir, "r.db"))
		var log syncBuffer
		cmd.Stderr = &log
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(20 * time.Second)
		for getStatus("http://"+addr+"/readyz") != 200 {
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				t.Fatalf("not ready within 20s\n%s", log.String())
			}
			time.Sleep(50 * time.Millisecond)
		}
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			t.Fatal(err)
		}
		if err := cmd.Wait(); err != nil || !strings.Contains(log.String(), `"msg":"stopped"`) {
			t.Errorf("after SIGINT: %v\n%s", err, log.String())
		}
	})
}
