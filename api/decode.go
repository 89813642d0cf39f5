package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
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
				*errs = append(*errs, registry.Fieldf(path, "read_only", "%s is read-only: leave it out.", path))
			} else {
				*errs = append(*errs, registry.Fieldf(path, "unknown", "%s is not a field of this resource.", path))
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
				*errs = append(*errs, registry.Fieldf(path, "type", "%s must be an object.", path))
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
			*errs = append(*errs, registry.Fieldf(path, "type", typeFormat(fv.Type()), path))
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

// typeFormat is the message for a value that is not of type t.
func typeFormat(t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "%s must be a string."
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "%s must be an integer."
	case reflect.Float64, reflect.Float32:
		return "%s must be a number."
	case reflect.Bool:
		return "%s must be true or false."
	case reflect.Slice:
		return "%s must be an array of strings."
	}
	return "%s has the wrong type."
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

func sortStrings(s []string) { slices.Sort(s) }
