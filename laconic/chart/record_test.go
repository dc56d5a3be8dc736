package chart

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// sameFloats compares with NaN equal to NaN.
func sameFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && !(math.IsNaN(a[i]) && math.IsNaN(b[i])) {
			return false
		}
	}
	return true
}

func sameSeries(a, b []Series) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name || !sameFloats(a[i].Values, b[i].Values) {
			return false
		}
	}
	return true
}

func workTable(mem memory.Allocator) arrow.RecordBatch {
	return newRecord(mem,
		col{name: "model", values: []string{"mnv2", "mnv2", "incv3", "incv3", "mnv2", "blaze"}},
		col{name: "scheme", values: []string{"A", "We+Ae", "A", "We+Ae", "Ap", "We+Ae"}, dict: true},
		col{name: "speedup", values: []float64{1.5, 40, 2, 55, 3, 61}, null: []bool{false, false, false, false, true, false}},
		col{name: "macs", values: []int64{10, 10, 20, 20, 10, 5}},
		col{name: "bits", values: []int32{16, 16, 16, 16, 8, 8}},
	)
}

func TestGroupedFromRecord(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := workTable(mem)
	defer rec.Release()

	nan := math.NaN()
	tests := []struct {
		name   string
		p      Pivot
		cats   []string
		series []Series
		err    string
	}{
		{
			name: "by model and scheme",
			p:    Pivot{Category: "model", Series: "scheme", Value: "speedup"},
			cats: []string{"mnv2", "incv3", "blaze"},
			series: []Series{
				{"A", []float64{1.5, 2, nan}},
				{"We+Ae", []float64{40, 55, 61}},
				{"Ap", []float64{nan, nan, nan}}, // null value
			},
		},
		{
			name:   "where filter, integer value",
			p:      Pivot{Category: "scheme", Value: "macs", Where: map[string]string{"model": "incv3"}},
			cats:   []string{"A", "We+Ae"},
			series: []Series{{"macs", []float64{20, 20}}},
		},
		{
			name:   "integer category and filter",
			p:      Pivot{Category: "bits", Series: "scheme", Value: "speedup", Where: map[string]string{"bits": "8"}},
			cats:   []string{"8"},
			series: []Series{{"Ap", []float64{nan}}, {"We+Ae", []float64{61}}},
		},
		{name: "missing value column", p: Pivot{Category: "model", Series: "scheme", Value: "cycles"}, err: `no value column "cycles" (columns: model, scheme, speedup, macs, bits)`},
		{name: "missing category column", p: Pivot{Category: "network", Value: "speedup"}, err: `no category column "network"`},
		{name: "missing series column", p: Pivot{Category: "model", Series: "config", Value: "speedup"}, err: `no series column "config"`},
		{name: "missing filter column", p: Pivot{Category: "model", Value: "speedup", Where: map[string]string{"arch": "x"}}, err: `no filter column "arch"`},
		{name: "text value column", p: Pivot{Category: "model", Value: "scheme"}, err: `value column "scheme" has type dictionary`},
		{name: "duplicates", p: Pivot{Category: "model", Value: "speedup"}, err: `rows 0 and 1 both give model = "mnv2", series = "speedup"`},
		{name: "no match", p: Pivot{Category: "model", Value: "speedup", Where: map[string]string{"model": "vgg"}}, err: `no row of the table matches model = "vgg"`},
		{name: "no category named", p: Pivot{Value: "speedup"}, err: "no category column named"},
		{name: "no value named", p: Pivot{Category: "model"}, err: "no value column named"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g, err := tc.p.Grouped(rec)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error = %v, want it to contain %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(g.Categories, tc.cats) {
				t.Errorf("categories = %q, want %q", g.Categories, tc.cats)
			}
			if !sameSeries(g.Series, tc.series) {
				t.Errorf("series = %v, want %v", g.Series, tc.series)
			}
		})
	}
}

func TestPivotNulls(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := newRecord(mem,
		col{name: "c", values: []string{"a", "b"}, null: []bool{false, true}},
		col{name: "s", values: []string{"x", "y"}, null: []bool{true, false}},
		col{name: "v", values: []float32{1, 2}},
		col{name: "x", values: []uint8{1, 2}, null: []bool{false, true}},
	)
	defer rec.Release()
	for _, tc := range []struct {
		p   Pivot
		xy  bool
		err string
	}{
		{p: Pivot{Category: "c", Value: "v"}, err: `category column "c" is null in row 1`},
		{p: Pivot{Category: "c", Series: "s", Value: "v"}, err: `series column "s" is null in row 0`},
		{p: Pivot{Category: "x", Value: "v"}, xy: true, err: `x column "x" is null in row 1`},
		{p: Pivot{Category: "c", Value: "v"}, xy: true, err: `x column "c" has type utf8`},
	} {
		var err error
		if tc.xy {
			_, err = tc.p.XY(rec)
		} else {
			_, err = tc.p.Grouped(rec)
		}
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%+v: error = %v, want it to contain %q", tc.p, err, tc.err)
		}
	}
	if _, err := (Pivot{Category: "c", Value: "v"}).Grouped(nil); err == nil {
		t.Error("nil record: no error")
	}
}

