package search_test

import (
	"slices"
	"testing"

	"github.com/hanoicreative/registry/internal/search"
)

func TestSplitAtSpacesAndPunctuation(t *testing.T) {
	got := search.Split("Phố Sách 19/12, (Hà-Nội)… gốm_sứ Ho\u0300an")
	want := []string{"Phố", "Sách", "19", "12", "Hà", "Nội", "gốm", "sứ", "Ho\u0300an"}
	if !slices.Equal(got, want) {
		t.Fatalf("Split = %q, want %q", got, want)
	}
}

// TestTokensFoldAndKeepTheWordAsWritten: case, NFC/NFD and the tone
// mark's old and new placement make the same token; đ folds to d but is
// kept as written.
func TestTokensFoldAndKeepTheWordAsWritten(t *testing.T) {
	same := [][]string{
		{"hoà", "hòa", "HOÀ", "Ho\u0300a", "hoa\u0300"},
		{"Đống", "đống", "Đo\u0302\u0301ng"},
		{"thuỷ", "thủy"},
	}
	for _, group := range same {
		first := search.NewToken(group[0])
		for _, w := range group[1:] {
			if got := search.NewToken(w); got != first {
				t.Errorf("%q → %+v, but %q → %+v", group[0], first, w, got)
			}
		}
	}
	if tk := search.NewToken("Đống"); tk.Folded != "dong" || tk.Base != "đông" {
		t.Errorf("Đống → %+v", tk)
	}
	if got := search.ParseKey(search.NewToken("Lụa").Key()); got != search.NewToken("lụa") {
		t.Errorf("ParseKey(Key) = %+v", got)
	}
}

func TestMatchToken(t *testing.T) {
	type want struct {
		ok              bool
		edits           uint8
		prefix, untyped bool
	}
	cases := []struct {
		word, token string
		typos       bool
		want        want
	}{
		{"gom", "Gốm", false, want{ok: true, untyped: true}},
		{"gốm", "Gốm", false, want{ok: true}},
		{"art", "Artisan", false, want{ok: true, prefix: true}},
		{"art", "Smart", false, want{}},
		{"lụa", "Lụa", false, want{ok: true}},
		{"lụa", "Lửa", false, want{ok: true, untyped: true}},
		{"hoà", "hòa", false, want{ok: true}},
		{"heritge", "Heritage", false, want{}},
		{"heritge", "Heritage", true, want{ok: true, edits: 1, untyped: true}},
		{"gome", "game", true, want{}}, // 4 letters: no typos
		{"kiemm", "kiếm", true, want{ok: true, edits: 1, untyped: true}},
		{"craftsmnship", "craftsmanship", true, want{ok: true, edits: 1, untyped: true}},
		{"crfsmanship", "craftsmanship", true, want{ok: true, edits: 2, untyped: true}}, // 11 letters: two edits
		{"heritxgx", "heritage", true, want{}},                                          // 8 letters: one edit only
	}
	for _, c := range cases {
		q := search.NewQuery([]string{c.word})
		q.Typos[0] = c.typos
		m, ok := q.MatchToken(0, search.NewToken(c.token))
		got := want{ok: ok, edits: m.Edits, prefix: m.Prefix, untyped: m.Untyped}
		if !ok {
			got = want{}
		}
		if got != c.want {
			t.Errorf("%q vs %q (typos %v): %+v, want %+v", c.word, c.token, c.typos, got, c.want)
		}
	}
}

// rank orders entities for a query as both engines do: by key, then (here)
// as given.
func rank(q string, es []search.EntityText) []string {
	query := search.NewQuery(search.Split(q))
	type hit struct {
		name string
		key  search.Key
	}
	var hits []hit
	for _, e := range es {
		if k, ok := query.Rank(e.Segments()); ok {
			hits = append(hits, hit{e.Name, k})
		}
	}
	slices.SortStableFunc(hits, func(a, b hit) int { return int(a.key) - int(b.key) })
	var out []string
	for _, h := range hits {
		out = append(out, h.name)
	}
	return out
}

