// Package sample makes entity drafts for demos and load tests: a fixed
// sample data set of 250 plausible members of Hà Nội's creative community,
// and synthetic data sets of any size. Everything is invented and says so
// at the start of its description; the same seed gives the same drafts.
//
// Drafts are as a client would send them: the ward is given by name (with
// or without diacritics), full name or code, so imports exercise ward
// resolution; a location, when there is one, lies inside its ward.
package sample

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hanoicreative/registry/internal/fold"
	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/wards"
)

// Marker starts the description of every generated draft, MarkerEn its
// English description.
const (
	Marker   = "[Dữ liệu mẫu] "
	MarkerEn = "[Sample data] "
)

const (
	sampleSeed = 2026 // the seed of Sample
	sampleSize = 250

	lastYear = 2025 // latest founding year given

	// Interior points are drawn per ward, on demand, up to pointsPerWard
	// distinct ones; later drafts in the ward reuse them. Drawing in a ward
	// stops after maxTries points, in case its box is mostly outside it.
	pointsPerWard = 32
	maxTries      = 4000

	// Lengths, in characters, of synthetic descriptions.
	minDescription = 50
	maxDescription = 800
)

// part is a piece of a name, or a name: Vietnamese, English (for a name
// head, the English head; for an ending, the ending without diacritics),
// and slug.
type part struct{ vi, en, slug string }

// trade is an archetype made ready for drawing.
type trade struct {
	*archetype
	names    []part // name head + ending: with the trade's own endings, then the common ones
	own      int    // how many of names have the trade's own endings
	runes    []int  // characters in each intro
	villages []int  // positions in generator.places
}

// place is a ward made ready for drawing, with the interior points drawn
// in it so far.
type place struct {
	ward      wards.Ward
	spellings [5]string // name, name without diacritics, code, full name, folded full name
	vi, en    string    // "phường Hoàn Kiếm", "Hoan Kiem Ward"
	viRunes   int       // characters in vi
	urban     bool      // a phường rather than a xã

	box    [4]float64 // minLon, minLat, maxLon, maxLat
	hasBox bool
	stream uint64     // of rng: the ward's position
	rng    *rand.Rand // draws this ward's points; made on first use
	points []registry.Location
	tries  int
}

// phrase is an entry of phrases, lower-case and capitalised, with its
// length in characters.
type phrase struct {
	low, capital string
	runes        int
}

// generator draws drafts from one seeded source. Each call of Sample,
// Synthetic or SyntheticEach makes its own, so the package has no state
// and calls may run concurrently.
type generator struct {
	x      *wards.Index
	seed   uint64
	rng    *rand.Rand
	trades []trade
	places []place

	tradeTable  []int // trade positions, each repeated by its weight
	wardTable   []int // place positions, phường three times, xã once
	phrases     []phrase
	maxTarget   int // longest target length of a synthetic description
	markerRunes int // characters in Marker
}

func newGenerator(x *wards.Index, seed uint64) *generator {
	g := &generator{x: x, seed: seed, rng: rand.New(rand.NewPCG(seed, 0x73616d706c65))}

	all := x.All()
	g.places = make([]place, len(all))
	byCode := make(map[string]int, len(all))
	for i, w := range all {
		p := &g.places[i]
		p.ward, p.stream = w, uint64(i)
		p.spellings = [5]string{w.Name, fold.ASCII(w.Name), w.Code, w.FullName, strings.ToLower(fold.ASCII(w.FullName))}
		p.vi, p.en = lowerFirst(w.FullName), w.FullNameEn
		p.viRunes = utf8.RuneCountInString(p.vi)
		p.urban = strings.HasPrefix(w.FullName, "Phường")
		minLon, minLat, maxLon, maxLat, ok := x.Bounds(w.Code)
		p.box, p.hasBox = [4]float64{minLon, minLat, maxLon, maxLat}, ok
		byCode[w.Code] = i
		g.wardTable = append(g.wardTable, i)
		if p.urban {
			g.wardTable = append(g.wardTable, i, i)
		}
	}

	common := make([]part, len(endings))
	for i, e := range endings {
		common[i] = part{e, fold.ASCII(e), fold.Slug(e)}
	}
	g.trades = make([]trade, len(archetypes))
	for i := range archetypes {
		a := &archetypes[i]
		t := &g.trades[i]
		t.archetype = a
		own := make([]part, len(a.endings))
		for i, e := range a.endings {
			own[i] = part{e, fold.ASCII(e), fold.Slug(e)}
		}
		for k, ends := range [][]part{own, common} {
			for _, p := range a.prefixes {
				pre := part{p.vi, p.en, fold.Slug(p.vi)}
				for _, end := range ends {
					// Not "Xưởng Thêu Hoa Thêu": no word twice.
					if !shareWord(pre.slug, end.slug) {
						t.names = append(t.names, part{pre.vi + " " + end.vi, end.en + " " + pre.en, pre.slug + "-" + end.slug})
					}
				}
			}
			if k == 0 {
				t.own = len(t.names)
			}
		}
		for _, in := range a.intros {
			t.runes = append(t.runes, utf8.RuneCountInString(in.vi))
		}
		for _, v := range a.villages {
			if w, ok := x.Resolve(v); ok {
				t.villages = append(t.villages, byCode[w.Code])
			}
		}
		for range a.weight {
			g.tradeTable = append(g.tradeTable, i)
		}
	}

	longest := 0
	g.phrases = make([]phrase, len(phrases))
	for i, s := range phrases {
		n := utf8.RuneCountInString(s)
		g.phrases[i] = phrase{s, upperFirst(s), n}
		longest = max(longest, n)
	}
	// A description stops at the first phrase that reaches its target,
	// which may add ", ", the phrase and two full stops.
	g.maxTarget = maxDescription - longest - 4
	g.markerRunes = utf8.RuneCountInString(Marker)
	return g
}

