package area

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
)

// ErrStructure is wrapped by every invalid Structure.
var ErrStructure = errors.New("area: invalid structure")

// Structure holds the component counts and gate equivalents that turn the
// primitive areas of a Table into processing elements. None of these is
// published for the simulated designs; each is a named assumption, listed
// with its default in the package documentation.
type Structure struct {
	// XORGates, ANDGates and MuxGates are the areas of a 2-input XOR, a
	// 2-input AND and a 2:1 multiplexer in 2-input gate equivalents.
	XORGates float64 `json:"xor_gates"`
	ANDGates float64 `json:"and_gates"`
	MuxGates float64 `json:"mux_gates"`
	// CounterCellsPerInput is the number of full-adder cells per input of
	// a signed histogram counter (an L-input counter is a compressor of
	// about L full-adder cells).
	CounterCellsPerInput float64 `json:"counter_cells_per_input"`
	// AccumulatorExtraBits widens every accumulator beyond the 2P bits of
	// a product: 2P+AccumulatorExtraBits adder and register bits.
	AccumulatorExtraBits int `json:"accumulator_extra_bits"`
	// HistogramGroups is the number of concatenation groups of a Laconic
	// PE, reduced by an adder tree of HistogramGroups-1 adders of
	// 2P+GroupExtraBits bits (ISCA 2019, 8-bit LPE: 6 groups, a 6-input
	// tree, 22-bit partial sums: 2*8+6).
	HistogramGroups int `json:"histogram_groups"`
	GroupExtraBits  int `json:"group_extra_bits"`
	// OperandRegisters latches each lane's two operands in the PE: a
	// bit-parallel lane 2P bits, a Laconic lane two terms, a Stripes lane
	// a P-bit weight and one activation bit, a Pragmatic lane a P-bit
	// weight and one activation term.
	OperandRegisters bool `json:"operand_registers"`
}

// DefaultStructure returns the default assumptions: XOR 2, AND 1.33 and
// 2:1 mux 2.33 gate equivalents (the ratios of the Nangate 45 nm XOR2_X1,
// AND2_X1 and MUX2_X1 cells to NAND2_X1 as recalled, [U]), one full-adder
// cell per counter input, accumulators 2P+8 bits wide (the energy model's
// width), 6 histogram groups reduced at 2P+6 bits (ISCA 2019 LPE), and
// operand registers in every lane.
func DefaultStructure() Structure {
	return Structure{XORGates: 2, ANDGates: 1.33, MuxGates: 2.33, CounterCellsPerInput: 1,
		AccumulatorExtraBits: 8, HistogramGroups: 6, GroupExtraBits: 6, OperandRegisters: true}
}

// Validate checks every field and names the first one at fault.
func (s Structure) Validate() error {
	for _, f := range []struct {
		name string
		v    float64
	}{{"xor_gates", s.XORGates}, {"and_gates", s.ANDGates}, {"mux_gates", s.MuxGates}, {"counter_cells_per_input", s.CounterCellsPerInput}} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) || f.v < 0 {
			return fmt.Errorf("%w: %s = %v, want a finite number >= 0", ErrStructure, f.name, f.v)
		}
	}
	if s.AccumulatorExtraBits < 0 || s.AccumulatorExtraBits > 64 {
		return fmt.Errorf("%w: accumulator_extra_bits = %d, want 0..64", ErrStructure, s.AccumulatorExtraBits)
	}
	if s.HistogramGroups < 1 || s.HistogramGroups > 64 {
		return fmt.Errorf("%w: histogram_groups = %d, want 1..64", ErrStructure, s.HistogramGroups)
	}
	if s.GroupExtraBits < 0 || s.GroupExtraBits > 64 {
		return fmt.Errorf("%w: group_extra_bits = %d, want 0..64", ErrStructure, s.GroupExtraBits)
	}
	return nil
}

// Component is one kind of part of a design: Count copies of UnitUM2 each.
type Component struct {
	Name    string  `json:"name"`
	Count   float64 `json:"count"`
	UnitUM2 float64 `json:"unit_um2"`
}

// AreaUM2 returns Count x UnitUM2.
func (c Component) AreaUM2() float64 { return c.Count * c.UnitUM2 }

// Breakdown lists the components of a design.
type Breakdown []Component

// TotalUM2 is the sum of the components' areas.
func (b Breakdown) TotalUM2() float64 {
	var s float64
	for _, c := range b {
		s += c.AreaUM2()
	}
	return s
}

