package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Report is everything a run found: the header and one Result per scenario.
type Report struct {
	Date           string    `json:"date"`
	CPUs           int       `json:"cpus"`
	CPUModel       string    `json:"cpu_model"`
	GoVersion      string    `json:"go_version"`
	Postgres       string    `json:"postgres_version"`
	Throwaway      bool      `json:"throwaway_cluster"` // fsync=off, synchronous_commit=off
	Entities       int       `json:"entities"`
	Large          int       `json:"large"`
	DurationSec    float64   `json:"duration_seconds"`
	WarmupSec      float64   `json:"warmup_seconds"`
	Notes          []string  `json:"notes,omitempty"`
	StoppedEarly   string    `json:"stopped_early,omitempty"` // why the results are partial
	Results        []*Result `json:"results"`
	TargetsMissed  int       `json:"targets_missed"`
	TargetsUnknown int       `json:"targets_unknown"`
}

// Result is one scenario's row.
type Result struct {
	Scenario      string         `json:"scenario"`
	DataSet       int            `json:"data_set_entities"`
	Workers       int            `json:"workers"`
	Requests      int            `json:"requests"`
	ReqPerSec     float64        `json:"req_per_sec"`
	P50Ms         float64        `json:"p50_ms"`
	P99Ms         float64        `json:"p99_ms"`
	Errors        int            `json:"errors"`
	Statuses      map[int]int    `json:"statuses"`
	Problems      map[string]int `json:"problems,omitempty"`
	VsCeiling     *float64       `json:"vs_ceiling,omitempty"` // req/s over the ceiling's at the same workers
	Target        string         `json:"target,omitempty"`
	OK            *bool          `json:"ok,omitempty"` // nil: no target, or it could not be told
	CreatesPerSec *float64       `json:"creates_per_sec,omitempty"`
	CountChecked  *bool          `json:"count_checked,omitempty"` // writes: the server counts every 201
	VmHWMMiB      *float64       `json:"vmhwm_mib,omitempty"`
	VmRSSMiB      *float64       `json:"vmrss_mib,omitempty"`
	Notes         []string       `json:"notes,omitempty"`
}

// newResult makes a row from a load's outcome.
func newResult(name string, dataSet, workers int, o *outcome) *Result {
	return &Result{
		Scenario: name, DataSet: dataSet, Workers: workers, Requests: o.Requests, ReqPerSec: o.ReqPerSec,
		P50Ms: ms(o.P50), P99Ms: ms(o.P99), Errors: o.Errors, Statuses: o.Statuses, Problems: o.Problems,
	}
}

// finish sorts the results in table order and checks the targets.
func (r *Report) finish() {
	slices.SortStableFunc(r.Results, func(a, b *Result) int {
		return slices.Index(scenarioNames, a.Scenario) - slices.Index(scenarioNames, b.Scenario)
	})
	r.TargetsMissed, r.TargetsUnknown = 0, 0
	for _, res := range r.Results {
		g, ok := goals[res.Scenario]
		if !ok {
			continue
		}
		res.Target = g.String()
		g.check(res)
		switch {
		case res.OK == nil:
			r.TargetsUnknown++
		case !*res.OK:
			r.TargetsMissed++
		}
	}
}

// writeMarkdown writes the header, the table and the notes.
func (r *Report) writeMarkdown(w io.Writer) {
	fmt.Fprintf(w, "## registry load benchmark, %s\n\n", r.Date)
	fmt.Fprintf(w, "- Machine: %d CPUs (%s), shared with the load generator (vegeta, in the same process as this report)\n", r.CPUs, r.CPUModel)
	fmt.Fprintf(w, "- Go %s; PostgreSQL %s", strings.TrimPrefix(r.GoVersion, "go"), r.Postgres)
	if r.Throwaway {
		fmt.Fprint(w, ", a throwaway cluster with fsync=off, synchronous_commit=off, full_page_writes=off (writes are faster than on a durable server)")
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "- Data sets: %d synthetic entities (ceiling to mix64), %d (search, facets, memory)\n", r.Entities, r.Large)
	fmt.Fprintf(w, "- Each scenario: %gs measured after %gs of warm-up, a fixed number of workers each sending its next request as soon as the previous is answered\n\n", r.DurationSec, r.WarmupSec)

	fmt.Fprintln(w, "| scenario | workers | req/s | p50 | p99 | errors | vs ceiling | target | ok? |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")
	for _, res := range r.Results {
		vs := "—"
		if res.VsCeiling != nil {
			vs = fmt.Sprintf("%.0f%%", *res.VsCeiling*100)
		}
		errs := "0"
		if res.Errors > 0 {
			errs = fmt.Sprintf("%d (%.1f%%)", res.Errors, 100*float64(res.Errors)/float64(res.Requests))
		}
		ok := "—"
		if res.OK != nil {
			ok = "yes"
			if !*res.OK {
				ok = "**NO**"
			}
		}
		target := res.Target
		if target == "" {
			target = "—"
		}
		fmt.Fprintf(w, "| %s | %d | %.0f | %.2f ms | %.2f ms | %s | %s | %s | %s |\n",
			res.Scenario, res.Workers, res.ReqPerSec, res.P50Ms, res.P99Ms, errs, vs, target, ok)
	}
	fmt.Fprintln(w)
	switch {
	case r.StoppedEarly != "":
		fmt.Fprintf(w, "**Partial results**: the run stopped early (%s). Targets missed so far: %d.\n", r.StoppedEarly, r.TargetsMissed)
	case r.TargetsMissed == 0 && r.TargetsUnknown == 0:
		fmt.Fprintln(w, "Every target met.")
	default:
		fmt.Fprintf(w, "Targets missed: %d; not measurable: %d.\n", r.TargetsMissed, r.TargetsUnknown)
	}

	var notes []string
	for _, res := range r.Results {
		for _, n := range res.Notes {
			notes = append(notes, res.Scenario+": "+n)
		}
		for _, p := range slices.Sorted(maps.Keys(res.Problems)) {
			notes = append(notes, fmt.Sprintf("%s: %d × %s", res.Scenario, res.Problems[p], p))
		}
	}
	notes = append(notes, r.Notes...)
	if len(notes) > 0 {
		fmt.Fprintln(w, "\nNotes:")
		for _, n := range notes {
			fmt.Fprintln(w, "- "+strings.ReplaceAll(n, "\n", " "))
		}
	}
}

// writeJSON writes the report to path.
func (r *Report) writeJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// statusSummary is "200: 1234, 304: 5", for notes.
func statusSummary(codes map[int]int) string {
	var parts []string
	for _, c := range slices.Sorted(maps.Keys(codes)) {
		name := strconv.Itoa(c)
		if c == 0 {
			name = "no answer"
		}
		parts = append(parts, fmt.Sprintf("%s: %d", name, codes[c]))
	}
	return strings.Join(parts, ", ")
}
