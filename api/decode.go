package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/hanoicreative/registry/internal/fold"
	"github.com/hanoicreative/registry/internal/registry"
)

// decodeObject decodes a JSON object into the struct v points to, field by
// field, so that every problem is reported rather than the first one:
// unknown fields, read-only fields and values of the wrong type become
// field errors; text is normalised to NFC. Input that is not a JSON object
// at all is EMALFORMED.
func decodeObject(data []byte, v any) ([]registry.FieldError, error) {
	obj, err := parseObject(data)
	if err != nil {
		return nil, err
	}
	var errs []registry.FieldError
	decodeFields(obj, reflect.ValueOf(v).Elem(), "", &errs)
	return errs, nil
}

// parseObject reads a JSON object into its members.
func parseObject(data []byte) (map[string]json.RawMessage, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, registry.Errorf(registry.EMALFORMED, "The request body is empty: send a JSON object.")
	}
	if data[0] != '{' {
		return nil, registry.Errorf(registry.EMALFORMED, "The request body must be a JSON object.")
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil {
		return nil, registry.Errorf(registry.EMALFORMED, "The request body is not valid JSON: %s.", jsonErrorText(err))
	}
	return obj, nil
}

// jsonErrorText describes a syntax error without Go type names.
func jsonErrorText(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%s (at byte %d)", se.Error(), se.Offset)
	}
	return "unexpected content"
}

// decodeFields fills the struct sv from obj; prefix is the JSON path of sv.
func decodeFields(obj map[string]json.RawMessage, sv reflect.Value, prefix string, errs *[]registry.FieldError) {
	byName := jsonFields(sv.Type())
	for _, name := range sortedKeys(obj) {
		raw := obj[name]
		path := prefix + name
		i, ok := byName[name]
		if !ok {
			if readOnlyFields[path] {
				*errs = append(*errs, registry.FieldError{Field: path, Code: "read_only", Message: path + " is read-only: leave it out."})
			} else {
				*errs = append(*errs, registry.FieldError{Field: path, Code: "unknown", Message: path + " is not a field of this resource."})
			}
			continue
		}
		fv := sv.Field(i)
		if string(bytes.TrimSpace(raw)) == "null" {
			fv.Set(reflect.Zero(fv.Type()))
			continue
		}
		if st := structType(fv.Type()); st != nil {
			nested, ok := asObject(raw)
			if !ok {
				*errs = append(*errs, typeError(path, "an object"))
				continue
			}
			target := fv
			if fv.Kind() == reflect.Pointer {
				fv.Set(reflect.New(st))
				target = fv.Elem()
			}
			decodeFields(nested, target, path+".", errs)
			continue
		}
		if err := json.Unmarshal(raw, fv.Addr().Interface()); err != nil {
			*errs = append(*errs, typeError(path, describeType(fv.Type())))
			continue
		}
		if hasControl(fv, multiLineFields[path]) {
			*errs = append(*errs, registry.FieldError{Field: path, Code: "control_characters",
				Message: path + " must not contain control characters" + map[bool]string{true: " (other than tab and line breaks).", false: "."}[multiLineFields[path]]})
			continue
		}
		normaliseStrings(fv)
	}
}

func asObject(raw json.RawMessage) (map[string]json.RawMessage, bool) {
	var obj map[string]json.RawMessage
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '{' {
		return nil, false
	}
	return obj, json.Unmarshal(raw, &obj) == nil
}

func typeError(path, want string) registry.FieldError {
	return registry.FieldError{Field: path, Code: "type", Message: fmt.Sprintf("%s must be %s.", path, want)}
}

// structType returns the struct type of a struct or pointer-to-struct field.
func structType(t reflect.Type) reflect.Type {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Struct {
		return t
	}
	return nil
}

func describeType(t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "an integer"
	case reflect.Float64, reflect.Float32:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		return "an array of " + strings.TrimPrefix(strings.TrimPrefix(describeType(t.Elem()), "a "), "an ") + "s"
	}
	return "a " + t.Kind().String()
}

// jsonFields maps a struct's JSON names to field indexes.
func jsonFields(t reflect.Type) map[string]int {
	m := make(map[string]int, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			m[name] = i
		}
	}
	return m
}

// multiLineFields may hold tabs and line breaks.
var multiLineFields = map[string]bool{"description": true, "description_en": true}

// hasControl reports control characters in a decoded string or list of
// strings: NUL cannot even be stored by PostgreSQL, and none is meant.
func hasControl(v reflect.Value, multiLine bool) bool {
	switch v.Kind() {
	case reflect.String:
		return strings.ContainsFunc(v.String(), func(r rune) bool {
			if multiLine && (r == '\t' || r == '\n' || r == '\r') {
				return false
			}
			return r < 0x20 || r == 0x7f
		})
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			if hasControl(v.Index(i), multiLine) {
				return true
			}
		}
	}
	return false
}

// normaliseStrings puts decoded text in NFC: decomposed input (as some
// keyboards send it) is then stored, measured and matched like composed.
func normaliseStrings(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(fold.NFC(v.String()))
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			normaliseStrings(v.Index(i))
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sortStrings(keys)
	return keys
}
