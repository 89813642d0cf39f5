package api

import (
	"hash/fnv"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

// Reads carry validators and say who may keep them (API.md, Conventions):
// every 200 to a GET of public data has an ETag and may be stored by
// anyone but must be revalidated (If-None-Match then gets a 304 while the
// tag is current); an answer that depends on the caller's key is private;
// one holding a secret is never stored.
const (
	cachePublic  = "public, no-cache"
	cachePrivate = "private, no-cache"
	cacheNoStore = "no-store"
)

// cacheScope says who may keep a read's answer: private when it depends
// on the caller's key (archived listings and stats are staff work),
// public otherwise.
func cacheScope(private bool) string {
	if private {
		return cachePrivate
	}
	return cachePublic
}

// onAnswer sets Cache-Control (and the ETag, when tag is not empty) on the
// request's answer if it is a 200 or a 304, just before its headers go:
// a problem document is not the resource, and must not be kept as it.
func onAnswer(c echo.Context, cacheControl, tag string) {
	res := c.Response()
	res.Before(func() {
		if res.Status != http.StatusOK && res.Status != http.StatusNotModified {
			return
		}
		res.Header().Set("Cache-Control", cacheControl)
		if tag != "" {
			res.Header().Set("ETag", tag)
		}
	})
}

// serveRead answers a read whose content is determined by the data
// version and what is asked (key): it is tagged with both, a current
// If-None-Match gets a 304, and the answer comes from the response cache
// when it holds it.
func (s *Server) serveRead(c echo.Context, key string, private bool, compute func(c echo.Context) error) error {
	return s.serveTagged(c, key, private, func(c echo.Context) error {
		return s.serveCached(c, key, compute, nil)
	})
}

// serveTagged is serveRead without the cache, for answers too large to
// keep (exports). The version is read before the answer is computed, so
// the answer is at least as new as its tag says: a tag that is current
// when it comes back names an answer that is current too.
func (s *Server) serveTagged(c echo.Context, key string, private bool, compute func(c echo.Context) error) error {
	v, err := s.observedVersions(c)
	if err != nil {
		return err
	}
	tag := s.dataTag(v.Data(), key)
	onAnswer(c, cacheScope(private), tag)
	if matchesAny(c.Request().Header.Get("If-None-Match"), tag) {
		return c.NoContent(http.StatusNotModified)
	}
	return compute(c)
}

// dataTag is the entity tag of an answer computed at data version data for
// key. The build's version is in it too: a release may write the same data
// differently.
func (s *Server) dataTag(data int64, key string) string {
	h := fnv.New64a()
	_, _ = io.WriteString(h, s.cfg.Version+"\x00"+key)
	return `"` + strconv.FormatInt(data, 10) + "-" + strconv.FormatUint(h.Sum64(), 36) + `"`
}

// contentTag is the entity tag of a body that no data version governs
// (reference data built into the binary).
func contentTag(body []byte) string {
	h := fnv.New64a()
	_, _ = h.Write(body)
	return `"c-` + strconv.FormatUint(h.Sum64(), 36) + `"`
}

// matchesAny reports whether an If-None-Match list holds tag, by the weak
// comparison RFC 9110 (13.1.2) prescribes for it; "*" matches any answer.
func matchesAny(header, tag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == tag {
			return true
		}
	}
	return false
}

// serveStatic answers a JSON body that no data version governs, tagged by
// its content.
func serveStatic(c echo.Context, body []byte) error {
	tag := contentTag(body)
	onAnswer(c, cachePublic, tag)
	if matchesAny(c.Request().Header.Get("If-None-Match"), tag) {
		return c.NoContent(http.StatusNotModified)
	}
	return c.JSONBlob(http.StatusOK, body)
}
