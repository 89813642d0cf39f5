package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// listSectors lists the sectors.
//
//	@Summary		List sectors
//	@Description	The cultural-industry sectors, in their fixed display order, each with the number of active entities in it.
//	@Tags			reference
//	@Produce		json
//	@Success		200	{object}	SectorList
//	@Failure		503	{object}	Problem	"database unavailable"
//	@Failure		401	{object}	Problem	"bad or revoked API key (reads need none)"
//	@Failure		429	{object}	Problem	"rate limited (see Retry-After)"
//	@Router			/v1/sectors [get]
func (s *Server) listSectors(c echo.Context) error {
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
//	@Tags			reference
//	@Produce		json
//	@Param			slug	path		string	true	"sector slug"	example(crafts)
//	@Success		200		{object}	Sector
//	@Failure		404		{object}	Problem	"no such sector"
//	@Failure		503		{object}	Problem	"database unavailable"
//	@Failure		401	{object}	Problem	"bad or revoked API key (reads need none)"
//	@Failure		429	{object}	Problem	"rate limited (see Retry-After)"
//	@Router			/v1/sectors/{slug} [get]
func (s *Server) getSector(c echo.Context) error {
	sec, err := s.svc.Sector(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sectorDTO(sec))
}

// listKinds lists the kinds of entity.
//
//	@Summary		List kinds
//	@Description	The seven kinds of entity, in display order.
//	@Tags			reference
//	@Produce		json
//	@Success		200	{object}	KindList
//	@Failure		503	{object}	Problem	"database unavailable"
//	@Failure		401	{object}	Problem	"bad or revoked API key (reads need none)"
//	@Failure		429	{object}	Problem	"rate limited (see Retry-After)"
//	@Router			/v1/kinds [get]
func (s *Server) listKinds(c echo.Context) error {
	kinds, err := s.svc.Store().Kinds(c.Request().Context())
	if err != nil {
		return err
	}
	out := KindList{Data: make([]Kind, len(kinds))}
	for i, k := range kinds {
		out.Data[i] = Kind{Slug: k.Slug, Name: k.Name, NameEn: k.NameEn}
	}
	return c.JSON(http.StatusOK, out)
}

// listWards lists Hà Nội's wards and communes.
//
//	@Summary		List wards
//	@Description	Hà Nội's 126 commune-level units (51 phường, 75 xã) after the 1 July 2025 reform. An address's ward may be given by name, with or without diacritics, or by code. Data: thanglequoc/vietnamese-provinces-database (MIT).
//	@Tags			reference
//	@Produce		json
//	@Success		200	{object}	WardList
//	@Failure		401	{object}	Problem	"bad or revoked API key (reads need none)"
//	@Failure		429	{object}	Problem	"rate limited (see Retry-After)"
//	@Router			/v1/wards [get]
func (s *Server) listWards(c echo.Context) error {
	all := s.svc.Wards().All()
	out := WardList{Data: make([]Ward, len(all))}
	for i, w := range all {
		out.Data[i] = wardDTO(w)
	}
	return c.JSON(http.StatusOK, out)
}
