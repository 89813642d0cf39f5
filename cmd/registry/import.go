package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"strings"

	"github.com/hanoicreative/registry/api"
	"github.com/hanoicreative/registry/internal/registry"
)

func runImport(ctx context.Context, env environment, args []string) error {
	fs := newFlagSet(env, "import", "Imports FILE into the configured database, all or nothing: CSV with the columns of the CSV export (FILE.csv) or a JSON array of entities (FILE.json), as POST /v1/imports takes them. Rows are matched by slug; matches are updated (with revisions), others created. Usage: registry import [flags] FILE")
	var db dbFlags
	db.register(fs, env)
	dryRun := fs.Bool("dry-run", false, "check everything, write nothing")
	format := fs.String("format", "", "csv or json (default: from the file's extension)")
	actor := fs.String("actor", defaultActor(), "the name recorded as the actor of the changes")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("import needs one FILE")
	}
	path := fs.Arg(0)
	mediaType, err := importMediaType(path, *format)
	if err != nil {
		return err
	}
	body, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	store, w, err := db.open(ctx, env)
	if err != nil {
		return err
	}
	defer store.Close()

	rows, err := api.ParseImport(body, mediaType)
	if err != nil {
		return reportImportErrors(env.stderr, err)
	}
	res, err := registry.NewService(store, w).Import(ctx, *actor, rows, *dryRun, progress(env, len(rows), "importing"))
	if err != nil {
		return reportImportErrors(env.stderr, err)
	}
	verb := "imported"
	if *dryRun {
		verb = "dry run, nothing written; would import"
	}
	fmt.Fprintf(env.stdout, "%s %d rows from %s: %d created, %d updated, %d unchanged\n",
		verb, len(rows), filepath.Base(path), res.Created, res.Updated, res.Unchanged)
	return nil
}

func importMediaType(path, format string) (string, error) {
	if format == "" {
		format = strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	}
	switch format {
	case "csv":
		return "text/csv", nil
	case "json":
		return "application/json", nil
	}
	return "", fmt.Errorf("cannot tell the format of %s: name it .csv or .json, or give --format", path)
}

// reportImportErrors lists every failing field of every row.
func reportImportErrors(w io.Writer, err error) error {
	e := registry.AsError(err)
	if e.Code != registry.EINVALID || len(e.Fields) == 0 {
		return describe(err)
	}
	for _, f := range e.Fields {
		row := ""
		if f.Row != nil {
			row = fmt.Sprintf("row %d: ", *f.Row)
		}
		field := f.Field
		if field == "" {
			field = "(row)"
		}
		fmt.Fprintf(w, "%s%s: %s\n", row, field, f.Message)
	}
	return fmt.Errorf("nothing imported: %d errors", len(e.Fields))
}

func defaultActor() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return "cli:" + u.Username
	}
	return "cli"
}
