package chart

import (
	"fmt"
	"math"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Step is one bar of a multiplicative waterfall: a factor that takes the
// running value from where the previous step left it to value x Factor,
// or, with Total set, a bar from the axis floor to the running value
// (Factor ignored).
type Step struct {
	Label  string  `json:"label"`
	Factor float64 `json:"factor"`
	Total  bool    `json:"total,omitempty"`
}

// Waterfall is the data of a multiplicative waterfall chart on a
// logarithmic value axis: a Start value (drawn as a total bar labelled
// StartLabel) and the Steps that multiply it, for example the Laconic
// potential speedup and the factors that take it to the simulated one.
// Rising steps are blue, falling ones red, totals grey; each category
// label carries its factor.
type Waterfall struct {
	ID         string  `json:"id,omitempty"`
	Title      string  `json:"title"`
	Subtitle   string  `json:"subtitle,omitempty"`
	YLabel     string  `json:"y_label,omitempty"`
	StartLabel string  `json:"start_label"`
	Start      float64 `json:"start"`
	Steps      []Step  `json:"steps"`
	// RefLine, when > 0, draws a dashed horizontal line at that value
	// (for example a published speedup).
	RefLine float64 `json:"ref_line,omitempty"`
	Width   int     `json:"width,omitempty"`
	Height  int     `json:"height,omitempty"`
}

func (w Waterfall) frame() frame {
	return frame{id: w.ID, title: w.Title, subtitle: w.Subtitle, width: w.Width, height: w.Height}
}

func positive(v float64) bool { return v > 0 && !math.IsInf(v, 0) && !math.IsNaN(v) }

// Validate checks that the start and every factor are finite and > 0 and
// that labels are unique.
func (w Waterfall) Validate() error {
	if err := w.frame().validate(); err != nil {
		return err
	}
	if !positive(w.Start) {
		return fmt.Errorf("chart %q: Start = %v, want a finite value > 0 (the axis is logarithmic)", w.Title, w.Start)
	}
	if math.IsNaN(w.RefLine) || math.IsInf(w.RefLine, 0) || w.RefLine < 0 {
		return fmt.Errorf("chart %q: RefLine = %v, want a finite value >= 0 (0 for none)", w.Title, w.RefLine)
	}
	labels := []string{w.StartLabel}
	for i, s := range w.Steps {
		if !s.Total && !positive(s.Factor) {
			return fmt.Errorf("chart %q: step %d (%q): factor %v, want a finite value > 0", w.Title, i+1, s.Label, s.Factor)
		}
		labels = append(labels, s.Label)
	}
	return unique(w.Title, "step label", labels)
}

// Values returns the running value after each step (the start first).
func (w Waterfall) Values() []float64 {
	out := []float64{w.Start}
	v := w.Start
	for _, s := range w.Steps {
		if !s.Total {
			v *= s.Factor
		}
		out = append(out, v)
	}
	return out
}

func factorText(f float64) string { return "x" + strconv.FormatFloat(f, 'g', 3, 64) }

// WaterfallChart builds the waterfall as candlesticks (one box per step
// from the previous running value to the next) on a base-10 logarithmic
// axis.
func WaterfallChart(w Waterfall) (*Chart, error) {
	if err := w.Validate(); err != nil {
		return nil, err
	}
	f := w.frame().resolved()
	vals := w.Values()
	floor := vals[0]
	for _, v := range vals {
		floor = math.Min(floor, v)
	}
	if w.RefLine > 0 {
		floor = math.Min(floor, w.RefLine)
	}
	floor = math.Pow(10, math.Floor(math.Log10(floor)))
	labels := []string{fmt.Sprintf("%s %.3g", w.StartLabel, w.Start)}
	box := func(a, b float64) opts.KlineData {
		return opts.KlineData{Value: []any{a, b, math.Min(a, b), math.Max(a, b)}}
	}
	moves := []opts.KlineData{{Value: []any{missing, missing, missing, missing}}}
	totals := []opts.KlineData{box(floor, w.Start)}
	for i, s := range w.Steps {
		if s.Total {
			labels = append(labels, fmt.Sprintf("%s %.3g", s.Label, vals[i+1]))
			totals = append(totals, box(floor, vals[i+1]))
			moves = append(moves, opts.KlineData{Value: []any{missing, missing, missing, missing}})
			continue
		}
		labels = append(labels, fmt.Sprintf("%s %s", s.Label, factorText(s.Factor)))
		moves = append(moves, box(vals[i], vals[i+1]))
		totals = append(totals, opts.KlineData{Value: []any{missing, missing, missing, missing}})
	}
	k := charts.NewKLine()
	newRect(&k.RectChart, f, false)
	k.SetGlobalOptions(charts.WithGridOpts(grid(f, false, "", labels)))
	k.SetXAxis(labels)
	so := []charts.SeriesOpts{charts.WithItemStyleOpts(opts.ItemStyle{Color: "#3b6fb6", Color0: "#c8453b", BorderColor: "#3b6fb6", BorderColor0: "#c8453b"})}
	if w.RefLine > 0 {
		so = append(so, refLine(w.RefLine))
	}
	k.AddSeries("factors", moves, so...)
	k.AddSeries("totals", totals, charts.WithItemStyleOpts(opts.ItemStyle{Color: "#8c8c8c", Color0: "#8c8c8c", BorderColor: "#8c8c8c", BorderColor0: "#8c8c8c"}))
	ya := valueAxis(w.YLabel, true, 0)
	ya["min"] = floor
	v := &visitor{
		xAxis: []map[string]any{categoryAxis("", labels, f.width, 0)},
		yAxis: []map[string]any{ya},
	}
	return newChart(f, &k.RectChart, k.Renderer, v), nil
}
