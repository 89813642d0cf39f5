package fold_test

import (
	"math/rand/v2"
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

// TestStringAgreesWithNormalising: the table's character-at-a-time fold
// gives what normalising the whole text gives, on every character of its
// ranges alone and on random text of those characters, ASCII, combining
// marks (also in non-canonical order) and characters outside the table.
func TestStringAgreesWithNormalising(t *testing.T) {
	var alphabet []rune
	for r := rune(0); r < 0x80; r++ {
		alphabet = append(alphabet, r)
	}
	for _, span := range [][2]rune{{0x80, 0x250}, {0x300, 0x370}, {0x1E00, 0x1F00}, {0x370, 0x400}, {0x4E00, 0x4E10}} {
		for r := span[0]; r < span[1]; r++ {
			alphabet = append(alphabet, r)
			if got, want := fold.String(string(r)), fold.General(string(r)); got != want {
				t.Errorf("U+%04X: String %q, normalising %q", r, got, want)
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		n := rng.IntN(12)
		rs := make([]rune, n)
		for i := range rs {
			if rng.IntN(3) == 0 {
				rs[i] = rune(0x300 + rng.IntN(0x70)) // marks, in any order
			} else {
				rs[i] = alphabet[rng.IntN(len(alphabet))]
			}
		}
		s := string(rs)
		if got, want := fold.String(s), fold.General(s); got != want {
			t.Fatalf("%q (%U): String %q, normalising %q", s, rs, got, want)
		}
	}
}

func BenchmarkString(b *testing.B) {
	const text = "Xưởng gốm Bát Tràng giữ nghề truyền thống, làm đồ thủ công mỹ nghệ cho các không gian sáng tạo ở Hà Nội."
	b.Run("table", func(b *testing.B) {
		for b.Loop() {
			fold.String(text)
		}
	})
	b.Run("normalising", func(b *testing.B) {
		for b.Loop() {
			fold.General(text)
		}
	})
}
