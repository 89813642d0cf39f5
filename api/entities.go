package api

import (
	"context"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	jsonpatch "github.com/evanphx/json-patch/v5"
	"github.com/labstack/echo/v4"

	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/registry"
)

// listEntities lists active entities, filtered, searched, sorted and paged.
//
//	@Summary		List entities
//	@ID			listEntities
//	@x-key-optional	true
//	@Description	Lists active entities (archived or all with an editor key), with every filter combinable. `q` searches name, name_en, description and ward name, case- and diacritics-insensitively ("hoan kiem" finds "Hoàn Kiếm", "do thu" finds "đồ thủ"); every word must occur. With `q` and no `sort` the order is relevance (all words in the name first), then folded name, then id.
//	@Description	Paging is by keyset: pass `next_cursor` as `cursor` for the next page (also given as an RFC 8288 `Link: <...>; rel="next"` header). `total` is the exact size of the filtered set. Unknown query parameters are rejected (400), so a typo never silently returns everything.
//	@Description	Exports for researchers: `Accept: text/csv` (or `format=csv`) streams every matching entity as CSV (UTF-8, a byte-order mark unless `bom=false`, a header row, sectors joined with `;`, links with a space; cells that a spreadsheet would run as formulas are prefixed with an apostrophe, which imports remove; `csv=raw` gives programs such as pandas or R every cell exactly as stored, with no byte-order mark and no apostrophes); `Accept: application/geo+json` (or `format=geojson`) answers a GeoJSON FeatureCollection of the matching entities that have a location (Point geometry [lon, lat], the other fields as properties). Exports honour every filter and sort; limit, cursor, fields and facets do not apply.
//	@Tags			entities
//	@Produce		json
//	@Produce		text/csv
//	@Produce		application/geo+json
//	@Param			format			query		string		false	"json (default), csv or geojson; overrides Accept"	Enums(json, csv, geojson)
//	@Param			bom				query		bool		false	"CSV: start with a UTF-8 byte-order mark (default true)"
//	@Param			csv				query		string		false	"CSV: spreadsheet (default: byte-order mark, formula-like cells guarded with an apostrophe) or raw (for programs: cells exactly as stored, no byte-order mark)"	Enums(spreadsheet, raw)
//	@Param			sector			query		[]string	false	"sector slugs (repeatable or comma-separated)"	collectionFormat(multi)	example(crafts)
//	@Param			match			query		string		false	"any (default): in any of the sectors; all: in every one"	Enums(any, all)
//	@Param			kind			query		[]string	false	"kind slugs (repeatable or comma-separated)"	collectionFormat(multi)	example(artisan)
//	@Param			ward			query		[]string	false	"wards: name (with or without diacritics) or code (repeatable)"	collectionFormat(multi)	example(Hoàn Kiếm)
//	@Param			founded_from	query		int			false	"founded in or after this year"		example(1990)
//	@Param			founded_to		query		int			false	"founded in or before this year"	example(2020)
//	@Param			updated_since	query		string		false	"updated at or after this time: RFC 3339, or a date (midnight in Hà Nội, UTC+7)"	example(2026-11-01)
//	@Param			status			query		string		false	"active (default); archived and all need an editor key"	Enums(active, archived, all)
//	@Param			q				query		string		false	"search words (at most 10 words, 200 characters): each must begin a word of the name, name_en, ward, street or description, diacritics optional; words of 5+ letters also match one typo away (9+: two), ranked after exact matches; ordered by relevance (fewer typos, phrase, whole words, diacritics as typed, field) unless sort is given"	example(gom bat trang)
//	@Param			sort			query		string		false	"order (ties by id); default name, or relevance with q"	Enums(name, -name, created_at, -created_at, updated_at, -updated_at, founded_year, -founded_year)
//	@Param			limit			query		int			false	"page size, 1 to 100 (default 20); out of range is a 400"	minimum(1)	maximum(100)	default(20)
//	@Param			cursor			query		string		false	"next_cursor of the previous page"
//	@Param			fields			query		string		false	"comma-separated top-level fields to return (id is always included)"	example(id,slug,name,sectors)
//	@Param			facets			query		string		false	"comma-separated of sector, kind, ward: counts over the whole filtered set"	example(sector,kind)
//	@Param			If-None-Match	header		string		false	"the ETag of the answer you have: 304 while it is unchanged"	example(W/"3f2a9c")
//	@Success		200				{object}	EntityList
//	@Success		304	"not modified: the answer you have (If-None-Match) is current"
//	@Header			200,304	{string}	ETag			"an entity tag of this answer, for If-None-Match"
//	@Header			200,304	{string}	Cache-Control	"how long shared and private caches may reuse the answer before revalidating it"
//	@Header			200				{string}	Link	"the next page, RFC 8288: </v1/entities?cursor=...>; rel=next"
//	@Header			200				{string}	Content-Disposition	"exports (CSV, GeoJSON): attachment, with a file name"
//	@Failure		400				{object}	Problem	"malformed or unknown parameter, unknown sector/kind/ward, bad cursor"
//	@Failure		401				{object}	Problem	"bad key, or status archived/all without an editor key"
//	@Failure		406				{object}	Problem	"Accept names no representation offered"
//	@Failure		429				{object}	Problem	"rate limited (see Retry-After)"
//	@Failure		503				{object}	Problem	"database unavailable, or the server too busy to compute the answer before REQUEST_TIMEOUT"
//	@Router			/v1/entities [get]
func (s *Server) listEntities(c echo.Context) error {
	format, err := listFormat(c.Request())
	if err != nil {
		return err
	}
	req, err := s.parseListQuery(c.QueryParams())
	if err != nil {
		return err
	}
	if err := s.checkStatus(c, req.query.Status); err != nil {
		return err
	}
	// One address, three representations: a cache must ask again for another Accept.
	c.Response().Header().Add(echo.HeaderVary, echo.HeaderAccept)
	private := req.query.Status != registry.StatusFilterActive && req.query.Status != ""
	if format != formatJSON {
		return s.serveTagged(c, cacheKey(c)+"#"+format, private, func(c echo.Context) error { return s.export(c, req.query, format) })
	}
	return s.serveRead(c, cacheKey(c), private, func(c echo.Context) error { return s.writeList(c, req) })
}

