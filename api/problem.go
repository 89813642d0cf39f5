package api

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"

	"github.com/hanoicreative/registry/internal/problem"
	"github.com/hanoicreative/registry/internal/registry"
)

// Problem is an RFC 9457 problem document: every error response is one.
type Problem struct {
	// A URI reference naming the kind of problem; GET it for an explanation.
	Type string `json:"type" example:"/problems/invalid"`
	// A short summary of the kind of problem.
	Title string `json:"title" example:"Invalid input"`
	// The HTTP status code.
	Status int `json:"status" example:"422"`
	// What went wrong with this request, in plain words: in Vietnamese when Accept-Language prefers vi, else in English (see Content-Language).
	Detail string `json:"detail" example:"The input has invalid fields."`
	// The request's path.
	Instance string `json:"instance" example:"/v1/entities"`
	// The request id, as in the X-Request-Id header.
	RequestID string `json:"request_id" example:"0193b0c4-5d1e-7c2a-9f00-3c1d2e4f5a6b"`
	// Every failing field (validation failures only).
	Errors []ProblemField `json:"errors,omitempty"`
} // @name Problem

// ProblemField is one failing field of an invalid input.
type ProblemField struct {
	// For imports: the row (CSV: the line a spreadsheet shows, header = 1; JSON: the array index).
	Row *int `json:"row,omitempty" example:"3"`
	// The field's JSON path.
	Field string `json:"field" example:"contact.email"`
	// A machine-readable reason, the same in every language: required, max, min, email, url, unknown, read_only, type, duplicate, taken, control_characters, invisible_characters, ...
	Code string `json:"code" example:"email"`
	// The reason in plain words, in the language of detail.
	Message string `json:"message" example:"contact.email must be an email address."`
} // @name ProblemField

// httpProblemTypes names problems that only HTTP knows (no domain code).
var httpProblemTypes = map[int]string{
	http.StatusNotFound:              "not_found",
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusRequestEntityTooLarge: "too_large",
	http.StatusUnsupportedMediaType:  "unsupported_media_type",
	http.StatusTooManyRequests:       "rate_limited",
	http.StatusNotAcceptable:         "not_acceptable",
	http.StatusBadRequest:            "malformed",
	http.StatusUnauthorized:          "unauthorized",
	http.StatusForbidden:             "forbidden",
	http.StatusServiceUnavailable:    "unavailable",
}

// retryAfterSeconds is what 503 answers tell clients to wait.
const retryAfterSeconds = 2

// errorHandler turns every error a handler or middleware returns into a
// problem document. It is the one place where errors meet HTTP.
func (s *Server) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	p := Problem{Instance: c.Request().URL.Path, RequestID: requestID(c)}
	lang := s.msgs.Language(c.Request().Header.Get("Accept-Language"))
	var he *echo.HTTPError
	if !isDomain(err) && errors.As(err, &he) {
		p.Status = he.Code
		p.Type = "/problems/" + httpTypeName(he.Code)
		p.Title = s.msgs.Text(lang, http.StatusText(he.Code))
		p.Detail = s.httpDetail(lang, he)
		if he.Code >= 500 {
			s.log.ErrorContext(c.Request().Context(), "request failed", "err", err, "request_id", p.RequestID)
		}
	} else {
		e := registry.AsError(err)
		kind, ok := problem.Of(e.Code)
		if !ok {
			kind, _ = problem.Of(registry.EINTERNAL)
		}
		// Logs stay in English; the reader gets their language.
		local := s.msgs.Error(lang, e)
		p.Status, p.Title, p.Type, p.Detail = kind.Status, s.msgs.Text(lang, kind.Title), "/problems/"+string(e.Code), local.Message
		if e.Code == registry.EINTERNAL {
			s.log.ErrorContext(c.Request().Context(), "internal error", "err", err, "request_id", p.RequestID)
		} else if e.Err != nil {
			s.log.WarnContext(c.Request().Context(), "request failed", "code", e.Code, "err", e.Err, "request_id", p.RequestID)
		}
		for _, f := range local.Fields {
			p.Errors = append(p.Errors, ProblemField{Row: f.Row, Field: f.Field, Code: f.Code, Message: f.Message})
		}
	}
	h := c.Response().Header()
	switch p.Status {
	case http.StatusServiceUnavailable:
		h.Set("Retry-After", strconv.Itoa(retryAfterSeconds))
	case http.StatusUnauthorized:
		h.Set("WWW-Authenticate", `Bearer realm="registry"`)
	}
	h.Set(echo.HeaderContentType, "application/problem+json")
	h.Set("Content-Language", lang.String())
	h.Add("Vary", "Accept-Language")
	c.Response().WriteHeader(p.Status)
	if c.Request().Method == http.MethodHead {
		return
	}
	if err := writeJSON(c.Response(), p); err != nil {
		s.log.Debug("writing problem", slog.Any("err", err))
	}
}

