package index

import (
	"bytes"
	"cmp"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
)

// firstByName returns, in name order, the first k documents of cands, and
// not of except (nil: none; a subset of cands), whose place by name (rank)
// is start or later.
//
// When the candidates are many, walking the name order from start finds k
// of them after some k·N/|cands| tests; when they are few, or gathered far
// from start (names sharing their first word are neighbours in this
// order), sorting their places is cheaper. The walk gives up for the
// other way once it has tested a few times what it expected to.
func (ix *index) firstByName(cands, except *roaring.Bitmap, start, k int) []uint32 {
	total := len(ix.byName)
	n := int(cands.GetCardinality())
	in := cands.Contains
	if except != nil {
		n -= int(except.GetCardinality())
		in = func(d uint32) bool { return cands.Contains(d) && !except.Contains(d) }
	}
	if k <= 0 || n == 0 || start >= total {
		return nil
	}
	if n*n >= k*(total-start) {
		budget := 4*k*(total-start)/n + 256
		var out []uint32
		for i := start; i < total && len(out) < k && budget > 0; i, budget = i+1, budget-1 {
			if d := ix.byName[i]; in(d) {
				out = append(out, d)
			}
		}
		if len(out) == k || budget > 0 {
			return out // k found, or the whole order walked
		}
	}
	top := queue[uint32]{less: func(a, b uint32) bool { return a > b }} // the highest kept first
	it := cands.Iterator()
	for it.HasNext() {
		d := it.Next()
		r := ix.rank[d]
		if int(r) < start || except != nil && except.Contains(d) {
			continue
		}
		if top.Len() < k {
			top.push(r)
		} else if r < top.first() {
			top.replaceFirst(r)
		}
	}
	ranks := slices.Sorted(slices.Values(top.items))
	out := make([]uint32, len(ranks))
	for i, r := range ranks {
		out[i] = ix.byName[r]
	}
	return out
}

// placeAfter returns the first place by name whose (name, id) is above
// the given one.
func (ix *index) placeAfter(name []byte, id [16]byte) int {
	i, _ := slices.BinarySearchFunc(ix.byName, struct{}{}, func(d uint32, _ struct{}) int {
		if c := cmp.Or(bytes.Compare(ix.name(d), name), bytes.Compare(ix.docs[d].id[:], id[:])); c > 0 {
			return 1
		}
		return -1
	})
	return i
}
