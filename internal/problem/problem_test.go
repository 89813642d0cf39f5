package problem

import (
	"errors"
	"net/http"
	"testing"

	"github.com/hanoicreative/registry/internal/registry"
)

// TestEveryCodeHasAStatus: each of the domain's codes answers its own
// status at both edges; an error the domain did not classify is a 500.
func TestEveryCodeHasAStatus(t *testing.T) {
	for code, want := range map[registry.Code]int{
		registry.EMALFORMED: 400, registry.EUNAUTHORIZED: 401, registry.EFORBIDDEN: 403, registry.ENOTFOUND: 404,
		registry.ECONFLICT: 409, registry.EPRECONDITION: 412, registry.EINVALID: 422, registry.EPRECONDREQ: 428,
		registry.ETOOLARGE: 413, registry.EUNSUPPORTED: 415,
		registry.ETOOMANY: 429, registry.EUNAVAILABLE: 503, registry.EINTERNAL: 500,
	} {
		if got := Status(registry.Errorf(code, "x")); got != want {
			t.Errorf("%s: status %d, want %d", code, got, want)
		}
		if k, ok := Of(code); !ok || k.Title == "" || k.About == "" {
			t.Errorf("%s: kind %+v", code, k)
		}
	}
	if got := Status(errors.New("unclassified")); got != http.StatusInternalServerError {
		t.Errorf("an unclassified error: %d", got)
	}
	n := 0
	Each(func(registry.Code, Kind) { n++ })
	if n != 13 {
		t.Errorf("the table has %d codes; a new code needs its status here and in this test", n)
	}
}
