package wards

import (
	"cmp"
	"slices"
	"strings"

	"github.com/agnivade/levenshtein"
)

// unitPrefixes are how people write the kind of unit before its name, as
// folded by key: "P. Hoàn Kiếm", "p hoan kiem", "X. Đa Phúc". Each maps
// to the full form the index knows ("phuong hoan kiem"), so the kind
// still has to match the unit's: "Xã Hoàn Kiếm" is not a ward.
var unitPrefixes = []struct{ short, full string }{
	{"p. ", "phuong "}, {"p.", "phuong "}, {"p ", "phuong "}, {"ph. ", "phuong "},
	{"x. ", "xa "}, {"x.", "xa "}, {"x ", "xa "},
}

// expand rewrites an abbreviated kind of unit in a key to its full form.
func expand(k string) string {
	for _, p := range unitPrefixes {
		if rest, ok := strings.CutPrefix(k, p.short); ok && rest != "" {
			return p.full + strings.TrimSpace(rest)
		}
	}
	return k
}

// withoutDash is a key with the " - " of compound names ("van mieu - quoc
// tu giam") dropped, as people often leave it out.
func withoutDash(k string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(k, " - ", " ")), " ")
}

// bareName is a key without the kind of unit before it, the form
// suggestions compare on. The district-level kinds abolished in 2025
// (quận, huyện, thị xã, thị trấn) go too: people still write them, and
// many units kept the old district's name ("Quận Hoàn Kiếm").
func bareName(k string) string {
	k = expand(k)
	for _, p := range []string{"phuong ", "xa ", "quan ", "q. ", "huyen ", "thi xa ", "thi tran ", "tt. ", "tt "} {
		if rest, ok := strings.CutPrefix(k, p); ok {
			return rest
		}
	}
	return k
}

// MaxSuggestions is the most wards Suggest returns.
const MaxSuggestions = 3

// Suggest returns up to MaxSuggestions wards whose names are closest to
// what a user typed that Resolve did not accept, closest first: those
// within a few edits (Levenshtein distance on the folded name, a quarter
// of its length at most, at least 1) and those whose name starts with
// what was typed. Nothing close gives none: a list of unrelated wards
// would not help.
func (x *Index) Suggest(s string) []Ward {
	typed := withoutDash(bareName(key(s)))
	if typed == "" {
		return nil
	}
	type candidate struct {
		i, distance int
	}
	var found []candidate
	limit := max(1, len([]rune(typed))/4)
	for i, w := range x.wards {
		name := withoutDash(key(w.Name))
		d := levenshtein.ComputeDistance(typed, name)
		if strings.HasPrefix(name, typed+" ") {
			d = min(d, 1)
		}
		if d <= limit {
			found = append(found, candidate{i, d})
		}
	}
	slices.SortStableFunc(found, func(a, b candidate) int { return cmp.Compare(a.distance, b.distance) })
	out := make([]Ward, 0, min(len(found), MaxSuggestions))
	for _, c := range found[:min(len(found), MaxSuggestions)] {
		out = append(out, x.wards[c.i])
	}
	return out
}
