package registry

import (
	"context"
	"testing"
)

// TestDecodesWaitForAPlace: with every decoding place taken, an upload
// waits, and gives up with its request (503, not a pile of decoded images).
func TestDecodesWaitForAPlace(t *testing.T) {
	s := NewService(nil, nil).WithMedia(noMedia{})
	for range cap(s.decoding) {
		s.decoding <- struct{}{}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.putPicture(ctx, Upload{Type: MediaPNG}); ErrorCode(err) != EUNAVAILABLE {
		t.Fatalf("with every place taken: %v", err)
	}
	<-s.decoding
	if _, err := s.putPicture(context.Background(), Upload{Type: MediaPNG, Data: []byte("x")}); ErrorCode(err) != EINVALID {
		t.Fatalf("with a place free: %v", err)
	}
	if len(s.decoding) != cap(s.decoding)-1 {
		t.Fatalf("the place was not given back: %d of %d taken", len(s.decoding), cap(s.decoding))
	}
}

type noMedia struct{}

func (noMedia) PutMedia(context.Context, Media) error { return nil }
func (noMedia) Media(context.Context, string) (Media, error) {
	return Media{}, Errorf(ENOTFOUND, "none")
}
