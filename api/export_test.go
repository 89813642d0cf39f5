package api

import (
	"io"
	"log/slog"
	"net/http"
)

// GETRoutes lists the path patterns of the router's GET routes (as echo
// writes them, /v1/entities/:id), so that the tests of what every GET
// route must do are driven by the router and a new route is not forgotten.
func GETRoutes(cfg Config) []string {
	s := New(Deps{}, slog.New(slog.NewTextHandler(io.Discard, nil)), cfg)
	var paths []string
	for _, r := range s.echo.Routes() {
		if r.Method == http.MethodGet {
			paths = append(paths, r.Path)
		}
	}
	return paths
}
