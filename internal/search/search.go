// Package search is the one place where q is understood: how text is split
// into words and folded, when a query word matches a word of an entity, and
// how matches rank. The in-memory index (internal/index) and the database's
// own search (internal/store) both call it, so both engines find and order
// exactly the same entities.
//
// Matching (API.md, q): every query word must match a word of the entity
// from its start, after folding (case, diacritics, đ → d). A query word of
// 5 or more letters also matches a whole word one edit away (9 or more
// letters: two edits), as the contract says, always. Typo matches do not
// flood: fewer edits is the first criterion of relevance, so every entity
// matched without a typo comes before any matched with one, and a first
// page that exact matches can fill holds none of them.
//
// Relevance, most important first: fewer edits; the query's words adjacent
// and in order in one field (a phrase); whole words over prefixes; the
// diacritics typed matched as typed; then the field (name, name_en, ward and
// street, description). Each query word takes its best match by these
// criteria; an entity's key is the sum over the words (Key), or, when its
// fields hold the words as a phrase, the better of that and the phrase's.
//
// "As typed": a query word is matched as typed when its letters (with their
// marks and đ, the tone mark's placement aside, so "hoà" and "hòa" are the
// same) begin the entity's word as written. A word typed without
// diacritics is matched as typed only by a word written without them
// ("art" in "Art Space"); between Vietnamese words it decides nothing, and
// whole words and fields do: "dong da" ranks the ward Đống Đa (two whole
// words, a phrase, in the ward) above "Đồng Dao" (where "da" only begins
// "dao").
package search

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/vellum/levenshtein"
	"golang.org/x/text/unicode/norm"

	"github.com/hanoicreative/registry/internal/fold"
)

// Split returns the words of text: the runs of letters, digits and
// combining marks (so decomposed input keeps its marks on its letters);
// everything else (spaces, punctuation) separates words.
func Split(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
	})
}

// Token is a word as search compares it: folded, and as written (lower
// case, its tone mark set apart).
type Token struct {
	Folded string // "lua"
	Base   string // the word as written without its tone mark, NFC: "lua" for "lụa", "lưa" for "lửa"
	Tones  string // the tone marks, decomposed: "\u0323" for "lụa"
}

