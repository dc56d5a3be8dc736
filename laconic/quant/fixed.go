package quant

import (
	"fmt"
	"math"

	"github.com/laconiclab/toolkit/laconic/nn"
)

// fixedLimit is the largest 16-bit code Fixed16 produces; codes are
// clamped to ±fixedLimit, so -32768 never occurs.
const fixedLimit = 1<<15 - 1

// Fixed16 quantizes t to 16-bit two's-complement fixed point with mag
// magnitude bits (sign excluded) and frac fraction bits, following the
// conventions of DNNsim, the Laconic authors' simulator (as the toolkit's
// notes describe it): x*2^frac is first clamped to ±(2^(mag+frac) - 1),
// then rounded to the nearest integer (halves away from zero) and stored
// as a two's-complement code. mag and frac must be non-negative with
// mag+frac = 15. The arithmetic is exact (float64).
//
// Errors name the problem: invalid mag/frac, a nil or empty tensor, a
// shape that does not match the data, or the first NaN/Inf element.
func Fixed16(t *nn.Tensor, mag, frac int) (*Tensor, error) {
	if err := checkSplit(mag, frac); err != nil {
		return nil, err
	}
	if err := checkInput(t); err != nil {
		return nil, err
	}
	q := &Tensor{
		Shape: append([]int(nil), t.Shape...), Codes: make([]int32, len(t.Data)),
		Scheme: SchemeFixed16, Bits: 16, Signed: true, Mag: mag, Frac: frac, Scale: math.Ldexp(1, -frac),
	}
	for i, v := range t.Data {
		x := math.Ldexp(float64(v), frac)
		x = max(-fixedLimit, min(fixedLimit, x))
		q.Codes[i] = int32(math.Round(x))
	}
	return q, nil
}

func checkSplit(mag, frac int) error {
	if mag < 0 || frac < 0 || mag+frac != 15 {
		return fmt.Errorf("quant: fixed16 split mag=%d frac=%d invalid: want mag, frac >= 0 and mag+frac = 15 (16 bits with the sign)", mag, frac)
	}
	return nil
}

// Fixed16Profiled quantizes t to 16-bit fixed point with a per-tensor
// split chosen by ProfileFixed16.
func Fixed16Profiled(t *nn.Tensor) (*Tensor, error) {
	if err := checkInput(t); err != nil {
		return nil, err
	}
	c := ProfileFixed16(t)
	return Fixed16(t, c.Mag, c.Frac)
}

// ProfileFixed16 chooses the 16-bit fixed-point split of t from its
// largest magnitude M = max |x|: Mag is the smallest m in 0..15 such that
// M * 2^(15-m) <= 2^15 - 1, so that no value clips, and Frac = 15 - Mag
// keeps every remaining bit for the fraction. A tensor whose M exceeds
// 2^15 - 1 cannot be held by any split; it gets Mag = 15 and its largest
// values clip. NaN and Inf values are ignored here (Fixed16 rejects them).
func ProfileFixed16(t *nn.Tensor) Config {
	var m float64
	if t != nil {
		for _, v := range t.Data {
			a := math.Abs(float64(v))
			if a > m && !math.IsInf(a, 0) {
				m = a
			}
		}
	}
	mag := 0
	for mag < 15 && math.Ldexp(m, 15-mag) > fixedLimit {
		mag++
	}
	return Config{Scheme: SchemeFixed16, Mag: mag, Frac: 15 - mag}
}
