package search

// Field is where in an entity a word is: relevance prefers the name, then
// name_en, then the ward and street, then the description.
type Field uint8

const (
	FieldName Field = iota
	FieldNameEn
	FieldPlace // the ward and the street
	FieldDescription
	Fields = 4
)

// Key is an entity's relevance to a query: lower comes first. Its bits,
// most significant first, are the sums over the query's words of the
// edits (5 bits), whether the words are not a phrase (1), the prefix
// matches (4), the matches not as typed (4) and the fields (5); a query
// has at most 10 words, so no sum spills into the next.
type Key uint32

const (
	editsShift   = 14
	phraseBit    = Key(1) << 13
	prefixShift  = 9
	untypedShift = 5
)

// Score is a word's match in a field, in the bits of a Key: a query's key
// is its words' scores added up (with the phrase bit when they are not a
// phrase). Lower is better, so a word's best match is its lowest score.
func Score(m Match, f Field) Key {
	k := Key(m.Edits)<<editsShift | Key(f)
	if m.Prefix {
		k |= 1 << prefixShift
	}
	if m.Untyped {
		k |= 1 << untypedShift
	}
	return k
}

// NotPhrase is the bit a key of a query of several words has when they
// are not a phrase in the entity.
func NotPhrase(words int) Key {
	if words > 1 {
		return phraseBit
	}
	return 0
}

// FieldOf returns the field part of a score.
func FieldOf(score Key) Field { return Field(score & 0x1f) }

// Segment is a run of an entity's words in one field (the ward and the
// street are two segments of FieldPlace): a phrase is within one.
type Segment[T any] struct {
	Field  Field
	Tokens []T
}

// Rank returns the key of an entity whose words are segs, for a query of
// n words; match tells whether word i matches a token. ok is false when
// some word matches nothing.
func Rank[T any](n int, segs []Segment[T], match func(i int, t T) (Match, bool)) (key Key, ok bool) {
	const none = ^Key(0)
	best := make([]Key, n)
	for i := range best {
		best[i] = none
	}
	phrase := none
	var scores []Key // by token then word; none where no match
	for _, s := range segs {
		scores = scores[:0]
		for _, t := range s.Tokens {
			for i := range n {
				sc := none
				if m, ok := match(i, t); ok {
					sc = Score(m, s.Field)
					best[i] = min(best[i], sc)
				}
				scores = append(scores, sc)
			}
		}
		if n < 2 {
			continue
		}
		for j := 0; j+n <= len(s.Tokens); j++ {
			var sum Key
			for i := range n {
				sc := scores[(j+i)*n+i]
				if sc == none {
					sum = none
					break
				}
				sum += sc
			}
			phrase = min(phrase, sum)
		}
	}
	var sum Key
	for _, b := range best {
		if b == none {
			return 0, false
		}
		sum += b
	}
	return min(sum+NotPhrase(n), phrase), true
}

// EntityText is what q searches in an entity, as written.
type EntityText struct {
	Name, NameEn, Ward, Street, Description string
}

// Segments splits an entity's text into its segments, in field order.
func (e EntityText) Segments() []Segment[Token] {
	return []Segment[Token]{
		{FieldName, Tokens(e.Name)},
		{FieldNameEn, Tokens(e.NameEn)},
		{FieldPlace, Tokens(e.Ward)},
		{FieldPlace, Tokens(e.Street)},
		{FieldDescription, Tokens(e.Description)},
	}
}

// Rank returns the entity's key for q (ok false when it does not match).
func (q *Query) Rank(segs []Segment[Token]) (Key, bool) {
	return Rank(len(q.Words), segs, q.MatchToken)
}

// Edits returns the edits part of a key: a key's typos, its first
// criterion.
func (k Key) Edits() Key { return k >> editsShift }

// WithEdits returns the lowest key with e edits.
func WithEdits(e Key) Key { return e << editsShift }
