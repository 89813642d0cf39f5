package registry_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/hanoicreative/registry/internal/pgtest"
	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/store/storetest"
)

var pg *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, &pg)) }

// valid is a draft every rule accepts.
func valid() registry.EntityDraft {
	year := 1998
	return registry.EntityDraft{Name: "Xưởng Gốm Bát Tràng", Kind: "artisan", Sectors: []string{"crafts"},
		Street: "Thôn 3", Ward: "Bát Tràng", Email: "lienhe@gombattrang.vn", Website: "https://gombattrang.vn",
		Links: []string{"https://www.facebook.com/gombattrang"}, FoundedYear: &year}
}

// invalidDrafts are drafts the service must refuse by itself, with the
// field and code each must report.
func invalidDrafts() []struct {
	name   string
	change func(*registry.EntityDraft)
	want   map[string]string // field → code
} {
	year := func(y int) *int { return &y }
	links := func(n int) []string {
		var l []string
		for i := range n {
			l = append(l, fmt.Sprintf("https://example.org/%d", i))
		}
		return l
	}
	return []struct {
		name   string
		change func(*registry.EntityDraft)
		want   map[string]string
	}{
		{"no sectors", func(d *registry.EntityDraft) { d.Sectors = nil }, map[string]string{"sectors": "required"}},
		{"empty sectors", func(d *registry.EntityDraft) { d.Sectors = []string{} }, map[string]string{"sectors": "min"}},
		{"nine sectors", func(d *registry.EntityDraft) {
			d.Sectors = []string{"crafts", "design", "a", "b", "c", "d", "e", "f", "g"}
		}, map[string]string{"sectors": "max"}},
		{"8,000-character name", func(d *registry.EntityDraft) { d.Name = strings.Repeat("Gốm ", 2000) }, map[string]string{"name": "max"}},
		{"no name", func(d *registry.EntityDraft) { d.Name = "  " }, map[string]string{"name": "required"}},
		{"javascript: link", func(d *registry.EntityDraft) { d.Links = []string{"javascript:alert(1)"} }, map[string]string{"links[0]": "url"}},
		{"javascript: website", func(d *registry.EntityDraft) { d.Website = "javascript:alert(1)" }, map[string]string{"contact.website": "url"}},
		{"bad email", func(d *registry.EntityDraft) { d.Email = "not an email" }, map[string]string{"contact.email": "email"}},
		{"missing kind", func(d *registry.EntityDraft) { d.Kind = "" }, map[string]string{"kind": "required"}},
		{"unknown kind", func(d *registry.EntityDraft) { d.Kind = "wizard" }, map[string]string{"kind": "unknown"}},
		{"eleven links", func(d *registry.EntityDraft) { d.Links = links(11) }, map[string]string{"links": "max"}},
		{"duplicate links", func(d *registry.EntityDraft) {
			d.Links = []string{"https://example.org/a", "https://example.org/b", "https://example.org/a"}
		}, map[string]string{"links[2]": "duplicate"}},
		{"year 999", func(d *registry.EntityDraft) { d.FoundedYear = year(999) }, map[string]string{"founded_year": "min"}},
		{"year 3000", func(d *registry.EntityDraft) { d.FoundedYear = year(3000) }, map[string]string{"founded_year": "max"}},
		{"long street", func(d *registry.EntityDraft) { d.Street = strings.Repeat("a", 301) }, map[string]string{"address.street": "max"}},
		{"long description", func(d *registry.EntityDraft) { d.Description = strings.Repeat("ă", 5001) }, map[string]string{"description": "max"}},
		{"right-to-left override", func(d *registry.EntityDraft) { d.Name = "Gốm \u202Egro.elpmaxe" }, map[string]string{"name": "invisible_characters"}},
		{"zero-width space", func(d *registry.EntityDraft) { d.NameEn = "Bat\u200BTrang" }, map[string]string{"name_en": "invisible_characters"}},
		{"control character", func(d *registry.EntityDraft) { d.Street = "Thôn\x003" }, map[string]string{"address.street": "control_characters"}},
		{"invalid UTF-8", func(d *registry.EntityDraft) { d.Name = "X\xffng" }, map[string]string{"name": "encoding"}},
		{"latitude out of range", func(d *registry.EntityDraft) { d.Location = &registry.Location{Lat: 91, Lon: 105.8} }, map[string]string{"location.lat": "max"}},
		{"everything at once", func(d *registry.EntityDraft) {
			d.Name, d.Kind, d.Sectors, d.Email = strings.Repeat("x", 8000), "", nil, "@"
			d.Links = []string{"javascript:alert(1)", "ftp://example.org"}
			d.FoundedYear = year(12)
		}, map[string]string{"name": "max", "kind": "required", "sectors": "required", "contact.email": "email",
			"links[0]": "url", "links[1]": "url", "founded_year": "min"}},
	}
}

