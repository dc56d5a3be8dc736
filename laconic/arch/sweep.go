package arch

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/laconiclab/toolkit/laconic/arch/area"
	"github.com/laconiclab/toolkit/laconic/arch/energy"
	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/quant"
	"github.com/laconiclab/toolkit/laconic/table"
)

// LayerData is one compute layer of one network with its quantized
// operands, ready to simulate.
type LayerData struct {
	Model string // network name
	Layer nn.Layer
	Acts  *quant.Tensor
	Wgts  *quant.Tensor
}

// Row is one (model, layer, configuration) row of a simulation table. The
// configuration's parameters are columns, so that sweeps can be grouped
// and plotted by any of them.
type Row struct {
	Model               string  `arrow:"model"`
	Layer               string  `arrow:"layer"`
	Kind                string  `arrow:"kind"`
	Arch                string  `arrow:"arch"`
	Config              string  `arrow:"config"`
	Baseline            string  `arrow:"baseline"`
	Columns             int     `arrow:"columns"`
	Rows                int     `arrow:"rows"`
	Lanes               int     `arrow:"lanes"`
	Sync                string  `arrow:"sync"`
	QueueDepth          int     `arrow:"queue_depth"`
	Encoding            string  `arrow:"encoding"`
	ZeroCost            int     `arrow:"zero_cost"`
	Precision           string  `arrow:"precision"`
	FoldFirstLayer      bool    `arrow:"fold_first_layer"`
	WeightWires         int     `arrow:"weight_wires"`
	ActWires            int     `arrow:"act_wires"`
	WeightBufferBytes   int64   `arrow:"weight_buffer_bytes"`
	ActBufferBytes      int64   `arrow:"act_buffer_bytes"`
	OffChipBitsPerCycle int     `arrow:"offchip_bits_per_cycle"`
	Bits                int     `arrow:"bits"`
	MACs                int64   `arrow:"macs"`
	Steps               int64   `arrow:"steps"`
	ComputeCycles       int64   `arrow:"compute_cycles"`
	DRAMCycles          int64   `arrow:"dram_cycles"`
	Cycles              int64   `arrow:"cycles"`
	BaselineCycles      int64   `arrow:"baseline_cycles"`
	Speedup             float64 `arrow:"speedup"`
	EnergyPJ            float64 `arrow:"energy_pj"`
	ComputeEnergyPJ     float64 `arrow:"compute_energy_pj"`
	BufferEnergyPJ      float64 `arrow:"buffer_energy_pj"`
	DRAMEnergyPJ        float64 `arrow:"dram_energy_pj"`
	BaselineEnergyPJ    float64 `arrow:"baseline_energy_pj"`
	EnergyEfficiency    float64 `arrow:"energy_efficiency"`
	TermPairs           int64   `arrow:"term_pairs"`
	Work                int64   `arrow:"work"`
	WeightBufferBits    int64   `arrow:"weight_buffer_read_bits"`
	ActBufferBits       int64   `arrow:"act_buffer_read_bits"`
	DRAMBits            int64   `arrow:"dram_bits"`
	// Images is the number of images (samples) the row covers, summed
	// over batches; Batch the images per simulated batch (the samples of
	// one simulated layer, the largest over batches).
	Images int64 `arrow:"images"`
	Batch  int   `arrow:"batch"`
	// ClockGHz is the clock at which cycles become seconds
	// (SweepOptions.ClockGHz).
	ClockGHz float64 `arrow:"clock_ghz"`
	// AreaMM2 is the configuration's area (AreaOf at the row's operand
	// width): AreaComputeMM2 of PEs and input queues plus AreaBufferMM2
	// of on-chip buffers; BaselineAreaMM2 the baseline's.
	AreaMM2         float64 `arrow:"area_mm2"`
	AreaComputeMM2  float64 `arrow:"area_compute_mm2"`
	AreaBufferMM2   float64 `arrow:"area_buffer_mm2"`
	BaselineAreaMM2 float64 `arrow:"baseline_area_mm2"`
	// InferencesPerSecondPerMM2 = Images / (Cycles / clock) / AreaMM2;
	// EnergyPerInferenceUJ = EnergyPJ / Images in microjoules;
	// EDPUJMS = EnergyPerInferenceUJ x the time per inference (Cycles /
	// Images / clock) in milliseconds. Rows of one layer give the values
	// the layer alone would have.
	InferencesPerSecondPerMM2 float64 `arrow:"inferences_per_s_per_mm2"`
	EnergyPerInferenceUJ      float64 `arrow:"energy_per_inference_uj"`
	EDPUJMS                   float64 `arrow:"edp_uj_ms"`
}

