package console

import (
	"context"
	"mime"
	"net/http"
	"strconv"

	"github.com/hanoicreative/registry/internal/problem"
	"github.com/hanoicreative/registry/internal/registry"
)

// A record's logo and photos are uploaded, replaced and removed on its
// page, through the service as the API does them: the same checks, a new
// version each, over the version the page was shown at.

const imageFileField = "image"

// imageRoutes mounts the image forms of a record's page.
func (c *Console) imageRoutes(m *http.ServeMux) {
	upload := func(h http.HandlerFunc) http.HandlerFunc {
		return c.readFileUpload(imageFileField, registry.MaxImageBytes, c.signedIn(h))
	}
	m.HandleFunc("POST /console/entities/{slug}/logo", upload(c.changeImage(func(ctx context.Context, r *http.Request, actor, id string, pre registry.Precondition) (registry.Entity, error) {
		up, err := imageUpload(r)
		if err != nil {
			return registry.Entity{}, err
		}
		return c.svc.SetLogo(ctx, actor, id, pre, up)
	})))
	m.HandleFunc("POST /console/entities/{slug}/logo/delete", c.signedIn(c.changeImage(func(ctx context.Context, r *http.Request, actor, id string, pre registry.Precondition) (registry.Entity, error) {
		return c.svc.DeleteLogo(ctx, actor, id, pre)
	})))
	m.HandleFunc("POST /console/entities/{slug}/photos", upload(c.changeImage(func(ctx context.Context, r *http.Request, actor, id string, pre registry.Precondition) (registry.Entity, error) {
		up, err := imageUpload(r)
		if err != nil {
			return registry.Entity{}, err
		}
		return c.svc.AddPhoto(ctx, actor, id, pre, up, r.PostFormValue("caption"))
	})))
	m.HandleFunc("POST /console/entities/{slug}/photos/{id}/delete", c.signedIn(c.changeImage(func(ctx context.Context, r *http.Request, actor, id string, pre registry.Precondition) (registry.Entity, error) {
		return c.svc.DeletePhoto(ctx, actor, id, r.PathValue("id"), pre)
	})))
}

// imageChange is one change of a record's images, by the signed-in account.
type imageChange func(ctx context.Context, r *http.Request, actor, id string, pre registry.Precondition) (registry.Entity, error)

// changeImage makes a change of the record's images over the version the
// form carries, then shows the record again; a refused change shows the
// record with the reason.
func (c *Console) changeImage(change imageChange) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		cur, err := c.svc.Entity(ctx, r.PathValue("slug"))
		if err != nil {
			c.fail(w, r, err)
			return
		}
		version, _ := strconv.Atoi(r.PostFormValue(versionField))
		pre := registry.Precondition{Given: true, Versions: []int{version}}
		if _, err := change(ctx, r, staffOf(ctx).Account.Name, cur.ID, pre); err != nil {
			c.refusedImage(w, r, cur, err)
			return
		}
		http.Redirect(w, r, recordURL(cur.Slug)+"#images", http.StatusSeeOther)
	}
}

// imageUpload is the form's image file as the service takes it.
func imageUpload(r *http.Request) (registry.Upload, error) {
	up, _ := r.Context().Value(uploadKey{}).(*uploadedFile)
	switch {
	case up != nil && up.tooLarge:
		return registry.Upload{}, registry.ImageTooLarge()
	case up == nil || up.body == nil:
		return registry.Upload{}, registry.Errorf(registry.EMALFORMED, "Choose an image file (PNG, JPEG or WebP).")
	}
	mediaType, _, _ := mime.ParseMediaType(up.mediaType)
	return registry.Upload{Type: mediaType, Data: up.body}, nil
}

// refusedImage shows the record, as it now is, with why the change was
// refused.
func (c *Console) refusedImage(w http.ResponseWriter, r *http.Request, cur registry.Entity, err error) {
	switch registry.ErrorCode(err) {
	case registry.EPRECONDITION:
		c.showEntity(w, r, problem.Status(err), cur, "Someone changed this record after you opened this page: nothing was changed. Look at the record as it is now, then try again.", nil)
	case registry.EINVALID, registry.EMALFORMED, registry.ETOOLARGE, registry.EUNSUPPORTED, registry.ENOTFOUND:
		c.showEntity(w, r, problem.Status(err), cur, "", err)
	default:
		c.fail(w, r, err)
	}
}
