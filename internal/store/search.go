package store

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"strconv"

	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/search"
)

// The database does not search: LIKE cannot tell a word's start, a typo
// or a phrase. A search reads the text of every entity the other filters
// select and matches and ranks it in Go with internal/search, as the
// in-memory index does, so the two answer alike; the matches then narrow
// the SQL of the listing, counts and facets by id. It is the way searches
// go without the index (MEMORY_INDEX off, or the index unable to answer),
// slower at 100,000 entities but the same answer.

// found is an entity a search matched, with its relevance.
type found struct {
	ID         string
	NameFolded string
	Key        search.Key
}

// searchRow is what a search reads of an entity.
type searchRow struct {
	ID          string
	Name        string
	NameEn      string
	NameFolded  string
	Description string
	Street      string
	WardCode    *string
}

// search returns the entities the filter's words match among those its
// other filters select (where, args), in no order.
func (db *DB) search(ctx context.Context, words []string, where string, args []any) ([]found, error) {
	q := search.NewQuery(words)
	rows, err := db.reader(ctx).Raw("SELECT e.id, e.name, e.name_en, e.name_folded, e.description, e.street, e.ward_code FROM entities e WHERE "+where, args...).Rows()
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []found
	var tok search.Tokenizer // names and descriptions repeat their words
	for rows.Next() {
		var r searchRow
		if err := rows.Scan(&r.ID, &r.Name, &r.NameEn, &r.NameFolded, &r.Description, &r.Street, &r.WardCode); err != nil {
			return nil, translate(err)
		}
		segs := tok.Segments(search.EntityText{Name: r.Name, NameEn: r.NameEn, Ward: db.wardName(r.WardCode),
			Street: r.Street, Description: r.Description})
		if key, ok := q.Rank(segs); ok {
			out = append(out, found{ID: r.ID, NameFolded: r.NameFolded, Key: key})
		}
	}
	return out, translate(rows.Err())
}

// wardName is the name of the ward with code (nil: none).
func (db *DB) wardName(code *string) string {
	if code == nil {
		return ""
	}
	if w, ok := db.wards.ByCode(*code); ok {
		return w.Name
	}
	return ""
}

// withWords narrows a filter's SQL condition (filterSQL) to the entities
// its words match, by id; it returns the matches too (nil without words).
func (db *DB) withWords(ctx context.Context, f registry.Filter, where string, args []any) (string, []any, []found, error) {
	if len(f.Words) == 0 {
		return where, args, nil, nil
	}
	matches, err := db.search(ctx, f.Words, where, args)
	if err != nil {
		return "", nil, nil, err
	}
	ids := make([]string, len(matches))
	for i, m := range matches {
		ids[i] = m.ID
	}
	list, _ := json.Marshal(ids) // strings always marshal
	in := "e.id IN (SELECT value FROM json_each(?))"
	if db.engine == Postgres {
		in = "e.id IN (SELECT jsonb_array_elements_text(?::jsonb))"
	}
	return where + " AND " + in, append(slices.Clone(args), string(list)), matches, nil
}

// rankedPage returns the page of matches after the cursor, by relevance,
// then folded name, then id (at most limit+1: one more means a next page).
func rankedPage(matches []found, after *registry.Cursor, limit int) ([]found, error) {
	order := func(a, b found) int {
		return cmp.Or(cmp.Compare(a.Key, b.Key), cmp.Compare(a.NameFolded, b.NameFolded), cmp.Compare(a.ID, b.ID))
	}
	if after != nil {
		bad := registry.Errorf(registry.EMALFORMED, "cursor is not a next_cursor of this listing; start again without it.")
		if len(after.Keys) != 2 {
			return nil, bad
		}
		key, err := strconv.ParseUint(after.Keys[0], 10, 32)
		if err != nil {
			return nil, bad
		}
		mark := found{ID: after.ID, NameFolded: after.Keys[1], Key: search.Key(key)}
		matches = slices.DeleteFunc(slices.Clone(matches), func(m found) bool { return order(m, mark) <= 0 })
	}
	slices.SortFunc(matches, order)
	return matches[:min(len(matches), limit+1)], nil
}
