package infer

import (
	"github.com/laconiclab/toolkit/laconic/nn"
)

// dwGroup is the number of outputs the depthwise kernel computes per step.
const dwGroup = 64

// dwKernelGo is the portable depthwise kernel: for each of groups steps of
// dwGroup outputs, out[j] = sum over r < R, s < S (in that order) of
// w[r*S+s] * in[j + r*ld + s], in float32, then plus bias (flags&kBias)
// and clamped to [lo, hi] (flags&kClamp). It is a one-dimensional
// correlation over a zero-padded plane laid out with row stride ld: output
// j = oy*ld + ox is the window at (oy, ox) (columns ox beyond the output
// width are computed and discarded by the caller).
func dwKernelGo(out *float32, groups int, in *float32, ld int, w *float32, r, s int, flags int, bias, lo, hi float32) {
	n := groups * dwGroup
	o := unsafeSlice(out, n)
	x := unsafeSlice(in, n+(r-1)*ld+s-1)
	ws := unsafeSlice(w, r*s)
	for g := 0; g < n; g += dwGroup {
		var acc [dwGroup]float32
		for i := 0; i < r; i++ {
			for j := 0; j < s; j++ {
				wv := ws[i*s+j]
				src := x[g+i*ld+j : g+i*ld+j+dwGroup]
				for t := range acc {
					acc[t] += wv * src[t]
				}
			}
		}
		for t, v := range acc {
			if flags&kBias != 0 {
				v += bias
			}
			if flags&kClamp != 0 {
				v = clampF(v, lo, hi)
			}
			o[g+t] = v
		}
	}
}

// depthwise computes a depthwise convolution (Groups == C, K = C*m filters
// of one channel each) with the epilogue (bias per output channel, clamp)
// applied. Each worker copies an input plane into a zero-padded buffer and
// runs the depthwise kernel over it: the whole plane at once for unit
// strides, one output row at a time (at unit stride, then subsampled)
// otherwise. Every output is the float32 sum of its R*S products in (r, s)
// order, whatever the number of workers.
func depthwise(l nn.Layer, x, w []float32, out []float32, ep epilogue, workers int) {
	oh, ow := l.OutH(), l.OutW()
	m := l.K / l.C
	rs := l.R * l.S
	hp, wp := l.H+l.Pad.Top+l.Pad.Bottom, l.W+l.Pad.Left+l.Pad.Right
	ld := wp
	slack := dwGroup + l.S
	unit := l.StrideH == 1 && l.StrideW == 1
	var tmpLen int
	if unit {
		tmpLen = roundUp(oh*ld, dwGroup)
	} else {
		tmpLen = roundUp(wp-l.S+1, dwGroup)
	}
	parallelFor(l.N*l.K, workers, func(lo, hi int) {
		pp := make([]float32, hp*ld+slack)
		tmp := make([]float32, tmpLen)
		prevPlane := -1
		for nk := lo; nk < hi; nk++ {
			n, k := nk/l.K, nk%l.K
			c := k / m
			if pl := n*l.C + c; pl != prevPlane {
				plane := x[pl*l.H*l.W : (pl+1)*l.H*l.W]
				for y := 0; y < l.H; y++ {
					copy(pp[(y+l.Pad.Top)*ld+l.Pad.Left:], plane[y*l.W:(y+1)*l.W])
				}
				prevPlane = pl
			}
			wk := &w[k*rs]
			dst := out[nk*oh*ow : (nk+1)*oh*ow]
			var bias float32
			flags := 0
			if ep.bias != nil {
				bias = ep.bias[k]
				flags |= kBias
			}
			if ep.clamp {
				flags |= kClamp
			}
			if unit {
				dwKernel(&tmp[0], tmpLen/dwGroup, &pp[0], ld, wk, l.R, l.S, flags, bias, ep.lo, ep.hi)
				for oy := 0; oy < oh; oy++ {
					copy(dst[oy*ow:(oy+1)*ow], tmp[oy*ld:])
				}
				continue
			}
			for oy := 0; oy < oh; oy++ {
				dwKernel(&tmp[0], tmpLen/dwGroup, &pp[oy*l.StrideH*ld], ld, wk, l.R, l.S, flags, bias, ep.lo, ep.hi)
				d := dst[oy*ow : (oy+1)*ow]
				for i := range d {
					d[i] = tmp[i*l.StrideW]
				}
			}
		}
	})
}

func roundUp(v, m int) int { return (v + m - 1) / m * m }
