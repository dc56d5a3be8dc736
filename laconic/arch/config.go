package arch

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/laconiclab/toolkit/laconic/terms"
)

// ErrConfig is wrapped by every configuration validation error.
var ErrConfig = errors.New("arch: invalid configuration")

// Model names an accelerator model.
type Model string

// Accelerator models.
const (
	// BitParallel is a DaDianNao-like tile: every step multiplies Columns
	// windows x Rows filters x Lanes channels with bit-parallel multipliers
	// in one cycle.
	BitParallel Model = "bitparallel"
	// Laconic is a grid of Laconic PEs (LPEs): a product with ta activation
	// terms and tw weight terms takes ta*tw cycles in its lane.
	Laconic Model = "laconic"
	// Stripes processes activations bit-serially: a product takes as many
	// cycles as the activation precision (per layer or per group).
	Stripes Model = "stripes"
	// Pragmatic processes activations term-serially: a product takes ta
	// cycles; weights are bit-parallel.
	Pragmatic Model = "pragmatic"
)

// Sync is the synchronisation granularity of a serial accelerator.
type Sync string

// Synchronisation granularities.
const (
	// SyncTile: the whole tile advances in lock-step; a step lasts as long
	// as its slowest product (DNNsim's paper-era model).
	SyncTile Sync = "tile"
	// SyncColumn: each column (one window, all its filters) advances on its
	// own, buffering up to QueueDepth steps of broadcast operands.
	SyncColumn Sync = "column"
	// SyncLPE: each PE (one window x one filter) advances on its own with
	// input queues of QueueDepth steps.
	SyncLPE Sync = "lpe"
	// SyncIdeal: no synchronisation loss at all; the layer's work spread
	// evenly over every lane, bounded below by the operand transfers. A
	// lower bound on every other granularity.
	SyncIdeal Sync = "ideal"
)

// Precision selects how Stripes obtains the activation precision.
type Precision string

// Stripes precision modes.
const (
	// PrecisionProfiled: one precision per layer, the bits needed by the
	// layer's largest activation magnitude (plus a sign bit for signed
	// codes, capped at the code width: quant.Precision's convention).
	PrecisionProfiled Precision = "profiled"
	// PrecisionDynamic: each activation needs its own precision (same
	// convention); a step lasts as long as the largest precision among the
	// activations processed together (Dynamic Stripes).
	PrecisionDynamic Precision = "dynamic"
)

// Memory describes the operand interfaces and the memory hierarchy. Zero
// means unlimited for every field (no stall, no re-fetch).
type Memory struct {
	// WeightWires is the width in wires (bits per cycle) of the interface
	// that carries weights from the weight buffer to the tile.
	WeightWires int `json:"weight_wires"`
	// ActWires is the width of the activation interface.
	ActWires int `json:"act_wires"`
	// WeightBufferBytes and ActBufferBytes are the on-chip buffer sizes.
	WeightBufferBytes int64 `json:"weight_buffer_bytes"`
	ActBufferBytes    int64 `json:"act_buffer_bytes"`
	// OffChipBitsPerCycle is the off-chip (DRAM) bandwidth.
	OffChipBitsPerCycle int `json:"offchip_bits_per_cycle"`
}

// Config is the full parameter set of one accelerator configuration. The
// zero value is not valid; start from a preset (Preset, Presets) or
// DefaultConfig and change fields.
type Config struct {
	// Name identifies the configuration in tables (a preset name or a name
	// of the user's choosing).
	Name string `json:"name"`
	// Model is the accelerator model.
	Model Model `json:"model"`
	// Columns is the number of windows (output positions) processed
	// concurrently, Rows the number of filters, Lanes the number of input
	// channels each PE takes per step.
	Columns int `json:"columns"`
	Rows    int `json:"rows"`
	Lanes   int `json:"lanes"`
	// Sync is the synchronisation granularity (laconic, pragmatic,
	// stripes; a bit-parallel step always takes one cycle).
	Sync Sync `json:"sync"`
	// QueueDepth is the number of steps of operands a column or PE can
	// buffer ahead (SyncColumn, SyncLPE); 0 means none.
	QueueDepth int `json:"queue_depth"`
	// Encoding is the term encoding (laconic: both operands; pragmatic:
	// activations).
	Encoding terms.Encoding `json:"encoding,omitempty"`
	// ZeroCost is the cost in cycles of a product with no effectual work
	// (0 or 1). DNNsim charges 1 (its ZERO_COUNT option).
	ZeroCost int `json:"zero_cost"`
	// Precision is the Stripes precision mode.
	Precision Precision `json:"precision,omitempty"`
	// FoldFirstLayer folds a 3-channel layer with stride > 1 into a
	// stride-1 layer with channels x stride^2 channels, as DNNsim does.
	FoldFirstLayer bool `json:"fold_first_layer"`
	// Memory holds interface widths, buffer sizes and off-chip bandwidth.
	Memory Memory `json:"memory"`
	// Baseline names the configuration (a preset) that speedup and energy
	// efficiency are measured against.
	Baseline string `json:"baseline,omitempty"`
	// Description is a one-line summary shown by "laconic archs".
	Description string `json:"description,omitempty"`
}

