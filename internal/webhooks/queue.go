// Package webhooks delivers the registry's events to partners' endpoints:
// a dispatcher turns every change of the change feed into one job per
// subscribed endpoint, and workers send each job as a signed request
// (Standard Webhooks), retrying with backoff. The jobs live on a durable
// queue (River) in the registry's own database, on both engines.
//
// Why a dispatcher following the feed, rather than jobs inserted by every
// write: the change feed is already the single ordered record of every
// change (each write appends to it in its own transaction, with numbers
// in commit order and no gaps), so following it misses nothing, and no
// write path of the registry (entities, imports, images) needs to know of
// webhooks or lengthen its transaction by a job per endpoint. The
// dispatcher reads the changes after its position, inserts the jobs
// (River's InsertManyTx) and moves its position in one transaction that
// holds the position's row lock: a crash before the commit leaves nothing
// half-done, a crash after it leaves the jobs in the database for the
// next start (at least once, nothing lost), and two instances queue on
// the lock, the second finding the position already moved (each event
// once per endpoint). The jobs are also unique by (endpoint, event), so
// that nothing but a manual retry can queue the same event twice.
package webhooks

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/hanoicreative/registry/internal/registry"
)

// Store is what the queue needs of the registry's database.
type Store interface {
	Webhook(ctx context.Context, id string) (registry.Webhook, error)
	WebhookSecrets(ctx context.Context, id string, now time.Time) ([]string, error)
	AttemptsMade(ctx context.Context, webhookID, eventID string) (int, error)
	RecordDelivery(ctx context.Context, d registry.Delivery, disable string) error
	DispatchPending(ctx context.Context) (bool, error)
	Dispatch(ctx context.Context, limit int, enqueue func(tx *sql.Tx, changes []registry.Change, webhooks []registry.Webhook) error) (int, error)
	// QueuePool is the connection pool for the queue's tables, and
	// whether the queue must close it.
	QueuePool() (*sql.DB, bool, error)
	// IsSQLite tells which of River's drivers fits.
	IsSQLite() bool
}

// Options tune the queue.
type Options struct {
	// AllowPrivate allows http and private or loopback targets.
	AllowPrivate bool
	// PollInterval is how often the dispatcher looks for new changes and
	// River for jobs that are due (0: DefaultPollInterval).
	PollInterval time.Duration
	// Backoff are the delays before the second, third... attempt (nil: the
	// contract's schedule); the last one repeats. Jitter of ±10% is added.
	Backoff []time.Duration
	// MaxAttempts ends an event's retries (0: one attempt and every retry
	// of the schedule).
	MaxAttempts int
	// FailingFor disables an endpoint that has failed for this long with no
	// success (0: five days).
	FailingFor time.Duration
	// Workers is how many deliveries run at once (0: 20).
	Workers int
	Logger  *slog.Logger
}

// DefaultPollInterval is how often, by default, the dispatcher looks for
// changes and River for due jobs: two polls of it bound the delay from a
// commit to the first attempt (PostgreSQL through database/sql and SQLite
// have no LISTEN that River could wait on instead).
const DefaultPollInterval = 250 * time.Millisecond

// DefaultBackoff is the retry schedule of the contract.
var DefaultBackoff = []time.Duration{5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour,
	10 * time.Hour, 14 * time.Hour, 20 * time.Hour, 24 * time.Hour}

// Queue is the durable delivery queue and its dispatcher.
type Queue struct {
	store   Store
	client  *river.Client[*sql.Tx]
	pool    *sql.DB
	ownPool bool
	opts    Options
	http    *http.Client
	log     *slog.Logger

	stop context.CancelFunc
	done sync.WaitGroup
}

var _ registry.WebhookQueue = (*Queue)(nil)

// driver builds River's driver for the store's engine over pool.
func driver(store Store, pool *sql.DB) riverdriver.Driver[*sql.Tx] {
	if store.IsSQLite() {
		return riversqlite.New(pool)
	}
	return riverdatabasesql.New(pool)
}

