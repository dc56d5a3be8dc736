// Package quant turns float32 tensors into the integer codes an accelerator
// multiplies: 16-bit fixed point with a profiled or explicit split of
// magnitude and fraction bits, 8-bit affine quantization as TensorFlow does,
// and raw codes stored by a model. It also profiles precision per layer and
// per group of values.
package quant
