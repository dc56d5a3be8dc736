package arch

import (
	"math/rand/v2"

	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/quant"
	"github.com/laconiclab/toolkit/laconic/terms"
)

// refResult is what the per-multiply reference simulator computes.
type refResult struct {
	Steps, Cycles, ComputeCycles, DRAMCycles int64
	PECycles, WBits, ABits, Pairs, Work      int64
	Products                                 int64
	DRAMRead, DRAMWrite                      int64
}

// refStep is one step of the loop nest as the reference sees it.
type refStep struct {
	unit []int64 // cost of each synchronisation unit
	x    int64   // operand transfer cycles
}

// refSim is a deliberately plain simulator of the same definitions as the
// fast engine: it visits every product of every step in loop-nest order,
// computes each operand's cost from its code, takes maxima per
// synchronisation unit, counts transferred bits from explicit sets of
// distinct operands and runs the unit recurrence with full history.
func refSim(cfg Config, l nn.Layer, acts, wgts *quant.Tensor) refResult {
	p := max(acts.Bits, wgts.Bits)
	tb := int64(termBits(p))
	var kA, kW int64
	switch cfg.Model {
	case BitParallel:
		kA, kW = int64(p), int64(p)
	case Stripes:
		kA, kW = 1, int64(p)
	case Pragmatic:
		kA, kW = tb, int64(p)
	case Laconic:
		kA, kW = tb, tb
	}
	fa := func(v int32) int64 {
		switch cfg.Model {
		case Laconic, Pragmatic:
			c, err := terms.Count(cfg.Encoding, v, terms.Format{Bits: acts.Bits, Signed: acts.Signed})
			if err != nil {
				panic(err)
			}
			return int64(c)
		case Stripes:
			bitlen := func(v int32) int64 {
				if v < 0 {
					v = -v
				}
				n := int64(0)
				for ; v != 0; v >>= 1 {
					n++
				}
				if acts.Signed {
					n = min(n+1, int64(acts.Bits))
				}
				return n
			}
			if cfg.Precision == PrecisionDynamic {
				return bitlen(v)
			}
			var pa int64
			for _, c := range acts.Codes {
				pa = max(pa, bitlen(c))
			}
			return pa
		}
		return 1
	}
	fw := func(v int32) int64 {
		if cfg.Model == Laconic {
			c, err := terms.Count(cfg.Encoding, v, terms.Format{Bits: wgts.Bits, Signed: wgts.Signed})
			if err != nil {
				panic(err)
			}
			return int64(c)
		}
		return 1
	}
	z := int64(cfg.ZeroCost)
	cost := func(a, w int32) (int64, int64) {
		pr := fa(a) * fw(w)
		return max(z, pr), pr
	}
	dense := l.Kind == nn.KindDense || l.Kind == nn.KindLSTM
	var r refResult
	var steps []refStep
	var xs int64
	cols, rows, lanes := cfg.Columns, cfg.Rows, cfg.Lanes
	windowGroups := 1 // per sample, in the (folded) geometry the loop nest visits

	if dense {
		for n := 0; n < l.N; n++ {
			colEnd := make([]int64, cols)
			var clock int64
			item := 0
			for f0 := 0; f0 < l.K; f0 += rows {
				for k0 := 0; k0 < l.C; k0 += lanes {
					var c, wbits, abits int64 = z, 0, 0
					for k := k0; k < min(k0+lanes, l.C); k++ {
						a := acts.Codes[n*l.C+k]
						abits += kA * fa(a)
						for f := f0; f < min(f0+rows, l.K); f++ {
							w := wgts.Codes[f*l.C+k]
							pc, pp := cost(a, w)
							c = max(c, pc)
							r.Work += pc
							r.Pairs += pp
							r.Products++
						}
					}
					for f := f0; f < min(f0+rows, l.K); f++ {
						for k := k0; k < min(k0+lanes, l.C); k++ {
							wbits += kW * fw(wgts.Codes[f*l.C+k])
						}
					}
					x := refXfer(cfg, wbits, abits)
					ci := item % cols
					item++
					clock = max(clock, colEnd[ci])
					colEnd[ci] = clock + max(c, x)
					clock += max(1, x)
					r.Steps++
					xs += x
					r.WBits += wbits
					r.ABits += abits
					r.PECycles += c * int64(min(f0+rows, l.K)-f0)
				}
			}
			end := clock
			for _, e := range colEnd {
				end = max(end, e)
			}
			r.ComputeCycles += end
		}
	} else {
		// Geometry after padding and an optional fold.
		hp, wp := l.H+l.Pad.Top+l.Pad.Bottom, l.W+l.Pad.Left+l.Pad.Right
		C, H, W, R, S, sh, sw := l.C, hp, wp, l.R, l.S, l.StrideH, l.StrideW
		fold := cfg.FoldFirstLayer && l.C == 3 && l.Groups == 1 && (sh > 1 || sw > 1)
		if fold {
			C, H, W, R, S = 3*sh*sw, (hp+sh-1)/sh, (wp+sw-1)/sw, (l.R+sh-1)/sh, (l.S+sw-1)/sw
		}
		oh, ow := (H-R)/sh+1, (W-S)/sw+1
		if fold {
			oh, ow = H-R+1, W-S+1
		}
		G := l.Groups
		Cg, Kg := C/G, l.K/G
		windowGroups = (oh*ow + cols - 1) / cols
		// act returns the code at channel c, padded (folded) row y, column x.
		act := func(n, c, y, x int) int32 {
			if fold {
				k, ih, jw := c%3, (c/3)%sh, c/(3*sh)
				y, x = y*sh+ih, x*sw+jw
				c = k
				if y >= hp || x >= wp {
					return acts.ZeroPoint
				}
			}
			y, x = y-l.Pad.Top, x-l.Pad.Left
			if y < 0 || y >= l.H || x < 0 || x >= l.W {
				return acts.ZeroPoint
			}
			return acts.Codes[((n*l.C+c)*l.H+y)*l.W+x]
		}
		wgt := func(f, k, r, s int) int32 {
			if fold {
				kk, ih, jw := k%3, (k/3)%sh, k/(3*sh)
				r, s, k = r*sh+ih, s*sw+jw, kk
				if r >= l.R || s >= l.S {
					return wgts.ZeroPoint
				}
			}
			return wgts.Codes[((f*(l.C/l.Groups)+k)*l.R+r)*l.S+s]
		}
		ssh, ssw := sh, sw
		if fold {
			ssh, ssw = 1, 1
		}
		for n := 0; n < l.N; n++ {
			for f0 := 0; f0 < l.K; f0 += rows {
				f1 := min(f0+rows, l.K)
				for w0 := 0; w0 < oh*ow; w0 += cols {
					w1 := min(w0+cols, oh*ow)
					for rr := 0; rr < R; rr++ {
						for ss := 0; ss < S; ss++ {
							for k0 := 0; k0 < Cg; k0 += lanes {
								k1 := min(k0+lanes, Cg)
								st := refStep{}
								switch cfg.Sync {
								case SyncColumn:
									st.unit = make([]int64, cols)
								case SyncLPE:
									st.unit = make([]int64, cols*rows)
								default:
									st.unit = make([]int64, 1)
								}
								wset := map[[2]int]int64{}
								aset := map[[2]int]int64{}
								for wi := w0; wi < w1; wi++ {
									y, x := (wi/ow)*ssh+rr, (wi%ow)*ssw+ss
									for f := f0; f < f1; f++ {
										for k := k0; k < k1; k++ {
											c := (f/Kg)*Cg + k
											a, w := act(n, c, y, x), wgt(f, k, rr, ss)
											pc, pp := cost(a, w)
											var u int
											switch cfg.Sync {
											case SyncColumn:
												u = wi - w0
											case SyncLPE:
												u = (wi-w0)*rows + f - f0
											}
											st.unit[u] = max(st.unit[u], pc)
											r.Work += pc
											r.Pairs += pp
											r.Products++
											wset[[2]int{f, k}] = kW * fw(w)
											aset[[2]int{wi, c}] = kA * fa(a)
										}
									}
								}
								var wbits, abits int64
								for _, b := range wset {
									wbits += b
								}
								for _, b := range aset {
									abits += b
								}
								st.x = refXfer(cfg, wbits, abits)
								r.WBits += wbits
								r.ABits += abits
								xs += st.x
								r.Steps++
								switch cfg.Sync {
								case SyncColumn:
									for _, c := range st.unit {
										r.PECycles += c * int64(f1-f0)
									}
								case SyncLPE:
									for _, c := range st.unit {
										r.PECycles += c
									}
								default:
									r.PECycles += st.unit[0] * int64(w1-w0) * int64(f1-f0)
								}
								steps = append(steps, st)
							}
						}
					}
				}
			}
		}
		switch cfg.Sync {
		case SyncColumn, SyncLPE:
			r.ComputeCycles = refQueue(steps, cfg.QueueDepth)
		default:
			r.ComputeCycles = refQueue(steps, 0)
		}
	}
	if cfg.Sync == SyncIdeal {
		lanesAll := int64(cols * rows * lanes)
		r.ComputeCycles = max((r.Work+lanesAll-1)/lanesAll, xs)
		r.PECycles = (r.Work + int64(lanes) - 1) / int64(lanes)
	}
	if cfg.Model == BitParallel {
		r.PECycles = 0
	}

	// Off-chip model.
	var wTotal, fgMax int64
	per := len(wgts.Codes) / l.K
	for f0 := 0; f0 < l.K; f0 += rows {
		var s int64
		for f := f0; f < min(f0+rows, l.K); f++ {
			for _, v := range wgts.Codes[f*per : (f+1)*per] {
				s += kW * fw(v)
			}
		}
		wTotal += s
		fgMax = max(fgMax, s)
	}
	m := cfg.Memory
	wr := wTotal
	if m.WeightBufferBytes > 0 && wTotal > 8*m.WeightBufferBytes {
		if dense || fgMax <= 8*m.WeightBufferBytes {
			wr = int64(l.N) * wTotal
		} else {
			wr = int64(l.N) * int64(windowGroups) * wTotal
		}
	}
	in := int64(p) * int64(len(acts.Codes))
	ar := in
	if m.ActBufferBytes > 0 && in > 8*m.ActBufferBytes {
		ar = int64((l.K+rows-1)/rows) * in
	}
	out := int64(p) * int64(l.N*l.K)
	if !dense {
		out *= int64(l.OutH() * l.OutW())
	}
	r.DRAMRead, r.DRAMWrite = wr+ar, out
	if m.OffChipBitsPerCycle > 0 {
		r.DRAMCycles = (wr + ar + out + int64(m.OffChipBitsPerCycle) - 1) / int64(m.OffChipBitsPerCycle)
	}
	r.Cycles = max(r.ComputeCycles, r.DRAMCycles)
	return r
}

