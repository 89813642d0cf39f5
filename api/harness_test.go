package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hanoicreative/registry/api"
	"github.com/hanoicreative/registry/docs"
	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/index"
	"github.com/hanoicreative/registry/internal/pgtest"
	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/store"
	"github.com/hanoicreative/registry/internal/store/storetest"
)

var pg *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, &pg)) }

// client talks to a real HTTP server running the real router over a real
// database.
type client struct {
	t      *testing.T
	url    string
	db     *store.DB
	keys   *auth.Service
	editor string // tokens of an editor and an admin key
	admin  string
	// adminName is the admin key's name, the actor of its changes.
	adminName string
	suffix    string

	// metricsURL serves the metrics, apart from the API, as the binary does.
	metricsURL string
}

// editorName is the editor key's name.
func (c *client) editorName() string { return "editor-" + c.suffix }

// engines runs fn against a server on each database engine.
func engines(t *testing.T, fn func(t *testing.T, c *client)) {
	t.Helper()
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		db, _ := storetest.Open(t, dsn)
		// The response cache is on, as in production: every test checks
		// that no answer is stale.
		fn(t, serve(t, db, api.Config{OpenAPI: docs.OpenAPI3, Version: "test", CacheBytes: 8 << 20}))
	})
}

// serve starts the real router over db, with an editor and an admin key.
func serve(t *testing.T, db *store.DB, cfg api.Config) *client {
	t.Helper()
	w, err := storetest.Wards()
	if err != nil {
		t.Fatal(err)
	}
	keys := auth.NewService(db)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	recording, stopRecording := context.WithCancel(context.Background())
	recorded := make(chan struct{})
	go func() { keys.RecordUses(recording, log); close(recorded) }()
	t.Cleanup(func() { stopRecording(); <-recorded })
	// Listings come from the in-memory index, as in production.
	listings := index.New(db, log)
	if err := listings.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Webhook endpoints are served without a delivery queue here (the
	// package internal/webhooks tests deliveries).
	h := api.New(api.Deps{Registry: registry.NewService(listings, w).WithMedia(db), Auth: keys, Idempotency: db, SQLDB: db.SQLDB(), Replication: db, Index: listings,
		Webhooks: registry.NewWebhooks(db, nil, false)}, log, cfg)
	srv, metrics := httptest.NewServer(h), httptest.NewServer(h.Metrics())
	t.Cleanup(srv.Close)
	t.Cleanup(metrics.Close)
	c := &client{t: t, url: srv.URL, db: db, keys: keys, metricsURL: metrics.URL}
	suffix := strconv.FormatInt(time.Now().UnixNano(), 36)
	c.suffix = suffix
	c.adminName = "admin-" + suffix
	c.editor = c.newKey("editor-"+suffix, auth.Editor)
	c.admin = c.newKey(c.adminName, auth.Admin)
	return c
}

// newKey makes an API key and returns its token.
func (c *client) newKey(name string, role auth.Role) string {
	c.t.Helper()
	_, token, err := c.keys.Create(context.Background(), name, role)
	if err != nil {
		c.t.Fatal(err)
	}
	return token
}

// response is what a request got back.
type response struct {
	t      *testing.T
	status int
	header http.Header
	body   []byte
}

// do sends a request. body may be nil, a string (sent as is) or a value
// (sent as JSON); headers are name, value pairs (an empty value removes
// the header). A JSON body gets Content-Type: application/json, and a
// request other than GET the editor's key, unless headers say otherwise.
func (c *client) do(method, path string, body any, headers ...string) *response {
	c.t.Helper()
	var r io.Reader
	contentType := ""
	switch b := body.(type) {
	case nil:
	case string:
		r, contentType = strings.NewReader(b), "application/json"
	case []byte:
		r, contentType = bytes.NewReader(b), "application/json"
	default:
		data, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		r, contentType = bytes.NewReader(data), "application/json"
	}
	req, err := http.NewRequest(method, c.url+path, r)
	if err != nil {
		c.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if method != http.MethodGet {
		req.Header.Set("Authorization", "Bearer "+c.editor)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
			continue
		}
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return &response{t: c.t, status: res.StatusCode, header: res.Header, body: data}
}

// want checks the status; on a mismatch it shows the body.
func (r *response) want(status int) *response {
	r.t.Helper()
	if r.status != status {
		r.t.Fatalf("status %d, want %d; body: %s", r.status, status, r.body)
	}
	return r
}

// decode decodes the JSON body into v.
func (r *response) decode(v any) {
	r.t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		r.t.Fatalf("decoding %s: %v", r.body, err)
	}
}

// entity decodes an entity body.
func (r *response) entity() api.Entity {
	r.t.Helper()
	var e api.Entity
	r.decode(&e)
	return e
}

// problem checks that the body is a problem document of the status and
// returns it.
func (r *response) problem(status int) api.Problem {
	r.t.Helper()
	r.want(status)
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		r.t.Fatalf("Content-Type %q, want application/problem+json; body %s", ct, r.body)
	}
	var p api.Problem
	r.decode(&p)
	if p.Status != status || p.Type == "" || p.Title == "" || p.Detail == "" || p.Instance == "" || p.RequestID == "" {
		r.t.Fatalf("incomplete problem: %s", r.body)
	}
	if p.RequestID != r.header.Get("X-Request-Id") {
		r.t.Fatalf("problem request_id %q, header %q", p.RequestID, r.header.Get("X-Request-Id"))
	}
	return p
}

// fieldCodes maps each failing field of a problem to its code.
func fieldCodes(p api.Problem) map[string]string {
	out := map[string]string{}
	for _, e := range p.Errors {
		out[e.Field] = e.Code
	}
	return out
}

// valid is a minimal valid entity body.
func valid(name string) map[string]any {
	return map[string]any{"name": name, "kind": "creative-space", "sectors": []string{"design"}}
}

// create posts a valid entity and returns it.
func (c *client) create(body map[string]any) api.Entity {
	c.t.Helper()
	return c.do("POST", "/v1/entities", body).want(http.StatusCreated).entity()
}
