package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/hanoicreative/registry/api"
)

// relevanceCase is one query of the relevance table and what API.md's q
// rule (Entities, GET /v1/entities, q) makes of it over the data set. The
// rule orders results by, most important first: fewer typos; the query's
// words adjacent and in order in one field (a phrase); whole words over
// prefixes; the diacritics typed matched exactly over folded matches; the
// field (name, name_en, ward and street, description); then the folded
// name. Every expectation below follows from that rule alone: where the
// rule's words leave room (does "lua", typed without diacritics, match
// "Lụa" exactly or folded? are "hoà" and "hòa" the same diacritics? is
// "fewer typos" fewer words or fewer edits? which field ranks a query
// whose words are in several?), the expectation holds either way, which
// TestRelevanceTableFollowsTheContract checks without a server.
type relevanceCase struct {
	q    string
	rule string // which part of the rule the case checks
	// first are the slugs the results start with, in this order.
	first []string
	// top are slugs that are all among the first len(top) results, in an
	// order the contract leaves open.
	top []string
	// before are groups of slugs, each ranked before every slug of the
	// groups after it.
	before [][]string
	// absent are slugs the query must not find.
	absent []string
	// empty: the query finds nothing.
	empty bool
}

// nfd decomposes s, as some keyboards and macOS send text.
func nfd(s string) string { return norm.NFD.String(s) }

// The wards' entities the "dong da" cases rank first: every entity of the
// data set in the ward Đống Đa (their names do not hold the words).
var inWardDongDa = []string{"in-lua-tay-son", "hv-am-nhac", "cafe-sach-tay-son", "xuong-phim-dong-da"}

// The entities whose name holds "Hà Nội" (a phrase, whole words).
var namedHaNoi = []string{"nha-hat-lon", "cheo-ha-noi", "kich-ha-noi", "cai-luong-ha-noi", "bao-tang-ha-noi",
	"heritage-walks", "dh-kien-truc", "dh-san-khau-dien-anh", "cd-nghe-thuat", "pho-sach-ha-noi", "designworks", "hoi-nha-thiet-ke"}

// museums, in folded-name order; "Museum" is in their name_en.
var museums = []string{"bao-tang-dan-toc-hoc", "bao-tang-ha-noi", "bao-tang-lich-su", "bao-tang-my-thuat", "bao-tang-phu-nu"}

