package auth_test

import (
	"strings"
	"testing"

	"github.com/hanoicreative/registry/internal/auth"
)

func TestCheckKey(t *testing.T) {
	codes := func(name string, role auth.Role) map[string]string {
		out := map[string]string{}
		for _, f := range auth.CheckKey(name, role) {
			out[f.Field] = f.Code
		}
		return out
	}
	if got := codes("so-van-hoa-editor", auth.Editor); len(got) != 0 {
		t.Errorf("a good key: %v", got)
	}
	for _, c := range []struct {
		name string
		role auth.Role
		want map[string]string
	}{
		{"  ", "", map[string]string{"name": "required", "role": "required"}},
		{strings.Repeat("k", 101), "owner", map[string]string{"name": "max", "role": "oneof"}},
		{"editor\u202E", auth.Admin, map[string]string{"name": "invisible_characters"}},
		{"editor\n2", auth.Admin, map[string]string{"name": "control_characters"}},
	} {
		got := codes(c.name, c.role)
		if len(got) != len(c.want) {
			t.Errorf("%q, %q: %v, want %v", c.name, c.role, got, c.want)
		}
		for f, code := range c.want {
			if got[f] != code {
				t.Errorf("%q, %q: %s is %q, want %q", c.name, c.role, f, got[f], code)
			}
		}
	}
}