func isDomain(err error) bool {
	var e *registry.Error
	return errors.As(err, &e)
}

func httpTypeName(status int) string {
	if name, ok := httpProblemTypes[status]; ok {
		return name
	}
	if status >= 500 {
		return "internal"
	}
	return "about"
}

// httpDetail explains an echo error in words a client can act on, in
// lang, without internal detail.
func (s *Server) httpDetail(lang language.Tag, he *echo.HTTPError) string {
	switch he.Code {
	case http.StatusNotFound:
		return s.msgs.Text(lang, "There is no such path. The API lives under /v1; see /openapi.json.")
	case http.StatusMethodNotAllowed:
		return s.msgs.Text(lang, "This path does not support this method.")
	case http.StatusRequestEntityTooLarge:
		return s.msgs.Text(lang, "The request body is larger than allowed (1 MiB; imports 10 MiB; images 5 MiB).")
	}
	if he.Code < 500 {
		switch msg := he.Message.(type) {
		case detail:
			return s.msgs.Sprintf(lang, msg.format, msg.args...)
		case string:
			return s.msgs.Text(lang, msg)
		}
	}
	return s.msgs.Text(lang, http.StatusText(he.Code))
}

// detail is the message of an error only HTTP knows (no domain code): an
// English format and its arguments, which the error handler renders in
// the reader's language from the catalogue.
type detail struct {
	format string
	args   []any
}

func detailf(format string, args ...any) detail { return detail{format, args} }

// String is the English message (echo's HTTPError prints it so in logs).
func (d detail) String() string { return fmt.Sprintf(d.format, d.args...) }

// problemDoc serves the explanation of a problem type.
//
//	@Summary		Explain a problem type
//	@ID			getProblemType
//	@Description	Every problem document's `type` is a URI such as `/problems/invalid`; GET it to read what the problem means and what to do (in Vietnamese when `Accept-Language` prefers `vi`).
//	@Tags			operations
//	@Produce		plain
//	@Param			code	path		string	true	"problem type"	example(invalid)
//	@Success		200		{string}	string	"explanation"
//	@Failure		404		{object}	Problem
//	@Router			/problems/{code} [get]
func (s *Server) problemDoc(c echo.Context) error {
	code := c.Param("code")
	lang := s.msgs.Language(c.Request().Header.Get("Accept-Language"))
	h := c.Response().Header()
	h.Set("Content-Language", lang.String())
	h.Add("Vary", "Accept-Language")
	if kind, ok := problem.Of(registry.Code(code)); ok {
		return c.String(http.StatusOK, s.msgs.Text(lang, kind.Title)+"\n\n"+s.msgs.Text(lang, kind.About)+"\n")
	}
	for status, name := range httpProblemTypes {
		if name == code {
			return c.String(http.StatusOK, s.msgs.Text(lang, http.StatusText(status))+"\n")
		}
	}
	return registry.Errorf(registry.ENOTFOUND, "There is no problem type %q.", code)
}
