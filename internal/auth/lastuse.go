package auth

import (
	"context"
	"log/slog"
	"time"
)

// A key's last use is recorded by a lastuse.Recorder, never on the request
// path: a use is queued when the key's recorded use is a minute old.
const useResolution = time.Minute

// RecordUses writes the keys' last uses as they are queued, until ctx
// ends; then it writes what is left. Run it in a goroutine of its own;
// without it, uses stay queued until FlushUses.
func (s *Service) RecordUses(ctx context.Context, log *slog.Logger) { s.uses.Run(ctx, log) }

// FlushUses writes the queued uses now, in one transaction: at shutdown,
// and in tests. Uses it could not write stay queued.
func (s *Service) FlushUses(ctx context.Context) error { return s.uses.Flush(ctx) }
