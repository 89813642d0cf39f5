package api

import (
	"time"

	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/wards"
)

// Entity is a member of Hà Nội's creative community, as clients read it.
// Absent optional values are null; lists are [] when empty.
type Entity struct {
	ID            string    `json:"id" example:"0193b0c4-5d1e-7c2a-9f00-3c1d2e4f5a6b" format:"uuid"`
	Slug          string    `json:"slug" example:"xuong-gom-bat-trang"`
	Name          string    `json:"name" example:"Xưởng Gốm Bát Tràng"`
	NameEn        *string   `json:"name_en" example:"Bat Trang Pottery Workshop"`
	Kind          string    `json:"kind" example:"artisan"`
	Sectors       []string  `json:"sectors" example:"crafts,design"`
	Description   *string   `json:"description" example:"Xưởng gốm thủ công gia truyền."`
	DescriptionEn *string   `json:"description_en" example:"A family pottery workshop."`
	Address       Address   `json:"address"`
	Location      *Location `json:"location"`
	Contact       Contact   `json:"contact"`
	Links         []string  `json:"links" example:"https://www.facebook.com/gombattrang"`
	FoundedYear   *int      `json:"founded_year" example:"1998"`
	Logo          *Image    `json:"logo" extensions:"x-nullable"` // null without one
	Photos        []Photo   `json:"photos"`                       // at most 12, in the order added; [] without any
	Status        string    `json:"status" enums:"active,archived" example:"active"`
	Version       int       `json:"version" example:"3"`
	CreatedAt     time.Time `json:"created_at" example:"2026-11-20T08:30:00Z"`
	UpdatedAt     time.Time `json:"updated_at" example:"2026-11-22T10:15:00Z"`
} // @name Entity

// Address is where an entity is; ward is one of Hà Nội's 126 wards and communes.
type Address struct {
	Street   *string `json:"street" example:"Thôn 3"`
	Ward     *string `json:"ward" example:"Bát Tràng"`
	WardCode *string `json:"ward_code" example:"10015"`
	City     *string `json:"city" example:"Hà Nội"`
} // @name Address

// Location is a WGS 84 point in Hà Nội.
type Location struct {
	Lat float64 `json:"lat" example:"20.9750"`
	Lon float64 `json:"lon" example:"105.9120"`
} // @name Location

// Image is a logo or a photo: decoded and re-encoded (PNG stays PNG, JPEG
// stays JPEG, WebP becomes PNG if it has transparency, else JPEG), with no
// metadata kept. URLs are paths on this server, named by the file's
// content: what they serve never changes (cached for a year, immutable).
type Image struct {
	URL string `json:"url" example:"/media/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.jpg"`
	// In pixels.
	Width  int `json:"width" example:"1200"`
	Height int `json:"height" example:"800"`
	// The image 320 pixels wide (or the image itself when narrower), in the same format.
	ThumbnailURL string `json:"thumbnail_url" example:"/media/60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752.jpg"`
} // @name Image

// Photo is one of an entity's photos.
type Photo struct {
	// DELETE /v1/entities/{id}/photos/{photo_id} removes it.
	ID      string  `json:"id" example:"0193b0c4-9a31-7c2a-9f00-3c1d2e4f5a6b" format:"uuid"`
	Caption *string `json:"caption" extensions:"x-nullable" example:"Lò nung gốm"`
	URL     string  `json:"url" example:"/media/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.jpg"`
	Width   int     `json:"width" example:"1600"`
	Height  int     `json:"height" example:"1067"`
	// The photo 320 pixels wide (or the photo itself when narrower).
	ThumbnailURL string `json:"thumbnail_url" example:"/media/60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752.jpg"`
} // @name Photo

func imageDTO(img registry.Image) Image {
	return Image{URL: img.File.Path(), Width: img.Width, Height: img.Height, ThumbnailURL: img.Thumbnail.Path()}
}

