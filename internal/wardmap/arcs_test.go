package wardmap

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"
)

// TestSimplifyArcDirectionFree checks what keeps borders shared: an arc
// and the same arc walked backwards (as the ward on its other side has it)
// simplify to the same vertices.
func TestSimplifyArcDirectionFree(t *testing.T) {
	dp := simplify.DouglasPeucker(2)
	rng := rand.New(rand.NewPCG(7, 8))
	for range 200 {
		n := 3 + rng.IntN(60)
		arc := make([]orb.Point, n)
		for i := range arc {
			arc[i] = orb.Point{float64(i*3) + rng.Float64(), rng.Float64() * 6}
		}
		if rng.IntN(4) == 0 { // a loop: a ring with one junction
			arc[n-1] = arc[0]
		}
		orig := slices.Clone(arc)
		fwd := simplifyArc(arc, dp)
		back := slices.Clone(arc)
		slices.Reverse(back)
		rev := simplifyArc(back, dp)
		slices.Reverse(rev)
		if !slices.Equal(fwd, rev) {
			t.Fatalf("arc %v\nforwards  %v\nbackwards %v", arc, fwd, rev)
		}
		if !slices.Equal(arc, orig) {
			t.Fatal("simplifyArc changed its input")
		}
		if fwd[0] != arc[0] || fwd[len(fwd)-1] != arc[n-1] {
			t.Fatalf("end points moved: %v → %v", arc, fwd)
		}
	}
}

// TestCanonicalLoop checks that a ring without junctions comes out the same
// whichever vertex it starts at and whichever way it turns, as a ward's
// hole and the ward filling it must.
func TestCanonicalLoop(t *testing.T) {
	ring := []orb.Point{{5, 0}, {9, 4}, {5, 9}, {0, 4}, {2, 1}}
	want := canonicalLoop(ring)
	for start := range ring {
		rot := append(slices.Clone(ring[start:]), ring[:start]...)
		if got := canonicalLoop(rot); !slices.Equal(got, want) {
			t.Errorf("start %d: %v, want %v", start, got, want)
		}
		slices.Reverse(rot)
		if got := canonicalLoop(rot); !slices.Equal(got, want) {
			t.Errorf("start %d reversed: %v, want %v", start, got, want)
		}
	}
}

func TestDropSpikes(t *testing.T) {
	for _, c := range []struct{ in, want []int }{
		{[]int{1, 2, 3}, []int{1, 2, 3}},
		{[]int{1, 2, 2, 3}, []int{1, 2, 3}},
		{[]int{1, 2, 9, 2, 3}, []int{1, 2, 3}},       // a spike
		{[]int{1, 2, 8, 9, 8, 2, 3}, []int{1, 2, 3}}, // a longer one
		{[]int{1, 2, 3, 1}, []int{1, 2, 3}},          // closed: the end repeats the start
		{[]int{9, 1, 2, 3, 1}, []int{1, 2, 3}},       // a spike where the ring closes
		{[]int{1, 2, 1}, nil},                        // nothing left
		{[]int{1, 2}, nil},
	} {
		if got := dropSpikes(c.in); !slices.Equal(got, c.want) {
			t.Errorf("dropSpikes(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}
