package terms

import "fmt"

// Encoding names a way of writing an integer as signed powers of two.
type Encoding string

// Encodings.
const (
	Binary Encoding = "binary" // popcount of the magnitude
	CSD    Encoding = "csd"    // canonical signed digit (NAF): the minimal signed-digit count
	Booth4 Encoding = "booth4" // radix-4 modified Booth digits of the two's-complement value
	DNNsim Encoding = "dnnsim" // the heuristic of the DNNsim simulator
)

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

// Format is the integer format of the codes being decomposed.
type Format struct {
	Bits   int  // 8 or 16
	Signed bool // two's complement when true
}

// Validate checks the format.
func (f Format) Validate() error {
	if f.Bits != 8 && f.Bits != 16 {
		return fmt.Errorf("terms: bits = %d, want 8 or 16", f.Bits)
	}
	return nil
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
