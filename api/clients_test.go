package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	// The runtime of the Go client oapi-codegen generates: imported here so
	// that go.mod pins it and the generated client builds without a network.
	_ "github.com/oapi-codegen/runtime"
	_ "github.com/oapi-codegen/runtime/types"
)

// TestGeneratedClients: a partner generates a client from the OpenAPI
// document the server serves and, with it, creates an entity (editor key),
// reads it, changes one field with a merge patch and If-Match, and finds
// it in a filtered listing; in Go (oapi-codegen, a Go tool of this module)
// and in TypeScript (openapi-typescript and openapi-fetch, checked by tsc
// and run by Node; the npm tools come from .ci/ensure-node). The clients'
// output is in the log (go test -v).
func TestGeneratedClients(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two clients: not in -short")
	}
	goClient, tsClient := generated{dir: t.TempDir()}, generated{dir: t.TempDir()}
	engines(t, func(t *testing.T, c *client) {
		spec := c.do("GET", "/openapi.json", nil).want(200).body
		env := []string{"REGISTRY_URL=" + c.url, "REGISTRY_KEY=" + c.editor}
		t.Run("go", func(t *testing.T) {
			run := goClient.get(t, spec, buildGoClient)
			runClient(t, run, append(env, "REGISTRY_NAME=Xưởng Gốm Go "+c.suffix))
		})
		t.Run("typescript", func(t *testing.T) {
			run := tsClient.get(t, spec, buildTypeScriptClient)
			runClient(t, run, append(env, "REGISTRY_NAME=Xưởng Gốm TypeScript "+c.suffix))
		})
	})
}

// generated is a client built once for each served document (the engines
// serve the same one), so that the suite builds each client once.
type generated struct {
	dir  string // where the builds go: the whole test's, not one engine's
	mu   sync.Mutex
	spec []byte
	run  []string // the command that runs the client
	err  error
}

func (g *generated) get(t *testing.T, spec []byte, build func(t *testing.T, dir string, spec []byte) ([]string, error)) []string {
	t.Helper()
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.spec == nil || !bytes.Equal(g.spec, spec) {
		g.spec = nil // a build that skips (no Node) leaves nothing to reuse
		dir, err := os.MkdirTemp(g.dir, "build")
		if err != nil {
			t.Fatal(err)
		}
		g.run, g.err = build(t, dir, spec)
		g.spec = spec
	}
	if g.err != nil {
		t.Fatal(g.err)
	}
	return g.run
}

// runClient runs a built client against the server and shows its output.
func runClient(t *testing.T, command, env []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, command[0], command[1:]...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	t.Logf("%s:\n%s", filepath.Base(command[len(command)-1]), out)
	if err != nil {
		t.Fatalf("the client failed: %v", err)
	}
}

// buildGoClient generates the package registryclient from spec with
// oapi-codegen and builds testdata/clients/go with it. The generated file
// is laid over the module (go build -overlay), never written into it.
func buildGoClient(t *testing.T, dir string, spec []byte) ([]string, error) {
	specFile := filepath.Join(dir, "openapi.json")
	if err := os.WriteFile(specFile, spec, 0o644); err != nil {
		return nil, err
	}
	gen := filepath.Join(dir, "client.gen.go")
	if out, err := command(t, "", "go", "tool", "oapi-codegen", "-generate", "types,client", "-package", "registryclient", "-o", gen, specFile); err != nil {
		return nil, errors.New("oapi-codegen: " + err.Error() + "\n" + out)
	}
	target, err := filepath.Abs(filepath.Join("testdata", "clients", "go", "registryclient", "client.gen.go"))
	if err != nil {
		return nil, err
	}
	overlay, _ := json.Marshal(map[string]map[string]string{"Replace": {target: gen}})
	overlayFile := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(overlayFile, overlay, 0o644); err != nil {
		return nil, err
	}
	bin := filepath.Join(dir, "goclient")
	if out, err := command(t, "", "go", "build", "-overlay", overlayFile, "-o", bin, "./testdata/clients/go"); err != nil {
		return nil, errors.New("the generated Go client does not build: " + err.Error() + "\n" + out)
	}
	return []string{bin}, nil
}

// buildTypeScriptClient generates schema.d.ts from spec with
// openapi-typescript, then type-checks and compiles testdata/clients/ts
// with tsc; Node runs the result.
func buildTypeScriptClient(t *testing.T, dir string, spec []byte) ([]string, error) {
	tools := nodeTools(t)
	for _, f := range []string{"client.ts", "tsconfig.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", "clients", "ts", f))
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			return nil, err
		}
	}
	files := map[string]string{
		"openapi.json": string(spec),
		"package.json": `{"private": true, "type": "module"}`,
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			return nil, err
		}
	}
	if err := os.Symlink(filepath.Join(tools, "node_modules"), filepath.Join(dir, "node_modules")); err != nil {
		return nil, err
	}
	bin := filepath.Join(tools, "node_modules", ".bin")
	if out, err := command(t, dir, filepath.Join(bin, "openapi-typescript"), "openapi.json", "--output", "schema.d.ts"); err != nil {
		return nil, errors.New("openapi-typescript: " + err.Error() + "\n" + out)
	}
	if out, err := command(t, dir, filepath.Join(bin, "tsc"), "--project", "tsconfig.json", "--noEmit"); err != nil {
		return nil, errors.New("the TypeScript client does not type-check against the generated types:\n" + out)
	}
	if out, err := command(t, dir, filepath.Join(bin, "tsc"), "--project", "tsconfig.json"); err != nil {
		return nil, errors.New("tsc: " + err.Error() + "\n" + out)
	}
	return []string{"node", filepath.Join(dir, "out", "client.js")}, nil
}

// nodeTools is .ci/node, where .ci/ensure-node installs the npm tools;
// without them (or without node) the test skips, and fails under CI.
func nodeTools(t *testing.T) string {
	t.Helper()
	tools, err := filepath.Abs(filepath.Join("..", ".ci", "node"))
	if err != nil {
		t.Fatal(err)
	}
	missing := ""
	if _, err := exec.LookPath("node"); err != nil {
		missing = "node is not installed"
	} else if _, err := os.Stat(filepath.Join(tools, "node_modules", ".bin", "tsc")); err != nil {
		missing = "the npm tools of .ci/node are not installed"
	}
	if missing != "" {
		msg := missing + ": run .ci/ensure-node (make test does)"
		if ci, _ := strconv.ParseBool(os.Getenv("CI")); ci {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return tools
}

// command runs a tool in dir (the package's directory when empty) and
// returns its output.
func command(t *testing.T, dir, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}
