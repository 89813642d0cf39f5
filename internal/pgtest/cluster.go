package pgtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// startTimeout bounds Stop and Start, which take no context.
const startTimeout = time.Minute

// config is appended to the cluster's postgresql.conf: it lives in the data directory, so a
// restart (Start) and a replica's base backup get it too. The port is given on the command
// line instead, since it changes when a start is retried.
const config = `
# Added by internal/pgtest for a throwaway test cluster.
listen_addresses = '127.0.0.1'
# TCP only: a socket file brings path-length and permission trouble and nothing else here.
unix_socket_directories = ''
max_connections = 200
# Durability is wasted on a cluster that is removed after the tests, and it costs time.
fsync = off
synchronous_commit = off
full_page_writes = off
`

// Start starts a throwaway cluster on a free loopback port, in a new temp dir. The caller
// must Close it; if this process ends without doing so (a panic, a -timeout, a kill), a reaper
// process still stops the server and removes the temp dir.
func Start(ctx context.Context) (*Server, error) {
	tools, err := findTools()
	if err != nil {
		return nil, err
	}
	s, err := newCluster(tools)
	if err != nil {
		return nil, err
	}
	_, err = tools.run(ctx, "initdb", "-D", s.dataDir(), "-A", "trust", "-U", "postgres",
		"--encoding=UTF8", "--no-locale", "--no-sync")
	if err == nil {
		err = appendFile(filepath.Join(s.dataDir(), "postgresql.conf"), config)
	}
	if err == nil {
		err = s.startOnFreePort(ctx)
	}
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("pgtest: start a throwaway cluster: %w", err)
	}
	return s, nil
}

// StartReplica starts a streaming replica of a throwaway cluster: a new throwaway cluster made
// by pg_basebackup, on a port of its own, read-only (hot standby). The caller must Close it.
func (s *Server) StartReplica(ctx context.Context) (*Server, error) {
	if !s.Throwaway() {
		return nil, errNotThrowaway
	}
	r, err := newCluster(s.tools)
	if err != nil {
		return nil, err
	}
	// -R writes standby.signal and primary_conninfo; the copied postgresql.conf brings config.
	_, err = r.tools.run(ctx, "pg_basebackup", "-h", "127.0.0.1", "-p", strconv.Itoa(s.port),
		"-U", "postgres", "-D", r.dataDir(), "-X", "stream", "-R", "-c", "fast", "--no-sync")
	if err == nil {
		err = r.startOnFreePort(ctx)
	}
	if err != nil {
		r.Close()
		return nil, fmt.Errorf("pgtest: start a replica: %w", err)
	}
	return r, nil
}

// PauseReplay pauses a replica's replay of the primary's changes, so that
// it lags behind as a real replica may; ResumeReplay lets it catch up.
func (s *Server) PauseReplay(ctx context.Context) error {
	return s.exec(ctx, "SELECT pg_wal_replay_pause()")
}

// ResumeReplay resumes a replica's replay (see PauseReplay).
func (s *Server) ResumeReplay(ctx context.Context) error {
	return s.exec(ctx, "SELECT pg_wal_replay_resume()")
}

// newCluster makes the temp dir and its reaper; from then on Close removes the dir.
func newCluster(tools *tools) (*Server, error) {
	dir, err := tools.tempDir()
	if err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	rp, err := startReaper(dir)
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	s := &Server{tools: tools, dir: dir, reaper: rp}
	register(s)
	return s, nil
}

// Stop stops a throwaway cluster (fast shutdown: sessions are disconnected), for outage tests.
func (s *Server) Stop() error {
	if !s.Throwaway() {
		return errNotThrowaway
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	_, err := s.tools.run(ctx, "pg_ctl", "stop", "-w", "-m", "fast", "-D", s.dataDir())
	return err
}

// Start starts a stopped throwaway cluster again, on the same port and data directory.
func (s *Server) Start() error {
	if !s.Throwaway() {
		return errNotThrowaway
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errors.New("pgtest: cluster is closed")
	}
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	return s.start(ctx)
}

// Close stops a throwaway cluster and removes its temp dir; it does nothing for DATABASE_URL's
// server, and nothing the second time.
func (s *Server) Close() error {
	if !s.Throwaway() {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	defer unregister(s)

	var errs []error
	if _, err := os.Stat(filepath.Join(s.dataDir(), "postmaster.pid")); err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
		defer cancel()
		// Immediate: the data is about to be removed, so a clean shutdown would be wasted time.
		if _, err := s.tools.run(ctx, "pg_ctl", "stop", "-w", "-m", "immediate", "-D", s.dataDir()); err != nil {
			errs = append(errs, err)
		}
	}
	// The reaper kills the postmaster if pg_ctl could not, and removes the dir; RemoveAll
	// is for when the reaper itself is gone.
	errs = append(errs, s.reaper.close(), os.RemoveAll(s.dir))
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("pgtest: close cluster in %s: %w", s.dir, err)
	}
	return nil
}

func (s *Server) dataDir() string { return filepath.Join(s.dir, "data") }
func (s *Server) logFile() string { return filepath.Join(s.dir, "server.log") }

// startOnFreePort starts the server on a port that was free a moment ago; another process
// may take it in between, so a start that fails to bind is retried on another port.
func (s *Server) startOnFreePort(ctx context.Context) error {
	for attempt := 1; ; attempt++ {
		port, err := FreePort()
		if err != nil {
			return err
		}
		s.port = port
		s.url = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
		err = s.start(ctx)
		if err == nil || !errors.Is(err, errPortTaken) || attempt == 5 {
			return err
		}
	}
}

var errPortTaken = errors.New("port taken")

// start runs pg_ctl start, which waits until the server is ready, then pings it.
func (s *Server) start(ctx context.Context) error {
	logStart := fileSize(s.logFile())
	_, err := s.tools.run(ctx, "pg_ctl", "start", "-w", "-t", "60", "-D", s.dataDir(),
		"-l", s.logFile(), "-o", "-p "+strconv.Itoa(s.port))
	if err == nil {
		err = waitReady(ctx, s.url)
	}
	if err == nil {
		return nil
	}
	log := s.logSince(logStart)
	if strings.Contains(log, "could not bind") || strings.Contains(log, "Address already in use") {
		err = fmt.Errorf("%w: %w", errPortTaken, err)
	}
	return fmt.Errorf("%w\nserver log %s:\n%s", err, s.logFile(), tail(log, 30))
}

// waitReady pings until the server answers; pg_ctl -w already waited for its "ready" status,
// so this is a short safety net and a check that the URL works.
func waitReady(ctx context.Context, dsn string) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for {
		err := ping(ctx, dsn)
		if err == nil || ctx.Err() != nil {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// FreePort returns a loopback TCP port that was free a moment ago.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (s *Server) logSince(offset int64) string {
	f, err := os.Open(s.logFile())
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	defer f.Close()
	b, _ := io.ReadAll(io.NewSectionReader(f, offset, 1<<30))
	return string(b)
}

func fileSize(name string) int64 {
	fi, err := os.Stat(name)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func appendFile(name, text string) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	_, err = f.WriteString(text)
	return errors.Join(err, f.Close())
}
