package registry

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"io"

	"github.com/disintegration/imaging"
	"golang.org/x/image/webp"
)

// The limits of an uploaded image.
const (
	MaxImageBytes  = 5 << 20    // 5 MiB as sent
	MaxImagePixels = 40_000_000 // 40 megapixels
	MaxPhotos      = 12         // photos per entity
	ThumbnailWidth = 320        // pixels; narrower images are not enlarged
	MaxCaption     = 300        // characters of a photo's caption
	jpegQuality    = 88
	// concurrentDecodes is how many uploads a service decodes at once.
	concurrentDecodes = 2
)

// Upload is an image file as a client sent it: the media type it declared
// (without parameters) and its bytes.
type Upload struct {
	Type string
	Data []byte
}

// imageFormat is an accepted upload type: how to read its header and its
// pixels, and its name for messages.
type imageFormat struct {
	name   string
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}

// uploadFormats are the accepted types. A JPEG's EXIF orientation is
// applied to its pixels, since the EXIF block itself is not kept.
var uploadFormats = map[string]imageFormat{
	"image/png":  {"PNG", png.DecodeConfig, png.Decode},
	"image/jpeg": {"JPEG", jpeg.DecodeConfig, func(r io.Reader) (image.Image, error) { return imaging.Decode(r, imaging.AutoOrientation(true)) }},
	"image/webp": {"WebP", webp.DecodeConfig, webp.Decode},
}

// picture is an upload made safe to serve: decoded, re-encoded without
// any metadata (EXIF, GPS positions, comments), with its thumbnail.
type picture struct {
	file, thumbnail Media
	width, height   int
}

// image describes the picture as an entity keeps it.
func (p picture) image() Image {
	return Image{File: p.file.MediaFile, Width: p.width, Height: p.height, Thumbnail: p.thumbnail.MediaFile}
}

// readPicture checks an upload against the limits and re-encodes it.
// The size in pixels is read from the header before any pixel is
// decoded, so a small file that claims to be huge (a decompression bomb)
// is refused at the cost of reading its header.
//
// PNG stays PNG and JPEG stays JPEG. Go has no WebP encoder: a WebP
// becomes a PNG when it has transparent pixels, a JPEG otherwise.
func readPicture(u Upload) (picture, error) {
	format, ok := uploadFormats[u.Type]
	if !ok {
		return picture{}, Errorf(EUNSUPPORTED, "Images must be PNG, JPEG or WebP (Content-Type image/png, image/jpeg or image/webp), not %q.", u.Type)
	}
	if len(u.Data) > MaxImageBytes {
		return picture{}, ImageTooLarge()
	}
	cfg, err := format.config(bytes.NewReader(u.Data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return picture{}, undecodable(format)
	}
	if pixels := cfg.Width * cfg.Height; pixels > MaxImagePixels {
		return picture{}, imageError("image", "too_many_pixels", "The image is %d × %d pixels (%.1f megapixels); at most 40 megapixels are accepted: make it smaller.",
			cfg.Width, cfg.Height, float64(pixels)/1e6)
	}
	img, err := format.decode(bytes.NewReader(u.Data))
	if err != nil {
		return picture{}, undecodable(format)
	}
	mediaType := MediaJPEG
	if u.Type == MediaPNG || u.Type == "image/webp" && !opaque(img) {
		mediaType = MediaPNG
	}
	file, err := encode(img, mediaType)
	if err != nil {
		return picture{}, Internal(err)
	}
	b := img.Bounds()
	thumb := img
	if b.Dx() > ThumbnailWidth {
		thumb = imaging.Resize(img, ThumbnailWidth, 0, imaging.Lanczos)
	}
	small, err := encode(thumb, mediaType)
	if err != nil {
		return picture{}, Internal(err)
	}
	return picture{file: file, thumbnail: small, width: b.Dx(), height: b.Dy()}, nil
}

// encode writes the pixels alone: nothing of the upload's metadata.
func encode(img image.Image, mediaType string) (Media, error) {
	var buf bytes.Buffer
	var err error
	if mediaType == MediaPNG {
		err = png.Encode(&buf, img)
	} else {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: jpegQuality})
	}
	return newMedia(mediaType, buf.Bytes()), err
}

// opaque reports whether an image has no transparent pixel.
func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

// ImageTooLarge is the error of an upload over MaxImageBytes; the edge
// gives it too when the request says so before its body is read.
func ImageTooLarge() *Error {
	return Errorf(ETOOLARGE, "The image is larger than 5 MiB: make it smaller and send it again.")
}

func undecodable(f imageFormat) *Error {
	return imageError("image", "undecodable", "The file cannot be read as a %s image: it is damaged, or not of the type its Content-Type says.", f.name)
}

// imageError is a 422 about an upload, with its message as the detail
// and as the one field error.
func imageError(field, code, format string, args ...any) *Error {
	fe := Fieldf(field, code, format, args...)
	return &Error{Code: EINVALID, Message: fe.Message, Format: format, Args: args, Fields: []FieldError{fe}}
}
