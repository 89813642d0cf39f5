package api_test

import (
	"cmp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/hanoicreative/registry/api"
)

// This file restates API.md's matching rule for q (Entities, GET
// /v1/entities, q), independently of how the service implements it, to
// tell of every entity of the data set whether a query must find it:
//
//   - the query and the entity's name, name_en, description, ward and
//     street are split into words at spaces and punctuation and folded
//     (case and diacritics, đ → d);
//   - every query word must match a word of the entity from its start;
//   - a query word of 5 or more letters also matches a word one edit
//     away, of 9 or more letters two edits away.
//
// Where the contract's words leave room (is a swap of two letters one edit
// or two? may a typo also match a word's start?), the model answers
// "either way" and the tests assert nothing about that entity.

// matchClass is what the contract says about a query and an entity.
type matchClass int

const (
	noMatch    matchClass = iota // must not be found
	exactMatch                   // every query word starts a word: no typo
	typoMatch                    // found only with a typo in some word
	eitherWay                    // the contract's words leave it open
)

// foldForTest folds as API.md says: decomposed, without combining marks,
// đ as d, lower case.
func foldForTest(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ' || r == 'Đ':
			b.WriteRune('d')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// wordsForTest splits folded text into words at everything that is not a
// letter or a digit.
func wordsForTest(s string) []string {
	return strings.FieldsFunc(foldForTest(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// searchedWords are the words of the fields q searches.
func searchedWords(e api.Entity) []string {
	var out []string
	for _, field := range []*string{&e.Name, e.NameEn, e.Description, e.Address.Ward, e.Address.Street} {
		if field != nil {
			out = append(out, wordsForTest(*field)...)
		}
	}
	return out
}

// classify says whether the query must find the entity, and how.
func classify(query string, e api.Entity) matchClass {
	words := searchedWords(e)
	class := exactMatch
	for _, q := range wordsForTest(query) {
		switch c := classifyWord(q, words); {
		case c == noMatch:
			return noMatch
		case c == eitherWay:
			class = eitherWay
		case c == typoMatch && class == exactMatch:
			class = typoMatch
		}
	}
	return class
}

// classifyWord classifies one folded query word against the entity's words.
func classifyWord(q string, words []string) matchClass {
	for _, w := range words {
		if strings.HasPrefix(w, q) {
			return exactMatch
		}
	}
	edits := allowedEdits(q)
	if edits == 0 {
		return noMatch
	}
	for _, w := range words {
		if levenshtein(q, w) <= edits {
			return typoMatch
		}
	}
	for _, w := range words {
		// A swap of adjacent letters counted as one edit, or a typo in the
		// start of a longer word: the contract does not say.
		if swapDistance(q, w) <= edits || prefixDistance(q, w) <= edits {
			return eitherWay
		}
	}
	return noMatch
}

// allowedEdits is how many edits API.md allows a query word of its length.
func allowedEdits(q string) int {
	switch n := utf8.RuneCountInString(q); {
	case n >= 9:
		return 2
	case n >= 5:
		return 1
	}
	return 0
}

// levenshtein counts insertions, deletions and substitutions.
func levenshtein(a, b string) int { return editDistance([]rune(a), []rune(b), false) }

// swapDistance also counts a swap of adjacent letters as one edit.
func swapDistance(a, b string) int { return editDistance([]rune(a), []rune(b), true) }

// prefixDistance is the least edit distance from a to a start of b.
func prefixDistance(a, b string) int {
	rb := []rune(b)
	best := len([]rune(a))
	for i := 1; i <= len(rb); i++ {
		best = min(best, editDistance([]rune(a), rb[:i], true))
	}
	return best
}

func editDistance(a, b []rune, swaps bool) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if swaps && i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// The ranking rule, restated to check the relevance table itself (without
// a server): every expectation of the table must hold under each reading
// of the points API.md leaves open, so that a failure of the table on the
// server is the server's, not the table's.

// reading is one way to read what API.md's ranking rule leaves open.
type reading struct {
	// plainIsFolded: a query word typed without diacritics ("lua")
	// matches "lụa" only folded (else it has no diacritics to match and
	// every match is alike).
	plainIsFolded bool
	// toneAlike: the old and new tone placements ("hoà", "hòa") are the
	// same diacritics.
	toneAlike bool
	// fieldSum: a query of several words ranks by the sum of its words'
	// best fields (else by the worst of them).
	fieldSum bool
	// editsCount: "fewer typos" counts edits (else words with a typo).
	editsCount bool
}

// newTonePlacement moves tone marks from the old placement to the new.
var newTonePlacement = strings.NewReplacer("oà", "òa", "oá", "óa", "oả", "ỏa", "oã", "õa", "oạ", "ọa",
	"oè", "òe", "oé", "óe", "oẻ", "ỏe", "oẽ", "õe", "oẹ", "ọe", "uỳ", "ùy", "uý", "úy", "uỷ", "ủy", "uỹ", "ũy", "uỵ", "ụy")

// textWords splits text as wordsForTest does, returning each word both
// folded and as written (lower case, NFC).
func textWords(s string) (folded, written []string) {
	written = strings.FieldsFunc(strings.ToLower(norm.NFC.String(s)), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	folded = make([]string, len(written))
	for i, w := range written {
		folded[i] = foldForTest(w)
	}
	return folded, written
}

// wordMatch is how one query word matches one word of a field.
type wordMatch struct {
	ok, whole, exact bool
	edits            int
}

// splitField is one searched field split into words, folded and as
// written, with the field's rank (name, name_en, ward and street,
// description).
type splitField struct {
	folded, written []string
	rank            int
}

// splitEntity splits the fields q searches.
func splitEntity(e api.Entity) []splitField {
	var out []splitField
	for _, f := range []struct {
		text *string
		rank int
	}{{&e.Name, 0}, {e.NameEn, 1}, {e.Address.Ward, 2}, {e.Address.Street, 2}, {e.Description, 3}} {
		if f.text != nil {
			folded, written := textWords(*f.text)
			out = append(out, splitField{folded, written, f.rank})
		}
	}
	return out
}

// rankKeys gives the entity's place for the query (words folded and as
// typed) under the reading, most important first (smaller ranks first),
// and under the same reading with r.fieldSum and r.editsCount each way
// (they change no match, only the key); ok is false when it does not match.
func rankKeys(qFolded, qWritten []string, fields []splitField, r reading) (keys map[reading][]int, ok bool) {
	// matches[f][p][i]: query word i against word p of field f.
	matches := make([][][]wordMatch, len(fields))
	for f, field := range fields {
		for p := range field.folded {
			row := make([]wordMatch, len(qFolded))
			for i, q := range qFolded {
				row[i] = matchWord(q, qWritten[i], field.folded[p], field.written[p], r)
			}
			matches[f] = append(matches[f], row)
		}
	}
	var typos, edits, prefixes, folded, worstField, fieldSum int
	for i := range qFolded {
		found, best, whole, exact, field := false, 99, false, false, 99
		for f := range fields {
			for _, row := range matches[f] {
				if m := row[i]; m.ok {
					found, best, whole, exact = true, min(best, m.edits), whole || m.whole, exact || m.exact
					field = min(field, fields[f].rank)
				}
			}
		}
		if !found {
			return nil, false
		}
		if best > 0 {
			typos++
			edits += best
		}
		if !whole {
			prefixes++
		}
		if !exact {
			folded++
		}
		worstField, fieldSum = max(worstField, field), fieldSum+field
	}
	phrase := 1
	for f := range fields {
		for p := 0; p+len(qFolded) <= len(matches[f]); p++ {
			all := true
			for i := range qFolded {
				all = all && matches[f][p+i][i].ok
			}
			if all {
				phrase = 0
			}
		}
	}
	keys = map[reading][]int{}
	for _, sum := range []bool{false, true} {
		for _, count := range []bool{false, true} {
			r.fieldSum, r.editsCount = sum, count
			keys[r] = []int{cond(count, edits, typos), phrase, prefixes, folded, cond(sum, fieldSum, worstField)}
		}
	}
	return keys, true
}

// matchWord matches a query word (folded and as typed) against a word of
// an entity (folded and as written).
func matchWord(q, qTyped, w, wWritten string, r reading) wordMatch {
	exact := func() bool {
		if !r.plainIsFolded && q == qTyped {
			return true // no diacritics typed: nothing to match exactly
		}
		if r.toneAlike {
			qTyped, wWritten = newTonePlacement.Replace(qTyped), newTonePlacement.Replace(wWritten)
		}
		return strings.HasPrefix(wWritten, qTyped)
	}
	if strings.HasPrefix(w, q) {
		return wordMatch{ok: true, whole: w == q, exact: exact()}
	}
	if n := allowedEdits(q); n > 0 {
		// Words that differ in length by more than n are more than n apart.
		if abs(utf8.RuneCountInString(q)-utf8.RuneCountInString(w)) <= n {
			if d := levenshtein(q, w); d <= n {
				return wordMatch{ok: true, whole: true, edits: d, exact: !r.plainIsFolded && q == qTyped}
			}
		}
	}
	return wordMatch{}
}

func abs(n int) int { return max(n, -n) }

func cond(c bool, a, b int) int {
	if c {
		return a
	}
	return b
}

// TestRelevanceTableFollowsTheContract ranks the data set by the rule
// restated above, under every reading of what the rule leaves open, and
// checks the relevance table against each ranking.
func TestRelevanceTableFollowsTheContract(t *testing.T) {
	entities := readRelevanceData(t)
	split := make([][]splitField, len(entities))
	for i, e := range entities {
		split[i] = splitEntity(e)
	}
	for bits := range 4 {
		matching := reading{plainIsFolded: bits&1 != 0, toneAlike: bits&2 != 0}
		for _, tc := range relevanceCases {
			qFolded, qWritten := textWords(tc.q)
			type ranked struct {
				slug, name string
				order      int
				keys       map[reading][]int
			}
			var found []ranked
			for i, e := range entities {
				if keys, ok := rankKeys(qFolded, qWritten, split[i], matching); ok {
					found = append(found, ranked{e.Slug, foldForTest(e.Name), i, keys})
				}
			}
			for keyBits := range 4 {
				r := matching
				r.fieldSum, r.editsCount = keyBits&1 != 0, keyBits&2 != 0
				// Then folded name, then id (the ids are in import order).
				slices.SortFunc(found, func(a, b ranked) int {
					return cmp.Or(slices.Compare(a.keys[r], b.keys[r]), cmp.Compare(a.name, b.name), cmp.Compare(a.order, b.order))
				})
				slugs := make([]string, len(found))
				for i, f := range found {
					slugs[i] = f.slug
				}
				if fails := checkRelevance(tc, slugs); len(fails) > 0 {
					t.Errorf("under %+v, q=%q: %s\n  the rule gives %s", r, tc.q, strings.Join(fails, "; "), shortList(slugs, 12))
				}
			}
		}
	}
}
