package api

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/hanoicreative/registry/internal/importfile"
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
	body, err := readBody(c, "text/csv", "application/json") // ReadJSONRows checks the JSON text
	if err != nil {
		return err
	}
	rows, err := importfile.Read(body, mediaType, ReadJSONRows)
	if err == nil {
		var res registry.ImportResult
		if res, err = s.svc.Import(c.Request().Context(), actor(c), rows, dryRun, nil); err == nil {
			return c.JSON(http.StatusOK, ImportResult{Created: res.Created, Updated: res.Updated, Unchanged: res.Unchanged, DryRun: dryRun})
		}
	}
	// A spreadsheet's user knows the columns, not the JSON paths.
	return importfile.Errors(err, mediaType)
}

// ReadJSONRows reads a JSON import: an array of entities as POST
// /v1/entities takes them, each decoded and its shape checked as that
// endpoint does. It is importfile's JSON reader, for the API and for every
// other reader of imports the program wires.
func ReadJSONRows(body []byte) ([]registry.ImportRow, error) { return parseJSONRows(body) }

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

// withRow puts a row number on a field error.
func withRow(row int, fe registry.FieldError) registry.FieldError {
	fe.Row = &row
	return fe
}
