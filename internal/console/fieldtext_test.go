package console

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hanoicreative/registry/internal/messages"
	"github.com/hanoicreative/registry/internal/registry"
)

// TestFormNamesFieldsByTheirLabels: beside each field, the form's error
// names the field as the form does, in the reader's language ("Cần có
// tên.", "Link 2 repeats link 1"), where the domain's message, as the API
// shows it, names the JSON path ("Cần có name."). A typed value that
// looks like a path is not renamed.
func TestFormNamesFieldsByTheirLabels(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		b := e.browser()
		b.signIn(editorEmail, password).redirectsTo(t, "/console/")
		token := b.get("/console/entities/new").want(t, http.StatusOK).csrf(t)
		year := time.Now().Year()
		typed := url.Values{"csrf": {token}, "name": {""}, "name_en": {strings.Repeat("a", 201)}, "kind": {"artisan"}, "sectors": {"crafts"},
			"links": {"https://lua.example.vn\nhttps://lua.example.vn"}, "founded_year": {"2999"}, "contact.email": {"lụa@@example"},
			"address.ward": {"name"}}
		for lang, want := range map[string]map[string]string{
			"vi": {
				"name":          "Cần có tên.",
				"name_en":       "Tên tiếng Anh chỉ được có tối đa 200 ký tự.",
				"links":         "Liên kết 2 trùng với liên kết 1: mỗi liên kết chỉ ghi một lần.",
				"founded_year":  fmt.Sprintf("Năm thành lập không được sau năm %d.", year),
				"contact.email": "Địa chỉ email phải là một địa chỉ email.",
				"address.ward":  "Phường hoặc xã &#34;name&#34;",
			},
			"en": {
				"name":          "Name is required.",
				"name_en":       "Name in English must have at most 200 characters.",
				"links":         "Link 2 repeats link 1: give each link once.",
				"founded_year":  fmt.Sprintf("Year founded must not be after %d.", year),
				"contact.email": "Email address must be an email address.",
				"address.ward":  "Ward or commune &#34;name&#34; is not one of",
			},
		} {
			bad := b.do("POST", "/console/entities/new", typed, "Accept-Language", lang).want(t, http.StatusUnprocessableEntity)
			for field, msg := range want {
				wantInvalid(t, bad.body, field, msg)
			}
			for _, path := range []string{"name_en", "founded_year", "contact.email", "links[1]", "links[0]"} {
				if strings.Contains(bad.body, path+" ") {
					t.Errorf("%s: a message names the path %s:\n%s", lang, path, bad.body)
				}
			}
		}

		// The domain's own messages, as the API shows them, keep the paths.
		_, err := e.svc.CreateEntity(context.Background(), "test", registry.EntityDraft{Kind: "artisan", Sectors: []string{"crafts"}})
		if got := messages.New().Error(messages.Vietnamese, err).Fields; len(got) != 1 || got[0].Message != "Cần có name." {
			t.Errorf("the domain's message is %+v, want Cần có name.", got)
		}
	})
}

// TestStringArgs: the arguments printed with a plain %s, which may be
// paths, are told from quoted values and numbers.
func TestStringArgs(t *testing.T) {
	for format, want := range map[string][]int{
		"%s is required.": {0},
		"%s %q is not one of Hà Nội's wards: did you mean %s?": {0, 2},
		"%s (%.5f, %.5f) is not in Hà Nội.":                    {0},
		"100%% of %s, %d of %s":                                {0, 2},
		"no argument":                                          nil,
	} {
		if got := stringArgs(format); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("stringArgs(%q) = %v, want %v", format, got, want)
		}
	}
}

// TestOtherFormsNameFieldsByTheirLabels: the invitation, sector and
// set-password forms name their fields by their labels too.
func TestOtherFormsNameFieldsByTheirLabels(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		admin := e.browser()
		admin.signIn(adminEmail, password).redirectsTo(t, "/console/")
		token := admin.get("/console/admin/users").csrf(t)
		invite := admin.do("POST", "/console/admin/users", url.Values{"csrf": {token}, "name": {""}, "email": {"not-an-address"}, "role": {"owner"}},
			"Accept-Language", "en").want(t, http.StatusUnprocessableEntity)
		for _, want := range []string{
			`id="name-error">Name is required.`, `id="email-error">Email address must be an email address.`, `id="role-error">Role must be editor or admin.`,
		} {
			if !strings.Contains(invite.body, want) {
				t.Errorf("no %s in the refused invitation:\n%s", want, invite.body)
			}
		}
		sector := admin.do("POST", "/console/admin/sectors", url.Values{"csrf": {token}, "slug": {"Bad Slug"}, "name": {"Tên"}},
			"Accept-Language", "vi").want(t, http.StatusUnprocessableEntity)
		for _, want := range []string{`id="name_en-error">Cần có tên tiếng Anh.`, `id="slug-error">Mã định danh phải gồm chữ thường ASCII`} {
			if !strings.Contains(sector.body, want) {
				t.Errorf("no %s in the refused sector:\n%s", want, sector.body)
			}
		}

		lan, err := e.accounts.Find(context.Background(), editorEmail)
		if err != nil {
			t.Fatal(err)
		}
		secret, _, err := e.accounts.IssuePasswordToken(context.Background(), lan.ID)
		if err != nil {
			t.Fatal(err)
		}
		holder := e.browser()
		form := holder.get("/console/set-password?token="+secret, "Accept-Language", "en").want(t, http.StatusOK)
		short := holder.do("POST", "/console/set-password", url.Values{"csrf": {form.csrf(t)}, "token": {secret}, "password": {"ngắn"}, "password_again": {"ngắn"}},
			"Accept-Language", "en").want(t, http.StatusUnprocessableEntity)
		if !strings.Contains(short.body, "New password must have at least") {
			t.Errorf("the set-password form does not name its field by its label:\n%s", short.body)
		}
	})
}
