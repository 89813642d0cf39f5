// Package importfile reads the files staff import: CSV as spreadsheets save
// it (UTF-8 or UTF-16, commas, semicolons or tabs, any subset of the
// export's columns) and JSON arrays of entities, into the rows that
// registry.Service.Import checks and writes. The JSON API and the staff
// console both read imports through it, so that a file means the same at
// either door and its errors name the same rows and columns.
package importfile

import (
	"github.com/hanoicreative/registry/internal/registry"
)

// Media types of import files.
const (
	CSV  = "text/csv"
	JSON = "application/json"
)

// JSONRows reads a JSON import: an array of entities exactly as the API's
// POST /v1/entities takes them. The entity's JSON shape is the API's
// contract and its decoding the API's (api.ReadJSONRows); the program's
// wiring hands it to every reader of imports.
type JSONRows func(body []byte) ([]registry.ImportRow, error)

// Read reads the rows of an import: CSV (mediaType text/csv) or, by
// jsonRows, a JSON array. Every row's shape is checked here (types,
// lengths, formats); its errors travel with the row, so that the service
// reports them together with what reference data rejects. Input that
// cannot be read at all is EMALFORMED; a bad CSV header is EINVALID at
// row 1.
func Read(body []byte, mediaType string, jsonRows JSONRows) ([]registry.ImportRow, error) {
	if mediaType == CSV {
		return readCSV(body)
	}
	return jsonRows(body)
}

// Errors puts an import's errors in the terms of its file: for CSV
// (mediaType text/csv), the columns as the spreadsheet's header has them
// rather than JSON paths. Other errors are returned as they are.
func Errors(err error, mediaType string) error {
	if err == nil || mediaType != CSV {
		return err
	}
	return withCSVColumns(err)
}

// malformed is an error of a file that cannot be read at all.
func malformed(format string, args ...any) error {
	return registry.Errorf(registry.EMALFORMED, format, args...)
}
