package api_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hanoicreative/registry/api"
	"github.com/hanoicreative/registry/docs"
	"github.com/hanoicreative/registry/internal/auth"
)

// TestEveryWriteNeedsTheRightKey tries every write endpoint with no key, a
// malformed key, an unknown key, a revoked key, an editor and an admin key.
func TestEveryWriteNeedsTheRightKey(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		revoked := c.newKey("revoked", auth.Editor)
		keys, _ := c.keys.Keys(context.Background())
		for _, k := range keys {
			if k.Name == "revoked" {
				if _, err := c.keys.Revoke(context.Background(), k.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		unknown := "hcr_0123456789abcdef0123456789abcdef_" + strings.Repeat("A", 43)
		type endpoint struct {
			method, path, body string
			headers            []string
			editorOK, adminOK  int // statuses for an editor and an admin key
		}
		n := 0
		// Each call gets a fresh entity so that every allowed call succeeds.
		fresh := func() string {
			n++
			return c.create(valid(fmt.Sprintf("Khoá %d", n))).ID
		}
		endpoints := func() []endpoint {
			id := fresh()
			archived := fresh()
			c.do("DELETE", "/v1/entities/"+archived, nil, "If-Match", `"1"`).want(http.StatusNoContent)
			return []endpoint{
				{"POST", "/v1/entities", fmt.Sprintf(`{"name":"Mới %d","kind":"designer","sectors":["design"]}`, n), nil, 201, 201},
				{"PATCH", "/v1/entities/" + id, `{"description":"sửa"}`, []string{"If-Match", `"1"`}, 200, 200},
				{"DELETE", "/v1/entities/" + id, "", []string{"If-Match", `"2"`}, 204, 204},
				{"POST", "/v1/entities/" + archived + "/restore", "", nil, 200, 200},
				{"GET", "/v1/keys", "", nil, 403, 200},
				{"POST", "/v1/keys", fmt.Sprintf(`{"name":"k%d","role":"editor"}`, n), nil, 403, 201},
				{"GET", "/v1/entities?status=all", "", nil, 200, 200},
			}
		}
		creds := []struct {
			name, auth string
			status     func(endpoint) int
		}{
			{"none", "", func(endpoint) int { return 401 }},
			{"not bearer", "Basic dXNlcjpwYXNz", func(endpoint) int { return 401 }},
			{"malformed", "Bearer hello", func(endpoint) int { return 401 }},
			{"unknown", "Bearer " + unknown, func(endpoint) int { return 401 }},
			{"revoked", "Bearer " + revoked, func(endpoint) int { return 401 }},
			{"editor", "Bearer " + c.editor, func(e endpoint) int { return e.editorOK }},
			{"admin", "Bearer " + c.admin, func(e endpoint) int { return e.adminOK }},
		}
		for _, cred := range creds {
			for i, e := range endpoints() {
				var body any
				if e.body != "" {
					body = e.body
				}
				// Run the admin's key creation under the admin's name once only.
				res := c.do(e.method, e.path, body, append([]string{"Authorization", cred.auth}, e.headers...)...)
				want := cred.status(e)
				if res.status != want {
					t.Errorf("%s key, endpoint %d %s %s: status %d, want %d: %s", cred.name, i, e.method, e.path, res.status, want, res.body)
					continue
				}
				if want == 401 {
					p := res.problem(401)
					if res.header.Get("WWW-Authenticate") == "" || p.Type != "/problems/unauthorized" {
						t.Errorf("401 without WWW-Authenticate: %+v", res.header)
					}
				}
				if want == 403 {
					res.problem(403)
				}
			}
		}
		// A bad key is refused on public reads too; no key is fine.
		c.do("GET", "/v1/sectors", nil, "Authorization", "Bearer "+revoked).problem(401)
		c.do("GET", "/v1/sectors", nil).want(200)

		// The revision's actor is the key's name.
		e := c.do("POST", "/v1/entities", valid("Ai Làm"), "Authorization", "Bearer "+c.admin).want(201).entity()
		var hist api.RevisionList
		c.do("GET", "/v1/entities/"+e.ID+"/history", nil).want(200).decode(&hist)
		if hist.Data[0].Actor != c.adminName {
			t.Errorf("actor %q", hist.Data[0].Actor)
		}
	})
}

func TestKeysAPI(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		admin := []string{"Authorization", "Bearer " + c.admin}
		res := c.do("POST", "/v1/keys", `{"name":"Sở VH editor","role":"editor"}`, admin...).want(201)
		var created api.NewAPIKey
		res.decode(&created)
		if !strings.HasPrefix(created.Secret, "hcr_") || created.Role != "editor" || res.header.Get("Location") != "/v1/keys/"+created.ID {
			t.Fatalf("created %s", res.body)
		}
		c.do("POST", "/v1/keys", `{"name":"Sở VH editor","role":"editor"}`, admin...).problem(409)
		p := c.do("POST", "/v1/keys", `{"name":"","role":"owner","x":1}`, admin...).problem(422)
		if codes := fieldCodes(p); codes["name"] != "required" || codes["role"] != "oneof" || codes["x"] != "unknown" {
			t.Errorf("codes %v", codes)
		}
		// The new key works, is listed without its secret, and stops working once revoked.
		newKey := []string{"Authorization", "Bearer " + created.Secret}
		c.do("POST", "/v1/entities", valid("Bằng Khoá Mới"), newKey...).want(201)
		list := c.do("GET", "/v1/keys", nil, admin...).want(200)
		if strings.Contains(string(list.body), created.Secret) || strings.Contains(string(list.body), "secret") {
			t.Fatal("a secret is listed")
		}
		var keys api.APIKeyList
		list.decode(&keys)
		if keys.Data[0].Name != "Sở VH editor" || keys.Data[0].RevokedAt != nil {
			t.Errorf("listed %+v", keys.Data[0])
		}
		// The use is recorded in the background, soon.
		for deadline := time.Now().Add(5 * time.Second); keys.Data[0].LastUsedAt == nil; {
			if time.Now().After(deadline) {
				t.Fatalf("last_used_at not recorded: %+v", keys.Data[0])
			}
			time.Sleep(50 * time.Millisecond)
			c.do("GET", "/v1/keys", nil, admin...).want(200).decode(&keys)
		}
		c.do("DELETE", "/v1/keys/"+created.ID, nil, admin...).want(204)
		c.do("DELETE", "/v1/keys/"+created.ID, nil, admin...).want(204)
		c.do("DELETE", "/v1/keys/not-a-key", nil, admin...).problem(404)
		c.do("POST", "/v1/entities", valid("Sau Khi Thu Hồi"), newKey...).problem(401)
	})
}

