package infer

import (
	"fmt"
	"slices"

	"github.com/laconiclab/toolkit/laconic/nn"
)

// orOne returns v, or 1 when v is 0 (the nn convention for unset strides,
// dilations and groups).
func orOne(v int) int {
	if v == 0 {
		return 1
	}
	return v
}

// SamePad returns TensorFlow's "same" padding for an h x w input, an r x s
// window and the given strides: the output is ceil(h/strideH) x
// ceil(w/strideW), the total padding along an axis is
// max((ceil(in/stride)-1)*stride + k - in, 0), and the odd element goes to the
// bottom (right).
func SamePad(h, w, r, s, strideH, strideW int) nn.Pad {
	th := samePadTotal(h, r, orOne(strideH))
	tw := samePadTotal(w, s, orOne(strideW))
	return nn.Pad{Top: th / 2, Bottom: th - th/2, Left: tw / 2, Right: tw - tw/2}
}

func samePadTotal(in, k, stride int) int {
	out := (in + stride - 1) / stride
	return max((out-1)*stride+k-in, 0)
}

// padOf resolves a node's padding for an h x w input and an r x s window.
func padOf(a nn.Attrs, h, w, r, s int) nn.Pad {
	if a.SamePadding {
		return SamePad(h, w, r, s, a.Stride[0], a.Stride[1])
	}
	return a.Pad
}

// inputNodes returns the graph's Input nodes.
func inputNodes(g *nn.Graph) ([]*nn.Node, error) {
	var ins []*nn.Node
	for _, n := range g.Nodes {
		if n.Op == nn.OpInput {
			ins = append(ins, n)
		}
	}
	if len(ins) == 0 {
		return nil, fmt.Errorf("infer: graph %q has no Input node", g.Name)
	}
	return ins, nil
}

// singleInput returns the name of a graph's only Input node.
func singleInput(g *nn.Graph) (string, error) {
	ins, err := inputNodes(g)
	if err != nil {
		return "", err
	}
	if len(ins) > 1 {
		return "", fmt.Errorf("infer: graph %q has %d inputs (%q, %q, ...); use ShapesFor/RunInputs to give each its tensor", g.Name, len(ins), ins[0].Name, ins[1].Name)
	}
	return ins[0].Name, nil
}

// Shapes infers the output shape of every node for an input of the given
// shape (batch first: N x C x H x W for images, N x In for vectors). It
// checks every node (operand counts, weight shapes, channel counts, window
// sizes) and returns an error naming the first node at fault. The graph must
// have a single Input node; ShapesFor handles several.
func Shapes(g *nn.Graph, inputShape []int) (map[string][]int, error) {
	if g == nil {
		return nil, fmt.Errorf("infer: nil graph")
	}
	name, err := singleInput(g)
	if err != nil {
		return nil, err
	}
	return ShapesFor(g, map[string][]int{name: inputShape})
}

// ShapesFor is Shapes for graphs with one or more Input nodes: inputs maps
// every Input node's name to its shape (batch first).
func ShapesFor(g *nn.Graph, inputs map[string][]int) (map[string][]int, error) {
	if g == nil {
		return nil, fmt.Errorf("infer: nil graph")
	}
	if err := g.Validate(); err != nil {
		return nil, fmt.Errorf("infer: %w", err)
	}
	ins, err := inputNodes(g)
	if err != nil {
		return nil, err
	}
	if len(inputs) != len(ins) {
		return nil, fmt.Errorf("infer: graph %q has %d inputs, got shapes for %d", g.Name, len(ins), len(inputs))
	}
	shapes := make(map[string][]int, len(g.Nodes))
	for _, in := range ins {
		shape, ok := inputs[in.Name]
		if !ok {
			return nil, fmt.Errorf("infer: graph %q: no shape for input %q", g.Name, in.Name)
		}
		if err := checkInput(in, shape); err != nil {
			return nil, err
		}
		shapes[in.Name] = slices.Clone(shape)
	}
	for _, n := range g.Nodes {
		if n.Op == nn.OpInput {
			continue
		}
		args := make([][]int, len(n.Inputs))
		for i, name := range n.Inputs {
			args[i] = shapes[name]
		}
		out, err := nodeShape(n, args)
		if err == nil {
			err = checkSize(out)
		}
		if err != nil {
			return nil, fmt.Errorf("infer: node %q (%s): %w", n.Name, n.Op, err)
		}
		shapes[n.Name] = out
	}
	return shapes, nil
}

// MaxTensorElements bounds the size of any tensor of a pass (2^30 float32
// values, 4 GiB), so that a corrupt model cannot ask for unbounded memory.
const MaxTensorElements = 1 << 30

