package store

import (
	"context"
	"strconv"
	"strings"

	"github.com/hanoicreative/registry/internal/registry"
)

// The reads by id that every page and entity of the listing index makes
// scan their rows by hand: GORM's reflection took a fifth of a search's
// time.

// queryEntities runs a query for entityColumns and scans its rows; want
// is how many rows are expected, so that the slice is made once (an
// entity is some 400 bytes: a page of 30 grown by appending made 25 KB of
// garbage).
func (db *DB) queryEntities(ctx context.Context, want int, query string, args ...any) ([]registry.Entity, error) {
	// The connection pool GORM would use: inside InTx, the transaction.
	rows, err := db.reader(ctx).Statement.ConnPool.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := make([]registry.Entity, 0, want)
	var r entityRow // one for every row: Scan's pointers to it move it to the heap
	for rows.Next() {
		r = entityRow{}
		if err := rows.Scan(&r.ID, &r.Slug, &r.Name, &r.NameEn, &r.NameFolded, &r.Kind, &r.Sectors,
			&r.Description, &r.DescriptionEn, &r.Street, &r.WardCode, &r.City, &r.Lat, &r.Lon,
			&r.Website, &r.Email, &r.Phone, &r.Links, &r.FoundedYear, &r.Images, &r.Status, &r.Version,
			&r.CreatedAt, &r.UpdatedAt); err != nil {
			return nil, translate(err)
		}
		out = append(out, db.entity(r))
	}
	return out, translate(rows.Err())
}

// placeholders returns n bind parameters for the engine, from the first.
func (db *DB) placeholders(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		if db.engine == Postgres {
			b.WriteString("$" + strconv.Itoa(i+1))
		} else {
			b.WriteByte('?')
		}
	}
	return b.String()
}
