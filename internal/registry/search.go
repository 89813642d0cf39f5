package registry

import (
	"strings"

	"github.com/hanoicreative/registry/internal/fold"
	"github.com/hanoicreative/registry/internal/search"
)

// searchSeparator joins the fields of the search text. A search word
// holds no white space, so no word matches across two fields.
const searchSeparator = "\n"

// SearchText is the entity's folded name, name_en, description and ward
// name, one per line, the search_text column the application writes. q no
// longer reads it: both engines match and rank with internal/search, on
// SearchFields.
func SearchText(e Entity) string {
	return strings.Join([]string{fold.String(e.Name), fold.String(e.NameEn),
		fold.String(e.Description), fold.String(e.Address.Ward)}, searchSeparator)
}

// SearchFields is the text q searches in an entity, field by field, as
// written; internal/search splits, folds and ranks it.
func SearchFields(e Entity) search.EntityText {
	return search.EntityText{Name: e.Name, NameEn: e.NameEn, Ward: e.Address.Ward,
		Street: e.Address.Street, Description: e.Description}
}