// checkSize rejects shapes with non-positive dimensions or more than
// MaxTensorElements elements.
func checkSize(shape []int) error {
	n := 1
	for _, d := range shape {
		if d <= 0 {
			return fmt.Errorf("output shape %v has a non-positive dimension", shape)
		}
		if n > MaxTensorElements/d {
			return fmt.Errorf("output shape %v exceeds %d elements", shape, MaxTensorElements)
		}
		n *= d
	}
	return nil
}

// checkInput compares an input shape with the Input node's declared shape
// (non-positive declared dimensions match anything).
func checkInput(in *nn.Node, shape []int) error {
	if len(shape) < 2 {
		return fmt.Errorf("infer: input %q: shape %v needs a batch dimension and at least one more", in.Name, shape)
	}
	if err := checkSize(shape); err != nil {
		return fmt.Errorf("infer: input %q: %w", in.Name, err)
	}
	if want := in.Attrs.Shape; want != nil {
		ok := len(want) == len(shape)-1
		for i := 0; ok && i < len(want); i++ {
			ok = want[i] <= 0 || want[i] == shape[i+1]
		}
		if !ok {
			return fmt.Errorf("infer: input %q: got shape %v, the graph expects N x %v", in.Name, shape, want)
		}
	}
	return nil
}

// nodeShape returns the output shape of n for the given input shapes.
func nodeShape(n *nn.Node, ins [][]int) ([]int, error) {
	want := func(k int) error {
		if len(ins) != k {
			return fmt.Errorf("has %d inputs, want %d", len(ins), k)
		}
		return nil
	}
	switch n.Op {
	case nn.OpConcat:
		if len(ins) == 0 {
			return nil, fmt.Errorf("has no inputs")
		}
	case nn.OpAdd:
		if len(ins) < 1 {
			return nil, fmt.Errorf("has no inputs")
		}
	default:
		if err := want(1); err != nil {
			return nil, err
		}
	}
	x := ins[0]
	switch n.Op {
	case nn.OpConv:
		l, err := convLayer(n, x)
		if err != nil {
			return nil, err
		}
		return []int{l.N, l.K, l.OutH(), l.OutW()}, nil
	case nn.OpDense:
		l, err := denseLayer(n, x)
		if err != nil {
			return nil, err
		}
		return []int{l.N, l.K}, nil
	case nn.OpBatchNorm:
		if len(x) < 2 {
			return nil, fmt.Errorf("input shape %v has no channel axis", x)
		}
		if n.Scale.Len() != x[1] || n.Shift.Len() != x[1] {
			return nil, fmt.Errorf("scale/shift have %d/%d values for %d channels (input %v)", n.Scale.Len(), n.Shift.Len(), x[1], x)
		}
		return slices.Clone(x), nil
	case nn.OpReLU, nn.OpReLU6, nn.OpSigmoid, nn.OpIdentity:
		return slices.Clone(x), nil
	case nn.OpSoftmax:
		if len(x) < 2 {
			return nil, fmt.Errorf("input shape %v needs rank >= 2", x)
		}
		return slices.Clone(x), nil
	case nn.OpAdd:
		for i, s := range ins[1:] {
			if !slices.Equal(s, x) {
				return nil, fmt.Errorf("input %d (%q) has shape %v, input 0 (%q) has %v; Add needs equal shapes", i+1, n.Inputs[i+1], s, n.Inputs[0], x)
			}
		}
		return slices.Clone(x), nil
	case nn.OpConcat:
		axis := n.Attrs.Axis
		if axis < 0 {
			axis += len(x)
		}
		if axis <= 0 || axis >= len(x) {
			return nil, fmt.Errorf("axis %d out of range for shape %v (the batch axis 0 cannot be concatenated)", n.Attrs.Axis, x)
		}
		out := slices.Clone(x)
		for i, s := range ins[1:] {
			if len(s) != len(x) {
				return nil, fmt.Errorf("input %d (%q) has shape %v, input 0 (%q) has %v", i+1, n.Inputs[i+1], s, n.Inputs[0], x)
			}
			for d := range s {
				if d != axis && s[d] != x[d] {
					return nil, fmt.Errorf("input %d (%q) has shape %v, input 0 (%q) has %v: they differ off axis %d", i+1, n.Inputs[i+1], s, n.Inputs[0], x, axis)
				}
			}
			out[axis] += s[axis]
		}
		return out, nil
	case nn.OpMaxPool, nn.OpAvgPool:
		if len(x) != 4 {
			return nil, fmt.Errorf("input shape %v, want N x C x H x W", x)
		}
		r, s := n.Attrs.Kernel[0], n.Attrs.Kernel[1]
		if r <= 0 || s <= 0 {
			return nil, fmt.Errorf("pooling window %dx%d must be positive", r, s)
		}
		sh, sw := orOne(n.Attrs.Stride[0]), orOne(n.Attrs.Stride[1])
		if sh < 0 || sw < 0 {
			return nil, fmt.Errorf("negative stride %v", n.Attrs.Stride)
		}
		if orOne(n.Attrs.Dilation[0]) != 1 || orOne(n.Attrs.Dilation[1]) != 1 {
			return nil, fmt.Errorf("dilation %v is not supported (only 1)", n.Attrs.Dilation)
		}
		p := padOf(n.Attrs, x[2], x[3], r, s)
		if p.Top < 0 || p.Bottom < 0 || p.Left < 0 || p.Right < 0 {
			return nil, fmt.Errorf("negative padding %+v", p)
		}
		if p.Top >= r || p.Bottom >= r || p.Left >= s || p.Right >= s {
			return nil, fmt.Errorf("padding %+v must be smaller than the window %dx%d", p, r, s)
		}
		hp, wp := x[2]+p.Top+p.Bottom, x[3]+p.Left+p.Right
		if hp < r || wp < s {
			return nil, fmt.Errorf("window %dx%d larger than the padded input %dx%d (input %v)", r, s, hp, wp, x)
		}
		return []int{x[0], x[1], (hp-r)/sh + 1, (wp-s)/sw + 1}, nil
	case nn.OpGlobalAvgPool:
		if len(x) != 4 {
			return nil, fmt.Errorf("input shape %v, want N x C x H x W", x)
		}
		return []int{x[0], x[1], 1, 1}, nil
	case nn.OpZeroPad:
		if len(x) != 4 {
			return nil, fmt.Errorf("input shape %v, want N x C x H x W", x)
		}
		p, cp := n.Attrs.Pad, n.Attrs.ChannelPad
		if p.Top < 0 || p.Bottom < 0 || p.Left < 0 || p.Right < 0 || cp[0] < 0 || cp[1] < 0 {
			return nil, fmt.Errorf("negative padding %+v, channels %v", p, cp)
		}
		return []int{x[0], x[1] + cp[0] + cp[1], x[2] + p.Top + p.Bottom, x[3] + p.Left + p.Right}, nil
	case nn.OpFlatten:
		return []int{x[0], nn.NumElements(x[1:])}, nil
	case nn.OpReshape:
		return reshapeShape(n.Attrs.Shape, x)
	case nn.OpTranspose:
		perm := n.Attrs.Perm
		if len(perm) != len(x) {
			return nil, fmt.Errorf("permutation %v has %d axes, input %v has %d", perm, len(perm), x, len(x))
		}
		if len(perm) == 0 || perm[0] != 0 {
			return nil, fmt.Errorf("permutation %v must keep the batch axis first", perm)
		}
		seen := make([]bool, len(perm))
		out := make([]int, len(perm))
		for i, p := range perm {
			if p < 0 || p >= len(perm) || seen[p] {
				return nil, fmt.Errorf("%v is not a permutation of %d axes", perm, len(perm))
			}
			seen[p] = true
			out[i] = x[p]
		}
		return out, nil
	}
	return nil, fmt.Errorf("operation %q is not implemented by the forward pass", n.Op)
}

