package registry

// Tally sums up the stored entities in one snapshot of the database: the
// change sequence it reflects, and for each status how many entities have
// it and the sum of their versions. Every change the feed announces adds
// one to one entity's version, so a copy of the entities kept from the
// feed (the listing index) that has the same tally at the same sequence
// missed no change; a row inserted, deleted, archived or given a new
// version behind the feed's back changes it.
type Tally struct {
	Seq      int64
	ByStatus map[Status]StatusTally
}

// StatusTally is a status's share of a Tally.
type StatusTally struct {
	Entities int
	Versions int64
}
