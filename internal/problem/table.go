package problem

import (
	"net/http"

	"github.com/hanoicreative/registry/internal/registry"
)

// kinds maps the domain's error codes to HTTP: the only such table. It is
// read only, through Of, Each and Status.
var kinds = map[registry.Code]Kind{
	registry.EMALFORMED:    {http.StatusBadRequest, "Malformed request", "The request could not be read: malformed JSON (or JSON that is not UTF-8, or names a member of an object twice), a malformed or unknown query parameter, or a cursor that is not a next_cursor of this listing."},
	registry.EUNAUTHORIZED: {http.StatusUnauthorized, "Unauthorized", "Writes need an API key: send Authorization: Bearer <key>. The key was missing, unknown or revoked."},
	registry.EFORBIDDEN:    {http.StatusForbidden, "Forbidden", "The API key's role may not do this."},
	registry.ENOTFOUND:     {http.StatusNotFound, "Not found", "No resource has this id, slug or version."},
	registry.ECONFLICT:     {http.StatusConflict, "Conflict", "A unique value (such as a slug) is taken, or the resource is in use."},
	registry.EPRECONDITION: {http.StatusPreconditionFailed, "Precondition failed", "If-Match does not match the current version: someone changed the entity since you read it. Read it again, re-apply your change and retry with the new ETag. A weak tag (W/\"3\") never matches: send the ETag exactly as received."},
	registry.EINVALID:      {http.StatusUnprocessableEntity, "Invalid input", "The request is well-formed but some fields are invalid; errors lists every one."},
	registry.EPRECONDREQ:   {http.StatusPreconditionRequired, "Precondition required", "This write must be conditional: send If-Match with the ETag you read, so no one's edit is overwritten."},
	registry.ETOOLARGE:     {http.StatusRequestEntityTooLarge, "Request Entity Too Large", "The request body is larger than allowed: 1 MiB for JSON, 10 MiB for imports, 5 MiB for images."},
	registry.EUNSUPPORTED:  {http.StatusUnsupportedMediaType, "Unsupported Media Type", "The body's Content-Type is not one this request accepts: images must be image/png, image/jpeg or image/webp."},
	registry.ETOOMANY:      {http.StatusTooManyRequests, "Too many attempts", "Too many failed sign-ins for one account: further tries are refused for a while. Wait as long as the message says, then try again."},
	registry.EUNAVAILABLE:  {http.StatusServiceUnavailable, "Service unavailable", "The database is unavailable for the moment; retry after Retry-After seconds."},
	registry.EINTERNAL:     {http.StatusInternalServerError, "Internal error", "A bug: the request could not be completed. Report the request_id."},
}
