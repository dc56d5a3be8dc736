package chart

import (
	"fmt"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Layers is the data of a per-layer breakdown of one network: bars per
// layer (one series per scheme, side by side or stacked), and optionally
// lines over the layers on a second value axis at the right, for example
// the speedup of each layer.
type Layers struct {
	ID       string `json:"id,omitempty"`
	Title    string `json:"title"`
	Subtitle string `json:"subtitle,omitempty"`
	XLabel   string `json:"x_label,omitempty"` // "layer" when empty
	// Layers names the categories in network order.
	Layers []string `json:"layers"`
	// Bars: one value per layer and series, on the left axis.
	YLabel  string   `json:"y_label,omitempty"`
	LogY    bool     `json:"log_y,omitempty"`
	Stacked bool     `json:"stacked,omitempty"`
	Bars    []Series `json:"bars"`
	// Lines: one value per layer and series, on the right axis (optional).
	LineLabel string   `json:"line_label,omitempty"`
	LogLine   bool     `json:"log_line,omitempty"`
	Lines     []Series `json:"lines,omitempty"`
	Width     int      `json:"width,omitempty"`
	Height    int      `json:"height,omitempty"`
}

func (l Layers) frame() frame {
	return frame{id: l.ID, title: l.Title, subtitle: l.Subtitle, width: l.Width, height: l.Height}
}

// Validate checks the bars like Grouped.Validate and the lines the same way
// against the layers; series names must be unique over bars and lines.
func (l Layers) Validate() error {
	if err := l.frame().validate(); err != nil {
		return err
	}
	if l.Stacked && l.LogY {
		return fmt.Errorf("chart %q: stacked bars need a linear value axis (set LogY or Stacked false)", l.Title)
	}
	if len(l.Bars) == 0 && len(l.Lines) == 0 {
		return fmt.Errorf("chart %q: no bars and no lines", l.Title)
	}
	if len(l.Bars) > 0 {
		if err := validateSeries(l.Title, l.Layers, l.Bars, l.LogY); err != nil {
			return err
		}
	}
	if len(l.Lines) > 0 {
		if err := validateSeries(l.Title, l.Layers, l.Lines, l.LogLine); err != nil {
			return err
		}
	}
	names := make([]string, 0, len(l.Bars)+len(l.Lines))
	for _, s := range append(append([]Series(nil), l.Bars...), l.Lines...) {
		names = append(names, s.Name)
	}
	return unique(l.Title, "series", names)
}

// LayerBreakdown builds a per-layer figure: bars on the left axis and
// lines on the right axis (or only lines, on the left axis, when there are
// no bars).
func LayerBreakdown(l Layers) (*Chart, error) {
	if err := l.Validate(); err != nil {
		return nil, err
	}
	f := l.frame().resolved()
	xName := l.XLabel
	if xName == "" {
		xName = "layer"
	}
	legend := len(l.Bars)+len(l.Lines) > 1
	b := charts.NewBar()
	newRect(&b.RectChart, f, legend)
	g := grid(f, legend, xName, l.Layers)
	b.SetGlobalOptions(charts.WithGridOpts(g))
	b.SetXAxis(l.Layers)
	v := &visitor{xAxis: []map[string]any{categoryAxis(xName, l.Layers, f.width, 0)}}
	for _, s := range l.Bars {
		var so []charts.SeriesOpts
		if l.Stacked {
			so = append(so, charts.WithBarChartOpts(opts.BarChart{Stack: "total"}))
		}
		b.AddSeries(s.Name, barData(s.Values, l.LogY), so...)
	}
	lineAxis := 0
	if len(l.Bars) > 0 {
		v.yAxis = append(v.yAxis, valueAxis(l.YLabel, l.LogY, 0))
		if len(l.Lines) > 0 {
			b.ExtendYAxis(opts.YAxis{})
			lineAxis = 1
			ya := valueAxis(l.LineLabel, l.LogLine, 0)
			ya["position"] = "right"
			ya["nameTextStyle"] = map[string]any{"align": "right"}
			ya["splitLine"] = map[string]any{"show": false}
			v.yAxis = append(v.yAxis, ya)
		}
	} else {
		v.yAxis = append(v.yAxis, valueAxis(l.LineLabel, l.LogLine, 0))
	}
	// Line series in a bar chart: go-echarts' Bar adds bar series only, so
	// the line series are appended to the series list directly.
	for _, s := range l.Lines {
		data := make([]opts.LineData, len(s.Values))
		for i, val := range s.Values {
			d, _ := checkValue(val, l.LogLine, nil)
			if d == nil {
				d = missing
			}
			data[i] = opts.LineData{Value: d}
		}
		ss := charts.SingleSeries{Name: s.Name, Type: "line", Data: data}
		ss.ConfigureSeriesOpts(charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(true), YAxisIndex: lineAxis}))
		b.MultiSeries = append(b.MultiSeries, ss)
	}
	return newChart(f, &b.RectChart, b.Renderer, v), nil
}
