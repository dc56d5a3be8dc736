package nn

import "fmt"

// Op names a node's operation. The forward pass (package infer) implements
// every Op listed here; loaders map their file's operators onto them and
// reject anything else with an error naming the operator.
type Op string

// Operations of the graph.
const (
	OpInput         Op = "Input"         // graph input; Attrs.Shape holds C,H,W (or In for vectors)
	OpConv          Op = "Conv"          // 2-D convolution, grouped and depthwise included
	OpDense         Op = "Dense"         // fully connected / Gemm / MatMul with constant weights
	OpBatchNorm     Op = "BatchNorm"     // y = Scale[c]*x + Shift[c] (inference form, already folded)
	OpReLU          Op = "ReLU"          // max(0, x)
	OpReLU6         Op = "ReLU6"         // min(6, max(0, x))
	OpAdd           Op = "Add"           // element-wise sum of all inputs (same shape)
	OpConcat        Op = "Concat"        // concatenation along Attrs.Axis (NCHW axis; 1 = channels)
	OpMaxPool       Op = "MaxPool"       // max pooling with Attrs.Kernel/Stride/Pad
	OpAvgPool       Op = "AvgPool"       // average pooling (padding excluded from the count unless Attrs.CountPad)
	OpGlobalAvgPool Op = "GlobalAvgPool" // N x C x H x W -> N x C x 1 x 1
	OpZeroPad       Op = "ZeroPad"       // zero padding: spatial by Attrs.Pad, channels by Attrs.ChannelPad
	OpFlatten       Op = "Flatten"       // N x ... -> N x prod(...)
	OpReshape       Op = "Reshape"       // N x ... -> N x Attrs.Shape
	OpSoftmax       Op = "Softmax"       // softmax over the last axis
	OpSigmoid       Op = "Sigmoid"       // 1/(1+exp(-x))
	OpIdentity      Op = "Identity"      // passes its input through (dropout at inference, etc.)
	OpTranspose     Op = "Transpose"     // permutes the axes by Attrs.Perm (Perm[0] == 0: the batch axis stays first)
)

// Activation is an element-wise function fused after a Conv or Dense.
type Activation string

// Fused activations.
const (
	ActNone    Activation = ""
	ActReLU    Activation = "relu"
	ActReLU6   Activation = "relu6"
	ActSoftmax Activation = "softmax"
	ActSigmoid Activation = "sigmoid"
)

// Pad is explicit spatial padding in elements.
type Pad struct {
	Top, Bottom, Left, Right int
}

// Attrs holds the attributes of a node; only the fields its Op uses are set.
type Attrs struct {
	// Conv and pooling
	Kernel [2]int // kernel (or pooling window) height, width
	Stride [2]int // stride height, width (0 means 1)
	Pad    Pad    // explicit padding (see infer.SamePad to compute TensorFlow's "same")
	// SamePadding asks for TensorFlow "same" padding, resolved from the input
	// size at run time (Pad is ignored then).
	SamePadding bool
	Dilation    [2]int // dilation height, width (0 means 1; only 1 is supported by infer)
	Groups      int    // convolution groups (0 means 1); depthwise: Groups == input channels
	// CountPad includes padded positions in an average pool's divisor.
	CountPad bool

	// ZeroPad: zero channels added before and after the existing ones
	// (ONNX Pad on axis 1, or a Concat with a zero constant, as residual
	// blocks that widen their shortcut use).
	ChannelPad [2]int

	// Concat
	Axis int

	// Transpose: the axis permutation (output axis i is input axis Perm[i]).
	Perm []int

	// Input and Reshape: the shape without the batch dimension.
	Shape []int

	// Fused activation after Conv/Dense.
	Activation Activation
}

// Node is one operation of the graph.
type Node struct {
	Name   string
	Op     Op
	Inputs []string // names of the nodes whose outputs feed this node, in order
	Attrs  Attrs

	// Conv: OIHW weights; Dense: Out x In weights.
	Weights *Tensor
	// Bias has one value per output channel (may be nil).
	Bias *Tensor
	// BatchNorm: per-channel Scale and Shift (y = Scale*x + Shift).
	Scale, Shift *Tensor
}

