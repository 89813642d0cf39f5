package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// logLine is what summarizeLog reads of the server's JSON log lines.
type logLine struct {
	Level string `json:"level"`
	Msg   string `json:"msg"`
	Trace struct {
		Duration string `json:"duration"`
		SQL      string `json:"sql"`
	} `json:"trace"`
}

var (
	// literal is an SQL string or number literal: statements that differ
	// only in them count together.
	literal = regexp.MustCompile(`'(?:[^']|'')*'|\b\d+\b`)
)

// summarizeLog counts the server's log lines by level and message, and
// slow-SQL warnings by statement shape, most frequent first: "3 × WARN SQL
// executed: SELECT … FROM entities e WHERE … (slowest 243ms: …)", one
// string per kind; none for an empty log.
func summarizeLog(log string) []string {
	type group struct {
		count   int
		slowest time.Duration
		example string
	}
	groups := map[string]*group{}
	var order []string
	for _, line := range strings.Split(strings.TrimSpace(log), "\n") {
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		key, example := clip(line, 200), clip(line, 400)
		var l logLine
		if json.Unmarshal([]byte(line), &l) == nil && l.Msg != "" {
			key = l.Level + " " + l.Msg
			if l.Trace.SQL != "" {
				sql := shortSelect(strings.Join(strings.Fields(l.Trace.SQL), " "))
				key += ": " + clip(literal.ReplaceAllString(sql, "?"), 200)
				example = clip(sql, 400)
			}
		}
		g := groups[key]
		if g == nil {
			g = &group{example: example}
			groups[key] = g
			order = append(order, key)
		}
		g.count++
		if d, err := time.ParseDuration(l.Trace.Duration); err == nil && d > g.slowest {
			g.slowest, g.example = d, example
		}
	}
	slices.SortStableFunc(order, func(a, b string) int { return groups[b].count - groups[a].count })

	const shown = 6
	var parts []string
	for i, key := range order {
		if i == shown {
			rest := 0
			for _, k := range order[shown:] {
				rest += groups[k].count
			}
			parts = append(parts, fmt.Sprintf("%d more lines of %d other kinds", rest, len(order)-shown))
			break
		}
		g := groups[key]
		part := fmt.Sprintf("%d × %s", g.count, key)
		if g.slowest > 0 {
			part += fmt.Sprintf(" (slowest %s: %s)", g.slowest.Round(time.Millisecond), g.example)
		} else if g.example != key {
			part += " (e.g. " + g.example + ")"
		}
		parts = append(parts, part)
	}
	return parts
}

// shortSelect leaves a statement's long list of selected columns out.
func shortSelect(sql string) string {
	from := strings.Index(sql, " FROM ")
	if !strings.HasPrefix(sql, "SELECT ") || from < 60 {
		return sql
	}
	return "SELECT …" + sql[from:]
}

// clip shortens s to at most n bytes, on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
