package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"
)

// config is what the flags ask for.
type config struct {
	entities    int           // synthetic entities of the list/get/write data set
	large       int           // synthetic entities of the search/facets/memory data set
	duration    time.Duration // measured time per scenario
	warmup      time.Duration // unmeasured time before it
	workers     int           // concurrent clients of most scenarios
	mixWorkers  int           // concurrent clients of the mixes
	largePages  int           // pages walked per sector on the large data set (0: all)
	registryBin string        // prebuilt registry binary; empty: build one
	databaseURL string        // existing PostgreSQL server; empty: throwaway cluster
	jsonPath    string        // also write the results as JSON here
	strict      bool          // exit 1 when a target is missed
	quick       bool
	only        map[string]bool // scenarios to run; nil: all
}

// runs reports whether the scenario is selected by --only.
func (c *config) runs(name string) bool { return c.only == nil || c.only[name] }

func parseFlags(args []string) (*config, error) {
	fs := flag.NewFlagSet("registry-load", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	c := &config{}
	fs.IntVar(&c.entities, "entities", 10000, "synthetic entities of the data set for the ceiling, list, get, get304, writes and mix scenarios")
	fs.IntVar(&c.large, "large", 100000, "synthetic entities of the data set for search, facets and memory (seeding 100000 takes minutes)")
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "measured time of each scenario")
	fs.DurationVar(&c.warmup, "warmup", 2*time.Second, "time each scenario runs before it is measured (not counted)")
	fs.IntVar(&c.workers, "workers", 16, "concurrent clients (vegeta workers, one keep-alive connection each) of the single-endpoint scenarios")
	fs.IntVar(&c.mixWorkers, "mix-workers", 64, "concurrent clients of the mixes (mix64, memory) and of ceiling64")
	fs.IntVar(&c.largePages, "large-pages", 20, "pages of each sector walked on the --large data set for the memory mix's list targets (0: all; every page costs the service an exact count, so walking 100000 entities takes minutes); the --entities set is always walked whole")
	fs.StringVar(&c.registryBin, "registry-bin", "", "use this registry binary instead of building ./cmd/registry")
	fs.StringVar(&c.databaseURL, "database-url", "", "postgres:// URL of an existing server (a role that may create databases); fresh databases are created there and dropped afterwards. Default: a throwaway cluster (internal/pgtest)")
	fs.StringVar(&c.jsonPath, "json", "", "also write the results as JSON to this file")
	fs.BoolVar(&c.strict, "strict", false, "exit 1 when a target is missed (by default the exit code is 0 whatever the figures)")
	fs.BoolVar(&c.quick, "quick", false, "smoke run: --entities 500 --large 2000 --duration 1s --warmup 0 (flags given explicitly win)")
	only := fs.String("only", "", "comma-separated scenarios to run (default all): "+strings.Join(scenarioNames, ","))
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: go run ./cmd/registry-load [flags]

Load benchmark of the registry. It builds ./cmd/registry, starts a throwaway
PostgreSQL cluster (fsync=off, synchronous_commit=off) or uses --database-url,
creates and seeds two databases with "registry migrate", "registry seed
--synthetic N" and "registry keys create", serves each with "registry serve"
(BENCH_CEILING=1) on a free loopback port and drives it with vegeta: a fixed
number of workers each sending requests as fast as they are answered.

Scenarios (the throughput targets are ratios to the ceiling in the same run):
  ceiling    GET /bench/ceiling, a fixed 50-entity page: the yardstick (--workers)
  list       GET /v1/entities?sector=S&limit=50[&cursor=C], every page of every sector  ≥ 30% of ceiling
  get        GET /v1/entities/{slug}, every slug                                        ≥ 50% of ceiling
  get304     the same with If-None-Match: the slug's ETag; every answer must be 304     ≥ 70% of ceiling
  writes     POST /v1/entities with an editor key, a new entity each                    ≥ 500 creates/s
  ceiling64  the ceiling at --mix-workers
  mix64      list, get, search and facets mixed, at --mix-workers                       p99 ≤ 25 ms
  search     GET /v1/entities?q=...&limit=20, on the --large set                        p99 ≤ 25 ms
  searchcold the same with a query the response cache has not seen in each request     p99 ≤ 25 ms
  facets     GET /v1/entities?facets=sector,kind,ward&limit=1[&filter], on --large      p99 ≤ 50 ms
  memory     the mix on --large at --mix-workers; the server's peak memory              VmHWM ≤ 150 MiB

A target counts as met only when the scenario also had no errors (any status
other than 2xx or 304, or, for get304, other than 304).

The table goes to stdout, progress to stderr.

Flags:
`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return nil, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	if c.quick {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		if !set["entities"] {
			c.entities = 500
		}
		if !set["large"] {
			c.large = 2000
		}
		if !set["duration"] {
			c.duration = time.Second
		}
		if !set["warmup"] {
			c.warmup = 0
		}
	}
	if *only != "" {
		c.only = map[string]bool{}
		for _, name := range strings.Split(*only, ",") {
			name = strings.TrimSpace(name)
			if !isScenario(name) {
				return nil, fmt.Errorf("--only: unknown scenario %q (known: %s)", name, strings.Join(scenarioNames, ", "))
			}
			c.only[name] = true
		}
	}
	switch {
	case c.entities < 1 || c.large < 1:
		return nil, errors.New("--entities and --large must be at least 1")
	case c.duration <= 0 || c.warmup < 0:
		return nil, errors.New("--duration must be positive and --warmup not negative")
	case c.workers < 1 || c.mixWorkers < 1:
		return nil, errors.New("--workers and --mix-workers must be at least 1")
	case c.largePages < 0:
		return nil, errors.New("--large-pages must not be negative")
	}
	return c, nil
}
