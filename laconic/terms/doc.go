// Package terms decomposes integers into signed powers of two ("terms") under
// several encodings and counts them in bulk.
//
// A term-serial multiplier such as Laconic (Sharify et al., "Laconic Deep
// Learning Computing", arXiv 1805.04513) processes a product A*W as the
// sum over term pairs of (-1)^(s xor s') 2^(t + t'), so the work of one
// product is terms(A) x terms(W).
//
// # Formats
//
// Codes are 8- or 16-bit integers (Format), signed (two's complement,
// -2^(P-1)..2^(P-1)-1) or unsigned (0..2^P-1). The magnitude of a code is
// |v| for signed formats and v for unsigned ones.
//
// # Encodings
//
//   - Binary: one term per set bit of the magnitude (popcount).
//   - CSD: the canonical signed digit (non-adjacent) form of the magnitude:
//     digits in {-1, 0, 1}, no two adjacent non-zero digits; its non-zero
//     digit count is the minimal number of signed powers of two that add up
//     to the magnitude.
//   - Booth4: radix-4 modified Booth recoding of the two's-complement value
//     (not of the magnitude): digit i = -2*b[2i+1] + b[2i] + b[2i-1] with
//     b[-1] = 0, each in {-2,-1,0,1,2} and weighted 4^i. A signed P-bit value
//     has P/2 digits; an unsigned value is widened by a zero sign bit first
//     (so an unsigned P-bit value has P/2+1 digits). Terms are the non-zero
//     digits.
//   - DNNsim: the heuristic of DNNsim, the simulator of the Laconic authors
//     (behaviour as described in the toolkit's notes on that simulator; no
//     code of it is used). On a magnitude n of W window positions (W = P
//     for signed formats, P+1 for unsigned ones so that a run reaching the
//     top bit is kept) two zero bits are appended below n; a 3-bit window
//     slides from the most significant end over W positions with a flag
//     "inside a run" (initially false) while a W-bit output shifts left by
//     one per position. Windows 000 and 001 do nothing; 010 and 011 set
//     output bit 0 inside a run; 100 sets bit 0 and leaves the run; 101 and
//     110 set bit 0 outside a run; 111 outside a run sets bit 1 (one
//     position higher) and enters the run. The term count is the popcount
//     of the output. It is never worse than Binary and sometimes worse than
//     CSD: over 0..32767 it differs from CSD for 6147 values, with a maximum
//     of 10 terms first reached at 14043.
//
// DNNsim's output bits carry no signs, but a sign rule makes them a true
// decomposition: the term that opens a run (window 111, at one position
// above the window) and the terms set outside runs are positive, the terms
// set inside a run (its zero bits, and its last one bit at window 100) are
// negative. A run from bit a down to bit b then stands for 2^(a+1) - 2^b
// minus its zero bits, which is exactly the bits it covers; Decompose
// returns these signed terms and the tests check that they add up to every
// value of every format.
//
// DNNsim masks the sign position of the magnitude before counting
// (github.com/isakedo/DNNsim, commit b557f66), so under the DNNsim encoding
// the most negative signed code (-32768 in 16 bits, -128 in 8 bits), whose
// magnitude is exactly that bit, has 0 terms: it is the one value whose
// terms do not add up to it. DNNsim's own fixed-point rule clamps values to
// +-(2^15 - 1), so its traces never hold that code.
//
// For Binary, CSD and DNNsim a negative signed code decomposes its
// magnitude and every term carries the negative sign.
//
// # Bulk counting and statistics
//
// A Table holds the count of every code of one format and encoding;
// CountInt16, CountInt32 and CountUint8 fill slices of counts by lookup
// (CountInt16 is the fast path for 16-bit tensors) and StatsInt16,
// StatsInt32 and StatsUint8 summarise slices as Stats: value count, zeros,
// total terms, histogram of term counts, mean terms, value sparsity and bit
// sparsity (the fraction of zero bits among the Format.MagnitudeBits()
// magnitude bits).
package terms
