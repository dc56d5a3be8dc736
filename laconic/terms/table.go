package terms

import (
	"fmt"
	"math/bits"
)

// invalid marks, in the lookup tables, a code outside the table's format.
// Term counts never exceed MaxTerms, so the bit is free.
const invalid = 0x80

// Table holds the term count of every code of one format under one
// encoding, for bulk counting by lookup. A Table is read-only after
// NewTable and safe for concurrent use.
type Table struct {
	Encoding Encoding
	Format   Format
	counts   []uint8         // indexed by code - Format.Min()
	lut16    *[1 << 16]uint8 // indexed by uint16(int16 code); invalid outside the format
	lut8     [256]uint8      // indexed by a uint8 code; invalid outside the format
}

// NewTable builds the lookup table of encoding e for format f.
func NewTable(e Encoding, f Format) (*Table, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	if _, err := ParseEncoding(string(e)); err != nil {
		return nil, err
	}
	lo, hi := f.Min(), f.Max()
	t := &Table{Encoding: e, Format: f, counts: make([]uint8, int(hi-lo)+1), lut16: new([1 << 16]uint8)}
	for v := lo; v <= hi; v++ {
		c, _ := count(e, v, f)
		t.counts[v-lo] = uint8(c)
	}
	for i := range t.lut16 {
		t.lut16[i] = t.lookup(int32(int16(uint16(i))))
	}
	for i := range t.lut8 {
		t.lut8[i] = t.lookup(int32(i))
	}
	return t, nil
}

// lookup returns the count of v, or invalid when v is outside the format.
func (t *Table) lookup(v int32) uint8 {
	if v < t.Format.Min() || v > t.Format.Max() {
		return invalid
	}
	return t.counts[v-t.Format.Min()]
}

// Count returns the term count of code v. It panics if v is outside the
// table's format (programmer misuse: quantized codes are always in range).
func (t *Table) Count(v int32) int { return int(t.counts[v-t.Format.Min()]) }

func (t *Table) rangeError(i int, v int32) error {
	return fmt.Errorf("terms: element %d = %d outside the %s range [%d, %d]", i, v, t.Format, t.Format.Min(), t.Format.Max())
}

func shortDst(nd, ns int) error {
	return fmt.Errorf("terms: destination holds %d counts, need %d", nd, ns)
}

// CountInt32 writes the term count of every code of src into dst, which
// must be at least as long as src. It returns an error naming the first
// code outside the format's range; dst is then partly written.
func (t *Table) CountInt32(dst []uint8, src []int32) error {
	if len(dst) < len(src) {
		return shortDst(len(dst), len(src))
	}
	lo := t.Format.Min()
	n := uint32(len(t.counts))
	for i, v := range src {
		k := uint32(v - lo)
		if k >= n {
			return t.rangeError(i, v)
		}
		dst[i] = t.counts[k]
	}
	return nil
}

// CountInt16 writes the term count of every code of src into dst, which
// must be at least as long as src. It is the fast path for 16-bit tensors:
// one branch-free lookup per value in a 64 KiB table. Codes outside the
// table's format (negative codes for an unsigned format, codes beyond
// -128..127 for int8) give an error naming the first of them; dst is then
// partly written.
func (t *Table) CountInt16(dst []uint8, src []int16) error {
	if len(dst) < len(src) {
		return shortDst(len(dst), len(src))
	}
	lut := t.lut16
	dst = dst[:len(src)]
	var bad uint8
	// Four values per step: independent loads keep the lookups in flight.
	i := 0
	for ; i+4 <= len(src); i += 4 {
		s := src[i : i+4 : i+4]
		d := dst[i : i+4 : i+4]
		c0, c1, c2, c3 := lut[uint16(s[0])], lut[uint16(s[1])], lut[uint16(s[2])], lut[uint16(s[3])]
		d[0], d[1], d[2], d[3] = c0, c1, c2, c3
		bad |= c0 | c1 | c2 | c3
	}
	for ; i < len(src); i++ {
		c := lut[uint16(src[i])]
		dst[i] = c
		bad |= c
	}
	if bad&invalid != 0 {
		return t.firstInvalid16(src)
	}
	return nil
}

func (t *Table) firstInvalid16(src []int16) error {
	for i, v := range src {
		if t.lut16[uint16(v)]&invalid != 0 {
			return t.rangeError(i, int32(v))
		}
	}
	return nil
}

// CountUint8 writes the term count of every code of src into dst, which
// must be at least as long as src. For a signed 8-bit table the codes must
// be 0..127 (error otherwise); src is read as unsigned codes (affine 8-bit
// and raw model codes).
func (t *Table) CountUint8(dst []uint8, src []uint8) error {
	if len(dst) < len(src) {
		return shortDst(len(dst), len(src))
	}
	dst = dst[:len(src)]
	var bad uint8
	for i, v := range src {
		c := t.lut8[v]
		dst[i] = c
		bad |= c
	}
	if bad&invalid != 0 {
		for i, v := range src {
			if t.lut8[v]&invalid != 0 {
				return t.rangeError(i, int32(v))
			}
		}
	}
	return nil
}

