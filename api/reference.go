package api

import (
	"bytes"
	"encoding/json"
	"net/http"

	jsonpatch "github.com/evanphx/json-patch/v5"
	"github.com/labstack/echo/v4"

	"github.com/hanoicreative/registry/internal/registry"
)

// listSectors lists the sectors.
//
//	@Summary		List sectors
//	@ID			listSectors
//	@Description	The cultural-industry sectors, in their fixed display order, each with the number of active entities in it.
//	@Tags			reference
//	@Produce		json
//	@Param			If-None-Match	header		string		false	"the ETag of the answer you have: 304 while it is unchanged"	example(W/"3f2a9c")
//	@Success		200	{object}	SectorList
//	@Success		304	"not modified: the answer you have (If-None-Match) is current"
//	@Header			200,304	{string}	ETag			"an entity tag of this answer, for If-None-Match"
//	@Header			200,304	{string}	Cache-Control	"how long shared and private caches may reuse the answer before revalidating it"
//	@Failure		503	{object}	Problem	"database unavailable, or the server too busy to compute the answer before REQUEST_TIMEOUT"
//	@Failure		401	{object}	Problem	"bad or revoked API key (reads need none)"
//	@Failure		429	{object}	Problem	"rate limited (see Retry-After)"
//	@Router			/v1/sectors [get]
func (s *Server) listSectors(c echo.Context) error {
	return s.serveRead(c, cacheKey(c), false, s.writeSectors)
}

func (s *Server) writeSectors(c echo.Context) error {
	sectors, err := s.svc.Sectors(c.Request().Context())
	if err != nil {
		return err
	}
	out := SectorList{Data: make([]Sector, len(sectors))}
	for i, sec := range sectors {
		out.Data[i] = sectorDTO(sec)
	}
	return c.JSON(http.StatusOK, out)
}

// getSector returns one sector.
//
//	@Summary		Get a sector
//	@ID			getSector
//	@Tags			reference
//	@Produce		json
//	@Param			slug	path		string	true	"sector slug"	example(crafts)
//	@Param			If-None-Match	header		string		false	"the ETag of the answer you have: 304 while it is unchanged"	example(W/"3f2a9c")
//	@Success		200		{object}	Sector
//	@Success		304	"not modified: the answer you have (If-None-Match) is current"
//	@Header			200,304	{string}	ETag			"an entity tag of this answer, for If-None-Match"
//	@Header			200,304	{string}	Cache-Control	"how long shared and private caches may reuse the answer before revalidating it"
//	@Failure		404		{object}	Problem	"no such sector"
//	@Failure		503		{object}	Problem	"database unavailable, or the server too busy to compute the answer before REQUEST_TIMEOUT"
//	@Failure		401	{object}	Problem	"bad or revoked API key (reads need none)"
//	@Failure		429	{object}	Problem	"rate limited (see Retry-After)"
//	@Router			/v1/sectors/{slug} [get]
func (s *Server) getSector(c echo.Context) error {
	return s.serveRead(c, cacheKey(c), false, func(c echo.Context) error {
		sec, err := s.svc.Sector(c.Request().Context(), c.Param("slug"))
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, sectorDTO(sec))
	})
}

// listKinds lists the kinds of entity.
//
//	@Summary		List kinds
//	@ID			listKinds
//	@Description	The seven kinds of entity, in display order.
//	@Tags			reference
//	@Produce		json
//	@Param			If-None-Match	header		string		false	"the ETag of the answer you have: 304 while it is unchanged"	example(W/"3f2a9c")
//	@Success		200	{object}	KindList
//	@Success		304	"not modified: the answer you have (If-None-Match) is current"
//	@Header			200,304	{string}	ETag			"an entity tag of this answer, for If-None-Match"
//	@Header			200,304	{string}	Cache-Control	"how long shared and private caches may reuse the answer before revalidating it"
//	@Failure		503	{object}	Problem	"database unavailable, or the server too busy to compute the answer before REQUEST_TIMEOUT"
//	@Failure		401	{object}	Problem	"bad or revoked API key (reads need none)"
//	@Failure		429	{object}	Problem	"rate limited (see Retry-After)"
//	@Router			/v1/kinds [get]
func (s *Server) listKinds(c echo.Context) error {
	return s.serveRead(c, cacheKey(c), false, func(c echo.Context) error {
		kinds, err := s.svc.Store().Kinds(c.Request().Context())
		if err != nil {
			return err
		}
		out := KindList{Data: make([]Kind, len(kinds))}
		for i, k := range kinds {
			out.Data[i] = Kind{Slug: k.Slug, Name: k.Name, NameEn: k.NameEn}
		}
		return c.JSON(http.StatusOK, out)
	})
}

