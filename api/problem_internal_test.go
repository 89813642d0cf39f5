package api

import (
	"net/http"
	"testing"

	"github.com/hanoicreative/registry/internal/messages"
)

// TestProblemTextsAreTranslated checks the texts of the problem table and
// of HTTP's own errors, which are no format the catalogue test finds in
// the source.
func TestProblemTextsAreTranslated(t *testing.T) {
	m := messages.New()
	texts := []string{}
	for _, k := range problemKinds {
		texts = append(texts, k.title, k.about)
	}
	for status := range httpProblemTypes {
		texts = append(texts, http.StatusText(status))
	}
	texts = append(texts, http.StatusText(http.StatusInternalServerError))
	for _, s := range texts {
		if !m.Has(messages.Vietnamese, s) {
			t.Errorf("%q has no Vietnamese in internal/messages", s)
		}
	}
}
