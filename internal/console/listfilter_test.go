package console

import (
	"net/http"
	"strings"
	"testing"
)

// TestListFilterErrors checks that the list's filter is read by the same
// parser as GET /v1/entities: the same errors, in the reader's language,
// with the form kept.
func TestListFilterErrors(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		b := e.browser()
		b.signIn(editorEmail, password).redirectsTo(t, "/console/")
		for _, c := range []struct{ query, vi, en string }{
			{"ward=hoan+kiemm&q=gom", "ward &#34;hoan kiemm&#34; không thuộc 126 phường, xã của Hà Nội: có phải bạn muốn nói Hoàn Kiếm",
				"ward &#34;hoan kiemm&#34; is not one of Hà Nội&#39;s 126 wards and communes: did you mean Hoàn Kiếm"},
			{"founded_to=19x0&q=gom", "founded_to phải là một năm (số nguyên).", "founded_to must be a year (an integer)."},
			{"match=most&q=gom", "match phải là any hoặc all.", "match must be any or all."},
			{"status=deleted&q=gom", "status phải là active, archived hoặc all.", "status must be active, archived or all."},
		} {
			vi := b.get("/console/entities?"+c.query).want(t, http.StatusBadRequest).body
			en := b.get("/console/entities?"+c.query, "Accept-Language", "en").want(t, http.StatusBadRequest).body
			if !strings.Contains(vi, c.vi) || !strings.Contains(en, c.en) {
				t.Errorf("%s: the error is not the API's in the reader's language:\n%s\n---\n%s", c.query, alertOf(vi), alertOf(en))
			}
			if !strings.Contains(vi, `value="gom"`) {
				t.Errorf("%s: the search box lost what was typed", c.query)
			}
		}
	})
}

// alertOf is the page's error paragraph, for failure messages.
func alertOf(body string) string {
	if i := strings.Index(body, `role="alert"`); i >= 0 {
		end := min(len(body), i+300)
		return body[i:end]
	}
	return "(no alert)"
}
