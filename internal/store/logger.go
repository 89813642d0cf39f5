package store

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// quietErrors is a GORM logger that logs slow queries but not failed ones:
// failures are returned, translated once and logged (or not) by whoever
// handles them. Otherwise every taken slug would be logged as an error.
type quietErrors struct{ logger.Interface }

// A wrapper hides the methods of what it wraps that are not in
// logger.Interface: without this assertion, GORM would not find
// ParamsFilter and would log SQL with its values (key ids, hashes).
var _ gorm.ParamsFilter = quietErrors{}

func (q quietErrors) LogMode(level logger.LogLevel) logger.Interface {
	return quietErrors{q.Interface.LogMode(level)}
}

func (q quietErrors) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	if err == nil {
		q.Interface.Trace(ctx, begin, fc, nil)
	}
}

// ParamsFilter drops every parameter value, so that GORM logs SQL with its
// placeholders: logs never hold key hashes, e-mail addresses or the like,
// whatever the wrapped logger is configured to do.
func (q quietErrors) ParamsFilter(ctx context.Context, sql string, params ...any) (string, []any) {
	return sql, nil
}
