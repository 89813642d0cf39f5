package api_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/csv"
	"encoding/hex"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/hanoicreative/registry/api"
)

// Real image files, made here (Go encodes PNG, JPEG and GIF) or, for
// WebP, which Go cannot encode, read from testdata/images.

// gradient is a w × h picture whose pixels differ, so that files of
// different sizes differ too.
func gradient(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{uint8(x * 255 / w), uint8(y * 255 / h), 128, 255})
		}
	}
	return img
}

func pngFile(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, gradient(w, h)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegFile(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, gradient(w, h), &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// withEXIF puts an EXIF block (APP1) right after a JPEG's start marker:
// orientation 6 (the camera was turned: rotate 90° clockwise to show)
// and a GPS position, 21° 1' 4" N, as phones write them.
func withEXIF(jpg []byte) []byte {
	le := binary.LittleEndian
	tiff := []byte("II*\x00")
	tiff = le.AppendUint32(tiff, 8) // IFD0 right after the header
	entry := func(b []byte, tag, typ uint16, count, value uint32) []byte {
		b = le.AppendUint16(b, tag)
		b = le.AppendUint16(b, typ)
		b = le.AppendUint32(b, count)
		return le.AppendUint32(b, value)
	}
	// IFD0 (at 8, 30 bytes): Orientation, and where the GPS IFD is (38).
	tiff = le.AppendUint16(tiff, 2)
	tiff = entry(tiff, 0x0112, 3, 1, 6)
	tiff = entry(tiff, 0x8825, 4, 1, 38)
	tiff = le.AppendUint32(tiff, 0)
	// GPS IFD (at 38, 30 bytes): GPSLatitudeRef "N", GPSLatitude at 68.
	tiff = le.AppendUint16(tiff, 2)
	tiff = entry(tiff, 0x0001, 2, 2, uint32('N'))
	tiff = entry(tiff, 0x0002, 5, 3, 68)
	tiff = le.AppendUint32(tiff, 0)
	for _, v := range []uint32{21, 1, 1, 1, 4, 1} {
		tiff = le.AppendUint32(tiff, v)
	}
	payload := append([]byte("Exif\x00\x00"), tiff...)
	app1 := []byte{0xFF, 0xE1}
	app1 = binary.BigEndian.AppendUint16(app1, uint16(len(payload)+2))
	app1 = append(app1, payload...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, app1...)
	return append(out, jpg[2:]...)
}

// bombPNG is a valid PNG header claiming 100,000 × 100,000 pixels (ten
// gigapixels, 30 GB of RGB) in a file of a few dozen bytes.
func bombPNG() []byte {
	chunk := func(b []byte, kind string, data []byte) []byte {
		b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
		crc := crc32.NewIEEE()
		crc.Write([]byte(kind))
		crc.Write(data)
		b = append(append(b, kind...), data...)
		return binary.BigEndian.AppendUint32(b, crc.Sum32())
	}
	ihdr := binary.BigEndian.AppendUint32(nil, 100000)
	ihdr = binary.BigEndian.AppendUint32(ihdr, 100000)
	ihdr = append(ihdr, 8, 2, 0, 0, 0) // 8 bits, RGB, deflate, no filter, no interlace
	b := chunk([]byte("\x89PNG\r\n\x1a\n"), "IHDR", ihdr)
	b = chunk(b, "IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	return chunk(b, "IEND", nil)
}

func testdataImage(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/images/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// upload sends an image body with its Content-Type and If-Match.
func (c *client) upload(method, path, contentType string, data []byte, ifMatch int) *response {
	c.t.Helper()
	return c.do(method, path, data, "Content-Type", contentType, "If-Match", `"`+itoa(ifMatch)+`"`)
}

func itoa(n int) string { return strconv.Itoa(n) }

// media fetches a media path and checks that it is served as an
// immutable, content-addressed file of the type.
func (c *client) media(path, contentType string) []byte {
	c.t.Helper()
	res := c.do("GET", path, nil).want(http.StatusOK)
	h := res.header
	if h.Get("Content-Type") != contentType || h.Get("Cache-Control") != "public, max-age=31536000, immutable" ||
		h.Get("X-Content-Type-Options") != "nosniff" {
		c.t.Fatalf("GET %s: headers %v", path, h)
	}
	sum := sha256.Sum256(res.body)
	hash := hex.EncodeToString(sum[:])
	if !strings.HasPrefix(path, "/media/"+hash+".") || h.Get("ETag") != `"`+hash+`"` {
		c.t.Fatalf("GET %s: the bytes hash to %s, ETag %s", path, hash, h.Get("ETag"))
	}
	return res.body
}

func decodeConfig(t *testing.T, data []byte) (image.Config, string) {
	t.Helper()
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return cfg, format
}

func TestLogoUploadServeHistoryAndFeed(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		e := c.create(valid("Xưởng Ảnh"))
		if e.Logo != nil || e.Photos == nil || len(e.Photos) != 0 {
			t.Fatalf("a new entity: logo %v photos %v", e.Logo, e.Photos)
		}
		original := pngFile(t, 1000, 500)
		res := c.upload("PUT", "/v1/entities/"+e.Slug+"/logo", "image/png", original, 1).want(http.StatusOK)
		got := res.entity()
		if got.Version != 2 || res.header.Get("ETag") != `"2"` || got.Logo == nil {
			t.Fatalf("after the upload: %s", res.body)
		}
		logo := *got.Logo
		if logo.Width != 1000 || logo.Height != 500 || !strings.HasSuffix(logo.URL, ".png") || !strings.HasSuffix(logo.ThumbnailURL, ".png") {
			t.Fatalf("logo %+v", logo)
		}
		// PNG stays PNG, the same pixels; the thumbnail is 320 px wide.
		file := c.media(logo.URL, "image/png")
		if cfg, format := decodeConfig(t, file); format != "png" || cfg.Width != 1000 || cfg.Height != 500 {
			t.Fatalf("served %s %dx%d", format, cfg.Width, cfg.Height)
		}
		decoded, err := png.Decode(bytes.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		want := gradient(1000, 500)
		for _, p := range []image.Point{{0, 0}, {999, 499}, {500, 123}} {
			r1, g1, b1, a1 := decoded.At(p.X, p.Y).RGBA()
			r2, g2, b2, a2 := want.At(p.X, p.Y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
				t.Fatalf("pixel %v changed", p)
			}
		}
		if cfg, _ := decodeConfig(t, c.media(logo.ThumbnailURL, "image/png")); cfg.Width != 320 || cfg.Height != 160 {
			t.Fatalf("thumbnail %dx%d", cfg.Width, cfg.Height)
		}
		// HEAD, revalidation, unknown files.
		head := c.do("HEAD", logo.URL, nil).want(http.StatusOK)
		if len(head.body) != 0 || head.header.Get("Content-Length") != itoa(len(file)) || head.header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Fatalf("HEAD: %v, %d bytes", head.header, len(head.body))
		}
		c.do("GET", logo.URL, nil, "If-None-Match", head.header.Get("ETag")).want(http.StatusNotModified)
		c.do("GET", "/media/"+strings.Repeat("0", 64)+".png", nil).problem(http.StatusNotFound)
		c.do("GET", strings.TrimSuffix(logo.URL, ".png")+".jpg", nil).problem(http.StatusNotFound)
		c.do("GET", "/media/not-a-hash.png", nil).problem(http.StatusNotFound)

		// The entity, its history and the change feed show the change.
		if read := c.do("GET", "/v1/entities/"+e.ID, nil).want(200).entity(); read.Logo == nil || *read.Logo != logo {
			t.Fatalf("read back: %+v", read.Logo)
		}
		var hist api.RevisionList
		c.do("GET", "/v1/entities/"+e.ID+"/history", nil).want(200).decode(&hist)
		change, ok := hist.Data[0].Changes["logo"]
		to, _ := change.To.(map[string]any)
		if len(hist.Data) != 2 || hist.Data[0].Version != 2 || hist.Data[0].Action != "updated" || !ok || change.From != nil ||
			to["url"] != logo.URL || to["thumbnail_url"] != logo.ThumbnailURL || to["width"] != float64(1000) || len(hist.Data[0].Changes) != 1 {
			t.Fatalf("history %+v", hist.Data)
		}
		if v1 := c.do("GET", "/v1/entities/"+e.ID+"/history/1", nil).want(200).entity(); v1.Logo != nil {
			t.Fatalf("version 1 has a logo %+v", v1.Logo)
		}
		if v2 := c.do("GET", "/v1/entities/"+e.ID+"/history/2", nil).want(200).entity(); v2.Logo == nil || *v2.Logo != logo {
			t.Fatalf("version 2: %+v", v2.Logo)
		}
		var feed api.ChangeList
		c.do("GET", "/v1/changes?after=0", nil).want(200).decode(&feed)
		last := feed.Data[len(feed.Data)-1]
		if last.EntityID != e.ID || last.Action != "updated" || last.Version != 2 {
			t.Fatalf("feed %+v", feed.Data)
		}

		// The same file again changes nothing; an edit of fields keeps the logo.
		if again := c.upload("PUT", "/v1/entities/"+e.ID+"/logo", "image/png", original, 2).want(200).entity(); again.Version != 2 {
			t.Fatalf("the same logo again made version %d", again.Version)
		}
		patched := c.do("PATCH", "/v1/entities/"+e.ID, `{"name_en":"Photo Workshop"}`, "If-Match", `"2"`).want(200).entity()
		if patched.Version != 3 || patched.Logo == nil || *patched.Logo != logo {
			t.Fatalf("after a patch: %+v", patched)
		}

		// Writes need If-Match, a current one, and an editor.
		c.upload("PUT", "/v1/entities/"+e.ID+"/logo", "image/png", pngFile(t, 10, 10), 2).problem(http.StatusPreconditionFailed)
		c.do("PUT", "/v1/entities/"+e.ID+"/logo", pngFile(t, 10, 10), "Content-Type", "image/png").problem(http.StatusPreconditionRequired)
		c.do("PUT", "/v1/entities/"+e.ID+"/logo", pngFile(t, 10, 10), "Content-Type", "image/png", "If-Match", `"3"`, "Authorization", "").problem(http.StatusUnauthorized)
		c.do("PUT", "/v1/entities/no-such-entity/logo", pngFile(t, 10, 10), "Content-Type", "image/png", "If-Match", `"1"`).problem(http.StatusNotFound)

		// Removing the logo is a version too; removing none changes nothing.
		c.do("DELETE", "/v1/entities/"+e.ID+"/logo", nil, "If-Match", `"2"`).problem(http.StatusPreconditionFailed)
		removed := c.do("DELETE", "/v1/entities/"+e.ID+"/logo", nil, "If-Match", `"3"`).want(200)
		if r := removed.entity(); r.Version != 4 || r.Logo != nil || !strings.Contains(string(removed.body), `"logo":null`) {
			t.Fatalf("after removing: %s", removed.body)
		}
		if r := c.do("DELETE", "/v1/entities/"+e.ID+"/logo", nil, "If-Match", `"4"`).want(200).entity(); r.Version != 4 {
			t.Fatalf("removing no logo made version %d", r.Version)
		}
		// Past versions still show their logo, so its files stay served.
		c.media(logo.URL, "image/png")
	})
}

func TestImageTypesAreReencodedWithoutMetadata(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		e := c.create(valid("Studio Ba Loại Ảnh"))
		version := 1
		put := func(contentType string, data []byte) api.Image {
			t.Helper()
			got := c.upload("PUT", "/v1/entities/"+e.ID+"/logo", contentType, data, version).want(http.StatusOK).entity()
			version = got.Version
			return *got.Logo
		}

		// A phone's JPEG: its EXIF block (orientation, GPS) is gone, its
		// orientation applied to the pixels (40 × 20 turned to 20 × 40).
		phone := withEXIF(jpegFile(t, 40, 20))
		if _, err := jpeg.Decode(bytes.NewReader(phone)); err != nil || !bytes.Contains(phone, []byte("Exif\x00\x00")) {
			t.Fatalf("the test file is not a JPEG with EXIF: %v", err)
		}
		logo := put("image/jpeg", phone)
		file := c.media(logo.URL, "image/jpeg")
		if logo.Width != 20 || logo.Height != 40 || !strings.HasSuffix(logo.URL, ".jpg") {
			t.Fatalf("JPEG logo %+v", logo)
		}
		if bytes.Contains(file, []byte("Exif")) || bytes.Contains(file, []byte{0xFF, 0xE1}) || bytes.Contains(file, []byte{'N', 0, 0, 0, 21, 0, 0, 0}) {
			t.Fatal("the served JPEG still holds an EXIF block")
		}
		if cfg, format := decodeConfig(t, file); format != "jpeg" || cfg.Width != 20 || cfg.Height != 40 {
			t.Fatalf("served %s %dx%d", format, cfg.Width, cfg.Height)
		}
		// Narrower than a thumbnail: the thumbnail is not enlarged.
		if cfg, _ := decodeConfig(t, c.media(logo.ThumbnailURL, "image/jpeg")); cfg.Width != 20 {
			t.Fatalf("thumbnail of a 20 px image is %d px wide", cfg.Width)
		}

		// WebP (no encoder in Go): opaque becomes JPEG, transparent PNG.
		opaque := put("image/webp", testdataImage(t, "blue-purple-pink.lossy.webp"))
		if !strings.HasSuffix(opaque.URL, ".jpg") || opaque.Width != 150 || opaque.Height != 100 {
			t.Fatalf("opaque WebP %+v", opaque)
		}
		c.media(opaque.URL, "image/jpeg")
		alpha := put("image/webp", testdataImage(t, "gopher-doc.with-alpha.lossless.webp"))
		if !strings.HasSuffix(alpha.URL, ".png") || alpha.Width != 75 || alpha.Height != 100 {
			t.Fatalf("transparent WebP %+v", alpha)
		}
		served, err := png.Decode(bytes.NewReader(c.media(alpha.URL, "image/png")))
		if err != nil {
			t.Fatal(err)
		}
		if o, ok := served.(interface{ Opaque() bool }); !ok || o.Opaque() {
			t.Fatal("the transparent WebP lost its transparency")
		}
		// Content-Type parameters and case do not matter.
		put("Image/PNG; name=logo.png", pngFile(t, 30, 30))
	})
}

