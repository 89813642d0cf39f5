package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/registry"
)

// TestStaffPasswordReset: an admin's reset ends every session of the
// account at once (no other's), replaces its earlier links with one that
// works once, leaves the current password working until the link is used,
// is logged without the link's secret, and refuses a disabled account.
func TestStaffPasswordReset(t *testing.T) {
	staffEngines(t, func(t *testing.T, s staffEnv) {
		lan := s.account(t, "lan@example.vn", auth.Editor)
		minh := s.account(t, "minh@example.vn", auth.Admin)
		phone, laptop := s.signIn(t, "lan@example.vn", goodPassword), s.signIn(t, "lan@example.vn", goodPassword)
		admin := s.signIn(t, "minh@example.vn", goodPassword)
		earlier, _, err := s.staff.IssuePasswordToken(s.ctx, lan.ID)
		if err != nil {
			t.Fatal(err)
		}

		token, expires, err := s.staff.ResetPassword(s.ctx, lan.ID, minh.ID)
		if err != nil || !expires.Equal(s.clock.Now().Add(24*time.Hour)) {
			t.Fatalf("reset: expires %v, %v", expires, err)
		}
		for _, session := range []string{phone, laptop} {
			_, _, err := s.staff.Authenticate(s.ctx, session)
			wantCode(t, err, registry.EUNAUTHORIZED)
		}
		if _, _, err := s.staff.Authenticate(s.ctx, admin); err != nil {
			t.Errorf("another account's session ended: %v", err)
		}
		_, err = s.staff.TokenAccount(s.ctx, earlier)
		wantCode(t, err, registry.ENOTFOUND)
		s.signIn(t, "lan@example.vn", goodPassword) // until the link is used

		if _, err := s.staff.SetPasswordWithToken(s.ctx, token, "Tháp Rùa soi bóng 2026"); err != nil {
			t.Fatal(err)
		}
		_, err = s.staff.SetPasswordWithToken(s.ctx, token, "Tháp Rùa soi bóng 2027")
		wantCode(t, err, registry.ENOTFOUND)
		s.signIn(t, "lan@example.vn", "Tháp Rùa soi bóng 2026")

		log := s.log.String()
		if !strings.Contains(log, "staff password reset") || !strings.Contains(log, "account="+lan.ID) ||
			!strings.Contains(log, "by="+minh.ID) || !strings.Contains(log, "sessions_ended=2") {
			t.Errorf("the reset is not logged with the account, the admin and the sessions ended:\n%s", log)
		}
		if strings.Contains(log, token) || strings.Contains(log, earlier) {
			t.Errorf("the log holds a link's secret:\n%s", log)
		}

		if _, err := s.staff.Disable(s.ctx, lan.ID); err != nil {
			t.Fatal(err)
		}
		_, _, err = s.staff.ResetPassword(s.ctx, lan.ID, minh.ID)
		wantCode(t, err, registry.ECONFLICT)
		_, _, err = s.staff.ResetPassword(s.ctx, "0193b0c4-5d1e-7c2a-9f00-3c1d2e4f5a6b", minh.ID)
		wantCode(t, err, registry.ENOTFOUND)
	})
}
