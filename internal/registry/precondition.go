package registry

import "slices"

// Precondition is what a client's If-Match header asks of the current
// version. The zero value means no If-Match was sent.
type Precondition struct {
	Given    bool  // an If-Match header was present
	Any      bool  // If-Match: *
	Versions []int // the versions of its strong entity tags
	Weak     []int // the versions of its weak entity tags, which never match
}

// Check returns EPRECONDITION unless the precondition holds for version.
func (p Precondition) Check(version int) error {
	if !p.Given || p.Any || slices.Contains(p.Versions, version) {
		return nil
	}
	if slices.Contains(p.Weak, version) {
		// The client has the current version but sent its tag weak (as
		// some proxies and caches rewrite ETags): say so rather than
		// claim a change that did not happen.
		return Errorf(EPRECONDITION, `If-Match: W/"%d" is a weak entity tag, and If-Match only matches strong ones (RFC 9110, 13.1.1): send the ETag exactly as you received it, If-Match: "%d".`, version, version)
	}
	return Errorf(EPRECONDITION, "The entity has changed: its current version is %d. Read it again, re-apply your change and send If-Match: \"%d\".", version, version)
}
