package webhooks_test

import (
	"testing"

	"github.com/hanoicreative/registry/internal/webhooks"
)

// TestSignatureMatchesTheSpecificationsExample: the example of the
// Standard Webhooks specification's reference libraries.
func TestSignatureMatchesTheSpecificationsExample(t *testing.T) {
	got, err := webhooks.Signature([]string{"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, []byte(`{"test": 2432232314}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="; got != want {
		t.Fatalf("signature %s, want %s", got, want)
	}
	if _, err := webhooks.Signature([]string{"whsec_not base64!"}, "m", 1, nil); err == nil {
		t.Fatal("a malformed secret signed")
	}
}
