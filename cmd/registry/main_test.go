package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func testEnv(vars map[string]string) (environment, *bytes.Buffer, *bytes.Buffer) {
	var out, errOut bytes.Buffer
	return environment{stdout: &out, stderr: &errOut, getenv: func(k string) string { return vars[k] }}, &out, &errOut
}

func TestHelp(t *testing.T) {
	env, out, _ := testEnv(nil)
	if err := run(context.Background(), env, []string{"--help"}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"serve", "migrate", "version", "DATABASE_URL", "LISTEN_ADDR"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("--help lacks %q:\n%s", want, out)
		}
	}
	// A command's --help goes to standard output, and is no failure.
	for _, args := range [][]string{{"serve", "--help"}, {"migrate", "-h"}, {"version", "--help"}, {"keys", "create", "--help"}, {"keys", "--help"}, {"import", "--help"}, {"seed", "-help"}} {
		env, out, errOut := testEnv(nil)
		err := run(context.Background(), env, args)
		if !errors.Is(err, flag.ErrHelp) || exitCode(env, err) != 0 || !strings.Contains(out.String(), "Usage: registry "+strings.Join(args[:len(args)-1], " ")) || errOut.Len() != 0 {
			t.Errorf("%v: %v\nstdout: %s\nstderr: %s", args, err, out, errOut)
		}
	}
	for _, args := range [][]string{{"frobnicate"}, {"serve", "--frobnicate"}, {"migrate", "--log-level"}, {"keys", "frobnicate"}} {
		env, out, errOut := testEnv(nil)
		if code := exitCode(env, run(context.Background(), env, args)); code != 2 || out.Len() != 0 || !strings.Contains(errOut.String(), "frobnicate") && !strings.Contains(errOut.String(), "log-level") {
			t.Errorf("%v: exit %d\nstdout: %s\nstderr: %s", args, code, out, errOut)
		}
	}
}

func TestMigrateThenServeAndShutDown(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "r.db")
	env, _, errOut := testEnv(map[string]string{"DATABASE_URL": dsn})
	if err := run(context.Background(), env, []string{"migrate"}); err != nil {
		t.Fatalf("migrate: %v\n%s", err, errOut)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	env, _, errOut = testEnv(map[string]string{"DATABASE_URL": dsn, "LISTEN_ADDR": addr, "METRICS_ADDR": "off"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, env, nil) }() // serve is the default
	var res *http.Response
	for i := 0; i < 100; i++ {
		if res, err = http.Get("http://" + addr + "/v1/sectors"); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET /v1/sectors: %v %v", res, err)
	}
	res.Body.Close()
	cancel() // as SIGTERM does
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not shut down")
	}
	if !strings.Contains(errOut.String(), "shutting down") {
		t.Errorf("log:\n%s", errOut)
	}
	env, _, _ = testEnv(map[string]string{"DATABASE_URL": "mysql://x"})
	if err := run(context.Background(), env, []string{"migrate"}); err == nil {
		t.Error("unsupported DATABASE_URL accepted")
	}
}

func TestKeysCommands(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "k.db")
	vars := map[string]string{"DATABASE_URL": dsn}
	env, out, errOut := testEnv(vars)
	if err := run(context.Background(), env, []string{"keys", "create", "--name", "Sở Văn hoá", "--role", "admin"}); err != nil {
		t.Fatalf("create: %v\n%s", err, errOut)
	}
	secret := strings.TrimSpace(out.String())
	if !strings.HasPrefix(secret, "hcr_") || strings.Contains(secret, "\n") {
		t.Fatalf("stdout must be the secret alone: %q", out.String())
	}
	if strings.Contains(errOut.String(), secret) {
		t.Fatal("the secret went to stderr too")
	}

	env, out, _ = testEnv(vars)
	if err := run(context.Background(), env, []string{"keys", "list"}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[1], "Sở Văn hoá") || !strings.Contains(lines[1], "admin") || strings.Contains(out.String(), secret) {
		t.Fatalf("list:\n%s", out)
	}
	id := strings.Fields(lines[1])[0]

	env, _, errOut = testEnv(vars)
	if err := run(context.Background(), env, []string{"keys", "create", "--name", "Sở Văn hoá"}); err == nil || !strings.Contains(err.Error(), "unique") {
		t.Errorf("duplicate name: %v", err)
	}
	if err := run(context.Background(), env, []string{"keys", "create", "--name", "x", "--role", "owner"}); err == nil {
		t.Error("bad role accepted")
	}
	env, _, errOut = testEnv(vars)
	if err := run(context.Background(), env, []string{"keys", "revoke", id}); err != nil || !strings.Contains(errOut.String(), "revoked") {
		t.Fatalf("revoke: %v %s", err, errOut)
	}
	env, out, _ = testEnv(vars)
	run(context.Background(), env, []string{"keys", "list"})
	if strings.Contains(strings.Split(strings.TrimSpace(out.String()), "\n")[1], " - \n") || strings.HasSuffix(strings.TrimSpace(out.String()), "-") {
		t.Errorf("revoked date missing:\n%s", out)
	}
	env, _, _ = testEnv(vars)
	if err := run(context.Background(), env, []string{"keys", "revoke", "nope"}); err == nil {
		t.Error("revoking an unknown key succeeded")
	}
	for _, args := range [][]string{{"keys"}, {"keys", "create", "--help"}, {"keys", "list", "--help"}, {"keys", "revoke", "--help"}} {
		env, _, _ := testEnv(vars)
		if err := run(context.Background(), env, args); err == nil {
			t.Errorf("%v: want usage and an error", args)
		}
	}
}

