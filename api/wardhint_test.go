package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestWardSpellingsAndSuggestions(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		for typed, want := range map[string]string{
			"P. Hoàn Kiếm":                 "Hoàn Kiếm",
			"phuong hoan kiem":             "Hoàn Kiếm",
			"Xã Bát Tràng":                 "Bát Tràng",
			"Văn Miếu Quốc Tử Giám":        "Văn Miếu - Quốc Tử Giám",
			"Phường Văn Miếu Quốc Tử Giám": "Văn Miếu - Quốc Tử Giám",
		} {
			body := valid("Nơi " + typed)
			body["address"] = map[string]any{"ward": typed}
			if e := c.create(body); e.Address.Ward == nil || *e.Address.Ward != want {
				t.Errorf("ward %q stored as %v, want %q", typed, e.Address.Ward, want)
			}
		}

		body := valid("Nơi Sai Phường")
		body["address"] = map[string]any{"ward": "Van Mieu"}
		p := c.do("POST", "/v1/entities", body).problem(http.StatusUnprocessableEntity)
		if len(p.Errors) != 1 || p.Errors[0].Field != "address.ward" || p.Errors[0].Code != "unknown" ||
			!strings.Contains(p.Errors[0].Message, "did you mean Văn Miếu - Quốc Tử Giám?") {
			t.Errorf("errors %+v", p.Errors)
		}
		body["address"] = map[string]any{"ward": "Quận Ảo"}
		p = c.do("POST", "/v1/entities", body).problem(http.StatusUnprocessableEntity)
		if len(p.Errors) != 1 || strings.Contains(p.Errors[0].Message, "did you mean") {
			t.Errorf("nothing close, yet %+v", p.Errors)
		}

		// The listing's filter refuses the same way.
		p = c.do("GET", "/v1/entities?ward="+url.QueryEscape("Hoan Kim"), nil).problem(http.StatusBadRequest)
		if !strings.Contains(p.Detail, "did you mean Hoàn Kiếm?") {
			t.Errorf("detail %q", p.Detail)
		}
		c.do("GET", "/v1/entities?ward="+url.QueryEscape("P. Hoàn Kiếm"), nil).want(http.StatusOK)
	})
}