// cacheKey names a read answer by its path and (canonical) query.
func cacheKey(c echo.Context) string {
	return c.Request().URL.Path + "?" + c.QueryParams().Encode()
}

// writeList answers a page of a listing.
func (s *Server) writeList(c echo.Context, req listRequest) error {
	page, err := s.svc.Entities(c.Request().Context(), req.query)
	if err != nil {
		return err
	}
	out := EntityList{Data: make([]Entity, len(page.Entities)), Facets: page.Facets,
		Page: PageInfo{Limit: req.query.Limit, Total: page.Total}}
	for i, e := range page.Entities {
		out.Data[i] = entityDTO(e)
	}
	if page.Next != nil {
		token := page.Next.Encode()
		out.Page.NextCursor = &token
		next := c.QueryParams()
		next.Set("cursor", token)
		c.Response().Header().Set("Link", "<"+c.Request().URL.Path+"?"+next.Encode()+`>; rel="next"`)
	}
	if req.fields != nil {
		return writeSparse(c, out, req.fields)
	}
	return c.JSON(http.StatusOK, out)
}

// checkStatus lets only staff list archived entities: archived records
// are readable one by one, but listing them is staff work.
func (s *Server) checkStatus(c echo.Context, status registry.StatusFilter) error {
	if status == registry.StatusFilterActive || status == "" {
		return nil
	}
	return checkRole(c, auth.Editor)
}

