package main

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// load is how one scenario is driven: a fixed number of workers, each
// sending the next target as soon as its previous answer is in.
type load struct {
	name     string
	workers  int
	targeter vegeta.Targeter
	ok       func(code int) bool // whether a status is a success (else an error)
	warmup   time.Duration       // run, but not measured
	duration time.Duration       // measured
}

// outcome is what a load measured: the requests started after the warm-up.
type outcome struct {
	Requests  int
	Errors    int
	ReqPerSec float64
	P50, P99  time.Duration
	Statuses  map[int]int    // measured requests by status (0: no answer)
	AllCodes  map[int]int    // every request, warm-up included, by status
	Problems  map[string]int // what went wrong: "status 500: body…" or a transport error
	latencies []time.Duration
}

// okStatus is the usual success: 2xx, or 304 to a conditional request.
func okStatus(code int) bool { return code >= 200 && code < 300 || code == 304 }

// quoted matches the URL that Go's client errors name, so that errors of
// different requests count together.
var quoted = regexp.MustCompile(`"[^"]*"`)

// run drives the load and measures it. It stops early, with ctx's error,
// when ctx ends.
func (l load) run(ctx context.Context) (*outcome, error) {
	n := uint64(l.workers)
	atk := vegeta.NewAttacker(
		vegeta.Workers(n), vegeta.MaxWorkers(n), vegeta.KeepAlive(true), vegeta.Connections(l.workers),
		vegeta.Redirects(vegeta.NoFollow), vegeta.Timeout(30*time.Second),
		// Enough of each body to show an error's problem document; the
		// rest is read and discarded.
		vegeta.MaxBody(512),
	)
	out := &outcome{Statuses: map[int]int{}, AllCodes: map[int]int{}, Problems: map[string]int{}}
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-ctx.Done():
			atk.Stop()
		case <-done:
		}
	}()

	begin := time.Now()
	measureFrom := begin.Add(l.warmup)
	for r := range atk.Attack(l.targeter, vegeta.Rate{Freq: 0}, l.warmup+l.duration, l.name) {
		code := int(r.Code)
		out.AllCodes[code]++
		if r.Timestamp.Before(measureFrom) {
			continue
		}
		out.Requests++
		out.Statuses[code]++
		out.latencies = append(out.latencies, r.Latency)
		if code != 0 && l.ok(code) {
			continue
		}
		out.Errors++
		problem := "status " + strconv.Itoa(code) + ": " + snippet(r.Body)
		if code == 0 {
			problem = "no answer: " + quoted.ReplaceAllString(r.Error, "URL")
		}
		out.Problems[problem]++
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if out.Requests == 0 {
		return nil, fmt.Errorf("%s: no request was measured", l.name)
	}
	slices.Sort(out.latencies)
	out.P50, out.P99 = quantile(out.latencies, 0.50), quantile(out.latencies, 0.99)
	out.ReqPerSec = float64(out.Requests) / l.duration.Seconds()
	return out, nil
}

// quantile is the q-quantile of sorted latencies (nearest rank).
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.999999) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}
