package webhooks_test

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/hanoicreative/registry/api"
	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/store/storetest"
	"github.com/hanoicreative/registry/internal/webhooks"
)

// verify checks a request's signature with the Standard Webhooks
// reference library: an independent check of the registry's signing.
func verify(t *testing.T, secret string, r received) {
	t.Helper()
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatal(err)
	}
	if err := wh.Verify(r.body, r.header); err != nil {
		t.Fatalf("the reference library refuses the signature %q: %v", r.header.Get("webhook-signature"), err)
	}
}

// event is a delivered body.
type event struct {
	Type      string `json:"type"`
	Timestamp string `json:"timestamp"`
	Data      struct {
		ID      string `json:"id"`
		Slug    string `json:"slug"`
		Version int    `json:"version"`
		Seq     int64  `json:"seq"`
	} `json:"data"`
}

func decodeEvent(t *testing.T, r received) event {
	t.Helper()
	var e event
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("body %s: %v", r.body, err)
	}
	return e
}

func TestEveryChangeIsDeliveredSigned(t *testing.T) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		in := start(t, dsn, private)
		rcv := newReceiver(t)
		hook := in.register(rcv.URL)
		archivedOnly := newReceiver(t)
		in.register(archivedOnly.URL, registry.EventArchived)

		id := in.createEntity("Xưởng Gốm Webhook")
		in.do("DELETE", "/v1/entities/"+id, nil, http.StatusNoContent, "If-Match", `"1"`)
		waitFor(t, "two events", func() bool { return len(rcv.requests()) == 2 && len(archivedOnly.requests()) == 1 })

		// Events may arrive in any order: data.seq orders them.
		got := rcv.requests()
		slices.SortFunc(got, func(a, b received) int { return cmp.Compare(decodeEvent(t, a).Data.Seq, decodeEvent(t, b).Data.Seq) })
		for i, want := range []string{registry.EventCreated, registry.EventArchived} {
			r := got[i]
			verify(t, hook.Secret, r)
			e := decodeEvent(t, r)
			if e.Type != want || e.Data.ID != id || e.Data.Version != i+1 || e.Data.Seq == 0 || e.Data.Slug == "" {
				t.Fatalf("event %d: %s", i, r.body)
			}
			if r.header.Get("webhook-id") != registry.ChangeEventID(e.Data.Seq) || r.header.Get("Content-Type") != "application/json" {
				t.Fatalf("headers %v", r.header)
			}
			if _, err := time.Parse(time.RFC3339, e.Timestamp); err != nil {
				t.Fatalf("timestamp %q", e.Timestamp)
			}
		}
		if e := decodeEvent(t, archivedOnly.requests()[0]); e.Type != registry.EventArchived {
			t.Fatalf("the archived-only endpoint got %s", e.Type)
		}
		waitFor(t, "the delivery log", func() bool {
			ds := in.deliveries(hook.ID)
			return len(ds) == 2 && ds[0].State == registry.DeliverySucceeded && ds[1].State == registry.DeliverySucceeded &&
				ds[0].StatusCode == 200 && ds[0].Type != ds[1].Type
		})

		// Ping and manual retry: sent now, logged, same id and body on a retry.
		var queued struct {
			EventID string `json:"event_id"`
		}
		json.Unmarshal(in.do("POST", "/v1/webhooks/"+hook.ID+"/ping", nil, http.StatusAccepted), &queued)
		waitFor(t, "the ping", func() bool { return len(rcv.requests()) == 3 })
		ping := rcv.requests()[2]
		verify(t, hook.Secret, ping)
		if e := decodeEvent(t, ping); e.Type != registry.EventPing || ping.header.Get("webhook-id") != queued.EventID {
			t.Fatalf("ping %s %v", ping.body, ping.header)
		}
		var first api.Delivery // the delivery of the created event
		for _, d := range in.deliveries(hook.ID) {
			if d.EventID == got[0].header.Get("webhook-id") {
				first = d
			}
		}
		in.do("POST", "/v1/webhooks/"+hook.ID+"/deliveries/"+first.ID+"/retry", nil, http.StatusAccepted)
		waitFor(t, "the manual retry", func() bool { return len(rcv.requests()) == 4 })
		if a, b := got[0], rcv.requests()[3]; a.header.Get("webhook-id") != b.header.Get("webhook-id") || string(a.body) != string(b.body) {
			t.Fatalf("the manual retry differs:\n%v %s\n%v %s", a.header, a.body, b.header, b.body)
		}
		in.do("POST", "/v1/webhooks/"+hook.ID+"/deliveries/0193b0c4-5d1e-7c2a-9f00-3c1d2e4f5a6b/retry", nil, http.StatusNotFound)
	})
}

