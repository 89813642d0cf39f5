package registry

import "context"

type primaryKey struct{}

// WithPrimary marks a context whose reads must see the primary database
// (writes, and reads of a client whose own writes a replica may lack).
func WithPrimary(ctx context.Context) context.Context {
	return context.WithValue(ctx, primaryKey{}, true)
}

// PrimaryOnly reports whether WithPrimary marked ctx.
func PrimaryOnly(ctx context.Context) bool {
	v, _ := ctx.Value(primaryKey{}).(bool)
	return v
}

// Versions are the counters every committed change moves, inside its
// transaction: Seq, the change sequence of entities, and Ref, the count
// of reference-data (sector) changes.
type Versions struct {
	Seq int64
	Ref int64
}

// Data is one number that grows with every committed change of either.
func (v Versions) Data() int64 { return v.Seq + v.Ref }

type observedKey struct{}

// WithObserved records in ctx the versions a request read from the
// database after it arrived, so that layers below need not read them again.
func WithObserved(ctx context.Context, v Versions) context.Context {
	return context.WithValue(ctx, observedKey{}, v)
}

// Observed returns the versions WithObserved recorded in ctx.
func Observed(ctx context.Context) (Versions, bool) {
	v, ok := ctx.Value(observedKey{}).(Versions)
	return v, ok
}

// Store keeps the registry. Implementations translate their own errors to
// *Error codes once, at this boundary: ENOTFOUND for unknown ids or slugs,
// ECONFLICT for taken unique values, EPRECONDITION when the expected
// version is no longer current, EUNAVAILABLE when the database is down.
type Store interface {
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	// DataVersion returns the counters that grow with every committed
	// change of entities or reference data: they tell whether what was
	// read before is still current.
	DataVersion(ctx context.Context) (Versions, error)

	// Sectors returns the sectors in display order, without counts.
	Sectors(ctx context.Context) ([]Sector, error)
	// SectorCounts counts active entities by sector slug.
	SectorCounts(ctx context.Context) (map[string]int, error)
	// Kinds returns the kinds of entity in display order.
	Kinds(ctx context.Context) ([]Kind, error)

	// Entity returns an entity by id or slug, whatever its status.
	Entity(ctx context.Context, ref string) (Entity, error)
	// Entities returns a page of a listing.
	Entities(ctx context.Context, q ListQuery) (Page, error)
	// EntitiesByID returns the entities with these ids, whatever their
	// status, in no particular order; unknown ids are left out.
	EntitiesByID(ctx context.Context, ids []string) ([]Entity, error)
	// ScanEntities returns up to limit entities with an id above after,
	// whatever their status, in id order: a walk over every entity.
	ScanEntities(ctx context.Context, after string, limit int) ([]Entity, error)
	// CreateEntity inserts a new entity (version 1) and its first revision,
	// in one transaction. It fills rev.Seq.
	CreateEntity(ctx context.Context, e Entity, rev *Revision) error
	// UpdateEntity replaces the stored entity, whose version must still be
	// e.Version-1, and records rev, in one transaction. It fills rev.Seq.
	UpdateEntity(ctx context.Context, e Entity, rev *Revision) error
	// History returns an entity's revisions, newest first, without snapshots.
	History(ctx context.Context, id string) ([]Revision, error)
	// Revision returns one revision with its snapshot.
	Revision(ctx context.Context, id string, version int) (Revision, error)

	// Stats counts the filtered set grouped by dimensions (FacetSector,
	// FacetKind, FacetWard); ward values are ward names.
	Stats(ctx context.Context, f Filter, dims []string) ([]StatRow, error)
	// Changes returns up to limit changes with a sequence number above after,
	// in order.
	Changes(ctx context.Context, after int64, limit int) ([]Change, error)

	// CreateSector adds a sector after the others; ECONFLICT if the slug is taken.
	CreateSector(ctx context.Context, s Sector) error
	// UpdateSector stores a sector's names, descriptions and retirement.
	UpdateSector(ctx context.Context, s Sector) error
	// DeleteSector removes a sector; ECONFLICT while any entity has it.
	DeleteSector(ctx context.Context, slug string) error

	// Analyze refreshes the database's statistics after a bulk load.
	Analyze(ctx context.Context) error
	// AnalyzeInBackground asks for Analyze to run soon, in the background
	// and outside any request (one at a time, with its own deadline); it
	// returns at once.
	AnalyzeInBackground()

	// InTx runs fn with a Store whose every operation is part of one
	// transaction, committed if fn returns nil and rolled back otherwise.
	InTx(ctx context.Context, fn func(tx Store) error) error
}
