package registry

import (
	"encoding/json"
	"net/netip"
	"net/url"
	"strconv"
	"time"
)

// CheckWebhookURL applies the rule for targets: an absolute https URL on a
// public host. An address literal must be public; a name is checked again
// at every delivery against the address it resolves to (PublicAddr), since
// DNS may change. allowPrivate (development, tests) also allows http and
// private or loopback hosts.
func CheckWebhookURL(raw string, allowPrivate bool) []FieldError {
	bad := func(msg string) []FieldError {
		return []FieldError{{Field: "url", Code: "url", Message: msg}}
	}
	if raw == "" {
		return []FieldError{{Field: "url", Code: "required", Message: "url is required."}}
	}
	if len(raw) > 2000 {
		return bad("url must be at most 2000 characters long.")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Hostname() == "" {
		return bad("url must be an absolute URL, such as https://example.org/hooks.")
	}
	if u.User != nil {
		return bad("url must not hold a user name or password.")
	}
	if u.Fragment != "" {
		return bad("url must not have a fragment (#...).")
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && allowPrivate:
	default:
		return bad("url must start with https://.")
	}
	if allowPrivate {
		return nil
	}
	host := u.Hostname()
	if ip, err := netip.ParseAddr(host); err == nil {
		if !PublicAddr(ip) {
			return bad("url must name a public address, not a private, loopback or reserved one.")
		}
		return nil
	}
	if host == "localhost" || hasSuffix(host, ".localhost") || hasSuffix(host, ".local") || hasSuffix(host, ".internal") {
		return bad("url must name a public address, not a private, loopback or reserved one.")
	}
	return nil
}

// nonPublic are the ranges a webhook may not reach unless private targets
// are allowed: private, loopback, link-local, shared (CGNAT), multicast,
// documentation, benchmarking and other reserved blocks.
var nonPublic = func() []netip.Prefix {
	var ps []netip.Prefix
	for _, s := range []string{
		"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
		"172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16",
		"198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
		"::/128", "::1/128", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32",
		"fc00::/7", "fe80::/10", "ff00::/8",
	} {
		ps = append(ps, netip.MustParsePrefix(s))
	}
	return ps
}()

// PublicAddr reports whether ip is a public unicast address.
func PublicAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsUnspecified() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() ||
		ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() || ip.IsMulticast() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

func hasSuffix(s, suffix string) bool {
	return len(s) >= len(suffix) && s[len(s)-len(suffix):] == suffix
}

// EventData is what an event says of a change: receivers fetch the
// entity themselves.
type EventData struct {
	ID      string
	Slug    string
	Version int
	Seq     int64
}

// EventPayload is the body of an event, as the contract gives it:
// {"type", "timestamp", "data": {"id", "slug", "version", "seq"}}; data is
// an empty object for a ping.
func EventPayload(eventType string, at time.Time, data *EventData) ([]byte, error) {
	d := map[string]any{}
	if data != nil {
		d = map[string]any{"id": data.ID, "slug": data.Slug, "version": data.Version, "seq": data.Seq}
	}
	return json.Marshal(map[string]any{"type": eventType, "timestamp": at.UTC().Format(time.RFC3339), "data": d})
}

// ChangeEvent is the event of a change of the feed.
func ChangeEvent(c Change) (eventID, eventType string, payload []byte, err error) {
	eventType = EventType(c.Action)
	payload, err = EventPayload(eventType, c.At, &EventData{ID: c.EntityID, Slug: c.Slug, Version: c.Version, Seq: c.Seq})
	return ChangeEventID(c.Seq), eventType, payload, err
}

// ChangeEventID names the event of change seq: the same on every retry
// and for every endpoint, so receivers can de-duplicate by webhook-id.
func ChangeEventID(seq int64) string { return "msg_change_" + itoaInt64(seq) }

func itoaInt64(n int64) string { return strconv.FormatInt(n, 10) }
