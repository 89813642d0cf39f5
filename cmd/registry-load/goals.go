package main

import (
	"fmt"
	"time"
)

// scenarioNames are the scenarios, in the table's order.
var scenarioNames = []string{"ceiling", "list", "get", "get304", "writes", "ceiling64", "mix64", "search", "searchcold", "facets", "memory"}

// largeScenarios run on the --large data set.
var largeScenarios = []string{"search", "searchcold", "facets", "memory"}

func isScenario(name string) bool {
	for _, n := range scenarioNames {
		if n == name {
			return true
		}
	}
	return false
}

// goal is a scenario's target.
type goal struct {
	kind  string  // "ratio" (of the ceiling's req/s), "p99" (ms), "creates" (per second), "memory" (MiB of VmHWM)
	value float64 // the bound
}

// goals are the targets of the service.
var goals = map[string]goal{
	"list":   {"ratio", 0.30},
	"get":    {"ratio", 0.50},
	"get304": {"ratio", 0.70},
	"writes": {"creates", 500},
	"mix64":  {"p99", 25},
	"search": {"p99", 25},
	// The same target when no answer can come from the response cache.
	"searchcold": {"p99", 25},
	"facets":     {"p99", 50},
	"memory":     {"memory", 150},
}

// String says the target, as in the table.
func (g goal) String() string {
	switch g.kind {
	case "ratio":
		return fmt.Sprintf("≥ %.0f%% of ceiling", g.value*100)
	case "p99":
		return fmt.Sprintf("p99 ≤ %.0f ms", g.value)
	case "creates":
		return fmt.Sprintf("≥ %.0f creates/s", g.value)
	case "memory":
		return fmt.Sprintf("VmHWM ≤ %.0f MiB", g.value)
	}
	return ""
}

// check tells whether r meets the target (nil when it cannot be told, say
// without a ceiling to compare with) and fills in what was measured. A
// scenario with errors misses its target whatever its figures.
func (g goal) check(r *Result) {
	var met bool
	switch g.kind {
	case "ratio":
		if r.VsCeiling == nil {
			r.Target += " (no ceiling measured)"
			return
		}
		met = *r.VsCeiling >= g.value
	case "p99":
		met = r.P99Ms <= g.value
	case "creates":
		if r.CreatesPerSec == nil {
			return
		}
		r.Target += fmt.Sprintf(": %.0f/s", *r.CreatesPerSec)
		met = *r.CreatesPerSec >= g.value
		if r.CountChecked != nil && !*r.CountChecked {
			met = false
		}
	case "memory":
		if r.VmHWMMiB == nil {
			r.Target += " (not measured)"
			return
		}
		r.Target += fmt.Sprintf(": %.1f MiB", *r.VmHWMMiB)
		met = *r.VmHWMMiB <= g.value
	}
	met = met && r.Errors == 0
	r.OK = &met
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
