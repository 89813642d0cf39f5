package api_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/hanoicreative/registry/api"
)

// TestChangeFeedReplay mirrors the registry the way a partner would, by
// polling the change feed from 0 and applying every change, while writers
// create, change, archive and restore entities. Once the writers stop and
// the feed is drained, the mirror equals a full listing, and the feed's
// numbers had no gap.
func TestChangeFeedReplay(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(w), 9))
				var mine []api.Entity
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					if len(mine) == 0 || rng.IntN(3) == 0 {
						mine = append(mine, c.create(valid(fmt.Sprintf("Bản sao %d-%d", w, i))))
						continue
					}
					k := rng.IntN(len(mine))
					e := mine[k]
					var res *response
					switch rng.IntN(3) {
					case 0:
						res = c.do("PATCH", "/v1/entities/"+e.ID, fmt.Sprintf(`{"description":"lần %d"}`, i), "If-Match", fmt.Sprintf(`"%d"`, e.Version))
					case 1:
						res = c.do("DELETE", "/v1/entities/"+e.ID, nil, "If-Match", fmt.Sprintf(`"%d"`, e.Version))
					default:
						res = c.do("POST", "/v1/entities/"+e.ID+"/restore", nil)
					}
					if res.status >= 300 {
						t.Errorf("write: %d %s", res.status, res.body)
						return
					}
					mine[k] = c.do("GET", "/v1/entities/"+e.ID, nil).want(200).entity()
				}
			}()
		}

		mirror := map[string]api.Entity{}
		var after, last int64
		poll := func() int {
			var feed api.ChangeList
			c.do("GET", fmt.Sprintf("/v1/changes?after=%d&limit=25", after), nil).want(http.StatusOK).decode(&feed)
			for _, ch := range feed.Data {
				if ch.Seq != last+1 {
					t.Fatalf("gap in the feed: %d after %d", ch.Seq, last)
				}
				last = ch.Seq
				mirror[ch.EntityID] = c.do("GET", fmt.Sprintf("/v1/entities/%s/history/%d", ch.EntityID, ch.Version), nil).want(200).entity()
			}
			after = feed.NextAfter
			return len(feed.Data)
		}
		deadline := time.Now().Add(1500 * time.Millisecond)
		for time.Now().Before(deadline) {
			poll()
		}
		close(stop)
		wg.Wait()
		for poll() > 0 {
		}

		current := map[string]api.Entity{}
		query := url.Values{"status": {"all"}, "limit": {"100"}}
		for {
			var page api.EntityList
			c.do("GET", "/v1/entities?"+query.Encode(), nil, "Authorization", "Bearer "+c.editor).want(200).decode(&page)
			for _, e := range page.Data {
				current[e.ID] = e
			}
			if page.Page.NextCursor == nil {
				break
			}
			query.Set("cursor", *page.Page.NextCursor)
		}
		if len(current) < 10 || last < 20 {
			t.Fatalf("too little happened to prove anything: %d entities, %d changes", len(current), last)
		}
		if len(mirror) != len(current) {
			t.Fatalf("mirror has %d entities, the registry %d", len(mirror), len(current))
		}
		for id, e := range current {
			if m := mirror[id]; !reflect.DeepEqual(normalise(m), normalise(e)) {
				a, _ := json.Marshal(m)
				b, _ := json.Marshal(e)
				t.Errorf("entity %s differs:\nmirror   %s\nregistry %s", id, a, b)
			}
		}
		t.Logf("replayed %d changes into %d entities", last, len(mirror))
	})
}

// normalise makes times comparable whatever their location.
func normalise(e api.Entity) api.Entity {
	e.CreatedAt, e.UpdatedAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	return e
}
