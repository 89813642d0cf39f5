package importfile

import (
	"slices"
	"strings"
)

// columns are the columns of the API's CSV exports, in order; imports
// read the same, less the read-only ones.
var columns = []string{"id", "slug", "name", "name_en", "kind", "sectors", "description", "description_en",
	"street", "ward", "ward_code", "city", "lat", "lon", "website", "email", "phone", "links",
	"founded_year", "status", "version", "created_at", "updated_at"}

// readOnly are the export's columns that imports ignore.
var readOnly = map[string]bool{"id": true, "ward_code": true, "status": true, "version": true, "created_at": true, "updated_at": true}

// importColumns are the columns an import reads, in the export's order.
var importColumns = slices.DeleteFunc(slices.Clone(columns), func(c string) bool { return readOnly[c] })

// Columns returns the columns of a CSV export, in order.
func Columns() []string { return slices.Clone(columns) }

// ImportColumns returns the columns an import reads (the export's without
// its read-only ones), in the export's order: the template's header.
func ImportColumns() []string { return slices.Clone(importColumns) }

// formulaStart are the first characters that make a spreadsheet run a
// cell as a formula (OWASP's list).
const formulaStart = "=+-@\t\r"

// Neutralise keeps a spreadsheet from running a cell as a formula by
// putting an apostrophe before it (spreadsheets show the rest as text).
// Cells already starting with apostrophes before such a character get one
// more, so that Restore undoes exactly what Neutralise did.
func Neutralise(cell string) string {
	rest := strings.TrimLeft(cell, "'")
	if rest != "" && strings.ContainsRune(formulaStart, rune(rest[0])) {
		return "'" + cell
	}
	return cell
}

// Restore undoes Neutralise: an exported file imports as it was.
func Restore(cell string) string {
	rest := strings.TrimLeft(cell, "'")
	if len(rest) < len(cell) && rest != "" && strings.ContainsRune(formulaStart, rune(rest[0])) {
		return cell[1:]
	}
	return cell
}
