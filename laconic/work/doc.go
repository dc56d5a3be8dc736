// Package work computes the potential work of every execution scheme the
// Laconic papers compare (Sharify et al., "Laconic Deep Learning
// Computing", arXiv 1805.04513; ISCA 2019), per compute layer, from the
// quantized activation and weight codes a multiplier sees.
//
// A scheme charges each (activation a, weight w) product a work in
// term-pair (single-bit product) units; with P the baseline width, ta/tw
// the terms of a/w under an encoding, pa/pw the per-layer precisions and
// pg the dynamic precision of a's group of channels:
//
//	Base      P*P                     bit-parallel
//	A         [a != 0]*P*P            zero activations skipped
//	W         [w != 0]*P*P            zero weights skipped
//	W+A       [a != 0][w != 0]*P*P    either skipped
//	Ap        pa*P                    activation precision (Stripes)
//	Ap-dyn    pg*P                    dynamic per-group precision
//	Ae        ta*P                    activation terms (Pragmatic)
//	We        P*tw                    weight terms
//	W+Ap      [w != 0]*pa*P           Bit-Tactical TCLp
//	W+Ae      [w != 0]*ta*P           Bit-Tactical TCLe
//	We+Ae     ta*tw                   Laconic
//	Wp+Ap     pa*pw                   Loom
//	BitFusion b(pa)*b(pw)             b(p) = p rounded up to a power of two >= 2
//
// and the potential speedup of a scheme is the Base work divided by its
// work, both summed over all multiplies of a layer or a network (a
// network's speedup weights layers by work; it is never an average of
// ratios). Options.ZeroCost chooses between the papers' potential (a
// product with zero terms costs 0) and DNNsim's convention (it costs 1);
// the Options doc lists the schemes it affects.
//
// Every scheme is a sum over multiplies of f(a)*g(w). Compute never visits
// a multiply: per input channel and kernel offset it multiplies the sum of
// g over the filters of the channel's group by the windowed, strided sum of
// f over the output positions (per-residue prefix sums of the padded
// plane), in exact int64 arithmetic, channels spread over all cores with a
// result that does not depend on the schedule. A padded position is a zero
// activation.
//
// Compute also characterises the codes (TensorStats: value and bit
// sparsity, precision, dynamic group precision, terms per encoding and
// their histograms). LayerTable, Totals, CharacterizationTable,
// HistogramTable and DNNsimTable turn results into tidy Arrow tables with
// provenance; DNNsimPreset reproduces the conventions of the DNNsim
// simulator.
package work