// JSON returns the configuration as compact JSON (deterministic field order).
func (c Config) JSON() string {
	b, err := json.Marshal(c)
	if err != nil { // plain struct of basic types: cannot fail
		panic(err)
	}
	return string(b)
}

// valid reports whether m names a model.
func (m Model) valid() bool {
	switch m {
	case BitParallel, Laconic, Stripes, Pragmatic:
		return true
	}
	return false
}

// maxWidth bounds geometry fields so products of them cannot overflow.
const maxWidth = 1 << 16

// Validate checks every field and names the first one at fault.
func (c Config) Validate() error {
	bad := func(field, format string, args ...any) error {
		name := c.Name
		if name == "" {
			name = "(unnamed)"
		}
		return fmt.Errorf("%w %s: %s: %s", ErrConfig, name, field, fmt.Sprintf(format, args...))
	}
	if !c.Model.valid() {
		return bad("model", "%q is not a model (want bitparallel, laconic, stripes or pragmatic)", c.Model)
	}
	for _, g := range []struct {
		name string
		v    int
	}{{"columns", c.Columns}, {"rows", c.Rows}, {"lanes", c.Lanes}} {
		if g.v <= 0 || g.v > maxWidth {
			return bad(g.name, "%d, want 1..%d", g.v, maxWidth)
		}
	}
	if int64(c.Columns)*int64(c.Rows)*int64(c.Lanes) > 1<<24 {
		return bad("columns", "columns x rows x lanes = %d lanes is more than 2^24", int64(c.Columns)*int64(c.Rows)*int64(c.Lanes))
	}
	switch c.Sync {
	case SyncTile, SyncColumn, SyncLPE, SyncIdeal:
	default:
		return bad("sync", "%q, want tile, column, lpe or ideal", c.Sync)
	}
	if c.QueueDepth < 0 || c.QueueDepth > 1<<20 {
		return bad("queue_depth", "%d, want 0..%d", c.QueueDepth, 1<<20)
	}
	if c.ZeroCost != 0 && c.ZeroCost != 1 {
		return bad("zero_cost", "%d, want 0 or 1", c.ZeroCost)
	}
	switch c.Model {
	case Laconic, Pragmatic:
		if _, err := terms.ParseEncoding(string(c.Encoding)); err != nil {
			return bad("encoding", "%v", err)
		}
	case Stripes:
		if c.Precision != PrecisionProfiled && c.Precision != PrecisionDynamic {
			return bad("precision", "%q, want profiled or dynamic", c.Precision)
		}
	}
	m := c.Memory
	// The widest unit that must cross an interface in one piece, for the
	// widest operands the toolkit quantizes to (16 bits): a bit-parallel
	// value (16 bits), a term (sign + 4-bit exponent) or a serial bit.
	wMin, aMin := c.unitBits(16)
	if m.WeightWires < 0 || (m.WeightWires > 0 && m.WeightWires < wMin) {
		return bad("memory.weight_wires", "%d wires cannot carry one %d-bit weight unit (want 0 for unlimited or >= %d)", m.WeightWires, wMin, wMin)
	}
	if m.ActWires < 0 || (m.ActWires > 0 && m.ActWires < aMin) {
		return bad("memory.act_wires", "%d wires cannot carry one %d-bit activation unit (want 0 for unlimited or >= %d)", m.ActWires, aMin, aMin)
	}
	if m.WeightBufferBytes < 0 {
		return bad("memory.weight_buffer_bytes", "%d, want >= 0 (0 = unlimited)", m.WeightBufferBytes)
	}
	if m.ActBufferBytes < 0 {
		return bad("memory.act_buffer_bytes", "%d, want >= 0 (0 = unlimited)", m.ActBufferBytes)
	}
	if m.OffChipBitsPerCycle < 0 {
		return bad("memory.offchip_bits_per_cycle", "%d, want >= 0 (0 = unlimited)", m.OffChipBitsPerCycle)
	}
	return nil
}

// termBits returns the wire width of one term for p-bit operands: a sign
// bit and an exponent of ceil(log2 p) bits (16b: 1+4, 8b: 1+3).
func termBits(p int) int {
	e := 0
	for 1<<e < p {
		e++
	}
	return 1 + e
}

// unitBits returns the smallest indivisible transfer on the weight and
// activation interfaces for p-bit operands.
func (c Config) unitBits(p int) (w, a int) {
	switch c.Model {
	case Laconic:
		return termBits(p), termBits(p)
	case Pragmatic:
		return p, termBits(p)
	case Stripes:
		return p, 1
	}
	return p, p
}
