package work

import (
	"math/rand/v2"
	"testing"

	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/quant"
	"github.com/laconiclab/toolkit/laconic/terms"
)

// refPrec is the precision of one code, by counting: the smallest number of
// magnitude bits that holds |v| (0 for 0), plus a sign bit for signed
// formats, at most the format's width.
func refPrec(v int32, f terms.Format) int64 {
	m := int64(v)
	if m < 0 {
		m = -m
	}
	p := int64(0)
	for int64(1)<<p <= m {
		p++
	}
	if f.Signed {
		p++
	}
	return min(p, int64(f.Bits))
}

// refCost is the scheme table of the package doc, product by product. An
// operand is zero when it has no terms (ta or tw is 0).
func refCost(s Scheme, ta, tw, pa, pw, pg int64, o Options) int64 {
	c := refCost0(s, ta, tw, pa, pw, pg, o)
	if o.ZeroCost == 1 && o.ZeroUnit == ZeroBit {
		return max(1, c) // DNNsim: every product costs at least one single-bit product
	}
	return c
}

func refCost0(s Scheme, ta, tw, pa, pw, pg int64, o Options) int64 {
	P := int64(o.Bits)
	z := func(x int64) int64 { // the zero-cost convention: max(1, x) when ZeroCost is 1
		if o.ZeroCost == 1 && o.ZeroUnit != ZeroBit && x == 0 {
			return 1
		}
		return x
	}
	fuse := func(p int64) int64 {
		b := int64(o.BrickBits)
		for b < p {
			b *= 2
		}
		return b
	}
	aZero, wZero := ta == 0, tw == 0
	switch s {
	case Base:
		return P * P
	case A:
		if aZero {
			return 0
		}
		return P * P
	case W:
		if wZero {
			return 0
		}
		return P * P
	case WA:
		if aZero || wZero {
			return 0
		}
		return P * P
	case Ap:
		return z(pa) * P
	case ApDyn:
		return z(pg) * P
	case Ae:
		return z(ta) * P
	case We:
		return P * z(tw)
	case WAp:
		if wZero {
			return 0
		}
		return z(pa) * P
	case WAe:
		if wZero {
			return 0
		}
		return z(ta) * P
	case WeAe:
		return z(ta * tw)
	case WpAp:
		return z(pa * pw)
	case BitFusion:
		return fuse(pa) * fuse(pw)
	}
	panic("unknown scheme " + string(s))
}

type refResult struct {
	macs      int64
	work      [NumSchemes]int64
	termPairs int64 // sum of max(1, ta*tw)
	pa, pw    int64
}

// reference visits every multiply of the layer: the 7-deep loop nest over
// batch, filter, output row, output column, channel of the group, kernel
// row and kernel column.
func reference(l Layer, o Options) refResult {
	ly := l.Layer
	af, wf := format(l.Act), format(l.Wgt)
	cg, kg := ly.C/ly.Groups, ly.K/ly.Groups
	act := func(n, c, y, x int) (int32, bool) {
		if y < 0 || y >= ly.H || x < 0 || x >= ly.W {
			return 0, false // padded position: a zero activation
		}
		return l.Act.Codes[((n*ly.C+c)*ly.H+y)*ly.W+x], true
	}
	var res refResult
	res.pa, res.pw = int64(l.ActPrecision), int64(l.WgtPrecision)
	if res.pa == 0 {
		for _, v := range l.Act.Codes {
			res.pa = max(res.pa, refPrec(v, af))
		}
	}
	if res.pw == 0 {
		for _, v := range l.Wgt.Codes {
			res.pw = max(res.pw, refPrec(v, wf))
		}
	}
	groupPrec := func(n, c, y, x int) int64 {
		p := int64(0)
		for c2 := 0; c2 < ly.C; c2++ {
			if c2/o.Group == c/o.Group {
				if v, ok := act(n, c2, y, x); ok {
					p = max(p, refPrec(v, af))
				}
			}
		}
		return p
	}
	count := func(v int32, f terms.Format) int64 {
		t, err := terms.Count(o.Encoding, v, f)
		if err != nil {
			panic(err)
		}
		return int64(t)
	}
	for n := 0; n < ly.N; n++ {
		for k := 0; k < ly.K; k++ {
			for oy := 0; oy < ly.OutH(); oy++ {
				for ox := 0; ox < ly.OutW(); ox++ {
					for cc := 0; cc < cg; cc++ {
						for r := 0; r < ly.R; r++ {
							for s := 0; s < ly.S; s++ {
								c := (k/kg)*cg + cc
								y, x := oy*ly.StrideH+r-ly.Pad.Top, ox*ly.StrideW+s-ly.Pad.Left
								a, _ := act(n, c, y, x)
								w := l.Wgt.Codes[((k*cg+cc)*ly.R+r)*ly.S+s]
								ta, tw := count(a, af), count(w, wf)
								pg := groupPrec(n, c, y, x)
								res.macs++
								res.termPairs += max(1, ta*tw)
								for i, sc := range allSchemes {
									res.work[i] += refCost(sc, ta, tw, res.pa, res.pw, pg, o)
								}
							}
						}
					}
				}
			}
		}
	}
	return res
}

