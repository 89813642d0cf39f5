// Command go is a partner's first minutes with a Go client that oapi-codegen
// generated from the served OpenAPI document (api/clients_test.go generates
// the package registryclient and runs this): create an entity with an
// editor key, read it, change one field with a merge patch and If-Match,
// and find it in a filtered listing. It prints each step and exits 1 on
// the first that does not go as the document says.
//
// Usage: REGISTRY_URL=http://127.0.0.1:8080 REGISTRY_KEY=<editor key> REGISTRY_NAME=<a new name> go run .
package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"slices"

	"github.com/hanoicreative/registry/api/testdata/clients/go/registryclient"
)

func main() {
	if err := run(context.Background(), os.Getenv("REGISTRY_URL"), os.Getenv("REGISTRY_KEY"), os.Getenv("REGISTRY_NAME")); err != nil {
		fmt.Println("go client:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, url, key, name string) error {
	client, err := registryclient.NewClientWithResponses(url)
	if err != nil {
		return err
	}
	withKey := func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+key)
		return nil
	}

	created, err := client.CreateEntityWithResponse(ctx, nil, registryclient.EntityInput{
		Name: name, Kind: "artisan", Sectors: []string{"crafts"},
	}, withKey)
	if err != nil {
		return fmt.Errorf("create: %w", err)
	}
	if created.JSON201 == nil {
		return fmt.Errorf("create: %s %s", created.Status(), created.Body)
	}
	slug := *created.JSON201.Slug
	fmt.Printf("create: %s, slug %s, version %d, Location %s\n", created.Status(), slug, *created.JSON201.Version, created.HTTPResponse.Header.Get("Location"))

	read, err := client.GetEntityWithResponse(ctx, slug, nil)
	if err != nil {
		return fmt.Errorf("read: %w", err)
	}
	if read.JSON200 == nil {
		return fmt.Errorf("read: %s %s", read.Status(), read.Body)
	}
	etag := read.HTTPResponse.Header.Get("ETag")
	fmt.Printf("read: %s, name %q, ETag %s\n", read.Status(), *read.JSON200.Name, etag)

	nameEn := "Go client workshop"
	patched, err := client.PatchEntityWithApplicationMergePatchPlusJSONBodyWithResponse(ctx, slug,
		&registryclient.PatchEntityParams{IfMatch: etag}, registryclient.EntityPatch{NameEn: &nameEn}, withKey)
	if err != nil {
		return fmt.Errorf("patch: %w", err)
	}
	if patched.JSON200 == nil {
		return fmt.Errorf("patch: %s %s", patched.Status(), patched.Body)
	}
	if got := patched.JSON200.NameEn; got == nil || *got != nameEn || *patched.JSON200.Name != name {
		return fmt.Errorf("patch: the entity is now %s", patched.Body)
	}
	fmt.Printf("patch: %s, name_en %q, version %d, ETag %s\n", patched.Status(), *patched.JSON200.NameEn, *patched.JSON200.Version, patched.HTTPResponse.Header.Get("ETag"))

	limit := 5
	listed, err := client.ListEntitiesWithResponse(ctx, &registryclient.ListEntitiesParams{
		Sector: &[]string{"crafts"}, Kind: &[]string{"artisan"}, Q: &name, Limit: &limit,
	})
	if err != nil {
		return fmt.Errorf("list: %w", err)
	}
	if listed.JSON200 == nil {
		return fmt.Errorf("list: %s %s", listed.Status(), listed.Body)
	}
	var page []registryclient.Entity
	if listed.JSON200.Data != nil {
		page = *listed.JSON200.Data
	}
	found := slices.ContainsFunc(page, func(e registryclient.Entity) bool { return e.Slug != nil && *e.Slug == slug })
	if !found {
		return fmt.Errorf("list: %s does not hold %s: %s", listed.Status(), slug, listed.Body)
	}
	fmt.Printf("list sector=crafts kind=artisan q=%q: %s, %d of %d, holds %s\n", name, listed.Status(), len(page), *listed.JSON200.Page.Total, slug)
	return nil
}
