package api

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/hanoicreative/registry/internal/registry"
)

// Replication is what the edge needs to know of a read replica.
type Replication interface {
	// HasReplica reports whether reads go to a replica.
	HasReplica() bool
	// ChangeSeq is the change sequence the replica has applied.
	ChangeSeq(ctx context.Context) (int64, error)
	// LastChangeBy is the sequence number of an actor's last change.
	LastChangeBy(ctx context.Context, actor string) (int64, error)
}

// routeReads sends to the primary database every write (which reads what
// it changes) and every read by a client whose own last change the
// replica has not applied yet: clients read their writes. Everyone else
// reads the replica.
func (s *Server) routeReads(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.replication == nil || !s.replication.HasReplica() {
			return next(c)
		}
		req := c.Request()
		ctx := req.Context()
		primary := req.Method != http.MethodGet && req.Method != http.MethodHead
		if k := apiKey(c); !primary && k != nil {
			last, err := s.replication.LastChangeBy(ctx, k.Name)
			if err != nil {
				return err
			}
			if last > 0 {
				applied, err := s.replication.ChangeSeq(ctx)
				if err != nil {
					return err
				}
				primary = applied < last
			}
		}
		if primary {
			c.SetRequest(req.WithContext(registry.WithPrimary(ctx)))
		}
		return next(c)
	}
}