// IsCompute reports whether the node multiplies activations by weights
// (the layers whose work the toolkit counts).
func (n *Node) IsCompute() bool { return n.Op == OpConv || n.Op == OpDense }

// Graph is a network: nodes in topological order (every node's inputs appear
// before it), one or more graph inputs and named outputs.
type Graph struct {
	Name    string
	Nodes   []*Node
	Outputs []string
	// Source describes where the graph came from (file, package, checksum).
	Source string
}

// Node returns the node with the given name, or nil.
func (g *Graph) Node(name string) *Node {
	for _, n := range g.Nodes {
		if n.Name == name {
			return n
		}
	}
	return nil
}

// ComputeNodes returns the Conv and Dense nodes in topological order.
func (g *Graph) ComputeNodes() []*Node {
	var out []*Node
	for _, n := range g.Nodes {
		if n.IsCompute() {
			out = append(out, n)
		}
	}
	return out
}

// NumParams returns the number of weight and bias values of compute and
// batch-norm nodes.
func (g *Graph) NumParams() int {
	total := 0
	for _, n := range g.Nodes {
		for _, t := range []*Tensor{n.Weights, n.Bias, n.Scale, n.Shift} {
			if t != nil {
				total += t.Len()
			}
		}
	}
	return total
}

// Validate checks that names are unique, inputs refer to earlier nodes, and
// that compute nodes have weights of a plausible rank. It does not infer
// shapes; infer.Shapes does.
func (g *Graph) Validate() error {
	if g == nil || len(g.Nodes) == 0 {
		return fmt.Errorf("nn: graph has no nodes")
	}
	seen := make(map[string]bool, len(g.Nodes))
	for i, n := range g.Nodes {
		if n == nil {
			return fmt.Errorf("nn: graph %q: node %d is nil", g.Name, i)
		}
		if n.Name == "" {
			return fmt.Errorf("nn: graph %q: node %d (%s) has no name", g.Name, i, n.Op)
		}
		if seen[n.Name] {
			return fmt.Errorf("nn: graph %q: duplicate node name %q", g.Name, n.Name)
		}
		for _, in := range n.Inputs {
			if !seen[in] {
				return fmt.Errorf("nn: graph %q: node %q reads %q, which is not an earlier node", g.Name, n.Name, in)
			}
		}
		switch n.Op {
		case OpConv:
			if n.Weights == nil || len(n.Weights.Shape) != 4 {
				return fmt.Errorf("nn: graph %q: conv %q needs OIHW weights of rank 4", g.Name, n.Name)
			}
		case OpDense:
			if n.Weights == nil || len(n.Weights.Shape) != 2 {
				return fmt.Errorf("nn: graph %q: dense %q needs Out x In weights of rank 2", g.Name, n.Name)
			}
		case OpBatchNorm:
			if n.Scale == nil || n.Shift == nil {
				return fmt.Errorf("nn: graph %q: batch-norm %q needs Scale and Shift", g.Name, n.Name)
			}
		}
		for _, t := range []*Tensor{n.Weights, n.Bias, n.Scale, n.Shift} {
			if t != nil {
				if err := t.Validate(); err != nil {
					return fmt.Errorf("nn: graph %q: node %q: %w", g.Name, n.Name, err)
				}
			}
		}
		seen[n.Name] = true
	}
	for _, o := range g.Outputs {
		if !seen[o] {
			return fmt.Errorf("nn: graph %q: output %q is not a node", g.Name, o)
		}
	}
	return nil
}

// InputSpec says how to turn an image into a model's input tensor.
// The input tensor is 1 x Channels x Height x Width (NCHW), RGB order,
// value = (pixel/255 - Mean[c]) / Std[c] after resizing.
type InputSpec struct {
	Height, Width, Channels int
	Mean, Std               [3]float32
	// Resize names the resampling: "bilinear-align-corners" (tf.image.resizeBilinear
	// with alignCorners=true), "bilinear" (half-pixel centres).
	Resize string
}
