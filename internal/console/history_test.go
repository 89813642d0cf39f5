package console

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hanoicreative/registry/internal/registry"
)

// rename changes an entity's name and website through the service, as
// actor.
func (e *env) rename(slug, actor, name, website string) registry.Entity {
	e.t.Helper()
	ent, err := e.svc.UpdateEntity(context.Background(), actor, slug, registry.Precondition{},
		func(cur registry.Entity) (registry.EntityDraft, []registry.FieldError) {
			d := cur.Draft()
			d.Name, d.Website = name, website
			return d, nil
		})
	if err != nil {
		e.t.Fatal(err)
	}
	return ent
}

func (e *env) entity(slug string) registry.Entity {
	e.t.Helper()
	ent, err := e.svc.Entity(context.Background(), slug)
	if err != nil {
		e.t.Fatal(err)
	}
	return ent
}

func (e *env) lastRevision(slug string) registry.Revision {
	e.t.Helper()
	revs, err := e.svc.History(context.Background(), slug)
	if err != nil {
		e.t.Fatal(err)
	}
	return revs[0]
}

// confirmForm reads a confirmation page's CSRF token and version.
func confirmForm(t *testing.T, p page) url.Values {
	t.Helper()
	return url.Values{"csrf": {p.csrf(t)}, "version": {regexpFind(t, p.body, `name="version" value="(\d+)"`)}}
}

// TestEntityHistory: the record's timeline shows, newest first, who
// changed which field from what to what; a past version opens read only;
// restoring it, once confirmed, makes a new version with its values and
// the account's name; a missing CSRF token or a stale version changes
// nothing.
func TestEntityHistory(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		ent := e.create("Xưởng gốm Bát Tràng", "artisan", []string{"crafts"}, "Hoàn Kiếm")
		e.rename(ent.Slug, "Trần Văn Minh", "Xưởng gốm Bát Tràng Mới", "https://gom.example.vn")
		b := e.browser()
		b.signIn(editorEmail, password).redirectsTo(t, "/console/")

		record := b.get(recordURL(ent.Slug)).want(t, http.StatusOK).body
		v2, v1 := strings.Index(record, "<strong>2</strong>"), strings.Index(record, "<strong>1</strong>")
		if v2 < 0 || v1 < 0 || v2 > v1 {
			t.Errorf("the timeline is not newest first (version 2 at %d, 1 at %d)", v2, v1)
		}
		for _, want := range []string{"Trần Văn Minh", "<td>Xưởng gốm Bát Tràng</td><td>Xưởng gốm Bát Tràng Mới</td>",
			"https://gom.example.vn", ">Trang web<", "/versions/1\">Mở phiên bản 1<", "phiên bản hiện tại"} {
			if !strings.Contains(record, want) {
				t.Errorf("the record's history has no %s", want)
			}
		}

		english := b.get(recordURL(ent.Slug), "Accept-Language", "en").want(t, http.StatusOK).body
		for _, want := range []string{">Before<", ">After<", ">Website<", ">Open version 1<", "(current version)"} {
			if !strings.Contains(english, want) {
				t.Errorf("the English history has no %s", want)
			}
		}

		past := b.get(recordURL(ent.Slug)+"/versions/1").want(t, http.StatusOK).body
		for _, want := range []string{"Đây là một phiên bản cũ, chỉ để xem: phiên bản 1 trên 2.", "<dd>Xưởng gốm Bát Tràng</dd>", "/versions/1/restore"} {
			if !strings.Contains(past, want) {
				t.Errorf("the past version has no %s", want)
			}
		}
		// Both pages list the fields with the one template (record-fields),
		// each for its own version.
		for page, want := range map[string]string{record: "<dt>Phiên bản</dt><dd>2 · ", past: "<dt>Phiên bản</dt><dd>1 · "} {
			if !strings.Contains(page, want) || !strings.Contains(page, "Hoàn Kiếm</dd>") {
				t.Errorf("a record's page does not list its fields (%s):\n%s", want, page)
			}
		}
		if strings.Contains(past, "<form method=\"post\" action=\"/console/entities") {
			t.Error("the past version has a form that changes the record without a confirmation")
		}
		b.get(recordURL(ent.Slug)+"/versions/9").want(t, http.StatusNotFound)

		confirm := b.get(recordURL(ent.Slug)+"/versions/1/restore").want(t, http.StatusOK)
		if !strings.Contains(confirm.body, "<td>Xưởng gốm Bát Tràng Mới</td><td>Xưởng gốm Bát Tràng</td>") {
			t.Errorf("the confirmation does not show what the restore changes:\n%s", confirm.body)
		}
		form := confirmForm(t, confirm)
		if form.Get("version") != "2" {
			t.Fatalf("the confirmation carries version %s, want 2", form.Get("version"))
		}
		b.do("POST", recordURL(ent.Slug)+"/versions/1/restore", url.Values{"version": {"2"}}).want(t, http.StatusForbidden)
		stale := url.Values{"csrf": form["csrf"], "version": {"1"}}
		refused := b.do("POST", recordURL(ent.Slug)+"/versions/1/restore", stale).want(t, http.StatusPreconditionFailed)
		if !strings.Contains(refused.body, "Có người đã sửa hồ sơ này sau khi bạn mở trang: chưa có gì thay đổi.") ||
			!strings.Contains(refused.body, `name="version" value="2"`) {
			t.Errorf("a stale restore is not explained, or not offered again at the current version:\n%s", refused.body)
		}
		if got := e.entity(ent.Slug); got.Version != 2 || got.Name != "Xưởng gốm Bát Tràng Mới" {
			t.Fatalf("a refused restore changed the record: version %d, %q", got.Version, got.Name)
		}

		b.do("POST", recordURL(ent.Slug)+"/versions/1/restore", form).redirectsTo(t, recordURL(ent.Slug))
		got := e.entity(ent.Slug)
		if got.Version != 3 || got.Name != "Xưởng gốm Bát Tràng" || got.Contact.Website != "" {
			t.Errorf("after the restore: version %d, %q, website %q; want version 3 with version 1's values", got.Version, got.Name, got.Contact.Website)
		}
		if rev := e.lastRevision(ent.Slug); rev.Actor != "Nguyễn Thị Lan" || rev.Action != registry.ActionUpdated {
			t.Errorf("the restore's revision is %s by %q, want updated by Nguyễn Thị Lan", rev.Action, rev.Actor)
		}
	})
}

