package laconic

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/laconiclab/toolkit/laconic/chart"
	"github.com/laconiclab/toolkit/laconic/terms"
	"github.com/laconiclab/toolkit/laconic/work"
)

// The figure functions below turn the toolkit's result tables into the
// charts of the Laconic papers (Sharify et al., "Laconic Deep Learning
// Computing", arXiv 1805.04513, and ISCA 2019). They read nothing but the
// tables they are given, by column name, so they work on tables just
// computed (PotentialResult, SimulateResult), on the concatenated tables
// Reproduce writes, and on those tables read back from Parquet, Arrow or
// CSV files. A missing column is an error that names it; a table that
// mixes what one figure can show (two quantizations in one potential
// figure, two rows for one bar) is an error that says what to filter.
// Infinite speedups (a scheme that does no work at all) are drawn as gaps.

// laconicScheme is the scheme the papers call Laconic.
const laconicScheme = string(work.WeAe)

// column returns the column of rec named name, or an error naming it and
// listing the columns the table has.
func column(rec arrow.RecordBatch, name string) (arrow.Array, error) {
	if rec == nil {
		return nil, fmt.Errorf("laconic: figure: nil table (need column %q)", name)
	}
	idx := rec.Schema().FieldIndices(name)
	if len(idx) != 1 {
		names := make([]string, rec.NumCols())
		for i := range names {
			names[i] = rec.ColumnName(i)
		}
		if len(idx) > 1 {
			return nil, fmt.Errorf("laconic: figure: table has %d columns named %q", len(idx), name)
		}
		return nil, fmt.Errorf("laconic: figure: table has no column %q (columns: %s)", name, strings.Join(names, ", "))
	}
	return rec.Column(idx[0]), nil
}

func hasColumn(rec arrow.RecordBatch, name string) bool {
	return rec != nil && len(rec.Schema().FieldIndices(name)) == 1
}

// textColumn returns the cells of a column as text: strings as they are,
// integers in decimal, floats in their shortest exact form, booleans as
// true/false; nulls are empty.
func textColumn(rec arrow.RecordBatch, name string) ([]string, error) {
	col, err := column(rec, name)
	if err != nil {
		return nil, err
	}
	n := col.Len()
	out := make([]string, n)
	for i := 0; i < n; i++ {
		if col.IsNull(i) {
			continue
		}
		switch c := col.(type) {
		case *array.String:
			out[i] = c.Value(i)
		case *array.LargeString:
			out[i] = c.Value(i)
		case *array.Boolean:
			out[i] = strconv.FormatBool(c.Value(i))
		default:
			v, ok := numericValue(col, i)
			if !ok {
				return nil, fmt.Errorf("laconic: figure: column %q has type %s, want text or numbers", name, col.DataType())
			}
			out[i] = strconv.FormatFloat(v, 'g', -1, 64)
		}
	}
	return out, nil
}