func TestXYFromRecord(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := newRecord(mem,
		col{name: "model", values: []string{"a", "a", "b", "a", "b"}},
		col{name: "wires", values: []int64{16, 32, 16, 64, 32}},
		col{name: "speedup", values: []float64{1, 2, 3, 4, 5}, null: []bool{false, false, false, false, true}},
	)
	defer rec.Release()
	xy, err := XYFromRecord(rec, "wires", "speedup", "model")
	if err != nil {
		t.Fatal(err)
	}
	want := []XYSeries{
		{Name: "a", X: []float64{16, 32, 64}, Y: []float64{1, 2, 4}},
		{Name: "b", X: []float64{16, 32}, Y: []float64{3, math.NaN()}},
	}
	if len(xy.Series) != len(want) {
		t.Fatalf("series = %+v, want %+v", xy.Series, want)
	}
	for i := range want {
		g := xy.Series[i]
		if g.Name != want[i].Name || !sameFloats(g.X, want[i].X) || !sameFloats(g.Y, want[i].Y) {
			t.Errorf("series %d = %+v, want %+v", i, g, want[i])
		}
	}
	if xy.XLabel != "wires" || xy.YLabel != "speedup" {
		t.Errorf("labels %q, %q", xy.XLabel, xy.YLabel)
	}
	if _, err := Lines(xy); err != nil {
		t.Errorf("Lines: %v", err)
	}
}

func TestPanelsFromRecord(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := newRecord(mem,
		col{name: "model", values: []string{"a", "a", "b", "b"}},
		col{name: "config", values: []string{"128", "1K", "128", "1K"}},
		col{name: "speedup", values: []float64{2, 15, 3, 16}},
		col{name: "energy_efficiency", values: []float64{2.1, 1.9, 2.2, 2}},
	)
	defer rec.Release()
	p, err := PanelsFromRecord(rec, "model", "config", "speedup", "energy_efficiency")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p.Categories, []string{"a", "b"}) || len(p.Panels) != 2 {
		t.Fatalf("panels = %+v", p)
	}
	if p.Panels[1].YLabel != "energy_efficiency" || !sameSeries(p.Panels[1].Series, []Series{{"128", []float64{2.1, 2.2}}, {"1K", []float64{1.9, 2}}}) {
		t.Errorf("panel 1 = %+v", p.Panels[1])
	}
	if _, err := PanelsFromRecord(rec, "model", "config"); err == nil {
		t.Error("no value columns: no error")
	}
	if _, err := PanelsFromRecord(rec, "model", "config", "speedup", "energy_pj"); err == nil || !strings.Contains(err.Error(), `"energy_pj"`) {
		t.Errorf("missing column: error = %v", err)
	}
}

func TestHistogramFromRecord(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := newRecord(mem,
		col{name: "encoding", values: []string{"binary", "binary", "csd", "binary"}},
		col{name: "terms", values: []int32{0, 2, 1, 3}},
		col{name: "count", values: []int64{5, 7, 9, 1}},
	)
	defer rec.Release()
	h, err := HistogramFromRecord(rec, "terms", "count", "encoding")
	if err != nil {
		t.Fatal(err)
	}
	want := []Series{{"binary", []float64{5, 0, 7, 1}}, {"csd", []float64{0, 9}}}
	if !sameSeries(h.Series, want) {
		t.Errorf("series = %v, want %v", h.Series, want)
	}
	bad := newRecord(mem,
		col{name: "terms", values: []float64{0.5}},
		col{name: "count", values: []int64{1}},
	)
	defer bad.Release()
	if _, err := HistogramFromRecord(bad, "terms", "count", ""); err == nil || !strings.Contains(err.Error(), "term count 0.5") {
		t.Errorf("fractional term count: error = %v", err)
	}
}