var relevanceCases = []relevanceCase{
	// The contract's own examples.
	{q: "gom", rule: `"gom" finds "gốm" and "Gốm"; name before description, then folded name`,
		first:  []string{"cho-gom-bat-trang", "gom-minh-hai", "gom-kim-lan", "gom-su-hang-khay", "gom-thanh-long", "yen-hoa-ceramics", "lang-gom-bat-trang"},
		before: [][]string{{"lang-gom-bat-trang"}, {"dh-my-thuat-cong-nghiep"}}},
	{q: "art", rule: `"art" finds "Artisan" but not "Smart"; whole words ("Art") over prefixes ("Artisan", "Arts") even from a later field; then field; then folded name`,
		first:  []string{"manzi", "thang-long-art", "lua-vang", "vcca", "artisan-lacquer", "bao-tang-my-thuat", "dh-my-thuat-cong-nghiep", "dh-my-thuat", "cd-nghe-thuat"},
		absent: []string{"smart-living"}},
	{q: "hoan kiem", rule: `"hoan kiem" finds "Hoàn Kiếm"; field: name, then ward, then description`,
		first:  []string{"thu-vien-hoan-kiem"},
		before: [][]string{{"nha-hat-lon", "roi-thang-long", "bao-tang-phu-nu", "cafe-giang", "nha-thuy-ta"}, {"ky-hoa-pho-co"}}},
	{q: "heritge", rule: `one edit at 7 letters finds "Heritage"; then field (name before name_en), then folded name`,
		first: []string{"heritage-walks", "heritage-space", "nha-di-san-ma-may"}},
	{q: "lụa", rule: `"lụa" ranks "Lụa Vạn Phúc" above "Lửa Hồng": the diacritics typed matched exactly (in any field) before folded matches; then field; then folded name`,
		first: []string{"lua-to-tam-ha-dong", "lua-van-phuc", "in-lua-tay-son", "green-palm-gallery", "quat-chang-son", "tan-my-design", "lua-doi", "lua-hong", "lua-vang"}},
	{q: "dong da", rule: `"dong da" ranks the ward "Đống Đa" (whole words) above "Đồng Dao" ("da" only starts "Dao"), which as a phrase ranks above words apart`,
		first:  []string{"van-hoa-dong-da"},
		before: [][]string{{"van-hoa-dong-da"}, inWardDongDa, {"cho-qua-dong-dao"}, {"do-go-dong-anh"}}},
	{q: "ha noi", rule: `"Studio Nội Thất Hạ Long" matches (both words start words) but is no phrase, so every "Hà Nội" comes first; "Hanoi" is one word, not "ha" then "noi"`,
		before: [][]string{namedHaNoi, {"noi-that-ha-long"}},
		absent: []string{"hanoi-creative-city", "hanoi-rock-city", "hanoi-studio-gallery"}},

	// Diacritics: with and without, and each of lúa, lụa, lửa, lứa typed.
	{q: "lua", rule: `without diacritics typed, all four words match alike: field, then folded name`,
		first: []string{"lua-doi", "lua-hong", "lua-to-tam-ha-dong", "lua-van-phuc", "lua-vang", "in-lua-tay-son", "green-palm-gallery", "quat-chang-son", "tan-my-design"}},
	{q: "lửa", rule: `"lửa" typed: "Lửa Hồng" matches its diacritics exactly, the others only folded`,
		first: []string{"lua-hong"}, before: [][]string{{"lua-hong"}, {"lua-doi", "lua-van-phuc", "lua-vang"}}},
	{q: "lúa", rule: `"lúa" typed: "Tranh Rơm Lúa Vàng" first`,
		first: []string{"lua-vang"}, before: [][]string{{"lua-vang"}, {"lua-doi", "lua-hong", "lua-van-phuc"}}},
	{q: "lứa", rule: `"lứa" typed: "Lứa Đôi Wedding Studio" first`,
		first: []string{"lua-doi"}, before: [][]string{{"lua-doi"}, {"lua-hong", "lua-van-phuc", "lua-vang"}}},
	{q: nfd("lụa"), rule: `decomposed (NFD) "lụa" is matched as the composed one`,
		first: []string{"lua-to-tam-ha-dong", "lua-van-phuc", "in-lua-tay-son", "green-palm-gallery", "quat-chang-son", "tan-my-design", "lua-doi", "lua-hong", "lua-vang"}},
	{q: "đống đa", rule: `with diacritics typed the ward still ranks above "Đồng Dao" (whole words first)`,
		first:  []string{"van-hoa-dong-da"},
		before: [][]string{inWardDongDa, {"cho-qua-dong-dao"}}},
	{q: "hà nội", rule: `typed with diacritics: every "Hà Nội" before "Studio Nội Thất Hạ Long" (phrase)`,
		before: [][]string{namedHaNoi, {"noi-that-ha-long"}},
		absent: []string{"hanoi-creative-city", "hanoi-rock-city"}},
	{q: "HÀ NỘI", rule: `upper case is matched as lower case`,
		before: [][]string{namedHaNoi, {"noi-that-ha-long"}},
		absent: []string{"hanoi-creative-city", "hanoi-rock-city"}},
	{q: "ha long", rule: `"Hạ Long" is a phrase only in "Studio Nội Thất Hạ Long"; "hát … Long" is not`,
		first:  []string{"noi-that-ha-long"},
		before: [][]string{{"noi-that-ha-long"}, {"roi-thang-long"}}},
	{q: "bat trang", rule: `a phrase in the name, then in the ward, then in the description; folded name among equals`,
		first:  []string{"cho-gom-bat-trang", "gom-minh-hai", "lang-gom-bat-trang"},
		before: [][]string{{"lang-gom-bat-trang"}, {"gom-thanh-long"}, {"gom-su-hang-khay"}}},
	{q: nfd("Bát Tràng"), rule: `NFD input with diacritics, capitalised: as composed`,
		first:  []string{"cho-gom-bat-trang", "gom-minh-hai", "lang-gom-bat-trang"},
		before: [][]string{{"lang-gom-bat-trang"}, {"gom-thanh-long"}, {"gom-su-hang-khay"}}},
	{q: "BẢO TÀNG", rule: `upper case with diacritics; names equal on every criterion come in folded-name order`,
		first: museums},

	// Phrases.
	{q: "mua roi", rule: `phrase in the name, then phrase in the description, then the words apart ("Rối cạn và Múa bóng")`,
		first: []string{"roi-thang-long", "roi-viet-nam", "bao-tang-dan-toc-hoc", "roi-can-tuoi-hoa"}},
	{q: "NHÀ HÁT MÚA RỐI", rule: `an upper-case phrase of four words`,
		first: []string{"roi-thang-long", "roi-viet-nam"}, absent: []string{"roi-can-tuoi-hoa"}},
	{q: "thang long", rule: `phrase in the name, then in the description, then words apart ("Thăng Hoa" in Long Biên); a typo ("Thanh Long") after every exact match`,
		first:  []string{"ca-mua-nhac-thang-long", "roi-thang-long", "thang-long-art", "bao-tang-ha-noi"},
		before: [][]string{{"bao-tang-ha-noi"}, {"thang-hoa-studio"}, {"gom-thanh-long"}}},
	{q: "kien truc", rule: `a phrase in three names (folded-name order), then in a description`,
		first: []string{"kien-truc-xanh", "tap-chi-kien-truc", "dh-kien-truc", "heritage-walks"}},
	{q: "van phuc", rule: `a phrase in the name before one in a description`,
		first: []string{"lua-van-phuc", "lua-to-tam-ha-dong"}},
	{q: "tràng tiền", rule: `field order: name, then street, then description (all exact phrases)`,
		first: []string{"trang-tien-plaza", "bao-tang-lich-su", "nha-hat-lon", "hieu-sach-dinh-le"}},

	// Whole words, prefixes and fields.
	{q: "studio", rule: `field order: name, then name_en, then description; folded name among equals`,
		first: []string{"artisan-lacquer", "hanoi-studio-gallery", "lua-doi", "studio-game-hoa-lac", "noi-that-ha-long", "thang-hoa-studio", "thuy-mac-studio",
			"xuong-phim-dong-da", "moc-design", "kien-truc-xanh"}},
	{q: "design", rule: `whole words ("Design") over prefixes ("DesignWorks", "Designers") whatever the field`,
		first: []string{"tan-my-design", "london-college", "moc-design", "designworks", "hoi-nha-thiet-ke"}},
	{q: "son", rule: `whole words ("Sơn") over prefixes ("sông")`,
		before: [][]string{{"son-mai-ha-thai", "quat-chang-son", "in-lua-tay-son", "cafe-sach-tay-son"}, {"lang-gom-bat-trang", "gom-kim-lan"}}},
	{q: "cafe", rule: `an English word of three name_en, folded-name order`,
		first: []string{"cafe-dinh", "cafe-giang", "cafe-sach-tay-son"}},
	{q: "café", rule: `diacritics typed that no entity has: the folded matches, as without them`,
		first: []string{"cafe-dinh", "cafe-giang", "cafe-sach-tay-son"}},
	{q: "Văn Miếu – Quốc Tử Giám", rule: `punctuation in the query splits words; the ward's name is a phrase across its dash`,
		first: []string{"bao-tang-my-thuat", "craft-link"}},
	{q: "women's museum", rule: `an apostrophe splits words: "women", "s", "museum" adjacent in one name_en`,
		first: []string{"bao-tang-phu-nu"}},
	{q: "87 mã mây", rule: `digits are words; a phrase in the name`,
		first: []string{"nha-di-san-ma-may"}},
	{q: "mulberry", rule: `description_en is not searched (only name, name_en, description, ward, street)`,
		empty: true},

	// English names.
	{q: "opera house", rule: `an English name (name_en)`, first: []string{"nha-hat-lon"}},
	{q: "water puppet", rule: `an English phrase`, first: []string{"roi-thang-long"}},
	{q: "fine arts", rule: `an English phrase in three name_en; folded name among equals`,
		first: []string{"bao-tang-my-thuat", "dh-my-thuat-cong-nghiep", "dh-my-thuat"}},
	{q: "silk", rule: `an English word of two name_en`, first: []string{"lua-to-tam-ha-dong", "lua-van-phuc"}},
	{q: "pottery village", rule: `an English phrase`, first: []string{"lang-gom-bat-trang"}},

	// Typos.
	{q: "gomm", rule: `no typo under 5 letters: "gomm" does not find "gốm"`, empty: true},
	{q: "herritge", rule: `8 letters allow one edit, "herritge" is two from "heritage"`, empty: true},
	{q: "museun", rule: `one edit at 6 letters; all in name_en, folded-name order`, first: museums},
	{q: "galery", rule: `one edit at 6 letters; all in names, folded-name order`,
		first: []string{"apricot-gallery", "green-palm-gallery", "hanoi-studio-gallery", "thang-long-art"}},
	{q: "pupet", rule: `one edit at 5 letters finds "Puppet"`, first: []string{"roi-thang-long"}},
	{q: "comtemprary", rule: `two edits at 11 letters find "Contemporary"`, first: []string{"vcca"}},
	{q: "arkitecture", rule: `two edits at 11 letters find "Architecture" (both in name_en, folded-name order)`,
		first: []string{"kien-truc-xanh", "tap-chi-kien-truc"}},
	{q: "trang", rule: `every exact or prefix match ("Tràng", "Trang phục") before any typo ("Tranh", "Trung", "Trống")`,
		before: [][]string{{"cho-gom-bat-trang", "trang-tien-plaza", "bao-tang-phu-nu", "tan-my-design"}, {"tranh-dong-ho", "xiec-trung-uong", "tranh-hang-trong", "nxb-kim-dong"}}},
	{q: "tranh", rule: `exact "Tranh" before the typo "Tràng"`,
		before: [][]string{{"tranh-dong-ho", "tranh-hang-trong", "lua-vang", "nxb-kim-dong"}, {"cho-gom-bat-trang", "trang-tien-plaza"}}},

	// Old and new tone placement (hoà/hòa, thuỷ/thủy): both fold alike.
	{q: "hòa lạc", rule: `new placement typed; "Hòa" in a name is matched exactly, the ward "Hoà Lạc" at least folded`,
		first: []string{"studio-game-hoa-lac", "lang-van-hoa-dan-toc"}},
	{q: "hoà lạc", rule: `old placement typed: the same two first, in an order the contract leaves open`,
		top: []string{"studio-game-hoa-lac", "lang-van-hoa-dan-toc"}},
	{q: "thủy", rule: `new placement typed: "Nhà Thủy Tạ" matches exactly in its name`,
		first: []string{"nha-thuy-ta"}, before: [][]string{{"nha-thuy-ta", "thuy-mac-studio"}, {"giay-do-buoi", "moc-design"}}},
	{q: "thuỷ", rule: `old placement typed: "Thuỷ Mặc Studio" and "Nhà Thủy Tạ" first, in an order the contract leaves open`,
		top: []string{"thuy-mac-studio", "nha-thuy-ta"}, before: [][]string{{"nha-thuy-ta", "thuy-mac-studio"}, {"giay-do-buoi", "moc-design"}}},
}

