package index

import (
	"bytes"
	"slices"
)

// docIDs finds documents by their entities' ids: the documents in order
// of id (searched by the ids the documents hold), and those added since
// the order was last settled in a small map. A map or a numbering of
// 100,000 ids would hold them a second time, 2 MiB more.
type docIDs struct {
	sorted []uint32
	fresh  map[[16]byte]uint32
}

func newDocIDs() docIDs { return docIDs{fresh: map[[16]byte]uint32{}} }

// docOf returns the document of the entity id; ok is false when there is
// none.
func (ix *index) docOf(id [16]byte) (d uint32, ok bool) {
	s := ix.byID.sorted
	if i, found := slices.BinarySearchFunc(s, id, func(d uint32, id [16]byte) int {
		return bytes.Compare(ix.docs[d].id[:], id[:])
	}); found {
		return s[i], true
	}
	d, ok = ix.byID.fresh[id]
	return d, ok
}

// settleIDs sorts the fresh documents in when they are many (or always,
// with force: at the end of a build).
func (ix *index) settleIDs(force bool) {
	x := &ix.byID
	if len(x.fresh) == 0 || !force && len(x.fresh) <= maxFreshKeys {
		return
	}
	all := make([]uint32, 0, len(x.sorted)+len(x.fresh))
	all = append(all, x.sorted...)
	for _, d := range x.fresh {
		all = append(all, d)
	}
	slices.SortFunc(all, func(a, b uint32) int { return bytes.Compare(ix.docs[a].id[:], ix.docs[b].id[:]) })
	x.sorted, x.fresh = all, map[[16]byte]uint32{}
}

func (x *docIDs) size() uint64 { return uint64(4*cap(x.sorted) + 40*len(x.fresh)) }
