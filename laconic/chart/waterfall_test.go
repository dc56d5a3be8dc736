package chart

import (
	"math"
	"strings"
	"testing"
)

func TestWaterfall(t *testing.T) {
	w := Waterfall{Title: "Gap", StartLabel: "potential", Start: 20, RefLine: 2.3,
		Steps: []Step{{Label: "zero cost", Factor: 0.5}, {Label: "lanes", Factor: 0.0625}, {Label: "simulated", Total: true}, {Label: "finer sync", Factor: 1.5}}}
	got := w.Values()
	want := []float64{20, 10, 0.625, 0.625, 0.9375}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Fatalf("values %v, want %v", got, want)
		}
	}
	c, err := WaterfallChart(w)
	if err != nil {
		t.Fatal(err)
	}
	opt, err := c.Option()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"candlestick"`, `"type":"log"`, "zero cost x0.5", "simulated 0.625", `"yAxis":2.3`} {
		if !strings.Contains(opt, s) {
			t.Errorf("option lacks %s:\n%s", s, opt)
		}
	}
	c2, _ := WaterfallChart(w)
	if o2, _ := c2.Option(); o2 != opt {
		t.Error("same data gave different options")
	}
	for name, bad := range map[string]Waterfall{
		"zero start":   {Title: "x", StartLabel: "s", Start: 0},
		"nan factor":   {Title: "x", StartLabel: "s", Start: 1, Steps: []Step{{Label: "a", Factor: math.NaN()}}},
		"neg factor":   {Title: "x", StartLabel: "s", Start: 1, Steps: []Step{{Label: "a", Factor: -2}}},
		"dup label":    {Title: "x", StartLabel: "s", Start: 1, Steps: []Step{{Label: "s", Factor: 2}}},
		"inf ref line": {Title: "x", StartLabel: "s", Start: 1, RefLine: math.Inf(1)},
	} {
		if _, err := WaterfallChart(bad); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}