// refStats characterises codes one by one.
func refStats(codes []int32, f terms.Format) TensorStats {
	s := TensorStats{Bits: f.Bits, Signed: f.Signed}
	for e := range s.Hist {
		s.Hist[e] = make([]int64, 20)
	}
	for _, v := range codes {
		s.Values++
		if v == 0 {
			s.Zeros++
		}
		m := int64(v)
		if m < 0 {
			m = -m
		}
		for ; m > 0; m >>= 1 {
			s.OneBits += m & 1
		}
		s.Precision = max(s.Precision, int(refPrec(v, f)))
		for e, enc := range terms.Encodings() {
			t, err := terms.Count(enc, v, f)
			if err != nil {
				panic(err)
			}
			s.Terms[e] += int64(t)
			s.Hist[e][t]++
		}
	}
	return s
}

// refGroupMean is the mean over groups (n, channel group, y, x) of the
// group's precision, by the definition.
func refGroupMean(t *quant.Tensor, group int) float64 {
	f := format(t)
	n, c := t.Shape[0], t.Shape[1]
	hw := len(t.Codes) / (n * c)
	var sum, groups int64
	for b := 0; b < n; b++ {
		for g0 := 0; g0 < c; g0 += group {
			for i := 0; i < hw; i++ {
				p := int64(0)
				for ch := g0; ch < min(c, g0+group); ch++ {
					p = max(p, refPrec(t.Codes[(b*c+ch)*hw+i], f))
				}
				sum += p
				groups++
			}
		}
	}
	return float64(sum) / float64(groups)
}

// --- random layers ---

type codeGen struct {
	f        terms.Format
	zeroFrac float64
}

// randCodes draws codes with a given fraction of zeros, many small values
// and the format's extremes.
func randCodes(rng *rand.Rand, n int, g codeGen) []int32 {
	out := make([]int32, n)
	lo, hi := g.f.Min(), g.f.Max()
	extremes := []int32{lo, hi, 1, -1, 7, 14043, 219, lo + 1}
	for i := range out {
		switch u := rng.Float64(); {
		case u < g.zeroFrac:
			out[i] = 0
		case u < g.zeroFrac+0.05:
			out[i] = extremes[rng.IntN(len(extremes))]
		case u < g.zeroFrac+0.5:
			out[i] = rng.Int32N(64) - 32
		default:
			out[i] = lo + rng.Int32N(hi-lo+1)
		}
		out[i] = min(hi, max(lo, out[i]))
	}
	return out
}

var formats = []terms.Format{{Bits: 16, Signed: true}, {Bits: 8, Signed: false}, {Bits: 8, Signed: true}, {Bits: 16, Signed: false}}

func qtensor(shape []int, codes []int32, f terms.Format) *quant.Tensor {
	scheme := quant.Scheme("affine8")
	if f.Signed && f.Bits == 16 {
		scheme = "fixed16"
	}
	return &quant.Tensor{Shape: shape, Codes: codes, Scheme: scheme, Bits: f.Bits, Signed: f.Signed}
}

// randLayer draws a layer of the given kind with random geometry and codes.
func randLayer(rng *rand.Rand, kind nn.LayerKind) Layer {
	l := nn.Layer{Name: string(kind), Kind: kind, N: 1 + rng.IntN(3), H: 1, W: 1, R: 1, S: 1, StrideH: 1, StrideW: 1, Groups: 1}
	switch kind {
	case nn.KindDense, nn.KindLSTM:
		l.C, l.K = 1+rng.IntN(40), 1+rng.IntN(12)
	default:
		l.H, l.W = 1+rng.IntN(9), 1+rng.IntN(9)
		l.R, l.S = 1+rng.IntN(4), 1+rng.IntN(4)
		l.StrideH, l.StrideW = 1+rng.IntN(3), 1+rng.IntN(3)
		l.Pad = nn.Pad{Top: rng.IntN(3), Bottom: rng.IntN(3), Left: rng.IntN(3), Right: rng.IntN(3)}
		for l.H+l.Pad.Top+l.Pad.Bottom < l.R {
			l.Pad.Bottom++
		}
		for l.W+l.Pad.Left+l.Pad.Right < l.S {
			l.Pad.Right++
		}
		switch kind {
		case nn.KindConv:
			l.C, l.K = 1+rng.IntN(20), 1+rng.IntN(6)
		case nn.KindGrouped:
			l.Groups = 2 + rng.IntN(3)
			l.C, l.K = l.Groups*(1+rng.IntN(6)), l.Groups*(1+rng.IntN(3))
		case nn.KindDepthwise:
			l.C = 1 + rng.IntN(20)
			l.Groups, l.K = l.C, l.C*(1+rng.IntN(3)) // channel multiplier 1..3
		}
	}
	af, wf := formats[rng.IntN(len(formats))], formats[rng.IntN(len(formats))]
	act := randCodes(rng, nn.NumElements(l.InputShape()), codeGen{af, rng.Float64() * 0.7})
	wgt := randCodes(rng, nn.NumElements(l.WeightShape()), codeGen{wf, rng.Float64() * 0.5})
	ashape := l.InputShape()
	if (kind == nn.KindDense || kind == nn.KindLSTM) && rng.IntN(2) == 0 {
		ashape = []int{l.N, l.C, 1, 1}
	}
	return Layer{Layer: l, Act: qtensor(ashape, act, af), Wgt: qtensor(l.WeightShape(), wgt, wf)}
}

func TestComputeMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	kinds := []nn.LayerKind{nn.KindConv, nn.KindGrouped, nn.KindDepthwise, nn.KindDense, nn.KindLSTM}
	trials := 150
	if testing.Short() {
		trials = 40
	}
	for trial := 0; trial < trials; trial++ {
		l := randLayer(rng, kinds[trial%len(kinds)])
		if rng.IntN(3) == 0 {
			l.ActPrecision = 1 + rng.IntN(l.Act.Bits)
			l.WgtPrecision = 1 + rng.IntN(l.Wgt.Bits)
		}
		o := DefaultOptions()
		o.Encoding = terms.Encodings()[rng.IntN(4)]
		o.ZeroCost = rng.IntN(2)
		if o.ZeroCost == 1 {
			o.ZeroUnit = []ZeroUnit{"", ZeroStep, ZeroBit}[rng.IntN(3)]
		}
		o.Bits = 16 + rng.IntN(2)*4
		o.Group = []int{1, 3, 16}[rng.IntN(3)]
		o.BrickBits = []int{1, 2, 4}[rng.IntN(3)]
		got, err := Compute(l, o)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		want := reference(l, o)
		ly := l.Layer
		desc := func() string {
			return ly.Name + " " + string(o.Encoding) + " " + "N,C,H,W,K,R,S,stride,pad,groups=" +
				sprint(ly.N, ly.C, ly.H, ly.W, ly.K, ly.R, ly.S, ly.StrideH, ly.StrideW, ly.Pad, ly.Groups)
		}
		if got.MACs() != want.macs || want.macs != ly.MACs() {
			t.Fatalf("trial %d (%s): MACs %d, reference %d, Layer.MACs %d", trial, desc(), got.MACs(), want.macs, ly.MACs())
		}
		if int64(got.ActPrecision) != want.pa || int64(got.WgtPrecision) != want.pw {
			t.Fatalf("trial %d (%s): precisions %d/%d, reference %d/%d", trial, desc(), got.ActPrecision, got.WgtPrecision, want.pa, want.pw)
		}
		for i, s := range allSchemes {
			if w := got.Work(s); w != want.work[i] {
				t.Errorf("trial %d (%s, zero cost %d %q, P %d, group %d): %s work %d, reference %d", trial, desc(), o.ZeroCost, o.ZeroUnit, o.Bits, o.Group, s, w, want.work[i])
			}
		}
		if got.TermPairWork() != want.termPairs {
			t.Errorf("trial %d (%s): term-pair work %d, reference %d", trial, desc(), got.TermPairWork(), want.termPairs)
		}
		// Characterisation against one-by-one counting.
		for _, x := range []struct {
			name string
			got  TensorStats
			t    *quant.Tensor
		}{{"act", got.Act, l.Act}, {"wgt", got.Wgt, l.Wgt}} {
			ref := refStats(x.t.Codes, format(x.t))
			if x.got.Values != ref.Values || x.got.Zeros != ref.Zeros || x.got.OneBits != ref.OneBits ||
				x.got.Precision != ref.Precision || x.got.Terms != ref.Terms {
				t.Fatalf("trial %d (%s): %s stats %+v, reference %+v", trial, desc(), x.name, x.got, ref)
			}
			for e := range ref.Hist {
				for tc, c := range ref.Hist[e] {
					g := int64(0)
					if tc < len(x.got.Hist[e]) {
						g = x.got.Hist[e][tc]
					}
					if g != c {
						t.Fatalf("trial %d: %s histogram %s[%d] = %d, reference %d", trial, x.name, terms.Encodings()[e], tc, g, c)
					}
				}
			}
		}
		if g, w := got.Act.MeanGroupPrecision(), refGroupMean(l.Act, o.Group); g != w {
			t.Fatalf("trial %d: activation group precision mean %v, reference %v", trial, g, w)
		}
		wt := &quant.Tensor{Shape: []int{ly.K, ly.C / ly.Groups, ly.R * ly.S}, Codes: l.Wgt.Codes, Bits: l.Wgt.Bits, Signed: l.Wgt.Signed}
		// Weight groups run along axis 1 at each (filter, kernel offset):
		// the same definition with the kernel offsets as positions.
		if g, w := got.Wgt.MeanGroupPrecision(), refGroupMean(wt, o.Group); g != w {
			t.Fatalf("trial %d: weight group precision mean %v, reference %v", trial, g, w)
		}
	}
}
