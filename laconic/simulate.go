package laconic

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/laconiclab/toolkit/laconic/arch"
	"github.com/laconiclab/toolkit/laconic/arch/energy"
	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/nn/dnnsim"
	"github.com/laconiclab/toolkit/laconic/quant"
	"github.com/laconiclab/toolkit/laconic/table"
)

// SimulateOptions configures SimulateWith and SimulateTracesWith.
type SimulateOptions struct {
	// Quant is the quantization of both operands: fixed16, affine8, raw or
	// dnnsim (see the Quant constants). Empty means fixed16 for models and
	// dnnsim for trace folders.
	Quant string `json:"quant"`
	// Batch is the number of images per forward pass (0: all at once).
	// Each batch is simulated as a layer with that many samples; rows are
	// summed over batches.
	Batch int `json:"batch"`
	// Workers is the number of simulation goroutines (0: all cores).
	Workers int `json:"workers"`
	// Energy prices the activity (nil: the embedded Horowitz table).
	Energy *energy.Table `json:"-"`
	// Baselines are extra configurations that a Config.Baseline may name.
	Baselines []arch.Config `json:"-"`
	// Allocator builds the tables (memory.DefaultAllocator when nil).
	Allocator memory.Allocator `json:"-"`
	// Progress, when set, is called after each layer is quantized.
	Progress func(Progress) `json:"-"`
}

// SimulateResult is the simulation of one network on several accelerator
// configurations. Release frees the tables.
type SimulateResult struct {
	Model string
	// Rows has one row per (configuration, layer), summed over batches;
	// Totals one per configuration (arch.Totals).
	Rows, Totals []arch.Row
	// Layers and TotalsTable are Rows and Totals as Arrow tables with the
	// provenance in their schema metadata.
	Layers, TotalsTable arrow.RecordBatch
}

// Release releases the tables.
func (r *SimulateResult) Release() {
	if r == nil {
		return
	}
	for _, t := range []*arrow.RecordBatch{&r.Layers, &r.TotalsTable} {
		if *t != nil {
			(*t).Release()
			*t = nil
		}
	}
}

