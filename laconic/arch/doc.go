// Package arch simulates the cycles and energy of deep-learning
// accelerators on real layers: a bit-parallel DaDianNao-like baseline,
// Laconic (Sharify et al., "Laconic Deep Learning Computing", arXiv
// 1805.04513, and ISCA 2019), Stripes and Pragmatic. A configuration (Config)
// names a model and every parameter; New or Simulate runs one layer, Sweep
// runs a grid of configurations over a network's layers on all cores and
// returns one tidy row per (model, layer, configuration).
//
// # Loop nest
//
// Every model runs the same loop nest over a layer (DNNsim's order): for
// each sample, for each filter group (Rows consecutive filters), for each
// window group (Columns consecutive output positions in raster order), for
// each kernel row r and column s, for each channel group (Lanes consecutive
// channels of the filter's conv group) there is one step. A step's products
// are every (window, filter, channel) of the groups: Columns x Rows x Lanes
// at most. A filter reads the channels of its own conv group, so grouped and
// depthwise convolutions work the same way (a depthwise step uses one lane).
// Padded positions hold the activation code ZeroPoint (0 for fixed point).
//
// A product of activation a and weight w costs c(a, w) = max(ZeroCost,
// fa(a)*fw(w)) lane cycles:
//
//	bitparallel  fa = 1,             fw = 1
//	laconic      fa = terms(a),      fw = terms(w)
//	pragmatic    fa = terms(a),      fw = 1
//	stripes      fa = precision(a),  fw = 1   (dynamic)
//	             fa = precision of the layer  (profiled)
//
// with terms counted by package terms under Config.Encoding on the codes in
// their own format, and precision as quant.Precision defines it (bit length
// of the magnitude, plus a sign bit for signed codes).
//
// # Synchronisation
//
// SyncTile (DNNsim's paper-era model): a step lasts as long as its slowest
// product, max over the step's products of c. SyncColumn and SyncLPE
// decouple columns (one window, all its filters) or PEs (one window, one
// filter); a unit's step lasts as long as its slowest product, and the
// units share the operand broadcasts through input queues of QueueDepth
// steps (see the recurrence below). SyncIdeal is the bound no schedule can
// beat: max(ceil(total work / (Columns*Rows*Lanes)), total transfer time),
// where total work is the sum of c over every product. Lock-step is never
// faster than column synchronisation, which is never faster than per-PE
// synchronisation, which is never faster than ideal; more wires and deeper
// queues are never slower (the tests check these on random layers).
//
// # Operand transfers (per step)
//
// A step cannot start before its operands arrive, and this is modelled per
// step. The weight interface (Memory.WeightWires wires) carries the step's
// distinct weights and the activation interface (Memory.ActWires) its
// distinct activations: a bit-parallel value is P bits (P = the operands'
// width, 16 or 8), a term is a sign and an exponent of log2(P) bits (16-bit:
// 1+4 = 5 bits, 8-bit: 1+3 = 4 bits), a serial activation is one bit per
// cycle of its precision:
//
//	weights:     bitparallel, stripes, pragmatic P bits; laconic terms(w) x termbits
//	activations: bitparallel P bits; stripes precision(a) bits;
//	             pragmatic, laconic terms(a) x termbits
//
// The transfer time of a step is x = max(ceil(weight bits / WeightWires),
// ceil(activation bits / ActWires)) (0 wires: unlimited, x = 0). Operands
// stream while the step computes: in lock-step a step lasts max(c, x). With
// decoupled units, for step s with unit costs c[u][s]:
//
//	b[s] = max(a[s-1], max_u start[u][s-D])      queue depth D >= 1
//	b[s] = max(a[s-1], max_u finish[u][s-1])     D = 0
//	a[s] = b[s] + x[s]
//	start[u][s]  = max(finish[u][s-1], b[s])
//	finish[u][s] = max(start[u][s] + c[u][s], a[s])
//
// and the layer takes max_u finish[u][last]. Lock-step is this with one
// unit and D = 0.
//
// # Fully-connected and LSTM layers
//
// Dense layers (and LSTM gates, computed as dense) have no weight reuse
// across windows with one sample, so their work items (filter group x
// channel group, channel group inner) are dealt round-robin to the columns
// for each sample, as DNNsim does: the issue clock waits until the item's
// column is free, the column is then busy for max(c_item, x_item) where
// c_item is the slowest product of the item, and the issue clock advances by
// max(1, x_item); a sample ends at the later of the issue clock and the
// last column. Each column fetches its own weights, so the weight interface
// bounds these layers: bit-parallel BASE-2K moves 2048 weight bits per
// item, Laconic only the weights' terms. Every synchronisation mode except
// ideal behaves like column synchronisation here.
//
// # Off-chip memory (per layer)
//
// Off-chip transfers overlap the computation at layer granularity: Cycles =
// max(ComputeCycles, DRAMCycles) with DRAMCycles = ceil(DRAM bits /
// OffChipBitsPerCycle). Layers run one after another and every layer reads
// its weights and input activations from DRAM and writes its outputs: the
// weights once when one filter group's weights fit in the weight buffer
// (once per sample for a dense layer whose weights do not all fit), else
// once per window group; the input once when it fits in the activation
// buffer, else once per filter group. Weights are stored in their interface
// format (terms for laconic), activations as P-bit values. 0 means
// unlimited for every memory parameter.
//
// # Energy
//
// A LayerResult carries activity counts (bit-parallel MACs, term pairs, PE
// cycles, buffer and DRAM bits). EnergyOf prices them with the per-event
// energies of package energy, derived from the 45 nm numbers of Horowitz,
// ISSCC 2014 by documented scaling rules (multipliers ~ bits^2, adders ~
// bits, SRAM by capacity, DRAM per bit): bitparallel MACs x MAC; laconic
// term pairs x TermPair + PE cycles x LPECycle; stripes and pragmatic PE
// cycles x SIPCycle or PIPCycle; buffer bits read and written x the SRAM
// energy per bit of the buffer's capacity; DRAM bits x the DRAM energy per
// bit. PE cycles count, for every PE, the cycles its synchronisation unit
// computes; waiting is taken as clock-gated and free.
//
// # Area, iso-area and iso-power
//
// AreaOf composes a configuration's area from package area's cited 45 nm
// table: Columns x Rows PEs of the model's published structure, the input
// queues of decoupled synchronisation and the buffers. Every Sweep row
// carries area_mm2 (area_compute_mm2 + area_buffer_mm2), the images it
// covers and the images per simulated batch, the clock (ClockGHz,
// DefaultClockGHz 1 GHz [U]), inferences per second per mm2, energy per
// inference and the energy-delay product. IsoArea and IsoPower resize
// configurations (columns, rows, or columns then rows) to the compute
// area or the average power of a target such as BASE-2K; the wire-count
// presets stay as they are. Because idle PEs cost no energy, a large
// design may be unable to draw a small one's power: IsoPower then
// returns an error wrapping ErrIso.
//
// # Presets and their assumptions
//
// The papers do not publish tile geometry, the mapping of wires to lanes,
// buffer sizes, clock or technology [U]; every such choice is a named
// parameter. The presets read the papers as follows (see also Presets):
//
//   - BASE-2K: bit-parallel, 1 window x 8 filters x 16 lanes per cycle, so
//     the weight interface carries 8 x 16 weights x 16 bits = 2048 wires per
//     cycle (one consistent reading of the 2K-wire baseline); activations
//     256 wires (16 x 16 bits).
//   - LAC-128, LAC-256, LAC-512, LAC-1K: Laconic with one weight wire per
//     weight lane: W/16 filters x 16 lanes, weights sent as 5-bit terms over
//     a W-wire interface, 16 windows sharing each weight (so 16 x W/16 x 16
//     LPE lanes); activations 16 x 16 lanes x 5 bits = 1280 wires; tile
//     lock-step; csd terms (the minimal signed-power-of-two count); a
//     product with no terms costs one cycle.
//   - STR-2K, DSTR-2K, PRA-2K: Stripes (profiled or dynamic precision) and
//     Pragmatic (binary one-bit offsets) with the baseline's 8 filters x 16
//     lanes and 2048-wire bit-parallel weight interface, processing 16
//     windows serially where the baseline processes one in parallel (the
//     arrangement of their papers); activations 256 wires (one bit per lane)
//     or 1280 wires (one 5-bit term per lane).
//   - Buffers: 2 MiB weight buffer (the order of DaDianNao's per-tile
//     weight eDRAM), 256 KiB activation buffer, 256 bits per cycle off chip
//     (32 GB/s at 1 GHz); all [U].
//   - DNNSIM-LAC and DNNSIM-BASE: see below.
//
// The headline of arXiv 1805.04513 (LAC-128 2.3x faster and 2.13x more
// energy efficient than the 2K-wire baseline, LAC-1K 15.4x and 1.95x) is
// what these presets are compared against; they are not tuned toward it.
//
// # DNNsim compatibility
//
// DNNSIM-LAC reproduces the paper-era Laconic cycle counts of the authors'
// DNNsim simulator as the toolkit's notes describe them: 16 windows x 256
// filters x 16 lanes in tile lock-step, dnnsim term encoding, a product with
// zero terms costs 1 cycle, a 3-channel layer with stride > 1 folded into a
// stride-1 layer of 3 x stride^2 channels (FoldFirstLayer), dense layers
// dealt round-robin to the columns, depthwise filters reading their own
// channel, no memory limits; cycles are summed over the samples. Use it on
// traces with DNNsim's fixed point (laconic.SimulateTraces). DNNSIM-BASE is
// the bit-parallel baseline of the same loop nest: one cycle per step. Where
// DNNsim's behaviour is ill-defined the toolkit does the evident thing and
// says so: a filter of a grouped convolution reads its own group (DNNsim
// takes the group of the first filter of the filter group), a depthwise
// filter with channel multiplier m reads channel f/m, a non-square input is
// folded with its own width, and every row of a dense or LSTM layer is one
// sample.
//
// # Speed
//
// The fast engine never loops over products in lock-step: term counts are
// non-negative, so the slowest product of a step is, per lane, (largest
// activation cost among the step's windows) x (largest weight cost among its
// filters), then the largest over lanes; the total work factorises as sum
// over (channel, kernel position) of (activation costs summed over windows) x
// (weight costs summed over filters). A per-product reference simulator in
// the tests must equal it exactly on random layers, every model and mode.
package arch
