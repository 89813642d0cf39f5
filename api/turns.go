package api

import (
	"bytes"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/labstack/echo/v4"

	"github.com/hanoicreative/registry/internal/registry"
)

// turns lets a few answers be computed at once, in the order they were
// asked for. Without it, every uncached read in flight shares the CPUs
// with all the others, so each one takes as long as all of them: at 16
// clients on 2 CPUs, a search needing 3 ms of CPU took up to 30 ms.
// Waiting in line instead, an answer takes the wait plus its own time.
// Answers are computed into a buffer and written after the turn ends, so
// that a client reading slowly does not hold a turn.
type turns struct {
	slots chan struct{}
	// waiting counts the requests waiting for a turn, for the metrics.
	waiting atomic.Int64
	// answers lends the buffers answers are computed into.
	answers sync.Pool
}

// defaultTurns is how many answers are computed at once unless configured:
// one per CPU, plus one for the time answers wait on the database.
func defaultTurns() int { return runtime.GOMAXPROCS(0) + 1 }

func newTurns(n int) *turns {
	if n <= 0 {
		n = defaultTurns()
	}
	return &turns{slots: make(chan struct{}, n)}
}

// heldAnswer is a response writer that holds the status and the body
// written to it until they are sent, headers going to the real writer.
type heldAnswer struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (w *heldAnswer) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *heldAnswer) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.body.Write(b)
}

// sendTo writes what was held to to.
func (w *heldAnswer) sendTo(to http.ResponseWriter) error {
	if w.status == 0 {
		return nil
	}
	to.WriteHeader(w.status)
	if w.body.Len() == 0 { // a 204 or 304 has no body to write
		return nil
	}
	_, err := to.Write(w.body.Bytes())
	return err
}

// maxLentAnswer is the largest buffer given back to be lent again: the
// buffer of a large feed is left to the collector.
const maxLentAnswer = 2 * maxCachedBody

// computeInTurn waits for a turn, runs compute into a held answer, ends
// the turn, sends the answer to the client and then gives it to sent (when
// not nil), which may read it but not keep it. A request whose deadline
// passes while it waits gets EUNAVAILABLE.
func (s *Server) computeInTurn(c echo.Context, compute func(c echo.Context) error, sent func(status int, body []byte)) error {
	t := s.turns
	held, _ := t.answers.Get().(*heldAnswer)
	if held == nil {
		held = &heldAnswer{}
	}
	defer func() {
		if held.body.Cap() <= maxLentAnswer {
			t.answers.Put(held)
		}
	}()
	res := c.Response()
	held.ResponseWriter, held.status = res.Writer, 0
	held.body.Reset()
	t.waiting.Add(1)
	select {
	case t.slots <- struct{}{}:
		t.waiting.Add(-1)
	case <-c.Request().Context().Done():
		t.waiting.Add(-1)
		return registry.Errorf(registry.EUNAVAILABLE, "The server is busy: try again in a moment.")
	}
	// Deferred too, so that a panic in compute (answered by the Recover
	// middleware) neither keeps the turn nor leaves the writer held.
	turnEnded := false
	endTurn := func() {
		if !turnEnded {
			turnEnded = true
			<-t.slots
			res.Writer, held.ResponseWriter = held.ResponseWriter, nil
		}
	}
	defer endTurn()
	res.Writer = held
	err := compute(c)
	endTurn()
	if sendErr := held.sendTo(res.Writer); err == nil {
		err = sendErr
	}
	if sent != nil && err == nil {
		sent(held.status, held.body.Bytes())
	}
	return err
}
