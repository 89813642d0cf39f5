// Package fold turns Vietnamese text into the accent-free, lower-case form
// that search, sorting and slugs compare on: "Đồ Thủ Công" → "do thu cong".
//
// Folding is done by the application on every write (and on every query), so
// PostgreSQL and SQLite compare exactly the same strings and neither needs
// the unaccent extension or an ICU collation.
package fold

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// NFC returns s in Unicode normalisation form C. Input from some keyboards
// (and from macOS) arrives decomposed; storing NFC makes "Hà" typed either
// way the same string.
func NFC(s string) string { return norm.NFC.String(s) }

// String folds s: decomposes it, drops combining marks (tones and the
// circumflex, breve and horn), maps đ/Đ to d and lower-cases the rest.
// Characters outside Latin script are kept, lower-cased.
func String(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			b.WriteByte('d')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// Words folds s and splits it into its whitespace-separated words, the unit
// that search matches: every word must occur somewhere.
func Words(s string) []string { return strings.Fields(String(s)) }

// Slug turns a name into its URL slug: folded, with every run of characters
// other than ASCII letters and digits replaced by one "-", trimmed of
// leading and trailing "-". It returns "" when nothing slug-worthy is left
// (a name written only in non-Latin script, say).
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range String(s) {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	return b.String()
}

// ASCII folds the diacritics out of s but keeps its case and spaces:
// "Hoàn Kiếm" → "Hoan Kiem", as people type without Vietnamese keyboards.
func ASCII(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ':
			b.WriteByte('d')
		case r == 'Đ':
			b.WriteByte('D')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
