package api_test

import (
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hanoicreative/registry/api"
	"github.com/hanoicreative/registry/docs"
	"github.com/hanoicreative/registry/internal/store/storetest"
)

// TestOutageUnderWriteLoad stops PostgreSQL while writers create
// entities, starts it again, and checks that every acknowledged write is
// there, that nothing is half-written, that errors were quick 503s, and
// that the service recovered by itself.
func TestOutageUnderWriteLoad(t *testing.T) {
	srv, db, _ := storetest.StoppableCluster(t)
	c := serve(t, db, api.Config{OpenAPI: docs.OpenAPI3, RequestTimeout: 10 * time.Second})

	var (
		mu        sync.Mutex
		acked     []string // ids of 201 responses
		sent      atomic.Int64
		failed    atomic.Int64 // 503s
		other     atomic.Int64 // anything else
		slowest   atomic.Int64 // of the failures, nanoseconds
		recovered atomic.Int64 // unix nanos of the first 201 after the restart
		restarted atomic.Int64
	)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for writer := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				sent.Add(1)
				start := time.Now()
				res := c.do("POST", "/v1/entities", valid(fmt.Sprintf("Tải %d-%d", writer, i)))
				switch res.status {
				case http.StatusCreated:
					e := res.entity()
					mu.Lock()
					acked = append(acked, e.ID)
					mu.Unlock()
					if r := restarted.Load(); r != 0 && recovered.Load() == 0 {
						recovered.CompareAndSwap(0, time.Now().UnixNano())
					}
				case http.StatusServiceUnavailable:
					failed.Add(1)
					if res.header.Get("Retry-After") == "" {
						t.Error("503 without Retry-After")
					}
					if d := int64(time.Since(start)); d > slowest.Load() {
						slowest.Store(d)
					}
					time.Sleep(20 * time.Millisecond)
				default:
					other.Add(1)
					t.Errorf("status %d: %s", res.status, res.body)
				}
			}
		}()
	}
	time.Sleep(time.Second)
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	stoppedAt := time.Now()
	time.Sleep(1500 * time.Millisecond)
	if c.do("GET", "/readyz", nil).status != http.StatusServiceUnavailable {
		t.Error("/readyz is not 503 while the database is down")
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	restarted.Store(time.Now().UnixNano())
	deadline := time.Now().Add(20 * time.Second)
	for recovered.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond)
	close(stop)
	wg.Wait()
	if recovered.Load() == 0 {
		t.Fatal("no write succeeded within 20 s of the database's return")
	}
	c.do("GET", "/readyz", nil).want(http.StatusOK)

	// Every acknowledged write is there.
	found := 0
	for _, id := range acked {
		if c.do("GET", "/v1/entities/"+id, nil).status == http.StatusOK {
			found++
		}
	}
	// Nothing is half-written: every entity has exactly its revisions and sectors.
	var broken int64
	err := db.Gorm().Raw(`SELECT count(*) FROM entities e WHERE
		(SELECT count(*) FROM revisions r WHERE r.entity_id = e.id) <> e.version
		OR NOT EXISTS (SELECT 1 FROM entity_sectors s WHERE s.entity_id = e.id)`).Scan(&broken).Error
	if err != nil {
		t.Fatal(err)
	}
	var stored int64
	db.Gorm().Table("entities").Count(&stored)
	recovery := time.Duration(recovered.Load() - restarted.Load())
	t.Logf("outage: %d requests sent, %d acknowledged (201), %d refused with 503 (slowest %s), %d other; "+
		"%d of the acknowledged found afterwards, %d entities stored, %d inconsistent; database down %s; first write %s after restart",
		sent.Load(), len(acked), failed.Load(), time.Duration(slowest.Load()).Round(time.Millisecond), other.Load(),
		found, stored, broken, time.Duration(restarted.Load()-stoppedAt.UnixNano()).Round(time.Millisecond), recovery.Round(time.Millisecond))
	if found != len(acked) {
		t.Errorf("%d acknowledged writes, %d found", len(acked), found)
	}
	if broken != 0 {
		t.Errorf("%d entities half-written", broken)
	}
	if failed.Load() == 0 {
		t.Error("no 503 during the outage: the test did not test one")
	}
	if time.Duration(slowest.Load()) > 6*time.Second {
		t.Errorf("a refusal took %s: not quick", time.Duration(slowest.Load()))
	}
	if recovery > 10*time.Second {
		t.Errorf("recovery took %s", recovery)
	}
	// Stored entities beyond the acknowledged ones were committed but their
	// answer was lost with the connection; they are whole (checked above).
	if stored < int64(len(acked)) {
		t.Errorf("%d stored < %d acknowledged", stored, len(acked))
	}
}
