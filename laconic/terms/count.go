package terms

import (
	"fmt"
	"math/bits"
)

// magnitude returns |v| for signed formats and v for unsigned ones.
func magnitude(v int32, f Format) uint32 {
	if f.Signed && v < 0 {
		return uint32(-int64(v))
	}
	return uint32(v)
}

// countBinary is the popcount of the magnitude.
func countBinary(m uint32) int { return bits.OnesCount32(m) }

// naf returns the non-adjacent form of m as two masks: bit i of pos (neg)
// set means digit i is +1 (-1). It uses the bit identity NAF(m) =
// ((3m &^ m) >> 1) - ((m &^ 3m) >> 1): the non-zero digits sit where 3m and
// m differ, one position down, with the sign of the bit of 3m there. The
// tests check it exhaustively against the digit-by-digit recoding and
// against a breadth-first search for the minimal signed-digit count.
func naf(m uint32) (pos, neg uint64) {
	n := uint64(m)
	x := 3 * n
	c := x ^ n
	return (x & c) >> 1, (n & c) >> 1
}

// countCSD is the number of non-zero digits of the non-adjacent form of m,
// which is the minimal number of signed powers of two summing to m.
func countCSD(m uint32) int {
	n := uint64(m)
	return bits.OnesCount64(((3 * n) ^ n) >> 1)
}

// boothWidth is the two's-complement width the radix-4 Booth recoding
// scans: Bits for signed formats; Bits+1 for unsigned ones (a zero sign bit
// is prepended), rounded up to an even number of bits.
func boothWidth(f Format) int {
	w := f.Bits
	if !f.Signed {
		w++
	}
	return w + w%2
}

// booth4Digit returns radix-4 modified Booth digit i of x (sign-extended):
// -2*b[2i+1] + b[2i] + b[2i-1], with b[-1] = 0. It is in -2..2.
func booth4Digit(x int64, i int) int64 {
	b1 := (x >> uint(2*i+1)) & 1
	b0 := (x >> uint(2*i)) & 1
	var bm int64
	if i > 0 {
		bm = (x >> uint(2*i-1)) & 1
	}
	return -2*b1 + b0 + bm
}

// countBooth4 counts the non-zero radix-4 modified Booth digits of v as a
// Bits-wide two's-complement value (unsigned values are widened by one zero
// sign bit first).
func countBooth4(v int32, f Format) int {
	c := 0
	for i := 0; i < boothWidth(f)/2; i++ {
		if booth4Digit(int64(v), i) != 0 {
			c++
		}
	}
	return c
}

// dnnsimOut runs DNNsim's 3-bit-window heuristic over a width-bit magnitude
// and returns the output word whose set bits mark the terms, and the subset
// of those bits set while inside a run (the terms that subtract).
//
// Window p (p = width-1 down to 0) sees bits p, p-1, p-2 of m (bits below 0
// are the two appended zeros). A run starts at a window 111 with a term
// +2^(p+1) and covers the following windows until a window 100, which ends
// it with -2^p; inside a run every zero bit p (windows 010 and 011) costs
// -2^p. So a run from bit a down to bit b stands for 2^(a+1) - 2^b minus its
// zero bits, which is exactly its bits: the signed terms always add up to m.
// Outside runs, windows 100, 101 and 110 give +2^p.
func dnnsimOut(m uint32, width int) (out, neg uint64) {
	s := uint64(m) << 2
	run := false
	for i := 0; i < width; i++ {
		out <<= 1
		neg <<= 1
		switch (s >> uint(width-1-i)) & 7 {
		case 0b010, 0b011:
			if run {
				out |= 1
				neg |= 1
			}
		case 0b100:
			out |= 1
			if run {
				neg |= 1
			}
			run = false
		case 0b101, 0b110:
			if !run {
				out |= 1
			}
		case 0b111:
			if !run {
				out |= 2
				run = true
			}
		}
	}
	return out, neg
}

// dnnsimWidth is the window count: Bits positions, one more for unsigned
// formats so that a run reaching the top bit is not lost.
func dnnsimWidth(f Format) int {
	if f.Signed {
		return f.Bits
	}
	return f.Bits + 1
}