// getEntity returns one entity.
//
//	@Summary		Get an entity
//	@ID			getEntity
//	@Description	Returns an entity by id or slug, active or archived (a public record is never silently gone). The ETag is its version; send it back as If-None-Match to get 304 when unchanged, or as If-Match to change it.
//	@Description	Linked open data: `Accept: application/ld+json` answers the entity in schema.org JSON-LD instead (`Organization` or the subtype its kind maps to, `@id` its canonical address by id; `name` and `description` in Vietnamese and English, `address`, `geo`, `url`, `telephone`, `email`, `sameAs`, `foundingDate`, `image` (the logo's absolute address), its sectors as `knowsAbout`). Departure from the contract: schema.org allows `geo` on places only, so `LocalBusiness` and `EducationalOrganization` (places) carry `geo` at the top, while `Organization` and `Corporation` carry it as `location: {"@type": "Place", "geo": …}`. Accept is negotiated by q-values (JSON is the default; 406 when Accept rules out both); that answer's ETag is a tag of the data version, not the entity's version, so use the JSON ETag for If-Match.
//	@Tags			entities
//	@Produce		json
//	@Produce		application/ld+json
//	@Param			id				path		string	true	"id or slug"	example(xuong-gom-bat-trang)
//	@Param			If-None-Match	header		string		false	"the ETag of the copy you have: 304 while it is unchanged"	example("3")
//	@Success		200				{object}	Entity	"the entity (application/json), or as schema.org JSON-LD (application/ld+json)"
//	@Success		304	"not modified: the answer you have (If-None-Match) is current"
//	@Header			200,304	{string}	ETag			"the version as a strong entity tag (3 in double quotes)"
//	@Header			200,304	{string}	Cache-Control	"how long shared and private caches may reuse the answer before revalidating it"
//	@Header			200,304	{string}	Vary			"Accept: the answer depends on it"
//	@Failure		404				{object}	Problem	"no entity with this id or slug"
//	@Failure		406				{object}	Problem	"Accept names neither application/json nor application/ld+json"
//	@Failure		503				{object}	Problem	"database unavailable, or the server too busy to compute the answer before REQUEST_TIMEOUT"
//	@Failure		401	{object}	Problem	"bad or revoked API key (reads need none)"
//	@Failure		429	{object}	Problem	"rate limited (see Retry-After)"
//	@Router			/v1/entities/{id} [get]
func (s *Server) getEntity(c echo.Context) error {
	// One address, two representations: a cache must ask again for another Accept.
	c.Response().Header().Add(echo.HeaderVary, echo.HeaderAccept)
	ld, err := wantsLinkedData(c.Request())
	if err != nil {
		return err
	}
	if ld {
		return s.getEntityLD(c)
	}
	inm := c.Request().Header.Get("If-None-Match")
	onAnswer(c, cachePublic, "") // the ETag is the entity's version, set below
	return s.serveCached(c, "entity:"+c.Param("id"),
		func(c echo.Context) error {
			e, err := s.svc.Entity(c.Request().Context(), c.Param("id"))
			if err != nil {
				return err
			}
			c.Response().Header().Set("ETag", etag(e.Version))
			if noneMatch(inm, e.Version) {
				return c.NoContent(http.StatusNotModified)
			}
			return c.JSON(http.StatusOK, entityDTO(e))
		},
		func(c echo.Context, r cachedResponse) error {
			if v, err := strconv.Atoi(strings.Trim(r.header.Get("ETag"), `"`)); err == nil && noneMatch(inm, v) {
				c.Response().Header().Set("ETag", r.header.Get("ETag"))
				return c.NoContent(http.StatusNotModified)
			}
			return s.writeCached(c, r)
		})
}

