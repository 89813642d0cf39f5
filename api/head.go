package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
)

// answerHEAD answers HEAD wherever GET is answered, for every route at
// once (echo routes HEAD only where it is registered): the request is
// routed and run as a GET, and the client gets that GET's status and
// headers, Content-Length included, without its body (RFC 9110, 9.3.2).
// A HEAD on a path without GET stays a 404 or 405.
func answerHEAD(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.Method != http.MethodHead {
			return next(c)
		}
		// echo routes by the method of this very request, as its own
		// MethodOverride does. It is a HEAD again before anything is sent,
		// so that net/http, which holds the same request, sends no body.
		req.Method = http.MethodGet
		c.SetRequest(req.WithContext(context.WithValue(req.Context(), headKey{}, true)))
		res := c.Response()
		w := &headWriter{ResponseWriter: res.Writer}
		res.Writer = w
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		req.Method = http.MethodHead
		res.Writer = w.ResponseWriter
		w.send()
		return nil
	}
}

type headKey struct{}

// sentMethod is the method the client sent, for logs and metrics: HEAD
// when answerHEAD runs a HEAD as a GET.
func sentMethod(r *http.Request) string {
	if head, _ := r.Context().Value(headKey{}).(bool); head {
		return http.MethodHead
	}
	return r.Method
}

// headWriter holds back the status of a GET answered to a HEAD and counts
// the body's bytes instead of sending them, so that the headers, sent at
// the end, can say how long the body would have been.
type headWriter struct {
	http.ResponseWriter
	status int
	length int64
}

func (w *headWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *headWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.length += int64(len(p))
	return len(p), nil
}

// Flush holds everything back too: the headers go once the body is counted.
func (w *headWriter) Flush() {}

// send writes the status and headers the GET would have had.
func (w *headWriter) send() {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	h := w.Header()
	bodied := w.status >= 200 && w.status != http.StatusNoContent && w.status != http.StatusNotModified
	if bodied && h.Get(echo.HeaderContentLength) == "" {
		h.Set(echo.HeaderContentLength, strconv.FormatInt(w.length, 10))
	}
	w.ResponseWriter.WriteHeader(w.status)
}
