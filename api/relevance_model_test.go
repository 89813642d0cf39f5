package api_test

import (
	"strings"
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
