package api

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/munnerz/goautoneg"

	"github.com/hanoicreative/registry/internal/export"
	"github.com/hanoicreative/registry/internal/registry"
)

// StatRow is a count of active entities for one combination of the
// grouped dimensions; only the grouped dimensions appear, a ward or
// founded_year of null counts entities without one.
type StatRow struct {
	Sector      *string `json:"sector,omitempty" example:"crafts"`
	Kind        *string `json:"kind,omitempty" example:"artisan"`
	Ward        *string `json:"ward,omitempty" example:"Bát Tràng"`
	FoundedYear *int    `json:"founded_year,omitempty" example:"1998"`
	Count       int     `json:"count" example:"12"`
	values      map[string]*string
	dims        []string
} // @name StatRow

// MarshalJSON writes the grouped dimensions (null included) and the count.
func (r StatRow) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for _, dim := range r.dims {
		var val []byte
		if v := r.values[dim]; v == nil {
			val = []byte("null")
		} else if dim == registry.StatFoundedYear {
			val = []byte(*v) // a year: a number
		} else {
			val, _ = json.Marshal(*v) // a string always marshals
		}
		b.WriteString(strconv.Quote(dim) + ":")
		b.Write(val)
		b.WriteByte(',')
	}
	b.WriteString(`"count":` + strconv.Itoa(r.Count) + "}")
	return b.Bytes(), nil
}

// statRow is a row of the service's stats for the answer.
func statRow(r registry.StatRow, dims []string) StatRow {
	out := StatRow{Sector: r.Values[registry.FacetSector], Kind: r.Values[registry.FacetKind], Ward: r.Values[registry.FacetWard],
		Count: r.Count, values: r.Values, dims: dims}
	if v := r.Values[registry.StatFoundedYear]; v != nil {
		if y, err := strconv.Atoi(*v); err == nil {
			out.FoundedYear = &y
		}
	}
	return out
}

