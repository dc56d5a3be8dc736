package chart

import (
	"fmt"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Grouped is the data of a grouped bar chart: one group of bars per
// category (for example a network), one bar per series in each group (for
// example a scheme). It draws potential speedup per scheme per network with
// LogY set, or any other value per category and series.
type Grouped struct {
	ID       string `json:"id,omitempty"` // element id; IDFromTitle(Title) when empty
	Title    string `json:"title"`
	Subtitle string `json:"subtitle,omitempty"`
	XLabel   string `json:"x_label,omitempty"` // name of the category axis
	YLabel   string `json:"y_label,omitempty"` // name of the value axis
	// LogY draws the value axis logarithmically (base 10). Zeros are drawn
	// as gaps and negative values are an error.
	LogY bool `json:"log_y,omitempty"`
	// Stacked stacks the series of a category on top of each other instead
	// of side by side.
	Stacked bool `json:"stacked,omitempty"`
	// RefLine, when > 0, draws a dashed horizontal line at that value (for
	// example 1 for a speedup over a baseline).
	RefLine float64 `json:"ref_line,omitempty"`
	// Categories in drawing order; every series has one value per category.
	Categories []string `json:"categories"`
	Series     []Series `json:"series"`
	Width      int      `json:"width,omitempty"`  // pixels; DefaultWidth when 0
	Height     int      `json:"height,omitempty"` // pixels; DefaultHeight when 0
}

func (g Grouped) frame() frame {
	return frame{id: g.ID, title: g.Title, subtitle: g.Subtitle, width: g.Width, height: g.Height}
}

// Validate checks that every series has one value per category, that names
// are unique and that the values can be drawn on the value axis.
func (g Grouped) Validate() error {
	if err := g.frame().validate(); err != nil {
		return err
	}
	if math.IsNaN(g.RefLine) || math.IsInf(g.RefLine, 0) || g.RefLine < 0 {
		return fmt.Errorf("chart %q: RefLine = %v, want a finite value >= 0 (0 for none)", g.Title, g.RefLine)
	}
	if g.Stacked && g.LogY {
		return fmt.Errorf("chart %q: stacked bars need a linear value axis (set LogY or Stacked false)", g.Title)
	}
	return validateSeries(g.Title, g.Categories, g.Series, g.LogY)
}

func validateSeries(title string, categories []string, series []Series, log bool) error {
	if len(categories) == 0 {
		return fmt.Errorf("chart %q: no categories", title)
	}
	if len(series) == 0 {
		return fmt.Errorf("chart %q: no series", title)
	}
	if err := unique(title, "category", categories); err != nil {
		return err
	}
	names := make([]string, len(series))
	for i, s := range series {
		names[i] = s.Name
	}
	if err := unique(title, "series", names); err != nil {
		return err
	}
	for _, s := range series {
		if len(s.Values) != len(categories) {
			return fmt.Errorf("chart %q: series %q has %d values for %d categories", title, s.Name, len(s.Values), len(categories))
		}
		for i, v := range s.Values {
			if _, err := checkValue(v, log, func() string {
				return fmt.Sprintf("chart %q: series %q, category %q", title, s.Name, categories[i])
			}); err != nil {
				return err
			}
		}
	}
	return nil
}

func unique(title, what string, names []string) error {
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		if seen[n] {
			return fmt.Errorf("chart %q: %s %q appears twice", title, what, n)
		}
		seen[n] = true
	}
	return nil
}

// barData converts values to go-echarts bar items, with gaps for missing
// values. The values must have passed validateSeries.
func barData(values []float64, log bool) []opts.BarData {
	out := make([]opts.BarData, len(values))
	for i, v := range values {
		d, _ := checkValue(v, log, nil)
		if d == nil {
			out[i] = opts.BarData{Value: missing}
			continue
		}
		out[i] = opts.BarData{Value: d}
	}
	return out
}

