package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// dataset is a seeded database.
type dataset struct {
	Size int    // synthetic entities seeded
	DSN  string // its DATABASE_URL
	Key  string // an editor key's secret
}

// prepareDataset creates a database of n synthetic entities with the
// registry binary: migrate, seed --synthetic n, keys create.
func prepareDataset(ctx context.Context, cl *cluster, bin, name string, n int) (*dataset, error) {
	dsn, err := cl.newDatabase(ctx, name)
	if err != nil {
		return nil, err
	}
	reg := registryCmd{bin: bin, dsn: dsn}
	if _, err := reg.run(ctx, "migrate"); err != nil {
		return nil, err
	}
	begin := time.Now()
	if err := seedWithProgress(ctx, reg, n); err != nil {
		return nil, err
	}
	have, err := countEntities(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("count seeded entities: %w", err)
	}
	if have != n {
		return nil, fmt.Errorf("seeded %d entities, but the database has %d", n, have)
	}
	progress("seeded %d entities into %s in %s", n, name, time.Since(begin).Round(100*time.Millisecond))
	out, err := reg.run(ctx, "keys", "create", "--name", "load", "--role", "editor")
	if err != nil {
		return nil, err
	}
	key := strings.TrimSpace(out)
	if key == "" || strings.ContainsAny(key, " \n") {
		return nil, fmt.Errorf("registry keys create printed %q, not a secret alone", out)
	}
	return &dataset{Size: n, DSN: dsn, Key: key}, nil
}

// seedWithProgress runs "registry seed --synthetic n", which shows no
// progress when its output is not a terminal, and prints a progress line
// now and then from the number of entities already committed (the seed
// commits a batch at a time).
func seedWithProgress(ctx context.Context, reg registryCmd, n int) error {
	progress("seeding %d synthetic entities (registry seed --synthetic %d)", n, n)
	done := make(chan error, 1)
	go func() {
		_, err := reg.run(ctx, "seed", "--synthetic", fmt.Sprint(n))
		done <- err
	}()
	begin := time.Now()
	tick := time.NewTicker(10 * time.Second)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			return err
		case <-tick.C:
			have, err := countEntities(ctx, reg.dsn)
			if err != nil {
				if errors.Is(ctx.Err(), context.Canceled) {
					continue // the seed is being stopped: wait for it
				}
				progress("seeding: cannot count entities: %v", err)
				continue
			}
			elapsed := time.Since(begin)
			line := fmt.Sprintf("seeding: %d/%d entities (%.0f%%) after %s", have, n, 100*float64(have)/float64(n), elapsed.Round(time.Second))
			if have > 0 && have < n {
				left := time.Duration(float64(elapsed) * float64(n-have) / float64(have))
				line += fmt.Sprintf(", about %s to go", left.Round(time.Second))
			}
			progress("%s", line)
		}
	}
}
