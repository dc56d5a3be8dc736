// Package area estimates the silicon area of the accelerators the toolkit
// simulates, from a cited, replaceable table of primitive areas.
//
// # The table
//
// The primitive numbers live in a CSV table (default.csv, embedded in the
// package; Load reads a user's own file of the same format). Each row is
//
//	name,size,area_um2,per,source
//
// with area_um2 in square micrometres and one of these names, whose per
// column must name the unit shown:
//
//	int_add       size = operand bits      per operator
//	int_mult      size = operand bits      per operator
//	sram_macro    size = capacity in bits  per macro
//	register_bit  size ignored (1)         per bit
//	gate          size ignored (1)         per gate (2-input gate equivalent)
//
// Every name must appear (int_add and int_mult at least once, sram_macro at
// least once, register_bit and gate exactly once), areas must be finite and
// > 0, and the source column must cite where the number comes from.
// Errors name the file, the line and the field.
//
// The default table holds, at 45 nm:
//
//   - adders and multipliers: M. Horowitz, "Computing's Energy Problem (and
//     what we can do about it)", ISSCC 2014, area figures as they are
//     widely reproduced (a secondary source: not checked against the
//     original slides): 8b/16b/32b add 36/67/137 um2, 8b/32b multiply
//     282/3495 um2;
//   - SRAM: three CACTI-derived 45 nm SRAM macros, the bsg_fakeram
//     black-box macros (whose area a modified CACTI computes) shipped in
//     OpenROAD-flow-scripts (flow/platforms/nangate45/lib): 64x32 bits
//     1240.624 um2 (0.606 um2 per bit), 1024x32 bits 16406.082 um2
//     (0.501 um2 per bit), 2048x39 bits 45478.818 um2 (0.569 um2 per bit),
//     periphery included. For comparison, OpenRAM's documentation lists a
//     FreePDK45 density of 0.826 Mb/mm2 (about 1.2 um2 per bit) and a
//     fabricated 45 nm SRAM (JSSC 2011) of 0.33 Mb/mm2: the default is the
//     dense end, and a user table can replace it;
//   - a flip-flop (register_bit, 4.522 um2) and a 2-input gate equivalent
//     (gate, 0.798 um2): the Nangate 45 nm Open Cell Library's DFF_X1 and
//     NAND2_X1 cell sizes as recalled [U: not checked against the library
//     files here].
//
// # Scaling rules (assumptions)
//
//   - Adder area is linear in the width: piecewise linear through the
//     int_add rows, extended linearly beyond the first and last.
//   - Multiplier area is linear in the square of the width: piecewise
//     linear in bits^2 through the int_mult rows (16x16: 924.6 um2).
//   - A full-adder cell is the smallest listed adder's area over its width
//     (4.5 um2).
//   - A buffer is built of banks of the largest listed macro not larger
//     than it (the smallest macro for smaller buffers) and costs that
//     macro's area per bit; an unlimited buffer (capacity 0) is not costed.
//
// # Designs (Structure; P = operand bits, L = lanes per PE)
//
// Every design is a grid of processing elements (PEs), one window times one
// filter each, with L lanes; the counts below are per PE (Structure's
// fields are the named assumptions, DefaultStructure their defaults):
//
//   - BitParallelPE (DaDianNao-like): L P x P multipliers, L-1 adders of
//     2P+log2 L bits, an accumulator (a 2P+8-bit adder and register) and
//     2P operand register bits per lane.
//   - LaconicPE (ISCA 2019 LPE, generalised to P bits): per lane an
//     exponent adder of log2 P bits, a sign XOR and a one-hot decoder of
//     the exponent sum to 2P-1 outputs; 2P-1 signed histogram counters of
//     L inputs (one full-adder cell per input); concatenation of buckets
//     six apart into 6 groups (wiring); a 6-input adder tree (5 adders of
//     2P+6 bits, 22 bits at 8b as published); an accumulator; two term
//     registers (1+log2 P bits each) per lane.
//   - StripesPE (serial inner-product unit): per lane P ANDs, L-1 adders of
//     P+log2 L bits, a shift-and-accumulate (accumulator plus a 2:1 mux per
//     accumulator bit), a P-bit weight register and an activation bit per
//     lane.
//   - PragmaticPE: per lane a barrel shifter of the weight (log2 P stages of
//     2P muxes), L-1 adders of 2P+log2 L bits, an accumulator, a weight
//     register and one activation term per lane.
//   - TacticalPE (Bit-Tactical TCLp, for the published-ratio check only): a
//     StripesPE plus an 8-input activation multiplexer and its 3-bit
//     select register per lane.
//   - Queue: the input queues of finer synchronisation, entries x bits of
//     registers per unit; Buffer: the on-chip SRAM buffers.
//
// Package arch composes a configuration from these (arch.AreaOf). The
// absolute areas are indicative; ratios between designs composed from the
// same table are the intended use.
package area
