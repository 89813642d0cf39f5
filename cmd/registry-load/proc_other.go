//go:build !linux

package main

import "syscall"

// childAttr: only Linux has a parent-death signal; elsewhere the child
// stays in this process's group.
func childAttr() *syscall.SysProcAttr { return nil }