// textColumns reads the named columns with textColumn, in order.
func textColumns(rec arrow.RecordBatch, names ...string) ([][]string, error) {
	out := make([][]string, len(names))
	for i, n := range names {
		var err error
		if out[i], err = textColumn(rec, n); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// floatColumns reads the named columns with floatColumn, in order.
func floatColumns(rec arrow.RecordBatch, names ...string) ([][]float64, error) {
	out := make([][]float64, len(names))
	for i, n := range names {
		var err error
		if out[i], err = floatColumn(rec, n); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// floatColumn returns a numeric column as float64; nulls are NaN.
func floatColumn(rec arrow.RecordBatch, name string) ([]float64, error) {
	col, err := column(rec, name)
	if err != nil {
		return nil, err
	}
	out := make([]float64, col.Len())
	for i := range out {
		if col.IsNull(i) {
			out[i] = math.NaN()
			continue
		}
		v, ok := numericValue(col, i)
		if !ok {
			return nil, fmt.Errorf("laconic: figure: column %q has type %s, want numbers", name, col.DataType())
		}
		out[i] = v
	}
	return out, nil
}

func numericValue(col arrow.Array, i int) (float64, bool) {
	switch c := col.(type) {
	case *array.Float64:
		return c.Value(i), true
	case *array.Float32:
		return float64(c.Value(i)), true
	case *array.Int64:
		return float64(c.Value(i)), true
	case *array.Int32:
		return float64(c.Value(i)), true
	case *array.Int16:
		return float64(c.Value(i)), true
	case *array.Int8:
		return float64(c.Value(i)), true
	case *array.Uint64:
		return float64(c.Value(i)), true
	case *array.Uint32:
		return float64(c.Value(i)), true
	case *array.Uint16:
		return float64(c.Value(i)), true
	case *array.Uint8:
		return float64(c.Value(i)), true
	}
	return 0, false
}

// drawable maps values a chart cannot draw (infinite speedups) to NaN,
// which charts show as gaps.
func drawable(v float64) float64 {
	if math.IsInf(v, 0) {
		return math.NaN()
	}
	return v
}

// order keeps distinct strings in the order of their first appearance.
type order struct {
	names []string
	index map[string]int
}

func (o *order) add(s string) int {
	if o.index == nil {
		o.index = map[string]int{}
	}
	if i, ok := o.index[s]; ok {
		return i
	}
	o.index[s] = len(o.names)
	o.names = append(o.names, s)
	return len(o.names) - 1
}

// grid is a category x series table of values filled from rows; a cell
// set twice is an error.
type grid struct {
	cats, series order
	vals         map[[2]int]float64
}

func (g *grid) set(cat, series string, v float64) error {
	if g.vals == nil {
		g.vals = map[[2]int]float64{}
	}
	k := [2]int{g.cats.add(cat), g.series.add(series)}
	if _, dup := g.vals[k]; dup {
		return fmt.Errorf("two rows for %q / %q", cat, series)
	}
	g.vals[k] = v
	return nil
}

// seriesList returns one chart series per series name (in the given order
// when names is not nil), NaN where a cell was never set.
func (g *grid) seriesList(names []string) []chart.Series {
	if names == nil {
		names = g.series.names
	}
	out := make([]chart.Series, 0, len(names))
	for _, name := range names {
		s := chart.Series{Name: name, Values: make([]float64, len(g.cats.names))}
		j, ok := g.series.index[name]
		for i := range s.Values {
			v, set := g.vals[[2]int{i, j}]
			if !ok || !set {
				v = math.NaN()
			}
			s.Values[i] = drawable(v)
		}
		out = append(out, s)
	}
	return out
}

// uniform returns the single value a text column holds over the rows
// where keep is true, or an error when it holds several. A missing column
// gives "" and no error.
func uniform(rec arrow.RecordBatch, name string, keep []bool) (string, error) {
	if !hasColumn(rec, name) {
		return "", nil
	}
	vals, err := textColumn(rec, name)
	if err != nil {
		return "", err
	}
	var seen order
	for i, v := range vals {
		if keep == nil || keep[i] {
			seen.add(v)
		}
	}
	if len(seen.names) > 1 {
		return "", fmt.Errorf("laconic: figure: the table mixes %s values %s; keep one (filter the rows, or use one table per %s)",
			name, strings.Join(seen.names, ", "), name)
	}
	if len(seen.names) == 0 {
		return "", nil
	}
	return seen.names[0], nil
}

// convention describes the potential-work convention of the kept rows of
// a potentials table: "16-bit fixed16-profiled, csd terms, zero cost 0".
type convention struct {
	bits, quant, encoding, zeroCost string
}

func potentialConvention(rec arrow.RecordBatch, keep []bool) (convention, error) {
	var c convention
	var err error
	for _, f := range []struct {
		col string
		dst *string
	}{{"bits", &c.bits}, {"quant", &c.quant}, {"encoding", &c.encoding}, {"zero_cost", &c.zeroCost}} {
		if *f.dst, err = uniform(rec, f.col, keep); err != nil {
			return c, err
		}
	}
	return c, nil
}

// label is a short name of the convention, for series and titles.
func (c convention) label() string {
	var parts []string
	if c.bits != "" {
		parts = append(parts, c.bits+"-bit")
	}
	if c.quant != "" {
		parts = append(parts, c.quant)
	}
	s := strings.Join(parts, " ")
	if c.encoding != "" {
		s += ", " + c.encoding + " terms"
	}
	if c.zeroCost != "" {
		s += ", zero cost " + c.zeroCost
	}
	return strings.TrimPrefix(s, ", ")
}

func (c convention) baseline() string {
	if c.bits == "" {
		return "bit-parallel baseline"
	}
	return c.bits + "-bit bit-parallel baseline"
}

// figureID turns a figure's file-like name into a chart element id.
func figureID(name string) string {
	return chart.IDFromTitle(name)
}

// PotentialFigure draws the potential speedup of each scheme (one bar per
// scheme) for each network (one group per model) on a logarithmic axis,
// from a potential totals table (PotentialResult.Totals, or the
// potential-totals-*.parquet files of Reproduce: columns model, scheme,
// speedup; quant, encoding, zero_cost and bits name the convention in the
// subtitle and must each hold one value). schemes selects and orders the
// schemes; by default every scheme of the table but Base (always 1).
// Network totals weigh layers by work (see package work).
func PotentialFigure(totals arrow.RecordBatch, schemes ...string) (*chart.Chart, error) {
	text, err := textColumns(totals, "model", "scheme")
	if err != nil {
		return nil, err
	}
	models, names := text[0], text[1]
	speedup, err := floatColumn(totals, "speedup")
	if err != nil {
		return nil, err
	}
	conv, err := potentialConvention(totals, nil)
	if err != nil {
		return nil, err
	}
	var g grid
	for i := range models {
		if err := g.set(models[i], names[i], speedup[i]); err != nil {
			return nil, fmt.Errorf("laconic: PotentialFigure: %w: give network totals (one row per model and scheme)", err)
		}
	}
	if len(schemes) == 0 {
		for _, s := range g.series.names {
			if s != string(work.Base) {
				schemes = append(schemes, s)
			}
		}
	} else {
		for _, s := range schemes {
			if _, ok := g.series.index[s]; !ok {
				return nil, fmt.Errorf("laconic: PotentialFigure: the table has no scheme %q (schemes: %s)", s, strings.Join(g.series.names, ", "))
			}
		}
	}
	title := "Potential speedup per scheme"
	if conv.label() != "" {
		title += ", " + conv.label()
	}
	return chart.Bars(chart.Grouped{
		ID:         figureID(title),
		Title:      title,
		Subtitle:   "network totals (layers weighted by work) over a " + conv.baseline() + "; We+Ae is Laconic",
		XLabel:     "network",
		YLabel:     "potential speedup (x)",
		LogY:       true,
		RefLine:    1,
		Categories: g.cats.names,
		Series:     g.seriesList(schemes),
		Width:      1000,
	})
}

// LaconicPotentialFigure compares the Laconic (We+Ae) potential speedup of
// each network under several conventions: one bar series per potential
// totals table, named after its quantization, encoding, zero-cost
// convention and width (for example the papers' 16-bit potential with
// zero-term products free, 8-bit affine codes and DNNsim's conventions,
// where a product costs at least one term pair and 16-bit speedups cannot
// exceed 256x). Each table must hold one convention.
func LaconicPotentialFigure(totals ...arrow.RecordBatch) (*chart.Chart, error) {
	if len(totals) == 0 {
		return nil, fmt.Errorf("laconic: LaconicPotentialFigure: no potential totals table given")
	}
	var g grid
	for k, t := range totals {
		text, err := textColumns(t, "model", "scheme")
		if err != nil {
			return nil, fmt.Errorf("laconic: LaconicPotentialFigure: table %d: %w", k+1, err)
		}
		models, names := text[0], text[1]
		speedup, err := floatColumn(t, "speedup")
		if err != nil {
			return nil, fmt.Errorf("laconic: LaconicPotentialFigure: table %d: %w", k+1, err)
		}
		keep := make([]bool, len(names))
		for i, s := range names {
			keep[i] = s == laconicScheme
		}
		conv, err := potentialConvention(t, keep)
		if err != nil {
			return nil, fmt.Errorf("laconic: LaconicPotentialFigure: table %d: %w", k+1, err)
		}
		label := conv.label()
		if label == "" {
			label = "table " + strconv.Itoa(k+1)
		}
		if _, dup := g.series.index[label]; dup {
			label += " (" + strconv.Itoa(k+1) + ")"
		}
		g.series.add(label)
		for i := range models {
			if !keep[i] {
				continue
			}
			if err := g.set(models[i], label, speedup[i]); err != nil {
				return nil, fmt.Errorf("laconic: LaconicPotentialFigure: table %d: %w: give network totals", k+1, err)
			}
		}
	}
	return chart.Bars(chart.Grouped{
		ID:         "chart_laconic_potential",
		Title:      "Laconic (We+Ae) potential speedup per convention",
		Subtitle:   "network totals over a bit-parallel baseline of the same width",
		XLabel:     "network",
		YLabel:     "potential speedup (x)",
		LogY:       true,
		RefLine:    1,
		Categories: g.cats.names,
		Series:     g.seriesList(nil),
	})
}

// SimulationFigure draws the simulated speedup and energy efficiency of
// each accelerator configuration (one bar series per config) for each
// network (one group per model) as two panels, from a simulation totals
// table (SimulateResult.TotalsTable, or simulate-totals.parquet: columns
// model, config, baseline, speedup, energy_efficiency). With a baseline
// name, only configurations measured against it are drawn (the baseline's
// own row, always 1, is left out); with "", every row is, and the table
// must then have one row per model and configuration.
func SimulationFigure(totals arrow.RecordBatch, baseline string) (*chart.Chart, error) {
	text, err := textColumns(totals, "model", "config", "baseline")
	if err != nil {
		return nil, err
	}
	models, configs, bases := text[0], text[1], text[2]
	nums, err := floatColumns(totals, "speedup", "energy_efficiency")
	if err != nil {
		return nil, err
	}
	speedup, eff := nums[0], nums[1]
	var gs, ge grid
	var baseSeen order
	for i := range models {
		if baseline != "" && (bases[i] != baseline || configs[i] == baseline) {
			continue
		}
		baseSeen.add(bases[i])
		if err := gs.set(models[i], configs[i], speedup[i]); err != nil {
			return nil, fmt.Errorf("laconic: SimulationFigure: %w: give totals (one row per model and configuration)", err)
		}
		ge.set(models[i], configs[i], eff[i])
	}
	if len(gs.cats.names) == 0 {
		return nil, fmt.Errorf("laconic: SimulationFigure: no configuration measured against %q (baselines in the table: %s)", baseline, strings.Join(distinct(bases), ", "))
	}
	over := "its baseline"
	if len(baseSeen.names) == 1 {
		over = baseSeen.names[0]
	}
	sub := "network totals: baseline cycles / cycles and baseline energy / energy, summed over layers"
	if len(gs.series.names) == 1 {
		sub = gs.series.names[0] + "; " + sub
	}
	return chart.PanelBars(chart.Panels{
		ID:         figureID("simulation " + baseline),
		Title:      "Simulated speedup and energy efficiency over " + over,
		Subtitle:   sub,
		XLabel:     "network",
		Categories: gs.cats.names,
		Panels: []chart.Panel{
			{YLabel: "speedup (x)", RefLine: 1, Series: gs.seriesList(nil)},
			{YLabel: "energy efficiency (x)", RefLine: 1, Series: ge.seriesList(nil)},
		},
		Width: 1000,
	})
}

func distinct(vals []string) []string {
	var o order
	for _, v := range vals {
		o.add(v)
	}
	return o.names
}

// EnergyBreakdownFigure draws, for one network, the energy of each
// configuration of a simulation totals table relative to its baseline's
// energy, stacked by component: compute, on-chip buffers and off-chip
// memory (columns model, config, compute_energy_pj, buffer_energy_pj,
// dram_energy_pj, baseline_energy_pj). A bar's height is the inverse of
// the configuration's energy efficiency.
func EnergyBreakdownFigure(totals arrow.RecordBatch, model string) (*chart.Chart, error) {
	text, err := textColumns(totals, "model", "config")
	if err != nil {
		return nil, err
	}
	models, configs := text[0], text[1]
	cols := []struct{ col, name string }{
		{"compute_energy_pj", "compute"}, {"buffer_energy_pj", "on-chip buffers"}, {"dram_energy_pj", "off-chip memory"},
	}
	vals := make([][]float64, len(cols))
	for k, c := range cols {
		if vals[k], err = floatColumn(totals, c.col); err != nil {
			return nil, err
		}
	}
	base, err := floatColumn(totals, "baseline_energy_pj")
	if err != nil {
		return nil, err
	}
	var g grid
	for i := range models {
		if models[i] != model {
			continue
		}
		for k, c := range cols {
			if err := g.set(configs[i], c.name, drawable(vals[k][i]/base[i])); err != nil {
				return nil, fmt.Errorf("laconic: EnergyBreakdownFigure: %w: give totals (one row per model and configuration)", err)
			}
		}
	}
	if len(g.cats.names) == 0 {
		return nil, fmt.Errorf("laconic: EnergyBreakdownFigure: no rows for model %q (models: %s)", model, strings.Join(distinct(models), ", "))
	}
	return chart.Bars(chart.Grouped{
		ID:         figureID("energy " + model),
		Title:      "Energy relative to the baseline by component, " + model,
		Subtitle:   "each configuration's energy / its baseline's energy (lower is better; 1 / energy efficiency)",
		XLabel:     "configuration",
		YLabel:     "energy / baseline energy",
		Stacked:    true,
		RefLine:    1,
		Categories: g.cats.names,
		Series:     g.seriesList(nil),
	})
}

// LayerFigure draws a per-layer breakdown of one network: the Laconic
// (We+Ae) potential speedup of each layer as bars, from a per-layer
// potentials table (PotentialResult.Layers or potentials-16b.parquet:
// columns model, layer, scheme, speedup), and the simulated speedup of
// each layer as lines, one per configuration, from a per-layer simulation
// table (SimulateResult.Layers or simulate.parquet: columns model, layer,
// config, arch, speedup). simulated may be nil (bars only); configs selects
// the configurations (default: every Laconic configuration of the table).
// Both axes are logarithmic; layers keep the potentials table's order and
// their names lose the prefix all of them share.
func LayerFigure(potentials, simulated arrow.RecordBatch, model string, configs ...string) (*chart.Chart, error) {
	text, err := textColumns(potentials, "model", "layer", "scheme")
	if err != nil {
		return nil, err
	}
	models, layers, schemes := text[0], text[1], text[2]
	speedup, err := floatColumn(potentials, "speedup")
	if err != nil {
		return nil, err
	}
	keep := make([]bool, len(models))
	var bars grid
	for i := range models {
		if models[i] != model || schemes[i] != laconicScheme {
			continue
		}
		keep[i] = true
		if err := bars.set(layers[i], "potential (We+Ae)", speedup[i]); err != nil {
			return nil, fmt.Errorf("laconic: LayerFigure: %w: give a per-layer table of one convention", err)
		}
	}
	if len(bars.cats.names) == 0 {
		return nil, fmt.Errorf("laconic: LayerFigure: no %s rows for model %q in the potentials table (models: %s)", laconicScheme, model, strings.Join(distinct(models), ", "))
	}
	conv, err := potentialConvention(potentials, keep)
	if err != nil {
		return nil, err
	}
	var lines []chart.Series
	lineLabel := ""
	if simulated != nil {
		lines, lineLabel, err = layerLines(simulated, model, bars.cats, configs)
		if err != nil {
			return nil, err
		}
	}
	names := shortLayerNames(bars.cats.names)
	return chart.LayerBreakdown(chart.Layers{
		ID:        figureID("layers " + model),
		Title:     "Per-layer Laconic potential and simulated speedup, " + model,
		Subtitle:  "bars: potential (" + conv.label() + "); lines: simulated speedup" + lineLabel,
		Layers:    names,
		YLabel:    "potential speedup (x)",
		LogY:      true,
		Bars:      bars.seriesList(nil),
		LineLabel: "simulated speedup (x)",
		LogLine:   true,
		Lines:     lines,
		Width:     max(1000, 16*len(names)),
		Height:    600,
	})
}

// layerLines returns one series per configuration of the simulation table
// over the given layers.
func layerLines(sim arrow.RecordBatch, model string, layers order, configs []string) ([]chart.Series, string, error) {
	text, err := textColumns(sim, "model", "layer", "config")
	if err != nil {
		return nil, "", err
	}
	models, names, cfgs := text[0], text[1], text[2]
	speedup, err := floatColumn(sim, "speedup")
	if err != nil {
		return nil, "", err
	}
	var archs, bases []string
	if len(configs) == 0 {
		if archs, err = textColumn(sim, "arch"); err != nil {
			return nil, "", err
		}
	}
	if hasColumn(sim, "baseline") {
		if bases, err = textColumn(sim, "baseline"); err != nil {
			return nil, "", err
		}
	}
	want := map[string]bool{}
	for _, c := range configs {
		want[c] = true
	}
	g := grid{cats: layers}
	g.cats.index = layers.index
	var baseSeen order
	for i := range models {
		if models[i] != model {
			continue
		}
		if len(configs) > 0 && !want[cfgs[i]] || len(configs) == 0 && archs[i] != "laconic" {
			continue
		}
		if _, ok := layers.index[names[i]]; !ok {
			continue // a layer the potentials table does not have
		}
		if g.vals == nil {
			g.vals = map[[2]int]float64{}
		}
		k := [2]int{layers.index[names[i]], g.series.add(cfgs[i])}
		if _, dup := g.vals[k]; dup {
			return nil, "", fmt.Errorf("laconic: LayerFigure: two simulation rows for layer %q of %q on %q", names[i], model, cfgs[i])
		}
		g.vals[k] = speedup[i]
		if bases != nil {
			baseSeen.add(bases[i])
		}
	}
	for _, c := range configs {
		if _, ok := g.series.index[c]; !ok {
			return nil, "", fmt.Errorf("laconic: LayerFigure: the simulation table has no rows for %q on %q (configs: %s)", model, c, strings.Join(distinct(cfgs), ", "))
		}
	}
	label := ""
	if len(baseSeen.names) == 1 {
		label = " over " + baseSeen.names[0]
	}
	return g.seriesList(configs), label, nil
}

// shortLayerNames removes the longest prefix of slash-separated path
// elements that every name shares (keeping at least one element).
func shortLayerNames(names []string) []string {
	if len(names) < 2 {
		return names
	}
	split := make([][]string, len(names))
	common := -1
	for i, n := range names {
		split[i] = strings.Split(n, "/")
		if i == 0 {
			common = len(split[i]) - 1
			continue
		}
		k := 0
		for k < common && k < len(split[i])-1 && split[i][k] == split[0][k] {
			k++
		}
		common = k
	}
	if common <= 0 {
		return names
	}
	out := make([]string, len(names))
	for i, s := range split {
		out[i] = strings.Join(s[common:], "/")
	}
	return out
}

// WireSweepFigure draws a value column (speedup or energy_efficiency) of
// a simulation totals table against the weight-interface wires, one line
// per network, on a base-2 logarithmic wire axis (columns model,
// weight_wires and value). Each network must have one row per wire count:
// the sweep-wires table of Reproduce varies the Laconic configuration with
// the wires (16 weight lanes per filter, one wire each).
func WireSweepFigure(sweep arrow.RecordBatch, value string) (*chart.Chart, error) {
	models, err := textColumn(sweep, "model")
	if err != nil {
		return nil, err
	}
	nums, err := floatColumns(sweep, "weight_wires", value)
	if err != nil {
		return nil, err
	}
	wires, ys := nums[0], nums[1]
	baseline := ""
	if hasColumn(sweep, "baseline") {
		if baseline, err = uniform(sweep, "baseline", nil); err != nil {
			return nil, err
		}
	}
	var seen order
	var series []chart.XYSeries
	for i := range models {
		k := seen.add(models[i])
		if k == len(series) {
			series = append(series, chart.XYSeries{Name: models[i]})
		}
		s := &series[k]
		if slices.Contains(s.X, wires[i]) {
			return nil, fmt.Errorf("laconic: WireSweepFigure: two rows for %q at %v weight wires: keep one configuration per wire count", models[i], wires[i])
		}
		s.X = append(s.X, wires[i])
		s.Y = append(s.Y, drawable(ys[i]))
	}
	for k := range series {
		s := &series[k]
		idx := make([]int, len(s.X))
		for i := range idx {
			idx[i] = i
		}
		slices.SortStableFunc(idx, func(a, b int) int {
			switch {
			case s.X[a] < s.X[b]:
				return -1
			case s.X[a] > s.X[b]:
				return 1
			}
			return 0
		})
		x, y := make([]float64, len(idx)), make([]float64, len(idx))
		for i, j := range idx {
			x[i], y[i] = s.X[j], s.Y[j]
		}
		s.X, s.Y = x, y
	}
	what := strings.ReplaceAll(value, "_", " ")
	ylabel := what + " (x)"
	if baseline != "" {
		ylabel = what + " over " + baseline + " (x)"
	}
	return chart.Lines(chart.XY{
		ID:       figureID("wires " + value),
		Title:    "Laconic " + what + " versus weight-interface wires",
		Subtitle: "network totals; one line per network",
		XLabel:   "weight-interface wires",
		YLabel:   ylabel,
		LogX:     true,
		RefLine:  1,
		Series:   series,
	})
}

// SyncModesFigure draws the simulated speedup of each configuration of a
// simulation totals table (one bar series per config) for each network:
// the synchronisation sweep of Reproduce (tile lock-step, column and
// per-LPE synchronisation with input queues, and the ideal bound), or any
// other set of configurations (columns model, config, speedup).
func SyncModesFigure(totals arrow.RecordBatch) (*chart.Chart, error) {
	text, err := textColumns(totals, "model", "config")
	if err != nil {
		return nil, err
	}
	models, configs := text[0], text[1]
	speedup, err := floatColumn(totals, "speedup")
	if err != nil {
		return nil, err
	}
	baseline := "its baseline"
	if hasColumn(totals, "baseline") {
		if baseline, err = uniform(totals, "baseline", nil); err != nil {
			return nil, err
		}
	}
	prefix := commonWordPrefix(distinct(configs))
	var g grid
	for i := range models {
		if err := g.set(models[i], strings.TrimPrefix(configs[i], prefix), speedup[i]); err != nil {
			return nil, fmt.Errorf("laconic: SyncModesFigure: %w: give totals (one row per model and configuration)", err)
		}
	}
	title := "Speedup by synchronisation granularity"
	if prefix != "" {
		title += ", " + strings.TrimSpace(prefix)
	}
	return chart.Bars(chart.Grouped{
		ID:         "chart_sync_modes",
		Title:      title,
		Subtitle:   "network totals over " + baseline + "; q = input queue depth in steps",
		XLabel:     "network",
		YLabel:     "speedup (x)",
		RefLine:    1,
		Categories: g.cats.names,
		Series:     g.seriesList(nil),
		Width:      1000,
	})
}

// commonWordPrefix returns the longest prefix ending in a space that every
// name shares, when every name is longer than it ("" otherwise).
func commonWordPrefix(names []string) string {
	if len(names) < 2 {
		return ""
	}
	p := names[0]
	for _, n := range names[1:] {
		for !strings.HasPrefix(n, p) {
			p = p[:len(p)-1]
		}
	}
	i := strings.LastIndexByte(p, ' ')
	if i < 0 {
		return ""
	}
	p = p[:i+1]
	for _, n := range names {
		if len(n) == len(p) {
			return ""
		}
	}
	return p
}

// TermHistogramFigure draws the term-count histograms of activations and
// weights under one encoding, in percent of each tensor's values, summed
// over the layers of one network, or of every network when model is ""
// (then one activation and one weight series per network). The table is a
// term-count histogram table (PotentialResult.Histograms or
// term-histograms-*.parquet: columns model, tensor, encoding, terms,
// count) of one quantization.
func TermHistogramFigure(hist arrow.RecordBatch, model string, encoding terms.Encoding) (*chart.Chart, error) {
	text, err := textColumns(hist, "model", "tensor", "encoding")
	if err != nil {
		return nil, err
	}
	models, tensors, encs := text[0], text[1], text[2]
	nums, err := floatColumns(hist, "count", "terms")
	if err != nil {
		return nil, err
	}
	counts, bins := nums[0], nums[1]
	var names order
	var series []chart.Series
	for i := range models {
		if encs[i] != string(encoding) || model != "" && models[i] != model {
			continue
		}
		t := bins[i]
		if t < 0 || t > terms.MaxTerms+1 || t != math.Trunc(t) {
			return nil, fmt.Errorf("laconic: TermHistogramFigure: row %d: terms = %v, want an integer in [0, %d]", i, t, terms.MaxTerms+1)
		}
		name := tensorLabel(tensors[i])
		if model == "" {
			name = models[i] + " " + shortTensorLabel(tensors[i])
		}
		k := names.add(name)
		if k == len(series) {
			series = append(series, chart.Series{Name: name})
		}
		s := &series[k]
		for len(s.Values) <= int(t) {
			s.Values = append(s.Values, 0)
		}
		if !math.IsNaN(counts[i]) {
			s.Values[int(t)] += counts[i]
		}
	}
	if len(series) == 0 {
		return nil, fmt.Errorf("laconic: TermHistogramFigure: no rows for encoding %q and model %q (models: %s; encodings: %s)",
			encoding, model, strings.Join(distinct(models), ", "), strings.Join(distinct(encs), ", "))
	}
	who, sub, width := model, "share of the values of each tensor with k terms, over all layers", 1000
	if model == "" {
		who, sub, width = "every network", sub+"; act = activations, wgt = weights", 1300
	}
	return chart.TermHistogram(chart.Histogram{
		ID:       figureID("terms " + string(encoding) + " " + who),
		Title:    fmt.Sprintf("Terms per value (%s), %s", encoding, who),
		Subtitle: sub,
		XLabel:   "terms",
		Percent:  true,
		Series:   series,
		Width:    width,
	})
}

func shortTensorLabel(t string) string {
	switch t {
	case "activation":
		return "act"
	case "weight":
		return "wgt"
	}
	return t
}

func tensorLabel(t string) string {
	switch t {
	case "activation":
		return "activations"
	case "weight":
		return "weights"
	}
	return t
}

// characterization sums the named columns (act_* weighted by act_values,
// wgt_* by wgt_values) per network over the rows of quant ("" keeps every
// row, which must then hold one quantization).
func characterization(char arrow.RecordBatch, quant string, cols []string) (models []string, means map[string][]float64, q string, err error) {
	names, err := textColumn(char, "model")
	if err != nil {
		return nil, nil, "", err
	}
	var keep []bool
	if quant != "" {
		qs, err := textColumn(char, "quant")
		if err != nil {
			return nil, nil, "", err
		}
		keep = make([]bool, len(qs))
		for i, v := range qs {
			keep[i] = v == quant
		}
		q = quant
	} else if q, err = uniform(char, "quant", nil); err != nil {
		return nil, nil, "", err
	}
	var w [2][]float64
	for k, c := range []string{"act_values", "wgt_values"} {
		if w[k], err = floatColumn(char, c); err != nil {
			return nil, nil, "", err
		}
	}
	vals := map[string][]float64{}
	for _, c := range cols {
		if vals[c], err = floatColumn(char, c); err != nil {
			return nil, nil, "", err
		}
	}
	var seen order
	var tot [2][]float64
	sums := map[string][]float64{}
	for i, m := range names {
		if keep != nil && !keep[i] {
			continue
		}
		k := seen.add(m)
		if k == len(tot[0]) {
			tot[0], tot[1] = append(tot[0], 0), append(tot[1], 0)
			for _, c := range cols {
				sums[c] = append(sums[c], 0)
			}
		}
		tot[0][k] += w[0][i]
		tot[1][k] += w[1][i]
		for _, c := range cols {
			t := 0
			if strings.HasPrefix(c, "wgt_") {
				t = 1
			}
			sums[c][k] += vals[c][i] * w[t][i]
		}
	}
	if len(seen.names) == 0 {
		return nil, nil, "", fmt.Errorf("laconic: figure: the characterisation table has no rows of quantization %q", quant)
	}
	means = map[string][]float64{}
	for _, c := range cols {
		t := 0
		if strings.HasPrefix(c, "wgt_") {
			t = 1
		}
		means[c] = make([]float64, len(seen.names))
		for k := range seen.names {
			means[c][k] = sums[c][k] / tot[t][k]
		}
	}
	return seen.names, means, q, nil
}

// MeanTermsFigure draws the mean number of terms per value of each
// encoding (binary, csd, booth4, dnnsim: one bar series each) for each
// network, activations and weights in two panels, from a characterisation
// table (PotentialResult.Characterization or characterization.parquet:
// columns model, quant, act_values, wgt_values, act_terms_<encoding>,
// wgt_terms_<encoding>). Layers are weighted by their number of values.
// quant selects the rows of one quantization ("" keeps every row, which
// must then hold one).
func MeanTermsFigure(char arrow.RecordBatch, quant string) (*chart.Chart, error) {
	var cols []string
	for _, t := range []string{"act", "wgt"} {
		for _, e := range terms.Encodings() {
			cols = append(cols, t+"_terms_"+string(e))
		}
	}
	models, means, q, err := characterization(char, quant, cols)
	if err != nil {
		return nil, err
	}
	panel := func(t, label string) chart.Panel {
		p := chart.Panel{YLabel: label}
		for _, e := range terms.Encodings() {
			p.Series = append(p.Series, chart.Series{Name: string(e), Values: means[t+"_terms_"+string(e)]})
		}
		return p
	}
	return chart.PanelBars(chart.Panels{
		ID:         figureID("mean terms " + q),
		Title:      "Mean terms per value by encoding, " + q,
		Subtitle:   "activations (top) and weights (bottom); layers weighted by their number of values",
		XLabel:     "network",
		Categories: models,
		Panels:     []chart.Panel{panel("act", "activation terms per value"), panel("wgt", "weight terms per value")},
	})
}

// SparsityFigure draws the value sparsity (fraction of zero values) and
// the bit sparsity (fraction of zero bits among the magnitude bits) of
// activations and weights for each network, in two panels, from a
// characterisation table (columns model, quant, act_values, wgt_values,
// act_zero_fraction, wgt_zero_fraction, act_bit_sparsity,
// wgt_bit_sparsity). Layers are weighted by their number of values; quant
// selects the rows as in MeanTermsFigure.
func SparsityFigure(char arrow.RecordBatch, quant string) (*chart.Chart, error) {
	cols := []string{"act_zero_fraction", "wgt_zero_fraction", "act_bit_sparsity", "wgt_bit_sparsity"}
	models, means, q, err := characterization(char, quant, cols)
	if err != nil {
		return nil, err
	}
	return chart.PanelBars(chart.Panels{
		ID:         figureID("sparsity " + q),
		Title:      "Value and bit sparsity, " + q,
		Subtitle:   "layers weighted by their number of values; bit sparsity counts zero bits among the magnitude bits",
		XLabel:     "network",
		Categories: models,
		Panels: []chart.Panel{
			{YLabel: "zero values (fraction)", Series: []chart.Series{
				{Name: "activations", Values: means["act_zero_fraction"]}, {Name: "weights", Values: means["wgt_zero_fraction"]}}},
			{YLabel: "zero bits (fraction)", Series: []chart.Series{
				{Name: "activations", Values: means["act_bit_sparsity"]}, {Name: "weights", Values: means["wgt_bit_sparsity"]}}},
		},
	})
}

// TermValuesFigure draws, for every encoding of a term-values table (one
// row per value of a format and encoding: columns encoding, bits, signed,
// terms, as TermValues builds it), the share of the format's values that
// have k terms: the distribution over every bits-wide signed (two's
// complement) or unsigned value.
func TermValuesFigure(values arrow.RecordBatch, bits int, signed bool) (*chart.Chart, error) {
	f := terms.Format{Bits: bits, Signed: signed}
	if err := f.Validate(); err != nil {
		return nil, fmt.Errorf("laconic: TermValuesFigure: %w", err)
	}
	encs, err := textColumn(values, "encoding")
	if err != nil {
		return nil, err
	}
	b, err := floatColumn(values, "bits")
	if err != nil {
		return nil, err
	}
	s, err := textColumn(values, "signed")
	if err != nil {
		return nil, err
	}
	ts, err := floatColumn(values, "terms")
	if err != nil {
		return nil, err
	}
	var names order
	var series []chart.Series
	for i := range encs {
		if int(b[i]) != bits || s[i] != strconv.FormatBool(signed) {
			continue
		}
		t := ts[i]
		if t < 0 || t > terms.MaxTerms+1 || t != math.Trunc(t) {
			return nil, fmt.Errorf("laconic: TermValuesFigure: row %d: terms = %v, want an integer in [0, %d]", i, t, terms.MaxTerms+1)
		}
		k := names.add(encs[i])
		if k == len(series) {
			series = append(series, chart.Series{Name: encs[i]})
		}
		for len(series[k].Values) <= int(t) {
			series[k].Values = append(series[k].Values, 0)
		}
		series[k].Values[int(t)]++
	}
	if len(series) == 0 {
		return nil, fmt.Errorf("laconic: TermValuesFigure: no rows for %s values", f)
	}
	kind := "unsigned"
	if signed {
		kind = "signed"
	}
	title := fmt.Sprintf("Terms of every %d-bit %s value, per encoding", bits, kind)
	return chart.TermHistogram(chart.Histogram{
		ID:       figureID(title),
		Title:    title,
		Subtitle: fmt.Sprintf("share of the %d values %d..%d with k terms", int64(f.Max())-int64(f.Min())+1, f.Min(), f.Max()),
		XLabel:   "terms",
		Percent:  true,
		Series:   series,
	})
}