// dnnsimMagnitude is the magnitude DNNsim's counter sees: for signed
// formats the sign position (bit Bits-1) of |v| is masked off, as DNNsim
// b557f66 does before counting (github.com/isakedo/DNNsim, commit b557f66,
// cnpy/src/Array.cpp, powers_of_two_representation). Only the most negative
// code, whose magnitude 2^(Bits-1) is that single bit, is affected: it has
// no terms.
func dnnsimMagnitude(m uint32, f Format) uint32 {
	if f.Signed {
		return m &^ (1 << uint(f.Bits-1))
	}
	return m
}

func countDNNsim(m uint32, f Format) int {
	out, _ := dnnsimOut(dnnsimMagnitude(m, f), dnnsimWidth(f))
	return bits.OnesCount64(out)
}

// Count returns the number of terms of code v in format f under encoding e.
// It returns an error for an invalid format, an unknown encoding or a code
// outside the format's range.
func Count(e Encoding, v int32, f Format) (int, error) {
	if err := checkCode(v, f); err != nil {
		return 0, err
	}
	return count(e, v, f)
}

func checkCode(v int32, f Format) error {
	if err := f.Validate(); err != nil {
		return err
	}
	if v < f.Min() || v > f.Max() {
		return fmt.Errorf("terms: code %d outside the %s range [%d, %d]", v, f, f.Min(), f.Max())
	}
	return nil
}

func count(e Encoding, v int32, f Format) (int, error) {
	m := magnitude(v, f)
	switch e {
	case Binary:
		return countBinary(m), nil
	case CSD:
		return countCSD(m), nil
	case Booth4:
		return countBooth4(v, f), nil
	case DNNsim:
		return countDNNsim(m, f), nil
	}
	_, err := ParseEncoding(string(e))
	return 0, err
}

// Decompose returns the terms of code v in format f under encoding e, in
// increasing order of exponent. The terms add up to v (the one exception is
// DNNsim's most negative signed code, below):
//
//   - Binary: one +2^i per set bit i of |v|.
//   - CSD: the non-zero digits of the non-adjacent form of |v|.
//   - Booth4: the non-zero radix-4 Booth digits d_i in {-2,-1,1,2} of the
//     two's-complement value (unsigned values widened with a zero sign bit),
//     digit d_i giving the term ±2^(2i) (|d_i| = 1) or ±2^(2i+1) (|d_i| = 2).
//   - DNNsim: the positions the heuristic marks in its output word (see the
//     package documentation), with sign + outside a run and for the term
//     that opens a run, and - for the terms set inside a run. This sign
//     rule reconstructs every value, so DNNsim is a true decomposition and
//     not only a count, except for the most negative signed code (-32768,
//     -128): DNNsim masks the sign position of the magnitude, so that code
//     has no terms.
//
// Binary, CSD and DNNsim decompose the magnitude; for a negative signed v
// every term's sign is flipped. len(Decompose(...)) always equals Count.
func Decompose(e Encoding, v int32, f Format) ([]Term, error) {
	if err := checkCode(v, f); err != nil {
		return nil, err
	}
	if _, err := ParseEncoding(string(e)); err != nil {
		return nil, err
	}
	m := magnitude(v, f)
	var pos, neg uint64
	switch e {
	case Binary:
		pos = uint64(m)
	case CSD:
		pos, neg = naf(m)
	case DNNsim:
		out, n := dnnsimOut(dnnsimMagnitude(m, f), dnnsimWidth(f))
		pos, neg = out&^n, n
	case Booth4:
		var ts []Term
		for i := 0; i < boothWidth(f)/2; i++ {
			switch d := booth4Digit(int64(v), i); d {
			case 1, -1:
				ts = append(ts, Term{Negative: d < 0, Exp: 2 * i})
			case 2, -2:
				ts = append(ts, Term{Negative: d < 0, Exp: 2*i + 1})
			}
		}
		return ts, nil
	}
	flip := f.Signed && v < 0
	ts := make([]Term, 0, bits.OnesCount64(pos|neg))
	for all := pos | neg; all != 0; all &= all - 1 {
		i := bits.TrailingZeros64(all)
		ts = append(ts, Term{Negative: (neg>>uint(i))&1 == 1 != flip, Exp: i})
	}
	return ts, nil
}
