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

// The map is written in three parts so that the wards, nearly all of it,
// are rendered once by Build and copied out afterwards (see wardPaths):
// the <svg> element's start with the label, the wards, and the marker with
// the end. All three go through html/template, so every name and label is
// escaped as it would be in a page.
var svgTemplates = template.Must(template.New("").Parse(
	`{{define "head"}}<svg xmlns="http://www.w3.org/2000/svg" id="{{.ID}}" class="wardmap" viewBox="0 0 {{.Width}} {{.Height}}"` +
		` role="img" aria-labelledby="{{.ID}}-title"` +
		` data-origin-lat="{{.OriginLat}}" data-origin-lon="{{.OriginLon}}" data-scale-x="{{.ScaleX}}" data-scale-y="{{.ScaleY}}">` +
		`<title id="{{.ID}}-title">{{.Label}}</title>` + "\n" +
		`<g fill="{{.Fill}}" stroke="{{.Border}}" stroke-width="1" stroke-linejoin="round" fill-rule="evenodd">` + "\n" +
		`{{end}}` +
		`{{define "ward"}}<path vector-effect="non-scaling-stroke" data-code="{{.Code}}" data-name="{{.Name}}"` +
		`{{if .Current}} fill="{{.Highlight}}" aria-current="true"{{end}} d="{{.D}}"><title>{{.Title}}</title></path>` + "\n" +
		`{{end}}` +
		`{{define "tail"}}</g>` +
		`{{with .Marker}}<circle class="wardmap-marker" cx="{{.X}}" cy="{{.Y}}" r="{{.R}}" fill="{{$.MarkerFill}}"` +
		` stroke="{{$.MarkerStroke}}" stroke-width="2" vector-effect="non-scaling-stroke"><title>{{.Title}}</title></circle>{{end}}` +
		`</svg>{{end}}`))

type svgData struct {
	ID, Label                string
	Width, Height            int
	OriginLat, OriginLon     string
	ScaleX, ScaleY           string
	Fill, Border             string
	MarkerFill, MarkerStroke string
	Marker                   *svgMarker
}

type svgWard struct {
	Code, Name, Title, D string
	Current              bool
	Highlight            string
}

type svgMarker struct {
	X, Y, R, Title string
}

// wardPaths renders the <path> of every ward, with Vietnamese titles and
// with English ones, for WriteSVG to copy out.
func (m *Map) wardPaths() error {
	for lang, english := range []bool{false, true} {
		m.paths[lang] = make([][]byte, len(m.wards))
		for i := range m.wards {
			var b bytes.Buffer
			if err := svgTemplates.ExecuteTemplate(&b, "ward", m.svgWard(i, english, "")); err != nil {
				return err
			}
			m.paths[lang][i] = b.Bytes()
		}
	}
	return nil
}

func (m *Map) svgWard(i int, english bool, highlight string) svgWard {
	w := m.wards[i].ward
	title := w.FullName
	if english {
		title = w.FullNameEn
	}
	return svgWard{Code: w.Code, Name: w.Name, Title: title, D: m.wards[i].d,
		Current: w.Code == highlight, Highlight: HighlightColour}
}

// WriteSVG writes the map as an <svg> element to embed in an HTML page.
func (m *Map) WriteSVG(w io.Writer, o Options) error {
	d := svgData{
		ID: o.ID, Label: o.Label,
		Width: m.width, Height: m.height,
		OriginLat: exact(m.proj.OriginLat), OriginLon: exact(m.proj.OriginLon),
		ScaleX: exact(m.proj.ScaleX), ScaleY: exact(m.proj.ScaleY),
		Fill: FillColour, Border: BorderColour,
		MarkerFill: MarkerColour, MarkerStroke: MarkerOutline,
	}
	if d.ID == "" {
		d.ID = "wardmap"
	}
	if d.Label == "" {
		d.Label = "Hà Nội"
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
	english := false
	if base, _ := o.Lang.Base(); base.String() == "en" {
		english = true
	}
	lang := 0
	if english {
		lang = 1
	}

	if err := svgTemplates.ExecuteTemplate(w, "head", d); err != nil {
		return err
	}
	for i, dw := range m.wards {
		if o.Highlight != "" && dw.ward.Code == o.Highlight {
			if err := svgTemplates.ExecuteTemplate(w, "ward", m.svgWard(i, english, o.Highlight)); err != nil {
				return err
			}
			continue
		}
		if _, err := w.Write(m.paths[lang][i]); err != nil {
			return err
		}
	}
	return svgTemplates.ExecuteTemplate(w, "tail", d)
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
