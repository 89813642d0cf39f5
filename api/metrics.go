package api

import (
	"database/sql"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus metrics, in a registry of its own
// (not the global one), so that two servers in one process (tests) do not
// collide.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	handler  http.Handler
}

func newMetrics(db *sql.DB) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "registry_http_requests_total", Help: "HTTP requests by method, route and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "registry_http_request_duration_seconds", Help: "HTTP request latency by method and route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10},
		}, []string{"method", "route"}),
	}
	m.registry.MustRegister(m.requests, m.duration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if db != nil {
		m.registry.MustRegister(collectors.NewDBStatsCollector(db, "registry"))
	}
	m.handler = promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
	return m
}

// IndexStats describes the in-memory listing index, for the metrics.
type IndexStats interface {
	Ready() bool
	Size() (entities int, bytes uint64)
	// Rebuilds counts the index's rebuilds after a failure to follow the
	// change feed and after a drift from the database.
	Rebuilds() (afterFailure, afterDrift uint64)
	// DriftDetected counts the comparisons that found it differs from
	// the database.
	DriftDetected() uint64
}

// watchIndex adds the index's state and the response cache's bound to the
// metrics.
func (m *metrics) watchIndex(ix IndexStats, cacheBytes func() uint64) {
	gauge := func(name, help string, f func() float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, f)
	}
	m.registry.MustRegister(gauge("registry_response_cache_max_bytes", "The response cache's bound (0: off).",
		func() float64 { return float64(cacheBytes()) }))
	if ix == nil {
		return
	}
	m.registry.MustRegister(
		gauge("registry_index_ready", "1 while the in-memory listing index answers listings: built, and not out of service for a rebuild.", func() float64 {
			if ix.Ready() {
				return 1
			}
			return 0
		}),
		gauge("registry_index_entities", "Entities in the in-memory listing index.", func() float64 {
			n, _ := ix.Size()
			return float64(n)
		}),
		gauge("registry_index_bytes", "Memory the in-memory listing index takes, roughly (its caches not counted).", func() float64 {
			_, b := ix.Size()
			return float64(b)
		}),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "registry_index_drift_detected_total",
			Help: "Periodic comparisons that found the in-memory listing index different from the database."},
			func() float64 { return float64(ix.DriftDetected()) }))
	for reason, count := range map[string]func() uint64{
		"failure": func() uint64 { n, _ := ix.Rebuilds(); return n },
		"drift":   func() uint64 { _, n := ix.Rebuilds(); return n },
	} {
		m.registry.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "registry_index_rebuilds_total",
			Help:        "Rebuilds of the in-memory listing index, by reason: failure (following the change feed failed) or drift (it differed from the database).",
			ConstLabels: prometheus.Labels{"reason": reason}},
			func() float64 { return float64(count()) }))
	}
}

// watchCache adds the response cache's answers by outcome to the metrics.
func (m *metrics) watchCache(served *cacheOutcomes) {
	for outcome, count := range map[string]*atomic.Uint64{"hit": &served.hits, "kept": &served.kept, "passed": &served.passed} {
		m.registry.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "registry_response_cache_answers_total",
			Help: "Answers of cacheable reads, by outcome: hit (served from the response cache), kept (computed and kept), " +
				"passed (computed and not kept: asked once so far, an error, or too large).",
			ConstLabels: prometheus.Labels{"outcome": outcome}},
			func() float64 { return float64(count.Load()) }))
	}
}

// watchTurns adds the answers waiting for their turn to be computed to the
// metrics: a line that stays long says the server needs more CPUs.
func (m *metrics) watchTurns(t *turns) {
	m.registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "registry_read_turns_waiting",
		Help: "Reads waiting for their turn to be computed (answers not in the response cache are computed READ_TURNS at a time)."},
		func() float64 { return float64(t.waiting.Load()) }))
	m.registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "registry_read_turns_taken",
		Help: "Reads being computed now, at most READ_TURNS."},
		func() float64 { return float64(len(t.slots)) }))
}

// observe counts a finished request.
func (m *metrics) observe(method, route string, status int, elapsed time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(method, route).Observe(elapsed.Seconds())
}

// Metrics is the Prometheus scrape handler of the server's metrics. It is
// not on the API's routes: the binary serves it on an address of its own
// (METRICS_ADDR), which the public cannot reach.
func (s *Server) Metrics() http.Handler { return s.metrics.handler }