// reshapeShape resolves a Reshape target (without batch) against input x:
// 0 copies the input dimension at the same position, one -1 is inferred.
func reshapeShape(target, x []int) ([]int, error) {
	out := []int{x[0]}
	infer := -1
	known := 1
	for i, d := range target {
		switch {
		case d == 0:
			if i+1 >= len(x) {
				return nil, fmt.Errorf("target %v: 0 at position %d has no input dimension to copy (input %v)", target, i, x)
			}
			d = x[i+1]
		case d == -1:
			if infer >= 0 {
				return nil, fmt.Errorf("target %v has more than one -1", target)
			}
			infer = len(out)
		case d < 0:
			return nil, fmt.Errorf("target %v has a negative dimension", target)
		}
		out = append(out, d)
		if d >= 0 {
			known *= d
		}
	}
	total := nn.NumElements(x[1:])
	if infer >= 0 {
		if known == 0 || total%known != 0 {
			return nil, fmt.Errorf("cannot reshape %v to N x %v: %d values per sample", x, target, total)
		}
		out[infer] = total / known
		known = total
	}
	if known != total {
		return nil, fmt.Errorf("cannot reshape %v to N x %v: %d values per sample, target holds %d", x, target, total, known)
	}
	return out, nil
}

// LayerOf returns the compute geometry of a Conv or Dense node, given the
// shapes from Shapes: batch, channels, spatial size, filters, kernel, strides,
// padding (TensorFlow "same" resolved into explicit padding) and groups. The
// kind is depthwise when every group has one input channel and there are at
// least two groups, grouped for other group counts above one, conv or dense
// otherwise. A dense layer's input is counted as N x In with In the product of
// its non-batch dimensions.
func LayerOf(g *nn.Graph, node *nn.Node, shapes map[string][]int) (nn.Layer, error) {
	if node == nil {
		return nn.Layer{}, fmt.Errorf("infer: nil node")
	}
	if !node.IsCompute() {
		return nn.Layer{}, fmt.Errorf("infer: node %q (%s) is not a compute layer", node.Name, node.Op)
	}
	if len(node.Inputs) != 1 {
		return nn.Layer{}, fmt.Errorf("infer: node %q (%s) has %d inputs, want 1", node.Name, node.Op, len(node.Inputs))
	}
	x, ok := shapes[node.Inputs[0]]
	if !ok {
		return nn.Layer{}, fmt.Errorf("infer: node %q: no shape for its input %q (run Shapes on graph %q first)", node.Name, node.Inputs[0], g.Name)
	}
	var (
		l   nn.Layer
		err error
	)
	if node.Op == nn.OpConv {
		l, err = convLayer(node, x)
	} else {
		l, err = denseLayer(node, x)
	}
	if err != nil {
		return nn.Layer{}, fmt.Errorf("infer: node %q (%s): %w", node.Name, node.Op, err)
	}
	return l, nil
}

