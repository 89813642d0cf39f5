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
		c.do("POST", "/v1/entities", `{"name":"Dòng\nMới","kind":"designer","sectors":["design"],"description":"line 1\nline 2\ttab"}`).problem(http.StatusUnprocessableEntity)
		c.do("POST", "/v1/entities", `{"name":"Ổn","kind":"designer","sectors":["design"],"description":"line 1\r\nline 2\ttab"}`).want(http.StatusCreated)
	})
}
