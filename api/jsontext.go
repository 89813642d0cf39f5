package api

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"

	"github.com/hanoicreative/registry/internal/registry"
)

// checkJSONText refuses JSON that encoding/json would read with a silent
// loss: invalid UTF-8 (it becomes U+FFFD, "X��ng", and would be stored)
// and an object naming a member twice, at any depth (the last one would
// silently win). Syntax errors are left to the parser, which reports them.
func checkJSONText(data []byte) error {
	if !utf8.Valid(data) {
		return registry.Errorf(registry.EMALFORMED, "The request body is not valid UTF-8 (at byte %d): send JSON encoded as UTF-8.", invalidUTF8At(data))
	}
	type frame struct {
		names   map[string]bool // nil for an array
		wantKey bool
	}
	var stack []*frame
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil // the end, or a syntax error the parser reports
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{names: map[string]bool{}, wantKey: true})
			continue
		case json.Delim('['):
			stack = append(stack, &frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			if top = nil; len(stack) > 0 {
				top = stack[len(stack)-1]
			}
		default:
			if name, ok := tok.(string); ok && top != nil && top.names != nil && top.wantKey {
				if top.names[name] {
					return registry.Errorf(registry.EMALFORMED, "The JSON object has the member %q twice (at byte %d): give each member once.", name, dec.InputOffset())
				}
				top.names[name], top.wantKey = true, false
				continue
			}
		}
		// A value ended: an object now expects its next member's name.
		if top != nil && top.names != nil {
			top.wantKey = true
		}
	}
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
