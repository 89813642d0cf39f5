package index

import (
	"testing"
	"unsafe"
)

// TestDocSize keeps a document at 64 bytes: there is one per entity, 6 MiB
// at 100,000 entities.
func TestDocSize(t *testing.T) {
	if n := unsafe.Sizeof(doc{}); n != 64 {
		t.Fatalf("doc takes %d bytes, want 64", n)
	}
}
