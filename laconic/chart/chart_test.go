package chart

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func TestIDFromTitle(t *testing.T) {
	for _, tc := range []struct{ title, want string }{
		{"", "chart"},
		{"Potential speedup", "chart_potential_speedup"},
		{"  We+Ae / 16b: MobileNetV2!", "chart_we_ae_16b_mobilenetv2"},
		{"Émigré", "chart_migr"},
		{strings.Repeat("a", 100), "chart_" + strings.Repeat("a", 48)},
	} {
		got := IDFromTitle(tc.title)
		if got != tc.want {
			t.Errorf("IDFromTitle(%q) = %q, want %q", tc.title, got, tc.want)
		}
		if !validID(got) {
			t.Errorf("IDFromTitle(%q) = %q is not a valid id", tc.title, got)
		}
	}
}

func grouped() Grouped {
	return Grouped{
		Title: "Potential speedup", XLabel: "network", YLabel: "speedup", LogY: true, RefLine: 1,
		Categories: []string{"mobilenet_v2", "inception_v3"},
		Series:     []Series{{"A", []float64{1.5, 2}}, {"We+Ae", []float64{40, math.NaN()}}},
	}
}

func TestValidate(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	mod := func(f func(g *Grouped)) Grouped { g := grouped(); f(&g); return g }
	tests := []struct {
		name  string
		build func() (*Chart, error)
		err   string
	}{
		{"bars ok", func() (*Chart, error) { return Bars(grouped()) }, ""},
		{"no categories", func() (*Chart, error) { return Bars(mod(func(g *Grouped) { g.Categories = nil })) }, "no categories"},
		{"no series", func() (*Chart, error) { return Bars(mod(func(g *Grouped) { g.Series = nil })) }, "no series"},
		{"short series", func() (*Chart, error) {
			return Bars(mod(func(g *Grouped) { g.Series[1].Values = []float64{1} }))
		}, `series "We+Ae" has 1 values for 2 categories`},
		{"duplicate category", func() (*Chart, error) {
			return Bars(mod(func(g *Grouped) { g.Categories[1] = g.Categories[0] }))
		}, `category "mobilenet_v2" appears twice`},
		{"duplicate series", func() (*Chart, error) { return Bars(mod(func(g *Grouped) { g.Series[1].Name = "A" })) }, `series "A" appears twice`},
		{"infinite", func() (*Chart, error) { return Bars(mod(func(g *Grouped) { g.Series[0].Values[1] = inf })) }, `series "A", category "inception_v3": value +Inf is infinite`},
		{"negative on log", func() (*Chart, error) { return Bars(mod(func(g *Grouped) { g.Series[0].Values[0] = -1 })) }, "cannot be drawn on a logarithmic axis"},
		{"negative on linear", func() (*Chart, error) {
			return Bars(mod(func(g *Grouped) { g.LogY = false; g.Series[0].Values[0] = -1 }))
		}, ""},
		{"stacked log", func() (*Chart, error) { return Bars(mod(func(g *Grouped) { g.Stacked = true })) }, "stacked bars need a linear value axis"},
		{"bad id", func() (*Chart, error) { return Bars(mod(func(g *Grouped) { g.ID = "1-x" })) }, `ID "1-x"`},
		{"bad size", func() (*Chart, error) { return Bars(mod(func(g *Grouped) { g.Width = -1 })) }, "width and height must be >= 0"},
		{"bad refline", func() (*Chart, error) { return Bars(mod(func(g *Grouped) { g.RefLine = nan })) }, "RefLine = NaN"},
		{"panels ok", func() (*Chart, error) {
			return PanelBars(Panels{Title: "p", Categories: []string{"a"}, Panels: []Panel{{YLabel: "s", Series: []Series{{"x", []float64{1}}}}}})
		}, ""},
		{"no panels", func() (*Chart, error) { return PanelBars(Panels{Title: "p", Categories: []string{"a"}}) }, "no panels"},
		{"panel short", func() (*Chart, error) {
			return PanelBars(Panels{Title: "p", Categories: []string{"a", "b"}, Panels: []Panel{{YLabel: "s", Series: []Series{{"x", []float64{1}}}}}})
		}, `p (panel 0, s)": series "x" has 1 values for 2 categories`},
		{"panels too short", func() (*Chart, error) {
			pn := Panel{YLabel: "s", Series: []Series{{"x", []float64{1}}}}
			return PanelBars(Panels{Title: "p", Height: 200, Categories: []string{"a"}, Panels: []Panel{pn, pn, pn}})
		}, "increase Height"},
		{"layers ok", func() (*Chart, error) {
			return LayerBreakdown(Layers{Title: "l", Layers: []string{"c1", "c2"}, Lines: []Series{{"speedup", []float64{2, 3}}}})
		}, ""},
		{"layers empty", func() (*Chart, error) { return LayerBreakdown(Layers{Title: "l", Layers: []string{"c1"}}) }, "no bars and no lines"},
		{"layers same name", func() (*Chart, error) {
			s := []Series{{"x", []float64{1}}}
			return LayerBreakdown(Layers{Title: "l", Layers: []string{"c1"}, Bars: s, Lines: s})
		}, `series "x" appears twice`},
		{"xy ok", func() (*Chart, error) {
			return Lines(XY{Title: "w", LogX: true, Series: []XYSeries{{"n", []float64{16, 32}, []float64{1, 2}}}})
		}, ""},
		{"xy lengths", func() (*Chart, error) {
			return Lines(XY{Title: "w", Series: []XYSeries{{"n", []float64{16, 32}, []float64{1}}}})
		}, "has 2 x values and 1 y values"},
		{"xy log zero", func() (*Chart, error) {
			return Lines(XY{Title: "w", LogX: true, Series: []XYSeries{{"n", []float64{0}, []float64{1}}}})
		}, "x = 0, want finite and > 0 on a logarithmic x axis"},
		{"xy nan x", func() (*Chart, error) {
			return Lines(XY{Title: "w", Series: []XYSeries{{"n", []float64{nan}, []float64{1}}}})
		}, "x = NaN, want finite"},
		{"histogram ok", func() (*Chart, error) {
			return TermHistogram(Histogram{Title: "h", Percent: true, Series: []Series{{"csd", []float64{1, 2}}, {"binary", []float64{1, 2, 3}}}})
		}, ""},
		{"histogram negative", func() (*Chart, error) {
			return TermHistogram(Histogram{Title: "h", Series: []Series{{"csd", []float64{1, -2}}}})
		}, `series "csd", 1 terms: count -2`},
		{"histogram empty percent", func() (*Chart, error) {
			return TermHistogram(Histogram{Title: "h", Percent: true, Series: []Series{{"csd", []float64{0, 0}}}})
		}, "counts nothing"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := tc.build()
			if tc.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				if _, err := c.Option(); err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("error = %v, want it to contain %q", err, tc.err)
			}
		})
	}
}