func TestImageUploadsAreRefused(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		e := c.create(valid("Xưởng Từ Chối"))
		path := "/v1/entities/" + e.ID + "/logo"
		var gifFile bytes.Buffer
		if err := gif.Encode(&gifFile, gradient(20, 20), nil); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name, contentType string
			data              []byte
			status            int
			code              string // the field error's code, for 422
		}{
			{"a GIF", "image/gif", gifFile.Bytes(), http.StatusUnsupportedMediaType, ""},
			{"text", "text/plain", []byte("not an image"), http.StatusUnsupportedMediaType, ""},
			{"no type", "", pngFile(t, 4, 4), http.StatusUnsupportedMediaType, ""},
			{"a GIF said to be PNG", "image/png", gifFile.Bytes(), http.StatusUnprocessableEntity, "undecodable"},
			{"a truncated PNG", "image/png", pngFile(t, 200, 200)[:300], http.StatusUnprocessableEntity, "undecodable"},
			{"random bytes said to be JPEG", "image/jpeg", bytes.Repeat([]byte{0xFF, 0xD8, 0x13}, 100), http.StatusUnprocessableEntity, "undecodable"},
			{"a broken WebP", "image/webp", testdataImage(t, "blue-purple-pink.lossy.webp")[:200], http.StatusUnprocessableEntity, "undecodable"},
			{"a decompression bomb", "image/png", bombPNG(), http.StatusUnprocessableEntity, "too_many_pixels"},
			{"over 5 MiB", "image/png", make([]byte, 5<<20+1), http.StatusRequestEntityTooLarge, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := c.upload("PUT", path, tc.contentType, tc.data, 1).problem(tc.status)
				if tc.code != "" && fieldCodes(p)["image"] != tc.code {
					t.Fatalf("errors %+v", p.Errors)
				}
				if tc.code == "too_many_pixels" && !strings.Contains(p.Detail, "100000 × 100000") {
					t.Fatalf("detail %q", p.Detail)
				}
			})
		}
		if len(bombPNG()) > 100 {
			t.Fatalf("the bomb is %d bytes", len(bombPNG()))
		}
		// Messages in Vietnamese too.
		vi := c.do("PUT", path, []byte("x"), "Content-Type", "text/plain", "If-Match", `"1"`, "Accept-Language", "vi").problem(http.StatusUnsupportedMediaType)
		if !strings.Contains(vi.Detail, "Ảnh phải là PNG, JPEG hoặc WebP") {
			t.Fatalf("Vietnamese detail %q", vi.Detail)
		}
		// Nothing was stored: still version 1, no logo.
		if got := c.do("GET", "/v1/entities/"+e.ID, nil).want(200).entity(); got.Version != 1 || got.Logo != nil {
			t.Fatalf("after refusals: version %d logo %+v", got.Version, got.Logo)
		}
		// Images are not fields of an entity's JSON.
		p := c.do("POST", "/v1/entities", map[string]any{"name": "Có Logo", "kind": "artisan", "sectors": []string{"crafts"}, "logo": map[string]any{"url": "/x.png"}}).problem(422)
		if fieldCodes(p)["logo"] != "read_only" {
			t.Fatalf("errors %+v", p.Errors)
		}
	})
}

