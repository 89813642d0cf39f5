package console

import (
	"bytes"
	"context"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hanoicreative/registry/internal/registry"
)

// upload posts the import form with a file, the CSRF token first as a
// browser sends the form's fields in order ("" sends none).
func (b *browser) upload(token, name string, body []byte) page {
	t := b.e.t
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if token != "" {
		mw.WriteField("csrf", token)
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(body)
	mw.Close()
	req, err := http.NewRequest("POST", b.e.url+"/console/imports", &buf)
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

// importID is the id of the previewed file in the confirmation's form.
func importID(t *testing.T, p page) string {
	t.Helper()
	return regexpFind(t, p.body, `name="import" value="([^"]+)"`)
}

func wantText(t *testing.T, p page, texts ...string) {
	t.Helper()
	body := html.UnescapeString(p.body)
	for _, s := range texts {
		if !strings.Contains(body, s) {
			t.Errorf("the page does not say %q:\n%s", s, p.body)
		}
	}
}

// importCSV creates one entity, updates one and leaves one unchanged,
// with a subset of the columns, separated by semicolons.
const importCSV = "name;kind;sectors;ward;description\n" +
	"Nhà sách Tràng Tiền;creative-space;publishing;Hoàn Kiếm;Hiệu sách lâu đời nhất phố Tràng Tiền.\n" +
	"Gallery Tông Đản;creative-space;visual-arts;Hoàn Kiếm;\n" +
	"Xưởng in lụa Hàng Gai;artisan;crafts;Hoàn Kiếm;In lụa thủ công.\n"

// TestImportPreviewAndConfirm: the preview counts what would happen and
// writes nothing; confirming imports that file, as the account, once.
func TestImportPreviewAndConfirm(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.create("Nhà sách Tràng Tiền", "creative-space", []string{"publishing"}, "Hoàn Kiếm")
		e.create("Gallery Tông Đản", "creative-space", []string{"visual-arts"}, "Hoàn Kiếm")
		b := e.browser()
		b.signIn(editorEmail, password).redirectsTo(t, "/console/")
		form := b.get("/console/imports").want(t, http.StatusOK)
		wantText(t, form, `href="/v1/imports/template.csv"`, `enctype="multipart/form-data"`, `<label for="import-file">`, `href="/console/imports">Nhập dữ liệu</a>`)

		preview := b.upload(form.csrf(t), "ho-so.csv", []byte(importCSV)).want(t, http.StatusOK)
		wantText(t, preview, "Xem trước ho-so.csv", "Tạo mới: 1", "Cập nhật: 1", "Giữ nguyên: 1", "Xác nhận nhập")
		if _, err := e.svc.Entity(ctx, "xuong-in-lua-hang-gai"); registry.ErrorCode(err) != registry.ENOTFOUND {
			t.Fatalf("the preview wrote (%v)", err)
		}
		id := importID(t, preview)
		done := b.do("POST", "/console/imports/confirm", url.Values{"csrf": {preview.csrf(t)}, "import": {id}}).want(t, http.StatusOK)
		wantText(t, done, "Đã nhập ho-so.csv", "Đã tạo mới: 1", "Đã cập nhật: 1", "Giữ nguyên: 1")
		got, err := e.svc.Entity(ctx, "xuong-in-lua-hang-gai")
		if err != nil || got.Description != "In lụa thủ công." {
			t.Fatalf("not imported: %+v %v", got, err)
		}
		revs, _ := e.svc.History(ctx, got.ID)
		if len(revs) != 1 || revs[0].Actor != "Nguyễn Thị Lan" {
			t.Errorf("history %+v, want one revision by the editor", revs)
		}
		if upd, _ := e.svc.Entity(ctx, "nha-sach-trang-tien"); upd.Version != 2 {
			t.Errorf("updated to version %d, want 2", upd.Version)
		}
		// The preview is used once.
		b.do("POST", "/console/imports/confirm", url.Values{"csrf": {preview.csrf(t)}, "import": {id}}).want(t, http.StatusGone)
		if upd, _ := e.svc.Entity(ctx, "nha-sach-trang-tien"); upd.Version != 2 {
			t.Errorf("imported twice: version %d", upd.Version)
		}

		// A JSON array is read as the API reads it.
		js := `[{"name": "Rạp Tháng Tám", "kind": "creative-space", "sectors": ["film"], "address": {"ward": "Hoàn Kiếm"}}]`
		b.upload(form.csrf(t), "rap.json", []byte(js)).want(t, http.StatusOK)
	})
}