// option decodes a chart's option JSON.
func option(t *testing.T, c *Chart) map[string]any {
	t.Helper()
	s, err := c.Option()
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestBarsOption(t *testing.T) {
	c, err := Bars(grouped())
	if err != nil {
		t.Fatal(err)
	}
	if c.ID() != "chart_potential_speedup" || c.Title() != "Potential speedup" {
		t.Errorf("ID %q, title %q", c.ID(), c.Title())
	}
	if w, h := c.Size(); w != DefaultWidth || h != DefaultHeight {
		t.Errorf("size %dx%d", w, h)
	}
	m := option(t, c)
	if m["animation"] != false {
		t.Errorf("animation = %v, want false", m["animation"])
	}
	y := m["yAxis"].([]any)[0].(map[string]any)
	if y["type"] != "log" || y["logBase"] != 10.0 || y["name"] != "speedup" {
		t.Errorf("yAxis = %v", y)
	}
	x := m["xAxis"].([]any)[0].(map[string]any)
	if x["type"] != "category" || len(x["data"].([]any)) != 2 || x["name"] != "network" {
		t.Errorf("xAxis = %v", x)
	}
	series := m["series"].([]any)
	if len(series) != 2 {
		t.Fatalf("%d series", len(series))
	}
	s1 := series[1].(map[string]any)
	data := s1["data"].([]any)
	if s1["name"] != "We+Ae" || s1["type"] != "bar" || data[0].(map[string]any)["value"] != 40.0 || data[1].(map[string]any)["value"] != missing {
		t.Errorf("series 1 = %v", s1)
	}
	if _, ok := series[0].(map[string]any)["markLine"]; !ok {
		t.Error("no reference line")
	}
}

func TestLayerLinesUseRightAxis(t *testing.T) {
	c, err := LayerBreakdown(Layers{
		Title: "per layer", Layers: []string{"conv1", "conv2"}, Stacked: true,
		Bars:  []Series{{"A", []float64{1, 2}}, {"W", []float64{3, 4}}},
		Lines: []Series{{"speedup", []float64{5, 6}}}, LineLabel: "speedup",
	})
	if err != nil {
		t.Fatal(err)
	}
	m := option(t, c)
	series := m["series"].([]any)
	line := series[2].(map[string]any)
	if line["type"] != "line" || line["yAxisIndex"] != 1.0 {
		t.Errorf("line series = %v", line)
	}
	if series[0].(map[string]any)["stack"] != "total" {
		t.Errorf("bars not stacked: %v", series[0])
	}
	if axes := m["yAxis"].([]any); len(axes) != 2 || axes[1].(map[string]any)["position"] != "right" {
		t.Errorf("yAxis = %v", m["yAxis"])
	}
}

func TestPanelsShareColours(t *testing.T) {
	c, err := PanelBars(Panels{
		Title: "speedup and efficiency", Categories: []string{"a", "b"},
		Panels: []Panel{
			{YLabel: "speedup", LogY: true, Series: []Series{{"128", []float64{2, 3}}, {"1K", []float64{15, 16}}}},
			{YLabel: "energy efficiency", Series: []Series{{"1K", []float64{1.9, 2}}, {"128", []float64{2.1, 2.2}}}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	m := option(t, c)
	colour := map[string]string{}
	for i, s := range m["series"].([]any) {
		sm := s.(map[string]any)
		name := sm["name"].(string)
		col := sm["itemStyle"].(map[string]any)["color"].(string)
		if prev, ok := colour[name]; ok && prev != col {
			t.Errorf("series %q has colours %s and %s", name, prev, col)
		}
		colour[name] = col
		want := float64(i / 2)
		if xi, _ := sm["xAxisIndex"].(float64); xi != want {
			t.Errorf("series %d xAxisIndex %v, want %v", i, sm["xAxisIndex"], want)
		}
	}
	if len(m["grid"].([]any)) != 2 || len(m["yAxis"].([]any)) != 2 {
		t.Errorf("grid %v yAxis %v", m["grid"], m["yAxis"])
	}
}

func TestLinesLogX(t *testing.T) {
	c, err := Lines(XY{Title: "wires", LogX: true, XLabel: "wires", Series: []XYSeries{{"a", []float64{16, 2048}, []float64{1, math.NaN()}}}})
	if err != nil {
		t.Fatal(err)
	}
	m := option(t, c)
	x := m["xAxis"].([]any)[0].(map[string]any)
	if x["type"] != "log" || x["logBase"] != 2.0 {
		t.Errorf("xAxis = %v", x)
	}
	data := m["series"].([]any)[0].(map[string]any)["data"].([]any)
	if p := data[1].(map[string]any)["value"].([]any); p[0] != 2048.0 || p[1] != missing {
		t.Errorf("point 1 = %v", p)
	}
}

func TestHistogramPercent(t *testing.T) {
	h := Histogram{Title: "terms", Percent: true, Series: []Series{{"a", []float64{1, 3}}, {"b", []float64{2, 2, 4}}}}
	g, err := h.Grouped()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(g.Categories, ",") != "0,1,2" || g.YLabel != "% of values" || g.XLabel != "terms" {
		t.Errorf("grouped = %+v", g)
	}
	want := []Series{{"a", []float64{25, 75, 0}}, {"b", []float64{25, 25, 50}}}
	if !sameSeries(g.Series, want) {
		t.Errorf("series = %v, want %v", g.Series, want)
	}
	if h.Series[0].Values[0] != 1 {
		t.Error("Grouped modified its input")
	}
}

func TestSeriesOf(t *testing.T) {
	s := SeriesOf("n", []uint8{1, 255})
	if s.Name != "n" || !sameFloats(s.Values, []float64{1, 255}) {
		t.Errorf("SeriesOf = %v", s)
	}
}

func TestScriptSafe(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"a</script>b", `a<\/script>b`},
		{"a</SCRIPT >", `a<\/SCRIPT >`},
		{"<!-- x", `<\!-- x`},
		{"x < y / 2", "x < y / 2"},
	} {
		if got := string(scriptSafe([]byte(tc.in))); got != tc.want {
			t.Errorf("scriptSafe(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestUserTextCannotEndScript(t *testing.T) {
	g := grouped()
	g.Title = "</script><script>alert(1)</script>"
	g.Categories[0] = "<!-- x"
	g.Series[0].Name = "</SCRIPT>"
	g.Series[1].Name = "&lt;/script&gt;"
	c, err := Bars(g)
	if err != nil {
		t.Fatal(err)
	}
	opt, err := c.Option()
	if err != nil {
		t.Fatal(err)
	}
	low := strings.ToLower(opt)
	if strings.Contains(low, "</script") || strings.Contains(low, "<!--") {
		t.Errorf("option can end a script element: %s", opt)
	}
	// The text reads the same apart from an invisible zero-width space.
	if !strings.Contains(opt, "<\u200b/script><script>alert(1)<\u200b/script>") {
		t.Errorf("title not kept: %s", opt)
	}
}

func TestConcurrentUse(t *testing.T) {
	c, err := Bars(grouped())
	if err != nil {
		t.Fatal(err)
	}
	want, _ := c.Option()
	done := make(chan string)
	for i := 0; i < 8; i++ {
		go func() {
			o, _ := c.Option()
			done <- o
		}()
	}
	for i := 0; i < 8; i++ {
		if got := <-done; got != want {
			t.Errorf("concurrent Option differs")
		}
	}
}
