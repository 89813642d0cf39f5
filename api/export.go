package api

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/munnerz/goautoneg"

	"github.com/hanoicreative/registry/internal/importfile"
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

// exportTimeout bounds an export, which may be far longer than a page.
const exportTimeout = 10 * time.Minute

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
// bound by the request timeout but by exportTimeout.
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
	ctx, cancel := context.WithTimeout(c.Request().Context(), exportTimeout)
	defer cancel()
	if format == formatGeoJSON {
		q.HasLocation = true
	}
	// Refuse unknown sectors or kinds (and find the database down) before
	// committing to a 200.
	if err := s.svc.CheckFilter(ctx, q.Filter); err != nil {
		return err
	}
	style, err := parseCSVStyle(c.QueryParams())
	if err != nil {
		return err
	}
	res := c.Response()
	name := "hanoi-creative-registry-" + time.Now().UTC().Format("20060102")
	h := res.Header()
	switch format {
	case formatCSV:
		h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
		h.Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`.csv"`)
	case formatGeoJSON:
		h.Set(echo.HeaderContentType, "application/geo+json")
		h.Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`.geojson"`)
	}
	res.WriteHeader(http.StatusOK)
	if format == formatCSV {
		err = s.writeCSV(ctx, res, q, style)
	} else {
		err = s.writeGeoJSON(ctx, res, q)
	}
	if err != nil {
		s.log.WarnContext(ctx, "export aborted", "err", err, "request_id", requestID(c))
		panic(http.ErrAbortHandler)
	}
	return nil
}

func (s *Server) writeCSV(ctx context.Context, res *echo.Response, q registry.ListQuery, style csvStyle) error {
	if err := style.writeBOM(res); err != nil {
		return err
	}
	w := csv.NewWriter(res)
	if err := w.Write(importfile.Columns()); err != nil {
		return err
	}
	n := 0
	err := s.svc.ExportEntities(ctx, q, func(e registry.Entity) error {
		if err := w.Write(style.cells(csvRecord(e))); err != nil {
			return err
		}
		if n++; n%registry.ExportBatch == 0 {
			w.Flush()
			res.Flush()
		}
		return w.Error()
	})
	w.Flush()
	if err == nil {
		err = w.Error()
	}
	return err
}

// feature is a GeoJSON Feature: the entity's location as a point ([lon,
// lat], as GeoJSON orders them) and its other fields as properties.
type feature struct {
	Type       string     `json:"type"`
	ID         string     `json:"id"`
	Geometry   point      `json:"geometry"`
	Properties properties `json:"properties"`
}

type point struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"`
}

// properties are an entity's fields but its location.
type properties struct {
	Entity
	Location *Location `json:"location,omitempty"`
}

func (s *Server) writeGeoJSON(ctx context.Context, res *echo.Response, q registry.ListQuery) error {
	if _, err := res.Write([]byte(`{"type":"FeatureCollection","features":[`)); err != nil {
		return err
	}
	enc := json.NewEncoder(res)
	enc.SetEscapeHTML(false)
	n := 0
	err := s.svc.ExportEntities(ctx, q, func(e registry.Entity) error {
		if e.Location == nil {
			return nil
		}
		if n > 0 {
			if _, err := res.Write([]byte{','}); err != nil {
				return err
			}
		}
		n++
		f := feature{Type: "Feature", ID: e.ID,
			Geometry:   point{Type: "Point", Coordinates: [2]float64{e.Location.Lon, e.Location.Lat}},
			Properties: properties{Entity: entityDTO(e)}}
		if n%registry.ExportBatch == 0 {
			res.Flush()
		}
		return enc.Encode(f)
	})
	if err != nil {
		return err
	}
	_, err = res.Write([]byte("]}\n"))
	return err
}
