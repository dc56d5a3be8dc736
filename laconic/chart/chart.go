package chart

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"sync"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/render"
)

// Default figure size in pixels, used when a builder's Width or Height is 0.
const (
	DefaultWidth  = 900
	DefaultHeight = 500
)

// Series is one named row of values aligned with the categories of the
// figure it belongs to: Values[i] belongs to category i. NaN marks a missing
// value, drawn as a gap.
type Series struct {
	Name   string    `json:"name"`
	Values []float64 `json:"values"`
}

// Chart is a figure ready to be displayed in a notebook or saved as HTML or
// SVG. Builders return one; its ID is fixed when it is built, so the same
// data always gives byte-identical files. A Chart is safe for concurrent use.
type Chart struct {
	mu     sync.Mutex
	id     string
	title  string
	width  int
	height int
	ec     *charts.RectChart // the go-echarts chart (a Bar or a Line)
	render render.Renderer
}

// ID returns the chart's element id, also the suffix of its JavaScript
// variables in HTML files.
func (c *Chart) ID() string { return c.id }

// Title returns the chart's title.
func (c *Chart) Title() string { return c.title }

// Size returns the chart's width and height in pixels.
func (c *Chart) Size() (width, height int) { return c.width, c.height }

// Snippet returns go-echarts' rendering of the chart in three parts: the
// element, the initialisation script and the echarts option as JSON.
func (c *Chart) Snippet() render.ChartSnippet {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.render.RenderSnippet()
}

// Option returns the echarts option of the chart as compact JSON with sorted
// keys (the Option part of [Chart.Snippet], checked to be valid JSON). The
// option is plain data: no JavaScript functions, so server-side rendering
// and other tools can parse it.
func (c *Chart) Option() (string, error) {
	opt := strings.TrimSpace(c.Snippet().Option)
	if !json.Valid([]byte(opt)) || !strings.HasPrefix(opt, "{") {
		return "", fmt.Errorf("chart %s: go-echarts produced an option that is not valid JSON: %.80q", c.id, opt)
	}
	// The option goes into <script> elements (NotebookHTML): escape "</"
	// and "<!" so that no text can end or confuse one. They occur only
	// inside JSON strings, where the escapes mean the same characters.
	return optionEscaper.Replace(opt), nil
}

// frame holds the fields every builder shares.
type frame struct {
	id, title, subtitle string
	width, height       int
}

func (f frame) validate() error {
	if f.width < 0 || f.height < 0 {
		return fmt.Errorf("chart %q: size %dx%d: width and height must be >= 0 (0 means the default %dx%d)", f.title, f.width, f.height, DefaultWidth, DefaultHeight)
	}
	if f.id != "" && !validID(f.id) {
		return fmt.Errorf("chart %q: ID %q: want letters, digits and underscores, starting with a letter", f.title, f.id)
	}
	return nil
}

// resolved fills in the defaults of f.
func (f frame) resolved() frame {
	if f.width == 0 {
		f.width = DefaultWidth
	}
	if f.height == 0 {
		f.height = DefaultHeight
	}
	if f.id == "" {
		f.id = IDFromTitle(f.title)
	}
	return f
}

func validID(s string) bool {
	if s == "" || !isLetter(s[0]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isLetter(s[i]) && !isDigit(s[i]) && s[i] != '_' {
			return false
		}
	}
	return true
}

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }
func isDigit(b byte) bool  { return b >= '0' && b <= '9' }

// IDFromTitle returns the element id a builder uses when none is given:
// "chart_" followed by the lower-cased letters and digits of title, runs of
// anything else becoming one underscore (at most 48 characters of title).
func IDFromTitle(title string) string {
	var b strings.Builder
	b.WriteString("chart")
	sep := true
	n := 0
	for i := 0; i < len(title) && n < 48; i++ {
		ch := title[i]
		if ch >= 'A' && ch <= 'Z' {
			ch += 'a' - 'A'
		}
		if isLetter(ch) || isDigit(ch) {
			if sep {
				b.WriteByte('_')
				sep = false
			}
			b.WriteByte(ch)
			n++
			continue
		}
		sep = true
	}
	return b.String()
}

// newRect prepares a go-echarts chart with the toolkit's common options:
// explicit id and size, SVG renderer, no animation, the palette, title,
// legend and axis tooltip.
func newRect(rc *charts.RectChart, f frame, legend bool) {
	rc.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{
			ChartID:   f.id,
			Width:     fmt.Sprintf("%dpx", f.width),
			Height:    fmt.Sprintf("%dpx", f.height),
			Renderer:  "svg",
			PageTitle: pageTitle(f.title),
		}),
		charts.WithAnimation(false),
		charts.WithColorsOpts(opts.Colors(palette)),
		charts.WithTitleOpts(opts.Title{Title: f.title, Subtitle: f.subtitle, Left: "center"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(legend), Type: "scroll", Top: legendTop(f)}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
	)
}

