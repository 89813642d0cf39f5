package index

import (
	"bytes"
	"cmp"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/hanoicreative/registry/internal/registry"
)

// The orders and cursors here are those of internal/store, value for value:
// a cursor made by either is read by the other, so a listing may go on in
// the database when the index cannot answer, and back.

// position is a document's place in an order: its sort keys, then its id.
type position struct {
	doc    uint32
	rel    int    // the relevance (search.Key) of a search
	name   []byte // folded; never changed
	time   int64  // created or updated, Unix microseconds
	noYear int    // 1 without a founded year: last either way
	year   int
	id     [16]byte
}

// idString is the entity id of p, as the store writes it.
func (p position) idString() string { return uuid.UUID(p.id).String() }

// ordering is one order of a listing.
type ordering struct {
	sort registry.Sort
}

// at returns document d's position.
func (o ordering) at(ix *index, d uint32) position {
	x := &ix.docs[d]
	p := position{doc: d, name: ix.name(d), id: x.id}
	switch o.sort {
	case registry.SortCreatedAt, registry.SortCreatedAtDesc:
		p.time = x.created
	case registry.SortUpdatedAt, registry.SortUpdatedAtDesc:
		p.time = x.updated
	case registry.SortFoundedYear, registry.SortFoundedYearDesc:
		if x.hasYear {
			p.year = int(x.year)
		} else {
			p.noYear = 1
		}
	}
	return p
}

// compare orders two positions; ties on every key are broken by id,
// ascending in every order.
func (o ordering) compare(a, b position) int {
	var c int
	switch o.sort {
	case registry.SortNameDesc:
		c = -bytes.Compare(a.name, b.name)
	case registry.SortCreatedAt, registry.SortUpdatedAt:
		c = cmp.Compare(a.time, b.time)
	case registry.SortCreatedAtDesc, registry.SortUpdatedAtDesc:
		c = -cmp.Compare(a.time, b.time)
	case registry.SortFoundedYear:
		c = cmp.Or(cmp.Compare(a.noYear, b.noYear), cmp.Compare(a.year, b.year))
	case registry.SortFoundedYearDesc:
		c = cmp.Or(cmp.Compare(a.noYear, b.noYear), -cmp.Compare(a.year, b.year))
	case registry.SortRelevance:
		c = cmp.Or(cmp.Compare(a.rel, b.rel), bytes.Compare(a.name, b.name))
	default:
		c = bytes.Compare(a.name, b.name)
	}
	if c != 0 {
		return c
	}
	return bytes.Compare(a.id[:], b.id[:])
}

// cursor is the next_cursor after p.
func (o ordering) cursor(q registry.ListQuery, p position) *registry.Cursor {
	c := &registry.Cursor{Fingerprint: q.Fingerprint(), ID: p.idString()}
	switch o.sort {
	case registry.SortCreatedAt, registry.SortCreatedAtDesc, registry.SortUpdatedAt, registry.SortUpdatedAtDesc:
		c.Keys = []string{time.UnixMicro(p.time).UTC().Format(time.RFC3339Nano)}
	case registry.SortFoundedYear, registry.SortFoundedYearDesc:
		c.Keys = []string{strconv.Itoa(p.noYear), strconv.Itoa(p.year)}
	case registry.SortRelevance:
		c.Keys = []string{strconv.Itoa(p.rel), string(p.name)}
	default:
		c.Keys = []string{string(p.name)}
	}
	return c
}

// after reads a cursor back into the position it marks.
func (o ordering) after(c *registry.Cursor) (position, error) {
	bad := registry.Errorf(registry.EMALFORMED, "cursor is not a next_cursor of this listing; start again without it.")
	var p position
	// The index's ids are UUIDs; a cursor of ours always has one.
	id, err := uuid.Parse(c.ID)
	if err != nil || id.String() != c.ID {
		return p, bad
	}
	p.id = id
	want := 1
	if o.sort == registry.SortRelevance || o.sort == registry.SortFoundedYear || o.sort == registry.SortFoundedYearDesc {
		want = 2
	}
	if len(c.Keys) != want {
		return p, bad
	}
	switch o.sort {
	case registry.SortCreatedAt, registry.SortCreatedAtDesc, registry.SortUpdatedAt, registry.SortUpdatedAtDesc:
		var t time.Time
		if t, err = time.Parse(time.RFC3339Nano, c.Keys[0]); err == nil {
			p.time = t.UnixMicro()
		}
	case registry.SortFoundedYear, registry.SortFoundedYearDesc:
		if p.noYear, err = strconv.Atoi(c.Keys[0]); err == nil {
			p.year, err = strconv.Atoi(c.Keys[1])
		}
	case registry.SortRelevance:
		p.rel, err = strconv.Atoi(c.Keys[0])
		p.name = []byte(c.Keys[1])
	default:
		p.name = []byte(c.Keys[0])
	}
	if err != nil {
		return p, bad
	}
	return p, nil
}

// best keeps the n first positions of an order seen so far: a max-heap on
// the order, whose root is the last of them.
type best struct {
	o     ordering
	n     int
	items []position
}

func (b *best) offer(p position) {
	if len(b.items) < b.n {
		b.items = append(b.items, p)
		b.up(len(b.items) - 1)
		return
	}
	if b.o.compare(p, b.items[0]) >= 0 {
		return
	}
	b.items[0] = p
	b.down(0)
}

func (b *best) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if b.o.compare(b.items[i], b.items[parent]) <= 0 {
			return
		}
		b.items[i], b.items[parent] = b.items[parent], b.items[i]
		i = parent
	}
}

func (b *best) down(i int) {
	for {
		l, largest := 2*i+1, i
		if l < len(b.items) && b.o.compare(b.items[l], b.items[largest]) > 0 {
			largest = l
		}
		if r := l + 1; r < len(b.items) && b.o.compare(b.items[r], b.items[largest]) > 0 {
			largest = r
		}
		if largest == i {
			return
		}
		b.items[i], b.items[largest] = b.items[largest], b.items[i]
		i = largest
	}
}

// sorted returns the positions kept, first first.
func (b *best) sorted() []position {
	out := make([]position, len(b.items))
	for i := len(b.items) - 1; i >= 0; i-- {
		out[i] = b.items[0]
		last := len(b.items) - 1
		b.items[0] = b.items[last]
		b.items = b.items[:last]
		b.down(0)
	}
	return out
}
