package importfile

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/text/encoding/unicode"

	"github.com/hanoicreative/registry/internal/export"
	"github.com/hanoicreative/registry/internal/registry"
)

// What spreadsheets make of a CSV: the encodings, separators and partial
// headers of hand-made sheets, and field names as their headers have them.

// utf8Text returns a CSV body as UTF-8. Excel's "Unicode Text" is UTF-16
// (little-endian, with a byte-order mark); UTF-8 may start with a mark.
func utf8Text(body []byte) ([]byte, error) {
	if bytes.HasPrefix(body, []byte{0xFF, 0xFE}) || bytes.HasPrefix(body, []byte{0xFE, 0xFF}) {
		if len(body)%2 != 0 {
			return nil, malformed("The file starts as UTF-16 but has an odd number of bytes: save it again as Unicode Text or as CSV UTF-8.")
		}
		text, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(body)
		if err != nil {
			return nil, malformed("The file cannot be read as UTF-16: save it again as Unicode Text or as CSV UTF-8.")
		}
		return text, nil
	}
	return bytes.TrimPrefix(body, []byte("\uFEFF")), nil
}

// separator guesses the separator from the header line: a comma, a
// semicolon (spreadsheets in locales with a decimal comma) or a tab
// (Excel's "Unicode Text" and "Text"), whichever it has most of.
func separator(header []byte) rune {
	best, most := ',', bytes.Count(header, []byte(","))
	for _, sep := range []rune{';', '\t'} {
		if n := bytes.Count(header, []byte(string(sep))); n > most {
			best, most = sep, n
		}
	}
	return best
}

// columnFields are the fields of a draft each importable column holds.
var columnFields = map[string]registry.DraftField{
	"slug": registry.DraftSlug, "name": registry.DraftName, "name_en": registry.DraftNameEn, "kind": registry.DraftKind,
	"sectors": registry.DraftSectors, "description": registry.DraftDescription, "description_en": registry.DraftDescriptionEn,
	"street": registry.DraftStreet, "ward": registry.DraftWard, "city": registry.DraftCity,
	"lat": registry.DraftLocation, "lon": registry.DraftLocation,
	"website": registry.DraftWebsite, "email": registry.DraftEmail, "phone": registry.DraftPhone,
	"links": registry.DraftLinks, "founded_year": registry.DraftFoundedYear,
}

// readHeader checks a CSV import's header row and returns where each
// column is and the draft fields the file leaves out. Any subset of the
// export's columns will do, as long as rows can be matched: by slug, or by
// the slug derived from the name.
func readHeader(header []string) (column map[string]int, omitted []registry.DraftField, err error) {
	one := 1
	column = map[string]int{}
	var errs []registry.FieldError
	for i, name := range header {
		name = strings.ToLower(strings.TrimSpace(name))
		_, dup := column[name]
		switch {
		case name == "":
			// Spreadsheets save columns once formatted, now empty, without
			// a name; a value in one is reported with its row.
		case !slices.Contains(export.Columns, name):
			errs = append(errs, registry.FieldError{Row: &one, Field: name, Code: "unknown_column",
				Message: fmt.Sprintf("%q is not a column of the export (the columns are %s).", name, strings.Join(importColumns, ", "))})
		case dup:
			errs = append(errs, registry.FieldError{Row: &one, Field: name, Code: "duplicate_column", Message: fmt.Sprintf("the column %q appears twice.", name)})
		default:
			column[name] = i
		}
	}
	_, hasName := column["name"]
	_, hasSlug := column["slug"]
	if !hasName && !hasSlug {
		errs = append(errs, registry.FieldError{Row: &one, Field: "name", Code: "missing_column",
			Message: "the file needs a name or a slug column: rows are matched to entities by slug, given or derived from the name."})
	}
	_, hasLat := column["lat"]
	_, hasLon := column["lon"]
	if hasLat != hasLon {
		missing := "lon"
		if hasLon {
			missing = "lat"
		}
		errs = append(errs, registry.FieldError{Row: &one, Field: missing, Code: "missing_column",
			Message: fmt.Sprintf("the column %q is missing: lat and lon go together.", missing)})
	}
	if len(errs) > 0 {
		return nil, nil, registry.Invalid(errs)
	}
	for _, name := range importColumns {
		if _, has := column[name]; !has && name != "lon" {
			omitted = append(omitted, columnFields[name])
		}
	}
	return column, omitted, nil
}

// unnamedColumns are the positions of the header's empty names.
func unnamedColumns(header []string) []int {
	var out []int
	for i, name := range header {
		if strings.TrimSpace(name) == "" {
			out = append(out, i)
		}
	}
	return out
}

// isBlank reports whether a row has nothing but white space.
func isBlank(record []string) bool {
	for _, cell := range record {
		if strings.TrimSpace(cell) != "" {
			return false
		}
	}
	return true
}

// csvColumn is the CSV column of a field path as JSON names it
// ("contact.email" → "email", "sectors[2]" → "sectors"); errors about
// the location as a whole name lat. Paths of no column are kept.
func csvColumn(field string) string {
	base, _, _ := strings.Cut(field, "[")
	switch base {
	case "location", "location.lat":
		return "lat"
	case "location.lon":
		return "lon"
	}
	if _, last, dotted := strings.Cut(base, "."); dotted {
		if _, ok := columnFields[last]; ok {
			return last
		}
	}
	return base
}

// withCSVColumns renames the fields of an import's errors to the CSV
// columns that hold them, in messages too.
func withCSVColumns(err error) error {
	e := registry.AsError(err)
	if len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = make([]registry.FieldError, len(e.Fields))
	for i, fe := range e.Fields {
		col := csvColumn(fe.Field)
		if col != fe.Field && strings.Contains(fe.Field, ".") {
			fe.Message = strings.ReplaceAll(fe.Message, fe.Field, col)
			// The catalogue renders from Format and Args: the field is an
			// argument there, so the translated message names the column.
			args := slices.Clone(fe.Args)
			for j, a := range args {
				if s, ok := a.(string); ok && s == fe.Field {
					args[j] = col
				}
			}
			fe.Args = args
		}
		fe.Field = col
		out.Fields[i] = fe
	}
	return &out
}
