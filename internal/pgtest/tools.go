package pgtest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// tools are the PostgreSQL server binaries and the OS user to run them as.
type tools struct {
	bin  string     // directory of initdb, pg_ctl, postgres, pg_basebackup
	user *user.User // nil: run them as ourselves
}

func findTools() (*tools, error) {
	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	t := &tools{bin: bin}
	if os.Geteuid() == 0 {
		// initdb and postgres refuse to run as root.
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("pgtest: running as root, which initdb refuses, and no user to run it as: %w", err)
		}
		t.user = u
	}
	return t, nil
}

// findBin finds initdb on PATH, else in Debian's and Ubuntu's per-version directories, which
// are not on PATH, newest version first.
func findBin() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		// A symlink on PATH (say /usr/local/bin/initdb) may have no pg_basebackup beside it;
		// the directory it points into has them all.
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		return filepath.Dir(p), nil
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	version := func(p string) float64 { // "/usr/lib/postgresql/9.6/bin/initdb" → 9.6
		v, err := strconv.ParseFloat(filepath.Base(filepath.Dir(filepath.Dir(p))), 64)
		if err != nil {
			return -1
		}
		return v
	}
	slices.SortFunc(found, func(a, b string) int { return cmp.Compare(version(b), version(a)) })
	if len(found) > 0 {
		return filepath.Dir(found[0]), nil
	}
	return "", errors.New("pgtest: PostgreSQL server binaries not found (no initdb on PATH nor in " +
		"/usr/lib/postgresql/*/bin): set DATABASE_URL, or install them (Debian: apt-get install " +
		"postgresql; .ci/ensure-postgres does it)")
}

// command returns a command running the named server binary as t.user.
func (t *tools) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	argv := append([]string{filepath.Join(t.bin, name)}, args...)
	if t.user != nil {
		if runuser, err := exec.LookPath("runuser"); err == nil {
			argv = append([]string{runuser, "-u", t.user.Username, "--"}, argv...)
		} else {
			quoted := make([]string, len(argv))
			for i, a := range argv {
				quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
			}
			argv = []string{"su", "-s", "/bin/sh", t.user.Username, "-c", "exec " + strings.Join(quoted, " ")}
		}
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = "/" // the server's user may not be allowed into our working directory
	cmd.Env = serverEnv()
	return cmd
}

// run runs the named server binary and returns its output, which an error includes.
func (t *tools) run(ctx context.Context, name string, args ...string) (string, error) {
	out, err := t.command(ctx, name, args...).CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, tail(string(out), 30))
	}
	return string(out), nil
}

// serverEnv is our environment without the PG* variables (PGDATA, PGPORT, PGHOST, ...), which
// would otherwise override what the commands are told, and with C messages, which start
// matches on.
func serverEnv() []string {
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "PG") || strings.HasPrefix(kv, "LC_ALL=")
	})
	return append(env, "LC_ALL=C")
}

// tempDir makes the cluster's temp dir, owned by the user the server runs as. When that is
// another user, every directory above must let others through, which a TMPDIR under /root
// does not: rather than loosen the permissions of someone's directories, fall back to /tmp.
func (t *tools) tempDir() (string, error) {
	bases := []string{os.TempDir()}
	if t.user != nil {
		bases = append(bases, "/tmp", "/var/tmp")
	}
	for _, base := range bases {
		base, err := filepath.EvalSymlinks(base) // the reaper compares resolved paths
		if err != nil || (t.user != nil && !traversable(base)) {
			continue
		}
		dir, err := os.MkdirTemp(base, "pgtest-")
		if err != nil {
			return "", err
		}
		if t.user != nil {
			uid, _ := strconv.Atoi(t.user.Uid)
			gid, _ := strconv.Atoi(t.user.Gid)
			if err := os.Chown(dir, uid, gid); err != nil {
				os.RemoveAll(dir)
				return "", err
			}
		}
		return dir, nil
	}
	if t.user == nil {
		return "", fmt.Errorf("no usable temp dir among %v", bases)
	}
	return "", fmt.Errorf("no temp dir that user %s can reach among %v", t.user.Username, bases)
}

// traversable reports whether others may pass through dir and every directory above it.
func traversable(dir string) bool {
	for {
		fi, err := os.Stat(dir)
		if err != nil || fi.Mode().Perm()&0o001 == 0 {
			return false
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return true
		}
		dir = parent
	}
}