// TestImportErrors: every error is listed with its row in the sheet and
// its column as the header names it, in Vietnamese; nothing can be
// confirmed.
func TestImportErrors(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		b := e.browser()
		b.signIn(editorEmail, password).redirectsTo(t, "/console/")
		token := b.get("/console/imports").want(t, http.StatusOK).csrf(t)
		bad := "name,kind,sectors,email\n" +
			"Xưởng gốm Bát Tràng,artisan,crafts,gom@example.vn\n" +
			"Xưởng mộc,artisan,crafts,khong-phai-email\n" +
			"Quán sách,quán-xá,publishing,\n"
		p := b.upload(token, "loi.csv", []byte(bad)).want(t, http.StatusUnprocessableEntity)
		wantText(t, p, "Không nhập được loi.csv", "Dòng trong bảng tính", "Cột",
			"<td>3</td><td>email</td><td>email phải là một địa chỉ email.</td>", "<td>4</td><td>kind</td>")
		if strings.Contains(p.body, `name="import"`) {
			t.Error("a file with errors can be confirmed")
		}
		if !strings.Contains(p.body, `<html lang="vi"`) {
			t.Error("the page is not in Vietnamese")
		}
		// In English after the switch.
		b.get("/console/language?lang=en&next=%2Fconsole%2Fimports").redirectsTo(t, "/console/imports")
		en := b.upload(token, "loi.csv", []byte(bad)).want(t, http.StatusUnprocessableEntity)
		wantText(t, en, "loi.csv cannot be imported", "Row in the sheet", "<td>3</td><td>email</td><td>email must be an email address.</td>")
		b.get("/console/language?lang=vi&next=%2Fconsole%2Fimports")
		// A header with an unknown column is reported at row 1.
		p = b.upload(token, "cot.csv", []byte("name,mau_sac\nA,đỏ\n")).want(t, http.StatusUnprocessableEntity)
		wantText(t, p, "<td>1</td><td>mau_sac</td>")
		// A file that is not CSV at all says why.
		b.upload(token, "hong.json", []byte(`{"name": "không phải mảng"}`)).want(t, http.StatusBadRequest)
		// A form without a file asks for one.
		wantText(t, b.do("POST", "/console/imports", url.Values{"csrf": {token}}).want(t, http.StatusBadRequest),
			"Hãy chọn một tệp CSV hoặc JSON để nhập.")
	})
}

// TestImportConfirmRefused: an unknown id, another session's id and an
// expired preview import nothing; the owner's id still works after
// another session tried it.
func TestImportConfirmRefused(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		lan, minh := e.browser(), e.browser()
		lan.signIn(editorEmail, password).redirectsTo(t, "/console/")
		minh.signIn(adminEmail, password).redirectsTo(t, "/console/")
		token := lan.get("/console/imports").want(t, http.StatusOK).csrf(t)
		minhToken := minh.get("/console/imports").want(t, http.StatusOK).csrf(t)
		id := importID(t, lan.upload(token, "a.csv", []byte(importCSV)).want(t, http.StatusOK))

		wantText(t, lan.do("POST", "/console/imports/confirm", url.Values{"csrf": {token}, "import": {"khong-co"}}).want(t, http.StatusGone),
			"Bản xem trước này đã hết hạn hoặc không phải của bạn")
		minh.do("POST", "/console/imports/confirm", url.Values{"csrf": {minhToken}, "import": {id}}).want(t, http.StatusGone)
		if _, err := e.svc.Entity(ctx, "xuong-in-lua-hang-gai"); registry.ErrorCode(err) != registry.ENOTFOUND {
			t.Fatalf("another session's confirmation imported (%v)", err)
		}
		lan.do("POST", "/console/imports/confirm", url.Values{"csrf": {token}, "import": {id}}).want(t, http.StatusOK)

		// A preview older than its time imports nothing.
		id = importID(t, lan.upload(token, "b.csv", []byte("name,kind,sectors\nRạp Tháng Tám,creative-space,film\n")).want(t, http.StatusOK))
		e.console.pending.now = func() time.Time { return time.Now().Add(pendingTTL + time.Minute) }
		lan.do("POST", "/console/imports/confirm", url.Values{"csrf": {token}, "import": {id}}).want(t, http.StatusGone)
		if _, err := e.svc.Entity(ctx, "rap-thang-tam"); registry.ErrorCode(err) != registry.ENOTFOUND {
			t.Fatalf("an expired preview imported (%v)", err)
		}
	})
}

// TestImportNeedsCSRF: without the session's token neither step runs.
func TestImportNeedsCSRF(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		b := e.browser()
		b.signIn(editorEmail, password).redirectsTo(t, "/console/")
		token := b.get("/console/imports").want(t, http.StatusOK).csrf(t)
		b.upload("", "a.csv", []byte(importCSV)).want(t, http.StatusForbidden)
		b.upload("forged", "a.csv", []byte(importCSV)).want(t, http.StatusForbidden)
		id := importID(t, b.upload(token, "a.csv", []byte(importCSV)).want(t, http.StatusOK))
		b.do("POST", "/console/imports/confirm", url.Values{"import": {id}}).want(t, http.StatusForbidden)
		if _, err := e.svc.Entity(context.Background(), "xuong-in-lua-hang-gai"); registry.ErrorCode(err) != registry.ENOTFOUND {
			t.Fatalf("imported without a token (%v)", err)
		}
		// Signed out, the page sends to the sign-in form.
		e.browser().get("/console/imports").redirectsTo(t, "/console/login")
		e.browser().upload(token, "a.csv", []byte(importCSV)).redirectsTo(t, "/console/login")
	})
}

// TestImportTooLarge: a file over 10 MiB is refused with a clear message.
func TestImportTooLarge(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		b := e.browser()
		b.signIn(editorEmail, password).redirectsTo(t, "/console/")
		token := b.get("/console/imports").want(t, http.StatusOK).csrf(t)
		big := append([]byte("name\n"), bytes.Repeat([]byte("Xưởng gốm\n"), maxImportFile/10)...)
		p := b.upload(token, "lon.csv", big).want(t, http.StatusRequestEntityTooLarge)
		wantText(t, p, "Tệp lớn hơn 10 MiB")
	})
}
