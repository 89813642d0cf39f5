// Package messages is the one catalogue of what the registry says to
// people, in English and Vietnamese. Messages are keyed by their English
// format string (as given to registry.Errorf and registry.Fieldf), so code
// keeps writing plain English sentences; the catalogue translates them and
// chooses plural forms. A message it does not know is shown in English.
//
// The API renders problem documents with it, the command line its
// summaries; the console will render the same messages.
package messages

import (
	"fmt"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/message/catalog"

	"github.com/hanoicreative/registry/internal/registry"
)

// The languages of the catalogue; the first is the fallback.
var (
	English    = language.English
	Vietnamese = language.Vietnamese
)

// Catalogue holds every message in both languages. Build it once with New
// and pass it where messages are rendered; it is safe for concurrent use.
type Catalogue struct {
	cat     *catalog.Builder
	matcher language.Matcher
	keys    []string
}

// New builds the catalogue.
func New() *Catalogue {
	b := catalog.NewBuilder(catalog.Fallback(English))
	c := &Catalogue{cat: b, matcher: language.NewMatcher([]language.Tag{English, Vietnamese})}
	for _, e := range append(append(append(entries(), consoleEntries()...), imageEntries()...), webhookEntries()...) {
		if e.en != nil {
			mustSet(b, English, e.key, e.en)
		}
		mustSet(b, Vietnamese, e.key, e.vi)
		c.keys = append(c.keys, e.key)
	}
	return c
}

func mustSet(b *catalog.Builder, tag language.Tag, key string, msg catalog.Message) {
	if err := b.Set(tag, key, msg); err != nil {
		panic(fmt.Sprintf("messages: %q: %v", key, err)) // a bad table is a bug found by every test
	}
}

// Keys returns the English keys of every message in the catalogue.
func (c *Catalogue) Keys() []string { return append([]string(nil), c.keys...) }

// Language returns the language to answer in for an Accept-Language header
// (RFC 9110, 12.5.4): Vietnamese when the reader prefers it to English,
// else English.
func (c *Catalogue) Language(acceptLanguage string) language.Tag {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return English
	}
	_, i, conf := c.matcher.Match(tags...)
	if conf == language.No || i != 1 {
		return English
	}
	return Vietnamese
}

// Locale returns the language to answer in for a POSIX locale such as
// LANG=vi_VN.UTF-8 (the command line's Accept-Language).
func (c *Catalogue) Locale(posix string) language.Tag {
	name, _, _ := strings.Cut(posix, ".")
	name, _, _ = strings.Cut(name, "@")
	return c.Language(strings.ReplaceAll(name, "_", "-"))
}

// Has reports whether the catalogue has key in lang.
func (c *Catalogue) Has(lang language.Tag, key string) bool {
	r := &renderer{}
	return c.cat.Context(lang, r).Execute(key) == nil
}

// Sprintf renders the message whose English format is format, with args,
// in lang. Arguments that are errors of the domain are rendered in lang
// too. Numbers are printed as Go prints them (years stay 2026, not 2.026).
func (c *Catalogue) Sprintf(lang language.Tag, format string, args ...any) string {
	args = c.localArgs(lang, args)
	r := &renderer{args: args}
	if err := c.cat.Context(lang, r).Execute(format); err != nil {
		return fmt.Sprintf(format, args...)
	}
	return fmt.Sprintf(r.buf.String(), args...)
}

// Text translates a message that was written without a format (a
// FieldError's literal Message), as it is.
func (c *Catalogue) Text(lang language.Tag, msg string) string {
	r := &renderer{}
	if err := c.cat.Context(lang, r).Execute(msg); err != nil {
		return msg
	}
	return r.buf.String()
}

func (c *Catalogue) localArgs(lang language.Tag, args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = a
		if e, ok := a.(*registry.Error); ok {
			out[i] = c.message(lang, e.Message, e.Format, e.Args)
		}
	}
	return out
}

func (c *Catalogue) message(lang language.Tag, msg, format string, args []any) string {
	if format != "" {
		return c.Sprintf(lang, format, args...)
	}
	return c.Text(lang, msg)
}

// Error returns err as a domain error whose message and field messages are
// in lang (err itself is not changed). Errors the domain did not classify
// are internal errors, as everywhere.
func (c *Catalogue) Error(lang language.Tag, err error) *registry.Error {
	e := registry.AsError(err)
	out := *e
	out.Message = c.message(lang, e.Message, e.Format, e.Args)
	out.Fields = make([]registry.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		f.Message = c.message(lang, f.Message, f.Format, f.Args)
		out.Fields[i] = f
	}
	return &out
}

// renderer receives the format a catalogue entry selects (plural forms
// choose by the arguments) and leaves the formatting to fmt.
type renderer struct {
	args []any
	buf  strings.Builder
}

// Arg returns the i-th argument, from 1, for plural selection.
func (r *renderer) Arg(i int) any {
	if i >= 1 && i <= len(r.args) {
		return r.args[i-1]
	}
	return nil
}

func (r *renderer) Render(s string) { r.buf.WriteString(s) }
