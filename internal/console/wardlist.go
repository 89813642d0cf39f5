package console

import (
	"encoding/json"
	"net/http"
)

// wardListEntry is one ward as the form's suggestions read it.
type wardListEntry struct {
	Name     string `json:"name"`      // "Hoàn Kiếm", what the field gets
	FullName string `json:"full_name"` // "Phường Hoàn Kiếm", what the list shows
	NameEn   string `json:"name_en"`
}

// wardList serves the 126 wards for the ward field's suggestions, which
// the script folds and filters in the browser as one types.
func (c *Console) wardList(w http.ResponseWriter, r *http.Request) {
	all := c.svc.Wards().All()
	list := make([]wardListEntry, 0, len(all))
	for _, wd := range all {
		list = append(list, wardListEntry{Name: wd.Name, FullName: wd.FullName, NameEn: wd.NameEn})
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "private, max-age=86400")
	json.NewEncoder(w).Encode(list)
}
