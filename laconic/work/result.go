package work

import (
	"fmt"
	"math"

	"github.com/laconiclab/toolkit/laconic/nn"
)

// Sums holds, for one layer, the sums over all its multiplies (padded
// positions included) from which every scheme's work follows exactly. With
// nz(x) = [x != 0] (an operand is zero when it has no terms: see Options),
// t the term count under Options.Encoding and pg the
// dynamic precision of the activation's group:
type Sums struct {
	MACs          int64 `json:"macs"`             // sum of 1
	ActNonZero    int64 `json:"act_nonzero"`      // sum of nz(a)
	WgtNonZero    int64 `json:"wgt_nonzero"`      // sum of nz(w)
	BothNonZero   int64 `json:"both_nonzero"`     // sum of nz(a)*nz(w)
	ActTerms      int64 `json:"act_terms"`        // sum of ta
	WgtTerms      int64 `json:"wgt_terms"`        // sum of tw
	ActTermsWgtNZ int64 `json:"act_terms_wgt_nz"` // sum of ta*nz(w)
	TermPairs     int64 `json:"term_pairs"`       // sum of ta*tw
	GroupPrec     int64 `json:"group_prec"`       // sum of pg
	GroupPrecZero int64 `json:"group_prec_zero"`  // sum of [pg == 0]
}

func (s *Sums) add(o Sums) {
	s.MACs += o.MACs
	s.ActNonZero += o.ActNonZero
	s.WgtNonZero += o.WgtNonZero
	s.BothNonZero += o.BothNonZero
	s.ActTerms += o.ActTerms
	s.WgtTerms += o.WgtTerms
	s.ActTermsWgtNZ += o.ActTermsWgtNZ
	s.TermPairs += o.TermPairs
	s.GroupPrec += o.GroupPrec
	s.GroupPrecZero += o.GroupPrecZero
}

// LayerResult is the potential work of one layer (one or several batches).
type LayerResult struct {
	Index   int          `json:"index"` // position among the network's compute layers
	Name    string       `json:"name"`
	Kind    nn.LayerKind `json:"kind"`
	Options Options      `json:"options"`
	// ActPrecision and WgtPrecision are the per-layer precisions Ap, W+Ap,
	// Wp+Ap and BitFusion use (given, or profiled from the codes).
	ActPrecision int `json:"act_precision"`
	WgtPrecision int `json:"wgt_precision"`
	// ActQuant and WgtQuant name the quantization of the codes.
	ActQuant string `json:"act_quant"`
	WgtQuant string `json:"wgt_quant"`
	Sums     Sums   `json:"sums"`
	// Act and Wgt characterise the activation and weight codes.
	Act TensorStats `json:"act"`
	Wgt TensorStats `json:"wgt"`
	// profiled records which precisions came from the codes (and so may
	// grow when batches merge).
	actProfiled, wgtProfiled bool
}

// MACs returns the number of multiplies.
func (r LayerResult) MACs() int64 { return r.Sums.MACs }

// Work returns the total work of scheme s over the layer's multiplies, in
// term-pair (single-bit product) units, under r.Options. It panics for an
// unknown scheme (programmer misuse: schemes come from Schemes or
// ParseScheme).
func (r LayerResult) Work(s Scheme) int64 {
	o, m := r.Options, r.Sums
	P := int64(o.Bits)
	zc := o.ZeroCost == 1
	pa, pw := int64(r.ActPrecision), int64(r.WgtPrecision)
	if zc && o.ZeroUnit == ZeroBit {
		return r.bitWork(s)
	}
	atLeast1 := func(x int64) int64 {
		if zc && x < 1 {
			return 1
		}
		return x
	}
	switch s {
	case Base:
		return P * P * m.MACs
	case A:
		return P * P * m.ActNonZero
	case W:
		return P * P * m.WgtNonZero
	case WA:
		return P * P * m.BothNonZero
	case Ap:
		return P * atLeast1(pa) * m.MACs
	case ApDyn:
		if zc {
			return P * (m.GroupPrec + m.GroupPrecZero)
		}
		return P * m.GroupPrec
	case Ae:
		if zc { // max(1, ta) = ta + [a == 0]
			return P * (m.ActTerms + m.MACs - m.ActNonZero)
		}
		return P * m.ActTerms
	case We:
		if zc {
			return P * (m.WgtTerms + m.MACs - m.WgtNonZero)
		}
		return P * m.WgtTerms
	case WAp:
		return P * atLeast1(pa) * m.WgtNonZero
	case WAe:
		if zc { // [w != 0] * max(1, ta)
			return P * (m.ActTermsWgtNZ + m.WgtNonZero - m.BothNonZero)
		}
		return P * m.ActTermsWgtNZ
	case WeAe:
		if zc { // max(1, ta*tw) = ta*tw + 1 - [a != 0][w != 0]
			return m.TermPairs + m.MACs - m.BothNonZero
		}
		return m.TermPairs
	case WpAp:
		return atLeast1(pa*pw) * m.MACs
	case BitFusion:
		return brick(pa, o.BrickBits) * brick(pw, o.BrickBits) * m.MACs
	}
	panic(fmt.Sprintf("work: unknown scheme %q", s))
}

