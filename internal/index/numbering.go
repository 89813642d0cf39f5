package index

import (
	"slices"
)

// numbering maps keys to numbers, as a map would in half the memory: the
// keys there were when it was last settled are a sorted slice (found by
// binary search, and read in order by range), those numbered since are
// in a small map. An index holds two: its tokens' hashes and its pairs of
// tokens.
type numbering[K comparable] struct {
	keys    []K
	nums    []uint32
	fresh   map[K]uint32
	compare func(a, b K) int
}

func newNumbering[K comparable](compare func(a, b K) int) numbering[K] {
	return numbering[K]{fresh: map[K]uint32{}, compare: compare}
}

// get returns k's number; ok is false when it has none.
func (n *numbering[K]) get(k K) (num uint32, ok bool) {
	if i, found := slices.BinarySearchFunc(n.keys, k, n.compare); found {
		return n.nums[i], true
	}
	num, ok = n.fresh[k]
	return num, ok
}

// set numbers k, which has no number yet.
func (n *numbering[K]) set(k K, num uint32) { n.fresh[k] = num }

func (n *numbering[K]) len() int { return len(n.keys) + len(n.fresh) }

// maxFresh is how many keys numbered since the last settling are kept in
// the map before settle(false) sorts them in.
const maxFreshKeys = 1024

// settle sorts the fresh keys in when they are many (or always, with
// force: at the end of a build).
func (n *numbering[K]) settle(force bool) {
	if len(n.fresh) == 0 || !force && len(n.fresh) <= maxFreshKeys {
		return
	}
	type entry struct {
		k   K
		num uint32
	}
	all := make([]entry, 0, n.len())
	for i, k := range n.keys {
		all = append(all, entry{k, n.nums[i]})
	}
	for k, num := range n.fresh {
		all = append(all, entry{k, num})
	}
	slices.SortFunc(all, func(a, b entry) int { return n.compare(a.k, b.k) })
	n.keys, n.nums = make([]K, len(all)), make([]uint32, len(all))
	for i, e := range all {
		n.keys[i], n.nums[i] = e.k, e.num
	}
	n.fresh = map[K]uint32{}
}

// size is the number of bytes it takes, roughly, for keys of keyBytes.
func (n *numbering[K]) size(keyBytes int) uint64 {
	return uint64((keyBytes+4)*cap(n.keys) + (keyBytes+12)*2*len(n.fresh))
}
