package messages

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hanoicreative/registry/internal/registry"
)

// verb matches a fmt verb, with its flags, explicit index and precision.
var verb = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?(\[\d+\])?[a-zA-Z%]`)

// sampleArgs are arguments of the types a format's verbs take.
func sampleArgs(format string) []any {
	var args []any
	for _, v := range verb.FindAllString(format, -1) {
		if strings.Contains(v, "[") {
			continue // explicit indexes reuse arguments
		}
		switch v[len(v)-1] {
		case '%':
		case 'd', 'X':
			args = append(args, 7)
		case 'f':
			args = append(args, 21.5)
		default:
			args = append(args, "x")
		}
	}
	return args
}

func TestEveryMessageHasBothLanguages(t *testing.T) {
	c := New()
	if len(c.Keys()) < 100 {
		t.Fatalf("the catalogue has %d messages; expected all of them", len(c.Keys()))
	}
	seen := map[string]bool{}
	for _, key := range c.Keys() {
		if seen[key] {
			t.Errorf("%q is in the catalogue twice", key)
		}
		seen[key] = true
		if !c.Has(English, key) && !c.Has(Vietnamese, key) {
			t.Errorf("%q has no entry", key)
		}
		args := sampleArgs(key)
		en, vi := c.Sprintf(English, key, args...), c.Sprintf(Vietnamese, key, args...)
		for lang, s := range map[string]string{"English": en, "Vietnamese": vi} {
			if s == "" || strings.Contains(s, "%!") {
				t.Errorf("%s of %q renders as %q", lang, key, s)
			}
		}
		if vi == en && !sameInBothLanguages[key] {
			t.Errorf("%q has no Vietnamese translation (renders as %q)", key, vi)
		}
		// Every argument must appear in both languages: a translation
		// that drops one would hide what the reader needs.
		for _, a := range args {
			want := fmt.Sprint(a)
			if _, isFloat := a.(float64); isFloat {
				want = "2" // printed with the format's precision
			}
			if !strings.Contains(vi, want) || !strings.Contains(en, want) {
				t.Errorf("%q: argument %v is missing from %q or %q", key, a, en, vi)
			}
		}
	}
}

// sameInBothLanguages are messages whose Vietnamese reads like the English.
var sameInBothLanguages = map[string]bool{}

// TestEverySourceMessageIsInTheCatalogue reads the program's source: every
// message written for people (a format given to Errorf, Fieldf, fail,
// malformed, or a literal Message) must be translated. A new message
// fails this test until its Vietnamese is added to vietnamese.go.
func TestEverySourceMessageIsInTheCatalogue(t *testing.T) {
	c := New()
	var missing []string
	for msg, where := range sourceMessages(t) {
		if !c.Has(Vietnamese, msg) {
			missing = append(missing, fmt.Sprintf("%s: %q", where, msg))
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("%d messages have no Vietnamese in internal/messages/vietnamese.go:\n%s", len(missing), strings.Join(missing, "\n"))
	}
}

func TestLanguage(t *testing.T) {
	c := New()
	for header, want := range map[string]string{
		"":                               "en",
		"vi":                             "vi",
		"vi-VN":                          "vi",
		"vi-VN,vi;q=0.9,en-US;q=0.8":     "vi",
		"en-US,en;q=0.9,vi;q=0.8":        "en",
		"fr-FR":                          "en",
		"fr;q=1, vi;q=0.5":               "vi",
		"*":                              "en",
		"not a ; valid = header":         "en",
		"en;q=0.2, vi;q=0.9":             "vi",
		"zh-TW, vi-VN;q=0.1, en;q=0.05 ": "vi",
	} {
		if got := c.Language(header).String(); got != want {
			t.Errorf("Language(%q) = %s, want %s", header, got, want)
		}
	}
}

func TestPluralsAndFallback(t *testing.T) {
	c := New()
	key := "imported %d rows from %s: %d created, %d updated, %d unchanged"
	if got := c.Sprintf(English, key, 1, "a.csv", 1, 0, 0); got != "imported 1 row from a.csv: 1 created, 0 updated, 0 unchanged" {
		t.Errorf("one row: %q", got)
	}
	if got := c.Sprintf(English, key, 2, "a.csv", 2, 0, 0); got != "imported 2 rows from a.csv: 2 created, 0 updated, 0 unchanged" {
		t.Errorf("two rows: %q", got)
	}
	if got := c.Sprintf(Vietnamese, key, 1, "a.csv", 1, 0, 0); got != "đã nhập 1 dòng từ a.csv: 1 tạo mới, 0 cập nhật, 0 không đổi" {
		t.Errorf("Vietnamese: %q", got)
	}
	// Years and counts are printed plainly, not grouped as 2.026.
	if got := c.Sprintf(Vietnamese, "%s must not be after %d.", "founded_year", 2026); got != "founded_year không được sau năm 2026." {
		t.Errorf("year: %q", got)
	}
	// A message the catalogue does not know is shown in English.
	if got := c.Sprintf(Vietnamese, "%s is brand new.", "x"); got != "x is brand new." {
		t.Errorf("fallback: %q", got)
	}
	if got := c.Text(Vietnamese, "100% new."); got != "100% new." {
		t.Errorf("literal fallback: %q", got)
	}
}

func TestError(t *testing.T) {
	c := New()
	inner := registry.Invalid([]registry.FieldError{
		registry.Fieldf("name", "max", "%s must have at most %d characters.", "name", 200),
		{Field: "slug", Code: "slug", Message: "slug is taken."},
		{Field: "x", Code: "new", Message: "a message no one translated."},
	})
	row := 3
	outer := &registry.Error{Code: registry.ECONFLICT, Message: "Row 3: slug is taken.", Format: "Row %d: %s", Args: []any{row, registry.Errorf(registry.ECONFLICT, "slug is taken.")}}

	vi := c.Error(Vietnamese, inner)
	if vi.Message != "Dữ liệu gửi lên có trường không hợp lệ." || vi.Code != registry.EINVALID {
		t.Errorf("detail: %+v", vi)
	}
	want := []string{"name chỉ được có tối đa 200 ký tự.", "slug đã được dùng.", "a message no one translated."}
	for i, f := range vi.Fields {
		if f.Message != want[i] {
			t.Errorf("field %d: %q, want %q", i, f.Message, want[i])
		}
	}
	if inner.Fields[0].Message != "name must have at most 200 characters." {
		t.Errorf("the original error changed: %q", inner.Fields[0].Message)
	}
	if got := c.Error(Vietnamese, outer).Message; got != "Dòng 3: slug đã được dùng." {
		t.Errorf("nested: %q", got)
	}
	if got := c.Error(English, outer).Message; got != "Row 3: slug is taken." {
		t.Errorf("nested English: %q", got)
	}
	if got := c.Error(Vietnamese, fmt.Errorf("boom")); got.Code != registry.EINTERNAL || got.Message != "Đã xảy ra lỗi nội bộ." {
		t.Errorf("internal: %+v", got)
	}
}
