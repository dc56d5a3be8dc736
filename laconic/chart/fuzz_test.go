package chart

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// FuzzBars feeds arbitrary labels and values to the builders: they either
// return an error or a chart whose option is valid JSON that cannot end the
// script element it is embedded in.
func FuzzBars(f *testing.F) {
	f.Add("Potential speedup", "mobilenet_v2", "We+Ae", 40.0, 1.5, true, false)
	f.Add("</script>", "<!--", "a\"b\\c", 0.0, -1.0, false, true)
	f.Add("", "", "", math.NaN(), math.Inf(1), true, true)
	f.Add("ü\u2028x", "\x00", "&amp;", 1e308, 5e-324, false, false)
	f.Fuzz(func(t *testing.T, title, cat, ser string, v1, v2 float64, logY, stacked bool) {
		g := Grouped{Title: title, LogY: logY, Stacked: stacked,
			Categories: []string{cat, cat + "2"},
			Series:     []Series{{ser, []float64{v1, v2}}, {ser + "b", []float64{v2, v1}}}}
		check := func(c *Chart, err error) {
			if err != nil {
				return
			}
			opt, err := c.Option()
			if err != nil {
				t.Fatalf("%v", err)
			}
			var m map[string]any
			if err := json.Unmarshal([]byte(opt), &m); err != nil {
				t.Fatalf("option is not JSON: %v", err)
			}
			low := strings.ToLower(opt)
			if strings.Contains(low, "</script") || strings.Contains(low, "<!--") {
				t.Fatalf("option can end a script element: %s", opt)
			}
			if _, err := NotebookHTML(c, "x1", false); err != nil {
				t.Fatal(err)
			}
		}
		check(Bars(g))
		check(LayerBreakdown(Layers{Title: title, Layers: g.Categories, Bars: g.Series[:1], Lines: g.Series[1:], LogLine: logY}))
		check(PanelBars(Panels{Title: title, Categories: g.Categories, Panels: []Panel{{YLabel: ser, LogY: logY, Series: g.Series}}}))
		check(Lines(XY{Title: title, LogX: logY, Series: []XYSeries{{ser, []float64{v1, v2}, []float64{v2, v1}}}}))
		check(TermHistogram(Histogram{Title: title, Percent: stacked, Series: []Series{{ser, []float64{v1, v2}}}}))
	})
}

// FuzzPivot pivots tables made from arbitrary bytes: two text columns and a
// value column, with nulls. It must never panic, and a successful pivot
// must account for every row exactly once.
func FuzzPivot(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
	f.Add([]byte("mobilenet inception blazeface We+Ae A Ap"))
	f.Add([]byte{255, 255, 255, 255, 0, 0, 0, 0, 255, 0, 255, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		n := len(data) / 4
		if n == 0 || n > 256 {
			return
		}
		cats := make([]string, n)
		sers := make([]string, n)
		vals := make([]float64, n)
		null := make([]bool, n)
		for i := 0; i < n; i++ {
			b := data[4*i : 4*i+4]
			cats[i] = string(rune('a' + b[0]%5))
			sers[i] = string(rune('p' + b[1]%3))
			vals[i] = float64(int16(binary.LittleEndian.Uint16(b[2:])))
			null[i] = b[0]&0x80 != 0
		}
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		defer mem.AssertSize(t, 0)
		rec := newRecord(mem, col{name: "c", values: cats}, col{name: "s", values: sers, dict: true}, col{name: "v", values: vals, null: null})
		defer rec.Release()
		g, err := GroupedFromRecord(rec, "c", "s", "v")
		if err != nil {
			if !strings.Contains(err.Error(), "one value per pair") {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		cells := 0
		for _, s := range g.Series {
			if len(s.Values) != len(g.Categories) {
				t.Fatalf("series %q has %d values for %d categories", s.Name, len(s.Values), len(g.Categories))
			}
			for _, v := range s.Values {
				if !math.IsNaN(v) {
					cells++
				}
			}
		}
		nonNull := 0
		for _, b := range null {
			if !b {
				nonNull++
			}
		}
		if cells != nonNull {
			t.Fatalf("%d values drawn for %d non-null rows", cells, nonNull)
		}
	})
}
