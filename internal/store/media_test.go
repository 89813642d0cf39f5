package store_test

import (
	"bytes"
	"image"
	"image/png"
	"testing"

	"github.com/hanoicreative/registry/internal/registry"
)

func TestMediaIsKeptByHashOnce(t *testing.T) {
	engines(t, func(t *testing.T, e env) {
		data := []byte("\x89PNG not really, but bytes are bytes \x00\xff")
		m := registry.Media{MediaFile: registry.MediaFile{Hash: "ab" + string(bytes.Repeat([]byte("0"), 62)), Type: registry.MediaPNG}, Data: data}
		for range 2 { // the second is a no-op, not a conflict
			if err := e.db.PutMedia(e.ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		got, err := e.db.Media(e.ctx, m.Hash)
		if err != nil || !bytes.Equal(got.Data, data) || got.Type != registry.MediaPNG || got.Hash != m.Hash {
			t.Fatalf("read back %+v, %v", got, err)
		}
		_, err = e.db.Media(e.ctx, "cd"+string(bytes.Repeat([]byte("0"), 62)))
		wantCode(t, err, registry.ENOTFOUND)
	})
}

// TestImagesSurviveTheRowAndTheSnapshot: an entity's logo and photos come
// back from its row, from its revisions' snapshots, and through edits of
// its other fields.
func TestImagesSurviveTheRowAndTheSnapshot(t *testing.T) {
	engines(t, func(t *testing.T, e env) {
		svc := e.svc.WithMedia(e.db)
		ent := e.create(t, draft("Xưởng Ảnh Lưu"))
		var b bytes.Buffer
		if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 400, 100))); err != nil {
			t.Fatal(err)
		}
		upload := registry.Upload{Type: "image/png", Data: b.Bytes()}
		withLogo, err := svc.SetLogo(e.ctx, "tester", ent.ID, registry.Precondition{Given: true, Versions: []int{1}}, upload)
		if err != nil {
			t.Fatal(err)
		}
		withPhoto, err := svc.AddPhoto(e.ctx, "tester", ent.Slug, registry.Precondition{Given: true, Versions: []int{2}}, upload, "  Mặt tiền ")
		if err != nil {
			t.Fatal(err)
		}
		logo, photo := *withLogo.Logo, withPhoto.Photos[0]
		if logo.Width != 400 || logo.Height != 100 || logo.File.Type != registry.MediaPNG || logo.Thumbnail.Hash == logo.File.Hash ||
			photo.Caption != "Mặt tiền" || photo.Image != logo {
			t.Fatalf("logo %+v photo %+v", logo, photo)
		}
		if _, err := e.db.Media(e.ctx, logo.Thumbnail.Hash); err != nil {
			t.Fatalf("thumbnail not stored: %v", err)
		}
		edited, err := svc.UpdateEntity(e.ctx, "tester", ent.ID, registry.Precondition{Given: true, Versions: []int{3}},
			func(cur registry.Entity) (registry.EntityDraft, []registry.FieldError) {
				d := cur.Draft()
				d.NameEn = "Photo Workshop"
				return d, nil
			})
		if err != nil {
			t.Fatal(err)
		}
		read, err := e.db.Entity(e.ctx, ent.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, got := range []registry.Entity{edited, read} {
			if got.Version != 4 || got.Logo == nil || *got.Logo != logo || len(got.Photos) != 1 || got.Photos[0] != photo {
				t.Fatalf("version %d logo %+v photos %+v", got.Version, got.Logo, got.Photos)
			}
		}
		rev, err := e.db.Revision(e.ctx, ent.ID, 3)
		if err != nil {
			t.Fatal(err)
		}
		if s := rev.Snapshot; s.Logo == nil || *s.Logo != logo || len(s.Photos) != 1 || s.Photos[0] != photo {
			t.Fatalf("snapshot %+v %+v", s.Logo, s.Photos)
		}
		if v1, _ := e.db.Revision(e.ctx, ent.ID, 1); v1.Snapshot.Logo != nil || v1.Snapshot.Photos != nil {
			t.Fatalf("version 1 %+v", v1.Snapshot)
		}
	})
}
