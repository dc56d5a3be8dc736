package terms

import (
	"fmt"
	"strconv"
)

// Encoding names a way of writing an integer as signed powers of two.
type Encoding string

// Encodings.
const (
	Binary Encoding = "binary" // popcount of the magnitude
	CSD    Encoding = "csd"    // canonical signed digit (NAF): the minimal signed-digit count
	Booth4 Encoding = "booth4" // radix-4 modified Booth digits of the two's-complement value
	DNNsim Encoding = "dnnsim" // the heuristic of the DNNsim simulator
)

// MaxTerms is the largest term count any encoding gives for any supported
// format (binary, unsigned 16-bit: 0xFFFF has 16 terms).
const MaxTerms = 16

// Encodings returns every encoding in a fixed order.
func Encodings() []Encoding { return []Encoding{Binary, CSD, Booth4, DNNsim} }

// ParseEncoding returns the encoding named s, or an error listing the valid names.
func ParseEncoding(s string) (Encoding, error) {
	for _, e := range Encodings() {
		if string(e) == s {
			return e, nil
		}
	}
	return "", fmt.Errorf("terms: unknown encoding %q (want binary, csd, booth4 or dnnsim)", s)
}

// Term is one signed power of two: (-1)^Negative * 2^Exp.
type Term struct {
	Negative bool
	Exp      int
}

// Value returns the term's value, (-1)^Negative * 2^Exp.
func (t Term) Value() int64 {
	v := int64(1) << uint(t.Exp)
	if t.Negative {
		return -v
	}
	return v
}

// String writes the term as "+2^e" or "-2^e".
func (t Term) String() string {
	s := "+2^"
	if t.Negative {
		s = "-2^"
	}
	return s + strconv.Itoa(t.Exp)
}

// Sum returns the value the terms add up to.
func Sum(ts []Term) int64 {
	var s int64
	for _, t := range ts {
		s += t.Value()
	}
	return s
}

// Format is the integer format of the codes being decomposed.
type Format struct {
	Bits   int  `json:"bits"`   // 8 or 16
	Signed bool `json:"signed"` // two's complement when true
}

// Validate checks the format.
func (f Format) Validate() error {
	if f.Bits != 8 && f.Bits != 16 {
		return fmt.Errorf("terms: bits = %d, want 8 or 16", f.Bits)
	}
	return nil
}

// String writes the format as "int8", "uint8", "int16" or "uint16".
func (f Format) String() string {
	if f.Signed {
		return "int" + strconv.Itoa(f.Bits)
	}
	return "uint" + strconv.Itoa(f.Bits)
}

// Min and Max return the range of representable codes.
func (f Format) Min() int32 {
	if f.Signed {
		return -(1 << (f.Bits - 1))
	}
	return 0
}

// Max returns the largest representable code.
func (f Format) Max() int32 {
	if f.Signed {
		return 1<<(f.Bits-1) - 1
	}
	return 1<<f.Bits - 1
}

// MagnitudeBits returns the number of magnitude bits of the format: Bits-1
// for signed formats (the sign bit excluded), Bits for unsigned ones. Every
// magnitude fits in them except that of the most negative signed code,
// 2^(Bits-1), which has a single set bit just above them.
func (f Format) MagnitudeBits() int {
	if f.Signed {
		return f.Bits - 1
	}
	return f.Bits
}
