package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"time"
)

// cpuModel is the first "model name" of /proc/cpuinfo.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if name, value, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(name) == "model name" {
			return strings.TrimSpace(value)
		}
	}
	return "unknown CPU"
}

// progress prints a line of progress on standard error (the table goes to
// standard output).
func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s registry-load: %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}
