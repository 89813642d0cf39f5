package store

import (
	"context"
	"time"

	"gorm.io/gorm/logger"
)

// quietErrors is a GORM logger that logs slow queries but not failed ones:
// failures are returned, translated once and logged (or not) by whoever
// handles them. Otherwise every taken slug would be logged as an error.
type quietErrors struct{ logger.Interface }

func (q quietErrors) LogMode(level logger.LogLevel) logger.Interface {
	return quietErrors{q.Interface.LogMode(level)}
}

func (q quietErrors) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	if err == nil {
		q.Interface.Trace(ctx, begin, fc, nil)
	}
}
