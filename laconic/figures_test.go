package laconic

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/laconiclab/toolkit/laconic/arch"
	"github.com/laconiclab/toolkit/laconic/chart"
	"github.com/laconiclab/toolkit/laconic/table"
	"github.com/laconiclab/toolkit/laconic/terms"
	"github.com/laconiclab/toolkit/laconic/work"
)

// tinyPair returns two small networks of different weights and names.
func tinyPair() []*Model {
	a, b := tinyModel(1), tinyModel(2)
	b.Info.Name, b.Graph.Name = "tiny2", "tiny2"
	return []*Model{a, b}
}

// tinyReproducer runs the table steps of Reproduce on two tiny networks
// (no figure, no file outside a temporary directory) and returns it; the
// caller releases it.
func tinyReproducer(t testing.TB, mem memory.Allocator) *reproducer {
	t.Helper()
	dir := t.TempDir()
	opts := DefaultReproduceOptions().withDefaults()
	opts.Allocator = mem
	opts.ResultsDir, opts.PlotsDir = filepath.Join(dir, "results"), filepath.Join(dir, "plots")
	opts.SweepWires = []int{64, 256, 1024}
	opts.Workers = 2
	r := &reproducer{opts: opts, tables: map[string]*resultTable{}}
	r.models = tinyPair()
	for _, m := range r.models {
		r.report.Models = append(r.report.Models, m.Info.Name)
	}
	r.images = writeImages(t, dir, 2)
	ctx := context.Background()
	for _, s := range r.steps() {
		switch s.name {
		case "check", "models", "figures", "readme":
			continue
		}
		if err := s.run(ctx); err != nil {
			r.release()
			t.Fatalf("%s: %v", s.name, err)
		}
	}
	return r
}

// optionSeries returns the series of a chart's echarts option: name and
// values (NaN for gaps; y for [x, y] points), in order.
type optSeries struct {
	Name   string
	Values []float64
	X      []float64
}

func optionOf(t *testing.T, c *chart.Chart) (series []optSeries, categories []string) {
	t.Helper()
	o, err := c.Option()
	if err != nil {
		t.Fatal(err)
	}
	var opt struct {
		Series []struct {
			Name string `json:"name"`
			Data []struct {
				Value json.RawMessage `json:"value"`
			} `json:"data"`
		} `json:"series"`
		XAxis []struct {
			Data []string `json:"data"`
		} `json:"xAxis"`
	}
	if err := json.Unmarshal([]byte(o), &opt); err != nil {
		t.Fatal(err)
	}
	for _, s := range opt.Series {
		cur := optSeries{Name: s.Name}
		for _, d := range s.Data {
			var v float64
			var xy []float64
			switch {
			case json.Unmarshal(d.Value, &v) == nil:
				cur.Values = append(cur.Values, v)
			case json.Unmarshal(d.Value, &xy) == nil && len(xy) == 2:
				cur.X = append(cur.X, xy[0])
				cur.Values = append(cur.Values, xy[1])
			default:
				cur.Values = append(cur.Values, math.NaN())
			}
		}
		series = append(series, cur)
	}
	if len(opt.XAxis) > 0 {
		categories = opt.XAxis[len(opt.XAxis)-1].Data
	}
	return series, categories
}

func near(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b))
}

// reference computes what the tables should hold for each tiny network
// directly from the layer results (the slow, obviously correct path).
type reference struct {
	totals16 map[string]map[string]float64 // model -> scheme -> speedup
	layers16 map[string][]work.LayerResult
	results8 map[string][]work.LayerResult
	sim      map[string][]arch.Row // model -> per-layer rows
	simTot   map[string][]arch.Row // model -> totals
}

