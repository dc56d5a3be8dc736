package work

import (
	"fmt"
	"strings"

	"github.com/laconiclab/toolkit/laconic/terms"
)

// Scheme names a way of executing the multiplies of a layer, with the work
// one (activation, weight) product costs (Sharify et al., "Laconic Deep
// Learning Computing", arXiv 1805.04513, section 2, potential work table).
// P is the baseline width Options.Bits, ta and tw the term counts of the
// activation and weight codes under Options.Encoding, pa and pw the
// per-layer precisions, pg the dynamic precision of the activation's group.
type Scheme string

// The schemes, in the order tables list them.
const (
	Base      Scheme = "Base"      // bit-parallel: P*P
	A         Scheme = "A"         // zero activations skipped: [a != 0]*P*P
	W         Scheme = "W"         // zero weights skipped: [w != 0]*P*P
	WA        Scheme = "W+A"       // either zero skipped: [a != 0][w != 0]*P*P
	Ap        Scheme = "Ap"        // activation precision, bit-serial (Stripes): pa*P
	ApDyn     Scheme = "Ap-dyn"    // dynamic per-group activation precision: pg*P
	Ae        Scheme = "Ae"        // activation effectual terms (Pragmatic): ta*P
	We        Scheme = "We"        // weight effectual terms: P*tw
	WAp       Scheme = "W+Ap"      // zero weights skipped + activation precision: [w != 0]*pa*P
	WAe       Scheme = "W+Ae"      // zero weights skipped + activation terms: [w != 0]*ta*P
	WeAe      Scheme = "We+Ae"     // Laconic: ta*tw
	WpAp      Scheme = "Wp+Ap"     // both precisions (Loom): pa*pw
	BitFusion Scheme = "BitFusion" // precisions rounded up to a power of two: b(pa)*b(pw)
)

// NumSchemes is the number of schemes.
const NumSchemes = 13

var allSchemes = [NumSchemes]Scheme{Base, A, W, WA, Ap, ApDyn, Ae, We, WAp, WAe, WeAe, WpAp, BitFusion}

// Schemes returns every scheme in table order.
func Schemes() []Scheme { s := allSchemes; return s[:] }

// index returns the position of s in Schemes(), or -1.
func (s Scheme) index() int {
	for i, x := range allSchemes {
		if x == s {
			return i
		}
	}
	return -1
}

// ParseScheme returns the scheme named s (case-insensitive; "laconic" and
// "loom" are accepted for We+Ae and Wp+Ap), or an error listing the names.
func ParseScheme(s string) (Scheme, error) {
	switch strings.ToLower(s) {
	case "laconic":
		return WeAe, nil
	case "loom":
		return WpAp, nil
	}
	for _, x := range allSchemes {
		if strings.EqualFold(string(x), s) {
			return x, nil
		}
	}
	return "", fmt.Errorf("work: unknown scheme %q (want one of %s)", s, schemeList())
}

