package api

import (
	"net/url"

	"github.com/hanoicreative/registry/internal/export"
)

// parseCSVStyle reads the csv and bom query parameters (internal/export
// writes the file: for spreadsheets by default, exact cells with csv=raw).
func parseCSVStyle(values url.Values) (export.Style, error) {
	return export.ParseStyle(values.Get("csv"), values.Get("bom"))
}