// TestConcurrentPatchOneWins: of N PATCHes with the same If-Match, exactly
// one succeeds, the others get 412, and one revision is recorded.
func TestConcurrentPatchOneWins(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		e := c.create(valid("Đua"))
		const n = 12
		statuses := make([]int, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses[i] = c.do("PATCH", "/v1/entities/"+e.ID, fmt.Sprintf(`{"description":"writer %d"}`, i), "If-Match", `"1"`).status
			}()
		}
		wg.Wait()
		count := map[int]int{}
		for _, s := range statuses {
			count[s]++
		}
		if count[200] != 1 || count[412] != n-1 {
			t.Fatalf("statuses %v: want one 200 and %d 412", count, n-1)
		}
		var hist api.RevisionList
		c.do("GET", "/v1/entities/"+e.ID+"/history", nil).want(200).decode(&hist)
		if len(hist.Data) != 2 || hist.Data[0].Version != 2 {
			t.Fatalf("history %+v", hist.Data)
		}
	})
}

func TestIdempotencyKey(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		body := `{"name":"Một Lần","kind":"designer","sectors":["design"]}`
		first := c.do("POST", "/v1/entities", body, "Idempotency-Key", "abc-1").want(201)
		again := c.do("POST", "/v1/entities", body, "Idempotency-Key", "abc-1").want(201)
		if !bytes.Equal(first.body, again.body) || again.header.Get("Location") != first.header.Get("Location") ||
			again.header.Get("ETag") != first.header.Get("ETag") || again.header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("replay differs:\n%s\n%s", first.body, again.body)
		}
		// Same key, other body: 422. Other key, same body: a new request (here a taken slug).
		p := c.do("POST", "/v1/entities", `{"name":"Khác","kind":"designer","sectors":["design"]}`, "Idempotency-Key", "abc-1").problem(422)
		if fieldCodes(p)["Idempotency-Key"] != "reused" {
			t.Errorf("%+v", p)
		}
		c.do("POST", "/v1/entities", body, "Idempotency-Key", "abc-2").problem(409)
		// Errors are replayed too (a 4xx is a final answer).
		bad := `{"name":""}`
		e1 := c.do("POST", "/v1/entities", bad, "Idempotency-Key", "bad-1").problem(422)
		e2 := c.do("POST", "/v1/entities", bad, "Idempotency-Key", "bad-1")
		if e2.status != 422 || e2.header.Get("Idempotent-Replayed") != "true" || e1.RequestID == "" {
			t.Errorf("replayed error: %d %s", e2.status, e2.body)
		}
		// Keys belong to the API key that sent them.
		other := c.newKey("other-editor", auth.Editor)
		c.do("POST", "/v1/entities", `{"name":"Của Người Khác","kind":"designer","sectors":["design"]}`,
			"Idempotency-Key", "abc-1", "Authorization", "Bearer "+other).want(201)
		c.do("POST", "/v1/entities", body, "Idempotency-Key", strings.Repeat("x", 300)).problem(400)

		// Concurrent retries with one key create exactly one entity.
		const n = 10
		results := make([]*response, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i] = c.do("POST", "/v1/entities", `{"name":"Đồng Thời","kind":"designer","sectors":["design"]}`, "Idempotency-Key", "race-1")
			}()
		}
		wg.Wait()
		for _, r := range results {
			if r.status != 201 || !bytes.Equal(r.body, results[0].body) {
				t.Fatalf("concurrent retry: %d %s", r.status, r.body)
			}
		}
		var list api.EntityList
		c.do("GET", "/v1/entities?q=dong+thoi", nil).want(200).decode(&list)
		if list.Page.Total != 1 {
			t.Fatalf("%d entities made by concurrent retries, want 1", list.Page.Total)
		}
	})
}

