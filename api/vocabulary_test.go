package api_test

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/piprate/json-gold/ld"
)

// The linked-data documents are checked as a consumer reads them: a
// maintained JSON-LD processor (json-gold) expands them, so every term
// becomes the full IRI it stands for, and every IRI must then be a term of
// the vocabulary, used where the vocabulary allows it. The vocabularies
// are vendored in testdata (nothing is fetched): schema.org's rows for the
// types and properties used, and its JSON-LD context, as released
// (testdata/schemaorg/README.md); the DCAT-AP terms in
// testdata/dcat/dcat-ap-terms.tsv.

// offlineLoader serves the schema.org context from testdata and refuses
// every other remote document, so that expansion never goes out.
type offlineLoader struct{ schemaContext any }

func (l offlineLoader) LoadDocument(u string) (*ld.RemoteDocument, error) {
	switch strings.TrimSuffix(u, "/") {
	case "https://schema.org", "http://schema.org":
		if l.schemaContext != nil {
			return &ld.RemoteDocument{DocumentURL: u, Document: l.schemaContext}, nil
		}
	}
	return nil, fmt.Errorf("the test loads no remote document (%s)", u)
}

// expand expands a JSON-LD document with no remote access but schema.org's
// vendored context.
func expand(t *testing.T, body []byte, loader offlineLoader) []any {
	t.Helper()
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, body)
	}
	opts := ld.NewJsonLdOptions("")
	opts.DocumentLoader = loader
	expanded, err := ld.NewJsonLdProcessor().Expand(doc, opts)
	if err != nil {
		t.Fatalf("expanding: %v\n%s", err, body)
	}
	if len(expanded) == 0 {
		t.Fatalf("the document expands to nothing (terms the context does not define are dropped):\n%s", body)
	}
	return expanded
}

// schemaVocabulary is the part of schema.org the documents use.
type schemaVocabulary struct {
	context any
	// supertypes by type label (Organization → Thing).
	supertypes map[string][]string
	props      map[string]schemaProperty
}

type schemaProperty struct{ domains, ranges []string }

const schemaPrefix = "https://schema.org/"

func loadSchemaVocabulary(t *testing.T) schemaVocabulary {
	t.Helper()
	v := schemaVocabulary{supertypes: map[string][]string{}, props: map[string]schemaProperty{}}
	labels := func(iris string) []string {
		var out []string
		for _, iri := range strings.Split(iris, ",") {
			if iri = strings.TrimSpace(iri); strings.HasPrefix(iri, schemaPrefix) {
				out = append(out, strings.TrimPrefix(iri, schemaPrefix))
			}
		}
		return out
	}
	for _, row := range readCSV(t, "testdata/schemaorg/schemaorg-current-https-types.csv") {
		v.supertypes[row["label"]] = labels(row["subTypeOf"])
	}
	for _, row := range readCSV(t, "testdata/schemaorg/schemaorg-current-https-properties.csv") {
		v.props[row["label"]] = schemaProperty{domains: labels(row["domainIncludes"]), ranges: labels(row["rangeIncludes"])}
	}
	data, err := os.ReadFile("testdata/schemaorg/schemaorgcontext.jsonld")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &v.context); err != nil {
		t.Fatal(err)
	}
	return v
}

func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, rec := range records[1:] {
		row := map[string]string{}
		for i, name := range records[0] {
			row[name] = rec[i]
		}
		out = append(out, row)
	}
	return out
}

