package arch

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/laconiclab/toolkit/laconic/arch/area"
)

// ErrIso is wrapped by every error of an iso-cost sizing: a malformed
// specification or a target no configuration can reach.
var ErrIso = errors.New("arch: iso")

// Iso kinds: what IsoArea and IsoPower hold equal.
const (
	// IsoAreaKind matches the compute area (PEs and input queues,
	// AreaOf's ComputeUM2) of the target.
	IsoAreaKind = "area"
	// IsoPowerKind matches the average power of the target at the same
	// clock: total energy over total cycles on the simulated layers.
	IsoPowerKind = "power"
)

// Iso dimensions: the geometry field that iso sizing changes.
const (
	// IsoColumns changes the number of windows processed together; the
	// activation interface scales with it (same wires per column), the
	// weight interface stays.
	IsoColumns = "columns"
	// IsoRows changes the number of filters; the weight interface scales
	// with it (same wires per filter), the activation interface stays.
	IsoRows = "rows"
	// IsoAuto changes the columns and, when even one column exceeds the
	// target, sets one column and changes the rows.
	IsoAuto = "auto"
)

// Iso describes an iso-cost comparison: each configuration is resized
// along Dimension to the largest size whose cost (Kind) does not exceed
// that of the configuration named Target, at operand width Bits.
type Iso struct {
	Kind      string `json:"kind"`
	Target    string `json:"target"`
	Dimension string `json:"dimension"`
	Bits      int    `json:"bits"`
}

// DefaultIso returns the iso-area comparison with BASE-2K: columns
// resized (then rows, IsoAuto), 16-bit operands.
func DefaultIso() Iso {
	return Iso{Kind: IsoAreaKind, Target: PresetBase2K, Dimension: IsoAuto, Bits: 16}
}

// Validate checks the fields and names the first one at fault.
func (is Iso) Validate() error {
	switch is.Kind {
	case IsoAreaKind, IsoPowerKind:
	default:
		return fmt.Errorf("%w: kind %q, want area or power", ErrIso, is.Kind)
	}
	if strings.TrimSpace(is.Target) == "" {
		return fmt.Errorf("%w: no target configuration (e.g. area:BASE-2K)", ErrIso)
	}
	switch is.Dimension {
	case IsoColumns, IsoRows, IsoAuto:
	default:
		return fmt.Errorf("%w: dimension %q, want columns, rows or auto", ErrIso, is.Dimension)
	}
	if is.Bits != 8 && is.Bits != 16 {
		return fmt.Errorf("%w: bits %d, want 8 or 16", ErrIso, is.Bits)
	}
	return nil
}

// String returns the specification in ParseIso's form.
func (is Iso) String() string {
	return fmt.Sprintf("%s:%s:%s", is.Kind, is.Target, is.Dimension)
}

// ParseIso reads "KIND:TARGET[:DIMENSION]", e.g. "area:BASE-2K" or
// "power:BASE-2K:rows"; the dimension defaults to auto and the operand
// width to 16 bits.
func ParseIso(spec string) (Iso, error) {
	parts := strings.Split(strings.TrimSpace(spec), ":")
	is := DefaultIso()
	if len(parts) < 2 || len(parts) > 3 {
		return Iso{}, fmt.Errorf("%w: %q: want KIND:TARGET[:DIMENSION], e.g. area:BASE-2K or power:BASE-2K:rows", ErrIso, spec)
	}
	is.Kind, is.Target = strings.ToLower(strings.TrimSpace(parts[0])), strings.TrimSpace(parts[1])
	if len(parts) == 3 {
		is.Dimension = strings.ToLower(strings.TrimSpace(parts[2]))
	}
	if err := is.Validate(); err != nil {
		return Iso{}, fmt.Errorf("%w (in %q)", err, spec)
	}
	return is, nil
}

// resize returns c with the iso dimension set to n and the matching
// interface scaled in proportion (rounded up to at least one unit).
func (is Iso) resize(c Config, n int) (Config, error) {
	out := c
	scale := func(wires, from int, unit int) int {
		if wires == 0 {
			return 0
		}
		w := int(math.Ceil(float64(wires) * float64(n) / float64(from)))
		return max(w, unit)
	}
	wu, au := c.unitBits(16)
	switch is.Dimension {
	case IsoColumns:
		out.Columns = n
		out.Memory.ActWires = scale(c.Memory.ActWires, c.Columns, au)
	default:
		out.Rows = n
		out.Memory.WeightWires = scale(c.Memory.WeightWires, c.Rows, wu)
	}
	return out, out.Validate()
}

// maxSize is the largest value of the iso dimension Validate accepts.
func (is Iso) maxSize(c Config) int {
	other := c.Rows
	if is.Dimension == IsoRows {
		other = c.Columns
	}
	return min(maxWidth, (1<<24)/(other*c.Lanes))
}

// size finds the largest n in 1..maxSize with cost(n) <= target, cost
// being non-decreasing in n; IsoAuto tries the columns, then one column
// and the rows.
func (is Iso) size(c Config, target float64, unit string, cost func(Config) (float64, error)) (Config, error) {
	if is.Dimension != IsoAuto {
		return is.size1(c, target, unit, cost)
	}
	cols := is
	cols.Dimension = IsoColumns
	out, err := cols.size1(c, target, unit, cost)
	if err == nil || !errors.Is(err, errTooBig) {
		return out, err
	}
	one, err := cols.resize(c, 1)
	if err != nil {
		return Config{}, err
	}
	rows := is
	rows.Dimension = IsoRows
	return rows.size1(one, target, unit, cost)
}

// errTooBig marks a configuration whose smallest size exceeds the target.
var errTooBig = errors.New("smallest size exceeds the target")

