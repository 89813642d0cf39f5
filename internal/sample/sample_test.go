package sample_test

import (
	"errors"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/hanoicreative/registry/internal/fold"
	"github.com/hanoicreative/registry/internal/refdata"
	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/sample"
	"github.com/hanoicreative/registry/internal/wards"
)

var loadWards = sync.OnceValues(wards.Load)

func index(tb testing.TB) *wards.Index {
	tb.Helper()
	x, err := loadWards()
	if err != nil {
		tb.Fatal(err)
	}
	return x
}

var emailPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*@([a-z0-9]+(-[a-z0-9]+)*\.)?example\.(vn|com)$`)

// tally is what a set of drafts covers.
type tally struct {
	sectors, kinds, wards map[string]bool
	located, nameEn, year int
}

// check asserts what every generated draft must be: within the contract's
// limits, with a unique, non-empty derived slug, sample markers, a ward
// that resolves, a location inside that ward, a valid phone number and
// contact details under the example domains.
func check(t *testing.T, x *wards.Index, drafts []registry.EntityDraft) tally {
	t.Helper()
	validSectors, validKinds := slugs(t, refdata.Sectors), slugs(t, refdata.Kinds)
	c := tally{sectors: map[string]bool{}, kinds: map[string]bool{}, wards: map[string]bool{}}
	seenSlugs := map[string]bool{}
	for _, d := range drafts {
		slug := fold.Slug(d.Name)
		if slug == "" || seenSlugs[slug] || registry.IsUUID(slug) {
			t.Fatalf("slug %q of %q: empty, repeated or UUID-shaped", slug, d.Name)
		}
		if _, err := registry.ParseSlug(slug); err != nil {
			t.Fatalf("slug %q of %q: %v", slug, d.Name, err.Message)
		}
		seenSlugs[slug] = true
		for _, s := range []string{d.Name, d.NameEn, d.Description, d.DescriptionEn, d.Street, d.Ward} {
			if !utf8.ValidString(s) || fold.NFC(s) != s || strings.TrimSpace(s) != s {
				t.Fatalf("%q: not valid, NFC and trimmed text", s)
			}
		}
		if n := utf8.RuneCountInString(d.Name); n == 0 || n > registry.MaxNameLength || utf8.RuneCountInString(d.NameEn) > registry.MaxNameLength {
			t.Fatalf("name %q: %d characters", d.Name, n)
		}
		if utf8.RuneCountInString(d.Description) > registry.MaxDescriptionLength || utf8.RuneCountInString(d.DescriptionEn) > registry.MaxDescriptionLength ||
			utf8.RuneCountInString(d.Street) > registry.MaxStreetLength {
			t.Fatalf("%q: description or street too long", d.Name)
		}
		if !strings.HasPrefix(d.Description, sample.Marker) || !strings.HasPrefix(d.DescriptionEn, sample.MarkerEn) {
			t.Fatalf("%q not marked as sample data: %q / %q", d.Name, d.Description, d.DescriptionEn)
		}
		if !validKinds[d.Kind] {
			t.Fatalf("%q: kind %q", d.Name, d.Kind)
		}
		c.kinds[d.Kind] = true
		if len(d.Sectors) < 1 || len(d.Sectors) > 3 {
			t.Fatalf("%q: %d sectors", d.Name, len(d.Sectors))
		}
		seen := map[string]bool{}
		for _, s := range d.Sectors {
			if seen[s] || !validSectors[s] {
				t.Fatalf("%q: sector %q repeated or unknown in %v", d.Name, s, d.Sectors)
			}
			seen[s], c.sectors[s] = true, true
		}
		w, ok := x.Resolve(d.Ward)
		if !ok {
			t.Fatalf("%q: ward %q does not resolve", d.Name, d.Ward)
		}
		c.wards[w.Code] = true
		if d.Location != nil {
			c.located++
			if in, ok := x.Locate(d.Location.Lat, d.Location.Lon); !ok || in.Code != w.Code {
				t.Fatalf("%q: location %+v is not in %s (%s)", d.Name, *d.Location, w.Name, w.Code)
			}
		}
		if d.NameEn != "" {
			c.nameEn++
		}
		if d.FoundedYear != nil {
			c.year++
			if *d.FoundedYear < 1950 || *d.FoundedYear > 2025 {
				t.Fatalf("%q: founded in %d", d.Name, *d.FoundedYear)
			}
		}
		if d.Phone != "" {
			if _, ok := registry.ParsePhone(d.Phone); !ok {
				t.Fatalf("%q: phone %q is not valid", d.Name, d.Phone)
			}
		}
		if d.Email != "" && (!emailPattern.MatchString(d.Email) || len(d.Email) > 254) {
			t.Fatalf("%q: email %q", d.Name, d.Email)
		}
		if d.Website != "" && d.Website != "https://"+slug+".example.vn" {
			t.Fatalf("%q: website %q, want https://%s.example.vn", d.Name, d.Website, slug)
		}
		if len(d.Links) > registry.MaxLinks {
			t.Fatalf("%q: %d links", d.Name, len(d.Links))
		}
		for _, l := range append([]string{d.Website}, d.Links...) {
			if l == "" {
				continue
			}
			u, err := url.Parse(l)
			if err != nil || u.Scheme != "https" || !(strings.HasSuffix(u.Host, "example.vn") || strings.HasSuffix(u.Host, "example.com")) {
				t.Fatalf("%q: link %q", d.Name, l)
			}
			for _, label := range strings.Split(u.Host, ".") {
				if len(label) > 63 {
					t.Fatalf("%q: host label longer than 63 in %q", d.Name, l)
				}
			}
		}
	}
	return c
}

// slugs returns the slugs of a reference list.
func slugs(t *testing.T, list func() ([]refdata.Item, error)) map[string]bool {
	t.Helper()
	items, err := list()
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]bool{}
	for _, it := range items {
		m[it.Slug] = true
	}
	return m
}

func TestSample(t *testing.T) {
	x := index(t)
	drafts := sample.Sample(x)
	if len(drafts) < 230 || len(drafts) > 270 {
		t.Fatalf("%d drafts, want 230 to 270", len(drafts))
	}
	c := check(t, x, drafts)
	if len(c.sectors) != 8 || len(c.kinds) != 7 || len(c.wards) < 60 {
		t.Errorf("%d sectors, %d kinds, %d wards; want 8, 7, at least 60", len(c.sectors), len(c.kinds), len(c.wards))
	}
	n := len(drafts)
	if c.nameEn < n/3 || c.nameEn == n || c.located < n*3/4 || c.located == n || c.year < n/2 || c.year == n {
		t.Errorf("of %d: %d with name_en, %d located, %d with a founding year; want some but not all", n, c.nameEn, c.located, c.year)
	}
	var diacritics, folded, byCode, contact, links int
	for _, d := range drafts {
		if fold.ASCII(d.Name) != d.Name {
			diacritics++
		}
		if w, _ := x.Resolve(d.Ward); d.Ward == w.Code {
			byCode++
		} else if fold.ASCII(d.Ward) == d.Ward && fold.ASCII(w.Name) != w.Name {
			folded++
		}
		if d.Phone != "" || d.Email != "" || d.Website != "" {
			contact++
		}
		if len(d.Links) > 0 {
			links++
		}
	}
	if diacritics < n*9/10 || folded == 0 || byCode == 0 || contact < n/2 || links == 0 {
		t.Errorf("of %d: %d names with diacritics, %d wards without diacritics, %d by code, %d with contact details, %d with links",
			n, diacritics, folded, byCode, contact, links)
	}
	if !reflect.DeepEqual(drafts, sample.Sample(x)) {
		t.Error("Sample is not deterministic")
	}
}

func TestSynthetic(t *testing.T) {
	x := index(t)
	a := sample.Synthetic(x, 1000, 7)
	if len(a) != 1000 || !reflect.DeepEqual(a, sample.Synthetic(x, 1000, 7)) {
		t.Fatal("Synthetic is not deterministic")
	}
	c := check(t, x, a)
	if len(c.sectors) != 8 || len(c.kinds) != 7 || len(c.wards) < 110 {
		t.Errorf("%d sectors, %d kinds, %d wards", len(c.sectors), len(c.kinds), len(c.wards))
	}
	if c.located < 620 || c.located > 780 {
		t.Errorf("%d of 1000 located, want about 700", c.located)
	}
	short, long := 0, 0
	for _, d := range a {
		n := utf8.RuneCountInString(d.Description)
		if n < 50 || n > 800 {
			t.Fatalf("description of %d characters: %q", n, d.Description)
		}
		if n < 200 {
			short++
		} else if n > 600 {
			long++
		}
	}
	if short < 100 || long < 100 {
		t.Errorf("descriptions hardly vary: %d short, %d long", short, long)
	}
	if !reflect.DeepEqual(a[:10], sample.Synthetic(x, 10, 7)) {
		t.Error("a smaller n does not give a prefix")
	}
	if reflect.DeepEqual(a[:10], sample.Synthetic(x, 10, 8)) {
		t.Error("the seed makes no difference")
	}
	if len(sample.Synthetic(x, 0, 7)) != 0 || len(sample.Synthetic(x, -1, 7)) != 0 {
		t.Error("drafts for n <= 0")
	}
}

// TestSyntheticMany checks a larger set, so that every phone prefix,
// phrase and ward is drawn many times.
func TestSyntheticMany(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	x := index(t)
	c := check(t, x, sample.Synthetic(x, 20_000, 11))
	if len(c.wards) != len(x.All()) {
		t.Errorf("%d of %d wards used", len(c.wards), len(x.All()))
	}
}

func TestSyntheticEachStops(t *testing.T) {
	x := index(t)
	stop := errors.New("stop")
	calls := 0
	err := sample.SyntheticEach(x, 100, 1, func(i int, d registry.EntityDraft) error {
		if i != calls {
			t.Fatalf("draft %d came as %d", calls, i)
		}
		if calls++; i == 4 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || calls != 5 {
		t.Errorf("err %v after %d calls, want stop after 5", err, calls)
	}
}

func BenchmarkSynthetic100k(b *testing.B) {
	x := index(b)
	for b.Loop() {
		n := 0
		if err := sample.SyntheticEach(x, 100_000, 1, func(int, registry.EntityDraft) error { n++; return nil }); err != nil || n != 100_000 {
			b.Fatal(err, n)
		}
	}
}