// Sample returns the sample data set: 250 drafts over every sector, kind
// and most wards, all marked as sample data. It is the same at every call.
func Sample(x *wards.Index) []registry.EntityDraft {
	g := newGenerator(x, sampleSeed)
	// Walk the wards with a stride, phường twice, so that the set spreads
	// over the whole city and leans, like the community, to the centre.
	var walk []int
	for i, p := range g.places {
		walk = append(walk, i)
		if p.urban {
			walk = append(walk, i)
		}
	}
	out := make([]registry.EntityDraft, 0, sampleSize)
	seen := make(map[string]bool, sampleSize)
	step := 0
	for i := 0; len(out) < sampleSize; i++ {
		t := &g.trades[i%len(g.trades)]
		// Half the names with the trade's own endings, if it has some.
		var name part
		for try := 0; ; try++ {
			if try == 100 { // (almost) every name is taken: let another trade go
				name.slug = ""
				break
			}
			if t.own > 0 && g.rng.IntN(2) == 0 {
				name = t.names[g.rng.IntN(t.own)]
			} else {
				name = t.names[t.own+g.rng.IntN(len(t.names)-t.own)]
			}
			if !seen[name.slug] {
				break
			}
		}
		if name.slug == "" {
			continue
		}
		seen[name.slug] = true

		var p *place
		if len(t.villages) > 0 && g.rng.IntN(2) == 0 {
			p = &g.places[t.villages[g.rng.IntN(len(t.villages))]]
		} else {
			p = &g.places[walk[(step*37)%len(walk)]]
			step++
		}

		d := registry.EntityDraft{Name: name.vi, Kind: t.kind, Sectors: g.sectors(t)}
		if g.rng.IntN(3) > 0 {
			d.NameEn = name.en
		}
		d.FoundedYear = g.year(t)
		intro, offer := t.intros[g.rng.IntN(len(t.intros))], t.offers[g.rng.IntN(len(t.offers))]
		d.Description = Marker + intro.vi + ", ở " + p.vi + ". " + offer.vi
		d.DescriptionEn = MarkerEn + intro.en + ", in " + p.en + ", Hanoi. " + offer.en
		if d.FoundedYear != nil {
			y := strconv.Itoa(*d.FoundedYear)
			d.Description += " Thành lập năm " + y + "."
			d.DescriptionEn += " Founded in " + y + "."
		}
		g.fill(&d, name.slug, p, 85)
		out = append(out, d)
	}
	return out
}

// Synthetic returns n drafts for load tests, the same for the same seed:
// see SyntheticEach.
func Synthetic(x *wards.Index, n int, seed uint64) []registry.EntityDraft {
	out := make([]registry.EntityDraft, 0, max(n, 0))
	_ = SyntheticEach(x, n, seed, func(_ int, d registry.EntityDraft) error {
		out = append(out, d)
		return nil
	})
	return out
}

// SyntheticEach calls fn with n synthetic drafts in turn (i from 0), without
// holding them all, and stops at fn's first error, which it returns. Names
// are a trade, an ending and the draft's number ("Lò Gốm Men Lam 17"), so
// they and their slugs are unique; kinds, sectors and wards are drawn with
// realistic weights (more artisans than schools, more drafts in the phường
// of the centre, crafts in their villages); seven drafts in ten have a
// location inside their ward; descriptions run from 50 to 800 characters
// of Vietnamese words of the trades, for search to find. The same seed
// gives the same drafts, and a smaller n gives a prefix of a larger one.
func SyntheticEach(x *wards.Index, n int, seed uint64, fn func(i int, d registry.EntityDraft) error) error {
	if n <= 0 {
		return nil
	}
	g := newGenerator(x, seed)
	for i := range n {
		if err := fn(i, g.synthetic(i)); err != nil {
			return err
		}
	}
	return nil
}

