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

// countCSD is the number of non-zero digits of the non-adjacent form of m,
// which is the minimal number of signed powers of two summing to m.
func countCSD(m uint32) int {
	n := uint64(m)
	c := 0
	for n != 0 {
		if n&1 == 1 {
			c++
			if n&3 == 3 {
				n++
			} else {
				n--
			}
		}
		n >>= 1
	}
	return c
}

// countBooth4 counts the non-zero radix-4 modified Booth digits of v as a
// Bits-wide two's-complement value (unsigned values are widened by one zero
// sign bit first). Digit i is -2*b[2i+1] + b[2i] + b[2i-1] with b[-1] = 0.
func countBooth4(v int32, f Format) int {
	width := f.Bits
	if !f.Signed {
		width++
	}
	if width%2 == 1 {
		width++
	}
	x := int64(v) // sign-extended
	c := 0
	prev := int64(0)
	for i := 0; i < width; i += 2 {
		b0 := (x >> uint(i)) & 1
		b1 := (x >> uint(i+1)) & 1
		if -2*b1+b0+prev != 0 {
			c++
		}
		prev = b1
	}
	return c
}

// dnnsimOut runs DNNsim's 3-bit-window heuristic over a width-bit magnitude
// and returns the output word whose set bits mark the terms.
func dnnsimOut(m uint32, width int) uint64 {
	s := uint64(m) << 2
	var out uint64
	run := false
	for i := 0; i < width; i++ {
		out <<= 1
		switch (s >> uint(width-1-i)) & 7 {
		case 0b010, 0b011:
			if run {
				out |= 1
			}
		case 0b100:
			out |= 1
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
	return out
}

// dnnsimWidth is the window count: Bits positions, one more for unsigned
// formats so that a run reaching the top bit is not lost.
func dnnsimWidth(f Format) int {
	if f.Signed {
		return f.Bits
	}
	return f.Bits + 1
}

func countDNNsim(m uint32, f Format) int { return bits.OnesCount64(dnnsimOut(m, dnnsimWidth(f))) }

// Count returns the number of terms of code v in format f under encoding e.
// It returns an error for an invalid format, an unknown encoding or a code
// outside the format's range.
func Count(e Encoding, v int32, f Format) (int, error) {
	if err := f.Validate(); err != nil {
		return 0, err
	}
	if v < f.Min() || v > f.Max() {
		return 0, fmt.Errorf("terms: code %d outside the %d-bit %s range [%d, %d]", v, f.Bits, signedness(f), f.Min(), f.Max())
	}
	return count(e, v, f)
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

func signedness(f Format) string {
	if f.Signed {
		return "signed"
	}
	return "unsigned"
}
