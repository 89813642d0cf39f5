package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hanoicreative/registry/internal/importfile"
)

// templateExample is the example row of the import template, by column:
// a valid entity, so that the template imports as it is.
var templateExample = map[string]string{
	"name": "Xưởng Gốm Ví Dụ", "name_en": "Example Pottery Workshop", "kind": "artisan", "sectors": "crafts;design",
	"description":    "Xưởng gốm thủ công gia truyền. Thay dòng này bằng đơn vị của bạn; để trống slug thì slug được tạo từ tên.",
	"description_en": "A family pottery workshop. Replace this row with your own; an empty slug is derived from the name.",
	"street":         "Thôn 3", "ward": "Bát Tràng", "city": "Hà Nội", "lat": "20.976", "lon": "105.913",
	"website": "https://example.vn", "email": "lienhe@example.vn", "phone": "024 3874 0123",
	"links": "https://www.facebook.com/example https://www.instagram.com/example", "founded_year": "1998",
}

// importTemplateCSV is the import template: a byte-order mark (so that
// Excel reads it as UTF-8), the importable columns and the example row.
func importTemplateCSV() []byte {
	var b bytes.Buffer
	b.WriteString("\uFEFF")
	w := csv.NewWriter(&b)
	columns := importfile.ImportColumns()
	example := make([]string, len(columns))
	for i, col := range columns {
		example[i] = templateExample[col]
	}
	_ = w.Write(columns) // writes to memory: cannot fail
	_ = w.Write(example)
	w.Flush()
	return b.Bytes()
}

// importTemplate answers the import template.
//
//	@Summary		Import template
//	@ID				getImportTemplate
//	@Description	A CSV to fill in for POST /v1/imports: the importable columns (the export's, without its read-only ones) and one example row, which imports as it is. UTF-8 with a byte-order mark, comma-separated. Keep the columns you need: a file may have any of them, with name or slug to match rows; a column left out keeps the stored value on update and is empty on create.
//	@Tags			entities
//	@Produce		text/csv
//	@Success		200	{string}	string	"the header row and one example row"
//	@Header			200	{string}	ETag	"a tag of the template"
//	@Failure		400	{object}	Problem	"a query parameter was given (there are none)"
//	@Router			/v1/imports/template.csv [get]
func (s *Server) importTemplate(c echo.Context) error {
	if len(c.QueryParams()) > 0 {
		return malformed("The import template takes no query parameters.")
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="hanoi-creative-registry-import-template.csv"`)
	h.Set("Cache-Control", "public, no-cache")
	// Made anew each time (a few microseconds): no state to keep.
	body := importTemplateCSV()
	sum := sha256.Sum256(body)
	h.Set("ETag", `"`+hex.EncodeToString(sum[:8])+`"`)
	// ServeContent answers If-None-Match (304) and HEAD.
	http.ServeContent(c.Response(), c.Request(), "", time.Time{}, bytes.NewReader(body))
	return nil
}