// ResolveArchs turns preset names (case-insensitive, see arch.Presets) and
// paths of JSON configuration files (ending in .json, see
// arch.LoadConfigs) into configurations, in order. Comma-separated lists
// are split.
func ResolveArchs(names []string) ([]arch.Config, error) {
	var out []arch.Config
	for _, item := range names {
		for _, n := range strings.Split(item, ",") {
			n = strings.TrimSpace(n)
			switch {
			case n == "":
			case strings.HasSuffix(strings.ToLower(n), ".json"):
				cs, err := arch.LoadConfigs(n)
				if err != nil {
					return nil, err
				}
				out = append(out, cs...)
			default:
				c, err := arch.Preset(n)
				if err != nil {
					return nil, fmt.Errorf("laconic: %w (or give a .json configuration file)", err)
				}
				out = append(out, c)
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("laconic: no accelerator configuration given (presets: %s)", strings.Join(arch.PresetNames(), ", "))
	}
	return out, nil
}

// Simulate runs model (a zoo name, fetched if needed, or a *Model) on
// images and simulates every compute layer on the named presets (or .json
// configuration files) with the default options: profiled 16-bit fixed
// point, all images in one batch, all cores, the Horowitz energy table.
func Simulate(ctx context.Context, model any, images []string, presets []string) (*SimulateResult, error) {
	cfgs, err := ResolveArchs(presets)
	if err != nil {
		return nil, err
	}
	return SimulateWith(ctx, model, images, cfgs, SimulateOptions{})
}

// SimulateTraces simulates network net of a DNNsim trace folder dir
// (models/<net>/trace_params.csv, optional precision.txt,
// net_traces/<net>/*.npy; net may be empty when dir holds one network) on
// the named presets, with DNNsim's fixed point and every batch file.
func SimulateTraces(ctx context.Context, dir, net string, presets []string) (*SimulateResult, error) {
	cfgs, err := ResolveArchs(presets)
	if err != nil {
		return nil, err
	}
	return SimulateTracesWith(ctx, dir, net, cfgs, SimulateOptions{})
}

func (o SimulateOptions) check(defaultQuant string) (SimulateOptions, error) {
	if o.Quant == "" {
		o.Quant = defaultQuant
	}
	if !slices.Contains(Quants(), o.Quant) {
		return o, fmt.Errorf("laconic: simulate options: quant = %q, want one of %s", o.Quant, strings.Join(Quants(), ", "))
	}
	if o.Batch < 0 {
		return o, fmt.Errorf("laconic: simulate options: batch = %d, want >= 0 (0: all images at once)", o.Batch)
	}
	if o.Workers < 0 {
		return o, fmt.Errorf("laconic: simulate options: workers = %d, want >= 0 (0: all cores)", o.Workers)
	}
	if o.Energy == nil {
		o.Energy = energy.Default()
	}
	if o.Allocator == nil {
		o.Allocator = memory.DefaultAllocator
	}
	return o, nil
}

// simQuantize quantizes one operand as opts.Quant says (prec gives the
// dnnsim formats).
func simQuantize(q string, t *nn.Tensor, activation bool, prec dnnsim.LayerPrecision) (*quant.Tensor, error) {
	switch q {
	case QuantFixed16:
		return quant.Fixed16Profiled(t)
	case QuantAffine8:
		return quant.Affine8(t)
	case QuantRaw:
		if activation {
			return quant.Affine8(t)
		}
		return quant.RawCodes(t)
	case QuantDNNsim:
		if activation {
			return dnnsimFixed(t, prec.ActMag, prec.ActFrac)
		}
		return dnnsimFixed(t, prec.WgtMag, prec.WgtFrac)
	}
	return nil, fmt.Errorf("unknown quantization %q", q)
}

// batchSim quantizes the samples of one batch and sweeps them.
type batchSim struct {
	model string
	cfgs  []arch.Config
	opts  SimulateOptions
	rows  []arch.Row
	data  []arch.LayerData
	wgts  map[string]*quant.Tensor // quantized weights kept across batches
	done  int
	total int
}

func (b *batchSim) add(s nn.Sample, prec dnnsim.LayerPrecision) error {
	name := s.Layer.Name
	a, err := simQuantize(b.opts.Quant, s.Input, true, prec)
	if err != nil {
		return fmt.Errorf("laconic: layer %q: activations: %w", name, err)
	}
	w := b.wgts[name]
	if w == nil {
		if w, err = simQuantize(b.opts.Quant, s.Weights, false, prec); err != nil {
			return fmt.Errorf("laconic: layer %q: weights: %w", name, err)
		}
		b.wgts[name] = w
	}
	b.data = append(b.data, arch.LayerData{Model: b.model, Layer: s.Layer, Acts: a, Wgts: w})
	b.done++
	if b.opts.Progress != nil {
		b.opts.Progress(Progress{Layer: name, Done: b.done, Total: b.total})
	}
	return nil
}

// flush simulates the batch collected so far and adds its rows.
func (b *batchSim) flush(ctx context.Context) error {
	if len(b.data) == 0 {
		return nil
	}
	rows, err := arch.Sweep(ctx, b.data, b.cfgs, arch.SweepOptions{Workers: b.opts.Workers, Energy: b.opts.Energy, Baselines: b.opts.Baselines})
	b.data = nil
	if err != nil {
		return err
	}
	if b.rows == nil {
		b.rows = rows
		return nil
	}
	return arch.AddRows(b.rows, rows)
}

func (b *batchSim) finish(prov table.Provenance) (res *SimulateResult, err error) {
	if len(b.rows) == 0 {
		return nil, fmt.Errorf("laconic: model %q has no compute layer to simulate", b.model)
	}
	res = &SimulateResult{Model: b.model, Rows: b.rows, Totals: arch.Totals(b.rows)}
	defer func() {
		if err != nil {
			res.Release()
			res = nil
		}
	}()
	if prov.Extra == nil {
		prov.Extra = map[string]string{}
	}
	prov.Config = arch.ConfigsJSON(b.cfgs)
	prov.Extra["laconic.energy_table"] = b.opts.Energy.Origin
	if res.Layers, err = arch.Table(b.opts.Allocator, res.Rows, prov); err != nil {
		return res, err
	}
	if res.TotalsTable, err = arch.Table(b.opts.Allocator, res.Totals, prov); err != nil {
		return res, err
	}
	return res, nil
}

func encodingsOf(cfgs []arch.Config) (enc, zero string) {
	var es, zs []string
	for _, c := range cfgs {
		e := string(c.Encoding)
		if e == "" {
			e = "-"
		}
		es = append(es, c.Name+":"+e)
		zs = append(zs, c.Name+":"+strconv.Itoa(c.ZeroCost))
	}
	return strings.Join(es, ","), strings.Join(zs, ",")
}

// SimulateWith is Simulate with explicit configurations and options.
func SimulateWith(ctx context.Context, model any, images []string, cfgs []arch.Config, opts SimulateOptions) (*SimulateResult, error) {
	opts, err := opts.check(QuantFixed16)
	if err != nil {
		return nil, err
	}
	if len(cfgs) == 0 {
		return nil, errors.New("laconic: Simulate: no accelerator configuration")
	}
	m, err := resolveModel(ctx, model, "Simulate")
	if err != nil {
		return nil, err
	}
	if err := needImages("Simulate", images); err != nil {
		return nil, err
	}
	batch := opts.Batch
	if batch == 0 {
		batch = len(images)
	}
	name := m.name()
	batches := (len(images) + batch - 1) / batch
	nLayers := len(m.Graph.ComputeNodes())
	b := &batchSim{model: name, cfgs: cfgs, opts: opts, wgts: map[string]*quant.Tensor{}, total: nLayers * batches}
	err = m.Samples(ctx, images, batch, func(s nn.Sample) error {
		if err := b.add(s, dnnsim.DefaultLayerPrecision()); err != nil {
			return err
		}
		if len(b.data) == nLayers {
			return b.flush(ctx)
		}
		return nil
	})
	if err == nil {
		err = b.flush(ctx)
	}
	if err != nil {
		return nil, err
	}
	enc, zero := encodingsOf(cfgs)
	return b.finish(table.Provenance{Model: name, ModelSHA256: m.Info.TarballSHA256, Quant: quantLabel(opts.Quant),
		Encoding: enc, ZeroCost: zero,
		Extra: map[string]string{"laconic.images": strings.Join(baseNames(images), ","), "laconic.batch": strconv.Itoa(batch)}})
}

// SimulateTracesWith is SimulateTraces with explicit configurations and
// options.
func SimulateTracesWith(ctx context.Context, dir, net string, cfgs []arch.Config, opts SimulateOptions) (*SimulateResult, error) {
	opts, err := opts.check(QuantDNNsim)
	if err != nil {
		return nil, err
	}
	if len(cfgs) == 0 {
		return nil, errors.New("laconic: SimulateTraces: no accelerator configuration")
	}
	n, err := dnnsim.Open(dir, net)
	if err != nil {
		return nil, err
	}
	b := &batchSim{model: n.Name, cfgs: cfgs, opts: opts, wgts: map[string]*quant.Tensor{}, total: len(n.Layers) * n.Batches}
	for bi := 0; bi < n.Batches; bi++ {
		for i, info := range n.Layers {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			s, err := n.Sample(i, bi)
			if err != nil {
				return nil, err
			}
			if err := b.add(s, info.Precision); err != nil {
				return nil, err
			}
		}
		if err := b.flush(ctx); err != nil {
			return nil, err
		}
	}
	enc, zero := encodingsOf(cfgs)
	return b.finish(table.Provenance{Model: n.Name, Quant: quantLabel(opts.Quant), Encoding: enc, ZeroCost: zero,
		Extra: map[string]string{"laconic.traces": dir, "laconic.batches": strconv.Itoa(n.Batches),
			"laconic.precision_txt": strconv.FormatBool(n.HasPrecision)}})
}
