package api

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/hanoicreative/registry/internal/export"
	"github.com/hanoicreative/registry/internal/registry"
)

// ImportResult is what an import did, or would do in a dry run.
type ImportResult struct {
	Created   int  `json:"created" example:"180"`
	Updated   int  `json:"updated" example:"15"`
	Unchanged int  `json:"unchanged" example:"42"`
	DryRun    bool `json:"dry_run" example:"false"`
} // @name ImportResult

// importEntities registers or updates many entities at once.
//
//	@Summary		Import entities
//	@ID			importEntities
//	@Description	Registers or updates many entities, all or nothing, in one transaction. The body is CSV with a header row naming any of the columns of the CSV export (GET /v1/imports/template.csv is one to fill in), or a JSON array of entities as POST /v1/entities takes them. CSV may be UTF-8 (with or without a byte-order mark) or UTF-16 with a byte-order mark (Excel's "Unicode Text"), separated by commas, semicolons or tabs; an empty cell is null; the read-only columns id, ward_code, status, version, created_at and updated_at are ignored; an unknown column is an error; rows and columns with nothing in them (which spreadsheets save) are skipped.
//	@Description	Rows are matched by slug, given or derived from the name, so the file needs a name or a slug column: a match has its editable fields replaced by the row's (recording a revision), a row equal to its match is unchanged, any other row creates an entity. A column the file leaves out keeps the stored value on update and is empty on create (a new entity still needs name, kind and sectors). If any row is invalid, nothing is written and the 422 lists every failing field with its row: for CSV the line a spreadsheet shows (header = 1) and the column as the header names it (`email`, `sectors`), for JSON the array index (from 0) and the JSON path (`contact.email`). `dry_run=true` checks everything and writes nothing. `Idempotency-Key` makes a retry safe.
//	@Tags			entities
//	@Accept			text/csv
//	@Accept			json
//	@Produce		json
//	@Security		BearerKey
//	@Param			dry_run			query		bool	false	"check only, write nothing"
//	@Param			Idempotency-Key	header		string	false	"a retry with the same key and body returns the first answer"
//	@Param			rows			body		[]EntityInput	true	"a JSON array of entities, or CSV"
//	@Success		200				{object}	ImportResult
//	@Header			200				{string}	Idempotent-Replayed	"true when this is the first answer to the same Idempotency-Key, replayed"
//	@Failure		400				{object}	Problem	"malformed CSV or JSON, or bad dry_run"
//	@Failure		401				{object}	Problem	"no, bad or revoked API key"
//	@Failure		403				{object}	Problem	"the key's role may not do this"
//	@Failure		409				{object}	Problem	"a request with this Idempotency-Key is still running"
//	@Failure		413				{object}	Problem	"body over 10 MiB"
//	@Failure		415				{object}	Problem	"Content-Type is not text/csv or application/json"
//	@Failure		422				{object}	Problem	"invalid rows: errors lists row, field, code and message"
//	@Failure		429				{object}	Problem	"rate limited (see Retry-After)"
//	@Failure		503				{object}	Problem	"database unavailable"
//	@Router			/v1/imports [post]
func (s *Server) importEntities(c echo.Context) error {
	for name := range c.QueryParams() {
		if name != "dry_run" {
			return malformed("%q is not a query parameter of imports (only dry_run).", name)
		}
	}
	dryRun := false
	switch v := c.QueryParam("dry_run"); v {
	case "", "false":
	case "true":
		dryRun = true
	default:
		return malformed("dry_run must be true or false.")
	}
	mediaType, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	body, err := readBody(c, "text/csv", "application/json") // ParseImport checks the JSON text
	if err != nil {
		return err
	}
	rows, err := ParseImport(body, mediaType)
	if err == nil {
		var res registry.ImportResult
		if res, err = s.svc.Import(c.Request().Context(), actor(c), rows, dryRun, nil); err == nil {
			return c.JSON(http.StatusOK, ImportResult{Created: res.Created, Updated: res.Updated, Unchanged: res.Unchanged, DryRun: dryRun})
		}
	}
	// A spreadsheet's user knows the columns, not the JSON paths.
	return ImportErrors(err, mediaType)
}

// ParseImport reads the rows of an import: CSV (mediaType text/csv) or a
// JSON array. Every row's shape is checked here (types, lengths, formats);
// its errors travel with the row, so that the service reports them
// together with what reference data rejects. Input that cannot be read at
// all is EMALFORMED; a bad CSV header is EINVALID at row 1.
func ParseImport(body []byte, mediaType string) ([]registry.ImportRow, error) {
	if mediaType == "text/csv" {
		return parseCSVRows(body)
	}
	return parseJSONRows(body)
}

func parseJSONRows(body []byte) ([]registry.ImportRow, error) {
	var items []json.RawMessage
	if t := bytes.TrimSpace(body); len(t) == 0 || t[0] != '[' {
		return nil, malformed("A JSON import is an array of entities.")
	}
	if err := checkJSONText(body); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(body, &items); err != nil {
		return nil, malformed("The body is not valid JSON: %s.", jsonErrorText(err))
	}
	rows := make([]registry.ImportRow, len(items))
	for i, raw := range items {
		var in EntityInput
		ferrs, err := decodeObject(raw, &in)
		if err != nil {
			rows[i] = registry.ImportRow{Row: i, Errors: []registry.FieldError{registry.Fieldf("", "type", "Each row must be a JSON object.")}}
			continue
		}
		ferrs = registry.MergeFieldErrors(ferrs, in.shapeErrors())
		rows[i] = registry.ImportRow{Row: i, Draft: in.draft(), Errors: ferrs}
	}
	return rows, nil
}

func parseCSVRows(body []byte) ([]registry.ImportRow, error) {
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

// withRow puts a row number on a field error.
func withRow(row int, fe registry.FieldError) registry.FieldError {
	fe.Row = &row
	return fe
}
