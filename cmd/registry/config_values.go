package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hanoicreative/registry/api"
)

// The types of the settings: each parses its variable's text and, when it
// cannot, says what it accepts (a valueError).

// valueError says what a setting accepts.
type valueError string

func (e valueError) Error() string { return string(e) }

// onOff is a switch: true/false, on/off, yes/no, 1/0, any case.
type onOff bool

func (b *onOff) UnmarshalText(text []byte) error {
	switch strings.ToLower(strings.TrimSpace(string(text))) {
	case "1", "t", "true", "on", "yes", "y":
		*b = true
	case "0", "f", "false", "off", "no", "n":
		*b = false
	default:
		return valueError("use on or off (or true/false, yes/no, 1/0)")
	}
	return nil
}

// logLevel is a slog level by name.
type logLevel slog.Level

func (l *logLevel) UnmarshalText(text []byte) error {
	var level slog.Level
	if err := level.UnmarshalText(text); err != nil {
		return valueError("use debug, info, warn or error")
	}
	*l = logLevel(level)
	return nil
}

// logFormat is json or text.
type logFormat string

func (f *logFormat) UnmarshalText(text []byte) error {
	switch s := strings.ToLower(strings.TrimSpace(string(text))); s {
	case "json", "text":
		*f = logFormat(s)
		return nil
	}
	return valueError("use json or text")
}

// positiveDuration is a Go duration above zero, such as 30s or 2m.
type positiveDuration time.Duration

func (d *positiveDuration) UnmarshalText(text []byte) error {
	v, err := time.ParseDuration(strings.TrimSpace(string(text)))
	if err != nil || v <= 0 {
		return valueError("use a duration above zero with its unit, such as 30s, 1m30s or 2m")
	}
	*d = positiveDuration(v)
	return nil
}

// optionalAddr is a host:port to listen on, or off (empty).
type optionalAddr string

func (a *optionalAddr) UnmarshalText(text []byte) error {
	s := strings.TrimSpace(string(text))
	if strings.EqualFold(s, "off") {
		*a = ""
		return nil
	}
	if _, port, err := net.SplitHostPort(s); err != nil || port == "" {
		return valueError("use host:port, such as 127.0.0.1:9090 or :9090, or off")
	}
	*a = optionalAddr(s)
	return nil
}

// rateLimit is a per-client rate such as 20/s; empty or off is none.
type rateLimit struct {
	*api.RateLimit
	text string
}

func (r rateLimit) String() string {
	if r.RateLimit == nil {
		return "off"
	}
	return r.text
}

func (r *rateLimit) UnmarshalText(text []byte) error {
	s := strings.TrimSpace(string(text))
	if s == "" || strings.EqualFold(s, "off") {
		r.RateLimit = nil
		return nil
	}
	rl, err := api.ParseRateLimit(s)
	if err != nil {
		return valueError("use N/s, N/m or N/h with N at least 1, such as 20/s, or off")
	}
	r.RateLimit, r.text = rl, s
	return nil
}

// commaList is a comma-separated list; blanks around items are dropped.
type commaList []string

func (l *commaList) UnmarshalText(text []byte) error {
	*l = splitComma(string(text))
	return nil
}

// cidrList is a comma-separated list of networks.
type cidrList []*net.IPNet

func (l *cidrList) UnmarshalText(text []byte) error {
	*l = nil
	for _, cidr := range splitComma(string(text)) {
		_, n, err := net.ParseCIDR(cidr)
		if err != nil {
			return valueError(fmt.Sprintf("%q is not a network: use CIDRs separated by commas, such as 10.0.0.0/8,192.168.1.0/24", cidr))
		}
		*l = append(*l, n)
	}
	return nil
}

// cacheSize is MiB of cached answers, or auto (sized to the memory limit).
type cacheSize struct {
	auto bool
	mib  uint64
}

func (c *cacheSize) UnmarshalText(text []byte) error {
	s := strings.TrimSpace(string(text))
	if strings.EqualFold(s, "auto") {
		*c = cacheSize{auto: true}
		return nil
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		return valueError("use auto, or a whole number of MiB (0 turns the cache off)")
	}
	*c = cacheSize{mib: n}
	return nil
}

// readTurns is how many uncached reads are computed at once; 0 is auto.
type readTurns int

func (n *readTurns) UnmarshalText(text []byte) error {
	s := strings.TrimSpace(string(text))
	if strings.EqualFold(s, "auto") {
		*n = 0
		return nil
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 1 || v > 1024 {
		return valueError("use auto, or a whole number from 1 to 1024")
	}
	*n = readTurns(v)
	return nil
}

func splitComma(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// baseURL is the address people reach the server at: an absolute http or
// https URL, a path prefix kept, without a trailing slash.
type baseURL string

func (u *baseURL) UnmarshalText(text []byte) error {
	s := strings.TrimRight(strings.TrimSpace(string(text)), "/")
	p, err := url.Parse(s)
	if err != nil || p.Scheme != "http" && p.Scheme != "https" || p.Host == "" || p.User != nil || p.RawQuery != "" || p.Fragment != "" {
		return valueError("use an absolute http or https URL, such as https://registry.example.vn (a path prefix is kept)")
	}
	*u = baseURL(s)
	return nil
}
