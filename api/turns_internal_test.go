package api

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hanoicreative/registry/internal/registry"
)

// turnRequest is an echo context of a GET whose answer goes to w.
func turnRequest(ctx context.Context, w http.ResponseWriter) echo.Context {
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, "/v1/entities", nil)
	return echo.New().NewContext(req, w)
}

// waitFor polls cond for up to 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
	}
}

// TestReadsAreComputedInTurn: with one turn, answers are computed one at
// a time, in the order they were asked for, and each is sent whole.
func TestReadsAreComputedInTurn(t *testing.T) {
	s := &Server{turns: newTurns(1)}
	var running, most atomic.Int64
	var mu sync.Mutex
	var order []string
	release := make(chan struct{})
	compute := func(name string) func(c echo.Context) error {
		return func(c echo.Context) error {
			n := running.Add(1)
			defer running.Add(-1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			mu.Lock()
			order = append(order, name)
			mu.Unlock()
			if name == "first" {
				<-release
			}
			return c.String(http.StatusOK, "answer of "+name)
		}
	}
	names := []string{"first", "second", "third", "fourth"}
	recs := make([]*httptest.ResponseRecorder, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		recs[i] = httptest.NewRecorder()
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.computeInTurn(turnRequest(context.Background(), recs[i]), compute(name), nil); err != nil {
				t.Error(err)
			}
		}()
		// The next asks only once this one computes or waits in line.
		waitFor(t, name+" is in", func() bool { return int(s.turns.waiting.Load())+len(s.turns.slots) == i+1 })
	}
	close(release)
	wg.Wait()
	if most.Load() != 1 {
		t.Errorf("%d answers were computed at once with one turn", most.Load())
	}
	if len(order) != len(names) {
		t.Fatalf("computed %v", order)
	}
	for i := range names {
		if order[i] != names[i] {
			t.Errorf("computed in the order %v, asked in the order %v", order, names)
			break
		}
		if got := recs[i].Body.String(); recs[i].Code != http.StatusOK || got != "answer of "+names[i] {
			t.Errorf("%s: sent %d %q", names[i], recs[i].Code, got)
		}
	}
	if s.turns.waiting.Load() != 0 || len(s.turns.slots) != 0 {
		t.Errorf("after all: %d waiting, %d turns taken", s.turns.waiting.Load(), len(s.turns.slots))
	}
}

// stalledClient is a client that reads nothing until let go.
type stalledClient struct {
	*httptest.ResponseRecorder
	writing chan struct{}
	letGo   chan struct{}
}

func (w *stalledClient) Write(b []byte) (int, error) {
	close(w.writing)
	<-w.letGo
	return w.ResponseRecorder.Write(b)
}

// TestASlowClientHoldsNoTurn: an answer is written to its client after
// its turn, so another answer is computed while a client reads slowly.
func TestASlowClientHoldsNoTurn(t *testing.T) {
	s := &Server{turns: newTurns(1)}
	slow := &stalledClient{ResponseRecorder: httptest.NewRecorder(), writing: make(chan struct{}), letGo: make(chan struct{})}
	done := make(chan error, 1)
	go func() {
		done <- s.computeInTurn(turnRequest(context.Background(), slow), func(c echo.Context) error {
			return c.String(http.StatusOK, "to the slow client")
		}, nil)
	}()
	<-slow.writing
	fast := httptest.NewRecorder()
	computed := make(chan error, 1)
	go func() {
		computed <- s.computeInTurn(turnRequest(context.Background(), fast), func(c echo.Context) error {
			return c.String(http.StatusOK, "to the fast client")
		}, nil)
	}()
	select {
	case err := <-computed:
		if err != nil || fast.Body.String() != "to the fast client" {
			t.Errorf("fast client: %v, %q", err, fast.Body.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("an answer waited for a slow client to read another")
	}
	close(slow.letGo)
	if err := <-done; err != nil || slow.Body.String() != "to the slow client" {
		t.Errorf("slow client: %v, %q", err, slow.Body.String())
	}
}

// TestWaitingPastTheDeadline: a request whose deadline passes in line gets
// EUNAVAILABLE and computes nothing; the one with the turn is unharmed.
func TestWaitingPastTheDeadline(t *testing.T) {
	s := &Server{turns: newTurns(1)}
	release := make(chan struct{})
	first := httptest.NewRecorder()
	done := make(chan error, 1)
	go func() {
		done <- s.computeInTurn(turnRequest(context.Background(), first), func(c echo.Context) error {
			<-release
			return c.String(http.StatusOK, "first")
		}, nil)
	}()
	waitFor(t, "the first has the turn", func() bool { return len(s.turns.slots) == 1 })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	late := httptest.NewRecorder()
	ran := false
	err := s.computeInTurn(turnRequest(ctx, late), func(c echo.Context) error { ran = true; return nil }, nil)
	var re *registry.Error
	if !errors.As(err, &re) || re.Code != registry.EUNAVAILABLE || ran || late.Body.Len() != 0 {
		t.Errorf("past its deadline in line: %v (computed: %v, body %q)", err, ran, late.Body.String())
	}
	if s.turns.waiting.Load() != 0 {
		t.Errorf("%d still counted as waiting", s.turns.waiting.Load())
	}
	close(release)
	if err := <-done; err != nil || first.Body.String() != "first" {
		t.Errorf("the first: %v, %q", err, first.Body.String())
	}
}

// TestAPanicGivesBackItsTurn: a compute that panics (the Recover
// middleware answers it) neither keeps its turn nor leaves the response
// writing into a held buffer.
func TestAPanicGivesBackItsTurn(t *testing.T) {
	s := &Server{turns: newTurns(1)}
	rec := httptest.NewRecorder()
	c := turnRequest(context.Background(), rec)
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic did not reach the caller")
			}
		}()
		_ = s.computeInTurn(c, func(c echo.Context) error { panic("compute failed") }, nil)
	}()
	if len(s.turns.slots) != 0 {
		t.Fatal("the turn of a compute that panicked was kept")
	}
	if c.Response().Writer != http.ResponseWriter(rec) {
		t.Errorf("the response still writes into %T", c.Response().Writer)
	}
	if err := s.computeInTurn(turnRequest(context.Background(), httptest.NewRecorder()), func(c echo.Context) error {
		return c.NoContent(http.StatusNoContent)
	}, nil); err != nil {
		t.Errorf("the next compute: %v", err)
	}
}
