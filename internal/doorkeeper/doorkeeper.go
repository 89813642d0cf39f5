// Package doorkeeper remembers which keys were asked for recently, so that
// a cache keeps only what is asked for more than once (TinyLFU's
// doorkeeper, here a direct-mapped table of key hashes). Most of a search
// box's queries, and most of the entities their pages list, are asked for
// once; keeping each of those costs copying or compressing it, garbage
// for the collector, and evicting something that is asked for again.
package doorkeeper

import (
	"hash/maphash"
	"sync/atomic"
)

// Doorkeeper is safe for concurrent use. A key is forgotten when another
// key takes its slot; forgetting one only costs computing it once more.
type Doorkeeper struct {
	seed  maphash.Seed
	slots []atomic.Uint64 // a key's hash, its lowest bit set once asked twice
}

// New makes a doorkeeper of n slots (8 bytes each): a key asked for again
// within some fraction of n other keys is remembered.
func New(n int) *Doorkeeper {
	return &Doorkeeper{seed: maphash.MakeSeed(), slots: make([]atomic.Uint64, max(n, 1))}
}

// mark is key's hash as a slot holds it, with the lowest bit clear (and
// never zero, an empty slot), and its slot.
func (d *Doorkeeper) mark(key string) (uint64, *atomic.Uint64) {
	h := maphash.String(d.seed, key)
	return (h | 2) &^ 1, &d.slots[h%uint64(len(d.slots))]
}

// Ask notes a request for key. Two requests racing on one slot may lose a
// note: that too only costs a computation.
func (d *Doorkeeper) Ask(key string) {
	h, slot := d.mark(key)
	if slot.Load()&^1 == h {
		slot.Store(h | 1)
	} else {
		slot.Store(h)
	}
}

// AskedTwice says whether key was asked for at least twice since its slot
// last held another key.
func (d *Doorkeeper) AskedTwice(key string) bool {
	h, slot := d.mark(key)
	return slot.Load() == h|1
}