// Scale returns a copy with every count multiplied by n (n copies of the
// design).
func (b Breakdown) Scale(n float64) Breakdown {
	out := make(Breakdown, len(b))
	for i, c := range b {
		c.Count *= n
		out[i] = c
	}
	return out
}

// log2 returns ceil(log2 v) for v >= 1.
func log2(v int) int {
	if v <= 1 {
		return 0
	}
	return bits.Len(uint(v - 1))
}

// TermBits returns the width of one term of a p-bit operand: a sign and an
// exponent of ceil(log2 p) bits (16-bit: 5, 8-bit: 4).
func TermBits(p int) int { return 1 + log2(p) }

// PE describes one processing element: one window times one filter, Lanes
// products per step, on P-bit operands.
type PE struct {
	P     int `json:"p"`
	Lanes int `json:"lanes"`
}

func (pe PE) check() error {
	if pe.P < 2 || pe.P > 64 {
		return fmt.Errorf("%w: operand width %d, want 2..64 bits", ErrStructure, pe.P)
	}
	if pe.Lanes < 1 || pe.Lanes > 1<<16 {
		return fmt.Errorf("%w: lanes %d, want 1..65536", ErrStructure, pe.Lanes)
	}
	return nil
}

func (s Structure) accumulator(t *Table, p int) Breakdown {
	w := 2*p + s.AccumulatorExtraBits
	return Breakdown{
		{fmt.Sprintf("accumulator adder (%d b)", w), 1, t.Add(w)},
		{fmt.Sprintf("accumulator register (%d b)", w), float64(w), t.RegisterBit()},
	}
}

func (s Structure) operands(t *Table, lanes, bitsPerLane int) Breakdown {
	if !s.OperandRegisters {
		return nil
	}
	return Breakdown{{fmt.Sprintf("operand registers (%d b per lane)", bitsPerLane), float64(lanes * bitsPerLane), t.RegisterBit()}}
}

// BitParallelPE is a DaDianNao-like PE: Lanes P x P multipliers, an adder
// tree of Lanes-1 adders of 2P+ceil(log2 Lanes) bits, an accumulator and
// the lanes' operand registers.
func (s Structure) BitParallelPE(t *Table, pe PE) (Breakdown, error) {
	if err := pe.check(); err != nil {
		return nil, err
	}
	p, l := pe.P, pe.Lanes
	tw := 2*p + log2(l)
	b := Breakdown{
		{fmt.Sprintf("multiplier (%dx%d b)", p, p), float64(l), t.Mult(p)},
		{fmt.Sprintf("adder tree (%d b)", tw), float64(l - 1), t.Add(tw)},
	}
	b = append(b, s.accumulator(t, p)...)
	return append(b, s.operands(t, l, 2*p)...), nil
}

// LaconicPE is the Laconic PE of ISCA 2019 generalised to P-bit operands:
// per lane an exponent adder of ceil(log2 P) bits, a sign XOR and a
// one-hot decoder of the exponent sum (2P-1 outputs of ceil(log2 P)+1
// inputs, each output an AND tree of inputs-1 2-input ANDs); one signed
// histogram counter per power of two (2P-1 of them, each a compressor of
// CounterCellsPerInput full-adder cells per lane); concatenation of the
// buckets six apart into HistogramGroups groups (wiring, no area); a
// HistogramGroups-input adder tree of 2P+GroupExtraBits bits; an
// accumulator; and two term registers per lane.
func (s Structure) LaconicPE(t *Table, pe PE) (Breakdown, error) {
	if err := pe.check(); err != nil {
		return nil, err
	}
	p, l := pe.P, pe.Lanes
	e := log2(p)
	buckets := 2*p - 1
	gw := 2*p + s.GroupExtraBits
	b := Breakdown{
		{fmt.Sprintf("exponent adder (%d b)", e), float64(l), t.Add(e)},
		{"sign xor", float64(l), s.XORGates * t.Gate()},
		{fmt.Sprintf("one-hot decoder (%d to %d)", e+1, buckets), float64(l), float64(buckets*e) * s.ANDGates * t.Gate()},
		{fmt.Sprintf("signed histogram counter (%d inputs)", l), float64(buckets), float64(l) * s.CounterCellsPerInput * t.FullAdder()},
		{"concatenation groups (wiring)", float64(s.HistogramGroups), 0},
		{fmt.Sprintf("group adder tree (%d b)", gw), float64(s.HistogramGroups - 1), t.Add(gw)},
	}
	b = append(b, s.accumulator(t, p)...)
	return append(b, s.operands(t, l, 2*TermBits(p))...), nil
}

