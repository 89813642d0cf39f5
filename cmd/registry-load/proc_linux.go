package main

import "syscall"

// childAttr puts a child in its own process group, so that a Ctrl-C on the
// terminal reaches this process only (which then stops the child in order),
// and has the kernel send it SIGTERM if this process dies first.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
}
