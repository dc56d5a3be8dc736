package quant

import (
	"fmt"
	"math"

	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/terms"
)

// Scheme names a quantization.
type Scheme string

// Quantization schemes. (The functions Fixed16, Affine8 and RawCodes
// produce them.)
const (
	// SchemeFixed16 is 16-bit two's-complement fixed point with Mag magnitude bits
	// (sign excluded) and Frac fraction bits, Mag+Frac = 15.
	SchemeFixed16 Scheme = "fixed16"
	// SchemeAffine8 is 8-bit affine (asymmetric) quantization as TensorFlow does:
	// value = (code - ZeroPoint) * Scale, codes 0..255, from min/max.
	SchemeAffine8 Scheme = "affine8"
	// SchemeRaw keeps the integer codes a model already stores (uint8 with
	// per-tensor min and scale: value = Min + Scale*code).
	SchemeRaw Scheme = "raw"
)

// Schemes returns every scheme in a fixed order.
func Schemes() []Scheme { return []Scheme{SchemeFixed16, SchemeAffine8, SchemeRaw} }

// ParseScheme returns the scheme named s, or an error listing the valid names.
func ParseScheme(s string) (Scheme, error) {
	for _, sc := range Schemes() {
		if string(sc) == s {
			return sc, nil
		}
	}
	return "", fmt.Errorf("quant: unknown scheme %q (want fixed16, affine8 or raw)", s)
}

// Tensor is a quantized tensor: the integer codes a multiplier would see,
// with what is needed to map them back to real values.
//
// For Fixed16, Codes are signed (Signed = true, Bits = 16), value =
// Code * 2^-Frac. For Affine8 and Raw, Codes are unsigned 0..255 (Signed =
// false, Bits = 8) and value = (Code - ZeroPoint) * Scale = Min +
// Scale*Code; for Raw the second form is exact and the first one rounds
// the zero point to an integer.
type Tensor struct {
	Shape     []int
	Codes     []int32
	Scheme    Scheme
	Bits      int
	Signed    bool
	Mag, Frac int     // Fixed16 only
	Scale     float64 // Affine8 and Raw
	ZeroPoint int32   // Affine8 and Raw
	// Min is the real value of code 0 (Affine8 and Raw): -ZeroPoint*Scale
	// for Affine8, the stored minimum for Raw.
	Min float64
}

// Len returns the number of codes.
func (q *Tensor) Len() int { return len(q.Codes) }

// Format returns the integer format of the codes, as package terms takes it.
func (q *Tensor) Format() terms.Format { return terms.Format{Bits: q.Bits, Signed: q.Signed} }

// Validate checks that the shape matches the codes and every code fits the
// format.
func (q *Tensor) Validate() error {
	if q == nil {
		return fmt.Errorf("quant: nil tensor")
	}
	f := q.Format()
	if err := f.Validate(); err != nil {
		return fmt.Errorf("quant: %s tensor: %w", q.Scheme, err)
	}
	for _, d := range q.Shape {
		if d < 0 {
			return fmt.Errorf("quant: negative dimension in shape %v", q.Shape)
		}
	}
	if n := nn.NumElements(q.Shape); n != len(q.Codes) {
		return fmt.Errorf("quant: shape %v needs %d codes, have %d", q.Shape, n, len(q.Codes))
	}
	lo, hi := f.Min(), f.Max()
	for i, c := range q.Codes {
		if c < lo || c > hi {
			return fmt.Errorf("quant: code %d = %d outside the %s range [%d, %d]", i, c, f, lo, hi)
		}
	}
	return nil
}

// Value returns the real value of code i.
func (q *Tensor) Value(i int) float64 {
	if q.Scheme == SchemeFixed16 {
		return math.Ldexp(float64(q.Codes[i]), -q.Frac)
	}
	return q.Min + q.Scale*float64(q.Codes[i])
}

// Dequantize returns the real values of the codes as a float32 tensor.
func (q *Tensor) Dequantize() *nn.Tensor {
	t := nn.NewTensor(q.Shape...)
	for i := range q.Codes {
		t.Data[i] = float32(q.Value(i))
	}
	return t
}

// Operands returns the integers a multiplier sees and their format, for
// term counting. The convention:
//
//   - Fixed16: the signed two's-complement code. Term encodings work on
//     its magnitude (Booth on the two's-complement value) and the sign
//     travels separately, as in DNNsim and the Laconic papers.
//   - Affine8 and Raw: the unsigned code 0..255 itself, not code -
//     ZeroPoint: gemmlowp-style integer kernels multiply the raw uint8
//     codes and correct for the zero points with separate sums (gemmlowp
//     doc/quantization.md), so the multiplier sees the codes.
//
// The returned slice is q.Codes itself, not a copy.
func (q *Tensor) Operands() ([]int32, terms.Format) { return q.Codes, q.Format() }

// Magnitudes returns the magnitude of every operand (see Operands): |code|
// for signed formats, the code for unsigned ones. These are the values
// whose bits the binary encoding counts.
func (q *Tensor) Magnitudes() []uint32 {
	out := make([]uint32, len(q.Codes))
	for i, c := range q.Codes {
		if c < 0 {
			out[i] = uint32(-int64(c))
		} else {
			out[i] = uint32(c)
		}
	}
	return out
}

// TermCounts returns the number of terms of every operand under encoding e.
func (q *Tensor) TermCounts(e terms.Encoding) ([]uint8, error) {
	tab, err := terms.SharedTable(e, q.Format())
	if err != nil {
		return nil, fmt.Errorf("quant: %s tensor: %w", q.Scheme, err)
	}
	out := make([]uint8, len(q.Codes))
	if err := tab.CountInt32(out, q.Codes); err != nil {
		return nil, fmt.Errorf("quant: %s tensor: %w", q.Scheme, err)
	}
	return out, nil
}

// TermStats summarises the operands under encoding e: value count, zeros,
// terms, histogram of term counts, bit sparsity (see terms.Stats).
func (q *Tensor) TermStats(e terms.Encoding) (terms.Stats, error) {
	tab, err := terms.SharedTable(e, q.Format())
	if err != nil {
		return terms.Stats{}, fmt.Errorf("quant: %s tensor: %w", q.Scheme, err)
	}
	s, err := tab.StatsInt32(q.Codes)
	if err != nil {
		return terms.Stats{}, fmt.Errorf("quant: %s tensor: %w", q.Scheme, err)
	}
	return s, nil
}

// checkInput rejects a nil, empty, malformed or non-finite float tensor.
func checkInput(t *nn.Tensor) error {
	if t == nil {
		return fmt.Errorf("quant: nil tensor")
	}
	if err := t.Validate(); err != nil {
		return fmt.Errorf("quant: %w", err)
	}
	if len(t.Data) == 0 {
		return fmt.Errorf("quant: empty tensor (shape %v): nothing to quantize", t.Shape)
	}
	for i, v := range t.Data {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("quant: element %d (index %v) of tensor %v is %v: quantization needs finite values", i, unravel(i, t.Shape), t.Shape, v)
		}
	}
	return nil
}

// unravel turns a flat row-major index into per-axis indices.
func unravel(i int, shape []int) []int {
	idx := make([]int, len(shape))
	for a := len(shape) - 1; a >= 0; a-- {
		if shape[a] > 0 {
			idx[a] = i % shape[a]
			i /= shape[a]
		}
	}
	return idx
}
