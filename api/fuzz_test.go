package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hanoicreative/registry/api"
	"github.com/hanoicreative/registry/docs"
	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/index"
	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/store"
	"github.com/hanoicreative/registry/internal/store/storetest"
)

// The fuzz targets' property: whatever a client sends, the answer is never
// a 500 and never a panic, and every error is a valid problem document.
// They run on PostgreSQL when there is one (the stricter engine: it refuses
// NUL bytes in text, for one), else on SQLite; the seed corpus is in
// testdata/fuzz and runs with every go test; make fuzz explores further.

type fuzzServer struct {
	h      http.Handler
	editor string
	entity registry.Entity
}

func newFuzzServer(f *testing.F) *fuzzServer {
	f.Helper()
	w, err := storetest.Wards()
	if err != nil {
		f.Fatal(err)
	}
	ctx := context.Background()
	dsn := "sqlite:" + filepath.Join(f.TempDir(), "fuzz.db")
	if pg != nil {
		dsn = pg.NewDatabase(f)
	}
	db, err := store.Open(ctx, dsn, w, store.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		f.Fatal(err)
	}
	keys := auth.NewService(db)
	_, token, err := keys.Create(ctx, "fuzzer", auth.Editor)
	if err != nil {
		f.Fatal(err)
	}
	listings := index.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := listings.Build(ctx); err != nil {
		f.Fatal(err)
	}
	svc := registry.NewService(listings, w)
	e, err := svc.CreateEntity(ctx, "fuzzer", registry.EntityDraft{Name: "Mục Tiêu", Kind: "designer", Sectors: []string{"design"}})
	if err != nil {
		f.Fatal(err)
	}
	h := api.New(api.Deps{Registry: svc, Auth: keys, Idempotency: db}, slog.New(slog.NewTextHandler(io.Discard, nil)), api.Config{OpenAPI: docs.OpenAPI3})
	return &fuzzServer{h: h, editor: token, entity: e}
}

// check serves a request and checks the property.
func (s *fuzzServer) check(t *testing.T, req *http.Request) {
	t.Helper()
	req.Header.Set("Authorization", "Bearer "+s.editor)
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	if rec.Code >= 500 {
		t.Fatalf("%s %s: status %d: %s", req.Method, req.URL, rec.Code, rec.Body)
	}
	if rec.Code < 400 {
		return
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("%d with Content-Type %q", rec.Code, ct)
	}
	var p api.Problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatalf("%d body is not JSON: %v: %s", rec.Code, err, rec.Body)
	}
	if p.Status != rec.Code || p.Type == "" || p.Title == "" || p.Detail == "" || p.Instance == "" || p.RequestID == "" {
		t.Fatalf("incomplete problem: %s", rec.Body)
	}
	if rec.Code == http.StatusUnprocessableEntity && len(p.Errors) == 0 {
		t.Fatalf("422 without field errors: %s", rec.Body)
	}
}

func FuzzCreateEntity(f *testing.F) {
	for _, seed := range []string{
		`{"name":"Xưởng Gốm","kind":"artisan","sectors":["crafts"]}`,
		`{"name":"A","kind":"designer","sectors":["design"],"location":{"lat":21.0287,"lon":105.8524},"address":{"ward":"hoan kiem"}}`,
		`{"name":null,"sectors":[1,2],"location":{"lat":"x"},"contact":{"phone":"+84"}}`,
		`{"id":"x","links":["javascript:alert(1)"],"founded_year":1e400}`,
		`[]`, `{`, `{"address":[]}`,
	} {
		f.Add([]byte(seed))
	}
	s := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest("POST", "/v1/entities", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		s.check(t, req)
	})
}

// FuzzImportCSV: any CSV, in any encoding, with any header, dry run.
func FuzzImportCSV(f *testing.F) {
	utf16 := func(s string) []byte {
		var b bytes.Buffer
		b.Write([]byte{0xFF, 0xFE})
		for _, r := range s {
			b.Write([]byte{byte(r), byte(r >> 8)})
		}
		return b.Bytes()
	}
	for _, seed := range [][]byte{
		[]byte("name,kind,sectors\nXưởng Gốm,artisan,crafts\n"),
		[]byte("slug,phone\nxuong-gom,0912 345 678\n"),
		[]byte("name\tkind\tsectors\tward\nA\tdesigner\tdesign\tP. Hoàn Kiếm\n"),
		utf16("name\tkind\tsectors\r\nB\tdesigner\tdesign\r\n"),
		{0xFE, 0xFF, 0x00},
		[]byte("name,lat,,\nC,21.03,,x\n,,,\n"),
		[]byte("\uFEFFemail;name\n;\n"),
	} {
		f.Add(seed)
	}
	s := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest("POST", "/v1/imports?dry_run=true", bytes.NewReader(body))
		req.Header.Set("Content-Type", "text/csv")
		s.check(t, req)
	})
}

func FuzzPatchEntity(f *testing.F) {
	for _, seed := range []string{
		`{"name":"Tên Mới"}`, `{"description":null}`, `{"location":{"lat":20.976,"lon":105.913}}`,
		`{"address":{"ward":null},"contact":{"email":"x"}}`, `{"version":2}`, `null`, `{"sectors":[]}`,
	} {
		f.Add([]byte(seed), `*`)
	}
	f.Add([]byte(`{"name":"x"}`), `W/"1", "abc"`)
	s := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, body []byte, ifMatch string) {
		req := httptest.NewRequest("PATCH", "/v1/entities/"+s.entity.ID, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/merge-patch+json")
		req.Header.Set("If-Match", ifMatch)
		s.check(t, req)
	})
}

func FuzzListQuery(f *testing.F) {
	for _, seed := range []string{
		"sector=design,crafts&match=all&kind=artisan&ward=hoan+kiem&limit=5",
		"q=%C4%91%E1%BB%93ng+th%E1%BB%A7&sort=-founded_year&facets=sector,kind,ward&fields=name",
		"founded_from=-1&founded_to=99999999999999999999&updated_since=2026-13-01T00:00:00Z",
		"cursor=eyJmIjoiIiwiayI6W10sImkiOiIifQ&limit=0", "q=%25_%5C", "status=all&sort=relevance",
		"%zz=1", "sector=" + strings.Repeat("a,", 60),
	} {
		f.Add(seed)
	}
	s := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, rawQuery string) {
		req := httptest.NewRequest("GET", "/v1/entities", nil)
		req.URL.RawQuery = rawQuery
		s.check(t, req)
	})
}

func FuzzCursor(f *testing.F) {
	valid := registry.Cursor{Fingerprint: registry.ListQuery{Filter: registry.Filter{Status: registry.StatusFilterActive}}.Fingerprint(),
		Keys: []string{"muc tieu"}, ID: "x"}
	for _, seed := range []string{valid.Encode(), "", "e30", "eyJrIjpbMSwyXX0", "!!!", strings.Repeat("A", 5000)} {
		f.Add(seed, "")
	}
	f.Add(valid.Encode(), "-founded_year")
	s := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, cursor, sort string) {
		req := httptest.NewRequest("GET", "/v1/entities", nil)
		q := req.URL.Query()
		q.Set("cursor", cursor)
		if sort != "" {
			q.Set("sort", sort)
		}
		req.URL.RawQuery = q.Encode()
		s.check(t, req)
	})
}
