package main

import "testing"

// TestResponseShare: the response cache gets what the index (counted
// twice) and its caches leave of the budget, and never less than its floor.
func TestResponseShare(t *testing.T) {
	const mib = 1 << 20
	cases := []struct{ budget, index, caches, want uint64 }{
		{72 * mib, 4 * mib, 12 * mib, 52 * mib}, // 10,000 entities, the default limit
		{72 * mib, 45 * mib, 12 * mib, 6 * mib}, // 100,000: the floor
		{72 * mib, 20 * mib, 12 * mib, 20 * mib},
		{72 * mib, 27 * mib, 12 * mib, 6 * mib},  // 6 MiB left: the floor (not below it)
		{72 * mib, 100 * mib, 12 * mib, 6 * mib}, // an index over the budget
		{72 * mib, 0, 0, 72 * mib},
	}
	for _, c := range cases {
		if got := responseShare(c.budget, c.index, c.caches); got != c.want {
			t.Errorf("budget %d MiB, index %d MiB: %d MiB, want %d", c.budget/mib, c.index/mib, got/mib, c.want/mib)
		}
	}
}
