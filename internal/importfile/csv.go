package importfile

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/hanoicreative/registry/internal/export"
	"github.com/hanoicreative/registry/internal/registry"
)

// readCSV reads a CSV import, as spreadsheets save it (see sheet.go).
func readCSV(body []byte) ([]registry.ImportRow, error) {
	body, err := utf8Text(body)
	if err != nil {
		return nil, err
	}
	firstLine, _, _ := bytes.Cut(body, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(body))
	r.Comma = separator(firstLine)
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, malformed("The CSV is empty: it needs a header row.")
	}
	if err != nil {
		return nil, malformed("The CSV cannot be read: %v.", err)
	}
	column, omitted, err := readHeader(header)
	if err != nil {
		return nil, err
	}
	unnamed := unnamedColumns(header)
	var rows []registry.ImportRow
	for line := 2; ; line++ {
		record, err := r.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && pe.Err != csv.ErrFieldCount {
				return nil, malformed("The CSV cannot be read at line %d: %v.", pe.Line, pe.Err)
			}
			return nil, malformed("The CSV cannot be read: %v.", err)
		}
		if isBlank(record) {
			continue // spreadsheets save rows once formatted, now empty, as separators only
		}
		cell := func(name string) string {
			if i, has := column[name]; has && i < len(record) {
				return export.Restore(record[i])
			}
			return ""
		}
		row := registry.ImportRow{Row: line, Omitted: omitted}
		if len(record) != len(header) {
			row.Errors = append(row.Errors, registry.Fieldf("", "columns", "The row has %d cells, the header %d.", len(record), len(header)))
		}
		for _, i := range unnamed {
			if i < len(record) && strings.TrimSpace(record[i]) != "" {
				row.Errors = append(row.Errors, registry.Fieldf("", "unnamed_column", "column %d has a value in this row but no name in the header row: name it or empty it.", i+1))
				break
			}
		}
		row.Draft, row.Errors = csvDraft(cell, row.Errors)
		rows = append(rows, row)
	}
}

// csvDraft reads a row's cells into a draft.
func csvDraft(cell func(string) string, errs []registry.FieldError) (registry.EntityDraft, []registry.FieldError) {
	d := registry.EntityDraft{
		Slug: cell("slug"), Name: cell("name"), NameEn: cell("name_en"), Kind: cell("kind"),
		Description: cell("description"), DescriptionEn: cell("description_en"),
		Street: cell("street"), Ward: cell("ward"), City: cell("city"),
		Website: cell("website"), Email: cell("email"), Phone: cell("phone"),
		Links: strings.Fields(cell("links")),
	}
	for _, s := range strings.Split(cell("sectors"), ";") {
		if s = strings.TrimSpace(s); s != "" {
			d.Sectors = append(d.Sectors, s)
		}
	}
	number := func(name string) (float64, bool) {
		v := strings.TrimSpace(cell(name))
		if v == "" {
			return 0, false
		}
		f, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
		if err != nil {
			errs = append(errs, registry.Fieldf("location."+name, "type", "%s must be a number.", "location."+name))
			return 0, false
		}
		return f, true
	}
	before := len(errs)
	lat, hasLat := number("lat")
	lon, hasLon := number("lon")
	switch {
	case hasLat && hasLon:
		d.Location = &registry.Location{Lat: lat, Lon: lon}
	case hasLat != hasLon && len(errs) == before: // a cell that is not a number was reported already
		errs = append(errs, registry.Fieldf("location", "required", "lat and lon go together: give both or neither."))
	}
	if v := strings.TrimSpace(cell("founded_year")); v != "" {
		year, err := strconv.Atoi(v)
		if err != nil {
			errs = append(errs, registry.Fieldf("founded_year", "type", "%s must be an integer.", "founded_year"))
		} else {
			d.FoundedYear = &year
		}
	}
	return d, errs
}