// sameResults are queries that must find the same entities (folding makes
// them equal), possibly in another order.
var sameResults = [][]string{
	{"hoà lạc", "hòa lạc", "hoa lac", "HOÀ LẠC", nfd("hòa lạc")},
	{"thuỷ", "thủy", "thuy", nfd("thuỷ")},
	{"văn hoá", "văn hóa", "van hoa", "VĂN HÓA"},
	{"yên hoà", "yên hòa", "yen hoa"},
	{"đống đa", "dong da", "Đống Đa", nfd("Đống Đa")},
}

func TestSearchRelevance(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		loadRelevanceData(t, c)
		all := c.walk("", 100).entities
		known := map[string]bool{}
		for _, e := range all {
			known[e.Slug] = true
		}
		if len(relevanceCases) < 40 {
			t.Fatalf("%d queries in the relevance table, want at least 40", len(relevanceCases))
		}
		for _, tc := range relevanceCases {
			got, total := c.search(tc.q, "")
			slugs := slugsOf(got)
			for _, s := range slices.Concat(tc.first, tc.top, tc.absent, slices.Concat(tc.before...)) {
				if !known[s] {
					t.Fatalf("q=%q: %s is no active entity of the data set", tc.q, s)
				}
			}
			if fails := checkRelevance(tc, slugs); len(fails) > 0 {
				t.Errorf("q=%q (%s):\n  %s\n  got %s", tc.q, tc.rule, strings.Join(fails, "\n  "), shortList(slugs, 15))
			}
			if fails := checkMatchSet(tc.q, all, got); len(fails) > 0 {
				t.Errorf("q=%q (API.md's matching rule):\n  %s", tc.q, strings.Join(fails, "\n  "))
			}
			if total != len(got) {
				t.Errorf("q=%q: total %d, %d entities found", tc.q, total, len(got))
			}
			var first api.EntityList
			c.do("GET", "/v1/entities?q="+url.QueryEscape(tc.q), nil).want(http.StatusOK).decode(&first)
			if fails := checkFirstPage(tc.q, all, first.Data); len(fails) > 0 {
				t.Errorf("q=%q, first page:\n  %s", tc.q, strings.Join(fails, "\n  "))
			}
		}
		for _, group := range sameResults {
			want, _ := c.search(group[0], "")
			for _, q := range group[1:] {
				got, _ := c.search(q, "")
				a, b := slugsOf(want), slugsOf(got)
				slices.Sort(a)
				slices.Sort(b)
				if !slices.Equal(a, b) || len(a) == 0 {
					t.Errorf("q=%q found %v, q=%q found %v; folding makes them the same query", group[0], a, q, b)
				}
			}
		}
	})
}