// migrationLockKey is an arbitrary constant, apart from the store's: the
// PostgreSQL advisory lock of River's migrations.
const migrationLockKey = 7_410_2026

// Migrate creates or updates River's own tables, with River's migrator.
func Migrate(ctx context.Context, store Store) error {
	pool, own, err := store.QueuePool()
	if err != nil {
		return err
	}
	if own {
		defer pool.Close()
	}
	if !store.IsSQLite() {
		// Instances starting together migrate one after another: a
		// session lock held on a connection of its own while River's
		// migrator works on others. (SQLite's file lock does this there.)
		conn, err := pool.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLockKey); err != nil {
			return err
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLockKey)
	}
	m, err := rivermigrate.New(driver(store, pool), nil)
	if err != nil {
		return err
	}
	if store.IsSQLite() {
		return migrateSQLite(ctx, m, pool)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate the webhook queue: %w", err)
	}
	return nil
}

// migrateSQLite runs River's migrations in one transaction that takes
// the write lock at BEGIN (the queue pool's _txlock=immediate): processes
// starting together then migrate one after another instead of running the
// same migration at once (one failed with "no such index"). River calls
// MigrateTx deprecated because some PostgreSQL migrations cannot share a
// transaction; SQLite's DDL is transactional and the test suite runs
// every migration this way.
func migrateSQLite(ctx context.Context, m *rivermigrate.Migrator[*sql.Tx], pool *sql.DB) error {
	tx, err := pool.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	//lint:ignore SA1019 see above
	if _, err := m.MigrateTx(ctx, tx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate the webhook queue: %w", err)
	}
	return tx.Commit()
}

// New builds the queue; Start runs it. It can enqueue before Start.
func New(store Store, opts Options) (*Queue, error) {
	if opts.PollInterval == 0 {
		opts.PollInterval = DefaultPollInterval
	}
	if opts.Backoff == nil {
		opts.Backoff = DefaultBackoff
	}
	if opts.MaxAttempts == 0 {
		opts.MaxAttempts = len(opts.Backoff) + 1
	}
	if opts.FailingFor == 0 {
		opts.FailingFor = 5 * 24 * time.Hour
	}
	if opts.Workers == 0 {
		opts.Workers = 20
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	pool, own, err := store.QueuePool()
	if err != nil {
		return nil, err
	}
	q := &Queue{store: store, pool: pool, ownPool: own, opts: opts, http: newHTTPClient(opts.AllowPrivate), log: opts.Logger}
	workers := river.NewWorkers()
	river.AddWorker(workers, &deliverWorker{q: q})
	q.client, err = river.NewClient(driver(store, pool), &river.Config{
		ID:                uuid.NewString(),
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: opts.Workers}},
		Workers:           workers,
		FetchPollInterval: opts.PollInterval,
		FetchCooldown:     opts.PollInterval / 5,
		JobTimeout:        2 * Timeout,
		// A job left running by an instance that died is sent again after
		// a minute rather than River's default hour.
		RescueStuckJobsAfter: time.Minute,
		// River retries only errors of the queue itself (a database that
		// does not answer); a failed delivery snoozes the job itself.
		MaxAttempts: 25,
		Logger:      quiet(opts.Logger),
	})
	if err != nil {
		if own {
			pool.Close()
		}
		return nil, err
	}
	return q, nil
}

// quiet keeps River's own logging to warnings and errors.
func quiet(l *slog.Logger) *slog.Logger {
	return slog.New(levelAtLeast{l.Handler(), slog.LevelWarn})
}

type levelAtLeast struct {
	slog.Handler
	min slog.Level
}

func (h levelAtLeast) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