// synthetic makes the i-th synthetic draft.
func (g *generator) synthetic(i int) registry.EntityDraft {
	t := &g.trades[g.tradeTable[g.rng.IntN(len(g.tradeTable))]]
	var p *place
	if len(t.villages) > 0 && g.rng.IntN(5) < 2 {
		p = &g.places[t.villages[g.rng.IntN(len(t.villages))]]
	} else {
		p = &g.places[g.wardTable[g.rng.IntN(len(g.wardTable))]]
	}
	name := t.names[g.rng.IntN(len(t.names))]
	num := strconv.Itoa(i + 1)
	d := registry.EntityDraft{Name: name.vi + " " + num, Kind: t.kind, Sectors: g.sectors(t)}
	if g.rng.IntN(2) == 0 {
		d.NameEn = name.en + " " + num
	}
	k := g.rng.IntN(len(t.intros))
	intro := t.intros[k]
	d.Description = g.description(intro.vi, t.runes[k], p)
	d.DescriptionEn = MarkerEn + intro.en + ", in " + p.en + ", Hanoi."
	d.FoundedYear = g.year(t)
	g.fill(&d, name.slug+"-"+num, p, 70)
	return d
}

// description writes a synthetic description of a length drawn between
// minDescription and maxDescription characters: the marker, the trade's
// sentence when there is room for it, then sentences of phrases.
func (g *generator) description(intro string, introRunes int, p *place) string {
	target := minDescription + g.rng.IntN(g.maxTarget-minDescription+1)
	var b strings.Builder
	b.Grow(target*3/2 + 64) // Vietnamese text takes about 1.3 bytes a character
	b.WriteString(Marker)
	n := g.markerRunes
	space := false
	if target >= 160 {
		b.WriteString(intro)
		b.WriteString(", ở ")
		b.WriteString(p.vi)
		b.WriteByte('.')
		n += introRunes + 4 + p.viRunes + 1
		space = true
	}
	in, want := 0, 3+g.rng.IntN(4) // phrases in this sentence, and wanted
	for n < target {
		ph := &g.phrases[g.rng.IntN(len(g.phrases))]
		if in == 0 {
			if space {
				b.WriteByte(' ')
				n++
			}
			b.WriteString(ph.capital)
		} else {
			b.WriteString(", ")
			b.WriteString(ph.low)
			n += 2
		}
		n += ph.runes
		if in++; in == want {
			b.WriteByte('.')
			n++
			in, want, space = 0, 3+g.rng.IntN(4), true
		}
	}
	if in > 0 {
		b.WriteByte('.')
	}
	return b.String()
}

// sectors returns the trade's sector and, by chance, up to two of its
// others.
func (g *generator) sectors(t *trade) []string {
	s := make([]string, 1, 3)
	s[0] = t.sector
	if n := len(t.extra); n > 0 {
		start := g.rng.IntN(n)
		for j := 0; j < n && len(s) < 3; j++ {
			if g.rng.IntN(5) < 2 {
				s = append(s, t.extra[(start+j)%n])
			}
		}
	}
	return s
}

// year returns a founding year for four drafts in five, between the
// trade's earliest and lastYear, recent years likelier.
func (g *generator) year(t *trade) *int {
	if g.rng.IntN(5) == 0 {
		return nil
	}
	u := g.rng.Float64()
	y := lastYear - int(float64(lastYear-t.since)*u*u)
	return &y
}