// createEntity registers an entity.
//
//	@Summary		Create an entity
//	@ID			createEntity
//	@Description	Registers an entity. `name`, `kind` and at least one sector are required; the slug is derived from the name (diacritics folded, đ→d) when not given, and a taken slug is a 409 (no suffix is added). Every failing field is reported at once (422). Unknown and read-only fields are rejected.
//	@Tags			entities
//	@Accept			json
//	@Produce		json
//	@Security		BearerKey
//	@Param			Idempotency-Key	header	string	false	"a retry with the same key and body returns the first answer"	example(0193b0c4-7a10-7c2a-9f00-3c1d2e4f5a6b)
//	@Param			entity	body		EntityInput	true	"the entity"
//	@Success		201		{object}	Entity
//	@Header			201		{string}	Location	"/v1/entities/{id}"
//	@Header			201		{string}	ETag		"the version: 1"
//	@Header			201		{string}	Idempotent-Replayed	"true when this is the first answer to the same Idempotency-Key, replayed"
//	@Failure		400		{object}	Problem	"malformed JSON"
//	@Failure		409		{object}	Problem	"slug taken"
//	@Failure		413		{object}	Problem	"body over 1 MiB"
//	@Failure		415		{object}	Problem	"Content-Type is not application/json"
//	@Failure		422		{object}	Problem	"invalid fields, every one listed in errors"
//	@Failure		503		{object}	Problem	"database unavailable"
//	@Failure		401	{object}	Problem	"no, bad or revoked API key"
//	@Failure		403	{object}	Problem	"the key's role may not do this"
//	@Failure		429	{object}	Problem	"rate limited (see Retry-After)"
//	@Router			/v1/entities [post]
func (s *Server) createEntity(c echo.Context) error {
	body, err := readJSONBody(c, "application/json")
	if err != nil {
		return err
	}
	var in EntityInput
	ferrs, err := decodeObject(body, &in)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if ferrs = registry.MergeFieldErrors(ferrs, in.shapeErrors()); len(ferrs) > 0 {
		return s.invalid(ctx, ferrs, in)
	}
	e, err := s.svc.CreateEntity(ctx, actor(c), in.draft())
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Location", "/v1/entities/"+e.ID)
	h.Set("ETag", etag(e.Version))
	return c.JSON(http.StatusCreated, entityDTO(e))
}

// invalid reports shape errors together with what the reference data
// rejects, so a client sees every failing field in one answer.
func (s *Server) invalid(ctx context.Context, ferrs []registry.FieldError, in EntityInput) error {
	refErrs, err := s.svc.CheckDraft(ctx, in.draft())
	if err != nil {
		return err
	}
	return registry.Invalid(registry.MergeFieldErrors(ferrs, refErrs))
}

// patchEntity changes an entity with a JSON merge patch.
//
//	@Summary		Change an entity
//	@ID			patchEntity
//	@Description	Applies a JSON merge patch (RFC 7396): send only the fields to change (no field is required); fields given replace, null removes, nested objects merge, lists are replaced whole. The patched entity must be valid as a created one is. `If-Match` with the ETag you read is required, so no colleague's edit is overwritten: 428 without it, 412 when the entity changed meanwhile. A patch that sets `location` without naming `address.ward` lets the ward follow the new location. A patch that changes nothing returns the entity with its version unchanged.
//	@Tags			entities
//	@Accept			json
//	@Accept			application/merge-patch+json
//	@Produce		json
//	@Security		BearerKey
//	@Param			id			path		string		true	"id or slug"	example(xuong-gom-bat-trang)
//	@Param			If-Match	header		string		true	"the ETag you read"	example("3")
//	@Param			patch		body		EntityPatch	true	"a JSON merge patch: only the fields to change, null to remove one"
//	@Success		200			{object}	Entity
//	@Header			200			{string}	ETag	"the new version"
//	@Failure		400			{object}	Problem	"malformed JSON or If-Match"
//	@Failure		404			{object}	Problem	"no entity with this id or slug"
//	@Failure		409			{object}	Problem	"slug taken"
//	@Failure		412			{object}	Problem	"If-Match does not match the current version"
//	@Failure		413			{object}	Problem	"body over 1 MiB"
//	@Failure		415			{object}	Problem	"Content-Type is not JSON or merge patch"
//	@Failure		422			{object}	Problem	"invalid fields"
//	@Failure		428			{object}	Problem	"If-Match missing"
//	@Failure		503			{object}	Problem	"database unavailable"
//	@Failure		401	{object}	Problem	"no, bad or revoked API key"
//	@Failure		403	{object}	Problem	"the key's role may not do this"
//	@Failure		429	{object}	Problem	"rate limited (see Retry-After)"
//	@Router			/v1/entities/{id} [patch]
func (s *Server) patchEntity(c echo.Context) error {
	body, err := readJSONBody(c, "application/merge-patch+json", "application/json")
	if err != nil {
		return err
	}
	pre, err := requireIfMatch(c)
	if err != nil {
		return err
	}
	patch, err := parseObject(body)
	if err != nil {
		return err
	}
	// The patch's own members: unknown, read-only or mistyped ones are
	// errors even when null (a merge would silently drop them).
	patchErrs, _ := decodeObject(body, &EntityInput{})
	wardFollows := patchSetsLocationOnly(patch)
	e, err := s.svc.UpdateEntity(c.Request().Context(), actor(c), c.Param("id"), pre,
		func(cur registry.Entity) (registry.EntityDraft, []registry.FieldError) {
			base := entityInput(cur)
			if wardFollows && base.Address != nil {
				base.Address.Ward = ""
			}
			doc, _ := json.Marshal(base) // a struct of plain fields always marshals
			merged, err := jsonpatch.MergePatch(doc, body)
			if err != nil {
				return registry.EntityDraft{}, []registry.FieldError{{Field: "", Code: "patch", Message: "the merge patch cannot be applied."}}
			}
			var in EntityInput
			ferrs, _ := decodeObject(merged, &in)
			return in.draft(), registry.MergeFieldErrors(patchErrs, ferrs, in.shapeErrors())
		})
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(e.Version))
	return c.JSON(http.StatusOK, entityDTO(e))
}

