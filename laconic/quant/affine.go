package quant

import (
	"fmt"
	"math"

	"github.com/laconiclab/toolkit/laconic/nn"
)

// Affine8 quantizes t to 8-bit unsigned affine codes the way TensorFlow's
// 8-bit quantization does:
//
//  1. The range [min, max] of t is extended to contain 0, so that the real
//     value 0 is exactly representable (gemmlowp doc/quantization.md and
//     doc/quantization_example.cc, ChooseQuantizationParams).
//  2. Scale = (max - min) / 255, and the zero point is nudged to the
//     integer ZeroPoint = round(-min / Scale), which shifts the range to
//     [-ZeroPoint*Scale, (255-ZeroPoint)*Scale] (TensorFlow
//     FakeQuantWithMinMaxVars: min_adj = scale*round(min/scale)).
//  3. Each value is clamped to that range and coded as
//     floor((x - min_adj)/Scale + 0.5), in 0..255.
//
// The result has Signed = false, Bits = 8, value = (Code - ZeroPoint) *
// Scale, and Min = -ZeroPoint*Scale. The arithmetic is float64 (TensorFlow
// uses float32, so a value lying exactly between two codes may round the
// other way). A tensor of zeros gets Scale = 1 and ZeroPoint = 0.
func Affine8(t *nn.Tensor) (*Tensor, error) {
	if err := checkInput(t); err != nil {
		return nil, err
	}
	lo, hi := 0.0, 0.0
	for _, v := range t.Data {
		lo = min(lo, float64(v))
		hi = max(hi, float64(v))
	}
	scale, zp := 1.0, 0.0
	if hi > lo {
		scale = (hi - lo) / 255
		zp = math.Round(-lo / scale)
		zp = max(0, min(255, zp))
	}
	nlo, nhi := -zp*scale, (255-zp)*scale
	q := &Tensor{
		Shape: append([]int(nil), t.Shape...), Codes: make([]int32, len(t.Data)),
		Scheme: SchemeAffine8, Bits: 8, Signed: false, Scale: scale, ZeroPoint: int32(zp), Min: nlo,
	}
	for i, v := range t.Data {
		x := max(nlo, min(nhi, float64(v)))
		c := math.Floor((x-nlo)/scale + 0.5)
		q.Codes[i] = int32(max(0, min(255, c)))
	}
	return q, nil
}

// RawCodes returns the codes a model file stores for t (t.Stored, value =
// Min + Scale*code, as tfjs uint8 weights are stored) unchanged: Signed =
// false, Bits = 8, Scale and Min as stored, and ZeroPoint = round(-Min /
// Scale) clamped to 0..255 (0 when Scale is 0), the code nearest to the
// real value 0. It returns an error when t has no stored codes, when their
// count does not match the shape, or when Min or Scale is not finite or
// Scale is negative.
func RawCodes(t *nn.Tensor) (*Tensor, error) {
	if t == nil {
		return nil, fmt.Errorf("quant: nil tensor")
	}
	s := t.Stored
	if s == nil {
		return nil, fmt.Errorf("quant: raw codes: tensor %v has no stored codes (its model file stores floats; use fixed16 or affine8)", t.Shape)
	}
	for _, d := range t.Shape {
		if d < 0 {
			return nil, fmt.Errorf("quant: negative dimension in shape %v", t.Shape)
		}
	}
	n := nn.NumElements(t.Shape)
	if len(s.Codes) != n {
		return nil, fmt.Errorf("quant: raw codes: shape %v needs %d codes, tensor stores %d", t.Shape, n, len(s.Codes))
	}
	if t.Data != nil && len(t.Data) != n {
		return nil, fmt.Errorf("quant: raw codes: shape %v needs %d values, have %d", t.Shape, n, len(t.Data))
	}
	if n == 0 {
		return nil, fmt.Errorf("quant: empty tensor (shape %v): nothing to quantize", t.Shape)
	}
	mn, sc := float64(s.Min), float64(s.Scale)
	if math.IsNaN(mn) || math.IsInf(mn, 0) || math.IsNaN(sc) || math.IsInf(sc, 0) || sc < 0 {
		return nil, fmt.Errorf("quant: raw codes of tensor %v: stored min %v and scale %v must be finite with scale >= 0", t.Shape, s.Min, s.Scale)
	}
	zp := 0.0
	if sc > 0 {
		zp = max(0, min(255, math.Round(-mn/sc)))
	}
	q := &Tensor{
		Shape: append([]int(nil), t.Shape...), Codes: make([]int32, n),
		Scheme: SchemeRaw, Bits: 8, Signed: false, Scale: sc, ZeroPoint: int32(zp), Min: mn,
	}
	for i, c := range s.Codes {
		q.Codes[i] = int32(c)
	}
	return q, nil
}
