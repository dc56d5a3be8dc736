// Package infer is the toolkit's float32 forward pass over an nn.Graph, with
// taps that hand every compute layer's input activations to the caller.
//
// # What it computes
//
// Every nn.Op: Conv (stride, explicit or TensorFlow "same" padding, groups,
// depthwise), BatchNorm, ReLU, ReLU6, Add, Concat, MaxPool, AvgPool
// (TensorFlow "same" average pooling excludes padding from the divisor),
// GlobalAvgPool, ZeroPad (spatial and channel), Dense, Flatten, Reshape,
// Softmax, Sigmoid, Identity and Transpose, on batches of N >= 1 images, in
// NCHW layout (see package nn for the conventions). Reshape targets may use
// 0 (copy the input dimension at that position) and one -1 (inferred).
//
// Shapes infers and checks every node's output shape before anything runs;
// LayerOf gives a Conv or Dense node's compute geometry (nn.Layer) with
// "same" padding resolved into explicit padding; Run computes the graph and
// calls a Tap after every node; Samples turns the tap into one nn.Sample per
// compute layer. Graphs with several Input nodes run with ShapesFor and
// RunInputs. Intermediate tensors are reference counted and dropped as soon
// as their last consumer has run, so a whole-network pass keeps only the
// activations still needed (and whatever the tap keeps).
//
// # Accuracy
//
// Matrix multiplies accumulate in float32; depthwise convolutions,
// softmax and global pooling accumulate in float64. The tests compare the
// pass with TensorFlow.js 4.22.0 on the zoo's models (testdata/golden: every
// layer's mean and 200 sampled values agree to a relative error below 1e-3;
// observed below 3e-4) and with the ONNX operator test data of Debian's
// libonnx-testdata (make onnx-testdata).
//
// # Speed
//
// Convolutions are im2col followed by gonum's blocked float32 matrix
// multiply (assembly inner loops, all cores); 1x1 unit-stride unpadded
// convolutions skip im2col; depthwise convolutions use a direct loop split
// over channels. The benchmarks in this package report GMAC/s on synthetic
// layers and, when the zoo cache holds them, on the real models:
//
//	go test -run XXX -bench . -benchtime 5x ./laconic/infer
//
// # Images and preprocessing
//
// LoadImage and LoadImages decode PNG and JPEG files with the standard
// library and build the input tensor an nn.InputSpec describes: samples
// divided by 255 in float32, bilinear resizing exactly as
// tf.image.resizeBilinear computes it (alignCorners or half-pixel centres,
// float64 arithmetic rounded to float32), then (v - Mean[c]) / Std[c]. The
// zoo's models use:
//
//   - mobilenet_v2, mobilenet_v2_mid (224 x 224) and inception_v3
//     (299 x 299), as nsfwjs 4.4.0 prepares them: pixel/255, resized with
//     alignCorners=true when the image is not already the model's size,
//     no mean subtraction (Mean 0, Std 1: inputs in [0, 1]);
//   - blazeface (256 x 256), inputs scaled to [-1, 1] (Mean 0.5, Std 0.5).
//
// The zoo package holds each model's nn.InputSpec; this list documents what
// those specifications mean. JPEG files decode with Go's image/jpeg, whose
// inverse DCT and chroma upsampling may differ by a grey level from other
// decoders; PNG files decode exactly.
package infer
