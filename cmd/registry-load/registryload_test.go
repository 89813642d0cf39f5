package main

import (
	"strings"
	"testing"
	"time"
)

func TestSummarizeLog(t *testing.T) {
	log := `{"level":"WARN","msg":"SQL executed","trace":{"duration":"243ms","sql":"SELECT e.id, e.slug, e.name, e.name_en, e.name_folded, e.kind, e.sectors,\n\te.description FROM entities e WHERE e.search_text LIKE '%nha%' LIMIT 21"}}
{"level":"WARN","msg":"SQL executed","trace":{"duration":"500ms","sql":"SELECT e.id, e.slug, e.name, e.name_en, e.name_folded, e.kind, e.sectors,\n\te.description FROM entities e WHERE e.search_text LIKE '%gom%' LIMIT 21"}}
{"level":"WARN","msg":"SQL executed","trace":{"duration":"90ms","sql":"SELECT e.kind AS value, count(*) AS n FROM entities e WHERE EXISTS (SELECT 1 FROM entity_sectors es WHERE es.sector_slug IN ('design')) GROUP BY e.kind"}}
{"level":"ERROR","msg":"request failed","status":500}
not json
`
	got := summarizeLog(log)
	if len(got) != 4 {
		t.Fatalf("got %d kinds, want 4: %q", len(got), got)
	}
	want := "2 × WARN SQL executed: SELECT … FROM entities e WHERE e.search_text LIKE ? LIMIT ? (slowest 500ms: SELECT … FROM entities e WHERE e.search_text LIKE '%gom%' LIMIT 21)"
	if got[0] != want {
		t.Errorf("first kind\n got %s\nwant %s", got[0], want)
	}
	if !strings.Contains(got[1], "SELECT e.kind AS value, count(*) AS n FROM entities e WHERE EXISTS (SELECT ? FROM entity_sectors") {
		t.Errorf("a short select list is kept: %s", got[1])
	}
	if summarizeLog("\n") != nil {
		t.Errorf("an empty log has no summary")
	}
}

func TestQuantile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	if q := quantile(d, 0.5); q != 50*time.Millisecond {
		t.Errorf("p50 = %s", q)
	}
	if q := quantile(d, 0.99); q != 99*time.Millisecond {
		t.Errorf("p99 = %s", q)
	}
	if q := quantile(d[:1], 0.99); q != time.Millisecond {
		t.Errorf("p99 of one = %s", q)
	}
}

func TestGoals(t *testing.T) {
	ratio := func(v float64) *float64 { return &v }
	r := &Result{Scenario: "list", VsCeiling: ratio(0.31)}
	goals["list"].check(r)
	if r.OK == nil || !*r.OK {
		t.Errorf("31%% of the ceiling meets ≥ 30%%")
	}
	r = &Result{Scenario: "list", VsCeiling: ratio(0.9), Errors: 1}
	goals["list"].check(r)
	if r.OK == nil || *r.OK {
		t.Errorf("a scenario with errors misses its target")
	}
	r = &Result{Scenario: "search", P99Ms: 25.5}
	goals["search"].check(r)
	if r.OK == nil || *r.OK {
		t.Errorf("p99 25.5 ms misses ≤ 25 ms")
	}
	r = &Result{Scenario: "get"}
	goals["get"].check(r)
	if r.OK != nil {
		t.Errorf("without a ceiling the target cannot be told")
	}
}

func TestQuickFlags(t *testing.T) {
	c, err := parseFlags([]string{"--quick", "--duration", "3s"})
	if err != nil {
		t.Fatal(err)
	}
	if c.entities != 500 || c.large != 2000 || c.warmup != 0 || c.duration != 3*time.Second {
		t.Errorf("--quick --duration 3s: %+v", c)
	}
	if _, err := parseFlags([]string{"--only", "list,nope"}); err == nil {
		t.Errorf("--only accepts an unknown scenario")
	}
}