func computeReference(t *testing.T, r *reproducer) reference {
	t.Helper()
	ref := reference{totals16: map[string]map[string]float64{}, layers16: map[string][]work.LayerResult{},
		results8: map[string][]work.LayerResult{}, sim: map[string][]arch.Row{}, simTot: map[string][]arch.Row{}}
	ctx := context.Background()
	cfgs, err := ResolveArchs(r.opts.Presets)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range r.models {
		res, err := Potentials(ctx, m, r.images, DefaultPotentialOptions())
		if err != nil {
			t.Fatal(err)
		}
		ref.layers16[m.Info.Name] = res.Results
		ref.totals16[m.Info.Name] = map[string]float64{}
		for _, tr := range work.TotalRows(work.Rows(work.Meta{Model: m.Info.Name}, res.Results)) {
			ref.totals16[m.Info.Name][tr.Scheme] = tr.Speedup
		}
		res.Release()
		o := DefaultPotentialOptions()
		o.Quant, o.Work.Bits = QuantAffine8, 8
		res8, err := Potentials(ctx, m, r.images, o)
		if err != nil {
			t.Fatal(err)
		}
		ref.results8[m.Info.Name] = res8.Results
		res8.Release()
		sim, err := SimulateWith(ctx, m, r.images, cfgs, SimulateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		ref.sim[m.Info.Name], ref.simTot[m.Info.Name] = sim.Rows, sim.Totals
		sim.Release()
	}
	return ref
}

func TestFiguresMatchReference(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	r := tinyReproducer(t, mem)
	defer r.release()
	ref := computeReference(t, r)
	models := []string{"tiny", "tiny2"}

	t.Run("PotentialFigure", func(t *testing.T) {
		c, err := PotentialFigure(r.rec("potential-totals-16b"))
		if err != nil {
			t.Fatal(err)
		}
		series, cats := optionOf(t, c)
		if strings.Join(cats, ",") != "tiny,tiny2" {
			t.Fatalf("categories %q", cats)
		}
		if len(series) != work.NumSchemes-1 {
			t.Fatalf("%d series, want every scheme but Base", len(series))
		}
		for _, s := range series {
			if s.Name == "Base" {
				t.Fatal("Base drawn")
			}
			for i, m := range models {
				want := ref.totals16[m][s.Name]
				if math.IsInf(want, 0) {
					want = math.NaN()
				}
				if !near(s.Values[i], want) {
					t.Errorf("%s %s: %v, want %v", m, s.Name, s.Values[i], want)
				}
			}
		}
		if !strings.Contains(c.Title(), "16-bit fixed16-profiled") {
			t.Errorf("title %q", c.Title())
		}
		c, err = PotentialFigure(r.rec("potential-totals-16b"), "We+Ae", "Ae")
		if err != nil {
			t.Fatal(err)
		}
		if s, _ := optionOf(t, c); len(s) != 2 || s[0].Name != "We+Ae" || s[1].Name != "Ae" {
			t.Errorf("selected schemes: %+v", s)
		}
	})

	t.Run("LaconicPotentialFigure", func(t *testing.T) {
		c, err := LaconicPotentialFigure(r.rec("potential-totals-16b"), r.rec("potential-totals-8b"), r.rec("potential-totals-dnnsim"))
		if err != nil {
			t.Fatal(err)
		}
		series, _ := optionOf(t, c)
		if len(series) != 3 || !strings.Contains(series[2].Name, "dnnsim") || !strings.Contains(series[1].Name, "8-bit affine8") {
			t.Fatalf("series %+v", series)
		}
		for i, m := range models {
			if !near(series[0].Values[i], ref.totals16[m]["We+Ae"]) {
				t.Errorf("%s: %v, want %v", m, series[0].Values[i], ref.totals16[m]["We+Ae"])
			}
			if series[2].Values[i] > 256 {
				t.Errorf("%s: DNNsim-convention potential %v exceeds 256x", m, series[2].Values[i])
			}
		}
	})

	t.Run("SimulationFigure", func(t *testing.T) {
		c, err := SimulationFigure(r.rec("simulate-totals"), arch.PresetBase2K)
		if err != nil {
			t.Fatal(err)
		}
		series, _ := optionOf(t, c)
		// Two panels of the presets but BASE-2K.
		if len(series) != 2*(len(r.opts.Presets)-1) {
			t.Fatalf("%d series", len(series))
		}
		half := len(series) / 2
		for k, s := range series {
			for i, m := range models {
				var want float64
				for _, row := range ref.simTot[m] {
					if row.Config == s.Name {
						want = row.Speedup
						if k >= half {
							want = row.EnergyEfficiency
						}
					}
				}
				if !near(s.Values[i], want) {
					t.Errorf("panel %d %s %s: %v, want %v", k/half, m, s.Name, s.Values[i], want)
				}
			}
		}
		if _, err := SimulationFigure(r.rec("simulate-totals"), "NOPE"); err == nil || !strings.Contains(err.Error(), "BASE-2K") {
			t.Errorf("unknown baseline: %v", err)
		}
	})

	t.Run("EnergyBreakdownFigure", func(t *testing.T) {
		c, err := EnergyBreakdownFigure(r.rec("simulate-totals"), "tiny2")
		if err != nil {
			t.Fatal(err)
		}
		series, cats := optionOf(t, c)
		if len(series) != 3 || len(cats) != len(r.opts.Presets) {
			t.Fatalf("%d series, categories %q", len(series), cats)
		}
		for i, cfg := range cats {
			sum := 0.0
			for _, s := range series {
				sum += s.Values[i]
			}
			for _, row := range ref.simTot["tiny2"] {
				if row.Config == cfg && !near(sum, 1/row.EnergyEfficiency) {
					t.Errorf("%s: components add up to %v, want 1/efficiency %v", cfg, sum, 1/row.EnergyEfficiency)
				}
			}
		}
	})

	t.Run("LayerFigure", func(t *testing.T) {
		c, err := LayerFigure(r.rec("potentials-16b"), r.rec("simulate"), "tiny")
		if err != nil {
			t.Fatal(err)
		}
		series, cats := optionOf(t, c)
		results := ref.layers16["tiny"]
		if len(cats) != len(results) {
			t.Fatalf("layers %q", cats)
		}
		// Bars, then one line per Laconic preset.
		if len(series) != 1+4 {
			t.Fatalf("%d series", len(series))
		}
		for i, lr := range results {
			if cats[i] != lr.Name {
				t.Errorf("layer %d named %q, want %q", i, cats[i], lr.Name)
			}
			if !near(series[0].Values[i], lr.Speedup(work.WeAe)) {
				t.Errorf("%s: bar %v, want %v", lr.Name, series[0].Values[i], lr.Speedup(work.WeAe))
			}
			for _, s := range series[1:] {
				for _, row := range ref.sim["tiny"] {
					if row.Config == s.Name && row.Layer == lr.Name && !near(s.Values[i], row.Speedup) {
						t.Errorf("%s on %s: %v, want %v", lr.Name, s.Name, s.Values[i], row.Speedup)
					}
				}
			}
		}
		c, err = LayerFigure(r.rec("potentials-16b"), nil, "tiny2")
		if err != nil {
			t.Fatal(err)
		}
		if s, _ := optionOf(t, c); len(s) != 1 {
			t.Errorf("bars only: %d series", len(s))
		}
		if _, err := LayerFigure(r.rec("potentials-16b"), r.rec("simulate"), "tiny", "STR-9"); err == nil || !strings.Contains(err.Error(), "STR-9") {
			t.Errorf("unknown config: %v", err)
		}
	})

	t.Run("WireSweepFigure", func(t *testing.T) {
		c, err := WireSweepFigure(r.rec("sweep-wires"), "speedup")
		if err != nil {
			t.Fatal(err)
		}
		series, _ := optionOf(t, c)
		if len(series) != 2 {
			t.Fatalf("%d lines", len(series))
		}
		for _, s := range series {
			if len(s.X) != 3 || s.X[0] != 64 || s.X[2] != 1024 {
				t.Errorf("%s: x %v", s.Name, s.X)
			}
		}
		// More wires never slow Laconic down on these networks.
		for _, s := range series {
			if s.Values[0] > s.Values[2] {
				t.Errorf("%s: %v", s.Name, s.Values)
			}
		}
	})

	t.Run("SyncModesFigure", func(t *testing.T) {
		c, err := SyncModesFigure(r.rec("sync-modes"))
		if err != nil {
			t.Fatal(err)
		}
		series, _ := optionOf(t, c)
		want := []string{"tile", "column q=1", "column q=4", "lpe q=1", "lpe q=4", "ideal"}
		if len(series) != len(want) {
			t.Fatalf("%d series", len(series))
		}
		for k, s := range series {
			if s.Name != want[k] {
				t.Errorf("series %d %q, want %q", k, s.Name, want[k])
			}
			// Finer synchronisation is never slower than lock-step; ideal is the bound.
			for i := range s.Values {
				if s.Values[i] < series[0].Values[i]*(1-1e-12) || s.Values[i] > series[len(series)-1].Values[i]*(1+1e-12) {
					t.Errorf("%s: %v outside [tile, ideal]", s.Name, s.Values[i])
				}
			}
		}
		if !strings.Contains(c.Title(), "LAC-1K") {
			t.Errorf("title %q", c.Title())
		}
	})

	t.Run("TermHistogramFigure", func(t *testing.T) {
		for _, model := range []string{"tiny", ""} {
			c, err := TermHistogramFigure(r.rec("term-histograms-16b"), model, terms.CSD)
			if err != nil {
				t.Fatal(err)
			}
			series, _ := optionOf(t, c)
			if model == "" && len(series) != 4 || model != "" && len(series) != 2 {
				t.Fatalf("%q: %d series", model, len(series))
			}
			// Reference: the csd histogram of tiny's activations, in percent.
			var hist []float64
			total := 0.0
			ci := csdIndex(t)
			for _, lr := range ref.layers16["tiny"] {
				for k, n := range lr.Act.Hist[ci] {
					for len(hist) <= k {
						hist = append(hist, 0)
					}
					hist[k] += float64(n)
					total += float64(n)
				}
			}
			for k := range hist {
				if k < len(series[0].Values) && !near(series[0].Values[k], 100*hist[k]/total) {
					t.Errorf("%q: bin %d %v, want %v", model, k, series[0].Values[k], 100*hist[k]/total)
				}
			}
		}
	})

	t.Run("MeanTermsFigure", func(t *testing.T) {
		c, err := MeanTermsFigure(r.rec("characterization"), "affine8")
		if err != nil {
			t.Fatal(err)
		}
		series, _ := optionOf(t, c)
		if len(series) != 2*len(terms.Encodings()) {
			t.Fatalf("%d series", len(series))
		}
		for k, s := range series {
			for i, m := range models {
				var sum, n float64
				for _, lr := range ref.results8[m] {
					st := lr.Act
					if k >= len(series)/2 {
						st = lr.Wgt
					}
					sum += float64(st.Terms[k%work.NumEncodings])
					n += float64(st.Values)
				}
				if !near(s.Values[i], sum/n) {
					t.Errorf("%s %s (%d): %v, want %v", m, s.Name, k, s.Values[i], sum/n)
				}
			}
		}
		if _, err := MeanTermsFigure(r.rec("characterization"), ""); err == nil || !strings.Contains(err.Error(), "mixes quant") {
			t.Errorf("three quantizations: %v", err)
		}
		if _, err := MeanTermsFigure(r.rec("characterization"), "fixed8"); err == nil {
			t.Error("unknown quantization accepted")
		}
	})

	t.Run("SparsityFigure", func(t *testing.T) {
		c, err := SparsityFigure(r.rec("characterization"), "fixed16-profiled")
		if err != nil {
			t.Fatal(err)
		}
		series, _ := optionOf(t, c)
		if len(series) != 4 {
			t.Fatalf("%d series", len(series))
		}
		for i, m := range models {
			var zeros, n float64
			for _, lr := range ref.layers16[m] {
				zeros += float64(lr.Act.Zeros)
				n += float64(lr.Act.Values)
			}
			if !near(series[0].Values[i], zeros/n) {
				t.Errorf("%s: activation zero fraction %v, want %v", m, series[0].Values[i], zeros/n)
			}
		}
	})

	t.Run("TermValuesFigure", func(t *testing.T) {
		for _, f := range []terms.Format{{Bits: 16, Signed: true}, {Bits: 8}} {
			c, err := TermValuesFigure(r.rec("term-values"), f.Bits, f.Signed)
			if err != nil {
				t.Fatal(err)
			}
			series, _ := optionOf(t, c)
			if len(series) != len(terms.Encodings()) {
				t.Fatalf("%d series", len(series))
			}
			for k, e := range terms.Encodings() {
				counts := make([]float64, terms.MaxTerms+2)
				n := 0.0
				for v := int64(f.Min()); v <= int64(f.Max()); v++ {
					c, err := terms.Count(e, int32(v), f)
					if err != nil {
						t.Fatal(err)
					}
					counts[c]++
					n++
				}
				for b, got := range series[k].Values {
					if !near(got, 100*counts[b]/n) {
						t.Errorf("%s %s: %d terms: %v%%, want %v%%", f, e, b, got, 100*counts[b]/n)
					}
				}
			}
		}
		if _, err := TermValuesFigure(r.rec("term-values"), 12, true); err == nil {
			t.Error("12-bit format accepted")
		}
	})

	t.Run("Headlines", func(t *testing.T) {
		hs, err := Headlines(r.rec("potential-totals-16b"), r.rec("potential-totals-8b"), r.rec("potential-totals-dnnsim"), r.rec("simulate-totals"))
		if err != nil {
			t.Fatal(err)
		}
		if len(hs) != 2 {
			t.Fatalf("%d headlines", len(hs))
		}
		for i, m := range models {
			h := hs[i]
			if h.Model != m || !near(h.Potential16, ref.totals16[m]["We+Ae"]) || h.Baseline != "BASE-2K" {
				t.Errorf("%+v", h)
			}
			for _, row := range ref.simTot[m] {
				switch row.Config {
				case "LAC-128":
					if !near(h.Lac128Speedup, row.Speedup) || !near(h.Lac128EnergyEfficiency, row.EnergyEfficiency) {
						t.Errorf("%s LAC-128: %+v, want %v %v", m, h, row.Speedup, row.EnergyEfficiency)
					}
				case "LAC-1K":
					if !near(h.Lac1KSpeedup, row.Speedup) || !near(h.Lac1KEnergyEfficiency, row.EnergyEfficiency) {
						t.Errorf("%s LAC-1K: %+v, want %v %v", m, h, row.Speedup, row.EnergyEfficiency)
					}
				}
			}
		}
		hs, err = Headlines(nil, nil, nil, r.rec("simulate-totals"))
		if err != nil || len(hs) != 2 || !math.IsNaN(hs[0].Potential16) {
			t.Errorf("without potentials: %+v, %v", hs, err)
		}
	})
}

func csdIndex(t *testing.T) int {
	for i, e := range terms.Encodings() {
		if e == terms.CSD {
			return i
		}
	}
	t.Fatal("no csd encoding")
	return 0
}

// dropColumn returns rec without the named column.
func dropColumn(t *testing.T, rec arrow.RecordBatch, name string) arrow.RecordBatch {
	t.Helper()
	var fields []arrow.Field
	var cols []arrow.Array
	for i, f := range rec.Schema().Fields() {
		if f.Name != name {
			fields = append(fields, f)
			cols = append(cols, rec.Column(i))
		}
	}
	if len(fields) == len(rec.Schema().Fields()) {
		t.Fatalf("no column %q to drop", name)
	}
	md := rec.Schema().Metadata()
	return array.NewRecordBatch(arrow.NewSchema(fields, &md), cols, rec.NumRows())
}

func TestFigureErrors(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	r := tinyReproducer(t, mem)
	defer r.release()
	cases := []struct {
		table, column string
		draw          func(arrow.RecordBatch) (*chart.Chart, error)
	}{
		{"potential-totals-16b", "scheme", func(x arrow.RecordBatch) (*chart.Chart, error) { return PotentialFigure(x) }},
		{"potential-totals-16b", "speedup", func(x arrow.RecordBatch) (*chart.Chart, error) { return PotentialFigure(x) }},
		{"potential-totals-8b", "model", func(x arrow.RecordBatch) (*chart.Chart, error) { return LaconicPotentialFigure(x) }},
		{"simulate-totals", "energy_efficiency", func(x arrow.RecordBatch) (*chart.Chart, error) { return SimulationFigure(x, "BASE-2K") }},
		{"simulate-totals", "baseline", func(x arrow.RecordBatch) (*chart.Chart, error) { return SimulationFigure(x, "") }},
		{"simulate-totals", "dram_energy_pj", func(x arrow.RecordBatch) (*chart.Chart, error) { return EnergyBreakdownFigure(x, "tiny") }},
		{"potentials-16b", "layer", func(x arrow.RecordBatch) (*chart.Chart, error) { return LayerFigure(x, nil, "tiny") }},
		{"simulate", "arch", func(x arrow.RecordBatch) (*chart.Chart, error) {
			return LayerFigure(r.rec("potentials-16b"), x, "tiny")
		}},
		{"sweep-wires", "weight_wires", func(x arrow.RecordBatch) (*chart.Chart, error) { return WireSweepFigure(x, "speedup") }},
		{"sync-modes", "config", func(x arrow.RecordBatch) (*chart.Chart, error) { return SyncModesFigure(x) }},
		{"term-histograms-16b", "count", func(x arrow.RecordBatch) (*chart.Chart, error) { return TermHistogramFigure(x, "", terms.CSD) }},
		{"term-histograms-8b", "tensor", func(x arrow.RecordBatch) (*chart.Chart, error) { return TermHistogramFigure(x, "tiny", terms.CSD) }},
		{"characterization", "wgt_terms_booth4", func(x arrow.RecordBatch) (*chart.Chart, error) { return MeanTermsFigure(x, "affine8") }},
		{"characterization", "act_values", func(x arrow.RecordBatch) (*chart.Chart, error) { return SparsityFigure(x, "affine8") }},
		{"term-values", "signed", func(x arrow.RecordBatch) (*chart.Chart, error) { return TermValuesFigure(x, 8, false) }},
		{"potential-totals-dnnsim", "speedup", func(x arrow.RecordBatch) (*chart.Chart, error) {
			_, err := Headlines(nil, nil, x, nil)
			return nil, err
		}},
	}
	for _, c := range cases {
		t.Run(c.table+"-"+c.column, func(t *testing.T) {
			full := r.rec(c.table)
			if _, err := c.draw(full); err != nil {
				t.Fatalf("full table: %v", err)
			}
			cut := dropColumn(t, full, c.column)
			defer cut.Release()
			_, err := c.draw(cut)
			if err == nil || !strings.Contains(err.Error(), `"`+c.column+`"`) {
				t.Fatalf("without %q: %v", c.column, err)
			}
		})
	}

	// Tables that mix what one figure shows are refused with a hint.
	relabelled := table.WithMetadata(r.rec("potential-totals-8b"), r.rec("potential-totals-16b").Schema().Metadata())
	defer relabelled.Release()
	mixed, err := table.Concat(mem, r.rec("potential-totals-16b"), relabelled)
	if err != nil {
		t.Fatal(err)
	}
	defer mixed.Release()
	if _, err := PotentialFigure(mixed); err == nil || !strings.Contains(err.Error(), "mixes") {
		t.Errorf("mixed conventions: %v", err)
	}
	if _, err := PotentialFigure(r.rec("potentials-16b")); err == nil || !strings.Contains(err.Error(), "two rows") {
		t.Errorf("per-layer table: %v", err)
	}
	if _, err := PotentialFigure(r.rec("potential-totals-16b"), "Laconic"); err == nil || !strings.Contains(err.Error(), `"Laconic"`) {
		t.Errorf("unknown scheme: %v", err)
	}
	if _, err := SimulationFigure(r.rec("simulate"), "BASE-2K"); err == nil || !strings.Contains(err.Error(), "totals") {
		t.Errorf("per-layer simulation table: %v", err)
	}
	if _, err := LayerFigure(r.rec("potentials-16b"), nil, "resnet"); err == nil || !strings.Contains(err.Error(), "tiny2") {
		t.Errorf("unknown model: %v", err)
	}
	if _, err := WireSweepFigure(r.rec("sync-modes"), "speedup"); err == nil || !strings.Contains(err.Error(), "weight wires") {
		t.Errorf("several configurations per wire count: %v", err)
	}
	if _, err := TermHistogramFigure(r.rec("term-histograms-16b"), "tiny", "nibble"); err == nil || !strings.Contains(err.Error(), "nibble") {
		t.Errorf("unknown encoding: %v", err)
	}
	if _, err := PotentialFigure(nil); err == nil {
		t.Error("nil table accepted")
	}
	if _, err := LaconicPotentialFigure(); err == nil {
		t.Error("no table accepted")
	}
}

func TestShortLayerNames(t *testing.T) {
	cases := []struct{ in, want []string }{
		{[]string{"a/b/conv1/BiasAdd", "a/b/conv2/BiasAdd"}, []string{"conv1/BiasAdd", "conv2/BiasAdd"}},
		{[]string{"a/x", "a/y", "b/z"}, []string{"a/x", "a/y", "b/z"}},
		{[]string{"conv1", "conv2"}, []string{"conv1", "conv2"}},
		{[]string{"a/b", "a/b/c"}, []string{"b", "b/c"}},
		{[]string{"only/one"}, []string{"only/one"}},
	}
	for _, c := range cases {
		if got := shortLayerNames(c.in); strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%q: %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCommonWordPrefix(t *testing.T) {
	cases := []struct {
		in   []string
		want string
	}{
		{[]string{"LAC-1K tile", "LAC-1K column q=1", "LAC-1K ideal"}, "LAC-1K "},
		{[]string{"LAC-128", "LAC-1K"}, ""},
		{[]string{"LAC-1K", "LAC-1K tile"}, ""},
		{[]string{"a b c", "a b d"}, "a b "},
		{[]string{"x"}, ""},
	}
	for _, c := range cases {
		if got := commonWordPrefix(c.in); got != c.want {
			t.Errorf("%q: %q, want %q", c.in, got, c.want)
		}
	}
}

// FuzzFigureCSV feeds figure functions tables read from arbitrary CSV
// files (a user's edited result files): they must return a chart or an
// error, never panic.
func FuzzFigureCSV(f *testing.F) {
	mem := memory.NewGoAllocator()
	r := tinyReproducer(f, mem)
	for _, name := range []string{"potential-totals-16b", "simulate-totals", "sweep-wires", "characterization", "term-histograms-8b", "headline"} {
		var buf bytes.Buffer
		if err := table.WriteTo(&buf, table.CSV, r.rec(name)); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	r.release()
	f.Add([]byte("model,scheme,speedup\nx,We+Ae,NaN\nx,Ae,-1\n"))
	f.Add([]byte("model,tensor,encoding,terms,count\nm,activation,csd,99999999,1\nm,weight,csd,-3,2\n"))
	f.Add([]byte("model,weight_wires,speedup,baseline\nm,0,1,B\nm,-16,2,B\n"))
	f.Add([]byte("encoding,bits,signed,value,terms\ncsd,16,true,5,1e300\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "t.csv")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		rec, err := table.ReadCSV(p, mem)
		if err != nil {
			return
		}
		defer rec.Release()
		models, _ := textColumn(rec, "model")
		model := ""
		if len(models) > 0 {
			model = models[0]
		}
		PotentialFigure(rec)
		LaconicPotentialFigure(rec, rec)
		SimulationFigure(rec, "")
		SimulationFigure(rec, "BASE-2K")
		EnergyBreakdownFigure(rec, model)
		LayerFigure(rec, rec, model)
		WireSweepFigure(rec, "speedup")
		SyncModesFigure(rec)
		TermHistogramFigure(rec, "", terms.CSD)
		TermHistogramFigure(rec, model, terms.CSD)
		MeanTermsFigure(rec, "")
		SparsityFigure(rec, "")
		TermValuesFigure(rec, 16, true)
		Headlines(rec, rec, rec, rec)
	})
}

// BenchmarkFigures builds every figure Reproduce draws (without rendering
// files) from the tables of two tiny networks.
func BenchmarkFigures(b *testing.B) {
	r := tinyReproducer(b, memory.NewGoAllocator())
	defer r.release()
	specs := r.figureSpecs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, s := range specs {
			if _, err := s.build(); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(specs)), "figures")
}
