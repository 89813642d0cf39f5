package registry

import (
	"time"
)

// Status is an entity's life-cycle state. Archived entities leave default
// listings but stay readable by id or slug: a public record is never gone.
type Status string

const (
	StatusActive   Status = "active"
	StatusArchived Status = "archived"
)

// Entity is a member of Hà Nội's creative community. Optional text fields
// are "" when absent (shown as null to clients).
type Entity struct {
	ID            string
	Slug          string
	Name          string
	NameEn        string
	Kind          string
	Sectors       []string // sector slugs, in the sectors' display order
	Description   string
	DescriptionEn string
	Address       Address
	Location      *Location
	Contact       Contact
	Links         []string
	FoundedYear   *int
	Logo          *Image  // nil without one
	Photos        []Photo // at most MaxPhotos, in the order they were added
	Status        Status
	Version       int
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Address is where an entity is. WardCode is one of the 126 units of
// Hà Nội; Ward is its canonical name ("Hoàn Kiếm").
type Address struct {
	Street   string
	Ward     string
	WardCode string
	City     string
}

// Location is a WGS 84 point.
type Location struct {
	Lat float64
	Lon float64
}

// Contact holds an entity's public contact details.
type Contact struct {
	Website string
	Email   string
	Phone   string
}

// Action is what a revision did to an entity.
type Action string

const (
	ActionCreated  Action = "created"
	ActionUpdated  Action = "updated"
	ActionArchived Action = "archived"
	ActionRestored Action = "restored"
)

// Revision records one change of an entity: its new version, what was done,
// by whom and which fields changed. Snapshot is the entity as it was after
// the change, so any past version can be shown.
type Revision struct {
	EntityID string
	Version  int
	Seq      int64 // position in the registry-wide change feed
	Action   Action
	Actor    string
	At       time.Time
	Changes  map[string]FieldChange
	Snapshot Entity
}

// FieldChange is the value of one field before and after a change; nil
// means absent.
type FieldChange struct {
	From any
	To   any
}

// Sector is a cultural-industry sector. EntityCount counts active entities.
type Sector struct {
	Slug          string
	Name          string
	NameEn        string
	Description   string
	DescriptionEn string
	Position      int
	Retired       bool // kept on the entities that have it; not given to others
	EntityCount   int
}

// Change is an entry of the change feed: a revision, numbered in commit
// order.
type Change struct {
	Seq      int64
	EntityID string
	Slug     string
	Action   Action
	Version  int
	At       time.Time
}

// StatRow is a count of entities for one combination of values of the
// grouped dimensions (dimension → value; nil for entities without one).
type StatRow struct {
	Values map[string]*string
	Count  int
}

// Kind is a kind of entity (creative space, designer, artisan, ...).
type Kind struct {
	Slug   string
	Name   string
	NameEn string
}
