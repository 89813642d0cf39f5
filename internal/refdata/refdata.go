// Package refdata holds the registry's default reference data: the eight
// cultural-industry sectors and the seven kinds of entity, as published in
// shared/data. Migrations insert them; after that the database is the
// source of truth (admins may change sectors).
package refdata

import (
	_ "embed"
	"encoding/json"
	"fmt"
)

// Item is a sector or kind as the data files describe it.
type Item struct {
	Slug   string `json:"slug"`
	Name   string `json:"name"`
	NameEn string `json:"name_en"`
}

var (
	//go:embed data/sectors.json
	sectorsJSON []byte
	//go:embed data/kinds.json
	kindsJSON []byte
)

// Sectors returns the default sectors in display order.
func Sectors() ([]Item, error) {
	var f struct{ Sectors []Item }
	if err := json.Unmarshal(sectorsJSON, &f); err != nil {
		return nil, fmt.Errorf("refdata: sectors.json: %w", err)
	}
	return f.Sectors, nil
}

// Kinds returns the kinds of entity in display order.
func Kinds() ([]Item, error) {
	var f struct{ Kinds []Item }
	if err := json.Unmarshal(kindsJSON, &f); err != nil {
		return nil, fmt.Errorf("refdata: kinds.json: %w", err)
	}
	return f.Kinds, nil
}
