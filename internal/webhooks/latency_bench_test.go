package webhooks_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hanoicreative/registry/internal/store/storetest"
	"github.com/hanoicreative/registry/internal/webhooks"
)

// BenchmarkCommitToFirstAttempt measures, on each engine, the time from a
// write to the first delivery attempt of its event while writes arrive at
// 50 a second, with the production settings of the queue (only private
// targets allowed, for the loopback receiver). Each iteration is one
// write; the clock starts before the write's request is sent, so the
// figure is an upper bound of commit-to-attempt. Run it with a fixed
// count, such as -benchtime 500x (10 s).
func BenchmarkCommitToFirstAttempt(b *testing.B) {
	storetest.EnginesB(b, pg, commitToFirstAttempt)
}

func commitToFirstAttempt(b *testing.B, dsn string) {
	in := start(b, dsn, webhooks.Options{AllowPrivate: true, PollInterval: webhooks.DefaultPollInterval, Backoff: webhooks.DefaultBackoff})
	var mu sync.Mutex
	arrived := map[string]time.Time{}
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		at := time.Now()
		var e event
		json.NewDecoder(r.Body).Decode(&e)
		mu.Lock()
		if _, seen := arrived[e.Data.ID]; !seen {
			arrived[e.Data.ID] = at
		}
		mu.Unlock()
	}))
	defer rcv.Close()
	in.register(rcv.URL)

	// Writes start on the clock, each in its own goroutine, so that a slow
	// one does not lower the rate.
	const rate = 50 // writes a second
	sent := map[string]time.Time{}
	var writes sync.WaitGroup
	b.ResetTimer()
	began := time.Now()
	for i := range b.N {
		// On a schedule rather than a ticker, which drops ticks when late.
		time.Sleep(time.Until(began.Add(time.Duration(i) * time.Second / rate)))
		writes.Add(1)
		go func() {
			defer writes.Done()
			at := time.Now()
			id := in.createEntity(fmt.Sprintf("Độ Trễ %d %d", began.UnixNano(), i))
			mu.Lock()
			sent[id] = at
			mu.Unlock()
		}()
	}
	writes.Wait()
	b.ReportMetric(float64(b.N)/time.Since(began).Seconds(), "writes/s")
	deadline := time.Now().Add(30 * time.Second)
	for {
		mu.Lock()
		n := len(arrived)
		mu.Unlock()
		if n >= len(sent) || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	b.StopTimer()
	mu.Lock()
	defer mu.Unlock()
	var lat []time.Duration
	for id, at := range sent {
		got, ok := arrived[id]
		if !ok {
			b.Fatalf("the event of %s never arrived", id)
		}
		lat = append(lat, got.Sub(at))
	}
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	b.ReportMetric(float64(pct(0.50).Milliseconds()), "p50-ms")
	b.ReportMetric(float64(pct(0.99).Milliseconds()), "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Milliseconds()), "max-ms")
	if p99 := pct(0.99); p99 > 2*time.Second {
		b.Errorf("p99 from commit to first attempt is %s, over 2 s", p99)
	}
}
