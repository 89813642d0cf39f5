package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/hanoicreative/registry/api"
	"github.com/hanoicreative/registry/docs"
	"github.com/hanoicreative/registry/internal/store/storetest"
)

// TestReadReplica runs the service over a real streaming replica (made
// with pg_basebackup): reads go to the replica, writes to the primary, and
// a client that wrote reads its write even while the replica lags (its
// replay paused), when other clients still see the replica's older state.
func TestReadReplica(t *testing.T) {
	replica, db, _ := storetest.Replicated(t)
	ctx := context.Background()
	c := serve(t, db, api.Config{OpenAPI: docs.OpenAPI3, CacheBytes: 4 << 20})
	other := c.newKey("other-editor", "editor")

	waitReplica := func() {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			onPrimary, _ := db.LastChangeBy(ctx, c.editorName())
			applied, err := db.ChangeSeq(ctx)
			if err == nil && applied >= onPrimary {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("the replica did not catch up: %d < %d", applied, onPrimary)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	replayOn := func(on bool) {
		t.Helper()
		replay := replica.PauseReplay
		if on {
			replay = replica.ResumeReplay
		}
		if err := replay(ctx); err != nil {
			t.Fatal(err)
		}
	}

	e := c.create(valid("Bản Sao Đọc"))
	waitReplica()
	c.do("GET", "/v1/entities/"+e.Slug, nil).want(http.StatusOK)

	replayOn(false)
	c.do("PATCH", "/v1/entities/"+e.ID, `{"description":"mới"}`, "If-Match", `"1"`).want(http.StatusOK)
	// Others read the lagging replica (first: once the writer has read
	// version 2 from the primary, the index may serve it to anyone, which
	// is newer, not wrong)...
	for _, auth := range []string{"", "Bearer " + other} {
		theirs := c.do("GET", "/v1/entities/"+e.Slug, nil, "Authorization", auth).want(http.StatusOK).entity()
		if theirs.Version != 1 {
			t.Fatalf("a reader (%q) got version %d from a paused replica: reads do not go to the replica", auth, theirs.Version)
		}
	}
	// ...while the writer reads its write (from the primary).
	mine := c.do("GET", "/v1/entities/"+e.Slug, nil, "Authorization", "Bearer "+c.editor).want(http.StatusOK).entity()
	if mine.Version != 2 {
		t.Fatalf("the writer read version %d of its own write", mine.Version)
	}
	// Writes read the primary: a PATCH against the version the writer saw works.
	c.do("PATCH", "/v1/entities/"+e.ID, `{"description":"mới hơn"}`, "If-Match", `"2"`).want(http.StatusOK)

	replayOn(true)
	waitReplica()
	got := c.do("GET", "/v1/entities/"+e.Slug, nil).want(http.StatusOK).entity()
	if got.Version != 3 {
		t.Fatalf("after the replica caught up, version %d", got.Version)
	}
}
