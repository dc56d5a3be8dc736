// Package energy turns published per-operation energies into the per-event
// energies the accelerator models charge.
//
// The primitive numbers live in a CSV table (default.csv, embedded in the
// package; Load reads a user's own file of the same format). Each row is
//
//	name,size,energy_pj,per,source
//
// with name one of int_add (size = operand bits), int_mult (size = operand
// bits), sram_read (size = capacity in bytes, energy of one 64-bit read),
// dram_access (size ignored, energy of one 64-bit access). The source column
// must cite where the number comes from. The default table holds the 45 nm,
// 0.9 V numbers of M. Horowitz, "Computing's Energy Problem (and what we can
// do about it)", ISSCC 2014: 8b add 0.03 pJ, 32b add 0.1 pJ, 8b multiply
// 0.2 pJ, 32b multiply 3.1 pJ, 64-bit SRAM reads of 10/20/100 pJ for
// 8 KB/32 KB/1 MB, DRAM 1.3-2.6 nJ per 64 bits.
//
// # Scaling rules
//
// Nothing in the papers gives the energy of the exact circuits simulated, so
// every event energy is derived from the table by these documented rules:
//
//   - Adder energy is linear in the bit width: piecewise linear through the
//     int_add rows, extended linearly beyond the first and last row
//     (Add(5) = 0.021 pJ, Add(40) = 0.12 pJ with the default table).
//   - Multiplier energy is linear in the square of the bit width: piecewise
//     linear in bits^2 through the int_mult rows (Mult(16) = 0.78 pJ).
//   - An SRAM read costs the 64-bit read energy of the smallest listed
//     capacity that holds the buffer, divided by 64 per bit; a buffer larger
//     than every listed size costs the largest size's energy times
//     sqrt(capacity/largest) (wire length grows with the square root of
//     the area); an unlimited buffer (capacity 0) costs the largest size's
//     energy. Writes cost the same as reads.
//   - A DRAM bit costs the mean of the dram_access rows divided by 64
//     (1.95 nJ per 64 bits with the default table).
//
// # Events (P = operand bits, L = lanes per processing element)
//
//   - MAC, one bit-parallel multiply-accumulate: Mult(P) + Add(2P+8) (the
//     product joins a 2P+8-bit sum through the PE's adder tree and
//     accumulator).
//   - TermPair, one (activation term, weight term) pair in a Laconic PE
//     lane: Add(log2(P)+1) for the exponent sum plus Add(6) for the signed
//     6-bit histogram counter it increments; the sign XOR and the one-hot
//     decoder are taken as free.
//   - LPECycle, one cycle of a Laconic PE's reduction: the histogram's six
//     groups go through a 6-input adder tree (5 adds of 2P+6 bits: 22 bits
//     for the ISCA 2019 8-bit LPE) and the result is accumulated (Add(2P+8)).
//   - SIPCycle, one cycle of a Stripes serial inner-product unit: L-1 adds of
//     P+log2(L) bits in its adder tree plus one shift-accumulate Add(2P+8).
//   - PIPCycle, one cycle of a Pragmatic PE: L weight shifters (each costed
//     as a P-bit add), L-1 adds of 2P+log2(L) bits and one Add(2P+8).
//
// The resulting absolute energies are indicative only; ratios between
// accelerators simulated with the same table are the intended use.
package energy
