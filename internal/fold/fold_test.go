package fold_test

import (
	"testing"

	"github.com/hanoicreative/registry/internal/fold"
)

func TestString(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Hoàn Kiếm", "hoan kiem"},
		{"ĐỒNG", "dong"},
		{"đồ thủ công", "do thu cong"},
		{"Nghệ nhân", "nghe nhan"},
		{"Thương hiệu", "thuong hieu"},
		{"Phở", "pho"},
		{"Ư ơ ă â ê ô", "u o a a e o"},
		{"Hoa\u0300n Kie\u0302\u0301m", "hoan kiem"}, // decomposed input
		{"ABC def", "abc def"},
		{"北京", "北京"},
		{"", ""},
	}
	for _, c := range cases {
		if got := fold.String(c.in); got != c.want {
			t.Errorf("String(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestNFC(t *testing.T) {
	if got := fold.NFC("Ha\u0300 No\u0302\u0323i"); got != "Hà Nội" {
		t.Errorf("NFC = %q", got)
	}
}

func TestWords(t *testing.T) {
	got := fold.Words("  Làng  gốm\tBát Tràng ")
	want := []string{"lang", "gom", "bat", "trang"}
	if len(got) != len(want) {
		t.Fatalf("Words = %q", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Words = %q, want %q", got, want)
		}
	}
}

func TestSlug(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Không gian sáng tạo Đông Dương", "khong-gian-sang-tao-dong-duong"},
		{"  Hanoi Creative City!! ", "hanoi-creative-city"},
		{"Zone 9 — Ba Đình", "zone-9-ba-dinh"},
		{"Café & Tea", "cafe-tea"},
		{"北京", ""},
		{"--", ""},
	}
	for _, c := range cases {
		if got := fold.Slug(c.in); got != c.want {
			t.Errorf("Slug(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
