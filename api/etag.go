package api

import (
	"strconv"
	"strings"

	"github.com/hanoicreative/registry/internal/registry"
)

// etag is the strong entity tag of an entity version.
func etag(version int) string { return `"` + strconv.Itoa(version) + `"` }

// entityTag is one tag of an If-Match or If-None-Match list.
type entityTag struct {
	weak    bool
	version int
	valid   bool // the tag is a version number (others match nothing)
}

// parseTags parses a comma-separated list of entity tags. Unquoted values
// are malformed: RFC 9110 quotes them, and a client sending If-Match: 3
// should learn the right form rather than be guessed at.
func parseTags(header string) ([]entityTag, bool, error) {
	header = strings.TrimSpace(header)
	if header == "*" {
		return nil, true, nil
	}
	var tags []entityTag
	for _, part := range strings.Split(header, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		t := entityTag{}
		if strings.HasPrefix(part, "W/") {
			t.weak, part = true, part[2:]
		}
		if len(part) < 2 || part[0] != '"' || part[len(part)-1] != '"' {
			return nil, false, registry.Errorf(registry.EMALFORMED, `entity tags are quoted: send If-Match: "3" (the ETag header's value, quotes included).`)
		}
		n, err := strconv.Atoi(part[1 : len(part)-1])
		t.version, t.valid = n, err == nil
		tags = append(tags, t)
	}
	return tags, false, nil
}

// ifMatch reads If-Match into a precondition. Weak tags never match: an
// If-Match comparison is strong (RFC 9110, 13.1.1).
func ifMatch(header string, present bool) (registry.Precondition, error) {
	if !present {
		return registry.Precondition{}, nil
	}
	tags, any, err := parseTags(header)
	if err != nil {
		return registry.Precondition{}, err
	}
	p := registry.Precondition{Given: true, Any: any}
	for _, t := range tags {
		switch {
		case t.valid && t.weak:
			p.Weak = append(p.Weak, t.version)
		case t.valid:
			p.Versions = append(p.Versions, t.version)
		}
	}
	return p, nil
}

// noneMatch reports whether If-None-Match matches the version (weak
// comparison, RFC 9110, 13.1.2): then a GET answers 304.
func noneMatch(header string, version int) bool {
	if header == "" {
		return false
	}
	tags, any, err := parseTags(header)
	if err != nil {
		return false // a malformed validator cannot match: send the entity
	}
	if any {
		return true
	}
	for _, t := range tags {
		if t.valid && t.version == version {
			return true
		}
	}
	return false
}
