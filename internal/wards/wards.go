// Package wards knows Hà Nội's 126 commune-level units (51 phường, 75 xã,
// after the 1 July 2025 reform): their names, how to resolve what a user
// typed for one, and their boundaries, so a point can be placed in a ward.
//
// The data is embedded, so the binary needs no files at run time. Load
// parses it once into an Index; the Index is immutable afterwards and is
// passed to whoever needs it rather than kept in a package variable, which
// keeps tests independent and the package free of hidden state.
package wards

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hanoicreative/registry/internal/fold"
	"github.com/tidwall/rtree"
)

// The licence notice for both files is data/NOTICE.md; it must travel with
// them in the repository but has nothing the program needs, so it is not
// embedded.
var (
	//go:embed data/hanoi-wards.json
	unitsJSON []byte
	//go:embed data/hanoi-wards.geojson
	boundariesJSON []byte
)

// Ward is one commune-level unit. Code is the 5-digit code of the General
// Statistics Office ("00070"); CodeName is the ASCII slug of the source data
// ("hoan_kiem").
type Ward struct {
	Code       string
	Name       string // "Hoàn Kiếm"
	NameEn     string // "Hoan Kiem"
	FullName   string // "Phường Hoàn Kiếm"
	FullNameEn string // "Hoan Kiem Ward"
	CodeName   string // "hoan_kiem"
}

// Index holds the wards, the lookup tables for Resolve and the boundaries
// with their spatial index. Nothing in it changes after Load, so one Index
// can serve any number of goroutines without locking.
type Index struct {
	wards  []Ward
	byCode map[string]int // code → position in wards
	byKey  map[string]int // normalised spelling (see key) → position in wards

	shapes []shape    // boundary of wards[i]
	geoms  []geometry // where the GeoJSON geometry of wards[i] is in boundaries
	// boundaries is the GeoJSON file as loaded: the embedded one is in
	// the binary's read-only data, not in the heap.
	boundaries []byte
	bbox       [4]float64 // minLon, minLat, maxLon, maxLat
	tree       rtree.RTreeG[part]
}

// unitsFile is the layout of data/hanoi-wards.json.
type unitsFile struct {
	BBox  []float64 `json:"bbox"`
	Units []struct {
		Code       string `json:"code"`
		Name       string `json:"name"`
		NameEn     string `json:"name_en"`
		FullName   string `json:"full_name"`
		FullNameEn string `json:"full_name_en"`
		CodeName   string `json:"code_name"`
	} `json:"units"`
}

// Load parses the embedded data and builds the index. It takes about a
// tenth of a second (the boundaries are 2.7 MB of JSON), so call it once
// at start-up and share the result.
func Load() (*Index, error) { return build(unitsJSON, boundariesJSON) }

// build is Load on explicit bytes, so tests can index small hand-made
// geometries (a polygon with a hole, say) through the same code path.
func build(units, boundaries []byte) (*Index, error) {
	var uf unitsFile
	if err := json.Unmarshal(units, &uf); err != nil {
		return nil, fmt.Errorf("wards: parsing units: %w", err)
	}
	if len(uf.BBox) != 4 {
		return nil, fmt.Errorf("wards: units bbox has %d numbers, want 4", len(uf.BBox))
	}
	x := &Index{
		wards:  make([]Ward, 0, len(uf.Units)),
		byCode: make(map[string]int, len(uf.Units)),
		byKey:  make(map[string]int, 4*len(uf.Units)),
	}
	for i, u := range uf.Units {
		// NFC so that names compare and display the same whatever form the
		// file happens to be in.
		w := Ward{
			Code:       strings.TrimSpace(u.Code),
			Name:       fold.NFC(u.Name),
			NameEn:     u.NameEn,
			FullName:   fold.NFC(u.FullName),
			FullNameEn: u.FullNameEn,
			CodeName:   u.CodeName,
		}
		if w.Code == "" || w.Name == "" {
			return nil, fmt.Errorf("wards: unit %d has no code or name", i)
		}
		if _, dup := x.byCode[w.Code]; dup {
			return nil, fmt.Errorf("wards: duplicate code %q", w.Code)
		}
		x.byCode[w.Code] = i
		for _, s := range []string{w.Code, w.Name, w.NameEn, w.FullName, w.FullNameEn, w.CodeName} {
			for _, k := range []string{key(s), withoutDash(key(s))} {
				if k == "" {
					continue
				}
				// Two wards answering to the same spelling would make Resolve
				// guess; refuse the data instead so the clash gets noticed.
				if j, taken := x.byKey[k]; taken && j != i {
					return nil, fmt.Errorf("wards: %q names both %s and %s", k, x.wards[j].Code, w.Code)
				}
				x.byKey[k] = i
			}
		}
		x.wards = append(x.wards, w)
	}
	if err := x.loadBoundaries(boundaries, [4]float64(uf.BBox)); err != nil {
		return nil, err
	}
	return x, nil
}

// All returns every ward in the order of the source file (ascending code).
// The slice is a copy: callers may sort or trim it.
func (x *Index) All() []Ward {
	out := make([]Ward, len(x.wards))
	copy(out, x.wards)
	return out
}

// ByCode returns the ward with exactly this code ("00070").
func (x *Index) ByCode(code string) (Ward, bool) {
	i, ok := x.byCode[code]
	if !ok {
		return Ward{}, false
	}
	return x.wards[i], true
}

// Resolve accepts what a user may type for a ward: the code ("00070"), the
// name with or without diacritics and in any case ("Hoàn Kiếm", "hoan
// kiem", "HOAN KIEM"), the full name ("Phường Hoàn Kiếm", "phuong hoan
// kiem"), the English name ("Hoan Kiem", "Hoan Kiem Ward") or the code_name
// ("hoan_kiem"). The kind of unit may be abbreviated ("P. Hoàn Kiếm",
// "X. Đa Phúc") and a compound name may lack its " - " ("Văn Miếu Quốc Tử
// Giám"). Surrounding and repeated inner whitespace is ignored and the
// input may be NFD-decomposed. Anything else reports false; there is no
// fuzzy matching, because a wrong ward is worse than asking again (Suggest
// offers the closest names instead).
func (x *Index) Resolve(s string) (Ward, bool) {
	i, ok := x.byKey[withoutDash(expand(key(s)))]
	if !ok {
		return Ward{}, false
	}
	return x.wards[i], true
}

// key is the form Resolve compares on: folded (lower case, no diacritics,
// đ→d, whatever the Unicode normalisation of the input) with whitespace
// runs collapsed to one space and trimmed.
func key(s string) string { return strings.Join(strings.Fields(fold.String(s)), " ") }
