package index

import (
	"bytes"
	"slices"
	"strings"

	"github.com/blevesearch/vellum"
	"github.com/blevesearch/vellum/levenshtein"

	"github.com/hanoicreative/registry/internal/search"
)

// Why vellum, and not bleve or a hand-written automaton: the index already
// does what bleve would add (inverted lists, filters, facets and keyset
// pages from bitmaps, followed from the change feed); what it lacked is a
// sorted dictionary in which the words beginning with a prefix, and those
// a Levenshtein automaton accepts, are found without testing every word.
// vellum's finite-state transducer is that dictionary, and its levenshtein
// package builds the automaton (for up to two edits) that walks it.

// lexicon is the vocabulary in sorted order, as a vellum FST from each
// token's Key to its number. An FST is built once and not changed: the
// tokens numbered since (fresh) are few and tested one by one, until there
// are enough of them to build it again.
type lexicon struct {
	fst   *vellum.FST
	upTo  uint32 // the FST holds the tokens numbered below upTo
	bytes int
}

// maxFresh is how many tokens numbered since the FST was built are tested
// one by one before it is built again (tens of milliseconds at 100,000).
const maxFresh = 4096

// refresh builds the FST again when the tokens outside it are many (or
// always, with force).
func (ix *index) refresh(force bool) error {
	n := uint32(len(ix.vocab.starts))
	if !force && n-ix.lex.upTo <= maxFresh {
		return nil
	}
	ids := make([]uint32, n)
	for i := range ids {
		ids[i] = uint32(i)
	}
	slices.SortFunc(ids, func(a, b uint32) int { return bytes.Compare(ix.vocab.word(a), ix.vocab.word(b)) })
	var buf bytes.Buffer
	b, err := vellum.New(&buf, nil)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := b.Insert(ix.vocab.word(id), uint64(id)); err != nil {
			return err
		}
	}
	if err := b.Close(); err != nil {
		return err
	}
	// Without the room the buffer grew.
	data := bytes.Clone(buf.Bytes())
	fst, err := vellum.Load(data)
	if err != nil {
		return err
	}
	ix.lex = lexicon{fst: fst, upTo: n, bytes: len(data)}
	return nil
}

// beginning returns the tokens whose folded word begins with prefix.
func (ix *index) beginning(prefix string) []uint32 {
	var out []uint32
	if ix.lex.fst != nil && prefix != "" {
		it, err := ix.lex.fst.Iterator([]byte(prefix), append([]byte(prefix), 0xff))
		for err == nil {
			_, id := it.Current()
			out = append(out, uint32(id))
			err = it.Next()
		}
	}
	for id := ix.lex.upTo; id < uint32(len(ix.vocab.starts)); id++ {
		if bytes.HasPrefix(ix.vocab.word(id), []byte(prefix)) {
			out = append(out, id)
		}
	}
	return out
}

// near returns the tokens whose folded word the automaton accepts (within
// its edits of a query word).
func (ix *index) near(dfa *levenshtein.DFA) []uint32 {
	var out []uint32
	if ix.lex.fst != nil {
		it, err := ix.lex.fst.Search(foldedPart{dfa}, nil, nil)
		for err == nil {
			_, id := it.Current()
			out = append(out, uint32(id))
			err = it.Next()
		}
	}
	for id := ix.lex.upTo; id < uint32(len(ix.vocab.starts)); id++ {
		folded, _, _ := strings.Cut(string(ix.vocab.word(id)), search.KeySeparator)
		if ok, _ := dfa.MatchAndDistance(folded); ok {
			out = append(out, id)
		}
	}
	return out
}

// foldedPart runs a Levenshtein automaton over the folded word of a
// token's Key (up to the separator) and accepts every key whose folded
// word it accepts.
type foldedPart struct{ dfa *levenshtein.DFA }

// accepted is the state after an accepted folded word: every rest of the
// key matches.
const accepted = 1 << 30

func (a foldedPart) Start() int { return a.dfa.Start() }
func (a foldedPart) IsMatch(s int) bool {
	return s == accepted
}
func (a foldedPart) CanMatch(s int) bool        { return s == accepted || a.dfa.CanMatch(s) }
func (a foldedPart) WillAlwaysMatch(s int) bool { return s == accepted }
func (a foldedPart) Accept(s int, b byte) int {
	switch {
	case s == accepted:
		return accepted
	case b == search.KeySeparator[0]:
		if a.dfa.IsMatch(s) {
			return accepted
		}
		return 0
	}
	return a.dfa.Accept(s, b)
}
