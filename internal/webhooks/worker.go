package webhooks

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/riverqueue/river"

	"github.com/hanoicreative/registry/internal/registry"
)

type deliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	q *Queue
}

// Work makes one attempt, logs it, and decides what follows: done on a
// 2xx; the endpoint disabled on a 410 or after failing for FailingFor;
// otherwise the job sleeps until the next attempt of the schedule (or
// Retry-After), which River keeps in the database across restarts.
func (w *deliverWorker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	q, a := w.q, job.Args
	hook, err := q.store.Webhook(ctx, a.WebhookID)
	if registry.ErrorCode(err) == registry.ENOTFOUND {
		return river.JobCancel(errors.New("the webhook was deleted"))
	}
	if err != nil {
		return err
	}
	if hook.Disabled && a.Type != registry.EventPing {
		return river.JobCancel(errors.New("the webhook is disabled"))
	}
	now := time.Now().UTC()
	secrets, err := q.store.WebhookSecrets(ctx, hook.ID, now)
	if err != nil {
		return err
	}
	made, err := q.store.AttemptsMade(ctx, hook.ID, a.EventID)
	if err != nil {
		return err
	}
	out := send(ctx, q.http, q.opts.AllowPrivate, hook.URL, a.EventID, secrets, a.Payload, now)
	d := registry.Delivery{WebhookID: hook.ID, EventID: a.EventID, Type: a.Type, Seq: a.Seq, Payload: a.Payload,
		Attempt: made + 1, StatusCode: out.status, Error: out.err, At: now}
	disable := ""
	var next error
	switch {
	case out.ok():
		d.State = registry.DeliverySucceeded
	case a.Type == registry.EventPing || a.Manual != "":
		// A ping or a manual retry is tried once: the admin is watching.
		d.State = registry.DeliveryFailed
	case out.status == 410:
		d.State, disable = registry.DeliveryFailed, "gone"
		next = river.JobCancel(errors.New("the endpoint answered 410 Gone"))
	case hook.FailingSince != nil && now.Sub(*hook.FailingSince) >= q.opts.FailingFor:
		d.State, disable = registry.DeliveryFailed, "failing"
		next = river.JobCancel(errors.New("the endpoint has failed for too long"))
	case d.Attempt >= q.opts.MaxAttempts:
		d.State = registry.DeliveryFailed
		next = river.JobCancel(errors.New("every attempt failed"))
	default:
		delay := q.backoff(d.Attempt)
		if out.retryAfter > 0 {
			delay = min(out.retryAfter, 24*time.Hour)
		}
		at := now.Add(delay)
		d.State, d.NextAttemptAt = registry.DeliveryPending, &at
		next = river.JobSnooze(delay)
	}
	if err := q.store.RecordDelivery(ctx, d, disable); err != nil {
		return err
	}
	return next
}

// backoff is the delay after the attempt-th attempt, with ±10% jitter so
// that endpoints that failed together are not retried together.
func (q *Queue) backoff(attempt int) time.Duration {
	i := min(attempt-1, len(q.opts.Backoff)-1)
	d := q.opts.Backoff[max(i, 0)]
	return d + time.Duration((rand.Float64()*0.2-0.1)*float64(d))
}
