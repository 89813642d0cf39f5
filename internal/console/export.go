package console

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/hanoicreative/registry/internal/export"
)

// exportRoutes serve the entity list as files. Any signed-in staff
// member may take what the list shows them, archived records included:
// the public API's exports of those need a key, which a browser has not.
func (c *Console) exportRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /console/entities/export.csv", c.signedIn(c.exportEntities(export.CSV)))
	m.HandleFunc("GET /console/entities/export.geojson", c.signedIn(c.exportEntities(export.GeoJSON)))
}

// exportLink is the address of the file of the list with these filters,
// in the format (csv=raw for the CSV of exact cells).
func exportLink(f export.Format, filters url.Values, extra ...string) string {
	values := without(filters, "cursor")
	for i := 0; i+1 < len(extra); i += 2 {
		values.Set(extra[i], extra[i+1])
	}
	return Prefix + "entities/export." + string(f) + queryString(values)
}

// exportEntities writes every entity of the list (its search, filters and
// sort, all pages) in the format, as the API's exports are written:
// streamed a batch at a time through the registry's service. csv=raw and
// bom=false choose the CSV's style as they do in the API.
func (c *Console) exportEntities(f export.Format) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), export.Timeout)
		defer cancel()
		raw := r.URL.Query()
		q, err := c.parseList(without(formValues(raw), "cursor"))
		if err != nil {
			c.fail(w, r, err)
			return
		}
		style, err := export.ParseStyle(raw.Get("csv"), raw.Get("bom"))
		if err != nil {
			c.fail(w, r, err)
			return
		}
		// Refuse unknown sectors or kinds (and find the database down)
		// before committing to a 200.
		if err := c.svc.CheckFilter(ctx, q.Filter); err != nil {
			c.fail(w, r, err)
			return
		}
		h := w.Header()
		h.Set("Content-Type", f.ContentType())
		h.Set("Content-Disposition", f.Disposition(time.Now()))
		h.Set("Cache-Control", "no-store") // staff data, archived records too
		w.WriteHeader(http.StatusOK)
		if err := export.Write(ctx, w, c.svc, q, f, style); err != nil {
			// The file is half sent: break the connection, so that the
			// browser reports a failed download rather than keeping a
			// truncated file that looks whole.
			c.log.WarnContext(ctx, "console: export aborted", "path", r.URL.Path, "err", err)
			panic(http.ErrAbortHandler)
		}
	}
}