func pageTitle(t string) string {
	if t == "" {
		return "laconic chart"
	}
	return t
}

// legendTop places the legend under the title (and subtitle).
func legendTop(f frame) string {
	switch {
	case f.title == "":
		return "8"
	case f.subtitle == "":
		return "34"
	}
	return "52"
}

// gridTop is the top margin of the plot area: below title and legend.
func gridTop(f frame, legend bool) int {
	top := 20
	if f.title != "" {
		top += 26
	}
	if f.subtitle != "" {
		top += 18
	}
	if legend {
		top += 40 // the legend, and room for axis names above the plot
	}
	return top
}

// newChart wraps a finished go-echarts chart.
func newChart(f frame, rc *charts.RectChart, r render.Renderer, v *visitor) *Chart {
	rc.Accept(v)
	rc.ClearPresetJSAssets() // never load echarts from the web
	return &Chart{id: f.id, title: f.title, width: f.width, height: f.height, ec: rc, render: r}
}

// visitor adds the option keys that go-echarts has no field for (such as
// logBase) to the final option object.
type visitor struct {
	charts.BaseConfigurationVisitor
	xAxis []map[string]any // merged into the corresponding xAxis objects
	yAxis []map[string]any
}

func (v *visitor) Visit(obj map[string]any) {
	for key, val := range obj {
		// Round-trip through JSON to get plain values that can be edited.
		raw, err := json.Marshal(val)
		if err != nil {
			continue
		}
		var plain any
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&plain); err != nil {
			continue
		}
		obj[key] = sanitize(plain)
	}
	merge := func(key string, extra []map[string]any) {
		axes, _ := obj[key].([]any)
		for i := range axes {
			axis, ok := axes[i].(map[string]any)
			if !ok || i >= len(extra) {
				continue
			}
			for k, val := range extra[i] {
				axis[k] = sanitize(val)
			}
		}
	}
	merge("xAxis", v.xAxis)
	merge("yAxis", v.yAxis)
}

// sanitize rewrites every string of a decoded JSON value so that it cannot
// end the <script> element the option is embedded in: a zero-width space
// goes between "<" and "/" or "!". The text looks the same.
func sanitize(v any) any {
	switch t := v.(type) {
	case string:
		return scriptText.Replace(t)
	case []string:
		out := make([]any, len(t))
		for i, s := range t {
			out[i] = scriptText.Replace(s)
		}
		return out
	case []any:
		for i := range t {
			t[i] = sanitize(t[i])
		}
	case map[string]any:
		for k := range t {
			t[k] = sanitize(t[k])
		}
	}
	return v
}

var optionEscaper = strings.NewReplacer("</", `<\/`, "<!", `<\u0021`)

var scriptText = strings.NewReplacer("</", "<\u200b/", "<!", "<\u200b!")

// axisType returns the echarts type of a value axis.
func axisType(log bool) string {
	if log {
		return "log"
	}
	return "value"
}

// checkValue validates one value of a series: NaN is missing, infinities
// are rejected, and on a logarithmic axis zero is a gap and negative values
// are rejected. It returns the value to draw (nil for a gap).
func checkValue(v float64, log bool, where func() string) (any, error) {
	switch {
	case math.IsNaN(v):
		return nil, nil
	case math.IsInf(v, 0):
		return nil, fmt.Errorf("%s: value %v is infinite", where(), v)
	case log && v < 0:
		return nil, fmt.Errorf("%s: value %v cannot be drawn on a logarithmic axis (set LogY false)", where(), v)
	case log && v == 0:
		return nil, nil
	}
	return v, nil
}

// missing is echarts' marker of an empty data item.
const missing = "-"

// rotation returns the label rotation for n category labels of maximal
// length maxLen on a chart of the given width.
func rotation(labels []string, width int) float64 {
	total, maxLen := 0, 0
	for _, l := range labels {
		total += len(l) + 2
		if len(l) > maxLen {
			maxLen = len(l)
		}
	}
	// About 7 pixels a character at the default 12px font.
	if total*7 <= width-120 {
		return 0
	}
	if maxLen <= 4 {
		return 0
	}
	return 45
}

// Number is any integer or floating-point type.
type Number interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 |
		~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr |
		~float32 | ~float64
}

// SeriesOf returns a Series of values of any numeric type, for example term
// counts held as []int64.
func SeriesOf[T Number](name string, values []T) Series {
	out := make([]float64, len(values))
	for i, v := range values {
		out[i] = float64(v)
	}
	return Series{Name: name, Values: out}
}
