// Package problem is the one table from the domain's error codes to HTTP:
// the status, title and explanation of each. Both HTTP edges read it: the
// JSON API (its problem documents) and the staff console (its pages'
// statuses), so that a domain error answers the same status at either door.
// It lives apart from both so that neither edge imports the other, and
// apart from internal/registry so that the domain knows nothing of HTTP.
package problem

import (
	"net/http"

	"github.com/hanoicreative/registry/internal/registry"
)

// Kind is how HTTP shows one domain error code.
type Kind struct {
	Status int
	Title  string // a short summary, an English key of the catalogue
	About  string // what it means and what to do, served at the problem's type URI
}

// Of returns the kind of a domain error code; ok is false for a code the
// table does not know.
func Of(code registry.Code) (kind Kind, ok bool) {
	kind, ok = kinds[code]
	return kind, ok
}

// Each calls fn with every code of the table and its kind.
func Each(fn func(registry.Code, Kind)) {
	for code, kind := range kinds {
		fn(code, kind)
	}
}

// Status is the HTTP status of a domain error (500 for an error of no
// known code, as the API answers it).
func Status(err error) int {
	if kind, ok := Of(registry.ErrorCode(err)); ok {
		return kind.Status
	}
	return http.StatusInternalServerError
}
