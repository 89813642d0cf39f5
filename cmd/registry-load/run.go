package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"time"
)

// bench is one run: its configuration, what the setup made and the report.
type bench struct {
	cfg      *config
	rep      *Report
	bin      string // the registry binary
	tmp      string // binary, server logs
	cl       *cluster
	runID    string           // names this run's databases and written entities
	datasets map[int]*dataset // by size: one database per size
	ceilings map[int]float64  // the ceiling's req/s by workers
}

// run sets up, runs the scenarios, prints the report and cleans up, on
// errors and on Ctrl-C too. It returns the exit code.
func run(ctx context.Context, cfg *config) (code int, err error) {
	begin := time.Now()
	defer func() { progress("finished in %s", time.Since(begin).Round(time.Second)) }() // after the clean-up
	rep := &Report{
		Date: begin.Format("2006-01-02 15:04 MST"), CPUs: runtime.NumCPU(), CPUModel: cpuModel(), GoVersion: runtime.Version(),
		Entities: cfg.entities, Large: cfg.large, DurationSec: cfg.duration.Seconds(), WarmupSec: cfg.warmup.Seconds(),
	}
	b := &bench{cfg: cfg, rep: rep, runID: newRunID(), datasets: map[int]*dataset{}, ceilings: map[int]float64{}}

	if b.tmp, err = os.MkdirTemp("", "registry-load-"); err != nil {
		return 1, err
	}
	defer os.RemoveAll(b.tmp)

	b.bin = cfg.registryBin
	if b.bin == "" {
		progress("building ./cmd/registry")
		if b.bin, err = buildRegistry(ctx, b.tmp); err != nil {
			return 1, err
		}
	}
	if cfg.databaseURL == "" {
		progress("starting a throwaway PostgreSQL cluster (fsync=off, synchronous_commit=off)")
	}
	if b.cl, err = openCluster(ctx, cfg.databaseURL); err != nil {
		return 1, err
	}
	defer func() {
		progress("cleaning up the databases")
		if cerr := b.cl.close(); cerr != nil {
			err = errors.Join(err, cerr)
		}
	}()
	rep.Postgres, rep.Throwaway = b.cl.Version, b.cl.Throwaway()
	progress("PostgreSQL %s; run %s", rep.Postgres, b.runID)

	err = b.phases(ctx)
	if len(rep.Results) > 0 {
		rep.finish()
		if err != nil {
			rep.StoppedEarly = err.Error()
		}
		rep.writeMarkdown(os.Stdout)
		if cfg.jsonPath != "" {
			if jerr := rep.writeJSON(cfg.jsonPath); jerr != nil {
				err = errors.Join(err, jerr)
			}
		}
	}
	if err != nil {
		return 1, err
	}
	if cfg.strict && (rep.TargetsMissed > 0 || rep.TargetsUnknown > 0) {
		return 1, nil
	}
	return 0, nil
}

// phases runs the scenarios on the --entities data set, then those on the
// --large one.
func (b *bench) phases(ctx context.Context) error {
	small, large := false, false
	for _, name := range scenarioNames {
		if !b.cfg.runs(name) {
			continue
		}
		if slices.Contains(largeScenarios, name) {
			large = true
		} else {
			small = true
		}
	}
	if small {
		if err := b.smallPhase(ctx); err != nil {
			return err
		}
	}
	if large {
		if err := b.largePhase(ctx); err != nil {
			return err
		}
	}
	return nil
}

// dataset returns the seeded database of n entities, making it the first
// time.
func (b *bench) dataset(ctx context.Context, n int) (*dataset, error) {
	if ds := b.datasets[n]; ds != nil {
		return ds, nil
	}
	ds, err := prepareDataset(ctx, b.cl, b.bin, fmt.Sprintf("registry_load_%s_%d", b.runID, n), n)
	if err != nil {
		return nil, err
	}
	b.datasets[n] = ds
	return ds, nil
}

func newRunID() string {
	p := make([]byte, 4)
	rand.Read(p)
	return "lt" + hex.EncodeToString(p)
}
