package accounts

import (
	"context"
	"strings"
	"testing"
)

func TestCheckPassword(t *testing.T) {
	for _, c := range []struct {
		password, email, want string
	}{
		{"", "", "required"},
		{"short9char", "", ""},
		{"nine char", "", "min"},
		{"mật khẩu ngắn", "", ""}, // 13 characters, 18 bytes: counted in characters
		{"mậtkhẩu", "", "min"},
		{strings.Repeat("x", MaxPasswordLength+1), "", "max"},
		{"password123", "", "common"},
		{"PassWord123", "", "common"}, // in any case
		{"1qaz2wsx3edc", "", "common"},
		{"manchester", "", "common"},
		{"lan.nguyen@example.vn", "Lan.Nguyen@example.vn", "email"},
		{"Hồ Gươm vào thu 2026", "lan@example.vn", ""},
		{"bad \xff utf-8 text", "", "encoding"},
	} {
		got := ""
		if errs := CheckPassword(c.password, c.email); len(errs) > 0 {
			got = errs[0].Code
			if errs[0].Field != "password" || errs[0].Message == "" {
				t.Errorf("%q: %+v", c.password, errs[0])
			}
		}
		if got != c.want {
			t.Errorf("CheckPassword(%q) = %q, want %q", c.password, got, c.want)
		}
	}
}

func TestCommonPasswordsAreLoaded(t *testing.T) {
	set := commonPasswords()
	if len(set) < 1500 {
		t.Fatalf("%d common passwords; the list has 1,529", len(set))
	}
	for w := range set {
		if len([]rune(w)) < MinPasswordLength || w != strings.ToLower(w) {
			t.Fatalf("%q should not be in the list: shorter ones are refused anyway, and it is looked up in lower case", w)
		}
	}
}

func TestArgon2idHashAndVerify(t *testing.T) {
	ctx := context.Background()
	p := newPasswords(*DefaultHashing)
	h, err := p.hash(ctx, "Hồ Gươm vào thu 2026")
	if err != nil {
		t.Fatal(err)
	}
	// The PHC string names the algorithm and the parameters it was made with.
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q", h)
	}
	if again, _ := p.hash(ctx, "Hồ Gươm vào thu 2026"); again == h {
		t.Error("two hashes of one password are equal: no salt")
	}
	for pw, want := range map[string]bool{"Hồ Gươm vào thu 2026": true, "Ho Guom vao thu 2026": false, "": false} {
		if ok, err := p.verify(ctx, pw, h); err != nil || ok != want {
			t.Errorf("verify(%q) = %v, %v; want %v", pw, ok, err, want)
		}
	}
	// No hash (no account, no password yet) never verifies, but does the work.
	if ok, err := p.verify(ctx, "no account has this password", ""); ok || err != nil {
		t.Errorf("verify against no hash = %v, %v", ok, err)
	}
	if _, err := p.verify(ctx, "x", "$argon2id$garbage"); err == nil {
		t.Error("a malformed hash verified without error")
	}
}
