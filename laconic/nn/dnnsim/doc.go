// Package dnnsim reads and writes trace folders in the layout of DNNsim, the
// C++ accelerator simulator of the Laconic authors' group, so that folders
// its users already have can be analysed unchanged and the toolkit's own
// forward passes can be fed to DNNsim.
//
// # Layout
//
// A trace folder dir holds, for each network <net> (the layout is the one
// the DNNsim README describes for its "Trace" input type):
//
//	dir/models/<net>/trace_params.csv       one line per compute layer, no header
//	dir/models/<net>/precision.txt          optional per-layer fixed-point formats
//	dir/net_traces/<net>/wgt-<layer>.npy    the layer's weights
//	dir/net_traces/<net>/act-<layer>-<k>.npy the layer's input activations, batch file k = 0, 1, ...
//
// trace_params.csv lines are name,Nn,Kx,Ky,stride,padding or
// name,input_name,Nn,Kx,Ky,stride,padding (see ParseTraceParams). The layer
// type comes from the name (see KindFromName): "fc", "inner_prod" or
// "Linear" make it dense, "lstm" an LSTM, anything else a convolution; the
// test is case-sensitive, as in DNNsim.
//
// # Axes
//
// DNNsim stores convolution activations as batch x channels x X x Y and
// weights as filters x channels x Kx x Ky, and pairs activation position
// (stride*x + i, stride*y + j) of the zero-padded input with weight tap
// (i, j). The toolkit's NCHW/OIHW conventions keep the axes where they are:
//
//	X = H (third axis, rows)     Kx = R (kernel height)
//	Y = W (fourth axis, columns) Ky = S (kernel width)
//
// so no data is transposed in either direction, padding applies to both
// sides of both axes (Pad.Top = Bottom = Left = Right = padding) and the
// stride to both axes. Traces saved from NCHW frameworks (Caffe, PyTorch)
// therefore have X along the image height.
//
// # Layer geometry
//
// The batch size N comes from the activation file. A convolution's weight
// channel count Cw must divide the input channels C: groups = C/Cw; Cw == 1
// with C > 1 is depthwise (nn.KindDepthwise), other groups > 1 grouped
// (nn.KindGrouped); filter k reads the channels of group k/(K/groups), the
// toolkit's grouped-convolution rule (DNNsim itself handles depthwise layers
// with one filter per channel and grouped layers with two groups, where the
// rules agree). Nn, Kx and Ky must match the weight file. Rank-2 weights
// or activations of a convolution are read as 1x1. Dense layers take
// activations N x In, or N x C x X x Y flattened to N x C*X*Y (a fully
// connected layer after a convolution); LSTM layers also take T x B x In,
// flattened to T*B x In (every step multiplies the same weights). Dense
// weights are Nn x In (Nn x C x X x Y is flattened). Mismatches, missing
// files (the expected path is named), a kernel larger than the padded input
// and malformed lines (with their line number) are errors naming the file
// and layer.
//
// # Precision
//
// precision.txt has a header line and four ';'-separated lines: activation
// magnitude including the sign bit, activation fraction, weight magnitude
// including the sign bit, weight fraction, one value per layer. The toolkit
// counts magnitude bits without the sign (LayerPrecision), so a file value
// m becomes Mag = m - 1, and Encode writes Mag + 1. Without the file every
// layer is activations 13:2 and weights 0:15 (magnitude without sign :
// fraction, 16 bits with the sign), DNNsim's default.
//
// # Memory
//
// Open reads only trace_params.csv, precision.txt and the .npy headers; it
// checks every layer and batch file against them. Net.Sample and
// Net.Samples load one layer's weights and one batch file at a time.
package dnnsim
