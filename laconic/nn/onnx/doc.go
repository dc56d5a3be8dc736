// Package onnx loads ONNX models (the protobuf ModelProto format) into the
// toolkit's nn.Graph.
//
// Weights are float32 (or float64) initializers, or Constant nodes holding
// them, as some exporters write. Each supported ONNX node becomes one
// nn.Node named after the ONNX node (or its output when the node has no
// name); the layouts are already the nn conventions (NCHW activations, OIHW
// convolution weights). Operators and what they become:
//
//	Conv                  Conv (group, pads, strides, auto_pad VALID/SAME_UPPER; dilations must be 1)
//	BatchNormalization    BatchNorm, folded to Scale = gamma/sqrt(var+eps), Shift = beta - mean*Scale
//	Relu, Sigmoid         ReLU, Sigmoid
//	Clip(0, 6), Clip(0, inf)  ReLU6, ReLU
//	Add                   Add of two activations; an activation plus a per-channel constant is
//	                      folded into the bias of the Conv/Gemm/MatMul that produced it, or else
//	                      becomes a BatchNorm with unit scale
//	Concat                Concat; with ConstantOfShape zeros on axis 1 it is channel zero padding (ZeroPad)
//	MaxPool, AveragePool  MaxPool, AvgPool (count_include_pad -> CountPad; ceil_mode must be 0)
//	GlobalAveragePool     GlobalAvgPool
//	Gemm                  Dense (constant B, transB, alpha, beta, scalar or per-output C; transA must be 0)
//	MatMul                Dense (rank-2 activation times constant In x Out weights)
//	Flatten               Flatten (axis 1)
//	Reshape               Reshape (constant target whose first entry is the batch: 0, -1 or the
//	                      declared batch size, 1 when that is symbolic)
//	Softmax               Softmax (last axis only)
//	Identity, Dropout     Identity
//	Transpose             Transpose (batch axis first); a Transpose [0, 3, 1, 2] right after an NHWC
//	                      graph input (TensorFlow conversions) is dropped and the input declared NCHW
//	Pad                   ZeroPad (mode constant, value 0; channel and spatial pads)
//	Constant, ConstantOfShape   constants feeding the operators above
//
// Anything else is an error naming the operator and the node, wrapping
// ErrUnsupported. Every graph input that is not an initializer becomes an
// Input node (infer.RunInputs runs graphs with several).
// Truncated or corrupt files, tensors whose stored values do not match their
// dimensions and references to missing tensors are errors naming the file and
// the tensor or node.
package onnx
