package console

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hanoicreative/registry/internal/registry"
)

// The domain's field messages name their field by its JSON path, as the
// API's clients know it ("name is required.", "Cần có name."); the path is
// an argument of the message's format, never literal text. A form names
// its fields by their labels instead, so the console renders the same
// formats with each path a %s argument holds replaced by the form's name
// for that field, in the reader's language and in lower case, and starts
// the sentence with a capital: "Name is required.", "Cần có tên.",
// "Link 2 repeats link 1: give each link once." A value the person typed
// (a %q argument) is never replaced, even if it looks like a path.

// fieldNamer names a field path as a form does, in the reader's language;
// "" for a path the form does not know (it is then left as it is).
type fieldNamer func(path string) string

// formError is err in the reader's language with its fields' messages
// phrased for a form by name.
func (v *view) formError(err error, name fieldNamer) *registry.Error {
	e := *registry.AsError(err)
	e.Fields = slices.Clone(e.Fields)
	for i, fe := range e.Fields {
		if fe.Format == "" {
			continue
		}
		args := slices.Clone(fe.Args)
		for _, at := range stringArgs(fe.Format) {
			if at >= len(args) {
				break
			}
			if path, ok := args[at].(string); ok {
				if n := name(path); n != "" {
					args[at] = lowerFirst(n)
				}
			}
		}
		fe.Args = args
		e.Fields[i] = fe
	}
	out := v.msgs.Error(v.lang, &e)
	for i := range out.Fields {
		out.Fields[i].Message = upperFirst(out.Fields[i].Message)
	}
	return out
}

// stringArgs returns the positions (from 0) of the arguments a format
// prints with a plain %s: the ones that may be field paths.
func stringArgs(format string) []int {
	var at []int
	arg := 0
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		for i < len(format) && strings.IndexByte("+-# 0123456789.", format[i]) >= 0 {
			i++
		}
		if i >= len(format) || format[i] == '%' {
			continue
		}
		if format[i] == 's' {
			at = append(at, arg)
		}
		arg++
	}
	return at
}

// entityFieldName names the entity form's fields: by their labels, and a
// link by its line ("link 2").
func (v *view) entityFieldName(path string) string {
	if rest, ok := strings.CutPrefix(path, "links["); ok {
		if n, err := strconv.Atoi(strings.TrimSuffix(rest, "]")); err == nil {
			return v.T("Link %d", n+1)
		}
	}
	switch path {
	case "links":
		return v.T("Links")
	case "location":
		return v.T("Location")
	case "address.city":
		return v.T("City")
	}
	if i := fieldIndex(path); i >= 0 {
		return v.T(formFields[i].label)
	}
	return ""
}

// labelsOf names a form's fields by their labels (keys of the catalogue),
// by path.
func labelsOf(v *view, labels map[string]string) fieldNamer {
	return func(path string) string {
		if label, ok := labels[path]; ok {
			return v.T(label)
		}
		return ""
	}
}

func lowerFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[size:]
}

func upperFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}
