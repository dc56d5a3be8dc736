package arch

import (
	"fmt"
	"sort"

	"github.com/laconiclab/toolkit/laconic/arch/energy"
	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/quant"
)

// Arch is one accelerator configuration that can simulate layers.
type Arch interface {
	// Name is the configuration's name (Config.Name).
	Name() string
	// Model is the accelerator model.
	Model() Model
	// Description is a one-line summary.
	Description() string
	// Config returns a copy of the parameters.
	Config() Config
	// Simulate runs one compute layer on quantized input activations and
	// weights (codes in the layer's NCHW / OIHW order) and returns its
	// cycles and activity counts. Invalid shapes or codes return an error
	// naming the layer.
	Simulate(layer nn.Layer, acts, wgts *quant.Tensor) (LayerResult, error)
}

// Activity counts the events a layer's execution causes; Energy prices them.
type Activity struct {
	// Products is the number of (activation, weight) products the loop nest
	// visits, including the zero products a first-layer fold adds.
	Products int64 `json:"products"`
	// MACs is the number of bit-parallel multiply-accumulates (bitparallel).
	MACs int64 `json:"macs"`
	// TermPairs is the number of effectual (activation term, weight term)
	// pairs (laconic), or of activation terms/bits times weights processed
	// (pragmatic, stripes).
	TermPairs int64 `json:"term_pairs"`
	// Work is the sum over products of their cost in lane cycles, zero
	// products included at Config.ZeroCost.
	Work int64 `json:"work"`
	// PECycles sums, over processing elements, the cycles in which they
	// compute (serial models); waiting for operands or other units is free.
	PECycles int64 `json:"pe_cycles"`
	// Buffer and DRAM traffic in bits.
	WeightBufferReadBits  int64 `json:"weight_buffer_read_bits"`
	WeightBufferWriteBits int64 `json:"weight_buffer_write_bits"`
	ActBufferReadBits     int64 `json:"act_buffer_read_bits"`
	ActBufferWriteBits    int64 `json:"act_buffer_write_bits"`
	DRAMReadBits          int64 `json:"dram_read_bits"`
	DRAMWriteBits         int64 `json:"dram_write_bits"`
}

// LayerResult is the simulation of one layer on one configuration.
type LayerResult struct {
	Layer  string       `json:"layer"`
	Kind   nn.LayerKind `json:"kind"`
	Config string       `json:"config"`
	Model  Model        `json:"model"`
	// Bits is the operand precision P (the wider of the two tensors).
	Bits int `json:"bits"`
	// MACs is the layer's multiply count (nn.Layer.MACs).
	MACs int64 `json:"macs"`
	// Steps is the number of loop-nest steps (convolution) or work items
	// (dense).
	Steps int64 `json:"steps"`
	// ComputeCycles is the on-chip time: computation plus operand-transfer
	// stalls, per step.
	ComputeCycles int64 `json:"compute_cycles"`
	// DRAMCycles is the off-chip transfer time of the layer.
	DRAMCycles int64 `json:"dram_cycles"`
	// Cycles = max(ComputeCycles, DRAMCycles): off-chip transfers overlap
	// computation at layer granularity.
	Cycles   int64    `json:"cycles"`
	Activity Activity `json:"activity"`
}

type arch struct{ cfg Config }

func (a *arch) Name() string        { return a.cfg.Name }
func (a *arch) Model() Model        { return a.cfg.Model }
func (a *arch) Description() string { return a.cfg.Description }
func (a *arch) Config() Config      { return a.cfg }

func (a *arch) Simulate(layer nn.Layer, acts, wgts *quant.Tensor) (LayerResult, error) {
	return simulate(a.cfg, layer, acts, wgts)
}

// New returns the accelerator described by cfg, or the validation error.
func New(cfg Config) (Arch, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &arch{cfg: cfg}, nil
}

// ModelInfo describes one accelerator model for listings.
type ModelInfo struct {
	Name        Model    `json:"name"`
	Description string   `json:"description"`
	Parameters  []string `json:"parameters"`
}

