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

	"golang.org/x/text/language"

	"github.com/hanoicreative/registry/api"
	"github.com/hanoicreative/registry/internal/importfile"
	"github.com/hanoicreative/registry/internal/messages"
	"github.com/hanoicreative/registry/internal/registry"
)

func runImport(ctx context.Context, env environment, args []string) error {
	fs := newFlagSet(env, "import", "Imports FILE into the configured database, all or nothing: CSV with the columns of the CSV export (FILE.csv) or a JSON array of entities (FILE.json), as POST /v1/imports takes them. Rows are matched by slug; matches are updated (with revisions), others created. Usage: registry import [flags] FILE")
	var db dbFlags
	db.register(fs, env)
	dryRun := fs.Bool("dry-run", false, "check everything, write nothing")
	format := fs.String("format", "", "csv or json (default: from the file's extension; .tsv and .txt, tab-separated or Excel's Unicode Text, are read as csv)")
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

	msgs := messages.New()
	lang := msgs.Locale(locale(env))
	rows, err := importfile.Read(body, mediaType, api.ReadJSONRows)
	if err != nil {
		return reportImportErrorsIn(env.stderr, msgs, lang, importfile.Errors(err, mediaType))
	}
	res, err := registry.NewService(store, w).Import(ctx, *actor, rows, *dryRun, progress(env, len(rows), "importing"))
	if err != nil {
		return reportImportErrorsIn(env.stderr, msgs, lang, importfile.Errors(err, mediaType))
	}
	// A bulk load refreshes the statistics in the background; closing the
	// store would stop that.
	if err := store.WaitAnalyzed(ctx); err != nil {
		return err
	}
	summary := "imported %d rows from %s: %d created, %d updated, %d unchanged"
	if *dryRun {
		summary = "dry run, nothing written; would import %d rows from %s: %d created, %d updated, %d unchanged"
	}
	fmt.Fprintln(env.stdout, msgs.Sprintf(lang, summary, len(rows), filepath.Base(path), res.Created, res.Updated, res.Unchanged))
	return nil
}

// locale is the user's locale, as the C library reads it.
func locale(env environment) string {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := env.getenv(name); v != "" {
			return v
		}
	}
	return ""
}

func importMediaType(path, format string) (string, error) {
	if format == "" {
		format = strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	}
	switch format {
	case "csv", "tsv", "txt": // Excel saves "Unicode Text" as .txt
		return "text/csv", nil
	case "json":
		return "application/json", nil
	}
	return "", fmt.Errorf("cannot tell the format of %s: name it .csv (.tsv, .txt) or .json, or give --format", path)
}

// reportImportErrors lists every failing field of every row.
func reportImportErrors(w io.Writer, err error) error {
	return reportImportErrorsIn(w, messages.New(), messages.English, err)
}

// reportImportErrorsIn lists them in lang.
func reportImportErrorsIn(w io.Writer, msgs *messages.Catalogue, lang language.Tag, err error) error {
	if registry.ErrorCode(err) == registry.EINTERNAL {
		return err
	}
	e := msgs.Error(lang, err)
	if e.Code != registry.EINVALID || len(e.Fields) == 0 {
		return describe(e)
	}
	for _, f := range e.Fields {
		row := ""
		if f.Row != nil {
			row = msgs.Sprintf(lang, "row %d: ", *f.Row)
		}
		field := f.Field
		if field == "" {
			field = msgs.Text(lang, "(row)")
		}
		fmt.Fprintf(w, "%s%s: %s\n", row, field, f.Message)
	}
	return errors.New(msgs.Sprintf(lang, "nothing imported: %d errors", len(e.Fields)))
}

func defaultActor() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return "cli:" + u.Username
	}
	return "cli"
}
