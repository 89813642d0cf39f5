package store

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/hanoicreative/registry/internal/fold"
	"github.com/hanoicreative/registry/internal/registry"
)

// entityRow is a row of the entities table. Optional text is ” when absent.
type entityRow struct {
	ID            string
	Slug          string
	Name          string
	NameEn        string
	NameFolded    string
	Kind          string
	Sectors       string // slugs in display order, space-separated
	Description   string
	DescriptionEn string
	Street        string
	WardCode      *string
	City          string
	Lat           *float64
	Lon           *float64
	Website       string
	Email         string
	Phone         string
	Links         string // JSON array
	FoundedYear   *int
	Images        string // JSON: storedImages; "" for none
	Status        string
	Version       int
	CreatedAt     time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt     time.Time `gorm:"autoUpdateTime:false"`
}

func (entityRow) TableName() string { return "entities" }

// toRow converts an entity, computing its folded columns.
func toRow(e registry.Entity) entityRow {
	r := entityRow{
		ID: e.ID, Slug: e.Slug, Name: e.Name, NameEn: e.NameEn,
		NameFolded: fold.String(e.Name),
		Kind:       e.Kind, Sectors: strings.Join(e.Sectors, " "),
		Description: e.Description, DescriptionEn: e.DescriptionEn,
		Street: e.Address.Street, City: e.Address.City,
		Website: e.Contact.Website, Email: e.Contact.Email, Phone: e.Contact.Phone,
		Links:       "[]",
		FoundedYear: e.FoundedYear,
		Status:      string(e.Status), Version: e.Version,
		CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC(),
	}
	if e.Address.WardCode != "" {
		code := e.Address.WardCode
		r.WardCode = &code
	}
	if e.Location != nil {
		lat, lon := e.Location.Lat, e.Location.Lon
		r.Lat, r.Lon = &lat, &lon
	}
	if len(e.Links) > 0 {
		b, _ := json.Marshal(e.Links) // a []string always marshals
		r.Links = string(b)
	}
	if imgs := toStoredImages(e); imgs.Logo != nil || len(imgs.Photos) > 0 {
		b, _ := json.Marshal(imgs) // plain strings and numbers always marshal
		r.Images = string(b)
	}
	return r
}

