package registry

import (
	"fmt"
	"strings"

	"github.com/hanoicreative/registry/internal/wards"
)

// UnknownWard is the sentence that refuses a ward nobody has: it offers
// the closest names, so that a typo or an old spelling is one edit away
// from being fixed, and says where the list is.
func (s *Service) UnknownWard(subject, typed string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %q is not one of Hà Nội's 126 wards and communes", subject, typed)
	if names := suggestedNames(s.wards.Suggest(typed)); names != "" {
		b.WriteString(": did you mean " + names + "?")
	} else {
		b.WriteString(".")
	}
	b.WriteString(" GET /v1/wards lists them (name, with or without diacritics, or code).")
	return b.String()
}

// suggestedNames joins ward names as a sentence does: "A", "A or B",
// "A, B or C".
func suggestedNames(ws []wards.Ward) string {
	names := make([]string, len(ws))
	for i, w := range ws {
		names[i] = w.Name
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
