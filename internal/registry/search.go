package registry

import (
	"github.com/hanoicreative/registry/internal/search"
)

// SearchFields is the text q searches in an entity, field by field, as
// written; internal/search splits, folds and ranks it.
func SearchFields(e Entity) search.EntityText {
	return search.EntityText{Name: e.Name, NameEn: e.NameEn, Ward: e.Address.Ward,
		Street: e.Address.Street, Description: e.Description}
}