func TestPhotosUpToTwelve(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		e := c.create(valid("Phòng Tranh Mười Hai"))
		path := "/v1/entities/" + e.ID + "/photos"
		got := c.upload("POST", path+"?caption="+"L%C3%B2%20nung", "image/jpeg", jpegFile(t, 640, 480), 1).want(http.StatusOK).entity()
		if got.Version != 2 || len(got.Photos) != 1 {
			t.Fatalf("first photo: %+v", got)
		}
		first := got.Photos[0]
		if first.Caption == nil || *first.Caption != "Lò nung" || first.Width != 640 || first.Height != 480 || first.ID == "" {
			t.Fatalf("photo %+v", first)
		}
		if cfg, _ := decodeConfig(t, c.media(first.ThumbnailURL, "image/jpeg")); cfg.Width != 320 || cfg.Height != 240 {
			t.Fatalf("thumbnail %dx%d", cfg.Width, cfg.Height)
		}
		for i := 2; i <= 12; i++ {
			got = c.upload("POST", path, "image/png", pngFile(t, 10+i, 10), got.Version).want(http.StatusOK).entity()
		}
		if len(got.Photos) != 12 || got.Version != 13 || got.Photos[0].ID != first.ID || got.Photos[11].Caption != nil || got.Photos[11].Width != 22 {
			t.Fatalf("12 photos: %+v", got.Photos)
		}
		p := c.upload("POST", path, "image/png", pngFile(t, 8, 8), 13).problem(http.StatusUnprocessableEntity)
		if fieldCodes(p)["photos"] != "max" || !strings.Contains(p.Detail, "at most 12 photos") {
			t.Fatalf("13th photo: %+v", p)
		}
		c.upload("POST", path, "image/png", pngFile(t, 8, 8), 12).problem(http.StatusPreconditionFailed)
		p = c.upload("POST", path+"?caption=a%00b", "image/png", pngFile(t, 8, 8), 13).problem(http.StatusBadRequest)
		c.upload("POST", path+"?title=x", "image/png", pngFile(t, 8, 8), 13).problem(http.StatusBadRequest)
		p = c.upload("POST", path+"?caption="+strings.Repeat("a", 301), "image/png", pngFile(t, 8, 8), 13).problem(http.StatusUnprocessableEntity)
		if fieldCodes(p)["caption"] != "max" {
			t.Fatalf("long caption: %+v", p.Errors)
		}

		// Removing one makes room; an unknown photo is a 404.
		c.do("DELETE", path+"/"+first.ID, nil, "If-Match", `"12"`).problem(http.StatusPreconditionFailed)
		got = c.do("DELETE", path+"/"+first.ID, nil, "If-Match", `"13"`).want(http.StatusOK).entity()
		if got.Version != 14 || len(got.Photos) != 11 || got.Photos[0].ID == first.ID {
			t.Fatalf("after removing: %+v", got.Photos)
		}
		c.do("DELETE", path+"/"+first.ID, nil, "If-Match", `"14"`).problem(http.StatusNotFound)
		c.upload("POST", path, "image/png", pngFile(t, 8, 8), 14).want(http.StatusOK)

		var hist api.RevisionList
		c.do("GET", "/v1/entities/"+e.ID+"/history", nil).want(200).decode(&hist)
		removal := hist.Data[1] // newest first: the removal came before the last upload
		from, _ := removal.Changes["photos"].From.([]any)
		to, _ := removal.Changes["photos"].To.([]any)
		if removal.Version != 14 || len(from) != 12 || len(to) != 11 || from[0].(map[string]any)["caption"] != "Lò nung" {
			t.Fatalf("history of the removal: %+v", removal)
		}
	})
}