// TestContractExamples: the examples of API.md's q.
func TestContractExamples(t *testing.T) {
	es := []search.EntityText{
		{Name: "Xưởng Gốm Bát Tràng", Ward: "Bát Tràng", Description: "Gốm men lam"},
		{Name: "Smart Living"},
		{Name: "Artisan Lab", Ward: "Hoàn Kiếm"},
		{Name: "Heritage House", NameEn: "Heritage House"},
		{Name: "Lửa Hồng", Description: "gốm nung bằng lửa"},
		{Name: "Lụa Vạn Phúc", Ward: "Hà Đông"},
		{Name: "Chợ Quà Đồng Dao", Ward: "Hoàn Kiếm"},
		{Name: "Nhà Hát Kịch", Ward: "Đống Đa", Street: "Số 8 Đặng Văn Ngữ"},
		{Name: "Hanoi Creative City", Ward: "Hai Bà Trưng"},
		{Name: "Studio Nội Thất Hạ Long", Ward: "Ba Đình"},
		{Name: "Bảo tàng Hà Nội", Ward: "Từ Liêm"},
	}
	cases := []struct {
		q     string
		first []string // these, in this order, first
		not   []string // and never these
	}{
		{"gom", []string{"Xưởng Gốm Bát Tràng", "Lửa Hồng"}, nil},
		{"Gốm", []string{"Xưởng Gốm Bát Tràng", "Lửa Hồng"}, nil},
		{"art", []string{"Artisan Lab"}, []string{"Smart Living"}},
		{"hoan kiem", []string{"Artisan Lab", "Chợ Quà Đồng Dao"}, nil},
		{"HOÀN KIẾM", []string{"Artisan Lab", "Chợ Quà Đồng Dao"}, nil},
		{"heritge", []string{"Heritage House"}, nil},
		{"lụa", []string{"Lụa Vạn Phúc", "Lửa Hồng"}, nil},
		{"lua", []string{"Lửa Hồng", "Lụa Vạn Phúc"}, nil}, // neither as typed: by name
		{"dong da", []string{"Nhà Hát Kịch", "Chợ Quà Đồng Dao"}, nil},
		// "hanoi" is one word, which "ha" begins but "noi" does not; "Hạ"
		// and "Nội" are words of the studio, but not a phrase.
		{"ha noi", []string{"Bảo tàng Hà Nội", "Studio Nội Thất Hạ Long"}, []string{"Hanoi Creative City"}},
	}
	for _, c := range cases {
		got := rank(c.q, es)
		if len(got) < len(c.first) || !slices.Equal(got[:len(c.first)], c.first) {
			t.Errorf("q=%q: %q, want first %q", c.q, got, c.first)
		}
		for _, n := range c.not {
			if slices.Contains(got, n) {
				t.Errorf("q=%q: %q found", c.q, n)
			}
		}
	}
}

// TestRankOrder: each criterion of the relevance order outweighs those
// after it.
func TestRankOrder(t *testing.T) {
	cases := []struct {
		q             string
		better, worse search.EntityText
	}{
		// A phrase over whole words scattered.
		{"tranh dan gian", search.EntityText{Name: "Xưởng Tranh", Description: "tranh dân gian Đông Hồ"},
			search.EntityText{Name: "Tranh Gian Dân"}},
		// Whole words over prefixes, even in a lesser field.
		{"gom", search.EntityText{Name: "Nhà", Description: "gốm"}, search.EntityText{Name: "Gốmxyz"}},
		// As typed over folded, even in a lesser field.
		{"lụa", search.EntityText{Name: "Nhà", Description: "lụa"}, search.EntityText{Name: "Lửa"}},
		// The field: name, name_en, ward and street, description.
		{"gom", search.EntityText{Name: "Gốm"}, search.EntityText{Name: "A", NameEn: "Gốm"}},
		{"gom", search.EntityText{Name: "A", NameEn: "Gốm"}, search.EntityText{Name: "A", Street: "Gốm"}},
		{"gom", search.EntityText{Name: "A", Ward: "Gốm"}, search.EntityText{Name: "A", Description: "Gốm"}},
	}
	for _, c := range cases {
		q := search.NewQuery(search.Split(c.q))
		b, ok1 := q.Rank(c.better.Segments())
		w, ok2 := q.Rank(c.worse.Segments())
		if !ok1 || !ok2 || b >= w {
			t.Errorf("q=%q: %+v key %d (%v), %+v key %d (%v)", c.q, c.better, b, ok1, c.worse, w, ok2)
		}
	}
	// Fewer typos over everything else.
	q := search.NewQuery([]string{"heritage", "nha"})
	q.Typos[0] = true
	exact, _ := q.Rank(search.EntityText{Name: "X", Description: "nhà cổ heritages"}.Segments())
	typo, _ := q.Rank(search.EntityText{Name: "Heritagi Nhà"}.Segments())
	if exact >= typo {
		t.Errorf("typo %d ranks with exact %d", typo, exact)
	}
}
