package main

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"
)

// buildVersion may be set at link time: -ldflags "-X main.buildVersion=v1.2.3";
// otherwise the version is the module's, which the go command stamps from
// the repository (a tag, or a pseudo-version from the commit).
var buildVersion string

// build is what the binary knows of how it was built.
type build struct {
	Version  string
	Revision string // the commit, when built in a git checkout with VCS stamping
	Time     string // the commit's time
	Modified bool   // the checkout had uncommitted changes
	Go       string
}

func readBuild() build {
	b := build{Version: buildVersion}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		if b.Version == "" {
			b.Version = "dev"
		}
		return b
	}
	b.Go = info.GoVersion
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Revision = s.Value
		case "vcs.time":
			b.Time = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		}
	}
	if b.Version == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
		b.Version = info.Main.Version
	}
	if b.Version == "" {
		b.Version = "dev"
	}
	return b
}

// version is the build's version, for /healthz and the logs.
func version() string { return readBuild().Version }

func (b build) String() string {
	var s strings.Builder
	fmt.Fprintf(&s, "registry %s\n", b.Version)
	if b.Revision != "" {
		fmt.Fprintf(&s, "commit %s", b.Revision)
		if b.Time != "" {
			fmt.Fprintf(&s, " (%s)", b.Time)
		}
		if b.Modified {
			s.WriteString(", with uncommitted changes")
		}
		s.WriteString("\n")
	} else {
		// The go command stamps the commit with -buildvcs=true (make build)
		// in a git clone; not from a source archive or a git worktree.
		s.WriteString("commit unknown (not built by make build in a git clone)\n")
	}
	if b.Go != "" {
		fmt.Fprintf(&s, "built with %s\n", b.Go)
	}
	return s.String()
}

func runVersion(ctx context.Context, env environment, args []string) error {
	fs := newFlagSet(env, "version", "Prints the version of this build, the commit it was built from (and whether the checkout had uncommitted changes) and the Go version.")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	_, err := fmt.Fprint(env.stdout, readBuild())
	return err
}
