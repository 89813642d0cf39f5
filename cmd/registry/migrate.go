package main

import "context"

func runMigrate(ctx context.Context, env environment, args []string) error {
	fs := newFlagSet(env, "migrate", "Brings the database schema up to date and inserts the reference data (the eight sectors, seven kinds and 126 wards), then exits. Safe to run from several instances at once; serve runs it too.")
	var db dbFlags
	db.register(fs, env)
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	store, _, err := db.open(ctx, env)
	if err != nil {
		return err
	}
	return store.Close()
}
