// Package quant turns float32 tensors into the integer codes an accelerator
// multiplies: 16-bit fixed point with a profiled or explicit split of
// magnitude and fraction bits, 8-bit affine quantization as TensorFlow does,
// and raw codes stored by a model. It also profiles precision per layer and
// per group of values.
//
// Schemes:
//
//   - Fixed16(t, mag, frac): DNNsim's 16-bit fixed point, x*2^frac clamped
//     to ±(2^15-1), rounded, two's complement. DefaultActivationFixed (13:2)
//     and DefaultWeightFixed (0:15) are DNNsim's defaults; Fixed16Profiled
//     picks the split per tensor so that nothing clips.
//   - Affine8(t): asymmetric uint8 with scale and nudged integer zero point
//     from the tensor's min/max, range extended to include 0.
//   - RawCodes(t): the uint8 codes a model file stores (t.Stored).
//
// What a multiplier sees (Tensor.Operands): the signed code for Fixed16
// (terms are counted on its magnitude, the sign travels apart) and the
// unsigned code for Affine8 and Raw (integer kernels multiply raw uint8
// codes and correct the zero points separately).
//
// Precision(q) is the number of bits holding every code (sign bit included
// for signed codes); GroupPrecisions gives every element the precision of
// its group of DefaultGroup consecutive channels, the dynamic precision
// bit-serial designs exploit.
//
// Every function returns an error naming the problem for nil, empty or
// malformed tensors, NaN/Inf values (with the element's index) and invalid
// configurations; none panics on user data.
package quant
