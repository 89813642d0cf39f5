package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

// mediaCacheControl lets every cache keep a media file for a year without
// asking again: its address is its content, so it never changes.
const mediaCacheControl = "public, max-age=31536000, immutable"

// getMedia serves an image file.
//
//	@Summary		Get an image file
//	@ID				getMedia
//	@Description	Serves a logo, photo or thumbnail by the name an entity's `url` or `thumbnail_url` gives: the SHA-256 of the file's bytes and its extension. The address is the content, so the answer never changes and may be cached for a year (`immutable`). Files stay served after a logo or photo is replaced or removed, since past versions show them.
//	@Tags			images
//	@Produce		image/png
//	@Produce		image/jpeg
//	@Param			name			path		string	true	"{hash}.{ext}: the SHA-256 of the file (64 lower-case hex digits) and png or jpg"	example(9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.jpg)
//	@Param			If-None-Match	header		string	false	"the ETag of the copy you have: 304 (it never changes)"
//	@Success		200				{file}		binary	"the image"
//	@Success		304	"not modified: the copy you have (If-None-Match) is this file"
//	@Header			200,304	{string}	ETag			"the file's hash, quoted"
//	@Header			200,304	{string}	Cache-Control	"public, max-age=31536000, immutable"
//	@Failure		401	{object}	Problem	"/problems/unauthorized: bad or revoked API key (reads need none)"
//	@Failure		404	{object}	Problem	"/problems/not_found: no such file"
//	@Failure		429	{object}	Problem	"/problems/rate_limited: rate limited (see Retry-After)"
//	@Failure		503	{object}	Problem	"/problems/unavailable: database unavailable"
//	@Router			/media/{name} [get]
func (s *Server) getMedia(c echo.Context) error {
	m, err := s.svc.Media(c.Request().Context(), c.Param("name"))
	if err != nil {
		return err
	}
	h := c.Response().Header()
	tag := `"` + m.Hash + `"`
	h.Set("ETag", tag)
	h.Set("Cache-Control", mediaCacheControl)
	if inm := c.Request().Header.Get("If-None-Match"); inm != "" && matchesTag(inm, tag) {
		return c.NoContent(http.StatusNotModified)
	}
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(m.Data)))
	return c.Blob(http.StatusOK, m.Type, m.Data)
}

// matchesTag reports whether an If-None-Match list names tag (weakly, as
// If-None-Match compares) or is "*".
func matchesTag(header, tag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == tag || t == "*" {
			return true
		}
	}
	return false
}
