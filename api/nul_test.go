package api_test

import (
	"net/http"
	"testing"
)

// TestControlCharacters: NUL and other control characters are refused
// with a 4xx (PostgreSQL cannot store NUL in text; nobody means to send
// them), never passed on to the database.
func TestControlCharacters(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		p := c.do("POST", "/v1/entities", `{"name":"A\u0000B","kind":"designer","sectors":["design"],"description":"line 1\nline 2\ttab"}`).problem(http.StatusUnprocessableEntity)
		if codes := fieldCodes(p); codes["name"] != "control_characters" || len(codes) != 1 {
			t.Errorf("codes %v", codes)
		}
		c.do("POST", "/v1/entities", `{"name":"Bell\u0007","kind":"designer","sectors":["design\u0000"]}`).problem(http.StatusUnprocessableEntity)
		c.do("GET", "/v1/entities/a%00b", nil).problem(http.StatusBadRequest)
		c.do("GET", "/v1/entities?q=a%00b", nil).problem(http.StatusBadRequest)
		c.do("GET", "/v1/entities?ward=%01", nil).problem(http.StatusBadRequest)
		c.do("GET", "/v1/entities?q=%91", nil).problem(http.StatusBadRequest)
		c.do("GET", "/v1/entities/%C3%28", nil).problem(http.StatusBadRequest)
		// A CSV file that is not UTF-8 (Windows-1258, say) is refused row by row.
		p = c.do("POST", "/v1/imports", "slug,name,name_en,kind,sectors,description,description_en,street,ward,city,lat,lon,website,email,phone,links,founded_year\n,X\x91y,,designer,design,,,,,,,,,,,,\n",
			"Content-Type", "text/csv").problem(http.StatusUnprocessableEntity)
		if fieldCodes(p)["name"] != "encoding" || *p.Errors[0].Row != 2 {
			t.Errorf("errors %+v", p.Errors)
		}
		c.do("POST", "/v1/entities", `{"name":"Dòng\nMới","kind":"designer","sectors":["design"],"description":"line 1\nline 2\ttab"}`).problem(http.StatusUnprocessableEntity)
		c.do("POST", "/v1/entities", `{"name":"Ổn","kind":"designer","sectors":["design"],"description":"line 1\r\nline 2\ttab"}`).want(http.StatusCreated)
	})
}