// Models lists the accelerator models with the Config fields each one uses
// and a one-line description, sorted by name.
func Models() []ModelInfo {
	common := []string{"columns", "rows", "lanes", "memory.weight_wires", "memory.act_wires",
		"memory.weight_buffer_bytes", "memory.act_buffer_bytes", "memory.offchip_bits_per_cycle", "fold_first_layer"}
	with := func(extra ...string) []string { return append(append([]string(nil), common...), extra...) }
	out := []ModelInfo{
		{BitParallel, "DaDianNao-like tile: columns windows x rows filters x lanes channels of bit-parallel MACs, one step per cycle", with()},
		{Laconic, "grid of Laconic PEs: a product with ta and tw terms takes ta*tw cycles in its lane; synchronisation tile, column, lpe or ideal", with("sync", "queue_depth", "encoding", "zero_cost")},
		{Pragmatic, "activation terms processed serially against bit-parallel weights: a product takes ta cycles", with("sync", "queue_depth", "encoding", "zero_cost")},
		{Stripes, "activations processed bit-serially: a product takes the activation precision in cycles (profiled per layer or dynamic per group)", with("sync", "queue_depth", "precision", "zero_cost")},
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// simulate runs one layer and fills the off-chip model.
func simulate(cfg Config, layer nn.Layer, acts, wgts *quant.Tensor) (LayerResult, error) {
	return newLayerCache(layer, acts, wgts).simulate(cfg)
}

func (lc *layerCache) simulate(cfg Config) (LayerResult, error) {
	pr, err := lc.prepare(cfg)
	if err != nil {
		return LayerResult{}, err
	}
	t := pr.run()
	return pr.result(t), nil
}

// result turns a tally into a LayerResult, adding the off-chip model:
//
//   - weights are read from DRAM once when a filter group's weights fit in
//     the weight buffer (filter groups are the outermost loop), else once per
//     window group; dense layers re-read them for every sample;
//   - input activations are read once when they fit in the activation
//     buffer, else once per filter group;
//   - outputs are written once;
//   - weights are stored in their interface format (terms for laconic, P
//     bits otherwise); activations as P-bit values;
//   - DRAMCycles = ceil(DRAM bits / off-chip bits per cycle).
func (pr *prep) result(t tally) LayerResult {
	cfg, l := pr.cfg, pr.layer
	m := cfg.Memory
	var wTotal, fgMax int64
	for f0 := 0; f0 < len(pr.wFilterSum); f0 += cfg.Rows {
		var s int64
		for _, b := range pr.wFilterSum[f0:min(f0+cfg.Rows, len(pr.wFilterSum))] {
			s += b * pr.kW
		}
		wTotal += s
		fgMax = max(fgMax, s)
	}
	n := int64(l.N)
	wReads := wTotal
	if m.WeightBufferBytes > 0 && wTotal > 8*m.WeightBufferBytes {
		switch {
		case pr.dense || fgMax <= 8*m.WeightBufferBytes:
			wReads = n * wTotal
		default:
			wReads = n * int64(ceilDiv(pr.OH*pr.OW, cfg.Columns)) * wTotal
		}
	}
	aReads := pr.inBits
	if m.ActBufferBytes > 0 && pr.inBits > 8*m.ActBufferBytes {
		aReads = int64(ceilDiv(l.K, cfg.Rows)) * pr.inBits
	}
	dramBits := wReads + aReads + pr.outBits
	r := LayerResult{
		Layer:         l.Name,
		Kind:          l.Kind,
		Config:        cfg.Name,
		Model:         cfg.Model,
		Bits:          pr.p,
		MACs:          l.MACs(),
		Steps:         t.steps,
		ComputeCycles: t.cycles,
		DRAMCycles:    ceilDiv64(dramBits, int64(m.OffChipBitsPerCycle)),
	}
	r.Cycles = max(r.ComputeCycles, r.DRAMCycles)
	a := &r.Activity
	a.Products = t.products
	a.Work = t.pairs + int64(pr.z)*(t.products-t.nzProducts)
	switch cfg.Model {
	case BitParallel:
		a.MACs = t.products
	default:
		a.TermPairs = t.pairs
		a.PECycles = t.peCycles
	}
	a.WeightBufferReadBits = t.wBits
	a.ActBufferReadBits = t.aBits
	a.WeightBufferWriteBits = wReads
	a.ActBufferWriteBits = aReads + pr.outBits
	a.DRAMReadBits = wReads + aReads
	a.DRAMWriteBits = pr.outBits
	return r
}

// Energy is a layer's energy in pJ by component.
type Energy struct {
	ComputePJ      float64 `json:"compute_pj"`
	WeightBufferPJ float64 `json:"weight_buffer_pj"`
	ActBufferPJ    float64 `json:"act_buffer_pj"`
	DRAMPJ         float64 `json:"dram_pj"`
	TotalPJ        float64 `json:"total_pj"`
}

// EnergyOf prices a layer's activity with the table (nil = energy.Default):
//
//   - bitparallel: MACs x MAC;
//   - laconic: TermPairs x TermPair + PECycles x LPECycle;
//   - stripes: PECycles x SIPCycle; pragmatic: PECycles x PIPCycle;
//   - buffers: bits read and written x the per-bit SRAM energy of the
//     buffer's capacity; DRAM: bits x the per-bit DRAM energy.
//
// The event energies and their derivation are in package energy.
func EnergyOf(cfg Config, r LayerResult, t *energy.Table) Energy {
	if t == nil {
		t = energy.Default()
	}
	ev := t.Events(r.Bits, cfg.Lanes)
	a := r.Activity
	var e Energy
	switch cfg.Model {
	case BitParallel:
		e.ComputePJ = float64(a.MACs) * ev.MAC
	case Laconic:
		e.ComputePJ = float64(a.TermPairs)*ev.TermPair + float64(a.PECycles)*ev.LPECycle
	case Stripes:
		e.ComputePJ = float64(a.PECycles) * ev.SIPCycle
	case Pragmatic:
		e.ComputePJ = float64(a.PECycles) * ev.PIPCycle
	}
	e.WeightBufferPJ = float64(a.WeightBufferReadBits+a.WeightBufferWriteBits) * t.SRAMBit(cfg.Memory.WeightBufferBytes)
	e.ActBufferPJ = float64(a.ActBufferReadBits+a.ActBufferWriteBits) * t.SRAMBit(cfg.Memory.ActBufferBytes)
	e.DRAMPJ = float64(a.DRAMReadBits+a.DRAMWriteBits) * t.DRAMBit()
	e.TotalPJ = e.ComputePJ + e.WeightBufferPJ + e.ActBufferPJ + e.DRAMPJ
	return e
}

// Simulate is a convenience for New(cfg) followed by Simulate.
func Simulate(cfg Config, layer nn.Layer, acts, wgts *quant.Tensor) (LayerResult, error) {
	a, err := New(cfg)
	if err != nil {
		return LayerResult{}, err
	}
	return a.Simulate(layer, acts, wgts)
}

func (r LayerResult) String() string {
	return fmt.Sprintf("%s on %s: %d cycles (compute %d, dram %d), %d MACs", r.Layer, r.Config, r.Cycles, r.ComputeCycles, r.DRAMCycles, r.MACs)
}
