package quant

// Scheme names a quantization.
type Scheme string

// Quantization schemes.
const (
	// Fixed16 is 16-bit two's-complement fixed point with Mag magnitude bits
	// (sign excluded) and Frac fraction bits, Mag+Frac = 15.
	Fixed16 Scheme = "fixed16"
	// Affine8 is 8-bit affine (asymmetric) quantization as TensorFlow does:
	// value = (code - ZeroPoint) * Scale, codes 0..255, from min/max.
	Affine8 Scheme = "affine8"
	// Raw keeps the integer codes a model already stores (uint8 with
	// per-tensor min and scale: value = Min + Scale*code).
	Raw Scheme = "raw"
)

// Tensor is a quantized tensor: the integer codes a multiplier would see,
// with what is needed to map them back to real values.
//
// For Fixed16, Codes are signed (Signed = true, Bits = 16), value =
// Code * 2^-Frac. For Affine8 and Raw, Codes are unsigned 0..255 (Signed =
// false, Bits = 8) and value = (Code - ZeroPoint) * Scale.
type Tensor struct {
	Shape     []int
	Codes     []int32
	Scheme    Scheme
	Bits      int
	Signed    bool
	Mag, Frac int     // Fixed16 only
	Scale     float64 // Affine8 and Raw
	ZeroPoint int32   // Affine8 and Raw
}
