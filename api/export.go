package api

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/munnerz/goautoneg"

	"github.com/hanoicreative/registry/internal/export"
	"github.com/hanoicreative/registry/internal/registry"
)

// Export formats of GET /v1/entities.
const (
	formatJSON    = "json"
	formatCSV     = "csv"
	formatGeoJSON = "geojson"
)

// mediaTypes are the representations GET /v1/entities offers, the default first.
var mediaTypes = map[string]string{formatJSON: "application/json", formatCSV: "text/csv", formatGeoJSON: "application/geo+json"}

// listFormat picks the representation: the format parameter, else the
// Accept header (RFC 9110 negotiation), else JSON. Nothing acceptable is a 406.
func listFormat(r *http.Request) (string, error) {
	if f := r.URL.Query().Get("format"); f != "" {
		if _, ok := mediaTypes[f]; !ok {
			return "", malformed("format must be json, csv or geojson.")
		}
		return f, nil
	}
	accept := r.Header.Get(echo.HeaderAccept)
	if accept == "" {
		return formatJSON, nil
	}
	switch goautoneg.Negotiate(accept, []string{"application/json", "text/csv", "application/geo+json", "application/problem+json"}) {
	case "application/json", "application/problem+json":
		return formatJSON, nil
	case "text/csv":
		return formatCSV, nil
	case "application/geo+json":
		return formatGeoJSON, nil
	}
	return "", echo.NewHTTPError(http.StatusNotAcceptable, detailf("Acceptable answers are application/json, text/csv (or format=csv) and application/geo+json (or format=geojson)."))
}

// isExport reports whether a request asks for an export, which is not
// bound by the request timeout but by export.Timeout.
func isExport(r *http.Request) bool {
	if r.Method != http.MethodGet || r.URL.Path != "/v1/entities" {
		return false
	}
	f, err := listFormat(r)
	return err == nil && f != formatJSON
}

// export streams every entity of the filtered set as CSV or GeoJSON, a
// batch at a time: memory stays flat whatever the size of the set. The
// answer is committed before the end is read, so a failure half-way
// aborts the connection (the client sees a broken transfer, never a
// truncated file that looks whole).
func (s *Server) export(c echo.Context, q registry.ListQuery, format string) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), export.Timeout)
	defer cancel()
	// Refuse unknown sectors or kinds (and find the database down) before
	// committing to a 200.
	if err := s.svc.CheckFilter(ctx, q.Filter); err != nil {
		return err
	}
	style, err := parseCSVStyle(c.QueryParams())
	if err != nil {
		return err
	}
	f := export.Format(format)
	res := c.Response()
	h := res.Header()
	h.Set(echo.HeaderContentType, f.ContentType())
	h.Set(echo.HeaderContentDisposition, f.Disposition(time.Now()))
	res.WriteHeader(http.StatusOK)
	if err := export.Write(ctx, res, s.svc, q, f, style); err != nil {
		s.log.WarnContext(ctx, "export aborted", "err", err, "request_id", requestID(c))
		panic(http.ErrAbortHandler)
	}
	return nil
}
