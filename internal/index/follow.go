package index

import (
	"fmt"

	"github.com/google/uuid"

	"github.com/hanoicreative/registry/internal/registry"
)

// applicable returns how many of changes, from the first, can be applied
// with the entities read (by id): each change's entity must have been
// read at that change's version or later. A change whose entity was read
// older, or not at all (a replica behind the feed it gave, a row changed
// by hand), stops the count: the index must not claim a change it does
// not hold.
func applicable(changes []registry.Change, read map[string]registry.Entity) int {
	for i, c := range changes {
		if e, ok := read[c.EntityID]; !ok || e.Version < c.Version {
			return i
		}
	}
	return len(changes)
}

// follow applies changes, in feed order, each of whose entity read holds
// at its version or later (applicable), and moves seq to the last. An
// entity the index already holds at the version read or a newer one is
// left as it is: reads from a replica may go back in time.
func (ix *index) follow(changes []registry.Change, read map[string]registry.Entity) error {
	if len(changes) == 0 {
		return nil
	}
	last := make(map[string]int, len(changes)) // the version of each entity's last change here
	var order []string
	for _, c := range changes {
		if _, seen := last[c.EntityID]; !seen {
			order = append(order, c.EntityID)
		}
		last[c.EntityID] = max(last[c.EntityID], c.Version)
	}
	var es []registry.Entity
	for _, id := range order {
		e := read[id]
		u, err := uuid.Parse(e.ID)
		if err != nil || u.String() != e.ID {
			return fmt.Errorf("index: entity id %q is not a UUID in canonical form", e.ID)
		}
		holds := int32(e.Version)
		if d, known := ix.docOf(u); known && ix.docs[d].version >= holds {
			holds = ix.docs[d].version
		} else {
			es = append(es, e)
		}
		if int(holds) > last[id] {
			ix.ahead[u] = holds
		} else {
			delete(ix.ahead, u)
		}
	}
	if err := ix.put(es); err != nil {
		return err
	}
	ix.seq = changes[len(changes)-1].Seq
	return nil
}

// tally sums up the documents as registry.Tally does the stored entities.
func (ix *index) tally() registry.Tally {
	t := registry.Tally{Seq: ix.seq, ByStatus: map[registry.Status]registry.StatusTally{}}
	for status, b := range ix.status {
		if b.IsEmpty() {
			continue
		}
		st := registry.StatusTally{Entities: int(b.GetCardinality())}
		it := b.Iterator()
		for it.HasNext() {
			st.Versions += int64(ix.docs[it.Next()].version)
		}
		t.ByStatus[status] = st
	}
	return t
}
