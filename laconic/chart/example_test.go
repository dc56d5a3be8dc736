package chart_test

import (
	"bytes"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/laconiclab/toolkit/laconic/chart"
	"github.com/laconiclab/toolkit/laconic/table"
)

// A tidy table as the analysis packages produce it: one row per network
// and scheme.
type speedupRow struct {
	Model   string  `arrow:"model"`
	Scheme  string  `arrow:"scheme"`
	Speedup float64 `arrow:"speedup"`
}

var speedups = []speedupRow{
	{"mobilenet_v2", "A", 1.4},
	{"mobilenet_v2", "We+Ae", 31.5},
	{"inception_v3", "A", 1.7},
	{"inception_v3", "We+Ae", 44.2},
}

func ExampleBars() {
	c, err := chart.Bars(chart.Grouped{
		Title:      "Potential speedup",
		YLabel:     "speedup",
		LogY:       true,
		Categories: []string{"net"},
		Series:     []chart.Series{{Name: "We+Ae", Values: []float64{40}}},
	})
	if err != nil {
		log.Fatal(err)
	}
	opt, err := c.Option()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.ID())
	fmt.Println(opt)
	// Output:
	// chart_potential_speedup
	// {"animation":false,"color":["#5470c6","#91cc75","#fac858","#ee6666","#73c0de","#3ba272","#fc8452","#9a60b4","#ea7ccc","#2f4554","#8c564b","#bcbd22","#7f7f7f"],"grid":[{"bottom":"20","containLabel":true,"left":"40","right":"40","top":"46"}],"legend":{"show":false,"top":"34","type":"scroll"},"series":[{"data":[{"value":40}],"name":"We+Ae","type":"bar"}],"title":{"left":"center","text":"Potential speedup"},"toolbox":{},"tooltip":{"show":true,"trigger":"axis"},"xAxis":[{"axisLabel":{"hideOverlap":false,"interval":0,"rotate":0},"data":["net"],"type":"category"}],"yAxis":[{"logBase":10,"minorTick":{"show":true},"name":"speedup","nameLocation":"end","nameTextStyle":{"align":"left"},"type":"log"}]}
}

func ExampleGroupedFromRecord() {
	rec, err := table.FromRows(memory.DefaultAllocator, speedups, table.Provenance{})
	if err != nil {
		log.Fatal(err)
	}
	defer rec.Release()
	g, err := chart.GroupedFromRecord(rec, "model", "scheme", "speedup")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(g.Categories)
	for _, s := range g.Series {
		fmt.Println(s.Name, s.Values)
	}
	g.Title, g.LogY = "Potential speedup", true
	c, err := chart.Bars(g)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.ID())
	// Output:
	// [mobilenet_v2 inception_v3]
	// A [1.4 1.7]
	// We+Ae [31.5 44.2]
	// chart_potential_speedup
}

func ExamplePivot_Grouped() {
	rec, err := table.FromRows(memory.DefaultAllocator, speedups, table.Provenance{})
	if err != nil {
		log.Fatal(err)
	}
	defer rec.Release()
	g, err := chart.Pivot{Category: "scheme", Value: "speedup", Where: map[string]string{"model": "inception_v3"}}.Grouped(rec)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(g.Categories, g.Series[0].Name, g.Series[0].Values)

	_, err = chart.GroupedFromRecord(rec, "network", "scheme", "speedup")
	fmt.Println(err)
	// Output:
	// [A We+Ae] speedup [1.7 44.2]
	// chart: table has no category column "network" (columns: model, scheme, speedup)
}

func ExamplePivot_XY() {
	type row struct {
		Model   string  `arrow:"model"`
		Wires   int64   `arrow:"wires"`
		Speedup float64 `arrow:"speedup"`
	}
	rows := []row{{"a", 128, 2.3}, {"a", 1024, 15.4}, {"b", 128, 2.1}, {"b", 1024, 12}}
	rec, err := table.FromRows(memory.DefaultAllocator, rows, table.Provenance{})
	if err != nil {
		log.Fatal(err)
	}
	defer rec.Release()
	xy, err := chart.Pivot{Category: "wires", Series: "model", Value: "speedup", Where: map[string]string{"model": "b"}}.XY(rec)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(xy.Series[0].Name, xy.Series[0].X, xy.Series[0].Y)
	// Output:
	// b [128 1024] [2.1 12]
}

