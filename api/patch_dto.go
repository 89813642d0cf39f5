package api

// The bodies of PATCH as the OpenAPI document describes them. A PATCH body
// is a JSON merge patch (RFC 7396), applied to the stored resource as its
// create body would recreate it (EntityInput, SectorInput) and then checked
// as a create body is: so nothing in a patch is required, and null removes
// a field. The handlers apply the patch to the raw JSON and never decode
// into these types; they exist so that generated clients get a PATCH type
// whose fields are all optional (patch_dto_test.go keeps their fields those
// of the create bodies).

// EntityPatch is a JSON merge patch of an entity: only the fields to change.
// A field given replaces the stored value, null removes it (name, kind and
// sectors cannot be removed), nested objects (address, location, contact)
// merge field by field, and lists (sectors, links) are replaced whole.
type EntityPatch struct {
	// null derives the slug from the name again.
	Slug          *string        `json:"slug,omitempty" extensions:"x-nullable" example:"xuong-gom-bat-trang"`
	Name          *string        `json:"name,omitempty" example:"Xưởng Gốm Bát Tràng"`
	NameEn        *string        `json:"name_en,omitempty" extensions:"x-nullable" example:"Bat Trang Pottery Workshop"`
	Kind          *string        `json:"kind,omitempty" example:"artisan"`
	Sectors       []string       `json:"sectors,omitempty" example:"crafts,design"`
	Description   *string        `json:"description,omitempty" extensions:"x-nullable" example:"Xưởng gốm thủ công gia truyền."`
	DescriptionEn *string        `json:"description_en,omitempty" extensions:"x-nullable" example:"A family pottery workshop."`
	Address       *AddressPatch  `json:"address,omitempty" extensions:"x-nullable"`
	Location      *LocationPatch `json:"location,omitempty" extensions:"x-nullable"`
	Contact       *ContactPatch  `json:"contact,omitempty" extensions:"x-nullable"`
	Links         []string       `json:"links,omitempty" extensions:"x-nullable" example:"https://www.facebook.com/gombattrang"`
	FoundedYear   *int           `json:"founded_year,omitempty" extensions:"x-nullable" example:"1998"`
} // @name EntityPatch

// AddressPatch changes some fields of an address; null removes one.
type AddressPatch struct {
	Street *string `json:"street,omitempty" extensions:"x-nullable" example:"Thôn 3"`
	Ward   *string `json:"ward,omitempty" extensions:"x-nullable" example:"Bat Trang"`
	City   *string `json:"city,omitempty" extensions:"x-nullable" example:"Hà Nội"`
} // @name AddressPatch

// LocationPatch moves a point; the merged location must have both lat and lon.
type LocationPatch struct {
	Lat *float64 `json:"lat,omitempty" example:"20.9750"`
	Lon *float64 `json:"lon,omitempty" example:"105.9120"`
} // @name LocationPatch

// ContactPatch changes some contact details; null removes one.
type ContactPatch struct {
	Website *string `json:"website,omitempty" extensions:"x-nullable" example:"https://gombattrang.vn"`
	Email   *string `json:"email,omitempty" extensions:"x-nullable" example:"lienhe@gombattrang.vn"`
	Phone   *string `json:"phone,omitempty" extensions:"x-nullable" example:"024 3874 0123"`
} // @name ContactPatch

// SectorPatch is a JSON merge patch of a sector: only the fields to change.
// The slug cannot change; null removes a description (name and name_en
// cannot be removed).
type SectorPatch struct {
	Name          *string `json:"name,omitempty" example:"Kiến trúc"`
	NameEn        *string `json:"name_en,omitempty" example:"Architecture"`
	Description   *string `json:"description,omitempty" extensions:"x-nullable" example:"Thiết kế và xây dựng công trình."`
	DescriptionEn *string `json:"description_en,omitempty" extensions:"x-nullable" example:"Designing and building."`
	// true retires the sector, false brings it back.
	Retired *bool `json:"retired,omitempty" example:"true"`
} // @name SectorPatch