func photoDTO(p registry.Photo) Photo {
	return Photo{ID: p.ID, Caption: nullable(p.Caption), URL: p.File.Path(), Width: p.Width, Height: p.Height,
		ThumbnailURL: p.Thumbnail.Path()}
}

// Contact holds public contact details.
type Contact struct {
	Website *string `json:"website" example:"https://gombattrang.vn"`
	Email   *string `json:"email" example:"lienhe@gombattrang.vn"`
	Phone   *string `json:"phone" example:"+84 24 3874 0123"`
} // @name Contact

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func entityDTO(e registry.Entity) Entity {
	out := Entity{
		ID: e.ID, Slug: e.Slug, Name: e.Name, NameEn: nullable(e.NameEn), Kind: e.Kind,
		Sectors: e.Sectors, Description: nullable(e.Description), DescriptionEn: nullable(e.DescriptionEn),
		Address: Address{Street: nullable(e.Address.Street), Ward: nullable(e.Address.Ward),
			WardCode: nullable(e.Address.WardCode), City: nullable(e.Address.City)},
		Contact: Contact{Website: nullable(e.Contact.Website), Email: nullable(e.Contact.Email),
			Phone: nullable(e.Contact.Phone)},
		Links: e.Links, FoundedYear: e.FoundedYear, Status: string(e.Status), Version: e.Version,
		CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC(),
	}
	if out.Sectors == nil {
		out.Sectors = []string{}
	}
	if out.Links == nil {
		out.Links = []string{}
	}
	if e.Location != nil {
		out.Location = &Location{Lat: e.Location.Lat, Lon: e.Location.Lon}
	}
	if e.Logo != nil {
		logo := imageDTO(*e.Logo)
		out.Logo = &logo
	}
	out.Photos = make([]Photo, len(e.Photos))
	for i, p := range e.Photos {
		out.Photos[i] = photoDTO(p)
	}
	return out
}

// EntityInput is an entity as a client writes it (POST), and the document a
// JSON merge patch (PATCH) is applied to. Read-only fields (id, version,
// status, created_at, updated_at, address.ward_code) and unknown fields are
// rejected. null and "" both mean "absent". Text must not hold control
// characters (descriptions may hold tabs and line breaks) nor invisible or
// text-direction characters (U+200B, U+2060, U+FEFF, U+202A–U+202E,
// U+2066–U+2069). The service checks every rule, whatever the front door.
type EntityInput struct {
	// Lower-case ASCII words joined by "-"; derived from name when absent. Must not look like a UUID.
	Slug string `json:"slug,omitempty" example:"xuong-gom-bat-trang" maxLength:"200"`
	// The name in Vietnamese, with diacritics.
	Name   string `json:"name" example:"Xưởng Gốm Bát Tràng" binding:"required" maxLength:"200"`
	NameEn string `json:"name_en,omitempty" example:"Bat Trang Pottery Workshop" maxLength:"200"`
	// A kind slug (GET /v1/kinds).
	Kind string `json:"kind" example:"artisan" binding:"required"`
	// 1 to 8 sector slugs (GET /v1/sectors), no duplicates.
	Sectors       []string       `json:"sectors" example:"crafts,design" binding:"required,min=1,max=8"`
	Description   string         `json:"description,omitempty" example:"Xưởng gốm thủ công gia truyền." maxLength:"5000"`
	DescriptionEn string         `json:"description_en,omitempty" example:"A family pottery workshop." maxLength:"5000"`
	Address       *AddressInput  `json:"address,omitempty"`
	Location      *LocationInput `json:"location,omitempty"`
	Contact       *ContactInput  `json:"contact,omitempty"`
	// At most 10 http(s) URLs (social pages), each given once.
	Links []string `json:"links,omitempty" example:"https://www.facebook.com/gombattrang" binding:"max=10,unique"`
	// 1000 to the current year.
	FoundedYear *int `json:"founded_year,omitempty" example:"1998" minimum:"1000"`
} // @name EntityInput