// checkRelevance returns what of tc the results (slugs in order) break.
func checkRelevance(tc relevanceCase, slugs []string) []string {
	var fails []string
	pos := map[string]int{}
	for i, s := range slugs {
		pos[s] = i
	}
	if tc.empty && len(slugs) > 0 {
		fails = append(fails, "want no result")
	}
	if len(slugs) < len(tc.first) || !slices.Equal(slugs[:len(tc.first)], tc.first) {
		fails = append(fails, "want first "+strings.Join(tc.first, ", "))
	}
	for _, s := range tc.top {
		if i, ok := pos[s]; !ok || i >= len(tc.top) {
			fails = append(fails, "want "+s+" among the first "+strings.Join(tc.top, ", "))
		}
	}
	for _, s := range tc.absent {
		if _, ok := pos[s]; ok {
			fails = append(fails, "want no "+s)
		}
	}
	for g := 0; g+1 < len(tc.before); g++ {
		for _, a := range tc.before[g] {
			for _, later := range tc.before[g+1:] {
				for _, b := range later {
					i, okA := pos[a]
					j, okB := pos[b]
					switch {
					case !okA:
						fails = append(fails, "want "+a+" found")
					case !okB:
						fails = append(fails, "want "+b+" found")
					case i > j:
						fails = append(fails, "want "+a+" before "+b)
					}
				}
			}
		}
	}
	return unique(fails)
}