func TestAFailedDeliveryIsRetriedWithTheSameIDAndBody(t *testing.T) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		in := start(t, dsn, private)
		rcv := newReceiver(t, 503, 500, 200)
		hook := in.register(rcv.URL)
		in.createEntity("Nhà Hát Thử Lại")
		waitFor(t, "three attempts", func() bool { return len(rcv.requests()) == 3 })
		got := rcv.requests()
		for _, r := range got {
			verify(t, hook.Secret, r)
			if r.header.Get("webhook-id") != got[0].header.Get("webhook-id") || string(r.body) != string(got[0].body) {
				t.Fatalf("a retry differs from the first attempt: %v %s", r.header, r.body)
			}
		}
		if gap := got[1].at.Sub(got[0].at); gap < 200*time.Millisecond {
			t.Fatalf("retried after %s: no backoff", gap)
		}
		waitFor(t, "the log of three attempts", func() bool { return len(in.deliveries(hook.ID)) == 3 })
		ds := in.deliveries(hook.ID) // newest first
		if ds[0].State != registry.DeliverySucceeded || ds[0].Attempt != 3 || ds[1].State != registry.DeliveryPending ||
			ds[1].StatusCode != 500 || ds[1].NextAttemptAt == nil || ds[2].Attempt != 1 || ds[2].Error == "" {
			t.Fatalf("log %+v", ds)
		}
		if w := in.webhook(hook.ID); w.FailingSince != nil || w.Disabled {
			t.Fatalf("after a success the endpoint is %+v", w)
		}
	})
}

func TestRetryAfterIsHonoured(t *testing.T) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		in := start(t, dsn, private)
		rcv := newReceiver(t, 429, 200)
		rcv.header.Set("Retry-After", "2")
		in.register(rcv.URL)
		in.createEntity("Phòng Tranh Chờ")
		waitFor(t, "two attempts", func() bool { return len(rcv.requests()) == 2 })
		if gap := rcv.requests()[1].at.Sub(rcv.requests()[0].at); gap < 1900*time.Millisecond {
			t.Fatalf("retried after %s despite Retry-After: 2", gap)
		}
	})
}

func TestGoneDisablesTheEndpoint(t *testing.T) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		in := start(t, dsn, private)
		rcv := newReceiver(t, http.StatusGone)
		hook := in.register(rcv.URL)
		in.createEntity("Studio Đã Đóng")
		waitFor(t, "the endpoint disabled", func() bool { return in.webhook(hook.ID).Disabled })
		if w := in.webhook(hook.ID); w.DisabledReason != "gone" {
			t.Fatalf("disabled for %q", w.DisabledReason)
		}
		in.createEntity("Studio Sau Đó")
		if err := in.queue.DispatchNow(context.Background()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(500 * time.Millisecond)
		if n := len(rcv.requests()); n != 1 {
			t.Fatalf("a disabled endpoint got %d requests", n)
		}
		if ds := in.deliveries(hook.ID); len(ds) != 1 || ds[0].State != registry.DeliveryFailed || ds[0].StatusCode != 410 {
			t.Fatalf("log %+v", ds)
		}
	})
}

// An endpoint failing for longer than FailingFor is disabled.
func TestFailingForDaysDisablesTheEndpoint(t *testing.T) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		in := start(t, dsn, webhooks.Options{AllowPrivate: true, FailingFor: 500 * time.Millisecond})
		rcv := newReceiver(t, 503)
		hook := in.register(rcv.URL)
		in.createEntity("Xưởng Im Lặng")
		waitFor(t, "the endpoint disabled", func() bool { return in.webhook(hook.ID).Disabled })
		if w := in.webhook(hook.ID); w.DisabledReason != "failing" {
			t.Fatalf("disabled for %q", w.DisabledReason)
		}
	})
}

// Pending deliveries survive a restart: the first attempt of one event
// failed before the queue stopped, and another change is committed while
// no queue runs; a new instance sends both.
func TestPendingDeliveriesSurviveARestart(t *testing.T) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		in := start(t, dsn, webhooks.Options{AllowPrivate: true, Backoff: []time.Duration{time.Second}})
		rcv := newReceiver(t, 503, 200)
		hook := in.register(rcv.URL)
		in.createEntity("Trước Khi Dừng")
		waitFor(t, "the first attempt", func() bool { return len(in.deliveries(hook.ID)) == 1 })
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := in.queue.Stop(stopCtx); err != nil {
			t.Fatal(err)
		}
		in.createEntity("Khi Đang Dừng")
		time.Sleep(1500 * time.Millisecond)
		if n := len(rcv.requests()); n != 1 {
			t.Fatalf("%d requests while stopped", n)
		}
		// A new instance: its own pools, queue and router over the same
		// database, as after a restart of the process.
		start(t, dsn, private)
		waitFor(t, "both events after the restart", func() bool { return len(rcv.requests()) == 3 })
		byID := map[string]int{}
		for _, r := range rcv.requests() {
			byID[r.header.Get("webhook-id")]++
		}
		if first := rcv.requests()[0].header.Get("webhook-id"); len(byID) != 2 || byID[first] != 2 {
			t.Fatalf("requests by webhook-id %v: want the failed event twice and the other once", byID)
		}
	})
}