// AddressInput is an address as a client writes it.
type AddressInput struct {
	Street string `json:"street,omitempty" example:"Thôn 3" maxLength:"300"`
	// A ward's name, with or without diacritics, or its code (GET /v1/wards). Filled in from location when absent.
	Ward string `json:"ward,omitempty" example:"Bat Trang" maxLength:"100"`
	// Hà Nội (the default); other cities are rejected.
	City string `json:"city,omitempty" example:"Hà Nội" maxLength:"100"`
} // @name AddressInput

// LocationInput is a point: within 100 m of Hà Nội's wards, and of address.ward when given.
type LocationInput struct {
	Lat *float64 `json:"lat" example:"20.9750" binding:"required" minimum:"-90" maximum:"90"`
	Lon *float64 `json:"lon" example:"105.9120" binding:"required" minimum:"-180" maximum:"180"`
} // @name LocationInput

// ContactInput holds contact details as a client writes them.
type ContactInput struct {
	Website string `json:"website,omitempty" example:"https://gombattrang.vn" maxLength:"2000"`
	Email   string `json:"email,omitempty" example:"lienhe@gombattrang.vn" maxLength:"254"`
	// Vietnamese forms are accepted (024 3874 0123, 0912.345.678, +84 912 345 678) and stored in international format.
	Phone string `json:"phone,omitempty" example:"024 3874 0123" maxLength:"40"`
} // @name ContactInput

// readOnlyFields may appear in what clients read but never in what they write.
var readOnlyFields = map[string]bool{
	"id": true, "version": true, "status": true, "created_at": true, "updated_at": true,
	"address.ward_code": true, "logo": true, "photos": true,
}

// shapeErrors reports a location with only one of its coordinates: the
// draft can only carry a whole point. Every other rule is the domain's.
func (in EntityInput) shapeErrors() []registry.FieldError {
	var errs []registry.FieldError
	if l := in.Location; l != nil {
		for name, v := range map[string]*float64{"location.lat": l.Lat, "location.lon": l.Lon} {
			if v == nil {
				errs = append(errs, registry.Fieldf(name, "required", "%s is required: a location has both lat and lon.", name))
			}
		}
	}
	return errs
}

// draft converts the input into the domain's draft.
func (in EntityInput) draft() registry.EntityDraft {
	d := registry.EntityDraft{
		Slug: in.Slug, Name: in.Name, NameEn: in.NameEn, Kind: in.Kind, Sectors: in.Sectors,
		Description: in.Description, DescriptionEn: in.DescriptionEn,
		Links: in.Links, FoundedYear: in.FoundedYear,
	}
	if a := in.Address; a != nil {
		d.Street, d.Ward, d.City = a.Street, a.Ward, a.City
	}
	if l := in.Location; l != nil && l.Lat != nil && l.Lon != nil {
		d.Location = &registry.Location{Lat: *l.Lat, Lon: *l.Lon}
	}
	if c := in.Contact; c != nil {
		d.Website, d.Email, d.Phone = c.Website, c.Email, c.Phone
	}
	return d
}

// entityInput is the input that would recreate an entity: what a merge
// patch applies to.
func entityInput(e registry.Entity) EntityInput { return inputFromDraft(e.Draft()) }

// inputFromDraft is the input a draft would come from.
func inputFromDraft(d registry.EntityDraft) EntityInput {
	in := EntityInput{
		Slug: d.Slug, Name: d.Name, NameEn: d.NameEn, Kind: d.Kind, Sectors: d.Sectors,
		Description: d.Description, DescriptionEn: d.DescriptionEn, Links: d.Links, FoundedYear: d.FoundedYear,
	}
	if d.Street != "" || d.Ward != "" || d.City != "" {
		in.Address = &AddressInput{Street: d.Street, Ward: d.Ward, City: d.City}
	}
	if d.Location != nil {
		lat, lon := d.Location.Lat, d.Location.Lon
		in.Location = &LocationInput{Lat: &lat, Lon: &lon}
	}
	if d.Website != "" || d.Email != "" || d.Phone != "" {
		in.Contact = &ContactInput{Website: d.Website, Email: d.Email, Phone: d.Phone}
	}
	return in
}