// bitWork is Work under ZeroUnit "bit": every product costs max(1, c).
func (r LayerResult) bitWork(s Scheme) int64 {
	o, m := r.Options, r.Sums
	P := int64(o.Bits)
	pa, pw := int64(r.ActPrecision), int64(r.WgtPrecision)
	zeroA, zeroW, zeroAW := m.MACs-m.ActNonZero, m.MACs-m.WgtNonZero, m.MACs-m.BothNonZero
	switch s {
	case Base:
		return P * P * m.MACs
	case A:
		return P*P*m.ActNonZero + zeroA
	case W:
		return P*P*m.WgtNonZero + zeroW
	case WA:
		return P*P*m.BothNonZero + zeroAW
	case Ap:
		return max(1, pa*P) * m.MACs
	case ApDyn: // max(1, pg*P) = pg*P + [pg == 0]
		return P*m.GroupPrec + m.GroupPrecZero
	case Ae:
		return P*m.ActTerms + zeroA
	case We:
		return P*m.WgtTerms + zeroW
	case WAp: // [w != 0]*max(1, pa*P) + [w == 0]
		return max(1, pa*P)*m.WgtNonZero + zeroW
	case WAe: // P*ta where both are non-zero, else 1
		return P*m.ActTermsWgtNZ + zeroAW
	case WeAe:
		return m.TermPairs + zeroAW
	case WpAp:
		return max(1, pa*pw) * m.MACs
	case BitFusion:
		return max(1, brick(pa, o.BrickBits)*brick(pw, o.BrickBits)) * m.MACs
	}
	panic(fmt.Sprintf("work: unknown scheme %q", s))
}

// brick rounds a precision up to a power of two no smaller than min.
func brick(p int64, min int) int64 {
	b := int64(min)
	for b < p {
		b *= 2
	}
	return b
}

// Speedup returns the potential speedup of scheme s: Base work / s work
// (+Inf when s does no work at all).
func (r LayerResult) Speedup(s Scheme) float64 { return speedup(r.Work(Base), r.Work(s)) }

func speedup(base, w int64) float64 {
	if w == 0 {
		return math.Inf(1)
	}
	return float64(base) / float64(w)
}

// TermPairWork returns DNNsim's potential work of the layer: the sum over
// all multiplies of max(1, ta*tw), whatever r.Options.ZeroCost says.
func (r LayerResult) TermPairWork() int64 {
	return r.Sums.TermPairs + r.Sums.MACs - r.Sums.BothNonZero
}

// Merge adds another batch of the same layer, computed with the same
// options: the multiply sums and activation statistics add up, the weight
// statistics stay (the weights are the same), and profiled precisions take
// the larger of the two.
func (r *LayerResult) Merge(o LayerResult) error {
	if r.Name != o.Name || r.Kind != o.Kind {
		return fmt.Errorf("work: cannot merge layer %q (%s) into layer %q (%s)", o.Name, o.Kind, r.Name, r.Kind)
	}
	if fmt.Sprint(r.Options) != fmt.Sprint(o.Options) {
		return fmt.Errorf("work: layer %q: cannot merge results computed with different options", r.Name)
	}
	if r.Wgt.Values != o.Wgt.Values {
		return fmt.Errorf("work: layer %q: cannot merge results with %d and %d weights", r.Name, r.Wgt.Values, o.Wgt.Values)
	}
	if err := r.Act.add(o.Act); err != nil {
		return fmt.Errorf("work: layer %q: activations: %w", r.Name, err)
	}
	r.Sums.add(o.Sums)
	if r.actProfiled && o.actProfiled {
		r.ActPrecision = max(r.ActPrecision, o.ActPrecision)
	}
	if r.wgtProfiled && o.wgtProfiled {
		r.WgtPrecision = max(r.WgtPrecision, o.WgtPrecision)
	}
	return nil
}