// entity converts a row back, naming its ward.
func (db *DB) entity(r entityRow) registry.Entity {
	e := registry.Entity{
		ID: r.ID, Slug: r.Slug, Name: r.Name, NameEn: r.NameEn, Kind: r.Kind,
		Sectors:     strings.Fields(r.Sectors),
		Description: r.Description, DescriptionEn: r.DescriptionEn,
		Address:     registry.Address{Street: r.Street, City: r.City},
		Contact:     registry.Contact{Website: r.Website, Email: r.Email, Phone: r.Phone},
		FoundedYear: r.FoundedYear,
		Status:      registry.Status(r.Status), Version: r.Version,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
	if r.WardCode != nil {
		e.Address.WardCode = *r.WardCode
		if w, ok := db.wards.ByCode(*r.WardCode); ok {
			e.Address.Ward = w.Name
		}
	}
	if r.Lat != nil && r.Lon != nil {
		e.Location = &registry.Location{Lat: *r.Lat, Lon: *r.Lon}
	}
	// Decoded into variables of their own: decoding into e's fields would
	// move every entity read to the heap (8 KB of garbage a page).
	if r.Links != "" && r.Links != "[]" {
		var links []string
		_ = json.Unmarshal([]byte(r.Links), &links) // written by toRow
		e.Links = links
	}
	if r.Images != "" {
		var imgs storedImages
		_ = json.Unmarshal([]byte(r.Images), &imgs) // written by toRow
		e.Logo, e.Photos = imgs.images()
	}
	return e
}

// storedImages are an entity's images as the entities table and revision
// snapshots keep them. Their JSON names are a storage format: never
// rename one, add new ones.
type storedImages struct {
	Logo   *storedImage  `json:"logo,omitempty"`
	Photos []storedImage `json:"photos,omitempty"`
}

// storedImage is a logo or a photo (photos have an id, and may have a caption).
type storedImage struct {
	ID        string `json:"id,omitempty"`
	Caption   string `json:"caption,omitempty"`
	Hash      string `json:"hash"`
	Type      string `json:"type"`
	Width     int    `json:"width"`
	Height    int    `json:"height"`
	ThumbHash string `json:"thumb_hash"`
	ThumbType string `json:"thumb_type"`
}

func toStoredImage(img registry.Image) storedImage {
	return storedImage{Hash: img.File.Hash, Type: img.File.Type, Width: img.Width, Height: img.Height,
		ThumbHash: img.Thumbnail.Hash, ThumbType: img.Thumbnail.Type}
}

func (s storedImage) image() registry.Image {
	return registry.Image{File: registry.MediaFile{Hash: s.Hash, Type: s.Type}, Width: s.Width, Height: s.Height,
		Thumbnail: registry.MediaFile{Hash: s.ThumbHash, Type: s.ThumbType}}
}

func toStoredImages(e registry.Entity) storedImages {
	var out storedImages
	if e.Logo != nil {
		logo := toStoredImage(*e.Logo)
		out.Logo = &logo
	}
	for _, p := range e.Photos {
		s := toStoredImage(p.Image)
		s.ID, s.Caption = p.ID, p.Caption
		out.Photos = append(out.Photos, s)
	}
	return out
}

// images returns the logo and photos kept.
func (imgs storedImages) images() (logo *registry.Image, photos []registry.Photo) {
	if imgs.Logo != nil {
		l := imgs.Logo.image()
		logo = &l
	}
	for _, s := range imgs.Photos {
		photos = append(photos, registry.Photo{ID: s.ID, Caption: s.Caption, Image: s.image()})
	}
	return logo, photos
}

// revisionRow is a row of the revisions table.
type revisionRow struct {
	EntityID string
	Version  int
	Seq      int64
	Slug     string // the entity's slug after the change
	Action   string
	Actor    string
	At       time.Time
	Changes  string // JSON: {field: {from, to}}
	Snapshot string // JSON: snapshot
}

func (revisionRow) TableName() string { return "revisions" }

// change is the stored form of a field change.
type change struct {
	From any `json:"from"`
	To   any `json:"to"`
}

// snapshot is the stored form of an entity in a revision. Its JSON names
// are a storage format: never rename one, add new ones.
type snapshot struct {
	ID            string    `json:"id"`
	Slug          string    `json:"slug"`
	Name          string    `json:"name"`
	NameEn        string    `json:"name_en,omitempty"`
	Kind          string    `json:"kind"`
	Sectors       []string  `json:"sectors"`
	Description   string    `json:"description,omitempty"`
	DescriptionEn string    `json:"description_en,omitempty"`
	Street        string    `json:"street,omitempty"`
	WardCode      string    `json:"ward_code,omitempty"`
	City          string    `json:"city,omitempty"`
	Location      *point    `json:"location,omitempty"`
	Website       string    `json:"website,omitempty"`
	Email         string    `json:"email,omitempty"`
	Phone         string    `json:"phone,omitempty"`
	Links         []string  `json:"links,omitempty"`
	FoundedYear   *int      `json:"founded_year,omitempty"`
	Status        string    `json:"status"`
	Version       int       `json:"version"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`

	// Added with images (migration 0009).
	storedImages
}

// point is the stored form of a location.
type point struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

func toRevisionRow(rev registry.Revision) revisionRow {
	changes := make(map[string]change, len(rev.Changes))
	for k, c := range rev.Changes {
		changes[k] = change{From: c.From, To: c.To}
	}
	e := rev.Snapshot
	s := snapshot{
		ID: e.ID, Slug: e.Slug, Name: e.Name, NameEn: e.NameEn, Kind: e.Kind, Sectors: e.Sectors,
		Description: e.Description, DescriptionEn: e.DescriptionEn,
		Street: e.Address.Street, WardCode: e.Address.WardCode, City: e.Address.City,
		Website: e.Contact.Website, Email: e.Contact.Email, Phone: e.Contact.Phone,
		Links: e.Links, FoundedYear: e.FoundedYear, Status: string(e.Status), Version: e.Version,
		CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt, storedImages: toStoredImages(e),
	}
	if e.Location != nil {
		s.Location = &point{Lat: e.Location.Lat, Lon: e.Location.Lon}
	}
	cj, _ := json.Marshal(changes) // values are JSON-shaped: strings, lists, numbers, maps
	sj, _ := json.Marshal(s)
	return revisionRow{EntityID: rev.EntityID, Version: rev.Version, Seq: rev.Seq, Slug: e.Slug, Action: string(rev.Action),
		Actor: rev.Actor, At: rev.At.UTC(), Changes: string(cj), Snapshot: string(sj)}
}

func (db *DB) revision(r revisionRow, withSnapshot bool) (registry.Revision, error) {
	rev := registry.Revision{EntityID: r.EntityID, Version: r.Version, Seq: r.Seq,
		Action: registry.Action(r.Action), Actor: r.Actor, At: r.At.UTC()}
	var changes map[string]change
	if err := json.Unmarshal([]byte(r.Changes), &changes); err != nil {
		return rev, err
	}
	rev.Changes = make(map[string]registry.FieldChange, len(changes))
	for k, c := range changes {
		rev.Changes[k] = registry.FieldChange{From: c.From, To: c.To}
	}
	if !withSnapshot {
		return rev, nil
	}
	var s snapshot
	if err := json.Unmarshal([]byte(r.Snapshot), &s); err != nil {
		return rev, err
	}
	e := registry.Entity{
		ID: s.ID, Slug: s.Slug, Name: s.Name, NameEn: s.NameEn, Kind: s.Kind, Sectors: s.Sectors,
		Description: s.Description, DescriptionEn: s.DescriptionEn,
		Address: registry.Address{Street: s.Street, WardCode: s.WardCode, City: s.City},
		Contact: registry.Contact{Website: s.Website, Email: s.Email, Phone: s.Phone},
		Links:   s.Links, FoundedYear: s.FoundedYear, Status: registry.Status(s.Status), Version: s.Version,
		CreatedAt: s.CreatedAt.UTC(), UpdatedAt: s.UpdatedAt.UTC(),
	}
	if s.Location != nil {
		e.Location = &registry.Location{Lat: s.Location.Lat, Lon: s.Location.Lon}
	}
	e.Logo, e.Photos = s.storedImages.images()
	if w, ok := db.wards.ByCode(s.WardCode); ok {
		e.Address.Ward = w.Name
	}
	rev.Snapshot = e
	return rev, nil
}
