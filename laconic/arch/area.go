package arch

import (
	"fmt"

	"github.com/laconiclab/toolkit/laconic/arch/area"
)

// Area is the silicon area of one configuration, composed by AreaOf.
type Area struct {
	// ComputeUM2 is the area of the PE grid, input queues included;
	// QueueUM2 the part of it taken by the input queues of finer
	// synchronisation; BufferUM2 the on-chip weight and activation
	// buffers (unlimited buffers are not costed); TotalUM2 their sum.
	ComputeUM2 float64 `json:"compute_um2"`
	QueueUM2   float64 `json:"queue_um2"`
	BufferUM2  float64 `json:"buffer_um2"`
	TotalUM2   float64 `json:"total_um2"`
	// PE is the breakdown of one processing element, PEs their number;
	// Queues and Buffers the breakdowns of the rest.
	PE      area.Breakdown `json:"pe"`
	PEs     int            `json:"pes"`
	Queues  area.Breakdown `json:"queues,omitempty"`
	Buffers area.Breakdown `json:"buffers,omitempty"`
}

// MM2 converts square micrometres to square millimetres.
func MM2(um2 float64) float64 { return um2 / 1e6 }

// AreaOf composes the area of cfg for p-bit operands (16 or 8) from the
// primitive table t (nil: area.Default()) and the structure s (nil:
// area.DefaultStructure()):
//
//   - a grid of Columns x Rows PEs (one window x one filter each) of Lanes
//     lanes: area.Structure's BitParallelPE, LaconicPE, StripesPE or
//     PragmaticPE by cfg.Model;
//   - input queues of QueueDepth entries for the decoupled
//     synchronisation modes, made of registers: SyncColumn one queue per
//     column holding a step's Rows x Lanes weight units and Lanes
//     activation units, SyncLPE one per PE holding Lanes of each (a unit is
//     what the interface carries indivisibly: a P-bit value, a term of
//     1+log2 P bits or a serial bit); lock-step and ideal have none (ideal
//     is a bound, not a design);
//   - the weight and activation buffers at the table's SRAM area per bit.
func AreaOf(cfg Config, p int, t *area.Table, s *area.Structure) (Area, error) {
	if err := cfg.Validate(); err != nil {
		return Area{}, err
	}
	if t == nil {
		t = area.Default()
	}
	st := area.DefaultStructure()
	if s != nil {
		st = *s
	}
	if err := st.Validate(); err != nil {
		return Area{}, err
	}
	pe := area.PE{P: p, Lanes: cfg.Lanes}
	var b area.Breakdown
	var err error
	switch cfg.Model {
	case BitParallel:
		b, err = st.BitParallelPE(t, pe)
	case Laconic:
		b, err = st.LaconicPE(t, pe)
	case Stripes:
		b, err = st.StripesPE(t, pe)
	case Pragmatic:
		b, err = st.PragmaticPE(t, pe)
	default:
		err = fmt.Errorf("arch: AreaOf %s: no area model for %q", cfg.Name, cfg.Model)
	}
	if err != nil {
		return Area{}, fmt.Errorf("arch: AreaOf %s: %w", cfg.Name, err)
	}
	a := Area{PE: b, PEs: cfg.Columns * cfg.Rows}
	wu, au := cfg.unitBits(p)
	switch cfg.Sync {
	case SyncColumn:
		a.Queues = area.Queue(t, cfg.Columns, cfg.QueueDepth, cfg.Rows*cfg.Lanes*wu+cfg.Lanes*au)
	case SyncLPE:
		a.Queues = area.Queue(t, a.PEs, cfg.QueueDepth, cfg.Lanes*(wu+au))
	}
	a.Buffers = append(area.Buffer(t, "weight buffer bit", cfg.Memory.WeightBufferBytes),
		area.Buffer(t, "activation buffer bit", cfg.Memory.ActBufferBytes)...)
	a.QueueUM2 = a.Queues.TotalUM2()
	a.ComputeUM2 = float64(a.PEs)*b.TotalUM2() + a.QueueUM2
	a.BufferUM2 = a.Buffers.TotalUM2()
	a.TotalUM2 = a.ComputeUM2 + a.BufferUM2
	return a, nil
}

// areaCache computes each (configuration, operand width) area once.
type areaCache struct {
	t    *area.Table
	s    *area.Structure
	memo map[string]Area
}

func newAreaCache(t *area.Table, s *area.Structure) *areaCache {
	return &areaCache{t: t, s: s, memo: map[string]Area{}}
}

func (c *areaCache) of(cfg Config, p int) (Area, error) {
	key := fmt.Sprintf("%d %s", p, cfg.JSON())
	if a, ok := c.memo[key]; ok {
		return a, nil
	}
	a, err := AreaOf(cfg, p, c.t, c.s)
	if err != nil {
		return Area{}, err
	}
	c.memo[key] = a
	return a, nil
}

// setArea fills the area, image and clock columns of a row made by
// makeRow and recomputes the derived columns.
func (r *Row) setArea(c *areaCache, cfg, bcfg Config, res, base LayerResult, images int64, clockGHz float64) error {
	a, err := c.of(cfg, res.Bits)
	if err != nil {
		return err
	}
	ba, err := c.of(bcfg, base.Bits)
	if err != nil {
		return err
	}
	r.AreaMM2, r.AreaComputeMM2, r.AreaBufferMM2 = MM2(a.TotalUM2), MM2(a.ComputeUM2), MM2(a.BufferUM2)
	r.BaselineAreaMM2 = MM2(ba.TotalUM2)
	r.Images, r.Batch, r.ClockGHz = images, int(images), clockGHz
	r.ratios()
	return nil
}

// derived recomputes the per-inference and per-area columns from the
// row's cycles, energy, images, clock and area (0 where undefined).
func (r *Row) derived() {
	r.InferencesPerSecondPerMM2, r.EnergyPerInferenceUJ, r.EDPUJMS = 0, 0, 0
	if r.Images <= 0 || r.ClockGHz <= 0 {
		return
	}
	n := float64(r.Images)
	seconds := float64(r.Cycles) / (r.ClockGHz * 1e9)
	r.EnergyPerInferenceUJ = r.EnergyPJ / n / 1e6
	r.EDPUJMS = r.EnergyPerInferenceUJ * seconds / n * 1e3
	if seconds > 0 && r.AreaMM2 > 0 {
		r.InferencesPerSecondPerMM2 = n / seconds / r.AreaMM2
	}
}
