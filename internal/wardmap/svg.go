package wardmap

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"strconv"

	"golang.org/x/text/language"
)

// The map's colours. They are presentation attributes, not style
// attributes or a <style> element, so a Content-Security-Policy without
// 'unsafe-inline' styles still lets them through. Every pair a person must
// tell apart meets WCAG 2.2 AA's 3:1 for graphics (TestColourContrast):
// borders against every fill a ward can have and against the page, and
// the marker against every fill and its own outline.
const (
	FillColour      = "#f1efe6" // a ward
	BorderColour    = "#59636b" // the lines between wards and around the city
	HighlightColour = "#f5d27a" // the ward the chosen point falls in
	HoverColour     = "#d9e6f2" // for the console's stylesheet: a ward under the pointer or focused
	MarkerColour    = "#b3261e" // the chosen point
	MarkerOutline   = "#ffffff"
	PageColour      = "#ffffff" // the background the map is designed for
)

// Options says what varies between one drawing of the map and the next.
type Options struct {
	// ID is the <svg>'s id, from which the id of its <title> is made;
	// "wardmap" when empty.
	ID string
	// Label is the map's accessible name (its <title>), in the page's
	// language; "Hà Nội" when empty.
	Label string
	// Lang chooses the ward names in the hover titles: English names for
	// English, Vietnamese ones otherwise.
	Lang language.Tag
	// Highlight is the code of a ward to fill in HighlightColour, marked
	// aria-current.
	Highlight string
	// Marker, when set, draws the point (lat, lon).
	Marker *LatLon
}

// LatLon is a position in degrees.
type LatLon struct{ Lat, Lon float64 }

var svgTemplate = template.Must(template.New("wardmap").Parse(
	`<svg xmlns="http://www.w3.org/2000/svg" id="{{.ID}}" class="wardmap" viewBox="0 0 {{.Width}} {{.Height}}"` +
		` role="img" aria-labelledby="{{.ID}}-title"` +
		` data-origin-lat="{{.OriginLat}}" data-origin-lon="{{.OriginLon}}" data-scale-x="{{.ScaleX}}" data-scale-y="{{.ScaleY}}">` +
		`<title id="{{.ID}}-title">{{.Label}}</title>` + "\n" +
		`<g fill="{{.Fill}}" stroke="{{.Border}}" stroke-width="1" stroke-linejoin="round" fill-rule="evenodd">` + "\n" +
		`{{range .Wards}}<path vector-effect="non-scaling-stroke" data-code="{{.Code}}" data-name="{{.Name}}"` +
		`{{if .Current}} fill="{{$.Highlight}}" aria-current="true"{{end}} d="{{.D}}"><title>{{.Title}}</title></path>` + "\n" +
		`{{end}}</g>` +
		`{{with .Marker}}<circle class="wardmap-marker" cx="{{.X}}" cy="{{.Y}}" r="{{.R}}" fill="{{$.MarkerFill}}"` +
		` stroke="{{$.MarkerStroke}}" stroke-width="2" vector-effect="non-scaling-stroke"><title>{{.Title}}</title></circle>{{end}}` +
		`</svg>`))

type svgData struct {
	ID, Label                string
	Width, Height            int
	OriginLat, OriginLon     string
	ScaleX, ScaleY           string
	Fill, Border, Highlight  string
	MarkerFill, MarkerStroke string
	Wards                    []svgWard
	Marker                   *svgMarker
}

type svgWard struct {
	Code, Name, Title, D string
	Current              bool
}

type svgMarker struct {
	X, Y, R, Title string
}

// WriteSVG writes the map as an <svg> element to embed in an HTML page.
func (m *Map) WriteSVG(w io.Writer, o Options) error {
	d := svgData{
		ID: o.ID, Label: o.Label,
		Width: m.width, Height: m.height,
		OriginLat: exact(m.proj.OriginLat), OriginLon: exact(m.proj.OriginLon),
		ScaleX: exact(m.proj.ScaleX), ScaleY: exact(m.proj.ScaleY),
		Fill: FillColour, Border: BorderColour, Highlight: HighlightColour,
		MarkerFill: MarkerColour, MarkerStroke: MarkerOutline,
		Wards: make([]svgWard, len(m.wards)),
	}
	if d.ID == "" {
		d.ID = "wardmap"
	}
	if d.Label == "" {
		d.Label = "Hà Nội"
	}
	english := false
	if base, _ := o.Lang.Base(); base.String() == "en" {
		english = true
	}
	for i, dw := range m.wards {
		title := dw.ward.FullName
		if english {
			title = dw.ward.FullNameEn
		}
		d.Wards[i] = svgWard{Code: dw.ward.Code, Name: dw.ward.Name, Title: title, D: dw.d,
			Current: dw.ward.Code == o.Highlight}
	}
	if p := o.Marker; p != nil {
		x, y := m.proj.XY(p.Lat, p.Lon)
		d.Marker = &svgMarker{
			X: strconv.FormatFloat(x, 'f', 1, 64), Y: strconv.FormatFloat(y, 'f', 1, 64),
			// About 0.7 % of the map's width: a few pixels at the console's size.
			R:     strconv.Itoa(max(m.width/150, 1)),
			Title: fmt.Sprintf("%.5f, %.5f", p.Lat, p.Lon),
		}
	}
	return svgTemplate.Execute(w, d)
}

// SVG is WriteSVG into a value an html/template page can include as it is.
func (m *Map) SVG(o Options) (template.HTML, error) {
	var b bytes.Buffer
	b.Grow(256 << 10)
	if err := m.WriteSVG(&b, o); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil // #nosec G203 -- built by html/template above
}

// exact formats a number so that parseFloat in the browser gets the very
// same float64 back.
func exact(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