func refXfer(cfg Config, wbits, abits int64) int64 {
	var x int64
	if w := int64(cfg.Memory.WeightWires); w > 0 {
		x = max(x, (wbits+w-1)/w)
	}
	if a := int64(cfg.Memory.ActWires); a > 0 {
		x = max(x, (abits+a-1)/a)
	}
	return x
}

// refQueue runs the unit recurrence documented on queue with full history.
func refQueue(steps []refStep, d int) int64 {
	if len(steps) == 0 {
		return 0
	}
	start := make([][]int64, len(steps))
	finish := make([][]int64, len(steps))
	var aPrev int64
	for s, st := range steps {
		u := len(st.unit)
		b := aPrev
		if d == 0 && s > 0 {
			for _, f := range finish[s-1] {
				b = max(b, f)
			}
		}
		if d > 0 && s-d >= 0 {
			for _, v := range start[s-d] {
				b = max(b, v)
			}
		}
		a := b + st.x
		start[s], finish[s] = make([]int64, u), make([]int64, u)
		for i := 0; i < u; i++ {
			var prev int64
			if s > 0 {
				prev = finish[s-1][i]
			}
			start[s][i] = max(prev, b)
			finish[s][i] = max(start[s][i]+st.unit[i], a)
		}
		aPrev = a
	}
	var end int64
	for _, f := range finish[len(steps)-1] {
		end = max(end, f)
	}
	return end
}

