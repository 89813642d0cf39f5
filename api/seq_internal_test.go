package api

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hanoicreative/registry/internal/registry"
)

// TestSeqReaderNeverUsesAnEarlierRead: every caller gets the result of a
// read that started after it called, while callers share reads.
func TestSeqReaderNeverUsesAnEarlierRead(t *testing.T) {
	var reads atomic.Int64
	var clock atomic.Int64 // logical time: bumped by callers and reads
	r := &seqReader{read: func(context.Context) (registry.Versions, error) {
		reads.Add(1)
		started := clock.Add(1)
		time.Sleep(200 * time.Microsecond)
		return registry.Versions{Seq: started}, nil
	}}
	var wg sync.WaitGroup
	const callers = 64
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				arrived := clock.Add(1)
				got, err := r.current(context.Background())
				if err != nil {
					t.Error(err)
					return
				}
				if got.Seq <= arrived {
					t.Errorf("a caller that arrived at %d got a read started at %d", arrived, got)
					return
				}
			}
		}()
	}
	wg.Wait()
	if n := reads.Load(); n >= callers*50 {
		t.Errorf("%d reads for %d calls: nothing shared", n, callers*50)
	} else {
		t.Logf("%d reads served %d calls", n, callers*50)
	}
}
