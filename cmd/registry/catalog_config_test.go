package main

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hanoicreative/registry/internal/linkeddata"
)

// The catalogue's settings default to what the catalogue says unset, and
// refuse what is not a URL or an e-mail address.
func TestCatalogSettings(t *testing.T) {
	env, _, _ := testEnv(nil)
	fs := newFlagSet(env, "serve", "")
	var cfg serveConfig
	flags := registerConfig(fs, &cfg)
	if err := parseArgs(fs, nil); err != nil {
		t.Fatal(err)
	}
	if err := flags.load(env.getenv, &cfg); err != nil {
		t.Fatal(err)
	}
	if got := cfg.info(); got != linkeddata.DefaultCatalog {
		t.Errorf("defaults %+v, the catalogue's %+v", got, linkeddata.DefaultCatalog)
	}
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "never.db")
	for name, want := range map[string]string{
		"CATALOG_LICENSE=cc-by-4.0":                  `CATALOG_LICENSE="cc-by-4.0" is not valid: use an absolute http or https URL`,
		"CATALOG_PUBLISHER_URL=ftp://example.vn":     `CATALOG_PUBLISHER_URL="ftp://example.vn" is not valid`,
		"CATALOG_CONTACT_EMAIL=Ops <ops@example.vn>": `CATALOG_CONTACT_EMAIL="Ops <ops@example.vn>" is not valid: use an e-mail address`,
	} {
		k, v, _ := strings.Cut(name, "=")
		env, out, errOut := testEnv(map[string]string{"DATABASE_URL": dsn, k: v})
		if code := exitCode(env, run(context.Background(), env, nil)); code != 2 || out.Len() != 0 || !strings.Contains(errOut.String(), want) {
			t.Errorf("%s: exit %d, stderr:\n%s", name, code, errOut)
		}
	}
}

// serve hands PUBLIC_URL and the catalogue's settings to the API.
func TestServeCatalogue(t *testing.T) {
	vars := map[string]string{"PUBLIC_URL": "https://registry.example.vn/", "CATALOG_TITLE_EN": "Creative Hanoi",
		"CATALOG_LICENSE": "https://creativecommons.org/publicdomain/zero/1.0/", "CATALOG_CONTACT_EMAIL": "opendata@example.vn"}
	stop := startServe(t, vars)
	resp, err := http.Get("http://" + vars["LISTEN_ADDR"] + "/v1/catalog")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var cat linkeddata.Catalog
	if err := json.NewDecoder(resp.Body).Decode(&cat); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("%d: %v", resp.StatusCode, err)
	}
	ds := cat.Dataset[0]
	if cat.ID != "https://registry.example.vn/v1/catalog" || cat.Title[1].Value != "Creative Hanoi" ||
		cat.License.ID != vars["CATALOG_LICENSE"] || ds.ContactPoint == nil || ds.ContactPoint.HasEmail.ID != "mailto:opendata@example.vn" {
		t.Errorf("catalogue %+v", cat)
	}
	if log, err := stop(); err != nil {
		t.Fatalf("%v\n%s", err, log)
	}
}