// SweepOptions tunes Sweep.
type SweepOptions struct {
	// Workers is the number of goroutines (0 = GOMAXPROCS).
	Workers int
	// Energy prices the activity (nil = energy.Default()).
	Energy *energy.Table
	// Baselines are configurations that a Config.Baseline may name besides
	// the configurations being swept and the presets.
	Baselines []Config
	// Area is the primitive area table (nil = area.Default()) and
	// Structure the composition assumptions (nil =
	// area.DefaultStructure()) of the area columns (AreaOf).
	Area      *area.Table
	Structure *area.Structure
	// ClockGHz turns cycles into seconds for the throughput and
	// energy-delay columns (0 = DefaultClockGHz).
	ClockGHz float64
}

// DefaultClockGHz is the clock the presets assume (their off-chip
// bandwidth of 256 bits per cycle is 32 GB/s at 1 GHz) [U].
const DefaultClockGHz = 1.0

// resolveConfigs returns the configurations to simulate (the swept ones
// followed by baselines not among them) and, for each swept one, the index
// of its baseline.
func resolveConfigs(configs, extra []Config) ([]Config, []int, error) {
	all := append([]Config(nil), configs...)
	byName := map[string]int{}
	for i, c := range configs {
		if err := c.Validate(); err != nil {
			return nil, nil, err
		}
		if j, dup := byName[c.Name]; dup && configs[j].JSON() != c.JSON() {
			return nil, nil, fmt.Errorf("arch: two different configurations are both named %q", c.Name)
		}
		if _, dup := byName[c.Name]; !dup {
			byName[c.Name] = i
		}
	}
	base := make([]int, len(configs))
	for i, c := range configs {
		name := c.Baseline
		if name == "" {
			name = c.Name
		}
		j, ok := byName[name]
		if !ok {
			var found *Config
			for k := range extra {
				if extra[k].Name == name {
					found = &extra[k]
					break
				}
			}
			if found == nil {
				if p, err := Preset(name); err == nil {
					found = &p
				}
			}
			if found == nil {
				return nil, nil, fmt.Errorf("arch: configuration %q: baseline %q is neither swept, given, nor a preset", c.Name, name)
			}
			if err := found.Validate(); err != nil {
				return nil, nil, err
			}
			j = len(all)
			byName[name] = j
			all = append(all, *found)
		}
		base[i] = j
	}
	return all, base, nil
}

// Sweep simulates every layer on every configuration, in parallel on all
// cores, and returns one row per (configuration, layer): configurations in
// the given order, layers in the given order within each. Each
// configuration's baseline (Config.Baseline, resolved among the swept
// configurations, opt.Baselines and the presets) is simulated too, to fill
// the baseline columns. The result does not depend on the number of
// workers.
func Sweep(ctx context.Context, layers []LayerData, configs []Config, opt SweepOptions) ([]Row, error) {
	all, base, err := resolveConfigs(configs, opt.Baselines)
	if err != nil {
		return nil, err
	}
	et := opt.Energy
	if et == nil {
		et = energy.Default()
	}
	clock := opt.ClockGHz
	if clock == 0 {
		clock = DefaultClockGHz
	}
	if math.IsNaN(clock) || math.IsInf(clock, 0) || clock < 0 {
		return nil, fmt.Errorf("arch: SweepOptions.ClockGHz = %v, want a finite number > 0 (0 = %v)", opt.ClockGHz, DefaultClockGHz)
	}
	areas := newAreaCache(opt.Area, opt.Structure)
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	caches := make([]*layerCache, len(layers))
	for i, ld := range layers {
		caches[i] = newLayerCache(ld.Layer, ld.Acts, ld.Wgts)
	}
	type job struct{ c, l int }
	results := make([]LayerResult, len(all)*len(layers))
	jobs := make(chan job)
	errs := make([]error, len(results))
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if ctx.Err() != nil {
					continue
				}
				ld := layers[j.l]
				r, err := caches[j.l].simulate(all[j.c])
				if err != nil {
					err = fmt.Errorf("model %s: %w", ld.Model, err)
				}
				results[j.c*len(layers)+j.l], errs[j.c*len(layers)+j.l] = r, err
			}
		}()
	}
	// Largest layers first so that the pool ends evenly.
	order := make([]int, len(layers))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return layers[order[a]].Layer.MACs() > layers[order[b]].Layer.MACs() })
