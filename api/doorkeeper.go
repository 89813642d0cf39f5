package api

import (
	"hash/maphash"
	"sync/atomic"
)

// doorkeeper remembers which cache keys were asked for recently, so that
// the response cache keeps only answers asked for more than once. Most of
// a search box's queries are asked once (a partner's autocomplete, a
// researcher's one-off), and keeping each of those cost compressing it,
// making garbage for the collector, and evicting an answer that is asked
// again: TinyLFU's doorkeeper, here a direct-mapped table of key hashes.
// A key is forgotten when another key takes its slot; forgetting one only
// costs computing its answer once more.
type doorkeeper struct {
	seed  maphash.Seed
	slots []atomic.Uint64 // a key's hash, its lowest bit set once asked twice
}

// doorkeeperSlots is how many keys the doorkeeper remembers at most (128
// KiB): a key asked again within some thousands of other keys is kept.
const doorkeeperSlots = 1 << 14

func newDoorkeeper() *doorkeeper {
	return &doorkeeper{seed: maphash.MakeSeed(), slots: make([]atomic.Uint64, doorkeeperSlots)}
}

// mark is key's hash as a slot holds it, with the lowest bit clear (and
// never zero, an empty slot), and its slot.
func (d *doorkeeper) mark(key string) (uint64, *atomic.Uint64) {
	h := maphash.String(d.seed, key)
	return (h | 2) &^ 1, &d.slots[h%doorkeeperSlots]
}

// ask notes a request for key. Two requests racing on one slot may lose
// a note: that only costs a computation.
func (d *doorkeeper) ask(key string) {
	h, slot := d.mark(key)
	if slot.Load()&^1 == h {
		slot.Store(h | 1)
	} else {
		slot.Store(h)
	}
}

// askedTwice says whether key was asked for at least twice since its slot
// last held another key.
func (d *doorkeeper) askedTwice(key string) bool {
	h, slot := d.mark(key)
	return slot.Load() == h|1
}
