package messages

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// sourceDirs are the packages whose messages reach people.
var sourceDirs = []string{"../../api", "../registry", "../export", "../store", "../auth", "../accounts", "../console", "../importfile", "../problem", "../../cmd/registry"}

// formatArg is, for each function that makes a message from an English
// format, the index of that format among its arguments.
var formatArg = map[string]int{"Errorf": 1, "Fieldf": 2, "fail": 2, "malformed": 0, "detailf": 0, "Sprintf": 1}

// sourceMessages returns every literal message of the program's source:
// formats given to Errorf, Fieldf, fail, malformed, detailf and a
// catalogue's Sprintf, and the literal
// Message of a FieldError or Error, with the file and line of each.
func sourceMessages(t *testing.T) map[string]string {
	t.Helper()
	found := map[string]string{}
	fset := token.NewFileSet()
	for _, dir := range sourceDirs {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() && path != dir {
				return err
			}
			if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					if i, ok := formatArg[calleeName(n.Fun)]; ok && i < len(n.Args) {
						// fmt.Errorf and the like are no messages of ours.
						if sel, ok := n.Fun.(*ast.SelectorExpr); ok {
							if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "fmt" {
								return true
							}
						}
						if s, ok := stringLit(n.Args[i]); ok {
							found[s] = fset.Position(n.Pos()).String()
						}
					}
				case *ast.KeyValueExpr:
					if k, ok := n.Key.(*ast.Ident); ok && k.Name == "Message" {
						if s, ok := stringLit(n.Value); ok {
							found[s] = fset.Position(n.Pos()).String()
						}
					}
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return found
}

func calleeName(fun ast.Expr) string {
	switch f := fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	}
	return ""
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}