// patchSetsLocationOnly reports a patch that sets a location but says
// nothing of the ward: the ward is then derived from the new location
// rather than checked against the old one.
func patchSetsLocationOnly(patch map[string]json.RawMessage) bool {
	loc, ok := patch["location"]
	if !ok || strings.TrimSpace(string(loc)) == "null" {
		return false
	}
	addr, ok := asObject(patch["address"])
	if !ok {
		return true
	}
	_, named := addr["ward"]
	return !named
}

// archiveEntity archives an entity.
//
//	@Summary		Archive an entity
//	@ID			archiveEntity
//	@Description	Archives an entity: it leaves default listings but stays readable by id or slug, keeps its slug and its history. `If-Match` is required. Archiving an archived entity changes nothing (204, no revision).
//	@Tags			entities
//	@Security		BearerKey
//	@Param			id			path	string	true	"id or slug"	example(xuong-gom-bat-trang)
//	@Param			If-Match	header	string	true	"the ETag you read"	example("3")
//	@Success		204			"archived"
//	@Header			204			{string}	ETag	"the new version"
//	@Failure		400			{object}	Problem	"malformed If-Match"
//	@Failure		404			{object}	Problem	"no entity with this id or slug"
//	@Failure		412			{object}	Problem	"If-Match does not match the current version"
//	@Failure		428			{object}	Problem	"If-Match missing"
//	@Failure		503			{object}	Problem	"database unavailable"
//	@Failure		401	{object}	Problem	"no, bad or revoked API key"
//	@Failure		403	{object}	Problem	"the key's role may not do this"
//	@Failure		429	{object}	Problem	"rate limited (see Retry-After)"
//	@Router			/v1/entities/{id} [delete]
func (s *Server) archiveEntity(c echo.Context) error {
	pre, err := requireIfMatch(c)
	if err != nil {
		return err
	}
	e, err := s.svc.ArchiveEntity(c.Request().Context(), actor(c), c.Param("id"), pre)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(e.Version))
	return c.NoContent(http.StatusNoContent)
}