func schemeList() string {
	names := make([]string, len(allSchemes))
	for i, s := range allSchemes {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

// ZeroUnit is the unit in which Options.ZeroCost charges a product.
type ZeroUnit string

// Zero units.
const (
	// ZeroStep (the default; "" means the same): a product that a scheme
	// does not skip by design but whose serial work would be 0 costs one
	// step of that scheme's serial unit; products a scheme skips by design
	// (zero operands in A, W, W+A, zero weights in W+Ap, W+Ae) cost 0.
	ZeroStep ZeroUnit = "step"
	// ZeroBit is DNNsim's convention (github.com/isakedo/DNNsim, commit
	// b557f66, its ZERO_COUNT option in core/src/*.cpp): every product,
	// skipped ones included, costs at least one single-bit product, that is
	// max(1, c) with c the scheme's cost at ZeroCost 0. A zero activation
	// costs 1 in Ae and W+Ae (not P), a zero weight costs 1 in W, W+A, W+Ap
	// and W+Ae, a product with a zero operand costs 1 in A and W+A.
	ZeroBit ZeroUnit = "bit"
)

// Options configures the potential-work computation.
//
// ZeroCost selects the cost of a product that would otherwise cost nothing
// because an operand is zero, has zero terms or zero precision:
//
//   - 0 (the papers' potential): such a product costs 0.
//   - 1 with ZeroUnit "step": every product a scheme does not skip by
//     design costs at least one step of that scheme's serial unit. It
//     changes We+Ae (max(1, ta*tw)) and Wp+Ap (max(1, pa*pw)), in units of
//     one term pair; and Ap, Ap-dyn, Ae, We, W+Ap, W+Ae (max(1, x)*P with
//     x = pa, pg, ta, tw, pa, ta), in units of one P-bit step. Base, A, W
//     and W+A are unaffected (their skips are the scheme's purpose), and so
//     is BitFusion (a brick is never narrower than BrickBits). The
//     zero-weight skip of W+Ap and W+Ae still costs 0.
//   - 1 with ZeroUnit "bit" (DNNsim's ZERO_COUNT convention, DNNsimPreset):
//     every product of every scheme costs max(1, c), c its cost at ZeroCost
//     0, in single-bit products: Ae = P*ta or 1, W+Ae = P*ta or 1 (a zero
//     weight or activation), W+Ap = P*pa or 1 (a zero weight), W+A = P*P
//     or 1, A and W likewise; We+Ae, Wp+Ap and BitFusion as with "step".
//
// An operand is zero when it has no terms under Encoding: its code is 0,
// or, under the dnnsim encoding only, it is the most negative signed code
// (DNNsim masks the sign position of the magnitude, so that code has no
// terms; DNNsim's own fixed point never produces it).
//
// With ZeroCost 1 and P = 16 no scheme can exceed a 256x potential speedup
// (PAPER section 2: the >500x of the arXiv abstract needs ZeroCost 0).
//
// Where DNNsim b557f66's potentials differ from these by more than the
// zero convention, they are DNNsim's defects or definitions and are not
// reproduced: its SCNN (W+A), BitTacticalP (W+Ap) and Loom (Wp+Ap)
// potentials hold a product's cost in 8 bits, so 16*16 = 256 becomes 0
// and 16-bit W+A work counts only the zero products; its DynamicStripes
// potential uses the layer's profiled precision, i.e. it is Ap, not
// Ap-dyn.
type Options struct {
	// Encoding counts the terms ta and tw (binary, csd, booth4, dnnsim).
	Encoding terms.Encoding `json:"encoding"`
	// ZeroCost is the cost of a product with zero terms: 0 or 1 (see above).
	ZeroCost int `json:"zero_cost"`
	// ZeroUnit is the unit of ZeroCost 1: "step" (default, "" is the same)
	// or "bit" (DNNsim); it plays no part when ZeroCost is 0.
	ZeroUnit ZeroUnit `json:"zero_unit,omitempty"`
	// Bits is the baseline width P: a bit-parallel product costs P*P. It must
	// be at least the width of the codes (8 or 16); 16 and 8 are the papers'
	// baselines.
	Bits int `json:"bits"`
	// Group is the number of consecutive channels that share one dynamic
	// precision (Ap-dyn and the characterisation): 16 by default, the
	// 16-lane grouping of Dynamic Stripes and Laconic's 16 lanes (an
	// assumption of the toolkit where the papers give no group size). A
	// group is Group channels at one (batch, row, column); for dense and
	// LSTM layers, Group consecutive inputs of the flattened input vector;
	// for weights, Group input channels of one filter at one kernel offset.
	// A trailing partial group is a group of its own.
	Group int `json:"group"`
	// BrickBits is the narrowest operand BitFusion fuses: 2, after its 2-bit
	// BitBricks (Sharma et al., "Bit Fusion", ISCA 2018). Precisions are
	// rounded up to a power of two no smaller than BrickBits.
	BrickBits int `json:"brick_bits"`
	// Schemes lists the schemes tables report; empty means all of them.
	Schemes []Scheme `json:"schemes,omitempty"`
}

// DefaultOptions returns the paper's potential: csd terms, zero cost 0,
// 16-bit baseline, groups of 16 channels, 2-bit BitFusion bricks, every
// scheme.
func DefaultOptions() Options {
	return Options{Encoding: terms.CSD, ZeroCost: 0, Bits: 16, Group: 16, BrickBits: 2}
}

// DNNsimPreset returns the conventions of DNNsim, the simulator of the
// Laconic authors (github.com/isakedo/DNNsim, commit b557f66), so that
// results can be compared with it: its own term heuristic (encoding
// dnnsim), every product costs at least one single-bit product (its
// ZERO_COUNT option: ZeroCost 1, ZeroUnit "bit"), a 16-bit baseline. Ae,
// W+Ae, W+Ap, We+Ae, Wp+Ap, Ap and BitFusion then equal DNNsim's
// BitPragmatic, BitTacticalE, BitTacticalP, Laconic, Loom, Stripes and
// BitFusion potentials, and W+A its SCNN potential wherever DNNsim's 8-bit
// product does not wrap (see Options). The operands are meant to be 16-bit
// fixed point quantized with DNNsim's rule (x*2^frac clamped to
// +-(2^(mag+frac)-1), rounded to nearest) using each layer's precisions from
// precision.txt, or activations 13:2 and weights 0:15 (magnitude without
// sign : fraction) when it is absent; the facade's PotentialsFromTraces does
// that. Ap and Wp+Ap then use precision = sign + magnitude + fraction bits.
func DNNsimPreset() Options {
	o := DefaultOptions()
	o.Encoding = terms.DNNsim
	o.ZeroCost = 1
	o.ZeroUnit = ZeroBit
	o.Bits = 16
	o.BrickBits = 1 // DNNsim rounds a precision p to 2^ceil(log2 p): 1 stays 1
	return o
}

// Validate checks every field and names the one at fault.
func (o Options) Validate() error {
	if _, err := terms.ParseEncoding(string(o.Encoding)); err != nil {
		return fmt.Errorf("work: options.encoding: %w", err)
	}
	if o.ZeroCost != 0 && o.ZeroCost != 1 {
		return fmt.Errorf("work: options.zero_cost = %d, want 0 (papers' potential) or 1 (DNNsim)", o.ZeroCost)
	}
	switch o.ZeroUnit {
	case "", ZeroStep:
	case ZeroBit:
	default:
		return fmt.Errorf("work: options.zero_unit = %q, want step (default) or bit (DNNsim)", o.ZeroUnit)
	}
	if o.Bits < 1 || o.Bits > 32 {
		return fmt.Errorf("work: options.bits = %d, want a baseline width in 1..32 (normally 16 or 8)", o.Bits)
	}
	if o.Group < 1 || o.Group > 1<<16 {
		return fmt.Errorf("work: options.group = %d, want 1..65536 channels (default 16)", o.Group)
	}
	switch o.BrickBits {
	case 1, 2, 4, 8, 16:
	default:
		return fmt.Errorf("work: options.brick_bits = %d, want 1, 2, 4, 8 or 16 (default 2)", o.BrickBits)
	}
	seen := map[Scheme]bool{}
	for i, s := range o.Schemes {
		if s.index() < 0 {
			return fmt.Errorf("work: options.schemes[%d]: unknown scheme %q (want one of %s)", i, s, schemeList())
		}
		if seen[s] {
			return fmt.Errorf("work: options.schemes[%d]: scheme %q listed twice", i, s)
		}
		seen[s] = true
	}
	return nil
}

// schemes returns the selected schemes in table order.
func (o Options) schemes() []Scheme {
	if len(o.Schemes) == 0 {
		return Schemes()
	}
	sel := map[Scheme]bool{}
	for _, s := range o.Schemes {
		sel[s] = true
	}
	var out []Scheme
	for _, s := range allSchemes {
		if sel[s] {
			out = append(out, s)
		}
	}
	return out
}