// listWards lists Hà Nội's wards and communes.
//
//	@Summary		List wards
//	@ID			listWards
//	@Description	Hà Nội's 126 commune-level units (51 phường, 75 xã) after the 1 July 2025 reform. An address's ward may be given by name, with or without diacritics, or by code. Data: thanglequoc/vietnamese-provinces-database (MIT).
//	@Tags			reference
//	@Produce		json
//	@Param			If-None-Match	header		string		false	"the ETag of the answer you have: 304 while it is unchanged"	example(W/"3f2a9c")
//	@Success		200	{object}	WardList
//	@Success		304	"not modified: the answer you have (If-None-Match) is current"
//	@Header			200,304	{string}	ETag			"an entity tag of this answer, for If-None-Match"
//	@Header			200,304	{string}	Cache-Control	"how long shared and private caches may reuse the answer before revalidating it"
//	@Failure		401	{object}	Problem	"bad or revoked API key (reads need none)"
//	@Failure		429	{object}	Problem	"rate limited (see Retry-After)"
//	@Router			/v1/wards [get]
func (s *Server) listWards(c echo.Context) error {
	all := s.svc.Wards().All()
	out := WardList{Data: make([]Ward, len(all))}
	for i, w := range all {
		out.Data[i] = wardDTO(w)
	}
	// The wards are built into the binary, not in the database: their
	// tag is of their content, and they answer without the database.
	var body bytes.Buffer
	if err := writeJSON(&body, out); err != nil {
		return err
	}
	return serveStatic(c, body.Bytes())
}

// SectorInput is a sector as an admin writes it (POST), and the document a
// merge patch (PATCH) applies to.
type SectorInput struct {
	// Lower-case ASCII words joined by "-"; cannot change once made.
	Slug          string `json:"slug,omitempty" example:"architecture" maxLength:"50"`
	Name          string `json:"name" example:"Kiến trúc" binding:"required" maxLength:"200"`
	NameEn        string `json:"name_en" example:"Architecture" binding:"required" maxLength:"200"`
	Description   string `json:"description,omitempty" maxLength:"5000"`
	DescriptionEn string `json:"description_en,omitempty" maxLength:"5000"`
	// A retired sector stays on the entities that have it but is not given to others.
	Retired bool `json:"retired,omitempty" example:"false"`
} // @name SectorInput

func (in SectorInput) draft() registry.SectorDraft {
	return registry.SectorDraft{Slug: in.Slug, Name: in.Name, NameEn: in.NameEn,
		Description: in.Description, DescriptionEn: in.DescriptionEn, Retired: in.Retired}
}

// createSector adds a sector.
//
//	@Summary		Add a sector
//	@ID			createSector
//	@Description	Adds a sector after the others. Admin only.
//	@Tags			reference
//	@Accept			json
//	@Produce		json
//	@Security		BearerKey
//	@Param			sector	body		SectorInput	true	"the sector"
//	@Success		201		{object}	Sector
//	@Header			201		{string}	Location	"/v1/sectors/{slug}"
//	@Failure		400		{object}	Problem	"malformed JSON"
//	@Failure		401		{object}	Problem	"no, bad or revoked API key"
//	@Failure		403		{object}	Problem	"not an admin key"
//	@Failure		409		{object}	Problem	"slug taken"
//	@Failure		413		{object}	Problem	"body over 1 MiB"
//	@Failure		415		{object}	Problem	"Content-Type is not application/json"
//	@Failure		422		{object}	Problem	"invalid fields"
//	@Failure		429		{object}	Problem	"rate limited (see Retry-After)"
//	@Failure		503		{object}	Problem	"database unavailable"
//	@Router			/v1/sectors [post]
func (s *Server) createSector(c echo.Context) error {
	body, err := readJSONBody(c, "application/json")
	if err != nil {
		return err
	}
	var in SectorInput
	ferrs, err := decodeObject(body, &in)
	if err != nil {
		return err
	}
	if len(ferrs) > 0 {
		_, domainErrs := registry.ParseSector(in.draft())
		return registry.Invalid(registry.MergeFieldErrors(ferrs, domainErrs))
	}
	sec, err := s.svc.CreateSector(c.Request().Context(), in.draft())
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/sectors/"+sec.Slug)
	return c.JSON(http.StatusCreated, sectorDTO(sec))
}

