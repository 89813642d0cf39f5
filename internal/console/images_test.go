package console

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hanoicreative/registry/internal/store/storetest"
)

// pngImage is a real w × h PNG file.
func pngImage(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{uint8(x), uint8(y), 200, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// postImage sends one of a record's image forms as a browser does: the
// CSRF token and version first, then the file (when data is not nil) with
// the type the browser names it by, then the other fields.
func (b *browser) postImage(path, token string, version int, contentType string, data []byte, fields ...string) page {
	t := b.e.t
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", token)
	mw.WriteField("version", strconv.Itoa(version))
	if data != nil {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="image"; filename="anh.png"`)
		h.Set("Content-Type", contentType)
		fw, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	for i := 0; i+1 < len(fields); i += 2 {
		mw.WriteField(fields[i], fields[i+1])
	}
	mw.Close()
	req, err := http.NewRequest("POST", b.e.url+path, &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := b.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(resp.Body)
	return page{status: resp.StatusCode, header: resp.Header, body: string(text)}
}

// TestRecordImages: an editor uploads, replaces and removes a record's
// logo and photos on its page, as new versions in the account's name;
// what the service refuses is said on the page, and nothing changes.
func TestRecordImages(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		ent := e.create("Xưởng Ảnh Console", "artisan", []string{"crafts"}, "Hoàn Kiếm")
		b := e.browser()
		b.signIn(editorEmail, password)
		record := recordURL(ent.Slug)
		page := b.get(record).want(t, http.StatusOK)
		wantText(t, page, `id="logo-form"`, `enctype="multipart/form-data"`, `accept="image/png,image/jpeg,image/webp"`, `data-preview="logo-preview"`, "Chưa có logo.")
		token := page.csrf(t)

		b.postImage(record+"/logo", token, 1, "image/png", pngImage(t, 500, 250)).redirectsTo(t, record+"#images")
		got := e.entity(ent.Slug)
		if got.Version != 2 || got.Logo == nil || got.Logo.Width != 500 || e.lastRevision(ent.Slug).Actor != "Nguyễn Thị Lan" {
			t.Fatalf("after the upload: version %d, logo %+v", got.Version, got.Logo)
		}
		// The page shows the logo, and its history the change.
		wantText(t, b.get(record), `src="`+got.Logo.Thumbnail.Path()+`"`, "Thay logo", "Xoá logo",
			`<th scope="row">Biểu trưng (logo)</th><td><span class="muted">—</span></td><td>500 × 250</td>`)

		// Refused: another type, a damaged file, no file, a stale version.
		for _, tc := range []struct {
			contentType string
			data        []byte
			version     int
			status      int
			says        string
		}{
			{"image/gif", []byte("GIF89a"), 2, http.StatusUnsupportedMediaType, "Ảnh phải là PNG, JPEG hoặc WebP"},
			{"image/png", pngImage(t, 50, 50)[:60], 2, http.StatusUnprocessableEntity, "Không đọc được tệp như một ảnh PNG"},
			{"", nil, 2, http.StatusBadRequest, "Hãy chọn một tệp ảnh"},
			{"image/png", pngImage(t, 20, 20), 1, http.StatusPreconditionFailed, "Có người đã thay đổi hồ sơ này"},
		} {
			p := b.postImage(record+"/logo", token, tc.version, tc.contentType, tc.data)
			if p.status != tc.status {
				t.Errorf("%s: status %d, want %d", tc.contentType, p.status, tc.status)
			}
			wantText(t, p, tc.says, `role="alert"`)
		}
		if v := e.entity(ent.Slug).Version; v != 2 {
			t.Fatalf("refused uploads made version %d", v)
		}

		// A photo with its caption, then its removal; then the logo's.
		b.postImage(record+"/photos", token, 2, "image/png", pngImage(t, 40, 30), "caption", "Mặt tiền xưởng").redirectsTo(t, record+"#images")
		got = e.entity(ent.Slug)
		if len(got.Photos) != 1 || got.Photos[0].Caption != "Mặt tiền xưởng" {
			t.Fatalf("photos %+v", got.Photos)
		}
		wantText(t, b.get(record), "(1/12)", `/photos/`+got.Photos[0].ID+`/delete"`, "<td>Mặt tiền xưởng (40 × 30)</td>")
		b.postImage(record+"/photos/"+got.Photos[0].ID+"/delete", token, 3, "", nil).redirectsTo(t, record+"#images")
		b.postImage(record+"/logo/delete", token, 4, "", nil).redirectsTo(t, record+"#images")
		if got = e.entity(ent.Slug); got.Version != 5 || got.Logo != nil || len(got.Photos) != 0 {
			t.Fatalf("after removing: version %d, logo %+v, photos %+v", got.Version, got.Logo, got.Photos)
		}
		// Without the CSRF token nothing is changed.
		if p := b.postImage(record+"/logo", "", 5, "image/png", pngImage(t, 20, 20)); p.status != http.StatusForbidden {
			t.Fatalf("without a token: %d", p.status)
		}
	})
}

// TestBrowserRecordImages: in Chromium, choosing a file shows its preview
// before anything is sent (a blob: image, allowed by the page's policy);
// uploading it shows the logo's thumbnail, served. No request leaves the
// machine. BROWSERTEST_SCREENSHOTS=dir saves the preview and the record.
func TestBrowserRecordImages(t *testing.T) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn, func(c *Console, mux *http.ServeMux) {
			// The media files, as the API serves them beside the console.
			mux.HandleFunc("GET /media/{name}", func(w http.ResponseWriter, r *http.Request) {
				m, err := c.svc.Media(r.Context(), r.PathValue("name"))
				if err != nil {
					http.NotFound(w, r)
					return
				}
				w.Header().Set("Content-Type", m.Type)
				w.Write(m.Data)
			})
		})
		ent := e.create("Xưởng gốm Bát Tràng", "artisan", []string{"crafts"}, "Hoàn Kiếm")
		file := filepath.Join(t.TempDir(), "logo.png")
		if err := os.WriteFile(file, pngImage(t, 480, 240), 0o600); err != nil {
			t.Fatal(err)
		}
		tb := openTab(t, e)
		b, run := tb.Browser, tb.run
		tb.signIn(editorEmail, recordURL(ent.Slug), "#logo-form")
		run(chromedp.SetUploadFiles(chromedp.CSS("#logo-file"), []string{file}), chromedp.WaitVisible(chromedp.CSS("#logo-preview")))
		loaded := func(sel string) string {
			t.Helper()
			s, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`(function(){var i=document.querySelector(`+quoteJS(sel)+`);return i.complete+" "+i.naturalWidth+" "+i.getAttribute("src")})()`))
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		if s := loaded("#logo-preview"); !strings.HasPrefix(s, "true 480 blob:") {
			t.Errorf("the preview: %s", s)
		}
		b.Screenshot(t, "entity-logo-preview")
		run(chromedp.Click(chromedp.CSS("#logo-form button[type=submit]")), chromedp.WaitVisible(chromedp.CSS(".images img")))
		got := e.entity(ent.Slug)
		if got.Logo == nil || got.Version != 2 {
			t.Fatalf("after the upload: %+v", got)
		}
		// The page is shown before its image has arrived: wait for it.
		run(chromedp.Poll[chromedp.Void](`document.querySelector(".images img").complete`, chromedp.WithPollingTimeout(10*time.Second)))
		if s := loaded(".images img"); s != "true 320 "+got.Logo.Thumbnail.Path() {
			t.Errorf("the logo's thumbnail: %s", s)
		}
		tb.mustSee("Thay logo", "Xoá logo", "480 × 240", "Biểu trưng (logo)")
		b.Screenshot(t, "entity-logo")
		tb.done()
	})
}