// checkInvalid fails unless err is an EINVALID listing every wanted field
// with its code.
func checkInvalid(t *testing.T, err error, want map[string]string) {
	t.Helper()
	if registry.ErrorCode(err) != registry.EINVALID {
		t.Fatalf("error %v, want %s", err, registry.EINVALID)
	}
	got := map[string]string{}
	for _, f := range registry.AsError(err).Fields {
		got[f.Field] = f.Code
		if f.Message == "" || f.Format == "" {
			t.Errorf("field %s has no message or format: %+v", f.Field, f)
		}
	}
	for field, code := range want {
		if got[field] != code {
			t.Errorf("field %s: code %q, want %q (all: %v)", field, got[field], code, got)
		}
	}
}

func TestServiceRefusesInvalidDrafts(t *testing.T) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		db, w := storetest.Open(t, dsn)
		svc := registry.NewService(db, w)
		ctx := context.Background()
		count := func() int {
			t.Helper()
			page, err := svc.Entities(ctx, registry.ListQuery{Limit: 1, Filter: registry.Filter{Status: registry.StatusFilterAll}})
			if err != nil {
				t.Fatal(err)
			}
			return page.Total
		}
		existing, err := svc.CreateEntity(ctx, "test", valid())
		if err != nil {
			t.Fatalf("a valid draft: %v", err)
		}
		for _, c := range invalidDrafts() {
			t.Run(c.name, func(t *testing.T) {
				d := valid()
				d.Name = "Mới " + c.name
				c.change(&d)

				_, err := svc.CreateEntity(ctx, "test", d)
				checkInvalid(t, err, c.want)

				_, err = svc.UpdateEntity(ctx, "test", existing.ID, registry.Precondition{}, func(registry.Entity) (registry.EntityDraft, []registry.FieldError) {
					return d, nil
				})
				checkInvalid(t, err, c.want)

				_, err = svc.Import(ctx, "test", []registry.ImportRow{{Row: 2, Draft: d}}, false, nil)
				checkInvalid(t, err, c.want)
				for _, f := range registry.AsError(err).Fields {
					if f.Row == nil || *f.Row != 2 {
						t.Errorf("import field %s: row %v, want 2", f.Field, f.Row)
					}
				}

				if n := count(); n != 1 {
					t.Errorf("%d entities stored, want only the valid one", n)
				}
				if cur, err := svc.Entity(ctx, existing.ID); err != nil || cur.Version != 1 {
					t.Errorf("the valid entity changed: version %d, %v", cur.Version, err)
				}
			})
		}
	})
}

func TestSectorAndTextRules(t *testing.T) {
	_, errs := registry.ParseSector(registry.SectorDraft{Slug: "games", Name: "Trò\u2066chơi", NameEn: strings.Repeat("g", 201)})
	got := map[string]string{}
	for _, f := range errs {
		got[f.Field] = f.Code
	}
	if got["name"] != "invisible_characters" || got["name_en"] != "max" {
		t.Errorf("sector errors %v", got)
	}
	for _, ok := range []string{"Xưởng Gốm", "Café ☕ & co", "tab\tand\nline"} {
		if fe := registry.CheckText("description", ok, true); fe != nil {
			t.Errorf("CheckText(%q): %s", ok, fe.Message)
		}
	}
	for _, r := range []rune{0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200B, 0x2060, 0xFEFF} {
		if fe := registry.CheckText("name", "a"+string(r)+"b", false); fe == nil || fe.Code != "invisible_characters" {
			t.Errorf("U+%04X: %+v", r, fe)
		}
	}
}
