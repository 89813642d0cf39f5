package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/hanoicreative/registry/internal/accounts"
	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/messages"
	"github.com/hanoicreative/registry/internal/registry"
)

// usersConfig is what the users commands read: the database, and the
// address that links to set a password start with.
type usersConfig struct {
	DBConfig
	PublicURL baseURL `env:"PUBLIC_URL" envDefault:"http://localhost:8080" flag:"public-url" help:"the address people reach the server at (scheme, host and any path prefix), which links to set a password start with"`
}

// setPasswordPath is the console's page that a one-time link opens.
const setPasswordPath = "/console/set-password?token="

func runUsers(ctx context.Context, env environment, args []string) error {
	usage := func(w io.Writer) {
		fmt.Fprint(w, `Usage: registry users COMMAND [flags]

Manages staff accounts, which sign in to the console with an email address
and a password (programs use API keys: see registry keys).

Commands:
  create --email E --name N --role editor|admin [--password-stdin]
                           make an account; without --password-stdin, prints
                           a one-time link to set its password (valid 24 h)
  list                     list accounts: id, email, name, role, created, password set, status
  disable ACCOUNT          stop an account signing in; its sessions end at once
  enable ACCOUNT           let a disabled account sign in again
  reset-password ACCOUNT [--password-stdin]
                           print a new one-time link to set the password (or set it
                           from standard input); setting it ends the account's sessions

ACCOUNT is an email address (any case) or an account id.
Run "registry users COMMAND --help" for the flags.
`)
	}
	if len(args) == 0 {
		usage(env.stderr)
		return configErrorf("users needs a command: create, list, disable, enable or reset-password")
	}
	switch args[0] {
	case "create":
		return runUsersCreate(ctx, env, args[1:])
	case "list":
		return runUsersList(ctx, env, args[1:])
	case "disable", "enable":
		return runUsersAble(ctx, env, args[0], args[1:])
	case "reset-password":
		return runUsersResetPassword(ctx, env, args[1:])
	case "-h", "-help", "--help", "help":
		usage(env.stdout)
		return flag.ErrHelp
	}
	usage(env.stderr)
	return configErrorf("users: unknown command %q: use create, list, disable, enable or reset-password", args[0])
}

// usersFlags are the flags of every users command.
type usersFlags struct {
	flags *configFlags
	cfg   usersConfig
}

func (f *usersFlags) register(fs *flag.FlagSet) { f.flags = registerConfig(fs, &f.cfg) }

// open reads the settings, then opens and migrates the database.
func (f *usersFlags) open(ctx context.Context, env environment) (*accounts.Service, func() error, error) {
	if err := f.flags.load(env.getenv, &f.cfg); err != nil {
		return nil, nil, err
	}
	log := f.cfg.logger(env.stderr)
	store, _, err := f.cfg.openStore(ctx, log)
	if err != nil {
		return nil, nil, err
	}
	return accounts.NewService(store, accounts.Options{Logger: log}), store.Close, nil
}

func (f *usersFlags) link(token string) string {
	return string(f.cfg.PublicURL) + setPasswordPath + token
}

func runUsersCreate(ctx context.Context, env environment, args []string) error {
	fs := newFlagSet(env, "users create", "Makes a staff account. With --password-stdin its password is read from the first line of standard input; without, a one-time link to set it (valid 24 hours) is printed alone on standard output (everything else goes to standard error): LINK=$(registry users create --email E --name N --role admin). Passwords have at least 10 characters and are not among the most common ones.")
	var uf usersFlags
	uf.register(fs)
	email := fs.String("email", "", "the address the person signs in with (unique, in any case)")
	name := fs.String("name", "", "the person's name, recorded as the actor of their changes")
	role := fs.String("role", "editor", "editor (entities, imports) or admin (also accounts, keys and sectors)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input instead of printing a link")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return configErrorf("users create takes no arguments, only flags (got %q)", fs.Arg(0))
	}
	n := accounts.NewAccount{Email: *email, Name: *name, Role: auth.Role(*role)}
	if *fromStdin {
		var err error
		if n.Password, err = readPassword(env); err != nil {
			return err
		}
	}
	svc, closeDB, err := uf.open(ctx, env)
	if err != nil {
		return err
	}
	defer closeDB()
	a, err := svc.Create(ctx, n)
	if err != nil {
		return describeIn(env, err)
	}
	fmt.Fprintf(env.stderr, "created %s account %q <%s> (id %s)\n", a.Role, a.Name, a.Email, a.ID)
	if *fromStdin {
		return nil
	}
	return printLink(ctx, env, svc, &uf, a)
}

