package work

import (
	"fmt"
	"math/bits"

	"github.com/laconiclab/toolkit/laconic/terms"
)

// NumEncodings is the number of term encodings the characterisation counts,
// in terms.Encodings() order (binary, csd, booth4, dnnsim).
const NumEncodings = 4

// TensorStats characterises one quantized tensor as the ISPASS 2019
// follow-up of the Laconic work measures it (value and bit sparsity,
// profiled and dynamic precision, effectual terms per encoding). Padded
// positions are not part of the tensor and are not counted here.
type TensorStats struct {
	Bits   int  `json:"bits"`   // code width (8 or 16)
	Signed bool `json:"signed"` // two's-complement codes
	// Values is the number of codes, Zeros those equal to 0.
	Values int64 `json:"values"`
	Zeros  int64 `json:"zeros"`
	// OneBits is the number of 1 bits over all magnitudes (= binary terms).
	OneBits int64 `json:"one_bits"`
	// Precision is the bits needed to hold every code (see Precision).
	Precision int `json:"precision"`
	// Groups and GroupPrecisionSum give the mean dynamic precision of the
	// groups of Options.Group consecutive channels (axis 1) at the same
	// position; a trailing partial group is a group of its own.
	Groups            int64 `json:"groups"`
	GroupPrecisionSum int64 `json:"group_precision_sum"`
	// Terms is the total number of terms per encoding; Hist[e][t] the number
	// of codes with t terms under encoding e (t from 0 to the largest count
	// any code of the format has under e).
	Terms [NumEncodings]int64   `json:"terms"`
	Hist  [NumEncodings][]int64 `json:"hist"`
}

// MagnitudeBits returns the magnitude bits of a code: Bits-1 for signed
// formats (the sign bit excluded), Bits for unsigned ones.
func (s TensorStats) MagnitudeBits() int {
	if s.Signed {
		return s.Bits - 1
	}
	return s.Bits
}

// ZeroFraction returns the value sparsity Zeros/Values (0 for no values).
func (s TensorStats) ZeroFraction() float64 { return ratio(s.Zeros, s.Values) }

// BitSparsity returns the fraction of zero bits among the magnitude bits of
// all codes: 1 - OneBits / (Values * MagnitudeBits()), where the magnitude
// of a signed code is its absolute value (a code of -2^(Bits-1), which
// fixed-point quantization never produces, counts its 2^(Bits-1) bit).
func (s TensorStats) BitSparsity() float64 {
	if s.Values == 0 {
		return 0
	}
	return 1 - float64(s.OneBits)/(float64(s.Values)*float64(s.MagnitudeBits()))
}

// MeanTerms returns the mean number of terms per code under encoding e.
func (s TensorStats) MeanTerms(e terms.Encoding) float64 {
	i := encodingIndex(e)
	if i < 0 {
		return 0
	}
	return ratio(s.Terms[i], s.Values)
}

// MeanGroupPrecision returns the mean dynamic precision over groups.
func (s TensorStats) MeanGroupPrecision() float64 { return ratio(s.GroupPrecisionSum, s.Groups) }

func ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// add accumulates o into s (two batches of the same layer's activations).
func (s *TensorStats) add(o TensorStats) error {
	if s.Bits != o.Bits || s.Signed != o.Signed {
		return fmt.Errorf("%d-bit signed=%v codes cannot merge with %d-bit signed=%v codes", o.Bits, o.Signed, s.Bits, s.Signed)
	}
	s.Values += o.Values
	s.Zeros += o.Zeros
	s.OneBits += o.OneBits
	s.Precision = max(s.Precision, o.Precision)
	s.Groups += o.Groups
	s.GroupPrecisionSum += o.GroupPrecisionSum
	for e := range s.Terms {
		s.Terms[e] += o.Terms[e]
		if len(s.Hist[e]) < len(o.Hist[e]) {
			s.Hist[e] = append(s.Hist[e], make([]int64, len(o.Hist[e])-len(s.Hist[e]))...)
		}
		for t, c := range o.Hist[e] {
			s.Hist[e][t] += c
		}
	}
	return nil
}

// statsFromHist characterises a tensor from the histogram of its codes
// (hist[i] counts code f.Min()+i).
func statsFromHist(hist []int64, f terms.Format) (TensorStats, error) {
	s := TensorStats{Bits: f.Bits, Signed: f.Signed}
	var luts [NumEncodings]*lut
	for i, e := range terms.Encodings() {
		l, err := lutFor(e, f)
		if err != nil {
			return s, err
		}
		luts[i] = l
		s.Hist[i] = make([]int64, l.max+1)
	}
	lo := f.Min()
	var or uint32
	for i, h := range hist {
		if h == 0 {
			continue
		}
		v := lo + int32(i)
		m := magnitude(v, f.Signed)
		or |= m
		s.Values += h
		if v == 0 {
			s.Zeros += h
		}
		s.OneBits += h * int64(bits.OnesCount32(m))
		for e, l := range luts {
			t := l.counts[i]
			s.Terms[e] += h * int64(t)
			s.Hist[e][t] += h
		}
	}
	s.Precision = Precision(or, f)
	return s, nil
}