// referencePivot is the obvious quadratic pivot: categories and series in
// order of first appearance, each cell found by scanning all rows.
func referencePivot(cats, sers []string, vals []float64) ([]string, []Series, error) {
	var catOrder, serOrder []string
	has := func(list []string, s string) bool {
		for _, x := range list {
			if x == s {
				return true
			}
		}
		return false
	}
	for i := range cats {
		if !has(catOrder, cats[i]) {
			catOrder = append(catOrder, cats[i])
		}
		if !has(serOrder, sers[i]) {
			serOrder = append(serOrder, sers[i])
		}
	}
	var out []Series
	for _, s := range serOrder {
		row := Series{Name: s}
		for _, c := range catOrder {
			v, found := math.NaN(), 0
			for i := range cats {
				if cats[i] == c && sers[i] == s {
					v = vals[i]
					found++
				}
			}
			if found > 1 {
				return nil, nil, fmt.Errorf("duplicate %s/%s", c, s)
			}
			row.Values = append(row.Values, v)
		}
		out = append(out, row)
	}
	return catOrder, out, nil
}

func TestPivotMatchesReference(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rng := rand.New(rand.NewPCG(7, 11))
	for trial := 0; trial < 200; trial++ {
		nc, ns := 1+rng.IntN(8), 1+rng.IntN(5)
		n := 1 + rng.IntN(nc*ns)
		var cats, sers []string
		var vals []float64
		for i := 0; i < n; i++ {
			cats = append(cats, fmt.Sprintf("c%d", rng.IntN(nc)))
			sers = append(sers, fmt.Sprintf("s%d", rng.IntN(ns)))
			vals = append(vals, rng.NormFloat64())
		}
		rec := newRecord(mem, col{name: "c", values: cats}, col{name: "s", values: sers, dict: trial%2 == 0}, col{name: "v", values: vals})
		g, err := GroupedFromRecord(rec, "c", "s", "v")
		rec.Release()
		wc, ws, werr := referencePivot(cats, sers, vals)
		if (err != nil) != (werr != nil) {
			t.Fatalf("trial %d: error %v, reference error %v", trial, err, werr)
		}
		if err != nil {
			continue
		}
		if !reflect.DeepEqual(g.Categories, wc) || !sameSeries(g.Series, ws) {
			t.Fatalf("trial %d: got %v %v, reference %v %v", trial, g.Categories, g.Series, wc, ws)
		}
	}
}

func TestTextColumns(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := newRecord(mem,
		col{name: "f", values: []float64{0.1, 1e21}},
		col{name: "b", values: []bool{true, false}},
		col{name: "i", values: []int64{math.MaxInt64, -3}},
		col{name: "v", values: []float64{1, 2}},
	)
	defer rec.Release()
	for _, tc := range []struct {
		col  string
		want []string
	}{
		{"f", []string{"0.1", "1e+21"}},
		{"b", []string{"true", "false"}},
		{"i", []string{"9223372036854775807", "-3"}},
	} {
		g, err := GroupedFromRecord(rec, tc.col, "", "v")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(g.Categories, tc.want) {
			t.Errorf("column %s: categories %q, want %q", tc.col, g.Categories, tc.want)
		}
	}
}

func TestPivotHistogramSumsRows(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := newRecord(mem,
		col{name: "layer", values: []string{"c1", "c1", "c2", "c2", "c1"}},
		col{name: "tensor", values: []string{"activation", "activation", "activation", "activation", "weight"}},
		col{name: "terms", values: []int64{0, 1, 0, 1, 1}},
		col{name: "count", values: []int64{5, 2, 7, 1, 4}, null: []bool{false, false, false, true, false}},
	)
	defer rec.Release()
	h, err := Pivot{Category: "terms", Value: "count", Series: "tensor", Where: map[string]string{"tensor": "activation"}}.Histogram(rec)
	if err != nil {
		t.Fatal(err)
	}
	if want := []Series{{"activation", []float64{12, 2}}}; !sameSeries(h.Series, want) {
		t.Errorf("series = %v, want %v", h.Series, want)
	}
}

func TestColumnsFromRecord(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := newRecord(mem,
		col{name: "layer", values: []string{"c1", "c2"}},
		col{name: "act_zero_fraction", values: []float64{0.5, 0.25}},
		col{name: "wgt_zero_fraction", values: []float32{0.125, 0}},
	)
	defer rec.Release()
	g, err := ColumnsFromRecord(rec, "layer", "act_zero_fraction", "wgt_zero_fraction")
	if err != nil {
		t.Fatal(err)
	}
	want := []Series{{"act_zero_fraction", []float64{0.5, 0.25}}, {"wgt_zero_fraction", []float64{0.125, 0}}}
	if !reflect.DeepEqual(g.Categories, []string{"c1", "c2"}) || !sameSeries(g.Series, want) {
		t.Errorf("grouped = %v %v", g.Categories, g.Series)
	}
	if _, err := ColumnsFromRecord(rec, "layer"); err == nil {
		t.Error("no columns: no error")
	}
	if _, err := ColumnsFromRecord(rec, "layer", "act_zero_fraction", "act_terms"); err == nil || !strings.Contains(err.Error(), `"act_terms"`) {
		t.Errorf("missing column: error = %v", err)
	}
}
