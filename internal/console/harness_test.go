package console

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hanoicreative/registry/api"
	"github.com/hanoicreative/registry/internal/accounts"
	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/pgtest"
	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/store/storetest"
)

var pg *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, &pg)) }

// env is a real console over a real database, served over HTTP.
type env struct {
	t        *testing.T
	url      string
	svc      *registry.Service
	accounts *accounts.Service
	keys     *auth.Service
	console  *Console
	clock    *clock
}

// clock is the accounts' clock, which tests move.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Passwords of the test accounts.
const (
	editorEmail, adminEmail = "lan@example.vn", "minh@example.vn"
	password                = "Hồ Gươm mùa thu 2026"
)

// testHashing keeps argon2id cheap in tests (production uses DefaultHashing).
var testHashing = &accounts.Hashing{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// engines runs fn against a console on each database engine, with an
// editor's and an admin's accounts. extra, when set, mounts more routes on
// the test server (the role helper's test).
func engines(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		fn(t, newEnv(t, dsn, nil))
	})
}

func newEnv(t *testing.T, dsn string, extra func(c *Console, mux *http.ServeMux)) *env {
	t.Helper()
	db, w := storetest.Open(t, dsn)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	clk := &clock{now: time.Now().UTC()}
	svc := registry.NewService(db, w).WithMedia(db)
	keys := auth.NewService(db)
	accts := accounts.NewService(db, accounts.Options{Now: clk.Now, Logger: log, Hashing: testHashing})
	_, loopback, _ := net.ParseCIDR("127.0.0.0/8")
	// Webhooks without a delivery queue: the pages manage endpoints only.
	hooks := registry.NewWebhooks(db, nil, false)
	c, err := New(Deps{Registry: svc, Accounts: accts, Keys: keys, JSONImport: api.ReadJSONRows, Webhooks: hooks}, log, Config{TrustedProxies: []*net.IPNet{loopback}})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle(Prefix, c)
	// The JSON API beside the console, as the binary serves them, for the
	// tests in which a colleague works through it.
	mux.Handle("/", api.New(api.Deps{Registry: svc, Auth: keys, Idempotency: db}, log, api.Config{}))
	if extra != nil {
		extra(c, mux)
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	ctx := context.Background()
	for _, a := range []accounts.NewAccount{
		{Email: editorEmail, Name: "Nguyễn Thị Lan", Role: auth.Editor, Password: password},
		{Email: adminEmail, Name: "Trần Văn Minh", Role: auth.Admin, Password: password},
	} {
		if _, err := accts.Create(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	return &env{t: t, url: srv.URL, svc: svc, accounts: accts, keys: keys, console: c, clock: clk}
}

// browser is an HTTP client with its own cookies that does not follow
// redirects, so that tests see them.
type browser struct {
	e    *env
	http *http.Client
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// page is an answer with its body read.
type page struct {
	status int
	header http.Header
	body   string
}

func (b *browser) do(method, path string, form url.Values, headers ...string) page {
	b.e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.e.url+path, body)
	if err != nil {
		b.e.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := b.http.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(resp.Body)
	return page{status: resp.StatusCode, header: resp.Header, body: string(text)}
}

func (b *browser) get(path string, headers ...string) page { return b.do("GET", path, nil, headers...) }

func (p page) want(t *testing.T, status int) page {
	t.Helper()
	if p.status != status {
		t.Fatalf("status %d, want %d; body:\n%s", p.status, status, p.body)
	}
	return p
}

func (p page) redirectsTo(t *testing.T, prefix string) {
	t.Helper()
	if p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), prefix) {
		t.Fatalf("got %d to %q, want 303 to %s…", p.status, p.header.Get("Location"), prefix)
	}
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf is the CSRF token of a page's form.
func (p page) csrf(t *testing.T) string {
	t.Helper()
	m := csrfInput.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no CSRF token in the page:\n%s", p.body)
	}
	return m[1]
}

// signIn fills the sign-in form and returns the answer to it.
func (b *browser) signIn(email, pass string) page {
	t := b.e.t
	t.Helper()
	token := b.get("/console/login").want(t, http.StatusOK).csrf(t)
	return b.do("POST", "/console/login", url.Values{"csrf": {token}, "email": {email}, "password": {pass}})
}

// cookie returns the browser's cookie named name ("" when none).
func (b *browser) cookie(name string) string {
	u, _ := url.Parse(b.e.url + Prefix)
	for _, c := range b.http.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// create registers an entity through the service.
func (e *env) create(name, kind string, sectors []string, ward string) registry.Entity {
	e.t.Helper()
	ent, err := e.svc.CreateEntity(context.Background(), "test", registry.EntityDraft{Name: name, Kind: kind, Sectors: sectors, Ward: ward})
	if err != nil {
		e.t.Fatalf("creating %q: %v", name, err)
	}
	return ent
}

func (e *env) createMany(n int) {
	e.t.Helper()
	for i := range n {
		e.create(fmt.Sprintf("Không gian sáng tạo số %02d", i), "creative-space", []string{"design"}, "Hoàn Kiếm")
	}
}

func regexpFind(t *testing.T, s, expr string) string {
	t.Helper()
	m := regexp.MustCompile(expr).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no %s in:\n%s", expr, s)
	}
	return m[1]
}

// apiClient is a colleague who works through the JSON API that the test
// server serves beside the console, with an API key of role.
type apiClient struct {
	url, token string
}

func (e *env) apiClient(name string, role auth.Role) *apiClient {
	e.t.Helper()
	_, token, err := e.keys.Create(context.Background(), name, role)
	if err != nil {
		e.t.Fatal(err)
	}
	return &apiClient{url: e.url, token: token}
}

// do sends a request with the key, body (when not empty) and headers as
// name, value pairs, and reads the answer.
func (c *apiClient) do(t *testing.T, method, path, body string, headers ...string) page {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, c.url+path, r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(resp.Body)
	return page{status: resp.StatusCode, header: resp.Header, body: string(text)}
}