// statsCSV writes stats as CSV: a column for each grouped dimension, in
// the order asked, then count; an empty cell is an absent ward or year.
func statsCSV(c echo.Context, rows []registry.StatRow, dims []string, style export.Style) error {
	res := c.Response()
	res.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	res.WriteHeader(http.StatusOK)
	if err := style.WriteBOM(res); err != nil {
		return err
	}
	w := csv.NewWriter(res)
	if err := w.Write(append(slices.Clone(dims), "count")); err != nil {
		return err
	}
	for _, r := range rows {
		record := make([]string, 0, len(dims)+1)
		for _, dim := range dims {
			v := ""
			if p := r.Values[dim]; p != nil {
				v = *p
			}
			record = append(record, v)
		}
		if err := w.Write(style.Cells(append(record, strconv.Itoa(r.Count)))); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// statsFormat picks stats' representation: the format parameter, else
// Accept, else JSON.
func statsFormat(r *http.Request) (string, error) {
	if f := r.URL.Query().Get("format"); f != "" {
		if f != formatJSON && f != formatCSV {
			return "", malformed("format must be json or csv.")
		}
		return f, nil
	}
	accept := r.Header.Get(echo.HeaderAccept)
	if accept == "" {
		return formatJSON, nil
	}
	switch goautoneg.Negotiate(accept, []string{"application/json", "text/csv", "application/problem+json"}) {
	case "application/json", "application/problem+json":
		return formatJSON, nil
	case "text/csv":
		return formatCSV, nil
	}
	return "", echo.NewHTTPError(http.StatusNotAcceptable, "Acceptable answers are application/json and text/csv (or format=csv).")
}

// StatList is the answer of GET /v1/stats.
type StatList struct {
	Data []StatRow `json:"data"`
} // @name StatList

// stats counts entities by sector, kind, ward and founded year.
//
//	@Summary		Count entities
//	@ID			getStats
//	@x-key-optional	true
//	@Description	Counts active entities (or archived/all, with an editor key) grouped by one or more of sector, kind, ward and founded_year, over the same filters as the listing, q included. An entity in two sectors counts in both. Rows come by count, largest first, ties in the order of their values; ward is the ward's name, founded_year a number, either null for entities without one. The listing's facets agree with these counts.
//	@Description	`format=csv` (or `Accept: text/csv`) answers the same rows as CSV: a column for each grouped dimension in the order of group_by, then count; an empty cell is a missing ward or year. As for exports, the CSV is for spreadsheets by default (a byte-order mark unless `bom=false`) and `csv=raw` gives it plain for programs.
//	@Tags			research
//	@Produce		json
//	@Produce		text/csv
//	@Param			group_by		query		string		true	"comma-separated of sector, kind, ward, founded_year"	example(sector,kind)
//	@Param			format			query		string		false	"json (default) or csv; overrides Accept"	Enums(json, csv)
//	@Param			bom				query		bool		false	"CSV: start with a UTF-8 byte-order mark (default true)"
//	@Param			csv				query		string		false	"CSV: spreadsheet (default) or raw (for programs: no byte-order mark, no apostrophes)"	Enums(spreadsheet, raw)
//	@Param			sector			query		[]string	false	"sector slugs (repeatable or comma-separated)"	collectionFormat(multi)
//	@Param			match			query		string		false	"any (default) or all"	Enums(any, all)
//	@Param			kind			query		[]string	false	"kind slugs"	collectionFormat(multi)
//	@Param			ward			query		[]string	false	"wards: name or code"	collectionFormat(multi)
//	@Param			founded_from	query		int			false	"founded in or after this year"
//	@Param			founded_to		query		int			false	"founded in or before this year"
//	@Param			updated_since	query		string		false	"updated at or after this time: RFC 3339, or a date (midnight in Hà Nội, UTC+7)"	example(2026-11-01)
//	@Param			status			query		string		false	"active (default); archived and all need an editor key"	Enums(active, archived, all)
//	@Param			q				query		string		false	"search words"
//	@Param			If-None-Match	header		string		false	"the ETag of the answer you have: 304 while it is unchanged"	example(W/"3f2a9c")
//	@Success		200				{object}	StatList
//	@Success		304	"not modified: the answer you have (If-None-Match) is current"
//	@Header			200,304	{string}	ETag			"an entity tag of this answer, for If-None-Match"
//	@Header			200,304	{string}	Cache-Control	"how long shared and private caches may reuse the answer before revalidating it"
//	@Failure		400				{object}	Problem	"missing or bad group_by, malformed or unknown filter"
//	@Failure		401				{object}	Problem	"bad key, or status archived/all without an editor key"
//	@Failure		406				{object}	Problem	"Accept names neither JSON nor CSV"
//	@Failure		429				{object}	Problem	"rate limited (see Retry-After)"
//	@Failure		503				{object}	Problem	"database unavailable, or the server too busy to compute the answer before REQUEST_TIMEOUT"
//	@Router			/v1/stats [get]
func (s *Server) stats(c echo.Context) error {
	values := maps.Clone(c.QueryParams()) // the cache key needs the original
	groupBy := values.Get("group_by")
	if groupBy == "" {
		return malformed("group_by is required: one or more of sector, kind, ward, founded_year, comma-separated.")
	}
	var dims []string
	for _, d := range registry.SplitList(groupBy) {
		if !slices.Contains(registry.StatDimensions, d) {
			return malformed("group_by: %q is not one of sector, kind, ward, founded_year.", d)
		}
		if !slices.Contains(dims, d) {
			dims = append(dims, d)
		}
	}
	format, err := statsFormat(c.Request())
	if err != nil {
		return err
	}
	style, err := parseCSVStyle(values)
	if err != nil {
		return err
	}
	for _, p := range []string{"group_by", "format", "csv", "bom"} {
		values.Del(p)
	}
	f, err := s.parseFilter(values, filterParams)
	if err != nil {
		return err
	}
	if err := s.checkStatus(c, f.Status); err != nil {
		return err
	}
	// One address, two representations: a cache must ask again for
	// another Accept, and the representation is part of the key.
	c.Response().Header().Add(echo.HeaderVary, echo.HeaderAccept)
	private := f.Status != registry.StatusFilterActive && f.Status != ""
	return s.serveRead(c, cacheKey(c)+"#"+format, private, func(c echo.Context) error {
		rows, err := s.svc.Stats(c.Request().Context(), f, dims)
		if err != nil {
			return err
		}
		if format == formatCSV {
			return statsCSV(c, rows, dims, style)
		}
		out := StatList{Data: make([]StatRow, len(rows))}
		for i, r := range rows {
			out.Data[i] = statRow(r, dims)
		}
		return c.JSON(http.StatusOK, out)
	})
}

// ChangeEntry is one change of the registry.
type ChangeEntry struct {
	// Gap-free, in commit order, from 1.
	Seq      int64  `json:"seq" example:"1042"`
	EntityID string `json:"entity_id" example:"0193b0c4-5d1e-7c2a-9f00-3c1d2e4f5a6b"`
	// The entity's slug after the change.
	Slug    string    `json:"slug" example:"xuong-gom-bat-trang"`
	Action  string    `json:"action" enums:"created,updated,archived,restored" example:"updated"`
	Version int       `json:"version" example:"3"`
	At      time.Time `json:"at" example:"2026-11-22T10:15:00Z"`
} // @name ChangeEntry

// ChangeList is a page of the change feed.
type ChangeList struct {
	Data []ChangeEntry `json:"data"`
	// Pass as after for the next page; equals after on an empty page.
	NextAfter int64 `json:"next_after" example:"1042"`
} // @name ChangeList

// changes is the change feed.
//
//	@Summary		Change feed
//	@ID			listChanges
//	@Description	Every change of every entity (created, updated, archived, restored) in commit order, numbered without gaps from 1, so that a partner can mirror the registry by polling: start with after=0, apply each change (GET /v1/entities/{entity_id}/history/{version} is the entity as the change left it), then poll again with after=next_after.
//	@Tags			research
//	@Produce		json
//	@Param			after	query		int	false	"the last seq you have (default 0: from the beginning)"	minimum(0)
//	@Param			limit	query		int	false	"at most this many changes, 1 to 1000 (default 100)"	minimum(1)	maximum(1000)
//	@Param			If-None-Match	header		string		false	"the ETag of the answer you have: 304 while it is unchanged"	example(W/"3f2a9c")
//	@Success		200		{object}	ChangeList
//	@Success		304	"not modified: the answer you have (If-None-Match) is current"
//	@Header			200,304	{string}	ETag			"an entity tag of this answer, for If-None-Match"
//	@Header			200,304	{string}	Cache-Control	"how long shared and private caches may reuse the answer before revalidating it"
//	@Failure		400		{object}	Problem	"malformed after or limit"
//	@Failure		401		{object}	Problem	"bad or revoked API key (reads need none)"
//	@Failure		429		{object}	Problem	"rate limited (see Retry-After)"
//	@Failure		503		{object}	Problem	"database unavailable, or the server too busy to compute the answer before REQUEST_TIMEOUT"
//	@Router			/v1/changes [get]
func (s *Server) changes(c echo.Context) error {
	for name, vs := range c.QueryParams() {
		if name != "after" && name != "limit" {
			return malformed("%q is not a query parameter of the change feed (after, limit).", name)
		}
		if len(vs) > 1 {
			return malformed("%s may be given once.", name)
		}
	}
	after := int64(0)
	if v := c.QueryParam("after"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return malformed("after must be a sequence number (0 or more).")
		}
		after = n
	}
	limit := 100
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 1 || n > 1000 {
			return malformed("limit must be an integer from 1 to 1000.")
		}
		limit = n
	}
	return s.serveRead(c, cacheKey(c), false, func(c echo.Context) error {
		changes, err := s.svc.Changes(c.Request().Context(), after, limit)
		if err != nil {
			return err
		}
		out := ChangeList{Data: make([]ChangeEntry, len(changes)), NextAfter: after}
		for i, ch := range changes {
			out.Data[i] = ChangeEntry{Seq: ch.Seq, EntityID: ch.EntityID, Slug: ch.Slug, Action: string(ch.Action), Version: ch.Version, At: ch.At}
			out.NextAfter = ch.Seq
		}
		return c.JSON(http.StatusOK, out)
	})
}
