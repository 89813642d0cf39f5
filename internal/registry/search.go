package registry

import (
	"strings"

	"github.com/hanoicreative/registry/internal/fold"
)

// searchSeparator joins the fields of the search text. A search word
// holds no white space, so no word matches across two fields.
const searchSeparator = "\n"

// SearchText is what q searches in an entity: its folded name, name_en,
// description and ward name, one per line. Every word of q must occur in
// it as a substring.
func SearchText(e Entity) string {
	return strings.Join([]string{fold.String(e.Name), fold.String(e.NameEn),
		fold.String(e.Description), fold.String(e.Address.Ward)}, searchSeparator)
}
