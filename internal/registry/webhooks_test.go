package registry_test

import (
	"encoding/json"
	"net/netip"
	"testing"
	"time"

	"github.com/hanoicreative/registry/internal/registry"
)

func TestPublicAddr(t *testing.T) {
	for _, c := range []struct {
		ip     string
		public bool
	}{
		{"93.184.216.34", true}, {"2606:2800:220:1:248:1893:25c8:1946", true}, {"1.1.1.1", true},
		{"127.0.0.1", false}, {"10.0.0.1", false}, {"172.16.5.4", false}, {"192.168.1.1", false},
		{"169.254.169.254", false}, {"100.64.0.1", false}, {"0.0.0.0", false}, {"224.0.0.1", false},
		{"192.0.2.1", false}, {"198.18.0.1", false}, {"255.255.255.255", false},
		{"::1", false}, {"fe80::1", false}, {"fd00::1", false}, {"::ffff:127.0.0.1", false}, {"::ffff:10.0.0.1", false},
		{"2001:db8::1", false}, {"64:ff9b::a00:1", false}, {"ff02::1", false},
	} {
		if got := registry.PublicAddr(netip.MustParseAddr(c.ip)); got != c.public {
			t.Errorf("PublicAddr(%s) = %v, want %v", c.ip, got, c.public)
		}
	}
}

func TestCheckWebhookURL(t *testing.T) {
	for _, c := range []struct {
		url          string
		allowPrivate bool
		ok           bool
	}{
		{"https://partner.example.org/hooks", false, true},
		{"https://93.184.216.34:8443/h", false, true},
		{"http://partner.example.org/hooks", false, false},
		{"ftp://partner.example.org/", false, false},
		{"https://127.0.0.1/h", false, false},
		{"https://[::1]/h", false, false},
		{"https://localhost:8443/h", false, false},
		{"https://printer.local/h", false, false},
		{"https://user:pw@partner.example.org/", false, false},
		{"https://partner.example.org/#x", false, false},
		{"partner.example.org/hooks", false, false},
		{"", false, false},
		{"http://127.0.0.1:9000/h", true, true},
		{"http://localhost/h", true, true},
		{"ftp://127.0.0.1/h", true, false},
	} {
		errs := registry.CheckWebhookURL(c.url, c.allowPrivate)
		if (len(errs) == 0) != c.ok {
			t.Errorf("CheckWebhookURL(%q, %v) = %v, want ok=%v", c.url, c.allowPrivate, errs, c.ok)
		}
		for _, e := range errs {
			if e.Field != "url" || e.Message == "" {
				t.Errorf("%q: %+v", c.url, e)
			}
		}
	}
}

func TestChangeEventBody(t *testing.T) {
	at := time.Date(2026, 11, 22, 10, 15, 0, 0, time.UTC)
	id, typ, body, err := registry.ChangeEvent(registry.Change{Seq: 42, EntityID: "e1", Slug: "xuong", Action: registry.ActionArchived, Version: 3, At: at})
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	data, _ := got["data"].(map[string]any)
	if id != "msg_change_42" || typ != "entity.archived" || got["type"] != "entity.archived" || got["timestamp"] != "2026-11-22T10:15:00Z" ||
		data["id"] != "e1" || data["slug"] != "xuong" || data["version"] != 3.0 || data["seq"] != 42.0 || len(got) != 3 || len(data) != 4 {
		t.Fatalf("%s %s %s", id, typ, body)
	}
}