// Stats summarises the term counts of a set of codes of one format under
// one encoding. The zero value, or NewStats, is an empty summary; Add
// merges summaries.
type Stats struct {
	Encoding Encoding `json:"encoding"`
	Format   Format   `json:"format"`
	// N is the number of values.
	N int64 `json:"n"`
	// Zeros is the number of values equal to 0. They have no terms under
	// every encoding, so Zeros == Hist[0] except under DNNsim, where the
	// most negative signed code has no terms either.
	Zeros int64 `json:"zeros"`
	// Terms is the total number of terms under Encoding.
	Terms int64 `json:"terms"`
	// OneBits is the total number of set bits of the magnitudes, |v| for
	// signed formats and v for unsigned ones (the binary term count,
	// whatever Encoding is).
	OneBits int64 `json:"one_bits"`
	// Hist[k] is the number of values with k terms.
	Hist [MaxTerms + 1]int64 `json:"hist"`
}

// NewStats returns an empty summary for encoding e and format f.
func NewStats(e Encoding, f Format) Stats { return Stats{Encoding: e, Format: f} }

// MeanTerms returns Terms / N, the mean number of terms per value (0 when N
// is 0).
func (s Stats) MeanTerms() float64 { return ratio(s.Terms, s.N) }

// ZeroFraction returns Zeros / N, the value sparsity (0 when N is 0).
func (s Stats) ZeroFraction() float64 { return ratio(s.Zeros, s.N) }

// BitSparsity returns the fraction of zero bits among the magnitude bits:
//
//	1 - OneBits / (N * B),  B = Format.MagnitudeBits()
//
// that is, B = Bits-1 for signed formats (the magnitude |v| without the
// sign bit) and B = Bits for unsigned formats. The magnitude 2^(Bits-1) of
// the most negative signed code has its one set bit just above the B bits
// and counts as one set bit. It is 0 when N is 0.
func (s Stats) BitSparsity() float64 {
	if s.N == 0 {
		return 0
	}
	return 1 - float64(s.OneBits)/(float64(s.N)*float64(s.Format.MagnitudeBits()))
}

// MaxCount returns the largest term count seen (0 when N is 0).
func (s Stats) MaxCount() int {
	for k := MaxTerms; k > 0; k-- {
		if s.Hist[k] != 0 {
			return k
		}
	}
	return 0
}

// Add merges o into s. A summary with no encoding set (the zero value)
// takes o's encoding and format; otherwise they must match.
func (s *Stats) Add(o Stats) error {
	if s.Encoding == "" && s.N == 0 {
		s.Encoding, s.Format = o.Encoding, o.Format
	}
	if o.N == 0 && o.Encoding == "" {
		return nil
	}
	if s.Encoding != o.Encoding || s.Format != o.Format {
		return fmt.Errorf("terms: cannot add %s %s stats to %s %s stats", o.Encoding, o.Format, s.Encoding, s.Format)
	}
	s.N += o.N
	s.Zeros += o.Zeros
	s.Terms += o.Terms
	s.OneBits += o.OneBits
	for k := range s.Hist {
		s.Hist[k] += o.Hist[k]
	}
	return nil
}

func ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// finish fills a Stats from a histogram of lookup results; h[k] for k with
// the invalid bit set must be zero (checked by the callers).
func (t *Table) finish(h *[256]int64, n, ones, zeros int64) Stats {
	s := NewStats(t.Encoding, t.Format)
	s.N, s.OneBits = n, ones
	for k := 0; k <= MaxTerms; k++ {
		s.Hist[k] = h[k]
		s.Terms += int64(k) * h[k]
	}
	s.Zeros = zeros
	return s
}

func hasInvalid(h *[256]int64) bool {
	for k := invalid; k < len(h); k++ {
		if h[k] != 0 {
			return true
		}
	}
	return false
}

// StatsInt16 summarises the codes of src. It returns an error naming the
// first code outside the table's format.
func (t *Table) StatsInt16(src []int16) (Stats, error) {
	var h [256]int64
	var ones, zeros int64
	lut := t.lut16
	for _, v := range src {
		h[lut[uint16(v)]]++
		m := int32(v)
		if m < 0 {
			m = -m
		}
		ones += int64(bits.OnesCount32(uint32(m)))
		zeros += int64((uint32(m) - 1) >> 31) // m <= 32768: 1 only for m == 0
	}
	if hasInvalid(&h) {
		return Stats{}, t.firstInvalid16(src)
	}
	return t.finish(&h, int64(len(src)), ones, zeros), nil
}

// StatsInt32 summarises the codes of src. It returns an error naming the
// first code outside the table's format.
func (t *Table) StatsInt32(src []int32) (Stats, error) {
	var h [256]int64
	var ones, zeros int64
	lo := t.Format.Min()
	n := uint32(len(t.counts))
	for i, v := range src {
		k := uint32(v - lo)
		if k >= n {
			return Stats{}, t.rangeError(i, v)
		}
		h[t.counts[k]]++
		ones += int64(bits.OnesCount32(magnitude(v, t.Format)))
		zeros += int64((uint32(v|-v) >> 31) ^ 1)
	}
	return t.finish(&h, int64(len(src)), ones, zeros), nil
}

// StatsUint8 summarises the unsigned codes of src. It returns an error
// naming the first code outside the table's format.
func (t *Table) StatsUint8(src []uint8) (Stats, error) {
	var h [256]int64
	var ones, zeros int64
	for _, v := range src {
		h[t.lut8[v]]++
		ones += int64(bits.OnesCount8(v))
		zeros += int64((uint32(v) - 1) >> 31)
	}
	if hasInvalid(&h) {
		for i, v := range src {
			if t.lut8[v]&invalid != 0 {
				return Stats{}, t.rangeError(i, int32(v))
			}
		}
	}
	return t.finish(&h, int64(len(src)), ones, zeros), nil
}
