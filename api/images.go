package api

import (
	"io"
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/hanoicreative/registry/internal/registry"
)

// setLogo uploads an entity's logo.
//
//	@Summary		Set an entity's logo
//	@ID				setLogo
//	@Description	Uploads the entity's logo, replacing any it had: the body is the image file itself, PNG, JPEG or WebP, at most 5 MiB and 40 megapixels (the size in pixels is read from the file's header before its pixels are decoded). The image is decoded and re-encoded, so no metadata (EXIF, GPS positions, comments) is kept; PNG stays PNG and JPEG stays JPEG, while WebP becomes PNG when it has transparent pixels and JPEG otherwise (there is no WebP encoder). A thumbnail 320 pixels wide is made. Files are served from content-addressed URLs under /media/. `If-Match` is required; the change is a new version, in the history and the change feed (entity.updated). Uploading the logo the entity already has changes nothing.
//	@Tags			images
//	@Accept			image/png
//	@Accept			image/jpeg
//	@Accept			image/webp
//	@Produce		json
//	@Security		BearerKey
//	@Param			id			path		string	true	"id or slug"	example(xuong-gom-bat-trang)
//	@Param			If-Match	header		string	true	"the ETag you read"	example("3")
//	@Param			image		body		string	true	"the image file (PNG, JPEG or WebP)"	format(binary)
//	@Success		200			{object}	Entity
//	@Header			200			{string}	ETag	"the new version"
//	@Failure		400			{object}	Problem	"/problems/malformed: malformed If-Match"
//	@Failure		401			{object}	Problem	"/problems/unauthorized: no, bad or revoked API key"
//	@Failure		403			{object}	Problem	"/problems/forbidden: the key's role may not do this"
//	@Failure		404			{object}	Problem	"/problems/not_found: no entity with this id or slug"
//	@Failure		412			{object}	Problem	"/problems/precondition_failed: If-Match does not match the current version"
//	@Failure		413			{object}	Problem	"/problems/too_large: image over 5 MiB"
//	@Failure		415			{object}	Problem	"/problems/unsupported_media_type: Content-Type is not image/png, image/jpeg or image/webp"
//	@Failure		422			{object}	Problem	"/problems/invalid: the file does not decode as its type, or is over 40 megapixels"
//	@Failure		428			{object}	Problem	"/problems/precondition_required: If-Match missing"
//	@Failure		429			{object}	Problem	"/problems/rate_limited: rate limited (see Retry-After)"
//	@Failure		503			{object}	Problem	"/problems/unavailable: database unavailable"
//	@Router			/v1/entities/{id}/logo [put]
func (s *Server) setLogo(c echo.Context) error {
	pre, err := requireIfMatch(c)
	if err != nil {
		return err
	}
	upload, err := readUpload(c)
	if err != nil {
		return err
	}
	e, err := s.svc.SetLogo(c.Request().Context(), actor(c), c.Param("id"), pre, upload)
	return entityAnswer(c, e, err)
}

// deleteLogo removes an entity's logo.
//
//	@Summary		Remove an entity's logo
//	@ID				deleteLogo
//	@Description	Removes the entity's logo: a new version, in the history and the change feed (entity.updated). `If-Match` is required. An entity without a logo is returned unchanged (no new version). The files stay served, since past versions show them.
//	@Tags			images
//	@Produce		json
//	@Security		BearerKey
//	@Param			id			path		string	true	"id or slug"	example(xuong-gom-bat-trang)
//	@Param			If-Match	header		string	true	"the ETag you read"	example("4")
//	@Success		200			{object}	Entity
//	@Header			200			{string}	ETag	"the new version"
//	@Failure		400			{object}	Problem	"/problems/malformed: malformed If-Match"
//	@Failure		401			{object}	Problem	"/problems/unauthorized: no, bad or revoked API key"
//	@Failure		403			{object}	Problem	"/problems/forbidden: the key's role may not do this"
//	@Failure		404			{object}	Problem	"/problems/not_found: no entity with this id or slug"
//	@Failure		412			{object}	Problem	"/problems/precondition_failed: If-Match does not match the current version"
//	@Failure		428			{object}	Problem	"/problems/precondition_required: If-Match missing"
//	@Failure		429			{object}	Problem	"/problems/rate_limited: rate limited (see Retry-After)"
//	@Failure		503			{object}	Problem	"/problems/unavailable: database unavailable"
//	@Router			/v1/entities/{id}/logo [delete]
func (s *Server) deleteLogo(c echo.Context) error {
	pre, err := requireIfMatch(c)
	if err != nil {
		return err
	}
	e, err := s.svc.DeleteLogo(c.Request().Context(), actor(c), c.Param("id"), pre)
	return entityAnswer(c, e, err)
}