func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(dir, "i.db")}
	csvFile := filepath.Join(dir, "members.csv")
	header := "slug,name,name_en,kind,sectors,description,description_en,street,ward,city,lat,lon,website,email,phone,links,founded_year\n"
	os.WriteFile(csvFile, []byte("\uFEFF"+header+",Xưởng Gốm Bát Tràng,,artisan,crafts,,,,bat trang,,,,,,,,1998\n,Hanoi Design Lab,,creative-space,design;software-games,,,,,,,,,,,,\n"), 0o644)

	env, out, errOut := testEnv(vars)
	if err := run(context.Background(), env, []string{"import", "--dry-run", csvFile}); err != nil {
		t.Fatalf("dry run: %v\n%s", err, errOut)
	}
	if !strings.Contains(out.String(), "dry run, nothing written; would import 2 rows from members.csv: 2 created, 0 updated, 0 unchanged") {
		t.Errorf("dry run said %q", out)
	}
	env, out, _ = testEnv(vars)
	if err := run(context.Background(), env, []string{"import", "--actor", "tester", csvFile}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "imported 2 rows from members.csv: 2 created") {
		t.Errorf("import said %q", out)
	}
	env, out, _ = testEnv(vars)
	run(context.Background(), env, []string{"import", csvFile})
	if !strings.Contains(out.String(), "0 created, 0 updated, 2 unchanged") {
		t.Errorf("second import said %q", out)
	}

	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`[{"name":"Tốt","kind":"designer","sectors":["design"]},{"name":"","kind":"designer","sectors":["nope"]}]`), 0o644)
	env, _, errOut = testEnv(vars)
	err := run(context.Background(), env, []string{"import", bad})
	if err == nil || !strings.Contains(errOut.String(), "row 1: name: name is required.") || !strings.Contains(errOut.String(), "row 1: sectors[0]:") {
		t.Errorf("bad import: %v\n%s", err, errOut)
	}
	// Tab-separated, some columns only; errors name the sheet's columns.
	tsv := filepath.Join(dir, "members.tsv")
	os.WriteFile(tsv, []byte("slug\temail\nhanoi-design-lab\tnot-an-email\n"), 0o644)
	env, _, errOut = testEnv(vars)
	if err := run(context.Background(), env, []string{"import", tsv}); err == nil || !strings.Contains(errOut.String(), "row 2: email: email must be") {
		t.Errorf("bad tsv import: %v\n%s", err, errOut)
	}
	// In the user's language (LANG), with the right plural.
	vars["LANG"] = "vi_VN.UTF-8"
	env, _, errOut = testEnv(vars)
	err = run(context.Background(), env, []string{"import", bad})
	if err == nil || err.Error() != "không nhập gì: 2 lỗi" || !strings.Contains(errOut.String(), "dòng 1: name: Cần có name.") {
		t.Errorf("bad import in Vietnamese: %v\n%s", err, errOut)
	}
	one := filepath.Join(dir, "one.json")
	os.WriteFile(one, []byte(`[{"name":"Một","kind":"designer","sectors":["design"]}]`), 0o644)
	env, out, _ = testEnv(vars)
	if err := run(context.Background(), env, []string{"import", "--dry-run", one}); err != nil || !strings.Contains(out.String(), "chạy thử, không ghi gì; sẽ nhập 1 dòng từ one.json: 1 tạo mới") {
		t.Errorf("Vietnamese summary: %v %q", err, out)
	}
	delete(vars, "LANG")
	env, out, _ = testEnv(vars)
	if err := run(context.Background(), env, []string{"import", one}); err != nil || !strings.Contains(out.String(), "imported 1 row from one.json: 1 created") {
		t.Errorf("one row: %v %q", err, out)
	}
	env, _, _ = testEnv(vars)
	if err := run(context.Background(), env, []string{"import", filepath.Join(dir, "members.xlsx")}); err == nil {
		t.Error("unknown format accepted")
	}
}

func TestSeedCommand(t *testing.T) {
	vars := map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "s.db")}
	env, out, errOut := testEnv(vars)
	if err := run(context.Background(), env, []string{"seed", "--sample"}); err != nil {
		t.Fatalf("seed --sample: %v\n%s", err, errOut)
	}
	if !strings.Contains(out.String(), "seeded 250 entities: 250 created") {
		t.Errorf("said %q", out)
	}
	env, out, _ = testEnv(vars)
	if err := run(context.Background(), env, []string{"seed", "--sample"}); err != nil || !strings.Contains(out.String(), "0 created, 250 already there") {
		t.Errorf("seeding twice: %v %q", err, out)
	}
	env, out, _ = testEnv(vars)
	if err := run(context.Background(), env, []string{"seed", "--synthetic", "1500", "--seed", "3"}); err != nil || !strings.Contains(out.String(), "seeded 1500 entities: 1500 created") {
		t.Errorf("synthetic: %v %q", err, out)
	}
	env, _, _ = testEnv(vars)
	if err := run(context.Background(), env, []string{"seed"}); err == nil {
		t.Error("seed without a data set succeeded")
	}
}
