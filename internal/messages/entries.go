package messages

import (
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/message/catalog"
)

// entry is one message: its key (the English format), its English form
// when it differs from the key (plural forms), and its Vietnamese form.
type entry struct {
	key string
	en  catalog.Message
	vi  catalog.Message
}

// t is a message whose English form is its key.
func t(key, vi string) entry { return entry{key: key, vi: catalog.String(vi)} }

// countOf is a message whose English form depends on the count in
// argument arg (from 1): one is the singular sentence, key the plural.
// Vietnamese nouns do not change with number.
func countOf(arg int, key, one, vi string) entry {
	return entry{key: key, en: plural.Selectf(arg, "%d", plural.One, one, plural.Other, key), vi: catalog.String(vi)}
}
