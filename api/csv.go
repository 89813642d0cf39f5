package api

import (
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hanoicreative/registry/internal/importfile"
	"github.com/hanoicreative/registry/internal/registry"
)

// csvStyle is how a CSV answer is written. The default suits
// spreadsheets: a byte-order mark (without one Excel reads UTF-8 as a
// legacy code page) and formula-like cells guarded with an apostrophe (a
// cell starting with = or + is run as a formula). Programs (pandas, R)
// want neither: csv=raw gives cells exactly as stored.
type csvStyle struct {
	bom   bool // start with a UTF-8 byte-order mark
	guard bool // neutralise formula-like cells (importfile.Neutralise)
}

// parseCSVStyle reads the csv and bom query parameters.
func parseCSVStyle(values url.Values) (csvStyle, error) {
	st := csvStyle{bom: values.Get("bom") != "false", guard: true}
	switch values.Get("csv") {
	case "", "spreadsheet":
	case "raw":
		st = csvStyle{}
	default:
		return st, malformed("csv must be spreadsheet (the default: a byte-order mark, formula-like cells guarded with an apostrophe) or raw (cells exactly as stored, for programs).")
	}
	return st, nil
}

// writeBOM starts a CSV answer with a byte-order mark if the style has one.
func (st csvStyle) writeBOM(w io.Writer) error {
	if !st.bom {
		return nil
	}
	_, err := w.Write([]byte("\uFEFF"))
	return err
}

// cells applies the style to a record.
func (st csvStyle) cells(record []string) []string {
	if st.guard {
		for i, cell := range record {
			record[i] = importfile.Neutralise(cell)
		}
	}
	return record
}

// csvRecord is an entity as a CSV row: sectors joined with ";", links with
// a space, absent values empty; cells are as stored (csvStyle.cells guards
// them for spreadsheets).
func csvRecord(e registry.Entity) []string {
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
		e.CreatedAt.UTC().Format(time.RFC3339Nano), e.UpdatedAt.UTC().Format(time.RFC3339Nano)}
	return record
}
