package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/hanoicreative/registry/internal/pgtest"
)

// server is a "registry serve" subprocess on a free loopback port.
type server struct {
	Base    string // http://127.0.0.1:PORT
	PID     int
	cmd     *exec.Cmd
	logPath string
	exited  chan struct{} // closed when the process has ended
	waitErr error         // set before exited is closed
}

// startServer serves the database with the registry binary, BENCH_CEILING=1
// and LOG_LEVEL=warn, and waits until /readyz answers 200. Its log goes to
// dir/name.log.
func startServer(ctx context.Context, bin, dsn, dir, name string) (*server, error) {
	var err error
	for attempt := 1; attempt <= 3; attempt++ {
		var s *server
		if s, err = tryStartServer(ctx, bin, dsn, dir, name); err == nil {
			return s, nil
		}
		if ctx.Err() != nil || !strings.Contains(err.Error(), "address already in use") {
			break
		}
		// Another process took the free port in between: try another.
	}
	return nil, err
}

func tryStartServer(ctx context.Context, bin, dsn, dir, name string) (*server, error) {
	port, err := pgtest.FreePort()
	if err != nil {
		return nil, err
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	s := &server{Base: "http://" + addr, logPath: filepath.Join(dir, name+".log"), exited: make(chan struct{})}
	logFile, err := os.Create(s.logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close() // the child has its own descriptor
	s.cmd = exec.Command(bin, "serve")
	s.cmd.Env = registryEnv("DATABASE_URL="+dsn, "LISTEN_ADDR="+addr, "LOG_LEVEL=warn", "BENCH_CEILING=1", "METRICS_ADDR=off")
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	s.cmd.SysProcAttr = childAttr()
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start registry serve: %w", err)
	}
	s.PID = s.cmd.Process.Pid
	go func() {
		s.waitErr = s.cmd.Wait()
		close(s.exited)
	}()
	if err := s.waitReady(ctx, time.Minute); err != nil {
		s.stop()
		return nil, fmt.Errorf("registry serve on %s: %w\nits log (%s):\n%s", addr, err, s.logPath, tail(s.logText(), 20))
	}
	return s, nil
}

// waitReady polls /readyz until it answers 200.
func (s *server) waitReady(ctx context.Context, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		select {
		case <-s.exited:
			return fmt.Errorf("exited before it was ready: %v", s.waitErr)
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		if resp, err := client.Get(s.Base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("/readyz did not answer 200 within %s", timeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stop sends SIGTERM and waits for the server to finish (SIGKILL after 40s).
func (s *server) stop() error {
	if s == nil || s.cmd == nil || s.cmd.Process == nil {
		return nil
	}
	select {
	case <-s.exited:
		return nil
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
		var exit *exec.ExitError
		if s.waitErr != nil && !errors.As(s.waitErr, &exit) {
			return s.waitErr
		}
		if exit != nil {
			return fmt.Errorf("registry serve exited with %v on SIGTERM; log %s:\n%s", exit, s.logPath, tail(s.logText(), 10))
		}
		return nil
	case <-time.After(40 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
		return fmt.Errorf("registry serve did not stop within 40s of SIGTERM: killed")
	}
}

// alive reports whether the server process is still running.
func (s *server) alive() bool {
	select {
	case <-s.exited:
		return false
	default:
		return true
	}
}

// memory is the server's peak and current resident set size in bytes, from
// /proc/PID/status (VmHWM, VmRSS).
func (s *server) memory() (hwm, rss uint64, err error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", s.PID))
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if !ok || (name != "VmHWM" && name != "VmRSS") {
			continue
		}
		fields := strings.Fields(value) // "123456 kB"
		if len(fields) != 2 || fields[1] != "kB" {
			return 0, 0, fmt.Errorf("/proc/%d/status: unexpected %s line %q", s.PID, name, sc.Text())
		}
		kb, err := strconv.ParseUint(fields[0], 10, 64)
		if err != nil {
			return 0, 0, err
		}
		if name == "VmHWM" {
			hwm = kb << 10
		} else {
			rss = kb << 10
		}
	}
	if err := sc.Err(); err != nil {
		return 0, 0, err
	}
	if hwm == 0 {
		return 0, 0, fmt.Errorf("/proc/%d/status has no VmHWM", s.PID)
	}
	return hwm, rss, nil
}

// logText is what the server has logged (warnings and errors: LOG_LEVEL=warn).
func (s *server) logText() string {
	b, err := os.ReadFile(s.logPath)
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	return string(b)
}