// addPhoto uploads a photo of an entity.
//
//	@Summary		Add a photo
//	@ID				addPhoto
//	@Description	Adds a photo after the entity's others (at most 12: a 13th is a 422). The body is the image file itself, with the same types, limits and processing as the logo (re-encoded without metadata, a 320-pixel-wide thumbnail). `caption` is optional (at most 300 characters). `If-Match` is required; the change is a new version, in the history and the change feed (entity.updated). The new photo is the last of the answer's `photos`, with the `id` that removes it.
//	@Tags			images
//	@Accept			image/png
//	@Accept			image/jpeg
//	@Accept			image/webp
//	@Produce		json
//	@Security		BearerKey
//	@Param			id			path		string	true	"id or slug"	example(xuong-gom-bat-trang)
//	@Param			caption		query		string	false	"what the photo shows (at most 300 characters)"	example(Lò nung gốm)
//	@Param			If-Match	header		string	true	"the ETag you read"	example("3")
//	@Param			image		body		string	true	"the image file (PNG, JPEG or WebP)"	format(binary)
//	@Success		200			{object}	Entity
//	@Header			200			{string}	ETag	"the new version"
//	@Failure		400			{object}	Problem	"/problems/malformed: malformed If-Match or query parameter"
//	@Failure		401			{object}	Problem	"/problems/unauthorized: no, bad or revoked API key"
//	@Failure		403			{object}	Problem	"/problems/forbidden: the key's role may not do this"
//	@Failure		404			{object}	Problem	"/problems/not_found: no entity with this id or slug"
//	@Failure		412			{object}	Problem	"/problems/precondition_failed: If-Match does not match the current version"
//	@Failure		413			{object}	Problem	"/problems/too_large: image over 5 MiB"
//	@Failure		415			{object}	Problem	"/problems/unsupported_media_type: Content-Type is not image/png, image/jpeg or image/webp"
//	@Failure		422			{object}	Problem	"/problems/invalid: the entity has 12 photos already, the caption is invalid, or the file does not decode as its type or is over 40 megapixels"
//	@Failure		428			{object}	Problem	"/problems/precondition_required: If-Match missing"
//	@Failure		429			{object}	Problem	"/problems/rate_limited: rate limited (see Retry-After)"
//	@Failure		503			{object}	Problem	"/problems/unavailable: database unavailable"
//	@Router			/v1/entities/{id}/photos [post]
func (s *Server) addPhoto(c echo.Context) error {
	q := c.QueryParams()
	for name := range q {
		if name != "caption" {
			return malformed("%s is not a parameter of this request (only caption is).", name)
		}
	}
	if len(q["caption"]) > 1 {
		return malformed("Give caption once.")
	}
	pre, err := requireIfMatch(c)
	if err != nil {
		return err
	}
	upload, err := readUpload(c)
	if err != nil {
		return err
	}
	e, err := s.svc.AddPhoto(c.Request().Context(), actor(c), c.Param("id"), pre, upload, q.Get("caption"))
	return entityAnswer(c, e, err)
}

// deletePhoto removes one of an entity's photos.
//
//	@Summary		Remove a photo
//	@ID				deletePhoto
//	@Description	Removes one photo of the entity: a new version, in the history and the change feed (entity.updated). `If-Match` is required. The files stay served, since past versions show them.
//	@Tags			images
//	@Produce		json
//	@Security		BearerKey
//	@Param			id			path		string	true	"id or slug"	example(xuong-gom-bat-trang)
//	@Param			photo_id	path		string	true	"the photo's id"	format(uuid)
//	@Param			If-Match	header		string	true	"the ETag you read"	example("5")
//	@Success		200			{object}	Entity
//	@Header			200			{string}	ETag	"the new version"
//	@Failure		400			{object}	Problem	"/problems/malformed: malformed If-Match"
//	@Failure		401			{object}	Problem	"/problems/unauthorized: no, bad or revoked API key"
//	@Failure		403			{object}	Problem	"/problems/forbidden: the key's role may not do this"
//	@Failure		404			{object}	Problem	"/problems/not_found: no entity with this id or slug, or it has no such photo"
//	@Failure		412			{object}	Problem	"/problems/precondition_failed: If-Match does not match the current version"
//	@Failure		428			{object}	Problem	"/problems/precondition_required: If-Match missing"
//	@Failure		429			{object}	Problem	"/problems/rate_limited: rate limited (see Retry-After)"
//	@Failure		503			{object}	Problem	"/problems/unavailable: database unavailable"
//	@Router			/v1/entities/{id}/photos/{photo_id} [delete]
func (s *Server) deletePhoto(c echo.Context) error {
	pre, err := requireIfMatch(c)
	if err != nil {
		return err
	}
	e, err := s.svc.DeletePhoto(c.Request().Context(), actor(c), c.Param("id"), c.Param("photo_id"), pre)
	return entityAnswer(c, e, err)
}

// entityAnswer answers a write with the entity and its version's ETag.
func entityAnswer(c echo.Context, e registry.Entity, err error) error {
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(e.Version))
	return c.JSON(http.StatusOK, entityDTO(e))
}

// readUpload reads an image upload: its declared type (which the service
// checks) and its bytes. A body declared or found to be over the limit is
// refused without reading it whole.
func readUpload(c echo.Context) (registry.Upload, error) {
	req := c.Request()
	if req.ContentLength > registry.MaxImageBytes {
		return registry.Upload{}, registry.ImageTooLarge()
	}
	u := registry.Upload{Type: req.Header.Get(echo.HeaderContentType)}
	if mt, _, err := mime.ParseMediaType(u.Type); err == nil {
		u.Type = mt
	}
	data, err := io.ReadAll(io.LimitReader(req.Body, registry.MaxImageBytes+1))
	if err != nil {
		return registry.Upload{}, err
	}
	u.Data = data
	return u, nil
}
