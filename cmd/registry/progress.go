package main

import (
	"os"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"
)

// progress returns a function that moves a progress bar of total steps on
// standard error, when standard error is a terminal; otherwise nil (no bar
// in logs and pipes).
func progress(env environment, total int, what string) func(done int) {
	f, ok := env.stderr.(*os.File)
	if !ok || !isatty.IsTerminal(f.Fd()) || total == 0 {
		return nil
	}
	bar := progressbar.NewOptions(total, progressbar.OptionSetWriter(env.stderr),
		progressbar.OptionSetDescription(what), progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
	return func(done int) { bar.Set(done) }
}
