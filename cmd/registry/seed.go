package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/sample"
)

// seedBatch is how many drafts one transaction of a seed holds.
const seedBatch = 1000

func runSeed(ctx context.Context, env environment, args []string) error {
	fs := newFlagSet(env, "seed", "Adds entities for demos and load tests (the reference data is inserted by migrate): --sample loads about 250 plausible, invented members of the creative community, marked as sample data in their descriptions; --synthetic N loads N generated entities. Entities already there (same slug) are left as they are, so seeding twice changes nothing.")
	var db dbFlags
	db.register(fs, env)
	withSample := fs.Bool("sample", false, "load the sample data set (about 250 entities)")
	synthetic := fs.Int("synthetic", 0, "load N synthetic entities, for load tests")
	seed := fs.Uint64("seed", 1, "random seed of --synthetic")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	if *withSample == (*synthetic > 0) {
		fs.Usage()
		return errors.New("seed needs --sample or --synthetic N (one of them)")
	}
	store, w, err := db.open(ctx, env)
	if err != nil {
		return err
	}
	defer store.Close()
	svc := registry.NewService(store, w)

	total := *synthetic
	if *withSample {
		total = len(sample.Sample(w))
	}
	bar, done := progress(env, total, "seeding"), 0
	var sum registry.ImportResult
	var batch []registry.ImportRow
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		res, err := svc.Import(ctx, "seed", batch, false, nil)
		if err != nil {
			return reportImportErrors(env.stderr, err)
		}
		sum.Created, sum.Updated, sum.Unchanged = sum.Created+res.Created, sum.Updated+res.Updated, sum.Unchanged+res.Unchanged
		if done += len(batch); bar != nil {
			bar(done)
		}
		batch = batch[:0]
		return nil
	}
	add := func(i int, d registry.EntityDraft) error {
		batch = append(batch, registry.ImportRow{Row: i + 1, Draft: d})
		if len(batch) == seedBatch {
			return flush()
		}
		return nil
	}
	if *withSample {
		for i, d := range sample.Sample(w) {
			if err := add(i, d); err != nil {
				return err
			}
		}
	} else if err := sample.SyntheticEach(w, *synthetic, *seed, add); err != nil {
		return err
	}
	if err := flush(); err != nil {
		return err
	}
	if err := svc.Analyze(ctx); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "seeded %d entities: %d created, %d already there\n", total, sum.Created, sum.Unchanged+sum.Updated)
	return nil
}
