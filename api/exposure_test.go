package api_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hanoicreative/registry/api"
	"github.com/hanoicreative/registry/docs"
	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/store"
	"github.com/hanoicreative/registry/internal/store/storetest"
)

// scrape reads the metrics where the binary serves them, apart from the API.
func (c *client) scrape() string {
	c.t.Helper()
	res, err := http.Get(c.metricsURL + "/metrics")
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		c.t.Fatalf("metrics: %d %v", res.StatusCode, err)
	}
	return string(body)
}

// The API's port does not serve the metrics, to anyone.
func TestMetricsAreNotOnTheAPIPort(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		c.do("GET", "/metrics", nil).problem(http.StatusNotFound)
		c.do("GET", "/metrics", nil, "Authorization", "Bearer "+c.admin).problem(http.StatusNotFound)
		if !strings.Contains(c.scrape(), `registry_http_requests_total{method="GET",route="unmatched",status="404"} 2`) {
			t.Error("the metrics handler does not count the API's requests")
		}
	})
}

// countingKeys counts the key lookups that reach the database.
type countingKeys struct {
	*store.DB
	lookups atomic.Int64
}

func (k *countingKeys) Key(ctx context.Context, id string) (auth.Key, []byte, error) {
	k.lookups.Add(1)
	return k.DB.Key(ctx, id)
}

// fakeKey is a well-formed key that does not exist.
func fakeKey() string {
	id, secret := make([]byte, 16), make([]byte, 32)
	rand.Read(id)
	rand.Read(secret)
	return "hcr_" + hex.EncodeToString(id) + "_" + base64.RawURLEncoding.EncodeToString(secret)
}

// A flood of made-up keys from one address is turned away by the rate
// limiter before the keys are looked up: past the limit, no lookup reaches
// the database. Anonymous reads from that address and keys verified
// before keep their own budgets.
func TestFakeKeyFloodStopsAtTheRateLimit(t *testing.T) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		db, _ := storetest.Open(t, dsn)
		w, err := storetest.Wards()
		if err != nil {
			t.Fatal(err)
		}
		counted := &countingKeys{DB: db}
		keys := auth.NewService(counted)
		_, editor, err := keys.Create(context.Background(), "flood-editor", auth.Editor)
		if err != nil {
			t.Fatal(err)
		}
		const limit = 5
		h := api.New(api.Deps{Registry: registry.NewService(db, w), Auth: keys, Idempotency: db},
			slog.New(slog.NewTextHandler(io.Discard, nil)),
			api.Config{OpenAPI: docs.OpenAPI3, RateLimit: &api.RateLimit{Requests: limit, Per: time.Hour}})
		srv := httptest.NewServer(h)
		defer srv.Close()
		c := &client{t: t, url: srv.URL}

		// The editor's key is verified once (from its address's budget of
		// unverified keys): from then on it has a budget of its own.
		c.do("GET", "/v1/kinds", nil, "Authorization", "Bearer "+editor).want(http.StatusOK)
		before, left := counted.lookups.Load(), limit-1

		statuses := map[int]int{}
		for range 40 {
			statuses[c.do("GET", "/v1/kinds", nil, "Authorization", "Bearer "+fakeKey()).status]++
		}
		if statuses[http.StatusUnauthorized] != left || statuses[http.StatusTooManyRequests] != 40-left {
			t.Errorf("40 made-up keys got %v, want %d 401s then 429s", statuses, left)
		}
		if n := counted.lookups.Load() - before; n != int64(left) {
			t.Errorf("%d key lookups reached the database for 40 made-up keys, want %d (what the limit left)", n, left)
		}
		// Malformed keys cost no lookup at all; they count against the address.
		c.do("GET", "/v1/kinds", nil, "Authorization", "Bearer nonsense").problem(http.StatusUnauthorized)
		c.do("GET", "/v1/kinds", nil).want(http.StatusOK)
		c.do("GET", "/v1/kinds", nil, "Authorization", "Bearer "+editor).want(http.StatusOK)
		if n := counted.lookups.Load() - before; n != int64(left+1) {
			t.Errorf("%d lookups, want %d", n, left+1)
		}
	})
}
