package export

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/hanoicreative/registry/internal/registry"
)

// Columns are the columns of CSV exports, in order; imports read the same.
var Columns = []string{"id", "slug", "name", "name_en", "kind", "sectors", "description", "description_en",
	"street", "ward", "ward_code", "city", "lat", "lon", "website", "email", "phone", "links",
	"founded_year", "status", "version", "created_at", "updated_at", "logo_url"}

// ReadOnly are the export's columns that imports ignore (a logo is
// uploaded, not imported).
var ReadOnly = map[string]bool{"id": true, "ward_code": true, "status": true, "version": true, "created_at": true, "updated_at": true,
	"logo_url": true}

// Style is how a CSV file is written. The default suits spreadsheets: a
// byte-order mark (without one Excel reads UTF-8 as a legacy code page)
// and formula-like cells guarded with an apostrophe (a cell starting with
// = or + is run as a formula). Programs (pandas, R) want neither: raw
// gives cells exactly as stored.
type Style struct {
	BOM   bool // start with a UTF-8 byte-order mark
	Guard bool // neutralise formula-like cells
}

// ParseStyle reads the csv and bom query parameters: csv is "" or
// spreadsheet (the default) or raw; bom=false drops the byte-order mark.
func ParseStyle(csv, bom string) (Style, error) {
	st := Style{BOM: bom != "false", Guard: true}
	switch csv {
	case "", "spreadsheet":
	case "raw":
		st = Style{}
	default:
		return st, registry.Errorf(registry.EMALFORMED, "csv must be spreadsheet (the default: a byte-order mark, formula-like cells guarded with an apostrophe) or raw (cells exactly as stored, for programs).")
	}
	return st, nil
}

// WriteBOM starts a CSV file with a byte-order mark if the style has one.
func (st Style) WriteBOM(w io.Writer) error {
	if !st.BOM {
		return nil
	}
	_, err := w.Write([]byte("\uFEFF"))
	return err
}

// Cells applies the style to a record.
func (st Style) Cells(record []string) []string {
	if st.Guard {
		for i, cell := range record {
			record[i] = Neutralise(cell)
		}
	}
	return record
}

// Record is an entity as a CSV row: sectors joined with ";", links with a
// space, absent values empty; cells are as stored (Style.Cells guards them
// for spreadsheets).
func Record(e registry.Entity) []string {
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	var lat, lon, year string
	if e.Location != nil {
		lat, lon = num(e.Location.Lat), num(e.Location.Lon)
	}
	if e.FoundedYear != nil {
		year = strconv.Itoa(*e.FoundedYear)
	}
	record := []string{e.ID, e.Slug, e.Name, e.NameEn, e.Kind, strings.Join(e.Sectors, ";"), e.Description, e.DescriptionEn,
		e.Address.Street, e.Address.Ward, e.Address.WardCode, e.Address.City, lat, lon,
		e.Contact.Website, e.Contact.Email, e.Contact.Phone, strings.Join(e.Links, " "),
		year, string(e.Status), strconv.Itoa(e.Version),
		e.CreatedAt.UTC().Format(time.RFC3339Nano), e.UpdatedAt.UTC().Format(time.RFC3339Nano), logoURL(e)}
	return record
}

// logoURL is the path of an entity's logo, "" without one.
func logoURL(e registry.Entity) string {
	if e.Logo == nil {
		return ""
	}
	return e.Logo.File.Path()
}

func writeCSV(ctx context.Context, out io.Writer, src Source, q registry.ListQuery, style Style) error {
	if err := style.WriteBOM(out); err != nil {
		return err
	}
	w := csv.NewWriter(out)
	if err := w.Write(Columns); err != nil {
		return err
	}
	n := 0
	err := src.ExportEntities(ctx, q, func(e registry.Entity) error {
		if err := w.Write(style.Cells(Record(e))); err != nil {
			return err
		}
		if n++; n%registry.ExportBatch == 0 {
			w.Flush()
			flush(out)
		}
		return w.Error()
	})
	w.Flush()
	if err == nil {
		err = w.Error()
	}
	return err
}

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

// Restore undoes Neutralise.
func Restore(cell string) string {
	rest := strings.TrimLeft(cell, "'")
	if len(rest) < len(cell) && rest != "" && strings.ContainsRune(formulaStart, rune(rest[0])) {
		return cell[1:]
	}
	return cell
}
