package sample_test

import (
	"reflect"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/hanoicreative/registry/internal/fold"
	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/sample"
	"github.com/hanoicreative/registry/internal/wards"
)

var loadWards = sync.OnceValues(wards.Load)

// check asserts what every generated draft must be: valid for the service
// (the sample is loaded through it in the command's test), with a unique
// derived slug and a location inside its ward.
func check(t *testing.T, x *wards.Index, drafts []registry.EntityDraft) (sectors, kinds, wardsUsed map[string]bool) {
	t.Helper()
	sectors, kinds, wardsUsed = map[string]bool{}, map[string]bool{}, map[string]bool{}
	slugs := map[string]bool{}
	for _, d := range drafts {
		slug := fold.Slug(d.Name)
		if slug == "" || slugs[slug] || registry.IsUUID(slug) {
			t.Fatalf("slug %q of %q: empty, repeated or UUID-shaped", slug, d.Name)
		}
		slugs[slug] = true
		if utf8.RuneCountInString(d.Name) > 200 || utf8.RuneCountInString(d.Description) > 5000 || len(d.Sectors) == 0 || len(d.Sectors) > 3 {
			t.Fatalf("out of bounds: %+v", d)
		}
		for _, text := range []string{d.Name, d.NameEn, d.Description, d.DescriptionEn, d.Street, d.Ward} {
			if !utf8.ValidString(text) {
				t.Fatalf("invalid UTF-8 in %q", text)
			}
		}
		if !strings.HasPrefix(d.Description, sample.Marker) || !strings.HasPrefix(d.DescriptionEn, sample.MarkerEn) {
			t.Fatalf("not marked as sample data: %q", d.Description)
		}
		seen := map[string]bool{}
		for _, s := range d.Sectors {
			if seen[s] {
				t.Fatalf("duplicate sector in %+v", d)
			}
			seen[s], sectors[s] = true, true
		}
		kinds[d.Kind] = true
		w, ok := x.Resolve(d.Ward)
		if !ok {
			t.Fatalf("ward %q does not resolve", d.Ward)
		}
		wardsUsed[w.Code] = true
		if d.Location != nil {
			if in, ok := x.Locate(d.Location.Lat, d.Location.Lon); !ok || in.Code != w.Code {
				t.Fatalf("%q: location %v is not in %s", d.Name, d.Location, w.Name)
			}
		}
		if d.Phone != "" {
			if _, ok := registry.ParsePhone(d.Phone); !ok {
				t.Fatalf("phone %q", d.Phone)
			}
		}
	}
	return sectors, kinds, wardsUsed
}

func TestSample(t *testing.T) {
	x, err := loadWards()
	if err != nil {
		t.Fatal(err)
	}
	drafts := sample.Sample(x)
	if len(drafts) < 230 || len(drafts) > 270 {
		t.Fatalf("%d drafts", len(drafts))
	}
	sectors, kinds, used := check(t, x, drafts)
	if len(sectors) != 8 || len(kinds) != 7 || len(used) < 60 {
		t.Errorf("%d sectors, %d kinds, %d wards", len(sectors), len(kinds), len(used))
	}
	withEn, withLoc := 0, 0
	for _, d := range drafts {
		if d.NameEn != "" {
			withEn++
		}
		if d.Location != nil {
			withLoc++
		}
	}
	if withEn < 50 || withLoc < 150 {
		t.Errorf("%d with English names, %d with locations", withEn, withLoc)
	}
	if !reflect.DeepEqual(drafts, sample.Sample(x)) {
		t.Error("Sample is not deterministic")
	}
}

func TestSynthetic(t *testing.T) {
	x, _ := loadWards()
	a := sample.Synthetic(x, 2000, 7)
	if len(a) != 2000 || !reflect.DeepEqual(a, sample.Synthetic(x, 2000, 7)) {
		t.Fatal("Synthetic is not deterministic")
	}
	sectors, kinds, used := check(t, x, a)
	if len(sectors) != 8 || len(kinds) != 7 || len(used) < 120 {
		t.Errorf("%d sectors, %d kinds, %d wards", len(sectors), len(kinds), len(used))
	}
	if reflect.DeepEqual(a[:10], sample.Synthetic(x, 10, 8)) {
		t.Error("the seed makes no difference")
	}
}

func BenchmarkSynthetic100k(b *testing.B) {
	x, _ := loadWards()
	for b.Loop() {
		n := 0
		sample.SyntheticEach(x, 100_000, 1, func(int, registry.EntityDraft) error { n++; return nil })
	}
}