// ancestors is the type and every type above it.
func (v schemaVocabulary) ancestors(typ string) []string {
	out := []string{typ}
	for i := 0; i < len(out); i++ {
		for _, s := range v.supertypes[out[i]] {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// isA reports whether one of types is, or is under, one of classes.
func (v schemaVocabulary) isA(types, classes []string) bool {
	for _, t := range types {
		for _, a := range v.ancestors(t) {
			if slices.Contains(classes, a) {
				return true
			}
		}
	}
	return false
}

// schemaTerm turns an expanded IRI into a schema.org label ("" if it is
// not schema.org's). The context maps terms to http://schema.org/, the
// vocabulary files name them with https: both are schema.org's.
func schemaTerm(iri string) string {
	for _, p := range []string{"http://schema.org/", schemaPrefix} {
		if strings.HasPrefix(iri, p) {
			return strings.TrimPrefix(iri, p)
		}
	}
	return ""
}

var schemaDataTypes = []string{"Text", "URL", "Number", "Date", "DateTime", "Time", "Boolean", "Integer", "Float"}

// check validates an expanded document: every type a schema.org type,
// every property a schema.org property whose domain includes the node's
// type, and every value in its range. It returns what is wrong, and
// records each type.property it saw in used.
func (v schemaVocabulary) check(expanded []any, used map[string]bool) []string {
	var errs []string
	var node func(path string, n map[string]any)
	node = func(path string, n map[string]any) {
		var types []string
		for _, t := range asList(n["@type"]) {
			label := schemaTerm(t.(string))
			if _, ok := v.supertypes[label]; !ok || label == "" {
				errs = append(errs, fmt.Sprintf("%s: @type %v is not a schema.org type", path, t))
				continue
			}
			types = append(types, label)
		}
		for key, vals := range n {
			if strings.HasPrefix(key, "@") {
				continue
			}
			name := schemaTerm(key)
			prop, ok := v.props[name]
			if !ok || name == "" {
				errs = append(errs, fmt.Sprintf("%s: %s is not a schema.org property", path, key))
				continue
			}
			if !v.isA(types, prop.domains) {
				errs = append(errs, fmt.Sprintf("%s: %s is not a property of %v (only of %v)", path, name, types, prop.domains))
			}
			for _, t := range types {
				used[t+"."+name] = true
			}
			for _, val := range asList(vals) {
				m := val.(map[string]any)
				switch _, isValue := m["@value"]; {
				case isValue:
					if !v.literalFits(m, prop.ranges) {
						errs = append(errs, fmt.Sprintf("%s.%s: the value %v is not of %v", path, name, m, prop.ranges))
					}
				case m["@type"] == nil: // a reference by @id
					if !slices.Contains(prop.ranges, "URL") && !v.hasClassRange(prop.ranges) {
						errs = append(errs, fmt.Sprintf("%s.%s: a reference, but the range is %v", path, name, prop.ranges))
					}
				default:
					var inner []string
					for _, t := range asList(m["@type"]) {
						inner = append(inner, schemaTerm(t.(string)))
					}
					if !v.isA(inner, prop.ranges) {
						errs = append(errs, fmt.Sprintf("%s.%s: a %v, but the range is %v", path, name, inner, prop.ranges))
					}
					node(path+"."+name, m)
				}
			}
		}
	}
	for _, n := range expanded {
		node("", n.(map[string]any))
	}
	return errs
}

func (v schemaVocabulary) hasClassRange(ranges []string) bool {
	for _, r := range ranges {
		if !slices.Contains(schemaDataTypes, r) {
			return true
		}
	}
	return false
}

// literalFits reports whether a literal is of one of the ranges: a typed
// literal by its type, a number a Number, a string a Text (or a URL).
func (v schemaVocabulary) literalFits(m map[string]any, ranges []string) bool {
	if typ, ok := m["@type"].(string); ok {
		return v.isA([]string{schemaTerm(typ)}, ranges)
	}
	switch m["@value"].(type) {
	case float64:
		return slices.Contains(ranges, "Number")
	case string:
		return v.isA([]string{"Text", "URL"}, ranges)
	}
	return false
}

func asList(v any) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return x
	default:
		return []any{x}
	}
}

// dcatTerm is a term of testdata/dcat/dcat-ap-terms.tsv.
type dcatTerm struct {
	class     bool
	classes   []string // where a property is used
	mandatory []string // where it must be
}

func loadDCATTerms(t *testing.T) map[string]dcatTerm {
	t.Helper()
	f, err := os.Open("testdata/dcat/dcat-ap-terms.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	terms := map[string]dcatTerm{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		term := dcatTerm{class: cols[1] == "class"}
		if !term.class {
			term.classes = strings.Split(cols[2], ",")
			if m, ok := strings.CutPrefix(cols[3], "mandatory:"); ok {
				term.mandatory = strings.Split(m, ",")
			}
		}
		terms[cols[0]] = term
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return terms
}

// checkDCAT validates an expanded catalogue: every type and property a
// DCAT-AP term used on a class DCAT-AP lists it on, and every property
// DCAT-AP makes mandatory for a node's class present. It records each
// class it saw in seen (counting them).
func checkDCAT(terms map[string]dcatTerm, expanded []any, seen map[string]int) []string {
	var errs []string
	var node func(path string, n map[string]any)
	node = func(path string, n map[string]any) {
		var types []string
		for _, t := range asList(n["@type"]) {
			typ := t.(string)
			if term, ok := terms[typ]; !ok || !term.class {
				errs = append(errs, fmt.Sprintf("%s: @type %s is not a DCAT-AP class", path, typ))
			}
			types = append(types, typ)
			seen[typ]++
		}
		for key, vals := range n {
			if strings.HasPrefix(key, "@") {
				continue
			}
			term, ok := terms[key]
			if !ok || term.class {
				errs = append(errs, fmt.Sprintf("%s: %s is not a DCAT-AP property", path, key))
				continue
			}
			if !slices.ContainsFunc(types, func(t string) bool { return slices.Contains(term.classes, t) }) {
				errs = append(errs, fmt.Sprintf("%s: %s is not used on %v in DCAT-AP (only on %v)", path, key, types, term.classes))
			}
			for _, val := range asList(vals) {
				if m, ok := val.(map[string]any); ok && m["@type"] != nil && m["@value"] == nil {
					node(path+" "+key, m)
				}
			}
		}
		for iri, term := range terms {
			for _, t := range types {
				if slices.Contains(term.mandatory, t) && n[iri] == nil {
					errs = append(errs, fmt.Sprintf("%s: the %s lacks %s, which DCAT-AP makes mandatory", path, t, iri))
				}
			}
		}
	}
	for _, n := range expanded {
		node("catalogue", n.(map[string]any))
	}
	return errs
}