// restoreEntity brings an archived entity back.
//
//	@Summary		Restore an entity
//	@ID			restoreEntity
//	@Description	Brings an archived entity back into listings. No body and no If-Match are needed (a stale If-Match is a 412). Restoring an active entity changes nothing (200, no revision).
//	@Tags			entities
//	@Produce		json
//	@Security		BearerKey
//	@Param			id			path		string	true	"id or slug"	example(xuong-gom-bat-trang)
//	@Param			If-Match	header		string	false	"the ETag you read (optional)"	example("4")
//	@Success		200			{object}	Entity
//	@Header			200			{string}	ETag	"the new version"
//	@Failure		400			{object}	Problem	"malformed If-Match, or a body"
//	@Failure		404			{object}	Problem	"no entity with this id or slug"
//	@Failure		412			{object}	Problem	"If-Match does not match the current version"
//	@Failure		503			{object}	Problem	"database unavailable"
//	@Failure		401	{object}	Problem	"no, bad or revoked API key"
//	@Failure		403	{object}	Problem	"the key's role may not do this"
//	@Failure		429	{object}	Problem	"rate limited (see Retry-After)"
//	@Router			/v1/entities/{id}/restore [post]
func (s *Server) restoreEntity(c echo.Context) error {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return err
	}
	if b := strings.TrimSpace(string(body)); b != "" && b != "{}" {
		return malformed("restore takes no body.")
	}
	pre, err := ifMatch(c.Request().Header.Get("If-Match"), hasHeader(c, "If-Match"))
	if err != nil {
		return err
	}
	e, err := s.svc.RestoreEntity(c.Request().Context(), actor(c), c.Param("id"), pre)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(e.Version))
	return c.JSON(http.StatusOK, entityDTO(e))
}

// entityHistory lists an entity's revisions.
//
//	@Summary		An entity's history
//	@ID			getEntityHistory
//	@Description	Every change of the entity, newest first: its version, action, the API key's name that made it, when, and the fields it changed (from → to).
//	@Tags			entities
//	@Produce		json
//	@Param			id	path		string	true	"id or slug"	example(xuong-gom-bat-trang)
//	@Param			If-None-Match	header		string		false	"the ETag of the answer you have: 304 while it is unchanged"	example(W/"3f2a9c")
//	@Success		200	{object}	RevisionList
//	@Success		304	"not modified: the answer you have (If-None-Match) is current"
//	@Header			200,304	{string}	ETag			"an entity tag of this answer, for If-None-Match"
//	@Header			200,304	{string}	Cache-Control	"how long shared and private caches may reuse the answer before revalidating it"
//	@Failure		404	{object}	Problem	"no entity with this id or slug"
//	@Failure		503	{object}	Problem	"database unavailable, or the server too busy to compute the answer before REQUEST_TIMEOUT"
//	@Failure		401	{object}	Problem	"bad or revoked API key (reads need none)"
//	@Failure		429	{object}	Problem	"rate limited (see Retry-After)"
//	@Router			/v1/entities/{id}/history [get]
func (s *Server) entityHistory(c echo.Context) error {
	return s.serveRead(c, cacheKey(c), false, func(c echo.Context) error {
		revs, err := s.svc.History(c.Request().Context(), c.Param("id"))
		if err != nil {
			return err
		}
		out := RevisionList{Data: make([]Revision, len(revs))}
		for i, r := range revs {
			out.Data[i] = revisionDTO(r)
		}
		return c.JSON(http.StatusOK, out)
	})
}

// entityVersion returns an entity as it was at a version.
//
//	@Summary		An entity at a past version
//	@ID			getEntityVersion
//	@Description	The entity exactly as it was after the change that made this version.
//	@Tags			entities
//	@Produce		json
//	@Param			id		path		string	true	"id or slug"	example(xuong-gom-bat-trang)
//	@Param			version	path		int		true	"version"		minimum(1)	example(1)
//	@Param			If-None-Match	header		string		false	"the ETag of the answer you have: 304 while it is unchanged"	example(W/"3f2a9c")
//	@Success		200		{object}	Entity
//	@Success		304	"not modified: the answer you have (If-None-Match) is current"
//	@Header			200,304	{string}	ETag			"the version as a strong entity tag: a past version never changes"
//	@Header			200,304	{string}	Cache-Control	"how long shared and private caches may reuse the answer before revalidating it"
//	@Failure		400		{object}	Problem	"version is not a positive integer"
//	@Failure		404		{object}	Problem	"no such entity or version"
//	@Failure		503		{object}	Problem	"database unavailable"
//	@Failure		401	{object}	Problem	"bad or revoked API key (reads need none)"
//	@Failure		429	{object}	Problem	"rate limited (see Retry-After)"
//	@Router			/v1/entities/{id}/history/{version} [get]
func (s *Server) entityVersion(c echo.Context) error {
	v, err := strconv.Atoi(c.Param("version"))
	if err != nil || v < 1 {
		return malformed("version must be a positive integer.")
	}
	e, err := s.svc.EntityAt(c.Request().Context(), c.Param("id"), v)
	if err != nil {
		return err
	}
	onAnswer(c, cachePublic, etag(e.Version))
	if noneMatch(c.Request().Header.Get("If-None-Match"), e.Version) {
		return c.NoContent(http.StatusNotModified)
	}
	return c.JSON(http.StatusOK, entityDTO(e))
}

