package webhooks_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hanoicreative/registry/api"
	"github.com/hanoicreative/registry/docs"
	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/pgtest"
	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/store"
	"github.com/hanoicreative/registry/internal/store/storetest"
	"github.com/hanoicreative/registry/internal/webhooks"
)

var pg *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, &pg)) }

// fastRetries are the test's backoff: the contract's schedule in
// milliseconds rather than minutes.
var fastRetries = []time.Duration{300 * time.Millisecond, 300 * time.Millisecond}

// instance is one registry: the real router and a webhook queue over a
// database (several instances may share one).
type instance struct {
	t     testing.TB
	db    *store.DB
	queue *webhooks.Queue
	url   string
	admin string
	edit  string
}

// start runs an instance over the database at dsn, migrated, with a
// running queue (tests allow private targets: their receivers are on
// loopback).
func start(t testing.TB, dsn string, opts webhooks.Options) *instance {
	t.Helper()
	db, _ := storetest.Open(t, dsn)
	ctx := context.Background()
	if err := webhooks.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	if opts.Backoff == nil {
		opts.Backoff = fastRetries
	}
	if opts.PollInterval == 0 {
		opts.PollInterval = 50 * time.Millisecond
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	in := &instance{t: t, db: db}
	in.startQueue(opts)
	w, err := storetest.Wards()
	if err != nil {
		t.Fatal(err)
	}
	keys := auth.NewService(db)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	h := api.New(api.Deps{Registry: registry.NewService(db, w), Auth: keys, Idempotency: db,
		Webhooks: registry.NewWebhooks(db, in.queue, opts.AllowPrivate)}, log, api.Config{OpenAPI: docs.OpenAPI3, Version: "test"})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	in.url = srv.URL
	suffix := fmt.Sprint(time.Now().UnixNano())
	for _, k := range []struct {
		role auth.Role
		dst  *string
	}{{auth.Admin, &in.admin}, {auth.Editor, &in.edit}} {
		_, token, err := keys.Create(ctx, string(k.role)+"-"+suffix, k.role)
		if err != nil {
			t.Fatal(err)
		}
		*k.dst = token
	}
	return in
}

// startQueue starts a queue (again, after stopQueue: a restart).
func (in *instance) startQueue(opts webhooks.Options) {
	in.t.Helper()
	q, err := webhooks.New(in.db, opts)
	if err != nil {
		in.t.Fatal(err)
	}
	if err := q.Start(context.Background()); err != nil {
		in.t.Fatal(err)
	}
	in.queue = q
	in.t.Cleanup(func() { q.Stop(context.Background()) })
}

// do sends a request with the admin key (or the editor's for entities).
func (in *instance) do(method, path string, body any, want int, headers ...string) []byte {
	in.t.Helper()
	var r io.Reader
	if body != nil {
		data, _ := json.Marshal(body)
		r = bytes.NewReader(data)
	}
	req, _ := http.NewRequest(method, in.url+path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	key := in.admin
	if strings.HasPrefix(path, "/v1/entities") {
		key = in.edit
	}
	req.Header.Set("Authorization", "Bearer "+key)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		in.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		in.t.Fatalf("%s %s: status %d, want %d: %s", method, path, res.StatusCode, want, data)
	}
	return data
}

// register makes an endpoint for url and returns it with its secret.
func (in *instance) register(url string, events ...string) api.NewWebhook {
	in.t.Helper()
	body := map[string]any{"url": url, "description": "test"}
	if len(events) > 0 {
		body["events"] = events
	}
	var w api.NewWebhook
	json.Unmarshal(in.do("POST", "/v1/webhooks", body, http.StatusCreated), &w)
	return w
}

// createEntity makes an entity and returns its id.
func (in *instance) createEntity(name string) string {
	in.t.Helper()
	var e struct{ ID string }
	json.Unmarshal(in.do("POST", "/v1/entities", map[string]any{"name": name, "kind": "designer", "sectors": []string{"design"}}, http.StatusCreated), &e)
	return e.ID
}

func (in *instance) deliveries(id string) []api.Delivery {
	in.t.Helper()
	var l api.DeliveryList
	json.Unmarshal(in.do("GET", "/v1/webhooks/"+id+"/deliveries", nil, http.StatusOK), &l)
	return l.Data
}

func (in *instance) webhook(id string) api.Webhook {
	in.t.Helper()
	var w api.Webhook
	json.Unmarshal(in.do("GET", "/v1/webhooks/"+id, nil, http.StatusOK), &w)
	return w
}

// received is one request a receiver got.
type received struct {
	header http.Header
	body   []byte
	at     time.Time
}

// receiver is a real HTTP endpoint that records what it gets and answers
// with the statuses of answer, in turn (the last one repeats; 200 if empty).
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	got    []received
	answer []int
	header http.Header // sent with every answer
}

func newReceiver(t testing.TB, answer ...int) *receiver {
	r := &receiver{answer: answer, header: http.Header{}}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, received{header: req.Header.Clone(), body: body, at: time.Now()})
		status := 200
		if n := len(r.got); len(r.answer) > 0 {
			status = r.answer[min(n, len(r.answer))-1]
		}
		for k, v := range r.header {
			w.Header()[k] = v
		}
		r.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) requests() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// waitFor polls cond until it holds or 15 s pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
