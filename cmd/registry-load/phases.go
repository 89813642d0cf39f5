package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// smallPhase serves the --entities data set and runs ceiling, list, get,
// get304, ceiling64, mix64 and, last since they add entities, writes.
func (b *bench) smallPhase(ctx context.Context) (err error) {
	ds, err := b.dataset(ctx, b.cfg.entities)
	if err != nil {
		return err
	}
	srv, err := b.serve(ctx, ds)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, b.stop(srv, ds)) }()
	cp, queries, err := b.gather(ctx, srv, 0, b.cfg.runs("get304"))
	if err != nil {
		return err
	}
	base, w, mw := srv.Base, b.cfg.workers, b.cfg.mixWorkers
	searches, facets := searchPaths(queries), facetPaths(cp, queries)

	steps := []struct {
		name    string
		workers int
		tr      func() vegeta.Targeter
		ok      func(int) bool
	}{
		{"ceiling", w, func() vegeta.Targeter { return getTargets(base, []string{"/bench/ceiling"}) }, okStatus},
		{"list", w, func() vegeta.Targeter { return getTargets(base, cp.ListPaths) }, okStatus},
		{"get", w, func() vegeta.Targeter { return getTargets(base, entityPaths(cp.Slugs)) }, okStatus},
		{"get304", w, func() vegeta.Targeter { return conditionalTargets(base, cp.Slugs, cp.ETags) },
			func(code int) bool { return code == 304 }},
		{"ceiling64", mw, func() vegeta.Targeter { return getTargets(base, []string{"/bench/ceiling"}) }, okStatus},
		{"mix64", mw, func() vegeta.Targeter {
			return mixTargets(base, cp.ListPaths, entityPaths(cp.Slugs), searches, facets)
		}, okStatus},
	}
	for _, s := range steps {
		if !b.cfg.runs(s.name) {
			continue
		}
		res, _, err := b.measure(ctx, srv, s.name, ds.Size, load{name: s.name, workers: s.workers, targeter: s.tr(), ok: s.ok})
		if err != nil {
			return err
		}
		if strings.HasPrefix(s.name, "ceiling") {
			b.ceilings[s.workers] = res.ReqPerSec
		}
	}
	if b.cfg.runs("writes") {
		if err := b.writes(ctx, srv, ds); err != nil {
			return err
		}
	}
	return nil
}

// writes creates entities as fast as it can, then checks that the server
// counts as many as it answered 201 to.
func (b *bench) writes(ctx context.Context, srv *server, ds *dataset) error {
	runTag := b.runID + "w"
	res, out, err := b.measure(ctx, srv, "writes", ds.Size, load{name: "writes", workers: b.cfg.workers,
		targeter: createTargets(srv.Base, ds.Key, runTag), ok: func(code int) bool { return code == 201 }})
	if err != nil {
		return err
	}
	creates := float64(out.Statuses[201]) / b.cfg.duration.Seconds()
	res.CreatesPerSec = &creates
	var page pageJSON
	if err := newAPIClient(srv.Base).getJSON(ctx, "/v1/entities?q="+url.QueryEscape(runTag)+"&limit=1", &page); err != nil {
		return fmt.Errorf("count the written entities: %w", err)
	}
	answered := out.AllCodes[201]
	checked := page.Page.Total == answered
	res.CountChecked = &checked
	if checked {
		res.Notes = append(res.Notes, fmt.Sprintf("%d entities created (warm-up included), and GET /v1/entities?q=%s counts %d", answered, runTag, page.Page.Total))
	} else {
		res.Notes = append(res.Notes, fmt.Sprintf("**count mismatch**: %d answers were 201 (warm-up included), but GET /v1/entities?q=%s counts %d", answered, runTag, page.Page.Total))
	}
	return nil
}

// largePhase serves the --large data set and runs search, facets and the
// memory mix, then reads the server's peak memory.
func (b *bench) largePhase(ctx context.Context) (err error) {
	ds, err := b.dataset(ctx, b.cfg.large)
	if err != nil {
		return err
	}
	srv, err := b.serve(ctx, ds)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, b.stop(srv, ds)) }()
	cp, queries, err := b.gather(ctx, srv, b.cfg.largePages, false)
	if err != nil {
		return err
	}
	base, w := srv.Base, b.cfg.workers
	searches, facets := searchPaths(queries), facetPaths(cp, queries)
	if b.cfg.runs("search") {
		if _, _, err := b.measure(ctx, srv, "search", ds.Size, load{name: "search", workers: w,
			targeter: getTargets(base, searches), ok: okStatus}); err != nil {
			return err
		}
	}
	if b.cfg.runs("searchcold") {
		// More distinct searches than the scenario can send, so that every
		// request is one the cache has not seen (at most 60,000 targets).
		cold := coldSearchPaths(queries, 60000)
		res, out, err := b.measure(ctx, srv, "searchcold", ds.Size, load{name: "searchcold", workers: w,
			targeter: getTargets(base, cold), ok: okStatus})
		if err != nil {
			return err
		}
		if sent := out.AllCodes[200]; sent > len(cold) {
			res.Notes = append(res.Notes, fmt.Sprintf("searchcold: %d answers for %d distinct searches: some were asked twice and could come from the cache", sent, len(cold)))
		} else {
			res.Notes = append(res.Notes, fmt.Sprintf("searchcold: %d answers, each to a search not asked before (%d distinct)", sent, len(cold)))
		}
	}
	if b.cfg.runs("facets") {
		if _, _, err := b.measure(ctx, srv, "facets", ds.Size, load{name: "facets", workers: w,
			targeter: getTargets(base, facets), ok: okStatus}); err != nil {
			return err
		}
	}
	if b.cfg.runs("memory") {
		res, _, err := b.measure(ctx, srv, "memory", ds.Size, load{name: "memory", workers: b.cfg.mixWorkers,
			targeter: mixTargets(base, cp.ListPaths, entityPaths(cp.Slugs), searches, facets), ok: okStatus})
		if err != nil {
			return err
		}
		hwm, rss, err := srv.memory()
		if err != nil {
			res.Notes = append(res.Notes, fmt.Sprintf("memory not measured: %v", err))
		} else {
			h, r := mib(hwm), mib(rss)
			res.VmHWMMiB, res.VmRSSMiB = &h, &r
			res.Notes = append(res.Notes, fmt.Sprintf("server (PID %d, up since the start of search) VmHWM %.1f MiB, VmRSS %.1f MiB after the mix", srv.PID, h, r))
		}
	}
	return nil
}

