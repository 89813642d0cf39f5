package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/registry"
)

func runKeys(ctx context.Context, env environment, args []string) error {
	usage := func(w io.Writer) {
		fmt.Fprint(w, `Usage: registry keys COMMAND [flags]

Manages API keys (writes need one: Authorization: Bearer <key>).

Commands:
  create --name NAME --role editor|admin   make a key; prints its secret, once, alone on standard output
  list                                     list keys: id, name, role, created, last used, revoked
  revoke ID                                revoke a key; it is refused from its next request on

Run "registry keys COMMAND --help" for the flags.
`)
	}
	if len(args) == 0 {
		usage(env.stderr)
		return configErrorf("keys needs a command: create, list or revoke")
	}
	switch args[0] {
	case "create":
		return runKeysCreate(ctx, env, args[1:])
	case "list":
		return runKeysList(ctx, env, args[1:])
	case "revoke":
		return runKeysRevoke(ctx, env, args[1:])
	case "-h", "-help", "--help", "help":
		usage(env.stdout)
		return flag.ErrHelp
	}
	usage(env.stderr)
	return configErrorf("keys: unknown command %q: use create, list or revoke", args[0])
}

func openKeys(ctx context.Context, env environment, db *dbFlags) (*auth.Service, func() error, error) {
	store, _, err := db.open(ctx, env)
	if err != nil {
		return nil, nil, err
	}
	return auth.NewService(store), store.Close, nil
}

func runKeysCreate(ctx context.Context, env environment, args []string) error {
	fs := newFlagSet(env, "keys create", "Makes an API key and prints its secret alone on standard output (everything else goes to standard error), so scripts can capture it: KEY=$(registry keys create --name NAME --role editor). Only a hash of the secret is stored: it cannot be shown again.")
	var db dbFlags
	db.register(fs, env)
	name := fs.String("name", "", "who the key is for (unique; recorded as the actor of its changes)")
	role := fs.String("role", "editor", "editor (entities, imports) or admin (also keys and sectors)")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	r, err := auth.ParseRole(*role)
	if err != nil {
		return err
	}
	keys, closeDB, err := openKeys(ctx, env, &db)
	if err != nil {
		return err
	}
	defer closeDB()
	k, secret, err := keys.Create(ctx, *name, r)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(env.stderr, "created %s key %q (id %s); its secret, shown this once:\n", k.Role, k.Name, k.ID)
	_, err = fmt.Fprintln(env.stdout, secret)
	return err
}

func runKeysList(ctx context.Context, env environment, args []string) error {
	fs := newFlagSet(env, "keys list", "Lists the API keys (revoked ones too), newest first, without secrets.")
	var db dbFlags
	db.register(fs, env)
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	keys, closeDB, err := openKeys(ctx, env, &db)
	if err != nil {
		return err
	}
	defer closeDB()
	list, err := keys.Keys(ctx)
	if err != nil {
		return describe(err)
	}
	w := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tNAME\tROLE\tCREATED\tLAST USED\tREVOKED")
	for _, k := range list {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Name, k.Role, stamp(&k.CreatedAt), stamp(k.LastUsedAt), stamp(k.RevokedAt))
	}
	return w.Flush()
}

func runKeysRevoke(ctx context.Context, env environment, args []string) error {
	fs := newFlagSet(env, "keys revoke", "Revokes the key with this ID (see keys list): its next request is refused. Usage: registry keys revoke [flags] ID")
	var db dbFlags
	db.register(fs, env)
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("keys revoke needs one key ID")
	}
	keys, closeDB, err := openKeys(ctx, env, &db)
	if err != nil {
		return err
	}
	defer closeDB()
	k, err := keys.Revoke(ctx, fs.Arg(0))
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(env.stderr, "revoked key %q (id %s) at %s\n", k.Name, k.ID, stamp(k.RevokedAt))
	return nil
}

func stamp(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

// describe turns a domain error into a message for the terminal.
func describe(err error) error {
	e := registry.AsError(err)
	if e.Code == registry.EINTERNAL {
		return err
	}
	msg := e.Message
	for _, f := range e.Fields {
		msg += " " + f.Message
	}
	return errors.New(msg)
}
