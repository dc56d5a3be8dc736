// Package tfjs loads TensorFlow.js models into the toolkit's nn.Graph.
//
// Both kinds of TensorFlow.js model are read: layers models (a Keras
// topology, converted layer by layer) and graph models (a TensorFlow
// GraphDef, converted node by node). A model directory holds either
// model.json and binary weight shards, or the minified JavaScript form that
// nsfwjs ships: model.min.js, a module whose exported object literal is the
// model.json content (unquoted keys, !0 and !1 for true and false, numbers
// like .5), and group1-shardKofN.min.js files exporting the shard bytes as a
// base64 string. The literal is read by a small strict parser
// (JSLiteralToJSON), not a JavaScript engine.
//
// Weights are float32, int32, or quantized to uint8 or uint16 with a
// per-tensor {min, scale} (value = min + scale*code, computed as
// TensorFlow.js does) or to float16. uint8 codes are kept in
// nn.Tensor.Stored, reordered together with the values.
//
// Conversion to the nn conventions:
//
//   - activations become NCHW; convolution kernels HWIO become OIHW;
//     depthwise kernels H x W x C x M become C*M filters of one channel
//     (filter c*M + m, TensorFlow's output order) with Groups = C; dense
//     kernels In x Out become Out x In;
//   - a Dense layer reading a flattened H x W x C image (H*W > 1, C > 1)
//     gets its weight columns permuted so that the NCHW flatten of the
//     forward pass gives TensorFlow.js's result; the Flatten node's own
//     output is then in NCHW order, not TensorFlow.js's NHWC order;
//   - batch normalization becomes OpBatchNorm with Scale = gamma /
//     sqrt(variance + epsilon) and Shift = beta - mean*Scale; an
//     element-wise Mul, Sub, Add or BiasAdd with a scalar or per-channel
//     constant (as a graph model's input scaling) becomes OpBatchNorm too;
//   - padding "same" becomes Attrs.SamePadding; Keras ZeroPadding2D and a
//     graph model's spatial Pad become OpZeroPad; average pooling excludes
//     padding from its divisor, as TensorFlow does;
//   - concatenation on the channel axis (-1 in NHWC) becomes Attrs.Axis 1.
//
// Every Keras layer (layers models) and every non-constant graph node
// (graph models) becomes exactly one nn.Node with the same name, whose
// output equals that layer's or node's output (with the activation fused
// where the file fuses it), so that per-layer activations can be compared
// by name with TensorFlow.js. Layer classes and operators outside the
// supported set are errors that name them.
package tfjs