feed:
	for _, l := range order {
		for c := range all {
			select {
			case jobs <- job{c, l}:
			case <-ctx.Done():
				break feed
			}
		}
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	rows := make([]Row, 0, len(configs)*len(layers))
	for ci, cfg := range configs {
		bcfg := all[base[ci]]
		for li, ld := range layers {
			r := results[ci*len(layers)+li]
			b := results[base[ci]*len(layers)+li]
			e := EnergyOf(cfg, r, et)
			be := EnergyOf(bcfg, b, et)
			row := makeRow(ld.Model, cfg, bcfg.Name, r, b, e, be)
			if err := row.setArea(areas, cfg, bcfg, r, b, int64(ld.Layer.N), clock); err != nil {
				return nil, err
			}
			rows = append(rows, row)
		}
	}
	return rows, nil
}

func makeRow(model string, cfg Config, baseline string, r, b LayerResult, e, be Energy) Row {
	m := cfg.Memory
	row := Row{
		Model: model, Layer: r.Layer, Kind: string(r.Kind), Arch: string(cfg.Model), Config: cfg.Name, Baseline: baseline,
		Columns: cfg.Columns, Rows: cfg.Rows, Lanes: cfg.Lanes, Sync: string(cfg.Sync), QueueDepth: cfg.QueueDepth,
		Encoding: string(cfg.Encoding), ZeroCost: cfg.ZeroCost, Precision: string(cfg.Precision), FoldFirstLayer: cfg.FoldFirstLayer,
		WeightWires: m.WeightWires, ActWires: m.ActWires, WeightBufferBytes: m.WeightBufferBytes, ActBufferBytes: m.ActBufferBytes,
		OffChipBitsPerCycle: m.OffChipBitsPerCycle,
		Bits:                r.Bits, MACs: r.MACs, Steps: r.Steps,
		ComputeCycles: r.ComputeCycles, DRAMCycles: r.DRAMCycles, Cycles: r.Cycles, BaselineCycles: b.Cycles,
		EnergyPJ: e.TotalPJ, ComputeEnergyPJ: e.ComputePJ, BufferEnergyPJ: e.WeightBufferPJ + e.ActBufferPJ, DRAMEnergyPJ: e.DRAMPJ,
		BaselineEnergyPJ: be.TotalPJ,
		TermPairs:        r.Activity.TermPairs, Work: r.Activity.Work,
		WeightBufferBits: r.Activity.WeightBufferReadBits, ActBufferBits: r.Activity.ActBufferReadBits,
		DRAMBits: r.Activity.DRAMReadBits + r.Activity.DRAMWriteBits,
	}
	row.ratios()
	return row
}

func (r *Row) ratios() {
	r.derived()
	r.Speedup, r.EnergyEfficiency = 0, 0
	if r.Cycles > 0 {
		r.Speedup = float64(r.BaselineCycles) / float64(r.Cycles)
	}
	if r.EnergyPJ > 0 {
		r.EnergyEfficiency = r.BaselineEnergyPJ / r.EnergyPJ
	}
}

// Totals sums the rows of each (model, configuration) in order of first
// appearance and recomputes the ratios from the sums: speedup = sum of
// baseline cycles / sum of cycles, energy efficiency = sum of baseline
// energy / sum of energy. Layer is "total" and Kind is empty; the
// configuration columns are kept.
func Totals(rows []Row) []Row {
	type key struct{ model, config string }
	idx := map[key]int{}
	var out []Row
	for _, r := range rows {
		k := key{r.Model, r.Config}
		i, ok := idx[k]
		if !ok {
			t := r
			t.Layer, t.Kind = "total", ""
			t.MACs, t.Steps, t.ComputeCycles, t.DRAMCycles, t.Cycles, t.BaselineCycles = 0, 0, 0, 0, 0, 0
			t.EnergyPJ, t.ComputeEnergyPJ, t.BufferEnergyPJ, t.DRAMEnergyPJ, t.BaselineEnergyPJ = 0, 0, 0, 0, 0
			t.TermPairs, t.Work, t.WeightBufferBits, t.ActBufferBits, t.DRAMBits = 0, 0, 0, 0, 0
			i = len(out)
			idx[k] = i
			out = append(out, t)
		}
		t := &out[i]
		t.Bits = max(t.Bits, r.Bits)
		t.Images, t.Batch = max(t.Images, r.Images), max(t.Batch, r.Batch)
		t.MACs += r.MACs
		t.Steps += r.Steps
		t.ComputeCycles += r.ComputeCycles
		t.DRAMCycles += r.DRAMCycles
		t.Cycles += r.Cycles
		t.BaselineCycles += r.BaselineCycles
		t.EnergyPJ += r.EnergyPJ
		t.ComputeEnergyPJ += r.ComputeEnergyPJ
		t.BufferEnergyPJ += r.BufferEnergyPJ
		t.DRAMEnergyPJ += r.DRAMEnergyPJ
		t.BaselineEnergyPJ += r.BaselineEnergyPJ
		t.TermPairs += r.TermPairs
		t.Work += r.Work
		t.WeightBufferBits += r.WeightBufferBits
		t.ActBufferBits += r.ActBufferBits
		t.DRAMBits += r.DRAMBits
	}
	for i := range out {
		out[i].ratios()
	}
	return out
}