// Two instances on one database send each event once per endpoint.
func TestTwoInstancesSendEachEventOnce(t *testing.T) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		a := start(t, dsn, private)
		b := start(t, dsn, private)
		rcv := newReceiver(t)
		rcv2 := newReceiver(t)
		a.register(rcv.URL)
		b.register(rcv2.URL)
		const n = 20
		for i := range n {
			in := a
			if i%2 == 1 {
				in = b
			}
			in.createEntity("Hai Máy " + string(rune('A'+i)))
		}
		waitFor(t, "every event", func() bool { return len(rcv.requests()) >= n && len(rcv2.requests()) >= n })
		time.Sleep(time.Second) // time for a duplicate to arrive
		for _, r := range []*receiver{rcv, rcv2} {
			seen := map[string]int{}
			for _, req := range r.requests() {
				seen[req.header.Get("webhook-id")]++
			}
			if len(r.requests()) != n || len(seen) != n {
				t.Fatalf("%d requests for %d events, %d distinct", len(r.requests()), n, len(seen))
			}
		}
	})
}

// After a rotation, deliveries carry both signatures for 24 hours, and
// then the new one only.
func TestSecretRotationSignsWithBothSecrets(t *testing.T) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		in := start(t, dsn, private)
		rcv := newReceiver(t)
		hook := in.register(rcv.URL)
		var rotated struct{ Secret string }
		json.Unmarshal(in.do("POST", "/v1/webhooks/"+hook.ID+"/rotate-secret", nil, http.StatusOK), &rotated)
		in.createEntity("Khoá Mới")
		waitFor(t, "the event", func() bool { return len(rcv.requests()) == 1 })
		r := rcv.requests()[0]
		if sigs := strings.Fields(r.header.Get("webhook-signature")); len(sigs) != 2 {
			t.Fatalf("signatures %q, want two", sigs)
		}
		verify(t, hook.Secret, r)    // a receiver that has not switched yet
		verify(t, rotated.Secret, r) // one that has
		// Each signature on its own, by an implementation from the spec.
		for _, secret := range []string{hook.Secret, rotated.Secret} {
			want, err := webhooks.Signature([]string{secret}, r.header.Get("webhook-id"), mustInt(t, r.header.Get("webhook-timestamp")), r.body)
			if err != nil || !strings.Contains(r.header.Get("webhook-signature"), want) {
				t.Fatalf("no signature with %s", secret)
			}
		}
		ctx := context.Background()
		later, err := in.db.WebhookSecrets(ctx, hook.ID, time.Now().Add(registry.SecretOverlap+time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if len(later) != 1 || later[0] != rotated.Secret {
			t.Fatalf("after 24 h the secrets are %d, want the new one only", len(later))
		}
		during, _ := in.db.WebhookSecrets(ctx, hook.ID, time.Now().Add(registry.SecretOverlap-time.Minute))
		if len(during) != 2 {
			t.Fatalf("within 24 h %d secrets sign, want 2", len(during))
		}
	})
}

// Without WEBHOOK_ALLOW_PRIVATE, a delivery to an address that resolves
// to loopback is refused when connecting, whatever the URL said.
func TestDeliveryRefusesPrivateAddresses(t *testing.T) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		in := start(t, dsn, webhooks.Options{})
		tls := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			t.Error("a private address was reached")
		}))
		defer tls.Close()
		// Registered as public (the rule of registration is the
		// service's), pointing at loopback by name.
		target := strings.Replace(tls.URL, "127.0.0.1", "localhost", 1)
		w := registry.Webhook{ID: "0193b0c4-5d1e-7c2a-9f00-3c1d2e4f5a6b", URL: target, Events: registry.EventTypes, CreatedAt: time.Now().UTC(), UpdatedAt: time.Now().UTC()}
		if err := in.db.CreateWebhook(context.Background(), w, "whsec_"+base64.StdEncoding.EncodeToString(make([]byte, 32))); err != nil {
			t.Fatal(err)
		}
		in.createEntity("Địa Chỉ Riêng")
		waitFor(t, "the refused attempt", func() bool { return len(in.deliveries(w.ID)) > 0 })
		d := in.deliveries(w.ID)[0]
		if d.StatusCode != 0 || !strings.Contains(d.Error, "public addresses only") || d.State != registry.DeliveryPending {
			t.Fatalf("delivery %+v", d)
		}
	})
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
