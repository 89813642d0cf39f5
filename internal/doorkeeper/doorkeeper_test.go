package doorkeeper_test

import (
	"strconv"
	"testing"

	"github.com/hanoicreative/registry/internal/doorkeeper"
)

func TestAskedTwice(t *testing.T) {
	d := doorkeeper.New(1 << 10)
	if d.AskedTwice("gom") {
		t.Fatal("a key never asked for was asked twice")
	}
	d.Ask("gom")
	if d.AskedTwice("gom") {
		t.Fatal("a key asked for once was asked twice")
	}
	d.Ask("gom")
	if !d.AskedTwice("gom") {
		t.Fatal("a key asked for twice was not")
	}
	d.Ask("gom")
	if !d.AskedTwice("gom") || d.AskedTwice("lua") {
		t.Fatal("a third request, or another key, changed the answer")
	}
}

// A doorkeeper of one slot remembers one key: another key asked for in
// between makes the next request for the first its first again.
func TestForgetsWhenAnotherKeyTakesTheSlot(t *testing.T) {
	d := doorkeeper.New(1)
	d.Ask("gom")
	d.Ask("lua")
	d.Ask("gom")
	if d.AskedTwice("gom") {
		t.Fatal("a key forgotten in between was asked twice")
	}
	d.Ask("gom")
	if !d.AskedTwice("gom") || d.AskedTwice("lua") {
		t.Fatal("the slot's key after two requests")
	}
}

// Keys that share no slot are remembered side by side: of 100 keys asked
// for twice in a table of 4096 slots, nearly all are (a collision forgets
// one).
func TestManyKeys(t *testing.T) {
	d := doorkeeper.New(1 << 12)
	for range 2 {
		for i := range 100 {
			d.Ask(strconv.Itoa(i))
		}
	}
	remembered := 0
	for i := range 100 {
		if d.AskedTwice(strconv.Itoa(i)) {
			remembered++
		}
	}
	if remembered < 90 {
		t.Fatalf("%d of 100 keys asked for twice remembered", remembered)
	}
}