// Table builds an Arrow record batch of the rows (see table.FromRows);
// prov.Config, when empty, is set to the JSON of the distinct
// configurations. The caller releases the result.
func Table(mem memory.Allocator, rows []Row, prov table.Provenance) (arrow.RecordBatch, error) {
	return table.FromRows(mem, rows, prov)
}

// ConfigsJSON returns the JSON array of the given configurations, for a
// table's provenance.
func ConfigsJSON(cfgs []Config) string {
	b, _ := json.Marshal(cfgs)
	return string(b)
}

// Axis is one dimension of a configuration grid: a JSON field path of
// Config ("rows", "sync", "memory.weight_wires", ...) and its values.
type Axis struct {
	Field  string
	Values []any
}

// Grid returns the configurations of the cartesian product of the axes
// applied to base, first axis outermost. Each is named
// "<base name> <field>=<value> ..." and validated; an unknown field or a
// value of the wrong type is an error naming the axis.
func Grid(base Config, axes ...Axis) ([]Config, error) {
	out := []Config{base}
	for _, ax := range axes {
		if len(ax.Values) == 0 {
			return nil, fmt.Errorf("arch: grid axis %q has no values", ax.Field)
		}
		var next []Config
		for _, c := range out {
			for _, v := range ax.Values {
				nc, err := setField(c, ax.Field, v)
				if err != nil {
					return nil, err
				}
				nc.Name = fmt.Sprintf("%s %s=%v", c.Name, ax.Field, v)
				next = append(next, nc)
			}
		}
		out = next
	}
	for _, c := range out {
		if err := c.Validate(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func setField(c Config, path string, v any) (Config, error) {
	raw, err := json.Marshal(c)
	if err != nil {
		return c, err
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return c, err
	}
	parts := strings.Split(path, ".")
	cur := m
	for i, p := range parts {
		if i == len(parts)-1 {
			if _, ok := cur[p]; !ok && !optionalField(p) {
				return c, fmt.Errorf("arch: grid axis %q: no such configuration field", path)
			}
			cur[p] = v
			break
		}
		sub, ok := cur[p].(map[string]any)
		if !ok {
			return c, fmt.Errorf("arch: grid axis %q: %q is not an object field", path, p)
		}
		cur = sub
	}
	raw, err = json.Marshal(m)
	if err != nil {
		return c, fmt.Errorf("arch: grid axis %q: %v", path, err)
	}
	var out Config
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&out); err != nil {
		return c, fmt.Errorf("arch: grid axis %q = %v: %v", path, v, err)
	}
	return out, nil
}

// optionalField lists Config JSON fields omitted when empty.
func optionalField(name string) bool {
	switch name {
	case "encoding", "precision", "baseline", "description":
		return true
	}
	return false
}

// AddRows adds src to dst row by row (the same configurations and layers
// in the same order, as two Sweeps of batches of one network give) and
// recomputes the ratios: counts, cycles and energies are summed.
func AddRows(dst, src []Row) error {
	if len(dst) != len(src) {
		return fmt.Errorf("arch: AddRows: %d rows and %d rows", len(dst), len(src))
	}
	for i := range dst {
		d, s := &dst[i], src[i]
		if d.Model != s.Model || d.Config != s.Config || d.Layer != s.Layer {
			return fmt.Errorf("arch: AddRows: row %d is %s/%s/%s in one and %s/%s/%s in the other", i, d.Model, d.Config, d.Layer, s.Model, s.Config, s.Layer)
		}
		d.MACs += s.MACs
		d.Steps += s.Steps
		d.ComputeCycles += s.ComputeCycles
		d.DRAMCycles += s.DRAMCycles
		d.Cycles += s.Cycles
		d.BaselineCycles += s.BaselineCycles
		d.EnergyPJ += s.EnergyPJ
		d.ComputeEnergyPJ += s.ComputeEnergyPJ
		d.BufferEnergyPJ += s.BufferEnergyPJ
		d.DRAMEnergyPJ += s.DRAMEnergyPJ
		d.BaselineEnergyPJ += s.BaselineEnergyPJ
		d.TermPairs += s.TermPairs
		d.Work += s.Work
		d.WeightBufferBits += s.WeightBufferBits
		d.ActBufferBits += s.ActBufferBits
		d.DRAMBits += s.DRAMBits
		d.Bits = max(d.Bits, s.Bits)
		d.Images += s.Images
		d.Batch = max(d.Batch, s.Batch)
		d.ratios()
	}
	return nil
}
