package console

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/importfile"
	"github.com/hanoicreative/registry/internal/problem"
	"github.com/hanoicreative/registry/internal/registry"
)

// The import page: a file is uploaded, read as the API reads it
// (importfile.Read) and checked by a dry run of registry.Service.Import;
// the preview shows what would happen and every error with its row and
// column; "Confirm" then imports the very file that was previewed.

// importRoutes mounts the import page: editors' and admins'.
func (c *Console) importRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /console/imports", c.requireRole(auth.Editor, c.importForm))
	m.HandleFunc("POST /console/imports", c.readImportUpload(c.requireRole(auth.Editor, c.previewImport)))
	m.HandleFunc("POST /console/imports/confirm", c.requireRole(auth.Editor, c.confirmImport))
}

const (
	// maxImportFile is the largest file accepted, the API's import limit.
	maxImportFile = 10 << 20
	// maxImportFields bounds the form's other fields (the CSRF token).
	maxImportFields = 4 << 10
	// pendingTTL is how long a previewed file waits for its confirmation.
	pendingTTL = 30 * time.Minute
	// maxPendingBytes caps the memory all waiting files take together;
	// the oldest are forgotten first.
	maxPendingBytes = 64 << 20
	importFileField = "file"
	importIDField   = "import"
)

// pendingImports keeps previewed files between the preview and the
// confirmation. The file stays on the server rather than in the page:
// a hidden field would send up to 10 MiB back and forth, and the
// confirmation must import exactly what was previewed, which the server
// can only vouch for if it never gave the file away. It is kept in memory,
// under a random id bound to the session that uploaded it, for
// pendingTTL, at most maxPendingBytes in all, one per session (a new
// preview replaces the last), and used once. Memory is enough: a lost
// preview (a restart, an expiry) costs only an upload again, which the
// page then asks for.
type pendingImports struct {
	mu    sync.Mutex
	now   func() time.Time
	files map[string]*pendingImport // by id
}

type pendingImport struct {
	session   [32]byte // sha256 of the session's token
	name      string   // the file's name, as shown
	mediaType string   // text/csv or application/json
	body      []byte
	expires   time.Time
}

func newPendingImports() *pendingImports {
	return &pendingImports{now: time.Now, files: map[string]*pendingImport{}}
}

// put keeps p and returns its id.
func (s *pendingImports) put(p *pendingImport) string {
	b := make([]byte, 24)
	rand.Read(b) // never fails (crypto/rand)
	id := base64.RawURLEncoding.EncodeToString(b)
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	p.expires = now.Add(pendingTTL)
	total := len(p.body)
	for k, q := range s.files {
		if q.session == p.session || now.After(q.expires) {
			delete(s.files, k)
			continue
		}
		total += len(q.body)
	}
	for total > maxPendingBytes {
		oldest := ""
		for k, q := range s.files {
			if oldest == "" || q.expires.Before(s.files[oldest].expires) {
				oldest = k
			}
		}
		if oldest == "" {
			break
		}
		total -= len(s.files[oldest].body)
		delete(s.files, oldest)
	}
	s.files[id] = p
	return id
}

// take returns and forgets the file id when the session uploaded it and
// it has not expired.
func (s *pendingImports) take(id string, session [32]byte) (*pendingImport, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.files[id]
	if !ok || p.session != session {
		return nil, false // another session's id stays where it is
	}
	delete(s.files, id)
	if s.now().After(p.expires) {
		return nil, false
	}
	return p, true
}

func sessionKey(s *staff) [32]byte { return sha256.Sum256([]byte(s.token)) }

// importPage is what the import page shows.
type importPage struct {
	FileName string
	CSV      bool
	DryRun   bool // a preview (false: the import is done)
	ID       string
	Result   registry.ImportResult
	Message  string // why nothing can be imported, translated
	Errors   []importError
	MaxMiB   int
}

// importError is one error of a row, in the file's terms.
type importError struct {
	Row            int
	HasRow         bool
	Column, Reason string
}

// importForm shows the upload form.
func (c *Console) importForm(w http.ResponseWriter, r *http.Request) {
	c.render(w, http.StatusOK, "imports", c.newView(r, "Import entities", &importPage{MaxMiB: maxImportFile >> 20}))
}

// uploadedFile is a form's file, read by readFileUpload.
type uploadedFile struct {
	name      string
	mediaType string // as the browser declared it
	body      []byte
	tooLarge  bool
}

type uploadKey struct{}

// readImportUpload reads the import form's file (see readFileUpload).
func (c *Console) readImportUpload(h http.HandlerFunc) http.HandlerFunc {
	return c.readFileUpload(importFileField, maxImportFile, h)
}

