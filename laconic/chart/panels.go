package chart

import (
	"fmt"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Panel is one measure of a Panels figure: its own value axis and one
// series per configuration, aligned with the figure's categories.
type Panel struct {
	YLabel  string   `json:"y_label"`
	LogY    bool     `json:"log_y,omitempty"`
	RefLine float64  `json:"ref_line,omitempty"` // dashed line at this value when > 0
	Series  []Series `json:"series"`
}

// Panels is the data of a figure with several measures of the same
// categories and configurations stacked vertically, one grouped bar panel
// each, sharing the category axis: for example speedup and energy
// efficiency (two panels) per network (categories) and accelerator
// configuration (series). A series with the same name in several panels
// has the same colour, and the legend toggles it everywhere.
type Panels struct {
	ID         string   `json:"id,omitempty"`
	Title      string   `json:"title"`
	Subtitle   string   `json:"subtitle,omitempty"`
	XLabel     string   `json:"x_label,omitempty"`
	Categories []string `json:"categories"`
	Panels     []Panel  `json:"panels"`
	Width      int      `json:"width,omitempty"`
	Height     int      `json:"height,omitempty"` // DefaultHeight times the number of panels, at most 2, when 0
}

func (p Panels) frame() frame {
	return frame{id: p.ID, title: p.Title, subtitle: p.Subtitle, width: p.Width, height: p.Height}
}

// Validate checks every panel like Grouped.Validate.
func (p Panels) Validate() error {
	if err := p.frame().validate(); err != nil {
		return err
	}
	if len(p.Panels) == 0 {
		return fmt.Errorf("chart %q: no panels", p.Title)
	}
	for i, pn := range p.Panels {
		name := fmt.Sprintf("%s (panel %d, %s)", p.Title, i, pn.YLabel)
		if math.IsNaN(pn.RefLine) || math.IsInf(pn.RefLine, 0) || pn.RefLine < 0 {
			return fmt.Errorf("chart %q: RefLine = %v, want a finite value >= 0 (0 for none)", name, pn.RefLine)
		}
		if err := validateSeries(name, p.Categories, pn.Series, pn.LogY); err != nil {
			return err
		}
	}
	return nil
}

// palette is the colour cycle of every figure: echarts' default palette
// followed by four more distinct colours, so that the twelve schemes of a
// potential-work figure each get their own colour. It is fixed here so that
// a series keeps its colour across panels.
var palette = []string{
	"#5470c6", "#91cc75", "#fac858", "#ee6666", "#73c0de",
	"#3ba272", "#fc8452", "#9a60b4", "#ea7ccc",
	"#2f4554", "#8c564b", "#bcbd22", "#7f7f7f",
}

// PanelBars builds a figure of vertically stacked grouped bar panels.
func PanelBars(p Panels) (*Chart, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if p.Height == 0 {
		p.Height = DefaultHeight * min(len(p.Panels), 2)
	}
	f := p.frame().resolved()

	// Colours by series name in order of first appearance.
	colour := map[string]string{}
	for _, pn := range p.Panels {
		for _, s := range pn.Series {
			if _, ok := colour[s.Name]; !ok {
				colour[s.Name] = palette[len(colour)%len(palette)]
			}
		}
	}
	legend := len(colour) > 1

	// Vertical layout in pixels: title and legend, then the panels with
	// a gap between them, then the category labels and axis name.
	top := gridTop(f, legend)
	rot := rotation(p.Categories, f.width)
	bottom := 36
	if rot != 0 {
		maxLen := 0
		for _, c := range p.Categories {
			maxLen = max(maxLen, len(c))
		}
		bottom = 30 + min(maxLen, 30)*5
	}
	if p.XLabel != "" {
		bottom += 24
	}
	const gap = 36
	n := len(p.Panels)
	ph := (f.height - top - bottom - (n-1)*gap) / n
	if ph < 40 {
		return nil, fmt.Errorf("chart %q: height %d px leaves %d px a panel for %d panels; increase Height", p.Title, f.height, ph, n)
	}

	b := charts.NewBar()
	newRect(&b.RectChart, f, legend)
	b.SetXAxis(p.Categories)
	var grids []opts.Grid
	v := &visitor{}
	for i, pn := range p.Panels {
		grids = append(grids, opts.Grid{
			Top:    fmt.Sprint(top + i*(ph+gap)),
			Height: fmt.Sprint(ph),
			Left:   "80",
			Right:  "40",
		})
		if i > 0 {
			b.ExtendXAxis(opts.XAxis{})
			b.ExtendYAxis(opts.YAxis{})
		}
		last := i == n-1
		xa := map[string]any{"type": "category", "data": p.Categories}
		if i > 0 {
			xa["gridIndex"] = i
		}
		if last {
			xa["axisLabel"] = map[string]any{"interval": 0, "rotate": rot}
			if p.XLabel != "" {
				xa["name"] = p.XLabel
				xa["nameLocation"] = "middle"
				xa["nameGap"] = bottom - 20
			}
		} else {
			xa["axisLabel"] = map[string]any{"show": false}
		}
		v.xAxis = append(v.xAxis, xa)
		ya := valueAxis(pn.YLabel, pn.LogY, i)
		ya["nameLocation"] = "middle"
		delete(ya, "nameTextStyle")
		ya["nameGap"] = 55
		v.yAxis = append(v.yAxis, ya)
		for j, s := range pn.Series {
			idx := i
			c := colour[s.Name]
			so := []charts.SeriesOpts{
				charts.WithSeriesOpts(func(ss *charts.SingleSeries) {
					ss.XAxisIndex = idx
					ss.YAxisIndex = idx
				}),
				charts.WithItemStyleOpts(opts.ItemStyle{Color: c}),
			}
			if j == 0 && pn.RefLine > 0 {
				so = append(so, refLine(pn.RefLine))
			}
			b.AddSeries(s.Name, barData(s.Values, pn.LogY), so...)
		}
	}
	b.SetGlobalOptions(charts.WithGridOpts(grids...))
	return newChart(f, &b.RectChart, b.Renderer, v), nil
}
