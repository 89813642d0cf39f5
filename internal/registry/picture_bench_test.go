package registry

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

// BenchmarkReadPicture measures what an upload costs before it is stored:
// a phone photo (12 megapixels, JPEG), a logo (1,000 × 1,000, PNG), and
// the refusal of a PNG whose header claims ten gigapixels.
func BenchmarkReadPicture(b *testing.B) {
	photo := encoded(b, "jpeg", 4000, 3000)
	logo := encoded(b, "png", 1000, 1000)
	for _, bc := range []struct {
		name string
		u    Upload
	}{
		{"jpeg-12MP", Upload{Type: MediaJPEG, Data: photo}},
		{"png-1MP", Upload{Type: MediaPNG, Data: logo}},
		{"png-bomb-10GP", Upload{Type: MediaPNG, Data: bomb()}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.u.Data)))
			for b.Loop() {
				_, err := readPicture(bc.u)
				if (err != nil) != (bc.name == "png-bomb-10GP") {
					b.Fatal(err)
				}
			}
		})
	}
}

func encoded(b *testing.B, format string, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), uint8(x ^ y), 255})
		}
	}
	var buf bytes.Buffer
	var err error
	if format == "png" {
		err = png.Encode(&buf, img)
	} else {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90})
	}
	if err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// bomb is a PNG header claiming 100,000 × 100,000 pixels.
func bomb() []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, 100000)
	ihdr = binary.BigEndian.AppendUint32(ihdr, 100000)
	ihdr = append(ihdr, 8, 2, 0, 0, 0)
	out := []byte("\x89PNG\r\n\x1a\n")
	out = binary.BigEndian.AppendUint32(out, uint32(len(ihdr)))
	out = append(append(out, "IHDR"...), ihdr...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(append([]byte("IHDR"), ihdr...)))
}