// NewToken makes the token of one word (a word of Split).
func NewToken(word string) Token {
	if ascii(word) {
		w := strings.ToLower(word)
		return Token{Folded: w, Base: w}
	}
	var base, tones strings.Builder
	for _, r := range norm.NFD.String(word) {
		if isTone(r) {
			tones.WriteRune(r)
			continue
		}
		base.WriteRune(unicode.ToLower(r))
	}
	b := norm.NFC.String(base.String())
	return Token{Folded: fold.String(b), Base: b, Tones: tones.String()}
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Tokenizer makes tokens as NewToken does, remembering those of the words
// it saw last (names and descriptions repeat their words): an index reads
// millions of words.
type Tokenizer struct {
	seen map[string]Token
}

// Token returns the token of word.
func (t *Tokenizer) Token(word string) Token {
	if tk, ok := t.seen[word]; ok {
		return tk
	}
	if t.seen == nil || len(t.seen) >= 1<<16 {
		t.seen = make(map[string]Token, 1<<10)
	}
	tk := NewToken(word)
	t.seen[word] = tk
	return tk
}

// Segments splits an entity's text into its segments, as
// EntityText.Segments does.
func (t *Tokenizer) Segments(e EntityText) []Segment[Token] {
	seg := func(f Field, text string) Segment[Token] {
		words := Split(text)
		out := make([]Token, len(words))
		for i, w := range words {
			out[i] = t.Token(w)
		}
		return Segment[Token]{f, out}
	}
	return []Segment[Token]{seg(FieldName, e.Name), seg(FieldNameEn, e.NameEn), seg(FieldPlace, e.Ward),
		seg(FieldPlace, e.Street), seg(FieldDescription, e.Description)}
}

// Tokens splits text into its tokens.
func Tokens(text string) []Token {
	words := Split(text)
	out := make([]Token, len(words))
	for i, w := range words {
		out[i] = NewToken(w)
	}
	return out
}

// isTone reports whether r is one of Vietnamese's five tone marks
// (decomposed): grave, acute, tilde, hook above, dot below. The other marks
// (circumflex, breve, horn) make letters of their own and stay.
func isTone(r rune) bool {
	switch r {
	case '\u0300', '\u0301', '\u0303', '\u0309', '\u0323':
		return true
	}
	return false
}

// Key is a packed string of a token, as an index's vocabulary keeps it:
// the folded word first, so that the words beginning with a folded prefix
// are neighbours in sorted order.
func (t Token) Key() string { return t.Folded + KeySeparator + t.Base + KeySeparator + t.Tones }

// KeySeparator ends the folded word in a Key; no word holds it.
const KeySeparator = "\x01"

// ParseKey reads a Key back.
func ParseKey(k string) Token {
	folded, rest, _ := strings.Cut(k, KeySeparator)
	base, tones, _ := strings.Cut(rest, KeySeparator)
	return Token{Folded: folded, Base: base, Tones: tones}
}

// Word is a word of a query.
type Word struct {
	Token
	// MaxEdits is how many edits a typo match may have: 0 below 5
	// letters, 1 from 5, 2 from 9.
	MaxEdits int
}

// NewWord makes a query word.
func NewWord(w string) Word {
	t := NewToken(w)
	n := utf8.RuneCountInString(t.Folded)
	edits := 0
	switch {
	case n >= 9:
		edits = 2
	case n >= 5:
		edits = 1
	}
	return Word{Token: t, MaxEdits: edits}
}

// Query is the words of q, parsed.
type Query struct {
	Words []Word
	// Typos says, by word, whether it may match with edits: those of 5
	// letters or more.
	Typos []bool
	dfas  []*levenshtein.DFA
}

// NewQuery parses q's words (as Split gives them).
func NewQuery(words []string) *Query {
	q := &Query{Words: make([]Word, len(words)), Typos: make([]bool, len(words)), dfas: make([]*levenshtein.DFA, len(words))}
	for i, w := range words {
		q.Words[i] = NewWord(w)
		q.Typos[i] = q.Words[i].MaxEdits > 0
	}
	return q
}

// Match is how a query word matches a token.
type Match struct {
	Edits   uint8 // 0 when it begins the token
	Prefix  bool  // it begins the token without being all of it
	Untyped bool  // not matched as typed (see the package comment)
}

// MatchToken reports whether query word i matches t, and how.
func (q *Query) MatchToken(i int, t Token) (Match, bool) {
	w := q.Words[i]
	if strings.HasPrefix(t.Folded, w.Folded) {
		return Match{
			Prefix:  len(t.Folded) != len(w.Folded),
			Untyped: !strings.HasPrefix(t.Base, w.Base) || t.Tones != w.Tones,
		}, true
	}
	if !q.Typos[i] || w.MaxEdits == 0 {
		return Match{}, false
	}
	dfa, err := q.DFA(i)
	if err != nil {
		return Match{}, false
	}
	ok, d := dfa.MatchAndDistance(t.Folded)
	if !ok || d == 0 || int(d) > w.MaxEdits {
		return Match{}, false
	}
	return Match{Edits: d, Untyped: true}, true
}

// DFA is the Levenshtein automaton of word i's typo matches (vellum's),
// made when first asked for.
func (q *Query) DFA(i int) (*levenshtein.DFA, error) {
	if q.dfas[i] != nil {
		return q.dfas[i], nil
	}
	w := q.Words[i]
	b, err := automata[w.MaxEdits-1]()
	if err != nil {
		return nil, err
	}
	d, err := b.BuildDfa(w.Folded, uint8(w.MaxEdits))
	if err != nil {
		return nil, err
	}
	q.dfas[i] = d
	return d, nil
}

// automata build, once each, vellum's Levenshtein automaton builders for
// one and two edits (a few milliseconds); they are immutable and safe to
// share. A builder accepts words up to its own distance, whatever the
// distance asked of its automaton, so each distance has its own.
var automata = [2]func() (*levenshtein.LevenshteinAutomatonBuilder, error){
	sync.OnceValues(func() (*levenshtein.LevenshteinAutomatonBuilder, error) {
		return levenshtein.NewLevenshteinAutomatonBuilder(1, false)
	}),
	sync.OnceValues(func() (*levenshtein.LevenshteinAutomatonBuilder, error) {
		return levenshtein.NewLevenshteinAutomatonBuilder(2, false)
	}),
}