func ExampleXYFromRecord() {
	type row struct {
		Model   string  `arrow:"model"`
		Wires   int64   `arrow:"wires"`
		Speedup float64 `arrow:"speedup"`
	}
	rows := []row{{"a", 128, 2.3}, {"a", 1024, 15.4}, {"b", 128, 2.1}, {"b", 1024, 12}}
	rec, err := table.FromRows(memory.DefaultAllocator, rows, table.Provenance{})
	if err != nil {
		log.Fatal(err)
	}
	defer rec.Release()
	xy, err := chart.XYFromRecord(rec, "wires", "speedup", "model")
	if err != nil {
		log.Fatal(err)
	}
	xy.Title, xy.LogX = "Speedup versus weight wires", true
	for _, s := range xy.Series {
		fmt.Println(s.Name, s.X, s.Y)
	}
	c, err := chart.Lines(xy)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.ID())
	// Output:
	// a [128 1024] [2.3 15.4]
	// b [128 1024] [2.1 12]
	// chart_speedup_versus_weight_wires
}

func ExampleLines() {
	c, err := chart.Lines(chart.XY{
		Title:  "Speedup versus weight wires",
		XLabel: "weight-interface wires",
		YLabel: "speedup",
		LogX:   true,
		Series: []chart.XYSeries{{Name: "net", X: []float64{128, 1024}, Y: []float64{2.3, 15.4}}},
	})
	if err != nil {
		log.Fatal(err)
	}
	opt, _ := c.Option()
	fmt.Println(strings.Contains(opt, `"logBase":2`))
	// Output:
	// true
}

func ExamplePanelsFromRecord() {
	type row struct {
		Model            string  `arrow:"model"`
		Config           string  `arrow:"config"`
		Speedup          float64 `arrow:"speedup"`
		EnergyEfficiency float64 `arrow:"energy_efficiency"`
	}
	rows := []row{{"a", "128 wires", 2.3, 2.1}, {"a", "1K wires", 15.4, 1.9}}
	rec, err := table.FromRows(memory.DefaultAllocator, rows, table.Provenance{})
	if err != nil {
		log.Fatal(err)
	}
	defer rec.Release()
	p, err := chart.PanelsFromRecord(rec, "model", "config", "speedup", "energy_efficiency")
	if err != nil {
		log.Fatal(err)
	}
	for _, pn := range p.Panels {
		fmt.Println(pn.YLabel, pn.Series)
	}
	// Output:
	// speedup [{128 wires [2.3]} {1K wires [15.4]}]
	// energy_efficiency [{128 wires [2.1]} {1K wires [1.9]}]
}

