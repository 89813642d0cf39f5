package registry_test

import (
	"testing"

	"github.com/hanoicreative/registry/internal/registry"
)

func TestParsePhone(t *testing.T) {
	cases := []struct{ in, want string }{
		{"024 3826 1234", "+84 24 3826 1234"},
		{"(024) 3826-1234", "+84 24 3826 1234"},
		{"0912.345.678", "+84 912 345 678"},
		{"0912345678", "+84 912 345 678"},
		{"+84 912 345 678", "+84 912 345 678"},
		{"(+84) 24-3826-1234", "+84 24 3826 1234"},
		{"84912345678", "+84 912 345 678"},
		{"+33 1 42 68 53 00", "+33 1 42 68 53 00"},
	}
	for _, c := range cases {
		got, ok := registry.ParsePhone(c.in)
		if !ok || got != c.want {
			t.Errorf("ParsePhone(%q) = %q, %v; want %q", c.in, got, ok, c.want)
		}
	}
	for _, bad := range []string{"12", "abc", "0912", "+84 0000", "1900 1234 5678 9999 0000"} {
		if got, ok := registry.ParsePhone(bad); ok {
			t.Errorf("ParsePhone(%q) = %q: want invalid", bad, got)
		}
	}
}

func TestParseSlug(t *testing.T) {
	for _, ok := range []string{"a", "xuong-gom", "zone-9", "a1-b2-c3"} {
		if _, ferr := registry.ParseSlug(ok); ferr != nil {
			t.Errorf("ParseSlug(%q): %v", ok, ferr.Message)
		}
	}
	for bad, code := range map[string]string{
		"Xuong": "slug", "a--b": "slug", "-a": "slug", "a-": "slug", "đ": "slug", "a b": "slug", "": "slug",
		"01234567-89ab-7def-8123-456789abcdef": "slug_uuid",
	} {
		if _, ferr := registry.ParseSlug(bad); ferr == nil || ferr.Code != code {
			t.Errorf("ParseSlug(%q) = %+v, want code %s", bad, ferr, code)
		}
	}
}

func TestPrecondition(t *testing.T) {
	cases := []struct {
		p    registry.Precondition
		v    int
		pass bool
	}{
		{registry.Precondition{}, 5, true},
		{registry.Precondition{Given: true, Any: true}, 5, true},
		{registry.Precondition{Given: true, Versions: []int{4, 5}}, 5, true},
		{registry.Precondition{Given: true, Versions: []int{4}}, 5, false},
		{registry.Precondition{Given: true}, 5, false}, // only weak or unparsable tags
	}
	for _, c := range cases {
		err := c.p.Check(c.v)
		if (err == nil) != c.pass {
			t.Errorf("%+v.Check(%d) = %v", c.p, c.v, err)
		}
		if err != nil && registry.ErrorCode(err) != registry.EPRECONDITION {
			t.Errorf("code %s", registry.ErrorCode(err))
		}
	}
}

func TestCursorIsTiedToItsQuery(t *testing.T) {
	q := registry.ListQuery{Filter: registry.Filter{Sectors: []string{"design"}}, Sort: registry.SortName, Limit: 5}
	c := registry.Cursor{Fingerprint: q.Fingerprint(), Keys: []string{"abc"}, ID: "id-1"}
	got, err := registry.ParseCursor(c.Encode(), q)
	if err != nil || got.ID != "id-1" || got.Keys[0] != "abc" {
		t.Fatalf("round trip: %+v %v", got, err)
	}
	// Another page size is the same listing.
	q2 := q
	q2.Limit = 50
	if _, err := registry.ParseCursor(c.Encode(), q2); err != nil {
		t.Errorf("limit change: %v", err)
	}
	// Other filters or order are not.
	q3 := q
	q3.Sort = registry.SortNameDesc
	q4 := q
	q4.Sectors = []string{"crafts"}
	for _, other := range []registry.ListQuery{q3, q4} {
		if _, err := registry.ParseCursor(c.Encode(), other); registry.ErrorCode(err) != registry.EMALFORMED {
			t.Errorf("cursor accepted for another query: %v", err)
		}
	}
	for _, junk := range []string{"", "!!", "e30", "bm90IGpzb24"} {
		if _, err := registry.ParseCursor(junk, q); registry.ErrorCode(err) != registry.EMALFORMED {
			t.Errorf("ParseCursor(%q): %v", junk, err)
		}
	}
}

func TestDiff(t *testing.T) {
	year := 2000
	a := registry.Entity{Name: "A", Kind: "artisan", Sectors: []string{"crafts"}, Status: registry.StatusActive}
	b := a
	b.Name, b.FoundedYear, b.Location = "B", &year, &registry.Location{Lat: 21, Lon: 105.8}
	b.Contact.Email = "x@y.vn"
	changes := registry.Diff(a, b)
	if len(changes) != 4 || changes["name"].From != "A" || changes["name"].To != "B" ||
		changes["founded_year"].From != nil || changes["founded_year"].To != 2000 || changes["contact.email"].To != "x@y.vn" {
		t.Fatalf("Diff = %+v", changes)
	}
	if d := registry.Diff(a, a); len(d) != 0 {
		t.Errorf("Diff of equal entities = %+v", d)
	}
	created := registry.Diff(registry.Entity{}, a)
	if len(created) != 4 { // name, kind, sectors, status
		t.Errorf("Diff from nothing = %+v", created)
	}
}

func TestMergeFieldErrors(t *testing.T) {
	row := 2
	got := registry.MergeFieldErrors(
		[]registry.FieldError{{Field: "name", Code: "type"}},
		[]registry.FieldError{{Field: "name", Code: "required"}, {Field: "kind", Code: "unknown"}, {Row: &row, Field: "name", Code: "x"}},
	)
	if len(got) != 3 || got[0].Code != "type" || got[1].Field != "kind" || got[2].Row == nil {
		t.Errorf("MergeFieldErrors = %+v", got)
	}
}