// Start runs the workers and the dispatcher until Stop.
func (q *Queue) Start(ctx context.Context) error {
	if err := q.client.Start(ctx); err != nil {
		return err
	}
	ctx, q.stop = context.WithCancel(context.WithoutCancel(ctx))
	q.done.Add(1)
	go func() {
		defer q.done.Done()
		q.dispatchLoop(ctx)
	}()
	return nil
}

// Stop stops the dispatcher, lets running deliveries finish (until ctx
// ends) and closes the queue's own pool. Jobs not yet sent stay in the
// database for the next start.
func (q *Queue) Stop(ctx context.Context) error {
	if q.stop != nil {
		q.stop()
		q.done.Wait()
	}
	err := q.client.Stop(ctx)
	if q.ownPool {
		err = errors.Join(err, q.pool.Close())
	}
	return err
}

// dispatchBatch is how many changes one dispatch transaction takes.
const dispatchBatch = 500

// dispatchLoop turns new changes into jobs, every PollInterval.
func (q *Queue) dispatchLoop(ctx context.Context) {
	t := time.NewTicker(q.opts.PollInterval)
	defer t.Stop()
	for {
		if err := q.DispatchNow(ctx); err != nil && ctx.Err() == nil {
			q.log.Warn("webhooks: dispatching changes failed; retrying", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// DispatchNow turns every change not yet dispatched into jobs.
func (q *Queue) DispatchNow(ctx context.Context) error {
	for {
		// A read first: idle polling takes no write lock (SQLite has one).
		pending, err := q.store.DispatchPending(ctx)
		if err != nil || !pending {
			return err
		}
		n, err := q.store.Dispatch(ctx, dispatchBatch, q.enqueueChanges(ctx))
		if err != nil || n < dispatchBatch {
			return err
		}
	}
}

// enqueueChanges inserts, in the dispatch transaction, a job for each
// change and each endpoint subscribed to its type.
func (q *Queue) enqueueChanges(ctx context.Context) func(tx *sql.Tx, changes []registry.Change, webhooks []registry.Webhook) error {
	return func(tx *sql.Tx, changes []registry.Change, webhooks []registry.Webhook) error {
		var params []river.InsertManyParams
		for _, c := range changes {
			eventID, eventType, payload, err := registry.ChangeEvent(c)
			if err != nil {
				return err
			}
			for _, w := range webhooks {
				if w.Subscribes(eventType) {
					params = append(params, river.InsertManyParams{Args: DeliverArgs{WebhookID: w.ID, EventID: eventID, Type: eventType, Seq: c.Seq, Payload: payload}})
				}
			}
		}
		if len(params) == 0 {
			return nil
		}
		_, err := q.client.InsertManyTx(ctx, tx, params)
		return err
	}
}

// Enqueue schedules a delivery now, outside the feed: a manual retry or a
// ping. Each call is a job of its own, even for an event already queued.
func (q *Queue) Enqueue(ctx context.Context, webhookID, eventID, eventType string, seq int64, payload []byte) error {
	_, err := q.client.Insert(ctx, DeliverArgs{WebhookID: webhookID, EventID: eventID, Type: eventType, Seq: seq, Payload: payload, Manual: uuid.NewString()}, nil)
	if err != nil {
		return registry.Internal(err)
	}
	return nil
}

// DeliverArgs is a job: one event to one endpoint.
type DeliverArgs struct {
	WebhookID string          `json:"webhook_id" river:"unique"`
	EventID   string          `json:"event_id" river:"unique"`
	Type      string          `json:"type"`
	Seq       int64           `json:"seq"`
	Payload   json.RawMessage `json:"payload"`
	// Manual is a fresh id on a manual retry or ping, so that it is not
	// taken for a duplicate of the event's first job.
	Manual string `json:"manual,omitempty" river:"unique"`
}

// Kind names the job in River's tables.
func (DeliverArgs) Kind() string { return "webhook_delivery" }

// InsertOpts makes jobs unique by endpoint and event (and Manual).
func (DeliverArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}