// readFileUpload reads the multipart form itself, before the session
// and CSRF checks, so that a file over the limit is told apart from a
// missing token: the small fields go to r.PostForm (where the CSRF check
// finds them) and the file of the field, read up to maxFile bytes, to the
// context.
func (c *Console) readFileUpload(field string, maxFile int, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		// Not a file upload: the form is read as usual, and the page asks
		// for a file. (MultipartReader, even failing, would stop that.)
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
			h(w, r)
			return
		}
		mr, err := r.MultipartReader()
		if err != nil {
			h(w, r) // a malformed upload: no token is found, 403
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, int64(maxFile)+maxImportFields+64<<10) // room for the parts' headers
		r.PostForm, r.Form = url.Values{}, url.Values{}
		up := &uploadedFile{}
		fields := 0
		for parts := 0; parts < 8; parts++ {
			part, err := mr.NextPart()
			if err != nil {
				break
			}
			if part.FormName() == field && part.FileName() != "" {
				body, err := io.ReadAll(io.LimitReader(part, int64(maxFile)+1))
				var tooLarge *http.MaxBytesError
				if len(body) > maxFile || errors.As(err, &tooLarge) {
					up.tooLarge = true
					break // the rest of the body is not read
				}
				if err != nil {
					break // a broken upload: no file
				}
				up.name, up.body = path.Base(strings.ReplaceAll(part.FileName(), "\\", "/")), body
				up.mediaType = part.Header.Get("Content-Type")
				continue
			}
			v, _ := io.ReadAll(io.LimitReader(part, maxImportFields))
			if fields += len(v); fields > maxImportFields {
				break
			}
			r.PostForm.Add(part.FormName(), string(v))
			r.Form.Add(part.FormName(), string(v))
		}
		h(w, r.WithContext(context.WithValue(r.Context(), uploadKey{}, up)))
	}
}

// previewImport checks the uploaded file with a dry run and shows what
// an import would do.
func (c *Console) previewImport(w http.ResponseWriter, r *http.Request) {
	up, _ := r.Context().Value(uploadKey{}).(*uploadedFile)
	switch {
	case up == nil || (up.body == nil && !up.tooLarge):
		c.showImport(w, r, http.StatusBadRequest, &importPage{}, registry.Errorf(registry.EMALFORMED, "Choose a CSV or JSON file to import."))
		return
	case up.tooLarge:
		c.showImport(w, r, http.StatusRequestEntityTooLarge, &importPage{},
			registry.Errorf(registry.EMALFORMED, "The file is larger than %d MiB: split it into smaller files.", maxImportFile>>20))
		return
	}
	p := &pendingImport{session: sessionKey(staffOf(r.Context())), name: up.name, mediaType: importMediaType(up.name, up.body), body: up.body}
	page := &importPage{FileName: p.name, CSV: p.mediaType == "text/csv", DryRun: true}
	res, err := c.runImport(r.Context(), p, true)
	if err != nil {
		c.showImport(w, r, problem.Status(err), page, err)
		return
	}
	page.Result = res
	page.ID = c.pending.put(p)
	c.showImport(w, r, http.StatusOK, page, nil)
}

// confirmImport imports the previewed file, for real.
func (c *Console) confirmImport(w http.ResponseWriter, r *http.Request) {
	s := staffOf(r.Context())
	p, ok := c.pending.take(r.PostFormValue(importIDField), sessionKey(s))
	if !ok {
		c.showImport(w, r, http.StatusGone, &importPage{},
			registry.Errorf(registry.ENOTFOUND, "This preview has expired or is not yours: upload the file again to check it before importing."))
		return
	}
	page := &importPage{FileName: p.name, CSV: p.mediaType == "text/csv"}
	res, err := c.runImport(r.Context(), p, false)
	if err != nil {
		c.showImport(w, r, problem.Status(err), page, err)
		return
	}
	c.log.Info("console: import", "account", s.Account.ID, "file", p.name, "created", res.Created, "updated", res.Updated, "unchanged", res.Unchanged)
	page.Result = res
	c.showImport(w, r, http.StatusOK, page, nil)
}

// runImport parses the file as the API does and imports it, as the
// signed-in account, errors named as the file names them.
func (c *Console) runImport(ctx context.Context, p *pendingImport, dryRun bool) (registry.ImportResult, error) {
	rows, err := importfile.Read(p.body, p.mediaType, c.jsonRows)
	if err != nil {
		return registry.ImportResult{}, importfile.Errors(err, p.mediaType)
	}
	res, err := c.svc.Import(ctx, staffOf(ctx).Account.Name, rows, dryRun, nil)
	return res, importfile.Errors(err, p.mediaType)
}

// importMediaType tells JSON from CSV by the file's name, else by its
// first character (a JSON import is an array; no CSV header starts so).
func importMediaType(name string, body []byte) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".json":
		return "application/json"
	case ".csv", ".tsv", ".txt":
		return "text/csv"
	}
	if t := bytes.TrimSpace(bytes.TrimPrefix(body, []byte("\uFEFF"))); len(t) > 0 && t[0] == '[' {
		return "application/json"
	}
	return "text/csv"
}

// showImport renders the import page, with err's errors, translated.
func (c *Console) showImport(w http.ResponseWriter, r *http.Request, status int, page *importPage, err error) {
	v := c.newView(r, "Import entities", page)
	page.MaxMiB = maxImportFile >> 20
	if err != nil {
		if status >= 500 {
			c.log.Error("console: import", "err", err)
		}
		e := c.msgs.Error(v.lang, err)
		page.Message = e.Message
		for _, fe := range e.Fields {
			ie := importError{Column: fe.Field, Reason: fe.Message}
			if fe.Row != nil {
				ie.Row, ie.HasRow = *fe.Row, true
			}
			page.Errors = append(page.Errors, ie)
		}
	}
	c.render(w, status, "imports", v)
}

// noJSONImport refuses JSON files when the console was given no JSON
// reader (Deps.JSONImport).
func noJSONImport([]byte) ([]registry.ImportRow, error) {
	return nil, registry.Errorf(registry.EMALFORMED, "This server imports CSV files only: save the sheet as CSV.")
}
