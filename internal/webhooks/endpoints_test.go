package webhooks_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/hanoicreative/registry/api"
	"github.com/hanoicreative/registry/internal/store/storetest"
	"github.com/hanoicreative/registry/internal/webhooks"
)

// private is the options of a test whose receivers are on loopback.
var private = webhooks.Options{AllowPrivate: true}

func TestEndpointsOverTheAPI(t *testing.T) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		in := start(t, dsn, private)
		created := in.register("http://127.0.0.1:9/hook", "entity.created", "entity.archived")
		if !strings.HasPrefix(created.Secret, "whsec_") || len(created.Secret) != len("whsec_")+44 {
			t.Fatalf("secret %q is not whsec_ and the base64 of 32 bytes", created.Secret)
		}
		if created.URL != "http://127.0.0.1:9/hook" || len(created.Events) != 2 || created.Disabled {
			t.Fatalf("created %+v", created)
		}
		// The secret is shown only on creation and rotation.
		got := in.do("GET", "/v1/webhooks/"+created.ID, nil, http.StatusOK)
		if strings.Contains(string(got), "whsec_") || strings.Contains(string(got), "secret") {
			t.Fatalf("GET shows the secret: %s", got)
		}
		var list api.WebhookList
		json.Unmarshal(in.do("GET", "/v1/webhooks", nil, http.StatusOK), &list)
		if len(list.Data) != 1 || list.Data[0].ID != created.ID {
			t.Fatalf("list %+v", list)
		}
		// Omitted events mean all of them.
		all := in.register("http://127.0.0.1:9/all")
		if len(all.Events) != 4 {
			t.Fatalf("events %v, want the four types", all.Events)
		}

		var patched api.Webhook
		json.Unmarshal(in.do("PATCH", "/v1/webhooks/"+created.ID, map[string]any{"disabled": true, "description": "paused"}, http.StatusOK), &patched)
		if !patched.Disabled || patched.DisabledReason != "manual" || patched.Description != "paused" || patched.URL != created.URL {
			t.Fatalf("patched %+v", patched)
		}
		var enabled api.Webhook
		json.Unmarshal(in.do("PATCH", "/v1/webhooks/"+created.ID, map[string]any{"disabled": false}, http.StatusOK), &enabled)
		if enabled.Disabled || enabled.DisabledReason != "" {
			t.Fatalf("re-enabled %+v", enabled)
		}

		var rotated api.NewWebhook
		json.Unmarshal(in.do("POST", "/v1/webhooks/"+created.ID+"/rotate-secret", nil, http.StatusOK), &rotated)
		if !strings.HasPrefix(rotated.Secret, "whsec_") || rotated.Secret == created.Secret {
			t.Fatalf("rotated secret %q", rotated.Secret)
		}

		// Invalid input: every failing field, with stable codes.
		body := in.do("POST", "/v1/webhooks", map[string]any{"url": "ftp://example.org/x", "events": []string{"entity.deleted"}}, http.StatusUnprocessableEntity)
		for _, want := range []string{`"field":"url"`, `"field":"events"`} {
			if !strings.Contains(string(body), want) {
				t.Fatalf("problem lacks %s: %s", want, body)
			}
		}
		in.do("GET", "/v1/webhooks/0193b0c4-5d1e-7c2a-9f00-3c1d2e4f5a6b", nil, http.StatusNotFound)
		in.do("GET", "/v1/webhooks/not-an-id", nil, http.StatusNotFound)

		in.do("DELETE", "/v1/webhooks/"+created.ID, nil, http.StatusNoContent)
		in.do("GET", "/v1/webhooks/"+created.ID, nil, http.StatusNotFound)
		in.do("DELETE", "/v1/webhooks/"+created.ID, nil, http.StatusNotFound)

		// Editors may not manage webhooks.
		req, _ := http.NewRequest("GET", in.url+"/v1/webhooks", nil)
		req.Header.Set("Authorization", "Bearer "+in.edit)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("editor: status %d, want 403", res.StatusCode)
		}
	})
}

// Without WEBHOOK_ALLOW_PRIVATE, registration takes https on public hosts only.
func TestRegistrationRefusesPrivateTargets(t *testing.T) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		in := start(t, dsn, webhooks.Options{})
		for _, url := range []string{"http://partner.example.org/hook", "https://127.0.0.1/hook", "https://10.1.2.3/hook",
			"https://[::1]/hook", "https://169.254.169.254/latest", "https://localhost/hook", "https://192.168.1.1/"} {
			body := in.do("POST", "/v1/webhooks", map[string]any{"url": url}, http.StatusUnprocessableEntity)
			if !strings.Contains(string(body), `"field":"url"`) {
				t.Fatalf("%s: %s", url, body)
			}
		}
		in.register("https://partner.example.org/hook")
	})
}

// Instances starting together migrate River's tables without tripping
// over each other, and migrating again changes nothing.
func TestQueueMigratesConcurrently(t *testing.T) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		db, _ := storetest.Open(t, dsn)
		errs := make(chan error, 3)
		for range 3 {
			go func() { errs <- webhooks.Migrate(context.Background(), db) }()
		}
		for range 3 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		if err := webhooks.Migrate(context.Background(), db); err != nil {
			t.Fatal(err)
		}
	})
}
