package registry

import (
	"strings"
	"unicode/utf8"

	"github.com/hanoicreative/registry/internal/fold"
	"github.com/hanoicreative/registry/internal/search"
)

// The listing's parameters as clients write them, parsed once here for
// every front door (the API and the console read the same names).

// ParseStatusFilter parses the status parameter ("" means active).
func ParseStatusFilter(s string) (StatusFilter, error) {
	switch s {
	case "", "active":
		return StatusFilterActive, nil
	case "archived", "all":
		return StatusFilter(s), nil
	}
	return "", Errorf(EMALFORMED, "status must be active, archived or all.")
}

// ParseMatch parses the match parameter: whether every sector must match
// ("all") or any one ("any", the default).
func ParseMatch(s string) (all bool, err error) {
	switch s {
	case "", "any":
		return false, nil
	case "all":
		return true, nil
	}
	return false, Errorf(EMALFORMED, "match must be any or all.")
}

// ParseSearch splits the q parameter into its search words (NFC, lower
// case, as typed otherwise: internal/search folds them), within the limits
// of a query.
func ParseSearch(s string) ([]string, error) {
	if s == "" {
		return nil, nil
	}
	if utf8.RuneCountInString(s) > MaxQueryLength {
		return nil, Errorf(EMALFORMED, "q may have at most %d characters.", MaxQueryLength)
	}
	words := search.Split(strings.ToLower(fold.NFC(s)))
	if len(words) > MaxQueryWords {
		return nil, Errorf(EMALFORMED, "q may have at most %d words.", MaxQueryWords)
	}
	return words, nil
}
