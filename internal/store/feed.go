package store

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"github.com/hanoicreative/registry/internal/registry"
)

// Changes returns up to limit revisions with a sequence number above after.
func (db *DB) Changes(ctx context.Context, after int64, limit int) ([]registry.Change, error) {
	var rows []revisionRow
	err := db.reader(ctx).Select("seq, entity_id, slug, action, version, at").
		Where("seq > ?", after).Order("seq").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make([]registry.Change, len(rows))
	for i, r := range rows {
		out[i] = registry.Change{Seq: r.Seq, EntityID: r.EntityID, Slug: r.Slug, Action: registry.Action(r.Action), Version: r.Version, At: r.At.UTC()}
	}
	return out, nil
}

// Stats counts the filtered set grouped by dimensions.
func (db *DB) Stats(ctx context.Context, f registry.Filter, dims []string) ([]registry.StatRow, error) {
	where, args := filterSQL(db.engine, f)
	where, args, _, err := db.withWords(ctx, f, where, args)
	if err != nil {
		return nil, err
	}
	from := "entities e"
	var cols, groups []string
	for i, dim := range dims {
		var expr string
		switch dim {
		case registry.FacetSector:
			from = "entities e JOIN entity_sectors es ON es.entity_id = e.id"
			expr = "es.sector_slug"
		case registry.FacetKind:
			expr = "e.kind"
		case registry.FacetWard:
			expr = "e.ward_code"
		case registry.StatFoundedYear:
			expr = "e.founded_year"
		default:
			return nil, registry.Errorf(registry.EMALFORMED, "group_by: %q is not one of sector, kind, ward, founded_year.", dim)
		}
		cols = append(cols, expr+" AS d"+string(rune('0'+i)))
		groups = append(groups, expr)
	}
	sql := "SELECT " + strings.Join(cols, ", ") + ", count(*) AS n FROM " + from + " WHERE " + where +
		" GROUP BY " + strings.Join(groups, ", ")
	rows, err := db.reader(ctx).Raw(sql, args...).Rows()
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []registry.StatRow
	for rows.Next() {
		values := make([]*string, len(dims))
		dest := make([]any, len(dims)+1)
		for i := range values {
			dest[i] = &values[i]
		}
		var n int
		dest[len(dims)] = &n
		if err := rows.Scan(dest...); err != nil {
			return nil, translate(err)
		}
		row := registry.StatRow{Values: map[string]*string{}, Count: n}
		for i, dim := range dims {
			v := values[i]
			if dim == registry.FacetWard && v != nil {
				if w, ok := db.wards.ByCode(*v); ok {
					name := w.Name
					v = &name
				}
			}
			row.Values[dim] = v
		}
		out = append(out, row)
	}
	return out, translate(rows.Err())
}

// InTx runs fn with a store bound to one transaction. The writes fn makes
// run in it directly, not as savepoints: an error ends the whole
// transaction anyway, and thousands of savepoints (subtransactions) make
// PostgreSQL slow down with every one (5,000 rows took 47 s, not 4).
func (db *DB) InTx(ctx context.Context, fn func(tx registry.Store) error) error {
	return translate(db.writeTx(ctx, func(tx *gorm.DB) error {
		tx = tx.Session(&gorm.Session{DisableNestedTransaction: true})
		return fn(&DB{gorm: tx, read: tx, engine: db.engine, wards: db.wards, redacted: db.redacted, analyzer: db.analyzer})
	}))
}

// DataVersion returns the change sequence and the count of reference-data
// changes, read together.
func (db *DB) DataVersion(ctx context.Context) (registry.Versions, error) {
	const q = "SELECT seq, ref_version FROM change_counter WHERE id = 1"
	var v registry.Versions
	if db.version != nil && !registry.PrimaryOnly(ctx) {
		return v, translate(db.version.QueryRowContext(ctx, q).Scan(&v.Seq, &v.Ref))
	}
	row := db.reader(ctx).Raw(q).Row()
	return v, translate(row.Scan(&v.Seq, &v.Ref))
}

// bumpRefVersion records a change of reference data, inside its transaction.
func bumpRefVersion(tx *gorm.DB) error {
	return tx.Exec("UPDATE change_counter SET ref_version = ref_version + 1 WHERE id = 1").Error
}

// ChangeSeq returns the change sequence as the reads see it (the
// replica's, when there is one).
func (db *DB) ChangeSeq(ctx context.Context) (int64, error) {
	var seq int64
	err := db.reader(ctx).Raw("SELECT seq FROM change_counter WHERE id = 1").Scan(&seq).Error
	return seq, translate(err)
}

// LastChangeBy returns the sequence number of the last change an actor
// made (0 if none), from the primary.
func (db *DB) LastChangeBy(ctx context.Context, actor string) (int64, error) {
	var seq int64
	err := db.gorm.WithContext(ctx).Raw("SELECT COALESCE(MAX(seq), 0) FROM revisions WHERE actor = ?", actor).Scan(&seq).Error
	return seq, translate(err)
}

// Analyze refreshes the planner's statistics (and, on PostgreSQL, the
// visibility map that lets counts read indexes only) after a bulk load.
func (db *DB) Analyze(ctx context.Context) error {
	stmt := "ANALYZE"
	if db.engine == Postgres {
		stmt = "VACUUM (ANALYZE) entities, entity_sectors, revisions"
	}
	return translate(db.gorm.WithContext(ctx).Exec(stmt).Error)
}