// TestEntityArchive: archiving and restoring a record go through a
// confirmation, need the CSRF token and the current version, and name
// the account in the revision.
func TestEntityArchive(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		ent := e.create("Nhà sách Tràng Tiền", "creative-space", []string{"publishing"}, "Hoàn Kiếm")
		b := e.browser()
		b.signIn(editorEmail, password).redirectsTo(t, "/console/")
		if !strings.Contains(b.get(recordURL(ent.Slug)).body, `href="/console/entities/`+ent.Slug+`/archive"`) {
			t.Error("the record has no link to archive it")
		}
		confirm := b.get(recordURL(ent.Slug)+"/archive").want(t, http.StatusOK)
		if !strings.Contains(confirm.body, "Lưu trữ Nhà sách Tràng Tiền?") {
			t.Errorf("the confirmation does not ask:\n%s", confirm.body)
		}
		form := confirmForm(t, confirm)
		b.do("POST", recordURL(ent.Slug)+"/archive", url.Values{"version": form["version"]}).want(t, http.StatusForbidden)
		e.rename(ent.Slug, "Trần Văn Minh", "Nhà sách Tràng Tiền 2", "")
		refused := b.do("POST", recordURL(ent.Slug)+"/archive", form).want(t, http.StatusPreconditionFailed)
		if !strings.Contains(refused.body, "chưa có gì thay đổi") {
			t.Errorf("a stale archive is not explained:\n%s", refused.body)
		}
		if got := e.entity(ent.Slug); got.Status != registry.StatusActive {
			t.Fatalf("a refused archive changed the status to %s", got.Status)
		}
		b.do("POST", recordURL(ent.Slug)+"/archive", confirmForm(t, refused)).redirectsTo(t, recordURL(ent.Slug))
		if got, rev := e.entity(ent.Slug), e.lastRevision(ent.Slug); got.Status != registry.StatusArchived || rev.Actor != "Nguyễn Thị Lan" {
			t.Fatalf("after archiving: %s, by %q", got.Status, rev.Actor)
		}
		record := b.get(recordURL(ent.Slug)).body
		if !strings.Contains(record, "Hồ sơ này đã được lưu trữ") || !strings.Contains(record, `href="/console/entities/`+ent.Slug+`/restore"`) {
			t.Errorf("the archived record does not say so, or offers no restore:\n%s", record)
		}
		confirm = b.get(recordURL(ent.Slug)+"/restore").want(t, http.StatusOK)
		b.do("POST", recordURL(ent.Slug)+"/restore", confirmForm(t, confirm)).redirectsTo(t, recordURL(ent.Slug))
		if got, rev := e.entity(ent.Slug), e.lastRevision(ent.Slug); got.Status != registry.StatusActive || rev.Action != registry.ActionRestored || rev.Actor != "Nguyễn Thị Lan" {
			t.Errorf("after restoring: %s, %s by %q", got.Status, rev.Action, rev.Actor)
		}
	})
}
