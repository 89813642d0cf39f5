package main

import (
	"context"
	"fmt"
	"runtime/debug"
)

// buildVersion is set at link time: -ldflags "-X main.buildVersion=v1.2.3".
var buildVersion string

func version() string {
	if buildVersion != "" {
		return buildVersion
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

func runVersion(ctx context.Context, env environment, args []string) error {
	fs := newFlagSet(env, "version", "Prints the version of this build.")
	if err := fs.Parse(args); err != nil {
		return err
	}
	_, err := fmt.Fprintln(env.stdout, version())
	return err
}
