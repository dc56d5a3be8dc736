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
// Matrix multiplies and depthwise convolutions accumulate in float32 (fused
// multiply-adds on the assembly path); softmax and global pooling
// accumulate in float64. The tests compare the pass with TensorFlow.js
// 4.22.0 on the zoo's models (testdata/golden: every layer's mean and 200
// sampled values agree to a relative error below 1e-3), with the ONNX
// operator test data of Debian's libonnx-testdata (make onnx-testdata) and,
// when onnxruntime-node is installed (make bench-ort), with onnxruntime
// 1.30's outputs on the zoo's ONNX models (every element within 1e-3).
//
// Every output is the same bits on every run on one machine and for every
// Workers value: work is split by a fixed partition of the outputs, and no
// sum is split across goroutines. The portable kernels (see Speed) sum in
// the same order without fused multiply-adds, so their results may differ
// from the assembly kernels' in the last bits.
//
// # Speed
//
// Convolutions other than depthwise are a packed, cache-blocked matrix
// multiply (im2col first, skipped for 1x1 unit-stride unpadded layers):
// weights are packed into panels of 6 rows, the patch matrix block by block
// (256 terms x 256 columns) into panels of 16 columns, and an AVX2+FMA
// micro-kernel computes each 6 x 16 tile in registers, adding the bias and
// clamping a fused ReLU or ReLU6 before it stores the tile. Depthwise
// convolutions correlate a zero-padded copy of each plane with the window,
// 64 outputs per step, in AVX2. Dense layers use the same multiply (the
// weights times the transposed inputs for batches under 6 images). Work is
// split over Options.Workers goroutines (0: GOMAXPROCS); RunBatch instead
// gives each worker whole images, which suits small layers better.
//
// The assembly kernels run on amd64 CPUs with AVX2 and FMA (checked at run
// time with golang.org/x/sys/cpu). Other CPUs and architectures use portable
// Go kernels; on an amd64 CPU without those instructions the first pass
// prints a one-line notice on stderr.
//
// Without a tap, element-wise nodes (activations, batch-norm, add) write
// over an input that no later node reads, and dropped tensors' storage is
// reused; with a tap every tensor stays as the tap saw it, and taps get the
// pass's own tensors (no copies).
//
// Measured on a 2-core AMD EPYC (AVX-512 capable; 2596 MHz nominal) shared
// with other jobs, medians:
//
//   - BlazeFace (the zoo's ONNX file) against onnxruntime 1.30's CPU engine,
//     alternating on the same real image (make bench-ort): 11.2 ms per image
//     against 5.4 ms on one thread (0.49x onnxruntime's throughput), 11.1 ms
//     against 3.2 ms on two threads (0.29x), 8.3 ms per image with RunBatch
//     splitting 4 images over 2 workers (0.38x);
//   - on 2 cores, batch 1: MobileNetV2 19 ms per image without a tap (15.7
//     GMAC/s), 29 ms with an empty tap, 50 ms with a tap that reads every
//     layer's input; InceptionV3 151 ms without a tap (37.9 GMAC/s), 186 ms
//     with an empty tap, 216 ms with the reading tap;
//   - the multiply of 1x1 and 3x3 convolutions runs at 39-52 GMAC/s on one
//     core, about 95-125% of 41.5 GMAC/s (2 FMA units x 8 lanes x the
//     nominal clock; the core boosts above it); depthwise layers at 16-24
//     GMAC/s; dense layers of one image are memory-bound (1.6 GMAC/s).
//
// The benchmarks report these rates (GMAC/s and %peak per layer kind, for
// the cores GOMAXPROCS allows):
//
//	GOMAXPROCS=1 go test -run XXX -bench . -benchtime 10x ./laconic/infer
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
