package api

import (
	"bytes"
	"errors"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/hanoicreative/registry/internal/registry"
)

// checkJSONText refuses JSON that encoding/json would read with a silent
// loss: invalid UTF-8 (it becomes U+FFFD, "X��ng", and would be stored)
// and an object naming a member twice, at any depth (the last one would
// silently win). The JSON v2 tokenizer checks both by default, at a small
// fraction of the cost of a parse. Syntax errors are left to the parser,
// whose messages the API has always given.
func checkJSONText(data []byte) error {
	if !utf8.Valid(data) {
		return registry.Errorf(registry.EMALFORMED, "The request body is not valid UTF-8 (at byte %d): send JSON encoded as UTF-8.", invalidUTF8At(data))
	}
	dec := jsontext.NewDecoder(bytes.NewReader(data))
	if _, err := dec.ReadValue(); err != nil {
		var se *jsontext.SyntacticError
		if errors.As(err, &se) && errors.Is(se.Err, jsontext.ErrDuplicateName) {
			name, at := se.JSONPointer.LastToken(), se.JSONPointer.Parent()
			if at == "" {
				return registry.Errorf(registry.EMALFORMED, "The JSON object has the member %q twice: give each member once.", name)
			}
			return registry.Errorf(registry.EMALFORMED, "The JSON object at %s has the member %q twice: give each member once.", string(at), name)
		}
	}
	return nil
}

// invalidUTF8At returns the position (from 1, as editors count) of the
// first byte that is not UTF-8.
func invalidUTF8At(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return i + 1
		}
		i += size
	}
	return len(data)
}
