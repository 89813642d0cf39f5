package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hanoicreative/registry/internal/accounts"
	"github.com/hanoicreative/registry/internal/pgtest"
	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/store/storetest"
)

var pg *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, &pg)) }

func TestUsersHelp(t *testing.T) {
	for _, args := range [][]string{{"users", "--help"}, {"users", "create", "--help"}, {"users", "list", "-h"}, {"users", "disable", "--help"}, {"users", "enable", "--help"}, {"users", "reset-password", "--help"}} {
		env, out, errOut := testEnv(nil)
		err := run(context.Background(), env, args)
		if !errors.Is(err, flag.ErrHelp) || exitCode(env, err) != 0 || !strings.Contains(out.String(), "Usage: registry users") || errOut.Len() != 0 {
			t.Errorf("%v: %v\nstdout: %s\nstderr: %s", args, err, out, errOut)
		}
	}
	env, out, _ := testEnv(nil)
	run(context.Background(), env, []string{"users", "create", "--help"})
	for _, want := range []string{"-password-stdin", "-public-url", "PUBLIC_URL", "http://localhost:8080"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("users create --help lacks %q", want)
		}
	}
	for _, args := range [][]string{{"users"}, {"users", "frobnicate"}, {"users", "disable"}, {"users", "list", "--public-url", "ftp://example.vn"}} {
		env, out, errOut := testEnv(nil)
		if code := exitCode(env, run(context.Background(), env, args)); code != 2 || out.Len() != 0 {
			t.Errorf("%v: exit %d\nstdout: %s\nstderr: %s", args, code, out, errOut)
		}
	}
}

var linkPattern = regexp.MustCompile(`^https://registry\.example\.vn/hanoi/console/set-password\?token=([A-Za-z0-9_-]{43})\n$`)

