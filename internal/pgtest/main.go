package pgtest

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Main runs the tests of a package with a PostgreSQL server: DATABASE_URL's if set, else a
// throwaway cluster started here and removed afterwards. *srv is set for the tests to use.
// When no server can be had, *srv is nil and, if CI is set (CI=true), Main says why and
// returns 1 without running the tests; otherwise it prints a loud warning and runs them, and
// the tests that Require a server skip.
func Main(m *testing.M, srv **Server) int {
	*srv = nil
	s, err := open()
	if err != nil {
		unavailable = err.Error()
		if inCI() {
			fmt.Fprintf(os.Stderr, "pgtest: FAIL: no PostgreSQL server, and CI is set, so the tests do not run without one:\n%v\n", err)
			return 1
		}
		bar := strings.Repeat("=", 78)
		fmt.Fprintf(os.Stderr, "%s\npgtest: WARNING: no PostgreSQL server; the tests that need one SKIP.\n%v\n%s\n", bar, err, bar)
		return m.Run()
	}
	defer s.Close()
	defer closeOnSignal()()
	*srv = s
	return m.Run()
}

func open() (*Server, error) {
	// DATABASE_URL may name the service's SQLite file; only a PostgreSQL URL is ours.
	if dsn := os.Getenv("DATABASE_URL"); strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if err := ping(ctx, dsn); err != nil {
			return nil, fmt.Errorf("pgtest: DATABASE_URL is set, but its server does not answer: %w", err)
		}
		fmt.Fprintln(os.Stderr, "pgtest: using the server of DATABASE_URL")
		return &Server{url: dsn}, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	begin := time.Now()
	s, err := Start(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w\n(DATABASE_URL is not set either)", err)
	}
	fmt.Fprintf(os.Stderr, "pgtest: throwaway cluster %s in %s, started in %.1fs\n",
		s.url, s.dir, time.Since(begin).Seconds())
	return s, nil
}

func inCI() bool {
	ci, _ := strconv.ParseBool(os.Getenv("CI"))
	return ci
}

// live holds the throwaway clusters not yet closed, for closeOnSignal. Being referenced from
// here also keeps a forgotten Server's reaper pipe from being closed by its finalizer.
var (
	liveMu sync.Mutex
	live   = map[*Server]bool{}
)

func register(s *Server) {
	liveMu.Lock()
	defer liveMu.Unlock()
	live[s] = true
}

func unregister(s *Server) {
	liveMu.Lock()
	defer liveMu.Unlock()
	delete(live, s)
}

// closeOnSignal closes every live cluster and exits on SIGINT or SIGTERM, which would
// otherwise end the process without running deferred calls. (The reapers would still clean
// up, but without Close's orderly shutdown.) It returns a function that stops it.
func closeOnSignal() (stop func()) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			fmt.Fprintf(os.Stderr, "pgtest: %v: removing throwaway clusters\n", sig)
			liveMu.Lock()
			servers := make([]*Server, 0, len(live))
			for s := range live {
				servers = append(servers, s)
			}
			liveMu.Unlock()
			for _, s := range servers {
				if err := s.Close(); err != nil {
					fmt.Fprintln(os.Stderr, err)
				}
			}
			code := 1
			if n, ok := sig.(syscall.Signal); ok {
				code = 128 + int(n)
			}
			os.Exit(code)
		case <-done:
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(done)
	}
}