func TestRateLimitCORSSecurityHeadersMetrics(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		c = serve(t, c.db, api.Config{OpenAPI: docs.OpenAPI3, RateLimit: &api.RateLimit{Requests: 3, Per: time.Minute},
			CORSOrigins: []string{"https://map.example.vn"}})
		// The anonymous client (by address) has 3 requests a minute.
		for i := 3; i > 0; i-- {
			res := c.do("GET", "/v1/kinds", nil).want(200)
			if res.header.Get("RateLimit-Limit") != "3" || res.header.Get("RateLimit-Remaining") != strconv.Itoa(i-1) || res.header.Get("RateLimit-Reset") == "" {
				t.Fatalf("headers %v", res.header)
			}
		}
		res := c.do("GET", "/v1/kinds", nil)
		res.problem(429)
		if ra, err := strconv.Atoi(res.header.Get("Retry-After")); err != nil || ra < 1 || ra > 20 {
			t.Fatalf("Retry-After %q", res.header.Get("Retry-After"))
		}
		// A key has its own budget; bad keys are counted against the address.
		c.do("GET", "/v1/kinds", nil, "Authorization", "Bearer "+c.editor).want(200)
		c.do("GET", "/v1/kinds", nil, "Authorization", "Bearer nonsense").problem(429)

		// CORS: the partner's origin is allowed, others are not.
		pre := c.do("OPTIONS", "/v1/entities", nil, "Origin", "https://map.example.vn", "Access-Control-Request-Method", "PATCH",
			"Access-Control-Request-Headers", "If-Match, Authorization", "Authorization", "Bearer "+c.admin)
		if pre.header.Get("Access-Control-Allow-Origin") != "https://map.example.vn" || !strings.Contains(pre.header.Get("Access-Control-Allow-Headers"), "If-Match") {
			t.Errorf("preflight: %d %v", pre.status, pre.header)
		}
		got := c.do("GET", "/v1/kinds", nil, "Origin", "https://map.example.vn", "Authorization", "Bearer "+c.admin)
		if got.header.Get("Access-Control-Allow-Origin") != "https://map.example.vn" || !strings.Contains(got.header.Get("Access-Control-Expose-Headers"), "ETag") {
			t.Errorf("CORS headers: %v", got.header)
		}
		evil := c.do("GET", "/v1/kinds", nil, "Origin", "https://evil.example", "Authorization", "Bearer "+c.admin)
		if evil.header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("unknown origin allowed")
		}
		// Security headers on every response, errors included.
		for _, r := range []*response{got, c.do("GET", "/nope", nil, "Authorization", "Bearer "+c.admin)} {
			for _, h := range []string{"X-Content-Type-Options", "Content-Security-Policy", "Referrer-Policy", "X-Frame-Options"} {
				if r.header.Get(h) == "" {
					t.Errorf("%d response without %s", r.status, h)
				}
			}
		}
		// Metrics: request counts by route and status, pool stats, no secrets.
		m := c.scrape()
		for _, want := range []string{`registry_http_requests_total{method="GET",route="/v1/kinds",status="429"} 2`,
			"registry_http_request_duration_seconds_bucket", `go_sql_max_open_connections{db_name="registry"}`, "go_goroutines",
			"registry_index_ready 1", "registry_index_entities ", "registry_response_cache_max_bytes 0"} {
			if !strings.Contains(m, want) {
				t.Errorf("metrics lack %s", want)
			}
		}
		if strings.Contains(m, c.admin) || strings.Contains(m, c.editor) {
			t.Error("metrics expose a key")
		}
	})
}

func TestDefaultsAreClosed(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		// No CORS allow-list by default; no rate limit headers when off.
		res := c.do("GET", "/v1/kinds", nil, "Origin", "https://map.example.vn")
		if res.header.Get("Access-Control-Allow-Origin") != "" || res.header.Get("RateLimit-Limit") != "" {
			t.Errorf("headers %v", res.header)
		}
	})
}
