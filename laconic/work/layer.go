package work

import (
	"fmt"
	"math/bits"

	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/quant"
	"github.com/laconiclab/toolkit/laconic/terms"
)

// Layer is one compute layer's quantized operands: its geometry, the input
// activation codes (N x C x H x W; a dense or LSTM layer's N x In, also
// accepted as N x In x 1 x 1 or any N x ... whose trailing dimensions
// multiply to In) and the weight codes (K x C/Groups x R x S; dense K x In).
// Codes are what the multiplier sees (quant.Tensor.Codes): fixed16 signed
// codes, affine8 and raw unsigned codes.
type Layer struct {
	Layer nn.Layer
	Act   *quant.Tensor
	Wgt   *quant.Tensor
	// ActPrecision and WgtPrecision are the per-layer profiled precisions
	// (bits) used by Ap, W+Ap, Wp+Ap and BitFusion. Zero means "profile the
	// codes": the bits needed to hold every code of the tensor (see
	// Precision). DNNsim traces set them from precision.txt.
	ActPrecision, WgtPrecision int
}

// Precision returns the bits needed to hold a code of magnitude mag, the
// rule of quant.Precision: bits.Len(mag) magnitude bits, plus one sign bit
// for signed formats, capped at the format's width. A magnitude of 0 needs
// 0 bits unsigned and 1 bit (the sign) signed. A tensor's or a group's
// precision is that of the largest magnitude it holds, i.e. the precision of
// the bitwise OR of its magnitudes. Padded positions have precision 0.
func Precision(mag uint32, f terms.Format) int {
	p := bits.Len32(mag)
	if f.Signed {
		p++
	}
	return min(p, f.Bits)
}

// magnitude is |v| for signed formats and v for unsigned ones.
func magnitude(v int32, signed bool) uint32 {
	if !signed {
		return uint32(v)
	}
	s := v >> 31 // all ones for negative v: branch-free |v| (|-2^31| = 2^31)
	return uint32((v ^ s) - s)
}

// geom is the resolved geometry of a layer.
type geom struct {
	N, C, H, W     int // input
	K, Cg, Kg      int // filters, channels per group, filters per group
	R, S, RS       int // kernel
	sh, sw, pt, pl int // stride, top/left padding
	OH, OW         int // output
	Hu, Wu         int // rows and columns of the padded plane that windows touch
	// whole is true when the windows cover every input position exactly once
	// per kernel offset and no padding exists (1x1, stride 1; dense layers):
	// then a windowed sum is the plane's total.
	whole bool
}

func newGeom(l nn.Layer) geom {
	g := geom{N: l.N, C: l.C, H: l.H, W: l.W, K: l.K, R: l.R, S: l.S,
		sh: l.StrideH, sw: l.StrideW, pt: l.Pad.Top, pl: l.Pad.Left, OH: l.OutH(), OW: l.OutW()}
	g.Cg = l.C / l.Groups
	g.Kg = l.K / l.Groups
	g.RS = g.R * g.S
	g.Hu = (g.OH-1)*g.sh + g.R
	g.Wu = (g.OW-1)*g.sw + g.S
	g.whole = g.R == 1 && g.S == 1 && g.sh == 1 && g.sw == 1 && l.Pad == (nn.Pad{})
	return g
}

// format returns the terms format of a quantized tensor's codes.
func format(t *quant.Tensor) terms.Format { return terms.Format{Bits: t.Bits, Signed: t.Signed} }

// check validates a layer against the options and returns its geometry.
func (l Layer) check(o Options) (geom, error) {
	if err := l.Layer.Validate(); err != nil {
		return geom{}, fmt.Errorf("work: %w", err)
	}
	name := l.Layer.Name
	conv := l.Layer.Kind != nn.KindDense && l.Layer.Kind != nn.KindLSTM
	for _, x := range []struct {
		field string
		t     *quant.Tensor
		want  []int
	}{{"activations", l.Act, l.Layer.InputShape()}, {"weights", l.Wgt, l.Layer.WeightShape()}} {
		if x.t == nil {
			return geom{}, fmt.Errorf("work: layer %q: %s missing", name, x.field)
		}
		if err := format(x.t).Validate(); err != nil {
			return geom{}, fmt.Errorf("work: layer %q: %s: %w", name, x.field, err)
		}
		if x.t.Bits > o.Bits {
			return geom{}, fmt.Errorf("work: layer %q: %s are %d-bit codes but the baseline is %d bits (set options.bits to at least %d)",
				name, x.field, x.t.Bits, o.Bits, x.t.Bits)
		}
		if n := nn.NumElements(x.t.Shape); n != len(x.t.Codes) {
			return geom{}, fmt.Errorf("work: layer %q: %s: shape %v needs %d codes, have %d", name, x.field, x.t.Shape, n, len(x.t.Codes))
		}
		if !shapeFits(x.t.Shape, x.want, conv) {
			return geom{}, fmt.Errorf("work: layer %q: %s have shape %v, want %v", name, x.field, x.t.Shape, x.want)
		}
	}
	for _, p := range []struct {
		field string
		v     int
		t     *quant.Tensor
	}{{"ActPrecision", l.ActPrecision, l.Act}, {"WgtPrecision", l.WgtPrecision, l.Wgt}} {
		if p.v < 0 || p.v > p.t.Bits {
			return geom{}, fmt.Errorf("work: layer %q: %s = %d, want 0 (profile the codes) or 1..%d", name, p.field, p.v, p.t.Bits)
		}
	}
	return newGeom(l.Layer), nil
}

// shapeFits reports whether shape is the wanted shape; for dense layers the
// leading dimension must match and the rest multiply to the wanted second.
func shapeFits(shape, want []int, conv bool) bool {
	if conv {
		if len(shape) != len(want) {
			return false
		}
		for i := range shape {
			if shape[i] != want[i] {
				return false
			}
		}
		return true
	}
	if len(shape) < 2 || shape[0] != want[0] {
		return false
	}
	return nn.NumElements(shape[1:]) == want[1]
}