// fromResult extracts the comparable fields of a fast result.
func fromResult(r LayerResult) refResult {
	a := r.Activity
	return refResult{
		Steps: r.Steps, Cycles: r.Cycles, ComputeCycles: r.ComputeCycles, DRAMCycles: r.DRAMCycles,
		PECycles: a.PECycles, WBits: a.WeightBufferReadBits, ABits: a.ActBufferReadBits,
		Pairs: pairsOf(r), Work: a.Work, Products: a.Products,
		DRAMRead: a.DRAMReadBits, DRAMWrite: a.DRAMWriteBits,
	}
}

func pairsOf(r LayerResult) int64 {
	if r.Model == BitParallel {
		return r.Activity.MACs // fa = fw = 1: pairs = products
	}
	return r.Activity.TermPairs
}

// randomCodes fills a tensor with codes drawn from a distribution with zeros
// and small and large magnitudes, like real activations and weights.
func randomCodes(rng *rand.Rand, n, bits int, signed bool, zeroFrac float64) *quant.Tensor {
	t := &quant.Tensor{Shape: []int{n}, Codes: make([]int32, n), Bits: bits, Signed: signed, Scheme: quant.SchemeFixed16}
	if !signed {
		t.Scheme = quant.SchemeAffine8
	}
	f := terms.Format{Bits: bits, Signed: signed}
	for i := range t.Codes {
		switch {
		case rng.Float64() < zeroFrac:
			t.Codes[i] = 0
		case rng.IntN(4) == 0:
			t.Codes[i] = f.Min() + rng.Int32N(f.Max()-f.Min()+1)
		default:
			v := rng.Int32N(1 << (1 + rng.IntN(bits-2)))
			if signed && rng.IntN(2) == 0 {
				v = -v
			}
			t.Codes[i] = max(f.Min(), min(f.Max(), v))
		}
	}
	return t
}
