// Package export writes entities as the files people take away: CSV for
// spreadsheets and programs, GeoJSON for maps. The API's exports and the
// staff console's write the same bytes with it, a batch at a time, so
// memory stays flat whatever the size of the set.
package export

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/hanoicreative/registry/internal/registry"
)

// Format is a file format of an export.
type Format string

// The formats an export is written in.
const (
	CSV     Format = "csv"
	GeoJSON Format = "geojson"
)

// Timeout bounds an export, which may be far longer than a page.
const Timeout = 10 * time.Minute

// ContentType is the media type of a file in the format.
func (f Format) ContentType() string {
	if f == GeoJSON {
		return "application/geo+json"
	}
	return "text/csv; charset=utf-8"
}

// Disposition is the Content-Disposition of an export made at now: an
// attachment named for the registry and the day.
func (f Format) Disposition(now time.Time) string {
	return `attachment; filename="hanoi-creative-registry-` + now.UTC().Format("20060102") + "." + string(f) + `"`
}

// Source reads every entity of a filtered set in the query's order: the
// registry's service (registry.Service.ExportEntities).
type Source interface {
	ExportEntities(ctx context.Context, q registry.ListQuery, fn func(registry.Entity) error) error
}

// Write writes every entity of q's filtered set to w in the format (style
// applies to CSV), flushing w after each batch when it is an
// http.Flusher, so that a long export streams.
func Write(ctx context.Context, w io.Writer, src Source, q registry.ListQuery, f Format, style Style) error {
	if f == GeoJSON {
		q.HasLocation = true
		return writeGeoJSON(ctx, w, src, q)
	}
	return writeCSV(ctx, w, src, q, style)
}

// flush sends what w holds on to the client, when it can.
func flush(w io.Writer) {
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
}
