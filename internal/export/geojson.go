package export

import (
	"context"
	"encoding/json"
	"io"
	"time"

	"github.com/hanoicreative/registry/internal/registry"
)

// feature is a GeoJSON Feature: the entity's location as a point ([lon,
// lat], as GeoJSON orders them) and its other fields as properties.
type feature struct {
	Type       string     `json:"type"`
	ID         string     `json:"id"`
	Geometry   point      `json:"geometry"`
	Properties properties `json:"properties"`
}

type point struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"`
}

// properties are an entity's fields but its location (the geometry), as
// the API's JSON has them: absent optional values null, lists [] when
// empty. The API's tests check that the two stay alike. LogoURL repeats
// the logo's path flat (null without one) for map tools that read flat
// properties.
type properties struct {
	ID            string    `json:"id"`
	Slug          string    `json:"slug"`
	Name          string    `json:"name"`
	NameEn        *string   `json:"name_en"`
	Kind          string    `json:"kind"`
	Sectors       []string  `json:"sectors"`
	Description   *string   `json:"description"`
	DescriptionEn *string   `json:"description_en"`
	Address       address   `json:"address"`
	Contact       contact   `json:"contact"`
	Links         []string  `json:"links"`
	FoundedYear   *int      `json:"founded_year"`
	Status        string    `json:"status"`
	Version       int       `json:"version"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
	Logo          *image    `json:"logo"`
	Photos        []photo   `json:"photos"`
	LogoURL       *string   `json:"logo_url"`
}

type image struct {
	URL          string `json:"url"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	ThumbnailURL string `json:"thumbnail_url"`
}

type photo struct {
	ID           string  `json:"id"`
	Caption      *string `json:"caption"`
	URL          string  `json:"url"`
	Width        int     `json:"width"`
	Height       int     `json:"height"`
	ThumbnailURL string  `json:"thumbnail_url"`
}

type address struct {
	Street   *string `json:"street"`
	Ward     *string `json:"ward"`
	WardCode *string `json:"ward_code"`
	City     *string `json:"city"`
}

type contact struct {
	Website *string `json:"website"`
	Email   *string `json:"email"`
	Phone   *string `json:"phone"`
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func propertiesOf(e registry.Entity) properties {
	p := properties{
		ID: e.ID, Slug: e.Slug, Name: e.Name, NameEn: nullable(e.NameEn), Kind: e.Kind,
		Sectors: e.Sectors, Description: nullable(e.Description), DescriptionEn: nullable(e.DescriptionEn),
		Address: address{Street: nullable(e.Address.Street), Ward: nullable(e.Address.Ward),
			WardCode: nullable(e.Address.WardCode), City: nullable(e.Address.City)},
		Contact: contact{Website: nullable(e.Contact.Website), Email: nullable(e.Contact.Email),
			Phone: nullable(e.Contact.Phone)},
		Links: e.Links, FoundedYear: e.FoundedYear, Status: string(e.Status), Version: e.Version,
		CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC(),
	}
	if e.Logo != nil {
		p.Logo = &image{URL: e.Logo.File.Path(), Width: e.Logo.Width, Height: e.Logo.Height,
			ThumbnailURL: e.Logo.Thumbnail.Path()}
		p.LogoURL = nullable(e.Logo.File.Path())
	}
	p.Photos = make([]photo, len(e.Photos))
	for i, ph := range e.Photos {
		p.Photos[i] = photo{ID: ph.ID, Caption: nullable(ph.Caption), URL: ph.File.Path(), Width: ph.Width,
			Height: ph.Height, ThumbnailURL: ph.Thumbnail.Path()}
	}
	if p.Sectors == nil {
		p.Sectors = []string{}
	}
	if p.Links == nil {
		p.Links = []string{}
	}
	return p
}

// writeGeoJSON writes a FeatureCollection of the entities that have a
// location, one feature a line.
func writeGeoJSON(ctx context.Context, w io.Writer, src Source, q registry.ListQuery) error {
	if _, err := w.Write([]byte(`{"type":"FeatureCollection","features":[`)); err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	n := 0
	err := src.ExportEntities(ctx, q, func(e registry.Entity) error {
		if e.Location == nil {
			return nil
		}
		if n > 0 {
			if _, err := w.Write([]byte{','}); err != nil {
				return err
			}
		}
		n++
		f := feature{Type: "Feature", ID: e.ID,
			Geometry:   point{Type: "Point", Coordinates: [2]float64{e.Location.Lon, e.Location.Lat}},
			Properties: propertiesOf(e)}
		if n%registry.ExportBatch == 0 {
			flush(w)
		}
		return enc.Encode(f)
	})
	if err != nil {
		return err
	}
	_, err = w.Write([]byte("]}\n"))
	return err
}