// serve starts the server on a data set.
func (b *bench) serve(ctx context.Context, ds *dataset) (*server, error) {
	name := fmt.Sprintf("serve-%d", ds.Size)
	srv, err := startServer(ctx, b.bin, ds.DSN, b.tmp, name)
	if err != nil {
		return nil, err
	}
	progress("serving %d entities at %s (PID %d)", ds.Size, srv.Base, srv.PID)
	return srv, nil
}

// stop stops the server and notes what it logged (warnings and errors).
func (b *bench) stop(srv *server, ds *dataset) error {
	if hwm, rss, err := srv.memory(); err == nil {
		b.rep.Notes = append(b.rep.Notes, fmt.Sprintf("server on %d entities: VmHWM %.1f MiB, VmRSS %.1f MiB at the end", ds.Size, mib(hwm), mib(rss)))
	}
	err := srv.stop()
	for _, kind := range summarizeLog(srv.logText()) {
		b.rep.Notes = append(b.rep.Notes, fmt.Sprintf("server on %d entities logged %s", ds.Size, kind))
	}
	progress("stopped the server on %d entities", ds.Size)
	return err
}

// gather walks the server's data for targets (the first maxPages of each
// sector; 0: all) and checks the searches.
func (b *bench) gather(ctx context.Context, srv *server, maxPages int, etags bool) (*corpus, []string, error) {
	begin := time.Now()
	c := newAPIClient(srv.Base)
	cp, err := gatherCorpus(ctx, c, maxPages)
	if err != nil {
		return nil, nil, err
	}
	progress("walked %d pages of %d sectors (%s), %d slugs, in %s", len(cp.ListPaths), len(cp.Sectors), pagesWalked(maxPages),
		len(cp.Slugs), time.Since(begin).Round(100*time.Millisecond))
	if etags {
		begin = time.Now()
		if err := cp.collectETags(ctx, c); err != nil {
			return nil, nil, fmt.Errorf("collect ETags: %w", err)
		}
		progress("collected %d ETags in %s", len(cp.ETags), time.Since(begin).Round(100*time.Millisecond))
	}
	queries := searchQueries(cp)
	zero, took, err := checkSearches(ctx, c, queries)
	if err != nil {
		return nil, nil, err
	}
	slowest := 0
	for i, d := range took {
		if d > took[slowest] {
			slowest = i
		}
	}
	sorted := slices.Sorted(slices.Values(took))
	b.rep.Notes = append(b.rep.Notes, fmt.Sprintf("on %d entities, the %d searches run once each, one at a time, uncached (limit=1): median %.1f ms, slowest %.1f ms (q=%q)",
		len(cp.Slugs), len(queries), ms(quantile(sorted, 0.5)), ms(took[slowest]), queries[slowest]))
	if len(zero) > 0 {
		progress("%d of %d search queries find nothing on %d entities: %s", len(zero), len(queries), len(cp.Slugs), quoteAll(zero))
	}
	return cp, queries, nil
}

// measure runs a load, adds its row to the report and checks the server
// survived it.
func (b *bench) measure(ctx context.Context, srv *server, name string, dataSet int, l load) (*Result, *outcome, error) {
	l.warmup, l.duration = b.cfg.warmup, b.cfg.duration
	progress("%s: %d workers, %s after %s of warm-up", name, l.workers, l.duration, l.warmup)
	out, err := l.run(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	res := newResult(name, dataSet, l.workers, out)
	if c, ok := b.ceilings[l.workers]; ok && !strings.HasPrefix(name, "ceiling") && c > 0 {
		vs := res.ReqPerSec / c
		res.VsCeiling = &vs
	}
	b.rep.Results = append(b.rep.Results, res)
	progress("%s: %.0f req/s, p50 %.2f ms, p99 %.2f ms, %d errors (%s)", name, res.ReqPerSec, res.P50Ms, res.P99Ms, res.Errors, statusSummary(out.Statuses))
	if !srv.alive() {
		return nil, nil, fmt.Errorf("the server died during %s: %v; its log:\n%s", name, srv.waitErr, tail(srv.logText(), 20))
	}
	return res, out, nil
}

func pagesWalked(maxPages int) string {
	if maxPages > 0 {
		return fmt.Sprintf("at most %d each; slugs from the change feed", maxPages)
	}
	return "every page"
}

func mib(bytes uint64) float64 { return float64(bytes) / (1 << 20) }
