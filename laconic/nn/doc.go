// Package nn holds the toolkit's single representation of a neural network:
// float32 tensors, a graph of named nodes in topological order, and the
// geometry of compute layers (convolution, grouped and depthwise convolution,
// dense, LSTM gates as dense).
//
// Conventions, shared by every loader and by the forward pass:
//
//   - Activations are NCHW (batch, channels, height, width); a dense layer's
//     input is N x In.
//   - Convolution weights are OIHW: filters x (channels/groups) x kernel
//     height x kernel width. A depthwise convolution with channel multiplier
//     m has Groups == C and K == C*m filters of one channel each.
//   - Dense weights are Out x In.
//
// Loaders live in sub-packages (nn/tfjs, nn/onnx, nn/npy); they convert
// whatever layout a file uses into these conventions.
package nn