// fill sets what every draft has in the same way: the ward (spelt in one
// of the ways staff type it), a street for some, a location inside the
// ward for pctLocated in a hundred, and contact details and links for some,
// all under the example.vn and example.com domains.
func (g *generator) fill(d *registry.EntityDraft, slug string, p *place, pctLocated int) {
	switch r := g.rng.IntN(20); {
	case r < 9:
		d.Ward = p.spellings[0]
	case r < 13:
		d.Ward = p.spellings[1]
	case r < 16:
		d.Ward = p.spellings[2]
	case r < 18:
		d.Ward = p.spellings[3]
	default:
		d.Ward = p.spellings[4]
	}
	if g.rng.IntN(5) < 3 {
		d.Street = g.street(p)
	}
	if g.rng.IntN(100) < pctLocated {
		d.Location = g.location(p)
	}
	if g.rng.IntN(3) > 0 {
		d.Website = "https://" + slug + ".example.vn"
	}
	switch g.rng.IntN(6) {
	case 0, 1:
		d.Email = mailboxes[g.rng.IntN(len(mailboxes))] + "@" + slug + ".example.vn"
	case 2:
		d.Email = mailboxes[g.rng.IntN(len(mailboxes))] + "@" + slug + ".example.com"
	case 3:
		d.Email = slug + "@example.com"
	}
	if g.rng.IntN(3) > 0 {
		d.Phone = g.phone()
	}
	if g.rng.IntN(4) == 0 {
		links := [...]string{"https://social.example.com/", "https://video.example.com/@", "https://shop.example.vn/"}
		first := g.rng.IntN(len(links))
		d.Links = []string{links[first] + slug}
		if g.rng.IntN(3) == 0 {
			d.Links = append(d.Links, links[(first+1)%len(links)]+slug)
		}
	}
}

// street returns an address line as written in a phường (house number and
// lane) or in a xã (hamlet).
func (g *generator) street(p *place) string {
	if p.urban {
		if g.rng.IntN(2) == 0 {
			return "Số " + strconv.Itoa(1+g.rng.IntN(150)) + ", ngõ " + strconv.Itoa(1+g.rng.IntN(300))
		}
		return "Số " + strconv.Itoa(1+g.rng.IntN(120)) + ", tổ dân phố " + strconv.Itoa(1+g.rng.IntN(30))
	}
	hamlet := hamlets[g.rng.IntN(len(hamlets))]
	if g.rng.IntN(2) == 0 {
		return "Thôn " + hamlet
	}
	return "Số " + strconv.Itoa(1+g.rng.IntN(200)) + ", thôn " + hamlet
}

// phone returns a Hà Nội landline ("024 3826 1234") or a mobile number
// ("0912 345 678", sometimes "0912.345.678" or "+84 912 345 678").
func (g *generator) phone() string {
	var buf [20]byte
	b := buf[:0]
	if g.rng.IntN(2) == 0 {
		b = append(b, landlines[g.rng.IntN(len(landlines))]...)
		b = appendDigits(b, g.rng.IntN(1000), 3)
		b = append(b, ' ')
		return string(appendDigits(b, g.rng.IntN(10000), 4))
	}
	m := mobiles[g.rng.IntN(len(mobiles))]
	sep := byte(' ')
	switch g.rng.IntN(10) {
	case 0:
		sep = '.'
		b = append(b, m...)
	case 1:
		b = append(b, "+84 "...)
		b = append(b, m[1:]...)
	default:
		b = append(b, m...)
	}
	b = append(b, sep)
	b = appendDigits(b, g.rng.IntN(1000), 3)
	b = append(b, sep)
	return string(appendDigits(b, g.rng.IntN(1000), 3))
}

// location returns a point inside the ward: a new one while the ward has
// fewer than pointsPerWard, else one of those. Points are drawn uniformly
// in the ward's bounding box, rounded to 6 decimals as clients send them,
// and kept when Locate places them in the ward. nil if none was found.
func (g *generator) location(p *place) *registry.Location {
	if len(p.points) < pointsPerWard && p.hasBox {
		if p.rng == nil {
			p.rng = rand.New(rand.NewPCG(g.seed^0x9e3779b97f4a7c15, p.stream))
		}
		for p.tries < maxTries {
			p.tries++
			lon := round6(p.box[0] + p.rng.Float64()*(p.box[2]-p.box[0]))
			lat := round6(p.box[1] + p.rng.Float64()*(p.box[3]-p.box[1]))
			if w, ok := g.x.Locate(lat, lon); ok && w.Code == p.ward.Code {
				p.points = append(p.points, registry.Location{Lat: lat, Lon: lon})
				l := p.points[len(p.points)-1]
				return &l
			}
		}
	}
	if len(p.points) == 0 {
		return nil
	}
	l := p.points[g.rng.IntN(len(p.points))]
	return &l
}

// shareWord reports whether two slugs have a word in common.
func shareWord(a, b string) bool {
	for w := range strings.SplitSeq(a, "-") {
		for v := range strings.SplitSeq(b, "-") {
			if w == v {
				return true
			}
		}
	}
	return false
}

func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }

// appendDigits appends v in decimal, zero-padded to width digits.
func appendDigits(b []byte, v, width int) []byte {
	var d [8]byte
	for i := width - 1; i >= 0; i-- {
		d[i] = byte('0' + v%10)
		v /= 10
	}
	return append(b, d[:width]...)
}

// upperFirst and lowerFirst change the case of the first letter, which may
// take several bytes.
func upperFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

func lowerFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[size:]
}
