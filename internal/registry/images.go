package registry

import (
	"context"
	"errors"
	"slices"
	"unicode/utf8"

	"github.com/google/uuid"
)

// An entity's logo and photos change by the operations below, each a new
// version with a revision (action updated), as an edit of its fields is.

// SetLogo gives an entity a logo, replacing any it had.
func (s *Service) SetLogo(ctx context.Context, actor, ref string, pre Precondition, u Upload) (Entity, error) {
	return s.changeImages(ctx, actor, ref, pre, func(cur Entity) (Entity, error) {
		img, err := s.putPicture(ctx, u)
		if err != nil {
			return Entity{}, err
		}
		cur.Logo = &img
		return cur, nil
	})
}

// DeleteLogo removes an entity's logo; without one, nothing changes.
func (s *Service) DeleteLogo(ctx context.Context, actor, ref string, pre Precondition) (Entity, error) {
	return s.changeImages(ctx, actor, ref, pre, func(cur Entity) (Entity, error) {
		cur.Logo = nil
		return cur, nil
	})
}

// AddPhoto adds a photo after the entity's others, up to MaxPhotos.
func (s *Service) AddPhoto(ctx context.Context, actor, ref string, pre Precondition, u Upload, caption string) (Entity, error) {
	caption = normaliseText(caption)
	if fe := CheckText("caption", caption, false); fe != nil {
		return Entity{}, Invalid([]FieldError{*fe})
	}
	if n := utf8.RuneCountInString(caption); n > MaxCaption {
		return Entity{}, Invalid([]FieldError{Fieldf("caption", "max", "%s must have at most %d characters.", "caption", MaxCaption)})
	}
	return s.changeImages(ctx, actor, ref, pre, func(cur Entity) (Entity, error) {
		// Counted before the upload is decoded: a full entity costs nothing.
		if len(cur.Photos) >= MaxPhotos {
			return Entity{}, imageError("photos", "max", "An entity has at most %d photos: remove one before adding another.", MaxPhotos)
		}
		img, err := s.putPicture(ctx, u)
		if err != nil {
			return Entity{}, err
		}
		id, err := uuid.NewV7()
		if err != nil {
			return Entity{}, Internal(err)
		}
		cur.Photos = append(slices.Clone(cur.Photos), Photo{ID: id.String(), Caption: caption, Image: img})
		return cur, nil
	})
}

// DeletePhoto removes one of an entity's photos.
func (s *Service) DeletePhoto(ctx context.Context, actor, ref, photoID string, pre Precondition) (Entity, error) {
	return s.changeImages(ctx, actor, ref, pre, func(cur Entity) (Entity, error) {
		i := slices.IndexFunc(cur.Photos, func(p Photo) bool { return p.ID == photoID })
		if i < 0 {
			return Entity{}, Errorf(ENOTFOUND, "The entity has no photo %q.", photoID)
		}
		cur.Photos = slices.Delete(slices.Clone(cur.Photos), i, i+1)
		return cur, nil
	})
}

// changeImages applies change to the current state of an entity, if pre
// holds for its version, and commits the result. An entity changed
// between the read and the write fails with EPRECONDITION, as any update.
func (s *Service) changeImages(ctx context.Context, actor, ref string, pre Precondition, change func(Entity) (Entity, error)) (Entity, error) {
	cur, err := s.store.Entity(ctx, ref)
	if err != nil {
		return Entity{}, err
	}
	if err := pre.Check(cur.Version); err != nil {
		return Entity{}, err
	}
	next, err := change(cur)
	if err != nil {
		return Entity{}, err
	}
	e, _, err := s.commit(ctx, s.store, actor, cur, next, ActionUpdated)
	return e, err
}

// putPicture checks and re-encodes an upload and stores its files. They
// are stored before the entity refers to them: a write that then fails
// leaves files nothing shows, never a reference to a missing file.
func (s *Service) putPicture(ctx context.Context, u Upload) (Image, error) {
	if s.media == nil {
		return Image{}, Internal(errors.New("registry: no media store (Service.WithMedia)"))
	}
	select {
	case s.decoding <- struct{}{}:
	case <-ctx.Done():
		return Image{}, Errorf(EUNAVAILABLE, "The server is busy with other images: try again in a moment.")
	}
	p, err := readPicture(u)
	<-s.decoding
	if err != nil {
		return Image{}, err
	}
	for _, m := range []Media{p.file, p.thumbnail} {
		if err := s.media.PutMedia(ctx, m); err != nil {
			return Image{}, err
		}
	}
	return p.image(), nil
}