// patchSector renames, re-describes or retires a sector.
//
//	@Summary		Change a sector
//	@ID			patchSector
//	@Description	Applies a JSON merge patch (RFC 7396), with only the fields to change: rename, describe, retire (`"retired": true`) or bring back a sector. The slug cannot change. Admin only.
//	@Tags			reference
//	@Accept			json
//	@Accept			application/merge-patch+json
//	@Produce		json
//	@Security		BearerKey
//	@Param			slug	path		string		true	"sector slug"	example(crafts)
//	@Param			patch	body		SectorPatch	true	"a JSON merge patch: only the fields to change, null to remove one"
//	@Success		200		{object}	Sector
//	@Failure		400		{object}	Problem	"malformed JSON"
//	@Failure		401		{object}	Problem	"no, bad or revoked API key"
//	@Failure		403		{object}	Problem	"not an admin key"
//	@Failure		404		{object}	Problem	"no such sector"
//	@Failure		413		{object}	Problem	"body over 1 MiB"
//	@Failure		415		{object}	Problem	"Content-Type is not JSON or merge patch"
//	@Failure		422		{object}	Problem	"invalid fields"
//	@Failure		429		{object}	Problem	"rate limited (see Retry-After)"
//	@Failure		503		{object}	Problem	"database unavailable"
//	@Router			/v1/sectors/{slug} [patch]
func (s *Server) patchSector(c echo.Context) error {
	body, err := readJSONBody(c, "application/merge-patch+json", "application/json")
	if err != nil {
		return err
	}
	if _, err := parseObject(body); err != nil {
		return err
	}
	patchErrs, _ := decodeObject(body, &SectorInput{})
	sec, err := s.svc.UpdateSector(c.Request().Context(), c.Param("slug"), func(cur registry.Sector) (registry.SectorDraft, []registry.FieldError) {
		d := cur.Draft()
		base, _ := json.Marshal(SectorInput{Slug: d.Slug, Name: d.Name, NameEn: d.NameEn, Description: d.Description, DescriptionEn: d.DescriptionEn, Retired: d.Retired})
		merged, err := jsonpatch.MergePatch(base, body)
		if err != nil {
			return d, []registry.FieldError{{Field: "", Code: "patch", Message: "the merge patch cannot be applied."}}
		}
		var in SectorInput
		ferrs, _ := decodeObject(merged, &in)
		if in.Slug != cur.Slug {
			ferrs = append(ferrs, registry.FieldError{Field: "slug", Code: "read_only", Message: "a sector's slug cannot change: entities refer to it."})
		}
		return in.draft(), registry.MergeFieldErrors(patchErrs, ferrs)
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sectorDTO(sec))
}

// deleteSector removes an unused sector.
//
//	@Summary		Delete a sector
//	@ID			deleteSector
//	@Description	Removes a sector that no entity (active or archived) has ever been given; one in use is a 409: retire it instead. Admin only.
//	@Tags			reference
//	@Security		BearerKey
//	@Param			slug	path	string	true	"sector slug"	example(architecture)
//	@Success		204		"deleted"
//	@Failure		401		{object}	Problem	"no, bad or revoked API key"
//	@Failure		403		{object}	Problem	"not an admin key"
//	@Failure		404		{object}	Problem	"no such sector"
//	@Failure		409		{object}	Problem	"the sector is in use"
//	@Failure		429		{object}	Problem	"rate limited (see Retry-After)"
//	@Failure		503		{object}	Problem	"database unavailable"
//	@Router			/v1/sectors/{slug} [delete]
func (s *Server) deleteSector(c echo.Context) error {
	if err := s.svc.DeleteSector(c.Request().Context(), c.Param("slug")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
