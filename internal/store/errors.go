package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"github.com/hanoicreative/registry/internal/registry"
)

// translate maps database errors to the domain's codes, once, here.
// Unique violations other than the slug's are reported by their callers,
// who know which value was taken.
func translate(err error) error {
	var e *registry.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &e):
		return err
	case errors.Is(err, gorm.ErrRecordNotFound):
		return registry.Errorf(registry.ENOTFOUND, "Not found.")
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return &registry.Error{Code: registry.ECONFLICT, Message: "A unique value is already taken.", Err: err}
	case unavailable(err):
		return &registry.Error{Code: registry.EUNAVAILABLE, Message: "The database is unavailable; try again shortly.", Err: err}
	}
	return registry.Internal(err)
}

// unavailable reports errors that mean "the database cannot be reached or
// is shutting down" rather than "this query is wrong".
func unavailable(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// Class 08: connection exception; 57P0x: shutdown / cannot
		// connect now; 53300: too many connections.
		return strings.HasPrefix(pgErr.Code, "08") || strings.HasPrefix(pgErr.Code, "57P") || pgErr.Code == "53300"
	}
	var netErr net.Error
	var connErr *pgconn.ConnectError
	return errors.As(err, &connErr) || errors.As(err, &netErr) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, context.DeadlineExceeded) ||
		strings.Contains(err.Error(), "database is locked") ||
		strings.Contains(err.Error(), "conn closed")
}
