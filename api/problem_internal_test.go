package api

import (
	"net/http"
	"reflect"
	"testing"

	"github.com/hanoicreative/registry/internal/messages"
	"github.com/hanoicreative/registry/internal/problem"
	"github.com/hanoicreative/registry/internal/registry"
)

// TestProblemTextsAreTranslated checks the texts of the problem table, of
// HTTP's own errors and of type errors, which are no format the catalogue
// test finds in the source.
func TestProblemTextsAreTranslated(t *testing.T) {
	m := messages.New()
	texts := []string{}
	problem.Each(func(_ registry.Code, k problem.Kind) { texts = append(texts, k.Title, k.About) })
	for status := range httpProblemTypes {
		texts = append(texts, http.StatusText(status))
	}
	texts = append(texts, http.StatusText(http.StatusInternalServerError))
	for _, v := range []any{"", 0, 0.5, true, []string{}, map[string]int{}} {
		texts = append(texts, typeFormat(reflect.TypeOf(v)))
	}
	for _, s := range texts {
		if !m.Has(messages.Vietnamese, s) {
			t.Errorf("%q has no Vietnamese in internal/messages", s)
		}
	}
}