// unique drops repeated messages, keeping the first of each.
func unique(messages []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range messages {
		if !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	return out
}

// checkMatchSet compares the entities found with what the contract's
// matching rule says of each active entity: it must be found, must not
// be, or may be either way; and every match without a typo ranks before
// every match with one ("fewer typos" comes first).
func checkMatchSet(q string, all, found []api.Entity) []string {
	var fails []string
	pos := map[string]int{}
	for i, e := range found {
		pos[e.Slug] = i
	}
	lastExact, firstTypo := -1, len(found)
	for _, e := range all {
		i, ok := pos[e.Slug]
		switch classify(q, e) {
		case noMatch:
			if ok {
				fails = append(fails, "found "+e.Slug+" ("+e.Name+"), which has no word to match")
			}
		case exactMatch:
			if !ok {
				fails = append(fails, "missing "+e.Slug+" ("+e.Name+"), every word of which starts a word of it")
				continue
			}
			lastExact = max(lastExact, i)
		case typoMatch:
			if !ok {
				fails = append(fails, "missing "+e.Slug+" ("+e.Name+"): each query word starts a word of it or is within the edits allowed of one (API.md: a word of 5 or more letters \"also matches\" one edit away, 9 or more two)")
				continue
			}
			firstTypo = min(firstTypo, i)
		}
	}
	if lastExact > firstTypo {
		fails = append(fails, "a typo match ("+found[firstTypo].Slug+") ranks above an exact one ("+found[lastExact].Slug+")")
	}
	return fails
}

// checkFirstPage checks that typo matches do not dilute the first page
// (of the default size): while exact matches remain, none is shown.
func checkFirstPage(q string, all, page []api.Entity) []string {
	exact := 0
	for _, e := range all {
		if classify(q, e) == exactMatch {
			exact++
		}
	}
	var fails []string
	for i, e := range page[:min(exact, len(page))] {
		if classify(q, e) == typoMatch {
			fails = append(fails, fmt.Sprintf("%s, a typo match, at %d, with %d exact matches", e.Slug, i+1, exact))
		}
	}
	return fails
}

// shortList shows the first n slugs.
func shortList(slugs []string, n int) string {
	if len(slugs) <= n {
		return "[" + strings.Join(slugs, " ") + "]"
	}
	return "[" + strings.Join(slugs[:n], " ") + " …]"
}
