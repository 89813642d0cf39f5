package api

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/elnormous/contenttype"
	"github.com/labstack/echo/v4"

	"github.com/hanoicreative/registry/internal/linkeddata"
	"github.com/hanoicreative/registry/internal/registry"
)

// mediaLD is JSON-LD's media type; it has no charset (JSON-LD is UTF-8).
const mediaLD = "application/ld+json"

// entityMediaTypes are the representations of an entity, the default
// first. JSON-LD is also offered with the profile of its compacted form
// (the form sent), so a client that names that profile gets it too.
var entityMediaTypes = []contenttype.MediaType{
	contenttype.NewMediaType("application/json"),
	contenttype.NewMediaType(mediaLD),
	contenttype.NewMediaType(mediaLD + `;profile="http://www.w3.org/ns/json-ld#compacted"`),
	contenttype.NewMediaType("application/problem+json"), // asked by some clients for everything; JSON it is
}

// wantsLinkedData negotiates an entity's representation by Accept, with
// q-values and the most specific range deciding (RFC 9110, 12.5.1): true
// for JSON-LD, false for JSON, the default (no Accept, or one that cannot
// be parsed, which RFC 9110 lets a server ignore). A 406 when Accept rules
// out both.
func wantsLinkedData(r *http.Request) (bool, error) {
	mt, _, err := contenttype.GetAcceptableMediaType(r, entityMediaTypes)
	switch {
	case errors.Is(err, contenttype.ErrNoAcceptableTypeFound):
		return false, echo.NewHTTPError(http.StatusNotAcceptable, detailf("Acceptable answers are application/json and application/ld+json (schema.org JSON-LD)."))
	case err != nil:
		return false, nil
	}
	return mt.Type+"/"+mt.Subtype == mediaLD, nil
}

// getEntityLD answers an entity in schema.org JSON-LD. The document
// depends on the entity, the sectors' names and the public address, so it
// is tagged by the data version (as listings are), not by the entity's
// version, which is the JSON representation's tag.
func (s *Server) getEntityLD(c echo.Context) error {
	links := linkeddata.Links{Base: s.publicBase(c.Request())}
	return s.serveRead(c, "entity-ld:"+c.Param("id")+"\x00"+links.Base, false, func(c echo.Context) error {
		ctx := c.Request().Context()
		e, err := s.svc.Entity(ctx, c.Param("id"))
		if err != nil {
			return err
		}
		sectors, err := s.svc.Sectors(ctx)
		if err != nil {
			return err
		}
		bySlug := make(map[string]registry.Sector, len(sectors))
		for _, sec := range sectors {
			bySlug[sec.Slug] = sec
		}
		return writeLD(c, linkeddata.Entity(e, bySlug, links))
	})
}

// getCatalog describes the registry as a DCAT-AP catalogue.
//
//	@Summary		The DCAT-AP catalogue
//	@ID			getCatalog
//	@Description	The registry as an open-data catalogue in DCAT-AP (JSON-LD), for the harvesters of open-data portals (CKAN with ckanext-dcat, data.europa.eu and the like): a `dcat:Catalog` holding one `dcat:Dataset`, with its title and description in Vietnamese and English, publisher, licence (CC BY 4.0 unless configured otherwise), `dct:modified` (the time of the last change), spatial coverage Hà Nội, themes and keywords, a contact point when configured, and four distributions: the JSON API (conforming to this OpenAPI document), the CSV export, the GeoJSON export and the change feed. Addresses start with PUBLIC_URL when set, else with the address the request reached.
//	@Tags			linked-data
//	@Produce		application/ld+json
//	@Param			If-None-Match	header		string		false	"the ETag of the answer you have: 304 while it is unchanged"	example(W/"3f2a9c")
//	@Success		200				{object}	object	"a DCAT-AP catalogue in JSON-LD"
//	@Success		304	"not modified: the answer you have (If-None-Match) is current"
//	@Header			200,304	{string}	ETag			"an entity tag of this answer, for If-None-Match"
//	@Header			200,304	{string}	Cache-Control	"how long shared and private caches may reuse the answer before revalidating it"
//	@Failure		401	{object}	Problem	"bad or revoked API key (reads need none)"
//	@Failure		406	{object}	Problem	"Accept names neither application/ld+json nor application/json"
//	@Failure		429	{object}	Problem	"rate limited (see Retry-After)"
//	@Failure		503	{object}	Problem	"database unavailable, or the server too busy to compute the answer before REQUEST_TIMEOUT"
//	@Router			/v1/catalog [get]
func (s *Server) getCatalog(c echo.Context) error {
	// One representation; JSON-LD is JSON, so a client asking for JSON gets it too.
	if _, err := wantsLinkedData(c.Request()); err != nil {
		return err
	}
	links := linkeddata.Links{Base: s.publicBase(c.Request())}
	return s.serveRead(c, "catalog\x00"+links.Base, false, func(c echo.Context) error {
		ctx := c.Request().Context()
		v, err := s.observedVersions(c)
		if err != nil {
			return err
		}
		issued, modified, err := s.changeSpan(ctx, v.Seq)
		if err != nil {
			return err
		}
		sectors, err := s.svc.Sectors(ctx)
		if err != nil {
			return err
		}
		return writeLD(c, linkeddata.CatalogOf(s.cfg.Catalog, links, sectors, issued, modified))
	})
}

// changeSpan returns the times of the first change and of change seq, the
// last one the request observed (zero times when there is none yet).
func (s *Server) changeSpan(ctx context.Context, seq int64) (first, last time.Time, err error) {
	if seq < 1 {
		return first, last, nil
	}
	head, err := s.svc.Changes(ctx, 0, 1)
	if err != nil {
		return first, last, err
	}
	tail, err := s.svc.Changes(ctx, seq-1, 1)
	if err != nil {
		return first, last, err
	}
	if len(head) > 0 {
		first = head[0].At
	}
	if len(tail) > 0 {
		last = tail[0].At
	}
	return first, last, nil
}

func writeLD(c echo.Context, doc any) error {
	c.Response().Header().Set(echo.HeaderContentType, mediaLD)
	c.Response().WriteHeader(http.StatusOK)
	return writeJSON(c.Response(), doc)
}

// publicBase is the address linked-data identifiers start with: PUBLIC_URL
// when set, else the address this request reached (https when it came over
// TLS, or through a trusted proxy that says so).
func (s *Server) publicBase(r *http.Request) string {
	if s.cfg.PublicURL != "" {
		return s.cfg.PublicURL
	}
	scheme := "http"
	if r.TLS != nil || s.fromTrustedProxy(r) && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (s *Server) fromTrustedProxy(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	for _, n := range s.cfg.TrustedProxies {
		if ip != nil && n.Contains(ip) {
			return true
		}
	}
	return false
}