// printLink issues a set-password token and prints its link alone on
// standard output.
func printLink(ctx context.Context, env environment, svc *accounts.Service, uf *usersFlags, a accounts.Account) error {
	token, expires, err := svc.IssuePasswordToken(ctx, a.ID)
	if err != nil {
		return describeIn(env, err)
	}
	fmt.Fprintf(env.stderr, "give %s this link to set the password; it works once, until %s:\n", a.Email, expires.UTC().Format(time.RFC3339))
	_, err = fmt.Fprintln(env.stdout, uf.link(token))
	return err
}

func runUsersList(ctx context.Context, env environment, args []string) error {
	fs := newFlagSet(env, "users list", "Lists the staff accounts, oldest first, without passwords.")
	var uf usersFlags
	uf.register(fs)
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	svc, closeDB, err := uf.open(ctx, env)
	if err != nil {
		return err
	}
	defer closeDB()
	list, err := svc.Accounts(ctx)
	if err != nil {
		return describeIn(env, err)
	}
	w := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tEMAIL\tNAME\tROLE\tCREATED\tPASSWORD\tSTATUS")
	for _, a := range list {
		password, status := "set", "active"
		if !a.HasPassword {
			password = "not set"
		}
		if a.Disabled() {
			status = "disabled " + stamp(a.DisabledAt)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.ID, a.Email, a.Name, a.Role, stamp(&a.CreatedAt), password, status)
	}
	return w.Flush()
}

func runUsersAble(ctx context.Context, env environment, command string, args []string) error {
	synopsis := "Disables the account (an email address or an id, see users list): it can no longer sign in, and its sessions end at once. Usage: registry users disable [flags] ACCOUNT"
	if command == "enable" {
		synopsis = "Enables a disabled account (an email address or an id): it may sign in again. Usage: registry users enable [flags] ACCOUNT"
	}
	fs := newFlagSet(env, "users "+command, synopsis)
	var uf usersFlags
	uf.register(fs)
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return configErrorf("users %s needs one account: an email address or an id", command)
	}
	svc, closeDB, err := uf.open(ctx, env)
	if err != nil {
		return err
	}
	defer closeDB()
	a, err := svc.Find(ctx, fs.Arg(0))
	if err != nil {
		return describeIn(env, err)
	}
	if command == "enable" {
		a, err = svc.Enable(ctx, a.ID)
	} else {
		a, err = svc.Disable(ctx, a.ID)
	}
	if err != nil {
		return describeIn(env, err)
	}
	fmt.Fprintf(env.stderr, "%sd account %q <%s> (id %s)\n", command, a.Name, a.Email, a.ID)
	return nil
}

func runUsersResetPassword(ctx context.Context, env environment, args []string) error {
	fs := newFlagSet(env, "users reset-password", "Prints a new one-time link to set the account's password (an email address or an id), valid 24 hours, alone on standard output; earlier links stop working, and the current password works until the link is used. With --password-stdin, sets the password read from standard input instead. Setting a password ends the account's sessions and lifts a lock-out. Usage: registry users reset-password [flags] ACCOUNT")
	var uf usersFlags
	uf.register(fs)
	fromStdin := fs.Bool("password-stdin", false, "read the new password from standard input instead of printing a link")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return configErrorf("users reset-password needs one account: an email address or an id")
	}
	var password string
	if *fromStdin {
		var err error
		if password, err = readPassword(env); err != nil {
			return err
		}
	}
	svc, closeDB, err := uf.open(ctx, env)
	if err != nil {
		return err
	}
	defer closeDB()
	a, err := svc.Find(ctx, fs.Arg(0))
	if err != nil {
		return describeIn(env, err)
	}
	if !*fromStdin {
		return printLink(ctx, env, svc, &uf, a)
	}
	if err := svc.SetPassword(ctx, a.ID, password); err != nil {
		return describeIn(env, err)
	}
	fmt.Fprintf(env.stderr, "set the password of %q <%s>; its sessions have ended\n", a.Name, a.Email)
	return nil
}

// readPassword reads the first line of standard input, without its line
// ending.
func readPassword(env environment) (string, error) {
	if env.stdin == nil {
		return "", errors.New("--password-stdin: standard input is empty")
	}
	line, err := bufio.NewReader(io.LimitReader(env.stdin, 64<<10)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("--password-stdin: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("--password-stdin: standard input is empty")
	}
	return line, nil
}

// describeIn is describe in the user's language (LANG, LC_ALL).
func describeIn(env environment, err error) error {
	e := registry.AsError(err)
	if e.Code == registry.EINTERNAL {
		return err
	}
	msgs := messages.New()
	local := msgs.Error(msgs.Locale(locale(env)), e)
	msg := local.Message
	for _, f := range local.Fields {
		msg += " " + f.Message
	}
	return errors.New(msg)
}