func ExamplePanelBars() {
	c, err := chart.PanelBars(chart.Panels{
		Title:      "Laconic over bit-parallel",
		Categories: []string{"net_a", "net_b"},
		Panels: []chart.Panel{
			{YLabel: "speedup", RefLine: 1, Series: []chart.Series{{Name: "1K wires", Values: []float64{15, 16}}}},
			{YLabel: "energy efficiency", RefLine: 1, Series: []chart.Series{{Name: "1K wires", Values: []float64{1.9, 2}}}},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Size())
	// Output:
	// 900 1000
}

func ExampleLayerBreakdown() {
	c, err := chart.LayerBreakdown(chart.Layers{
		Title:     "MobileNetV2 per layer",
		Layers:    []string{"conv1", "block_1_expand", "block_1_project"},
		YLabel:    "MACs",
		Bars:      []chart.Series{{Name: "MACs", Values: []float64{10.8e6, 4.8e6, 3.6e6}}},
		LineLabel: "speedup",
		Lines:     []chart.Series{{Name: "We+Ae speedup", Values: []float64{20, 35, 41}}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.ID())
	// Output:
	// chart_mobilenetv2_per_layer
}

func ExampleTermHistogram() {
	// Term counts of the 256 unsigned 8-bit values.
	h := chart.Histogram{
		Title:   "Terms of 8-bit values",
		Percent: true,
		Series: []chart.Series{
			chart.SeriesOf("binary", []int64{1, 8, 28, 56, 70, 56, 28, 8, 1}),
			chart.SeriesOf("csd", []int64{1, 16, 72, 112, 54, 1}),
		},
	}
	g, err := h.Grouped()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(g.Categories)
	fmt.Printf("%.2f\n", g.Series[1].Values)
	if _, err := chart.TermHistogram(h); err != nil {
		log.Fatal(err)
	}
	// Output:
	// [0 1 2 3 4 5 6 7 8]
	// [0.39 6.25 28.12 43.75 21.09 0.39 0.00 0.00 0.00]
}

func ExampleHistogram_Grouped() {
	g, err := chart.Histogram{Title: "t", Series: []chart.Series{{Name: "w", Values: []float64{3, 1}}}}.Grouped()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(g.XLabel, g.YLabel, g.Categories, g.Series)
	// Output:
	// terms values [0 1] [{w [3 1]}]
}

func ExampleHistogramFromRecord() {
	type row struct {
		Encoding string `arrow:"encoding"`
		Terms    int64  `arrow:"terms"`
		Count    int64  `arrow:"count"`
	}
	rows := []row{{"binary", 0, 1}, {"binary", 2, 5}, {"csd", 1, 4}}
	rec, err := table.FromRows(memory.DefaultAllocator, rows, table.Provenance{})
	if err != nil {
		log.Fatal(err)
	}
	defer rec.Release()
	h, err := chart.HistogramFromRecord(rec, "terms", "count", "encoding")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(h.Series)
	// Output:
	// [{binary [1 0 5]} {csd [0 4]}]
}

func ExampleSeriesOf() {
	fmt.Println(chart.SeriesOf("counts", []uint16{3, 0, 7}))
	// Output:
	// {counts [3 0 7]}
}

func ExampleIDFromTitle() {
	fmt.Println(chart.IDFromTitle("Speedup (16b) vs. wires"))
	// Output:
	// chart_speedup_16b_vs_wires
}

func ExampleGrouped_Validate() {
	g := chart.Grouped{Title: "t", Categories: []string{"a", "b"}, Series: []chart.Series{{Name: "s", Values: []float64{1}}}}
	fmt.Println(g.Validate())
	// Output:
	// chart "t": series "s" has 1 values for 2 categories
}

func ExampleChart_Snippet() {
	c, err := chart.Bars(chart.Grouped{Title: "t", ID: "fig1", Width: 300, Height: 200,
		Categories: []string{"a"}, Series: []chart.Series{{Name: "s", Values: []float64{1}}}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.TrimSpace(c.Snippet().Element))
	// Output:
	// <div class="container">
	//     <div class="item" id="fig1" style="width:300px;height:200px;"></div>
	// </div>
}

func ExampleEchartsPath() {
	p, err := chart.EchartsPath()
	if err != nil {
		// The library is missing: the error says to run `make setup-charts`.
		log.Fatal(err)
	}
	fmt.Println(filepath.Base(p))
	// Output:
	// echarts.min.js
}

func ExampleEcharts() {
	lib, err := chart.Echarts()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(bytes.Contains(lib, []byte(`version="`+chart.EchartsVersion+`"`)))
	// Output:
	// true
}

func ExampleHTML() {
	c, err := chart.Bars(chart.Grouped{Title: "t", Categories: []string{"a"}, Series: []chart.Series{{Name: "s", Values: []float64{1}}}})
	if err != nil {
		log.Fatal(err)
	}
	page, err := chart.HTML(c)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(bytes.Contains(page, []byte("<script src")), bytes.Contains(page, []byte("echarts.init(")))
	// Output:
	// false true
}

func ExampleSaveHTML() {
	c, err := chart.Bars(chart.Grouped{Title: "t", Categories: []string{"a"}, Series: []chart.Series{{Name: "s", Values: []float64{1}}}})
	if err != nil {
		log.Fatal(err)
	}
	dir, _ := os.MkdirTemp("", "chart")
	defer os.RemoveAll(dir)
	if err := chart.SaveHTML(c, filepath.Join(dir, "t.html")); err != nil {
		log.Fatal(err)
	}
	fmt.Println("saved")
	// Output:
	// saved
}

func ExampleSVG() {
	c, err := chart.Bars(chart.Grouped{Title: "Speedup", Categories: []string{"net"}, Series: []chart.Series{{Name: "We+Ae", Values: []float64{40}}}})
	if err != nil {
		log.Fatal(err)
	}
	svg, err := chart.SVG(c, 400, 300)
	if err != nil {
		log.Fatal(err) // ErrNoNode or ErrNoEcharts say what to install
	}
	fmt.Println(string(svg[:4]), bytes.Contains(svg, []byte(">Speedup<")))
	// Output:
	// <svg true
}

func ExampleSaveSVG() {
	c, err := chart.Bars(chart.Grouped{Title: "t", Categories: []string{"a"}, Series: []chart.Series{{Name: "s", Values: []float64{1}}}})
	if err != nil {
		log.Fatal(err)
	}
	dir, _ := os.MkdirTemp("", "chart")
	defer os.RemoveAll(dir)
	if err := chart.SaveSVG(c, filepath.Join(dir, "t.svg"), 0, 0); err != nil {
		log.Fatal(err)
	}
	fmt.Println("saved")
	// Output:
	// saved
}

func ExampleDisplay() {
	c, err := chart.Bars(chart.Grouped{Title: "t", Categories: []string{"a"}, Series: []chart.Series{{Name: "s", Values: []float64{1}}}})
	if err != nil {
		log.Fatal(err)
	}
	// In a GoNB cell this draws the chart; elsewhere it says why not.
	err = chart.Display(c)
	fmt.Println(errors.Is(err, chart.ErrNotNotebook))
	// Output:
	// true
}

func ExampleDisplaySVG() {
	c, err := chart.Bars(chart.Grouped{Title: "t", Categories: []string{"a"}, Series: []chart.Series{{Name: "s", Values: []float64{1}}}})
	if err != nil {
		log.Fatal(err)
	}
	err = chart.DisplaySVG(c, 0, 0)
	fmt.Println(errors.Is(err, chart.ErrNotNotebook))
	// Output:
	// true
}

func ExampleNotebookHTML() {
	c, err := chart.Bars(chart.Grouped{Title: "t", Categories: []string{"a"}, Series: []chart.Series{{Name: "s", Values: []float64{1}}}})
	if err != nil {
		log.Fatal(err)
	}
	frag, err := chart.NotebookHTML(c, "chart_t_1", false)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.Split(strings.TrimSpace(frag), "\n")[1])
	// Output:
	//     <div class="item" id="chart_t_1" style="width:900px;height:500px;"></div>
}

func ExampleTableHTML() {
	rec, err := table.FromRows(memory.DefaultAllocator, speedups[:1], table.Provenance{})
	if err != nil {
		log.Fatal(err)
	}
	defer rec.Release()
	page, err := chart.TableHTML(rec, 0)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.Count(page, "<th style"), strings.Contains(page, ">1.4<"))
	// Output:
	// 3 true
}

func ExampleDisplayTable() {
	rec, err := table.FromRows(memory.DefaultAllocator, speedups, table.Provenance{})
	if err != nil {
		log.Fatal(err)
	}
	defer rec.Release()
	// In a GoNB cell this shows the table; elsewhere it says why not.
	err = chart.DisplayTable(rec, 10)
	fmt.Println(errors.Is(err, chart.ErrNotNotebook))
	// Output:
	// true
}

func ExampleColumnsFromRecord() {
	type row struct {
		Layer   string  `arrow:"layer"`
		ActZero float64 `arrow:"act_zero_fraction"`
		WgtZero float64 `arrow:"wgt_zero_fraction"`
	}
	rows := []row{{"conv1", 0.5, 0.01}, {"conv2", 0.62, 0.02}}
	rec, err := table.FromRows(memory.DefaultAllocator, rows, table.Provenance{})
	if err != nil {
		log.Fatal(err)
	}
	defer rec.Release()
	g, err := chart.ColumnsFromRecord(rec, "layer", "act_zero_fraction", "wgt_zero_fraction")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(g.Categories, g.Series)
	// Output:
	// [conv1 conv2] [{act_zero_fraction [0.5 0.62]} {wgt_zero_fraction [0.01 0.02]}]
}

func ExamplePivot_Histogram() {
	type row struct {
		Layer  string `arrow:"layer"`
		Tensor string `arrow:"tensor"`
		Terms  int64  `arrow:"terms"`
		Count  int64  `arrow:"count"`
	}
	rows := []row{{"c1", "weight", 0, 3}, {"c1", "weight", 1, 2}, {"c2", "weight", 0, 1}, {"c2", "activation", 2, 9}}
	rec, err := table.FromRows(memory.DefaultAllocator, rows, table.Provenance{})
	if err != nil {
		log.Fatal(err)
	}
	defer rec.Release()
	// All layers' weights together.
	h, err := chart.Pivot{Category: "terms", Series: "tensor", Value: "count", Where: map[string]string{"tensor": "weight"}}.Histogram(rec)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(h.Series)
	// Output:
	// [{weight [4 2]}]
}

func ExampleChart() {
	c, err := chart.Bars(chart.Grouped{Title: "Speedup per scheme", Width: 640, Height: 360,
		Categories: []string{"net"}, Series: []chart.Series{{Name: "We+Ae", Values: []float64{40}}}})
	if err != nil {
		log.Fatal(err)
	}
	w, h := c.Size()
	fmt.Println(c.ID(), c.Title(), w, h)
	// Output:
	// chart_speedup_per_scheme Speedup per scheme 640 360
}

func ExampleChart_Option() {
	c, err := chart.Bars(chart.Grouped{Title: "t", Categories: []string{"a"}, Series: []chart.Series{{Name: "s", Values: []float64{2}}}})
	if err != nil {
		log.Fatal(err)
	}
	opt, err := c.Option()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.Contains(opt, `"series":[{"data":[{"value":2}],"name":"s","type":"bar"}]`))
	// Output:
	// true
}

func ExamplePanels_Validate() {
	p := chart.Panels{Title: "p", Categories: []string{"a"}}
	fmt.Println(p.Validate())
	// Output:
	// chart "p": no panels
}

func ExampleLayers_Validate() {
	l := chart.Layers{Title: "l", Layers: []string{"conv1"}, LogY: true, Stacked: true,
		Bars: []chart.Series{{Name: "A", Values: []float64{1}}}}
	fmt.Println(l.Validate())
	// Output:
	// chart "l": stacked bars need a linear value axis (set LogY or Stacked false)
}

func ExampleXY_Validate() {
	xy := chart.XY{Title: "w", LogX: true, Series: []chart.XYSeries{{Name: "n", X: []float64{0, 16}, Y: []float64{1, 2}}}}
	fmt.Println(xy.Validate())
	// Output:
	// chart "w": series "n" point 0: x = 0, want finite and > 0 on a logarithmic x axis
}

func ExampleHistogram_Validate() {
	h := chart.Histogram{Title: "h", Series: []chart.Series{{Name: "csd", Values: []float64{3, -1}}}}
	fmt.Println(h.Validate())
	// Output:
	// chart "h": series "csd", 1 terms: count -1, want a finite value >= 0
}

func ExamplePivot_Validate() {
	fmt.Println(chart.Pivot{Category: "model"}.Validate())
	// Output:
	// chart: pivot: no value column named
}

func ExampleConvertSVG() {
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>`)
	pdf, err := chart.ConvertSVG(svg, "pdf", 1)
	if err != nil {
		// rsvg-convert is missing: the error names the package to install.
		log.Fatal(err)
	}
	fmt.Println(string(pdf[:5]))
	// Output:
	// %PDF-
}

func ExampleNotebookBundle() {
	c, err := chart.Bars(chart.Grouped{Title: "Potential speedup", ID: "fig1", Width: 300, Height: 200,
		Categories: []string{"mobilenet_v2"}, Series: []chart.Series{{Name: "We+Ae", Values: []float64{17.6}}}})
	if err != nil {
		log.Fatal(err)
	}
	b, err := chart.NotebookBundle(c, "fig1_1", false)
	if err != nil {
		// Node.js, echarts or rsvg-convert is missing: make setup-charts.
		log.Fatal(err)
	}
	for _, mime := range []string{"image/svg+xml", "image/png", "text/html"} {
		_, ok := b.Data[mime]
		fmt.Println(mime, ok)
	}
	fmt.Println(b.Metadata["image/png"])
	// Output:
	// image/svg+xml true
	// image/png true
	// text/html true
	// map[height:200 width:300]
}

func ExampleWaterfallChart() {
	c, err := chart.WaterfallChart(chart.Waterfall{
		Title: "From potential to simulated speedup", StartLabel: "potential", Start: 17.6, RefLine: 2.3,
		Steps: []chart.Step{{Label: "zero cost", Factor: 0.8}, {Label: "lanes", Factor: 1.0 / 16}, {Label: "simulated", Total: true}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.ID())
	// Output: chart_from_potential_to_simulated_speedup
}
