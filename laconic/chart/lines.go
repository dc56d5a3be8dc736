package chart

import (
	"fmt"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// XYSeries is one line of an XY figure: points (X[i], Y[i]) joined in the
// order given. NaN in Y marks a missing point.
type XYSeries struct {
	Name string    `json:"name"`
	X    []float64 `json:"x"`
	Y    []float64 `json:"y"`
}

// XY is the data of a line chart over a numeric x axis, for example the
// speedup of each network (one line each) against the number of
// weight-interface wires, with LogX set so that 16, 32, ..., 2048 wires are
// evenly spaced.
type XY struct {
	ID       string `json:"id,omitempty"`
	Title    string `json:"title"`
	Subtitle string `json:"subtitle,omitempty"`
	XLabel   string `json:"x_label,omitempty"`
	YLabel   string `json:"y_label,omitempty"`
	// LogX draws the x axis logarithmically in base 2; x values must be > 0.
	LogX bool `json:"log_x,omitempty"`
	// LogY draws the y axis logarithmically in base 10; y values must be
	// >= 0 (zeros are gaps).
	LogY    bool       `json:"log_y,omitempty"`
	RefLine float64    `json:"ref_line,omitempty"` // dashed horizontal line at this y when > 0
	Series  []XYSeries `json:"series"`
	Width   int        `json:"width,omitempty"`
	Height  int        `json:"height,omitempty"`
}

func (xy XY) frame() frame {
	return frame{id: xy.ID, title: xy.Title, subtitle: xy.Subtitle, width: xy.Width, height: xy.Height}
}

// Validate checks that every series has as many x as y values, x values
// finite (and positive on a log axis), y values drawable.
func (xy XY) Validate() error {
	if err := xy.frame().validate(); err != nil {
		return err
	}
	if math.IsNaN(xy.RefLine) || math.IsInf(xy.RefLine, 0) || xy.RefLine < 0 {
		return fmt.Errorf("chart %q: RefLine = %v, want a finite value >= 0 (0 for none)", xy.Title, xy.RefLine)
	}
	if len(xy.Series) == 0 {
		return fmt.Errorf("chart %q: no series", xy.Title)
	}
	names := make([]string, len(xy.Series))
	for i, s := range xy.Series {
		names[i] = s.Name
		if len(s.X) != len(s.Y) {
			return fmt.Errorf("chart %q: series %q has %d x values and %d y values", xy.Title, s.Name, len(s.X), len(s.Y))
		}
		if len(s.X) == 0 {
			return fmt.Errorf("chart %q: series %q has no points", xy.Title, s.Name)
		}
		for j, x := range s.X {
			if math.IsNaN(x) || math.IsInf(x, 0) || (xy.LogX && x <= 0) {
				cond := "finite"
				if xy.LogX {
					cond = "finite and > 0 on a logarithmic x axis"
				}
				return fmt.Errorf("chart %q: series %q point %d: x = %v, want %s", xy.Title, s.Name, j, x, cond)
			}
			if _, err := checkValue(s.Y[j], xy.LogY, func() string {
				return fmt.Sprintf("chart %q: series %q at x = %v", xy.Title, s.Name, x)
			}); err != nil {
				return err
			}
		}
	}
	return unique(xy.Title, "series", names)
}

// Lines builds a line chart with a numeric x axis.
func Lines(xy XY) (*Chart, error) {
	if err := xy.Validate(); err != nil {
		return nil, err
	}
	f := xy.frame().resolved()
	legend := true // lines are named (one per network) even when alone
	l := charts.NewLine()
	newRect(&l.RectChart, f, legend)
	l.SetGlobalOptions(charts.WithGridOpts(grid(f, legend, xy.XLabel, nil)))
	for i, s := range xy.Series {
		data := make([]opts.LineData, len(s.X))
		for j := range s.X {
			y, _ := checkValue(s.Y[j], xy.LogY, nil)
			if y == nil {
				y = missing
			}
			data[j] = opts.LineData{Value: []any{s.X[j], y}}
		}
		so := []charts.SeriesOpts{charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(true)})}
		if i == 0 && xy.RefLine > 0 {
			so = append(so, refLine(xy.RefLine))
		}
		l.AddSeries(s.Name, data, so...)
	}
	xa := map[string]any{"type": "value", "scale": true, "min": "dataMin", "max": "dataMax"}
	if xy.LogX {
		xa["type"] = "log"
		xa["logBase"] = 2
	}
	if xy.XLabel != "" {
		xa["name"] = xy.XLabel
		xa["nameLocation"] = "middle"
		xa["nameGap"] = 30
	}
	v := &visitor{
		xAxis: []map[string]any{xa},
		yAxis: []map[string]any{valueAxis(xy.YLabel, xy.LogY, 0)},
	}
	return newChart(f, &l.RectChart, l.Renderer, v), nil
}
