package registry

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Image is a picture of an entity (its logo, or a photo): the re-encoded
// file, its size in pixels, and a thumbnail ThumbnailWidth pixels wide.
// Both files are media, addressed by the hash of their bytes.
type Image struct {
	File      MediaFile
	Width     int
	Height    int
	Thumbnail MediaFile
}

// Photo is one of an entity's photos.
type Photo struct {
	ID      string // a UUID, to remove this photo by
	Caption string // "" when absent
	Image
}

// MediaFile names a stored file by its content: the SHA-256 of its bytes
// (hex) and its media type.
type MediaFile struct {
	Hash string
	Type string // MediaPNG or MediaJPEG
}

// The media types images are stored as.
const (
	MediaPNG  = "image/png"
	MediaJPEG = "image/jpeg"
)

// mediaExtensions are the file name extensions of the stored media types.
var mediaExtensions = map[string]string{MediaPNG: "png", MediaJPEG: "jpg"}

// Path is where the file is served: /media/{hash}.{ext}. The address is
// its content, so what it serves never changes.
func (f MediaFile) Path() string {
	return "/media/" + f.Hash + "." + mediaExtensions[f.Type]
}

// ParseMediaName splits the last segment of a media path ("{hash}.{ext}")
// into the hash and the media type its extension names; ok is false for a
// name no media file can have.
func ParseMediaName(name string) (hash, mediaType string, ok bool) {
	hash, ext, found := strings.Cut(name, ".")
	if !found || len(hash) != sha256.Size*2 || strings.ToLower(hash) != hash {
		return "", "", false
	}
	if _, err := hex.DecodeString(hash); err != nil {
		return "", "", false
	}
	for t, e := range mediaExtensions {
		if e == ext {
			return hash, t, true
		}
	}
	return "", "", false
}

// Media is a stored file: its bytes, their hash and media type.
type Media struct {
	MediaFile
	Data []byte
}

// newMedia names data by its content.
func newMedia(mediaType string, data []byte) Media {
	sum := sha256.Sum256(data)
	return Media{MediaFile: MediaFile{Hash: hex.EncodeToString(sum[:]), Type: mediaType}, Data: data}
}

// MediaStore keeps image files by content hash. The database is one (both
// engines keep them in a table); an object store could be another. Files
// are never changed or removed: past versions of an entity still show
// the images they had.
type MediaStore interface {
	// PutMedia stores a file; storing the same hash again does nothing.
	PutMedia(ctx context.Context, m Media) error
	// Media returns the file with this hash; ENOTFOUND if there is none.
	Media(ctx context.Context, hash string) (Media, error)
}

// WithMedia returns a copy of the service that keeps images in m. A
// service without one refuses image uploads.
func (s *Service) WithMedia(m MediaStore) *Service {
	c := *s
	c.media = m
	return &c
}

// Media returns a stored image file by the name it is served under
// ("{hash}.{ext}"); ENOTFOUND for any other name.
func (s *Service) Media(ctx context.Context, name string) (Media, error) {
	hash, mediaType, ok := ParseMediaName(name)
	if !ok || s.media == nil {
		return Media{}, Errorf(ENOTFOUND, "There is no media file %q.", name)
	}
	m, err := s.media.Media(ctx, hash)
	if err != nil {
		return Media{}, err
	}
	if m.Type != mediaType {
		return Media{}, Errorf(ENOTFOUND, "There is no media file %q.", name)
	}
	return m, nil
}