// readJSONBody reads a JSON body (see readBody), which must be UTF-8 and
// name each member of an object once (400 otherwise).
func readJSONBody(c echo.Context, accepted ...string) ([]byte, error) {
	body, err := readBody(c, accepted...)
	if err == nil {
		err = checkJSONText(body)
	}
	if err != nil {
		return nil, err
	}
	return body, nil
}

// readBody checks the Content-Type against the accepted media types (415
// otherwise; charset, when given, must be UTF-8) and reads the body (413
// over the route's limit).
func readBody(c echo.Context, accepted ...string) ([]byte, error) {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	mt, params, err := mime.ParseMediaType(ct)
	ok := err == nil
	if ok {
		ok = false
		for _, a := range accepted {
			ok = ok || mt == a
		}
		if cs, has := params["charset"]; has && !strings.EqualFold(cs, "utf-8") {
			ok = false
		}
	}
	if !ok {
		return nil, echo.NewHTTPError(http.StatusUnsupportedMediaType, detailf("Content-Type must be one of: %s (UTF-8).", strings.Join(accepted, ", ")))
	}
	return io.ReadAll(c.Request().Body)
}

// requireIfMatch reads If-Match, which this write requires.
func requireIfMatch(c echo.Context) (registry.Precondition, error) {
	if !hasHeader(c, "If-Match") {
		return registry.Precondition{}, registry.Errorf(registry.EPRECONDREQ, "Send If-Match with the ETag of the version you read (GET the entity first), so no one else's edit is overwritten.")
	}
	return ifMatch(c.Request().Header.Get("If-Match"), true)
}

func hasHeader(c echo.Context, name string) bool {
	_, ok := c.Request().Header[http.CanonicalHeaderKey(name)]
	return ok
}

// actor names who makes a change: the API key's name once keys exist.
func actor(c echo.Context) string {
	if name, ok := c.Get(actorKey).(string); ok && name != "" {
		return name
	}
	return "anonymous"
}

const actorKey = "registry.actor"

// writeSparse writes a listing with only the selected top-level fields of
// each entity (id always), in the usual field order.
func writeSparse(c echo.Context, out EntityList, fields []string) error {
	sparse := make([]json.RawMessage, len(out.Data))
	for i, e := range out.Data {
		full, err := json.Marshal(e)
		if err != nil {
			return err
		}
		var members map[string]json.RawMessage
		if err := json.Unmarshal(full, &members); err != nil {
			return err
		}
		var b strings.Builder
		b.WriteByte('{')
		n := 0
		for _, f := range entityFields {
			if f != "id" && !slices.Contains(fields, f) {
				continue
			}
			if n > 0 {
				b.WriteByte(',')
			}
			n++
			b.WriteString(strconv.Quote(f) + ":")
			b.Write(members[f])
		}
		b.WriteByte('}')
		sparse[i] = json.RawMessage(b.String())
	}
	return c.JSON(http.StatusOK, struct {
		Data   []json.RawMessage         `json:"data"`
		Page   PageInfo                  `json:"page"`
		Facets map[string]map[string]int `json:"facets,omitempty"`
	}{sparse, out.Page, out.Facets})
}
