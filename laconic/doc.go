// Package laconic is the notebook-facing facade of the toolkit: a model in,
// Arrow tables and figures out.
//
// The toolkit decomposes every multiply of a real network into signed
// power-of-two terms (package terms), measures how much of that work each
// bit- or value-aware scheme would still do (package work), and simulates
// what a term-serial accelerator such as Laconic gains in cycles and energy
// over a bit-parallel one and the designs between them (package arch).
// This package strings those steps together:
//
//   - LoadModel fetches (once, into the zoo cache) and loads a built-in
//     model such as "mobilenet_v2" or "inception_v3"; LoadModelFile loads a
//     user's ONNX file or TensorFlow.js directory. Model.Classify runs the
//     Go forward pass on image files.
//   - Potentials runs a model on images and returns the per-layer potential
//     work of every scheme (Base, A, W, W+A, Ap, Ae, We, W+Ap, W+Ae,
//     We+Ae, Wp+Ap, BitFusion) with network totals, the bit-level
//     characterisation and term-count histograms; PotentialsFromTraces does
//     the same from a DNNsim model/trace folder, which WriteTraces writes
//     from the forward pass (for cross-checks with DNNsim itself). DefaultPotentialOptions
//     is the papers' convention (16-bit profiled fixed point, csd terms,
//     zero-term products free); DNNsimPotentialOptions is DNNsim's.
//   - Simulate and SimulateWith run accelerator presets (see arch.Presets,
//     or `laconic archs`) or any arch.Config grid; SimulateTraces reads a
//     DNNsim folder. Results are per layer and per network, with cycles,
//     speedup, energy and energy efficiency over the baseline.
//   - The figure functions (PotentialFigure, SimulationFigure,
//     LayerFigure, WireSweepFigure, SyncModesFigure, TermHistogramFigure,
//     ...) turn those tables into charts (package chart) that display in a
//     GoNB notebook and save as HTML or SVG.
//   - Reproduce regenerates every table of data/results and every figure of
//     plots/ for the built-in models; it is what `laconic reproduce` and
//     `make reproduce` run.
//
// Every table carries its provenance (model, images, quantization,
// encoding, zero-cost convention, toolkit version) in its schema metadata
// (see package table). Results are deterministic: the same inputs give
// byte-identical tables.
package laconic
