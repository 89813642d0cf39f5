//go:build unix

package pgtest

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

// reaperScript runs beside the tests, reading a pipe whose write end only this process holds.
// EOF comes however this process ends (Close, a panic in a test, go test's -timeout, SIGKILL),
// and then the script stops the postmaster if it still runs and removes the temp dir. The
// postmaster is recognized by its working directory, the data dir, so that a stale
// postmaster.pid never gets another process killed. (A postmaster still starting, with no pid
// file yet, finds its lock file gone within a minute and shuts itself down.)
const reaperScript = `
dir=$1
cat >/dev/null
pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null)
alive() { [ -n "$pid" ] && [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$dir/data" ]; }
if alive; then
	kill -QUIT "$pid" # immediate shutdown
	n=0
	while alive && [ $n -lt 300 ]; do sleep 0.1; n=$((n + 1)); done
fi
rm -rf "$dir"
`

type reaper struct {
	w   *os.File // closing it (or exiting) tells the reaper to clean up
	cmd *exec.Cmd
}

func startReaper(dir string) (*reaper, error) {
	r, w, err := os.Pipe() // close-on-exec: no other child inherits w and holds the pipe open
	if err != nil {
		return nil, err
	}
	defer r.Close()
	cmd := exec.Command("/bin/sh", "-c", reaperScript, "pgtest-reaper", dir)
	cmd.Stdin = r
	// A process group of its own, so that a Ctrl-C at the terminal does not kill it too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		w.Close()
		return nil, fmt.Errorf("start reaper: %w", err)
	}
	return &reaper{w: w, cmd: cmd}, nil
}

// close makes the reaper clean up now and waits until it has.
func (r *reaper) close() error {
	r.w.Close()
	if err := r.cmd.Wait(); err != nil {
		return fmt.Errorf("reaper: %w", err)
	}
	return nil
}