// categoryAxis returns the extra option keys of a category axis.
func categoryAxis(name string, labels []string, width int, gridIndex int) map[string]any {
	m := map[string]any{
		"type":      "category",
		"axisLabel": map[string]any{"interval": 0, "rotate": rotation(labels, width), "hideOverlap": false},
	}
	if name != "" {
		m["name"] = name
		m["nameLocation"] = "middle"
		m["nameGap"] = nameGap(labels, width)
	}
	if gridIndex > 0 {
		m["gridIndex"] = gridIndex
	}
	return m
}

// nameGap is the distance of the category axis name from the axis, leaving
// room for rotated labels.
func nameGap(labels []string, width int) int {
	if rotation(labels, width) == 0 {
		return 30
	}
	maxLen := 0
	for _, l := range labels {
		maxLen = max(maxLen, len(l))
	}
	return 20 + min(maxLen, 30)*5
}

// valueAxis returns the extra option keys of a value axis.
func valueAxis(name string, log bool, gridIndex int) map[string]any {
	// The name sits above the axis, starting at it, so that it stays
	// inside the chart.
	m := map[string]any{"type": axisType(log), "nameLocation": "end", "nameTextStyle": map[string]any{"align": "left"}}
	if name != "" {
		m["name"] = name
	}
	if log {
		m["logBase"] = 10
		m["minorTick"] = map[string]any{"show": true}
	}
	if gridIndex > 0 {
		m["gridIndex"] = gridIndex
	}
	return m
}

// grid returns the plot area of a chart with one panel. Category labels
// rotated by 45 degrees reach left of their tick, so the left margin grows
// with the longest label.
func grid(f frame, legend bool, xName string, labels []string) opts.Grid {
	bottom := 20
	if xName != "" {
		bottom += 30
	}
	left := 40
	if rotation(labels, f.width) != 0 {
		maxLen := 0
		for _, l := range labels {
			maxLen = max(maxLen, len(l))
		}
		left = max(left, min(maxLen, 30)*5+10)
	}
	return opts.Grid{
		Top:          fmt.Sprint(gridTop(f, legend)),
		Bottom:       fmt.Sprint(bottom),
		Left:         fmt.Sprint(left),
		Right:        "40",
		ContainLabel: opts.Bool(true),
	}
}

// Bars builds a grouped (or stacked) bar chart.
func Bars(g Grouped) (*Chart, error) {
	if err := g.Validate(); err != nil {
		return nil, err
	}
	f := g.frame().resolved()
	legend := len(g.Series) > 1
	b := charts.NewBar()
	newRect(&b.RectChart, f, legend)
	b.SetGlobalOptions(charts.WithGridOpts(grid(f, legend, g.XLabel, g.Categories)))
	b.SetXAxis(g.Categories)
	for i, s := range g.Series {
		var so []charts.SeriesOpts
		if g.Stacked {
			so = append(so, charts.WithBarChartOpts(opts.BarChart{Stack: "total"}))
		}
		if i == 0 && g.RefLine > 0 {
			so = append(so, refLine(g.RefLine))
		}
		b.AddSeries(s.Name, barData(s.Values, g.LogY), so...)
	}
	v := &visitor{
		xAxis: []map[string]any{categoryAxis(g.XLabel, g.Categories, f.width, 0)},
		yAxis: []map[string]any{valueAxis(g.YLabel, g.LogY, 0)},
	}
	return newChart(f, &b.RectChart, b.Renderer, v), nil
}

// refLine draws a dashed horizontal line at y = v in a series' axes.
func refLine(v float64) charts.SeriesOpts {
	return charts.WithSeriesOpts(func(s *charts.SingleSeries) {
		s.MarkLines = &opts.MarkLines{
			Data: []any{map[string]any{"yAxis": v}},
			MarkLineStyle: opts.MarkLineStyle{
				Symbol:    []string{"none", "none"},
				Label:     &opts.Label{Show: opts.Bool(false)},
				LineStyle: &opts.LineStyle{Type: "dashed", Color: "#666666"},
			},
		}
	})
}
