package registry

import "slices"

// Precondition is what a client's If-Match header asks of the current
// version. The zero value means no If-Match was sent.
type Precondition struct {
	Given    bool  // an If-Match header was present
	Any      bool  // If-Match: *
	Versions []int // the versions of its strong entity tags
}

// Check returns EPRECONDITION unless the precondition holds for version.
func (p Precondition) Check(version int) error {
	if !p.Given || p.Any || slices.Contains(p.Versions, version) {
		return nil
	}
	return Errorf(EPRECONDITION, "The entity has changed: its current version is %d. Read it again, re-apply your change and send If-Match: \"%d\".", version, version)
}
