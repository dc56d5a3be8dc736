package arch

import (
	"context"
	"fmt"
)

// GapStep is one step of Attribute's account of the gap between the
// Laconic potential and a simulated speedup: Factor multiplies the running
// speedup into Speedup; Total marks a running total (Factor 1).
type GapStep struct {
	Model   string  `arrow:"model" json:"model"`
	Config  string  `arrow:"config" json:"config"`
	Step    string  `arrow:"step" json:"step"`
	Factor  float64 `arrow:"factor" json:"factor"`
	Speedup float64 `arrow:"speedup" json:"speedup"`
	Total   bool    `arrow:"total" json:"total"`
}

// GapOptions tunes Attribute: the finer synchronisation and queue depth
// of the step after the simulated configuration, the iso sizing of the
// last step (its kind must be area), and the sweep options.
type GapOptions struct {
	FinerSync  Sync
	QueueDepth int
	Iso        Iso
	Sweep      SweepOptions
}

// DefaultGapOptions returns per-PE synchronisation with queues of 2 and
// iso-area with the configuration's baseline (DefaultIso).
func DefaultGapOptions() GapOptions {
	return GapOptions{FinerSync: SyncLPE, QueueDepth: 2, Iso: DefaultIso()}
}

// Attribute goes from the Laconic potential of the layers to the
// simulated speedup of cfg (a laconic configuration) over its baseline,
// one factor at a time, each measured by a simulation:
//
//  1. potential: sum of MACs x P^2 over the work with zero-term products
//     free;
//  2. precision profile: 1 (the layers' own codes; no per-layer profile);
//  3. zero-cost convention: the same work with cfg.ZeroCost;
//  4. lanes and geometry: (cfg's lanes / the baseline's lanes) / P^2, a
//     term pair per lane cycle against a product per lane cycle;
//  5. lane utilisation: ideal synchronisation and unlimited memory on
//     both, against step 4;
//  6. cfg's synchronisation (lock-step for the presets), unlimited memory;
//  7. operand interfaces: cfg's and the baseline's wires, unlimited
//     buffers and off-chip bandwidth;
//  8. buffers and DRAM stalls: the full memory system; the running value
//     is now the simulated speedup (a Total step);
//  9. finer synchronisation (opt.FinerSync, opt.QueueDepth);
//  10. iso-area instead of iso-wires: the step-9 design resized by
//     IsoArea to the target's compute area.
//
// The factors multiply exactly into each running speedup.
func Attribute(ctx context.Context, layers []LayerData, cfg Config, opt GapOptions) ([]GapStep, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Model != Laconic {
		return nil, fmt.Errorf("arch: Attribute %s: model %q, want laconic", cfg.Name, cfg.Model)
	}
	if len(layers) == 0 {
		return nil, fmt.Errorf("arch: Attribute %s: no layers", cfg.Name)
	}
	all, bi, err := resolveConfigs([]Config{cfg}, opt.Sweep.Baselines)
	if err != nil {
		return nil, err
	}
	base := all[bi[0]]
	if opt.Iso.Target == "" {
		opt.Iso = DefaultIso()
		opt.Iso.Target = base.Name
	}
	variant := func(c Config, name string, edit func(*Config)) Config {
		c.Name, c.Baseline = c.Name+" ["+name+"]", ""
		edit(&c)
		return c
	}
	unl := func(c *Config) { c.Memory = Memory{} }
	wires := func(c *Config) {
		c.Memory = Memory{WeightWires: c.Memory.WeightWires, ActWires: c.Memory.ActWires}
	}
	fine := variant(cfg, "finer", func(c *Config) { c.Sync, c.QueueDepth = opt.FinerSync, opt.QueueDepth })
	if err := fine.Validate(); err != nil {
		return nil, err
	}
	iso, err := IsoArea([]Config{fine}, opt.Iso, opt.Sweep.Area, opt.Sweep.Structure)
	if err != nil {
		return nil, err
	}
	cfgs := []Config{
		variant(cfg, "z0", func(c *Config) { unl(c); c.Sync, c.ZeroCost = SyncIdeal, 0 }),
		variant(cfg, "ideal", func(c *Config) { unl(c); c.Sync = SyncIdeal }),
		variant(cfg, "sync", unl),
		variant(cfg, "wires", wires),
		variant(cfg, "full", func(*Config) {}),
		fine,
		iso[0],
		variant(base, "base unlimited", unl),
		variant(base, "base wires", wires),
		variant(base, "base full", func(*Config) {}),
	}
	cfgs[6].Baseline = ""
	rows, err := Sweep(ctx, layers, cfgs, opt.Sweep)
	if err != nil {
		return nil, err
	}
	tot := Totals(rows)
	var p2 float64
	for _, r := range rows[:len(layers)] {
		p2 += float64(r.MACs) * float64(r.Bits) * float64(r.Bits)
	}
	cyc := func(i int) float64 { return float64(tot[i].Cycles) }
	s0 := p2 / float64(tot[0].Work)
	s1 := p2 / float64(tot[1].Work)
	geom := float64(cfg.Columns*cfg.Rows*cfg.Lanes) / float64(base.Columns*base.Rows*base.Lanes) / float64(tot[0].Bits*tot[0].Bits)
	values := []struct {
		step  string
		v     float64
		total bool
	}{
		{"Laconic potential (zero-term products free)", s0, true},
		{"precision profile (the codes' own width)", s0, false},
		{fmt.Sprintf("zero-cost convention (zero product = %d cycle)", cfg.ZeroCost), s1, false},
		{"lanes and geometry (lane ratio / P^2)", s1 * geom, false},
		{"lane utilisation (ideal schedule, unlimited memory)", cyc(7) / cyc(1), false},
		{fmt.Sprintf("%s synchronisation", cfg.Sync), cyc(7) / cyc(2), false},
		{"operand interfaces (wires)", cyc(8) / cyc(3), false},
		{"buffers and DRAM stalls", cyc(9) / cyc(4), false},
		{"simulated " + cfg.Name, cyc(9) / cyc(4), true},
		{fmt.Sprintf("finer synchronisation (%s, queues of %d)", opt.FinerSync, opt.QueueDepth), cyc(9) / cyc(5), false},
		{"iso-area instead of iso-wires (" + opt.Iso.String() + ")", cyc(9) / cyc(6), false},
	}
	model := layers[0].Model
	var out []GapStep
	prev := 0.0
	for _, v := range values {
		f := 1.0
		if !v.total && prev > 0 {
			f = v.v / prev
		}
		out = append(out, GapStep{Model: model, Config: cfg.Name, Step: v.step, Factor: f, Speedup: v.v, Total: v.total})
		prev = v.v
	}
	return out, nil
}