func TestExportsCarryTheLogo(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		with := c.create(map[string]any{"name": "Có Logo", "kind": "artisan", "sectors": []string{"crafts"},
			"location": map[string]any{"lat": 21.0287, "lon": 105.8524}})
		c.create(map[string]any{"name": "Không Logo", "kind": "artisan", "sectors": []string{"crafts"},
			"location": map[string]any{"lat": 21.0287, "lon": 105.8524}})
		logo := *c.upload("PUT", "/v1/entities/"+with.ID+"/logo", "image/png", pngFile(t, 64, 64), 1).want(200).entity().Logo

		body := exportCSV(t, c, "sort=name&csv=raw")
		records, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
		if err != nil || len(records) != 3 {
			t.Fatalf("%d records, %v", len(records), err)
		}
		header := records[0]
		if header[len(header)-1] != "logo_url" || len(header) != 24 {
			t.Fatalf("header %v", header)
		}
		if records[1][1] != "co-logo" || records[1][23] != logo.URL || records[2][23] != "" {
			t.Fatalf("rows %v", records[1:])
		}
		// An export imports back as it is: logo_url is read-only, ignored.
		var res api.ImportResult
		importBody(c, body, "text/csv", "").want(200).decode(&res)
		if res.Unchanged != 2 || res.Created+res.Updated != 0 {
			t.Fatalf("re-import %+v", res)
		}
		if got := c.do("GET", "/v1/entities/"+with.ID, nil).want(200).entity(); got.Logo == nil || *got.Logo != logo {
			t.Fatalf("after the import: %+v", got.Logo)
		}
		// The import template has no logo_url: a logo is uploaded.
		if tpl := c.do("GET", "/v1/imports/template.csv", nil).want(200); strings.Contains(string(tpl.body), "logo_url") {
			t.Fatalf("template %s", tpl.body)
		}

		var geo struct {
			Features []struct {
				Properties map[string]any `json:"properties"`
			} `json:"features"`
		}
		c.do("GET", "/v1/entities?format=geojson&sort=name", nil).want(200).decode(&geo)
		if len(geo.Features) != 2 || geo.Features[0].Properties["logo_url"] != logo.URL || geo.Features[1].Properties["logo_url"] != nil {
			t.Fatalf("GeoJSON %+v", geo.Features)
		}
	})
}