func TestUsersCommands(t *testing.T) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		ctx := context.Background()
		vars := map[string]string{"DATABASE_URL": dsn, "PUBLIC_URL": "https://registry.example.vn/hanoi/", "LOG_LEVEL": "warn"}
		users := func(stdin string, args ...string) (string, string, error) {
			t.Helper()
			env, out, errOut := testEnv(vars)
			env.stdin = strings.NewReader(stdin)
			err := run(ctx, env, append([]string{"users"}, args...))
			return out.String(), errOut.String(), err
		}

		// The first admin, with a password from standard input.
		out, errOut, err := users("Hồ Gươm vào thu 2026\n", "create", "--email", "Lan@Example.vn", "--name", "Nguyễn Thị Lan", "--role", "admin", "--password-stdin")
		if err != nil || out != "" || !strings.Contains(errOut, `created admin account "Nguyễn Thị Lan" <Lan@Example.vn>`) {
			t.Fatalf("create with a password: %v\nstdout: %s\nstderr: %s", err, out, errOut)
		}
		// An editor, with a one-time link alone on standard output.
		out, errOut, err = users("", "create", "--email", "minh@example.vn", "--name", "Trần Minh", "--role", "editor")
		m := linkPattern.FindStringSubmatch(out)
		if err != nil || m == nil || !strings.Contains(errOut, "works once") {
			t.Fatalf("create with a link: %v\nstdout: %s\nstderr: %s", err, out, errOut)
		}
		link := m[1]

		// Refusals say why: a common password, a taken address (in any case), bad fields.
		for _, c := range []struct {
			stdin string
			args  []string
			want  string
		}{
			{"password123\n", []string{"create", "--email", "x@example.vn", "--name", "X", "--password-stdin"}, "most common passwords"},
			{"", []string{"create", "--email", "x@example.vn", "--name", "X", "--password-stdin"}, "standard input is empty"},
			{"", []string{"create", "--email", "LAN@example.VN", "--name", "Lan"}, "already"},
			{"", []string{"create", "--email", "not an address", "--name", "", "--role", "owner"}, "email must be an email address. name is required. role must be editor or admin."},
			{"", []string{"disable", "nobody@example.vn"}, `There is no account "nobody@example.vn".`},
		} {
			out, _, err := users(c.stdin, c.args...)
			if err == nil || !strings.Contains(err.Error(), c.want) || out != "" {
				t.Errorf("%v: %v (stdout %q), want %q", c.args, err, out, c.want)
			}
		}
		// In Vietnamese, for a Vietnamese locale.
		vars["LANG"] = "vi_VN.UTF-8"
		if _, _, err := users("", "disable", "nobody@example.vn"); err == nil || !strings.Contains(err.Error(), "Không có tài khoản") {
			t.Errorf("in Vietnamese: %v", err)
		}
		delete(vars, "LANG")

		db, _ := storetest.Open(t, dsn)
		staff := accounts.NewService(db, accounts.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		signIn := func(email, password string) (string, error) {
			_, token, err := staff.SignIn(ctx, email, password, "")
			return token, err
		}
		if _, err := signIn("lan@example.vn", "Hồ Gươm vào thu 2026"); err != nil {
			t.Fatalf("the admin signs in: %v", err)
		}
		list, _, err := users("", "list")
		if err != nil || !regexp.MustCompile(`(?m)^\S+\s+Lan@Example.vn\s+Nguyễn Thị Lan\s+admin\s+\S+\s+set\s+active$`).MatchString(list) ||
			!regexp.MustCompile(`(?m)^\S+\s+minh@example.vn\s+Trần Minh\s+editor\s+\S+\s+not set\s+active$`).MatchString(list) {
			t.Fatalf("list: %v\n%s", err, list)
		}
		// The link sets the editor's password, once.
		if _, err := staff.SetPasswordWithToken(ctx, link, "một mật khẩu dài 2026"); err != nil {
			t.Fatal(err)
		}
		if _, err := staff.SetPasswordWithToken(ctx, link, "một mật khẩu khác 2026"); registry.ErrorCode(err) != registry.ENOTFOUND {
			t.Errorf("the link used twice: %v", err)
		}
		session, err := signIn("minh@example.vn", "một mật khẩu dài 2026")
		if err != nil {
			t.Fatal(err)
		}

		// Disabling ends the editor's sessions at once; enabling lets them sign in again.
		minh, _ := staff.Find(ctx, "minh@example.vn")
		if _, errOut, err := users("", "disable", minh.ID); err != nil || !strings.Contains(errOut, "disabled account") {
			t.Fatalf("disable: %v %s", err, errOut)
		}
		if _, _, err := staff.Authenticate(ctx, session); registry.ErrorCode(err) != registry.EUNAUTHORIZED {
			t.Errorf("a session of a disabled account: %v", err)
		}
		if list, _, _ := users("", "list"); !strings.Contains(list, "disabled 20") {
			t.Errorf("list after disable:\n%s", list)
		}
		if _, err := signIn("minh@example.vn", "một mật khẩu dài 2026"); registry.ErrorCode(err) != registry.EFORBIDDEN {
			t.Errorf("a disabled account signs in: %v", err)
		}
		if _, _, err := users("", "enable", "MINH@example.vn"); err != nil {
			t.Fatal(err)
		}
		if _, err := signIn("minh@example.vn", "một mật khẩu dài 2026"); err != nil {
			t.Errorf("enabled: %v", err)
		}

		// reset-password prints a new link, or sets the password from standard input.
		out, _, err = users("", "reset-password", "minh@example.vn")
		if m := linkPattern.FindStringSubmatch(out); err != nil || m == nil {
			t.Fatalf("reset-password: %v %q", err, out)
		} else if _, err := staff.TokenAccount(ctx, m[1]); err != nil {
			t.Errorf("the new link: %v", err)
		}
		if _, _, err := users("Mùa thu Hà Nội 2026\r\n", "reset-password", "--password-stdin", "minh@example.vn"); err != nil {
			t.Fatal(err)
		}
		if _, err := signIn("minh@example.vn", "Mùa thu Hà Nội 2026"); err != nil {
			t.Errorf("after reset-password --password-stdin: %v", err)
		}
	})
}