func (is Iso) size1(c Config, target float64, unit string, cost func(Config) (float64, error)) (Config, error) {
	lo, hi := 1, is.maxSize(c)
	try := func(n int) (Config, float64, error) {
		rc, err := is.resize(c, n)
		if err != nil {
			return rc, 0, err
		}
		v, err := cost(rc)
		return rc, v, err
	}
	best, v, err := try(lo)
	if err != nil {
		return Config{}, err
	}
	if v > target {
		return Config{}, fmt.Errorf("%w %s: %s cannot match %s: with %s = 1 it already needs %.4g %s, more than the target's %.4g %s (%w)",
			ErrIso, is, c.Name, is.Target, is.Dimension, v, unit, target, unit, errTooBig)
	}
	top, vt, err := try(hi)
	if err != nil {
		return Config{}, err
	}
	if vt <= target {
		if vt < target*(1-1e-9) {
			return Config{}, fmt.Errorf("%w %s: %s cannot match %s: with %s = %d (the most a configuration allows) it needs %.4g %s, less than the target's %.4g %s",
				ErrIso, is, c.Name, is.Target, is.Dimension, hi, vt, unit, target, unit)
		}
		best, lo = top, hi
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		rc, v, err := try(mid)
		if err != nil {
			return Config{}, err
		}
		if v <= target {
			best, lo = rc, mid
		} else {
			hi = mid
		}
	}
	return best, nil
}

func (is Iso) rename(c, orig Config, target Config) Config {
	c.Name = orig.Name + " iso-" + is.Kind + ":" + target.Name
	c.Description = fmt.Sprintf("%s; resized to %d columns x %d rows for the %s of %s", orig.Description, c.Columns, c.Rows, is.Kind, target.Name)
	return c
}

// IsoArea resizes each configuration along is.Dimension to the largest
// size whose compute area (AreaOf's ComputeUM2: PEs and input queues, at
// is.Bits operands, table t and structure s, nil for the defaults) does
// not exceed the target's. The target itself, when listed, stays as it
// is. Targets are resolved among cfgs and the
// presets. The results are named "<name> iso-area:<target>" and keep
// their baseline. A configuration that cannot match (its smallest size
// is larger than the target, or its largest smaller) is an error wrapping
// ErrIso.
func IsoArea(cfgs []Config, is Iso, t *area.Table, s *area.Structure) ([]Config, error) {
	if err := is.Validate(); err != nil {
		return nil, err
	}
	if is.Kind != IsoAreaKind {
		return nil, fmt.Errorf("%w: IsoArea got kind %q (IsoPower sizes for power)", ErrIso, is.Kind)
	}
	target, err := isoTarget(cfgs, is)
	if err != nil {
		return nil, err
	}
	ta, err := AreaOf(target, is.Bits, t, s)
	if err != nil {
		return nil, err
	}
	cost := func(c Config) (float64, error) {
		a, err := AreaOf(c, is.Bits, t, s)
		return MM2(a.ComputeUM2), err
	}
	out := make([]Config, len(cfgs))
	for i, c := range cfgs {
		if err := c.Validate(); err != nil {
			return nil, err
		}
		if strings.EqualFold(c.Name, target.Name) {
			out[i] = c // the target itself stays as it is
			continue
		}
		sized, err := is.size(c, MM2(ta.ComputeUM2), "mm2 of compute", cost)
		if err != nil {
			return nil, err
		}
		out[i] = is.rename(sized, c, target)
	}
	return out, nil
}

// IsoPower resizes each configuration along is.Dimension to the largest
// size whose average power on the layers (total energy / total cycles, at
// the same clock) does not exceed the target's, by bisection (power is
// taken as non-decreasing in the size). opt prices the energy as Sweep
// does. Errors as IsoArea.
func IsoPower(ctx context.Context, layers []LayerData, cfgs []Config, is Iso, opt SweepOptions) ([]Config, error) {
	if err := is.Validate(); err != nil {
		return nil, err
	}
	if is.Kind != IsoPowerKind {
		return nil, fmt.Errorf("%w: IsoPower got kind %q (IsoArea sizes for area)", ErrIso, is.Kind)
	}
	if len(layers) == 0 {
		return nil, fmt.Errorf("%w %s: no layers to measure power on", ErrIso, is)
	}
	target, err := isoTarget(cfgs, is)
	if err != nil {
		return nil, err
	}
	power := func(c Config) (float64, error) {
		c.Baseline = "" // compared with itself: no baseline simulation
		rows, err := Sweep(ctx, layers, []Config{c}, opt)
		if err != nil {
			return 0, err
		}
		tot := Totals(rows)[0]
		if tot.Cycles == 0 {
			return 0, nil
		}
		return tot.EnergyPJ / float64(tot.Cycles), nil // pJ per cycle = mW at 1 GHz
	}
	tp, err := power(target)
	if err != nil {
		return nil, err
	}
	out := make([]Config, len(cfgs))
	for i, c := range cfgs {
		if err := c.Validate(); err != nil {
			return nil, err
		}
		if strings.EqualFold(c.Name, target.Name) {
			out[i] = c
			continue
		}
		sized, err := is.size(c, tp, "pJ per cycle", power)
		if err != nil {
			return nil, err
		}
		out[i] = is.rename(sized, c, target)
	}
	return out, nil
}

func isoTarget(cfgs []Config, is Iso) (Config, error) {
	for _, c := range cfgs {
		if strings.EqualFold(c.Name, is.Target) {
			return c, nil
		}
	}
	c, err := Preset(is.Target)
	if err != nil {
		return Config{}, fmt.Errorf("%w %s: target: %v", ErrIso, is, err)
	}
	return c, nil
}