// StripesPE is a Stripes serial inner-product unit: per lane P AND gates
// (one activation bit times a P-bit weight), an adder tree of Lanes-1
// adders of P+ceil(log2 Lanes) bits, a shift-and-accumulate (accumulator
// plus a 2:1 multiplexer per accumulator bit for the shift), and per lane
// a P-bit weight register and an activation bit.
func (s Structure) StripesPE(t *Table, pe PE) (Breakdown, error) {
	if err := pe.check(); err != nil {
		return nil, err
	}
	p, l := pe.P, pe.Lanes
	tw := p + log2(l)
	aw := 2*p + s.AccumulatorExtraBits
	b := Breakdown{
		{fmt.Sprintf("bit x weight AND (%d b)", p), float64(l * p), s.ANDGates * t.Gate()},
		{fmt.Sprintf("adder tree (%d b)", tw), float64(l - 1), t.Add(tw)},
		{fmt.Sprintf("accumulator shifter (%d b)", aw), float64(aw), s.MuxGates * t.Gate()},
	}
	b = append(b, s.accumulator(t, p)...)
	return append(b, s.operands(t, l, p+1)...), nil
}

// PragmaticPE is a Pragmatic PE: per lane a barrel shifter of the P-bit
// weight by the activation term's exponent (ceil(log2 P) stages of 2P
// 2:1 multiplexers), an adder tree of Lanes-1 adders of
// 2P+ceil(log2 Lanes) bits, an accumulator, and per lane a P-bit weight
// register and one activation term.
func (s Structure) PragmaticPE(t *Table, pe PE) (Breakdown, error) {
	if err := pe.check(); err != nil {
		return nil, err
	}
	p, l := pe.P, pe.Lanes
	tw := 2*p + log2(l)
	b := Breakdown{
		{fmt.Sprintf("weight shifter (%d stages x %d b)", log2(p), 2*p), float64(l * log2(p) * 2 * p), s.MuxGates * t.Gate()},
		{fmt.Sprintf("adder tree (%d b)", tw), float64(l - 1), t.Add(tw)},
	}
	b = append(b, s.accumulator(t, p)...)
	return append(b, s.operands(t, l, p+TermBits(p))...), nil
}

// TacticalPE is a Bit-Tactical TCLp PE, for comparison with its published
// area only (the toolkit does not simulate it): a Stripes PE plus, per
// lane, a MuxInputs-input multiplexer of the activation bit (a tree of
// MuxInputs-1 2:1 multiplexers) and a select register of ceil(log2
// MuxInputs) bits. Bit-Tactical's <2,5> front end gives each lane 8
// candidates [assumption].
func (s Structure) TacticalPE(t *Table, pe PE, muxInputs int) (Breakdown, error) {
	b, err := s.StripesPE(t, pe)
	if err != nil {
		return nil, err
	}
	if muxInputs < 1 || muxInputs > 1<<10 {
		return nil, fmt.Errorf("%w: mux inputs %d, want 1..1024", ErrStructure, muxInputs)
	}
	return append(b,
		Component{fmt.Sprintf("activation select mux (%d inputs)", muxInputs), float64(pe.Lanes * (muxInputs - 1)), s.MuxGates * t.Gate()},
		Component{fmt.Sprintf("select register (%d b)", log2(muxInputs)), float64(pe.Lanes * log2(muxInputs)), t.RegisterBit()},
	), nil
}

// Queue is the area of units input queues of entries entries of
// entryBits bits each, built of registers.
func Queue(t *Table, units, entries, entryBits int) Breakdown {
	if units <= 0 || entries <= 0 || entryBits <= 0 {
		return nil
	}
	return Breakdown{{fmt.Sprintf("input queue register (%d entries x %d b)", entries, entryBits), float64(units) * float64(entries) * float64(entryBits), t.RegisterBit()}}
}

// Buffer is the area of an on-chip buffer of the given capacity in bytes
// (0 = unlimited: not costed).
func Buffer(t *Table, name string, capacityBytes int64) Breakdown {
	if capacityBytes <= 0 {
		return nil
	}
	return Breakdown{{name, float64(capacityBytes) * 8, t.SRAMBit(capacityBytes)}}
}