func convLayer(n *nn.Node, x []int) (nn.Layer, error) {
	if len(x) != 4 {
		return nn.Layer{}, fmt.Errorf("input shape %v, want N x C x H x W", x)
	}
	if n.Weights == nil || len(n.Weights.Shape) != 4 {
		return nn.Layer{}, fmt.Errorf("weights must be OIHW (rank 4)")
	}
	a := n.Attrs
	if orOne(a.Dilation[0]) != 1 || orOne(a.Dilation[1]) != 1 {
		return nn.Layer{}, fmt.Errorf("dilation %v is not supported (only 1)", a.Dilation)
	}
	w := n.Weights.Shape
	groups := orOne(a.Groups)
	l := nn.Layer{
		Name: n.Name, N: x[0], C: x[1], H: x[2], W: x[3],
		K: w[0], R: w[2], S: w[3],
		StrideH: orOne(a.Stride[0]), StrideW: orOne(a.Stride[1]),
		Groups: groups,
	}
	if a.Kernel != [2]int{} && a.Kernel != [2]int{l.R, l.S} {
		return nn.Layer{}, fmt.Errorf("kernel attribute %v disagrees with weights %v", a.Kernel, w)
	}
	if groups <= 0 || l.C%groups != 0 {
		return nn.Layer{}, fmt.Errorf("groups %d must divide the %d input channels (input %v)", groups, l.C, x)
	}
	if w[1] != l.C/groups {
		return nn.Layer{}, fmt.Errorf("weights %v need %d input channels per group, input %v with %d groups has %d", w, w[1], x, groups, l.C/groups)
	}
	l.Pad = padOf(a, l.H, l.W, l.R, l.S)
	switch {
	case groups == 1:
		l.Kind = nn.KindConv
	case groups == l.C:
		l.Kind = nn.KindDepthwise
	default:
		l.Kind = nn.KindGrouped
	}
	if n.Bias != nil && n.Bias.Len() != l.K {
		return nn.Layer{}, fmt.Errorf("bias has %d values for %d filters", n.Bias.Len(), l.K)
	}
	if err := l.Validate(); err != nil {
		return nn.Layer{}, err
	}
	return l, nil
}

func denseLayer(n *nn.Node, x []int) (nn.Layer, error) {
	if n.Weights == nil || len(n.Weights.Shape) != 2 {
		return nn.Layer{}, fmt.Errorf("weights must be Out x In (rank 2)")
	}
	if len(x) < 2 {
		return nn.Layer{}, fmt.Errorf("input shape %v has no feature axis", x)
	}
	in := nn.NumElements(x[1:])
	if in != n.Weights.Shape[1] {
		return nn.Layer{}, fmt.Errorf("input %v has %d features per sample, weights %v expect %d", x, in, n.Weights.Shape, n.Weights.Shape[1])
	}
	l := nn.Layer{
		Name: n.Name, Kind: nn.KindDense, N: x[0], C: in, H: 1, W: 1,
		K: n.Weights.Shape[0], R: 1, S: 1, StrideH: 1, StrideW: 1, Groups: 1,
	}
	if n.Bias != nil && n.Bias.Len() != l.K {
		return nn.Layer{}, fmt.Errorf("bias has %d values for %d outputs", n.Bias.Len(), l.K)
	}
	if err := l.Validate(); err != nil {
		return nn.Layer{}, err
	}
	return l, nil
}