// Sector is a cultural-industry sector.
type Sector struct {
	Slug          string  `json:"slug" example:"crafts"`
	Name          string  `json:"name" example:"Thủ công mỹ nghệ"`
	NameEn        string  `json:"name_en" example:"Handicrafts"`
	Description   *string `json:"description" example:"Gốm, sơn mài, mây tre đan và các nghề thủ công."`
	DescriptionEn *string `json:"description_en" example:"Ceramics, lacquer, bamboo and rattan, and other crafts."`
	// Active entities in the sector.
	EntityCount int `json:"entity_count" example:"42"`
	// A retired sector stays on the entities that have it but is not given to others.
	Retired bool `json:"retired" example:"false"`
} // @name Sector

func sectorDTO(s registry.Sector) Sector {
	return Sector{Slug: s.Slug, Name: s.Name, NameEn: s.NameEn, Description: nullable(s.Description),
		DescriptionEn: nullable(s.DescriptionEn), EntityCount: s.EntityCount, Retired: s.Retired}
}

// Kind is a kind of entity.
type Kind struct {
	Slug   string `json:"slug" example:"artisan"`
	Name   string `json:"name" example:"Nghệ nhân"`
	NameEn string `json:"name_en" example:"Artisan"`
} // @name Kind

// Ward is one of Hà Nội's 126 wards and communes.
type Ward struct {
	Code   string `json:"code" example:"00070"`
	Name   string `json:"name" example:"Hoàn Kiếm"`
	NameEn string `json:"name_en" example:"Hoan Kiem"`
} // @name Ward

func wardDTO(w wards.Ward) Ward { return Ward{Code: w.Code, Name: w.Name, NameEn: w.NameEn} }

// Revision is one change of an entity.
type Revision struct {
	Version int    `json:"version" example:"2"`
	Action  string `json:"action" enums:"created,updated,archived,restored" example:"updated"`
	// The name of the API key that made the change.
	Actor string    `json:"actor" example:"so-van-hoa-editor"`
	At    time.Time `json:"at" example:"2026-11-22T10:15:00Z"`
	// Field → {from, to}; nested fields are dotted (contact.email).
	Changes map[string]FieldChange `json:"changes"`
} // @name Revision

// FieldChange is a field's value before and after a change (null: absent).
type FieldChange struct {
	From any `json:"from"`
	To   any `json:"to"`
} // @name FieldChange

func revisionDTO(r registry.Revision) Revision {
	changes := make(map[string]FieldChange, len(r.Changes))
	for k, c := range r.Changes {
		changes[k] = FieldChange{From: c.From, To: c.To}
	}
	return Revision{Version: r.Version, Action: string(r.Action), Actor: r.Actor, At: r.At.UTC(), Changes: changes}
}

// PageInfo describes a page of a listing.
type PageInfo struct {
	Limit int `json:"limit" example:"20"`
	// Pass as cursor to get the next page; null on the last page.
	NextCursor *string `json:"next_cursor" example:"eyJmIjoiYWJjIiwiayI6WyJ4Il0sImkiOiIwMTkzIn0"`
	// The exact number of entities matching the filters.
	Total int `json:"total" example:"137"`
} // @name PageInfo

// EntityList is a page of entities.
type EntityList struct {
	Data []Entity `json:"data"`
	Page PageInfo `json:"page"`
	// Counts over the whole filtered set, by dimension then value (only when asked for with facets).
	Facets map[string]map[string]int `json:"facets,omitempty"`
} // @name EntityList

// SectorList is every sector.
type SectorList struct {
	Data []Sector `json:"data"`
} // @name SectorList

// KindList is every kind.
type KindList struct {
	Data []Kind `json:"data"`
} // @name KindList

// WardList is every ward.
type WardList struct {
	Data []Ward `json:"data"`
} // @name WardList

// RevisionList is an entity's history, newest first.
type RevisionList struct {
	Data []Revision `json:"data"`
} // @name RevisionList
