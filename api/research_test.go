package api_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hanoicreative/registry/api"
)

// A program reading csv=raw (as pandas or R would, with a plain CSV
// reader) gets every cell exactly as the JSON listing has it.
func TestRawCSVForPrograms(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		seedTricky(t, c)
		res := c.do("GET", "/v1/entities?format=csv&csv=raw&sort=created_at", nil).want(http.StatusOK)
		if bytes.HasPrefix(res.body, []byte("\uFEFF")) {
			t.Fatal("raw CSV starts with a byte-order mark")
		}
		records, err := csv.NewReader(bytes.NewReader(res.body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var list api.EntityList
		c.do("GET", "/v1/entities?sort=created_at", nil).want(http.StatusOK).decode(&list)
		if len(records) != len(list.Data)+1 || len(list.Data) != 4 {
			t.Fatalf("%d records for %d entities", len(records), len(list.Data))
		}
		col := map[string]int{}
		for i, name := range records[0] {
			col[name] = i
		}
		str := func(p *string) string {
			if p == nil {
				return ""
			}
			return *p
		}
		for i, e := range list.Data {
			row := records[i+1]
			want := map[string]string{
				"id": e.ID, "name": e.Name, "description": str(e.Description), "description_en": str(e.DescriptionEn),
				"phone": str(e.Contact.Phone), "email": str(e.Contact.Email), "ward": str(e.Address.Ward),
				"sectors": strings.Join(e.Sectors, ";"), "links": strings.Join(e.Links, " "),
			}
			for name, v := range want {
				if got := row[col[name]]; got != v {
					t.Errorf("%s of %s: CSV %q, JSON %q", name, e.Slug, got, v)
				}
			}
		}
		// The formula-like cells of seedTricky are there, unguarded.
		if !bytes.Contains(res.body, []byte(",+84 24 3874 0123,")) || !bytes.Contains(res.body, []byte(",@Studio Mười,")) {
			t.Errorf("raw CSV still guarded:\n%s", res.body)
		}
		// The default stays guarded for spreadsheets.
		if def := exportCSV(t, c, "sort=created_at"); !bytes.Contains(def, []byte(",'+84 24 3874 0123,")) || !bytes.HasPrefix(def, []byte("\uFEFF")) {
			t.Errorf("default CSV not for spreadsheets:\n%s", def)
		}
		c.do("GET", "/v1/entities?format=csv&csv=excel", nil).problem(http.StatusBadRequest)
	})
}

func TestStatsByYearAndAsCSV(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		seedTricky(t, c) // years 1998 and 2020, two without
		body := valid("Cũng 2020")
		body["founded_year"] = 2020
		body["sectors"] = []string{"crafts"}
		c.create(body)

		var stats struct{ Data []map[string]any }
		c.do("GET", "/v1/stats?group_by=founded_year", nil).want(http.StatusOK).decode(&stats)
		got := []string{}
		for _, row := range stats.Data {
			got = append(got, toString(row["founded_year"])+":"+toString(row["count"]))
		}
		// Largest first, ties by year, no year (null) last among equals.
		if strings.Join(got, " ") != "2020:2 null:2 1998:1" {
			t.Errorf("by year: %v", got)
		}
		c.do("GET", "/v1/stats?group_by=founded_year,sector&founded_from=2000", nil).want(http.StatusOK).decode(&stats)
		for _, row := range stats.Data {
			if y, ok := row["founded_year"].(float64); !ok || y != 2020 || row["sector"] == nil || len(row) != 3 {
				t.Errorf("row %v", row)
			}
		}

		// CSV: the same rows, from format=csv or Accept.
		want := "founded_year,count\n2020,2\n,2\n1998,1\n"
		res := c.do("GET", "/v1/stats?group_by=founded_year&format=csv&csv=raw", nil).want(http.StatusOK)
		if string(res.body) != want || !strings.HasPrefix(res.header.Get("Content-Type"), "text/csv") {
			t.Errorf("raw CSV %q (%s)", res.body, res.header.Get("Content-Type"))
		}
		res = c.do("GET", "/v1/stats?group_by=founded_year", nil, "Accept", "text/csv").want(http.StatusOK)
		if string(res.body) != "\uFEFF"+want || res.header.Get("Vary") != "Accept" {
			t.Errorf("CSV by Accept %q", res.body)
		}
		// The JSON answer is not served from the CSV's cache entry, nor the reverse.
		res = c.do("GET", "/v1/stats?group_by=founded_year", nil).want(http.StatusOK)
		if !strings.HasPrefix(res.header.Get("Content-Type"), "application/json") {
			t.Errorf("JSON after CSV: %s %q", res.header.Get("Content-Type"), res.body)
		}
		records, err := csv.NewReader(bytes.NewReader(c.do("GET", "/v1/stats?group_by=kind,ward&format=csv&bom=false", nil).want(http.StatusOK).body)).ReadAll()
		if err != nil || strings.Join(records[0], ",") != "kind,ward,count" || len(records) < 3 {
			t.Errorf("CSV by kind, ward: %q, %v", records, err)
		}
		c.do("GET", "/v1/stats?group_by=founded_year&format=geojson", nil).problem(http.StatusBadRequest)
		c.do("GET", "/v1/stats?group_by=founded_year", nil, "Accept", "application/xml").problem(http.StatusNotAcceptable)
		c.do("GET", "/v1/stats?group_by=year", nil).problem(http.StatusBadRequest)
	})
}

// A plain date in updated_since is midnight in Hà Nội, in listings,
// stats and exports alike.
func TestUpdatedSincePlainDate(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		seedTricky(t, c)
		hanoi := time.FixedZone("ICT", 7*60*60)
		today := time.Now().In(hanoi).Format(time.DateOnly)
		tomorrow := time.Now().In(hanoi).AddDate(0, 0, 1).Format(time.DateOnly)
		for date, want := range map[string]int{today: 4, tomorrow: 0} {
			var list api.EntityList
			c.do("GET", "/v1/entities?updated_since="+date, nil).want(http.StatusOK).decode(&list)
			if list.Page.Total != want {
				t.Errorf("listing since %s: %d, want %d", date, list.Page.Total, want)
			}
			var stats struct{ Data []map[string]any }
			c.do("GET", "/v1/stats?group_by=kind&updated_since="+date, nil).want(http.StatusOK).decode(&stats)
			n := 0
			for _, row := range stats.Data {
				n += int(row["count"].(float64))
			}
			if n != want {
				t.Errorf("stats since %s: %d, want %d", date, n, want)
			}
			records, _ := csv.NewReader(bytes.NewReader(c.do("GET", "/v1/entities?format=csv&csv=raw&updated_since="+date, nil).want(http.StatusOK).body)).ReadAll()
			if len(records) != want+1 {
				t.Errorf("export since %s: %d rows, want %d", date, len(records)-1, want)
			}
		}
		c.do("GET", "/v1/entities?updated_since=2026-02-30", nil).problem(http.StatusBadRequest)
	})
}

func toString(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		return x
	}
	return "?"
}
