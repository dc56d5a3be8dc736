package tfjs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/laconiclab/toolkit/laconic/nn"
)

// tfGraph is a graph model's topology (a TensorFlow GraphDef in JSON).
type tfGraph struct {
	Node []tfNode `json:"node"`
}

type tfNode struct {
	Name  string            `json:"name"`
	Op    string            `json:"op"`
	Input []string          `json:"input"`
	Attr  map[string]tfAttr `json:"attr"`
}

// tfAttr is a TensorFlow AttrValue in proto3 JSON form: int64 values may be
// strings, byte strings are base64.
type tfAttr struct {
	S     []byte   `json:"s"`
	I     *pbInt   `json:"i"`
	F     *float64 `json:"f"`
	B     *bool    `json:"b"`
	Type  string   `json:"type"`
	List  *tfList  `json:"list"`
	Shape *tfShape `json:"shape"`
}

type tfList struct {
	S [][]byte  `json:"s"`
	I []pbInt   `json:"i"`
	F []float64 `json:"f"`
}

type tfShape struct {
	Dim []struct {
		Size pbInt `json:"size"`
	} `json:"dim"`
	UnknownRank bool `json:"unknownRank"`
}

// pbInt is an int64 written as a JSON number or string.
type pbInt int64

func (p *pbInt) UnmarshalJSON(b []byte) error {
	s := string(bytes.Trim(b, `"`))
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("want an integer, got %.30s", b)
	}
	*p = pbInt(v)
	return nil
}

// graphBuilder converts a graph model.
type graphBuilder struct {
	file    string
	weights map[string]*weight
	consts  map[string]*weight // Const node name -> value
	g       *nn.Graph
	shapes  map[string]shapeInfo
}

func convertGraph(file string, topo json.RawMessage, weights map[string]*weight, name string) (*nn.Graph, error) {
	var t tfGraph
	if err := json.Unmarshal(topo, &t); err != nil {
		return nil, fmt.Errorf("%s: modelTopology: %w", file, err)
	}
	if len(t.Node) == 0 {
		return nil, fmt.Errorf("%s: the graph has no nodes", file)
	}
	b := &graphBuilder{file: file, weights: weights, consts: map[string]*weight{}, g: &nn.Graph{Name: name}, shapes: map[string]shapeInfo{}}
	var ops []*tfNode
	for i := range t.Node {
		n := &t.Node[i]
		if n.Name == "" {
			return nil, fmt.Errorf("%s: node %d (%s) has no name", file, i, n.Op)
		}
		if n.Op == "Const" {
			w := weights[n.Name]
			if w == nil {
				return nil, fmt.Errorf("%s: constant %q has no value in the weights manifest", file, n.Name)
			}
			if _, dup := b.consts[n.Name]; dup {
				return nil, fmt.Errorf("%s: duplicate node name %q", file, n.Name)
			}
			w.used = true
			b.consts[n.Name] = w
			continue
		}
		ops = append(ops, n)
	}
	names := make([]string, len(ops))
	deps := make([][]string, len(ops))
	for i, n := range ops {
		names[i] = n.Name
		if _, clash := b.consts[n.Name]; clash {
			return nil, fmt.Errorf("%s: duplicate node name %q", file, n.Name)
		}
		for _, in := range n.Input {
			ref, control, err := parseInput(in)
			if err != nil {
				return nil, fmt.Errorf("%s: node %q (%s): %w", file, n.Name, n.Op, err)
			}
			if control {
				continue
			}
			if _, isConst := b.consts[ref]; !isConst {
				deps[i] = append(deps[i], ref)
			}
		}
	}
	order, err := topoSort(names, func(i int) []string { return deps[i] })
	if err != nil {
		return nil, fmt.Errorf("%s: graph: %w", file, err)
	}
	for _, i := range order {
		n := ops[i]
		if err := b.node(n); err != nil {
			return nil, fmt.Errorf("%s: node %q (%s): %w", file, n.Name, n.Op, err)
		}
	}
	b.g.Outputs = unconsumed(b.g)
	return b.g, nil
}

// parseInput splits "name", "name:0" and "^name" (a control dependency).
func parseInput(s string) (name string, control bool, err error) {
	if strings.HasPrefix(s, "^") {
		return s[1:], true, nil
	}
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		idx, err := strconv.Atoi(s[i+1:])
		if err != nil {
			return "", false, fmt.Errorf("input %q: malformed output index", s)
		}
		if idx != 0 {
			return "", false, fmt.Errorf("input %q reads output %d; only single-output nodes are supported", s, idx)
		}
		s = s[:i]
	}
	if s == "" {
		return "", false, fmt.Errorf("empty input name")
	}
	return s, false, nil
}

// operand is one input of a node: a constant or another node's output.
type operand struct {
	name  string
	c     *weight   // constant value, or nil
	shape shapeInfo // when not constant
}

func (b *graphBuilder) operands(n *tfNode) ([]operand, error) {
	var out []operand
	for _, in := range n.Input {
		ref, control, _ := parseInput(in)
		if control {
			continue
		}
		if w, ok := b.consts[ref]; ok {
			out = append(out, operand{name: ref, c: w})
			continue
		}
		s, ok := b.shapes[ref]
		if !ok {
			return nil, fmt.Errorf("input %q has no output", ref)
		}
		out = append(out, operand{name: ref, shape: s})
	}
	return out, nil
}

func (n *tfNode) str(key string) string {
	if a, ok := n.Attr[key]; ok {
		return string(a.S)
	}
	return ""
}

func (n *tfNode) ints(key string) []int {
	a, ok := n.Attr[key]
	if !ok || a.List == nil {
		return nil
	}
	out := make([]int, len(a.List.I))
	for i, v := range a.List.I {
		out[i] = int(v)
	}
	return out
}

func (n *tfNode) boolean(key string) bool {
	a, ok := n.Attr[key]
	return ok && a.B != nil && *a.B
}

// nhwcPair reads a 4-element NHWC attribute (strides, ksize, dilations) and
// returns its H and W entries; def when absent.
func (n *tfNode) nhwcPair(key string, def [2]int) ([2]int, error) {
	v := n.ints(key)
	switch len(v) {
	case 0:
		return def, nil
	case 4:
		if v[0] != 1 || v[3] != 1 {
			return def, fmt.Errorf("%s %v: batch and channel entries must be 1", key, v)
		}
		return [2]int{v[1], v[2]}, nil
	}
	return def, fmt.Errorf("%s %v: want 4 entries", key, v)
}

func (n *tfNode) checkNHWC() error {
	if f := n.str("data_format"); f != "" && f != "NHWC" {
		return fmt.Errorf("data_format %q is not supported (want NHWC)", f)
	}
	return nil
}

// padding reads padding and explicit_paddings.
func (n *tfNode) padding() (padMode, nn.Pad, error) {
	switch p := n.str("padding"); p {
	case "SAME":
		return padSame, nn.Pad{}, nil
	case "VALID", "":
		return padValid, nn.Pad{}, nil
	case "EXPLICIT":
		e := n.ints("explicit_paddings")
		if len(e) != 8 || e[0] != 0 || e[1] != 0 || e[6] != 0 || e[7] != 0 {
			return 0, nn.Pad{}, fmt.Errorf("explicit_paddings %v: want 8 entries padding only H and W", e)
		}
		pad := nn.Pad{Top: e[2], Bottom: e[3], Left: e[4], Right: e[5]}
		return padExplicit, pad, checkPad(pad)
	default:
		return 0, nn.Pad{}, fmt.Errorf("padding %q is not supported", p)
	}
}

// fusedOps returns the activation of a fused node's fused_ops list and
// whether it adds a bias.
func (n *tfNode) fusedOps() (bias bool, act nn.Activation, err error) {
	a, ok := n.Attr["fused_ops"]
	if !ok || a.List == nil {
		return false, nn.ActNone, nil
	}
	ops := make([]string, len(a.List.S))
	for i, s := range a.List.S {
		ops[i] = string(s)
	}
	rest := ops
	if len(rest) > 0 && rest[0] == "BiasAdd" {
		bias = true
		rest = rest[1:]
	}
	if len(rest) == 1 {
		switch rest[0] {
		case "Relu":
			return bias, nn.ActReLU, nil
		case "Relu6":
			return bias, nn.ActReLU6, nil
		case "Sigmoid":
			return bias, nn.ActSigmoid, nil
		}
	}
	if len(rest) == 0 {
		return bias, nn.ActNone, nil
	}
	return false, "", fmt.Errorf("fused_ops %v are not supported (want BiasAdd optionally followed by Relu, Relu6 or Sigmoid)", ops)
}

func (b *graphBuilder) add(n *nn.Node, s shapeInfo) error {
	if err := s.check(); err != nil {
		return err
	}
	b.g.Nodes = append(b.g.Nodes, n)
	b.shapes[n.Name] = s
	return nil
}

// dataInputs checks the number of inputs and that the first is not a constant.
func needData(ops []operand, want int) error {
	if len(ops) != want {
		return fmt.Errorf("has %d inputs, want %d", len(ops), want)
	}
	if ops[0].c != nil {
		return fmt.Errorf("input %q is a constant; constant-only subgraphs are not supported", ops[0].name)
	}
	return nil
}

func needConst(op operand, what string) (*weight, error) {
	if op.c == nil {
		return nil, fmt.Errorf("%s %q must be a constant", what, op.name)
	}
	return op.c, nil
}

func (b *graphBuilder) node(t *tfNode) error {
	ops, err := b.operands(t)
	if err != nil {
		return err
	}
	n := &nn.Node{Name: t.Name}
	for _, o := range ops {
		if o.c == nil {
			n.Inputs = append(n.Inputs, o.name)
		}
	}
	switch t.Op {
	case "Placeholder":
		a, ok := t.Attr["shape"]
		if !ok || a.Shape == nil {
			return fmt.Errorf("no shape attribute; the input size must be fixed")
		}
		var dims []int
		for i, d := range a.Shape.Dim {
			if i == 0 {
				continue
			}
			if d.Size <= 0 {
				return fmt.Errorf("input shape has an unknown dimension %d; the input size must be fixed", i)
			}
			dims = append(dims, int(d.Size))
		}
		s, ok := inputNode(n, dims)
		if !ok {
			return fmt.Errorf("input rank %d is not supported (want [N, H, W, C] or [N, F])", len(dims)+1)
		}
		return b.add(n, s)

	case "Identity", "Snapshot", "StopGradient":
		if err := needData(ops, 1); err != nil {
			return err
		}
		n.Op = nn.OpIdentity
		return b.add(n, ops[0].shape)

	case "Conv2D", "_FusedConv2D", "DepthwiseConv2dNative", "FusedDepthwiseConv2dNative":
		return b.conv(t, n, ops)

	case "MatMul", "_FusedMatMul":
		if len(ops) < 2 {
			return fmt.Errorf("has %d inputs, want at least 2", len(ops))
		}
		if err := needData(ops[:1], 1); err != nil {
			return err
		}
		w, err := needConst(ops[1], "weights")
		if err != nil {
			return err
		}
		if t.boolean("transpose_a") {
			return fmt.Errorf("transpose_a is not supported")
		}
		if len(w.shape) != 2 {
			return fmt.Errorf("weights %q have shape %v, want rank 2", w.name, w.shape)
		}
		tb := t.boolean("transpose_b")
		in, out := w.shape[0], w.shape[1]
		if tb {
			in, out = out, in
		}
		if F := ops[0].shape.features(); F != in {
			return fmt.Errorf("input %q has shape %v, weights %v want %d features", ops[0].name, ops[0].shape.tf, w.shape, in)
		}
		bias, act, err := t.fusedOps()
		if err != nil {
			return err
		}
		if err := b.bias(n, ops, bias, out); err != nil {
			return err
		}
		n.Op = nn.OpDense
		n.Weights = denseKernel(w, tb, ops[0].shape.flat)
		n.Attrs.Activation = act
		return b.add(n, vectorShape(out))

	case "Add", "AddV2", "BiasAdd", "Mul", "Sub":
		return b.binary(t, n, ops)

	case "Relu", "Relu6", "Sigmoid", "Softmax":
		if err := needData(ops, 1); err != nil {
			return err
		}
		n.Op = map[string]nn.Op{"Relu": nn.OpReLU, "Relu6": nn.OpReLU6, "Sigmoid": nn.OpSigmoid, "Softmax": nn.OpSoftmax}[t.Op]
		if t.Op == "Softmax" && (len(ops[0].shape.nn) != 1 || ops[0].shape.flat != nil) {
			return fmt.Errorf("softmax over %v: only vectors are supported", ops[0].shape.tf)
		}
		return b.add(n, ops[0].shape)

	case "AvgPool", "MaxPool":
		if err := needData(ops, 1); err != nil {
			return err
		}
		if err := t.checkNHWC(); err != nil {
			return err
		}
		in := ops[0].shape
		if !in.isImage() {
			return fmt.Errorf("input %q is not an image", ops[0].name)
		}
		k, err := t.nhwcPair("ksize", [2]int{0, 0})
		if err != nil {
			return err
		}
		stride, err := t.nhwcPair("strides", [2]int{1, 1})
		if err != nil {
			return err
		}
		mode, pad, err := t.padding()
		if err != nil {
			return err
		}
		if mode == padExplicit {
			return fmt.Errorf("explicit padding is not supported for pooling")
		}
		oh, err := outSize(in.tf[0], k[0], stride[0], 1, mode, pad.Top, pad.Bottom)
		if err != nil {
			return err
		}
		ow, err := outSize(in.tf[1], k[1], stride[1], 1, mode, pad.Left, pad.Right)
		if err != nil {
			return err
		}
		n.Op = nn.OpMaxPool
		if t.Op == "AvgPool" {
			n.Op = nn.OpAvgPool
		}
		n.Attrs.Kernel = k
		n.Attrs.Stride = stride
		n.Attrs.SamePadding = mode == padSame
		return b.add(n, imageShape(oh, ow, in.tf[2]))

	case "Mean":
		if err := needData(ops, 2); err != nil {
			return err
		}
		axes, err := needConst(ops[1], "reduction axes")
		if err != nil {
			return err
		}
		in := ops[0].shape
		got := map[int]bool{}
		for _, v := range axes.data {
			a := int(v)
			if a < 0 {
				a += 4
			}
			got[a] = true
		}
		if !in.isImage() || len(got) != 2 || !got[1] || !got[2] {
			return fmt.Errorf("only a mean over the spatial axes 1 and 2 of an image (global average pooling) is supported")
		}
		n.Op = nn.OpGlobalAvgPool
		C := in.tf[2]
		if t.boolean("keep_dims") || t.boolean("keepdims") {
			return b.add(n, imageShape(1, 1, C))
		} else {
			return b.add(n, shapeInfo{tf: []int{C}, nn: []int{C, 1, 1}})
		}

	case "Squeeze":
		if err := needData(ops, 1); err != nil {
			return err
		}
		in := ops[0].shape
		dims := t.ints("squeeze_dims")
		full := append([]int{1}, in.tf...) // with batch
		drop := map[int]bool{}
		if len(dims) == 0 {
			for i := 1; i < len(full); i++ {
				if full[i] == 1 {
					drop[i] = true
				}
			}
		}
		for _, d := range dims {
			if d < 0 {
				d += len(full)
			}
			if d <= 0 || d >= len(full) || full[d] != 1 {
				return fmt.Errorf("squeeze_dims %v: axis %d is not a size-1 axis of %v", dims, d, full)
			}
			drop[d] = true
		}
		var target []int
		for i := 1; i < len(full); i++ {
			if !drop[i] {
				target = append(target, full[i])
			}
		}
		return b.reshapeTo(n, in, target)

	case "Reshape":
		if err := needData(ops, 2); err != nil {
			return err
		}
		sh, err := needConst(ops[1], "shape")
		if err != nil {
			return err
		}
		if len(sh.data) < 1 {
			return fmt.Errorf("shape %q is empty", sh.name)
		}
		target := make([]int, 0, len(sh.data)-1)
		if b0 := int(sh.data[0]); b0 != -1 && b0 != 1 {
			return fmt.Errorf("reshape to batch %d is not supported (want -1 or 1)", b0)
		}
		for _, v := range sh.data[1:] {
			target = append(target, int(v))
		}
		return b.reshapeTo(n, ops[0].shape, target)

	case "ConcatV2":
		if len(ops) < 2 {
			return fmt.Errorf("has %d inputs, want values and an axis", len(ops))
		}
		ax, err := needConst(ops[len(ops)-1], "axis")
		if err != nil {
			return err
		}
		if len(ax.data) != 1 {
			return fmt.Errorf("axis %q must be a scalar", ax.name)
		}
		var in []shapeInfo
		for _, o := range ops[:len(ops)-1] {
			if o.c != nil {
				return fmt.Errorf("concatenating the constant %q is not supported", o.name)
			}
			in = append(in, o.shape)
		}
		out, nnAxis, err := concat(in, int(ax.data[0]))
		if err != nil {
			return err
		}
		n.Op = nn.OpConcat
		n.Attrs.Axis = nnAxis
		return b.add(n, out)

	case "Pad":
		if err := needData(ops, 2); err != nil {
			return err
		}
		p, err := needConst(ops[1], "paddings")
		if err != nil {
			return err
		}
		in := ops[0].shape
		d := p.data
		if !in.isImage() || len(d) != 8 || d[0] != 0 || d[1] != 0 || d[6] != 0 || d[7] != 0 {
			return fmt.Errorf("paddings %v: only spatial zero padding of an image is supported", d)
		}
		pad := nn.Pad{Top: int(d[2]), Bottom: int(d[3]), Left: int(d[4]), Right: int(d[5])}
		if err := checkPad(pad); err != nil {
			return err
		}
		n.Op = nn.OpZeroPad
		n.Attrs.Pad = pad
		return b.add(n, imageShape(in.tf[0]+pad.Top+pad.Bottom, in.tf[1]+pad.Left+pad.Right, in.tf[2]))
	}
	return fmt.Errorf("operator %q is not supported (supported: %s)", t.Op, strings.Join(supportedOps(), ", "))
}

func supportedOps() []string {
	ops := []string{"Const", "Placeholder", "Identity", "Snapshot", "StopGradient", "Conv2D", "_FusedConv2D",
		"DepthwiseConv2dNative", "FusedDepthwiseConv2dNative", "MatMul", "_FusedMatMul", "Add", "AddV2",
		"BiasAdd", "Mul", "Sub", "Relu", "Relu6", "Sigmoid", "Softmax", "AvgPool", "MaxPool", "Mean",
		"Squeeze", "Reshape", "ConcatV2", "Pad"}
	sort.Strings(ops)
	return ops
}

func (b *graphBuilder) reshapeTo(n *nn.Node, in shapeInfo, target []int) error {
	out, err := reshape(in, target)
	if err != nil {
		return err
	}
	if len(out.nn) == 1 {
		n.Op = nn.OpFlatten
	} else {
		n.Op = nn.OpReshape
		n.Attrs.Shape = append([]int(nil), out.nn...)
	}
	return b.add(n, out)
}

// bias attaches the bias operand (ops[2]) of a fused node.
func (b *graphBuilder) bias(n *nn.Node, ops []operand, has bool, k int) error {
	if !has {
		if len(ops) != 2 {
			return fmt.Errorf("has %d inputs, want 2", len(ops))
		}
		return nil
	}
	if len(ops) != 3 {
		return fmt.Errorf("has %d inputs, want 3 (data, weights, bias)", len(ops))
	}
	bw, err := needConst(ops[2], "bias")
	if err != nil {
		return err
	}
	if bw.len() != k {
		return fmt.Errorf("bias %q has %d values, want %d", bw.name, bw.len(), k)
	}
	n.Bias = vectorTensor(bw)
	return nil
}

func (b *graphBuilder) conv(t *tfNode, n *nn.Node, ops []operand) error {
	if len(ops) < 2 {
		return fmt.Errorf("has %d inputs, want at least 2", len(ops))
	}
	if err := needData(ops[:1], 1); err != nil {
		return err
	}
	if err := t.checkNHWC(); err != nil {
		return err
	}
	in := ops[0].shape
	if !in.isImage() {
		return fmt.Errorf("input %q is not an image", ops[0].name)
	}
	w, err := needConst(ops[1], "filter")
	if err != nil {
		return err
	}
	if len(w.shape) != 4 {
		return fmt.Errorf("filter %q has shape %v, want rank 4", w.name, w.shape)
	}
	stride, err := t.nhwcPair("strides", [2]int{1, 1})
	if err != nil {
		return err
	}
	dil, err := t.nhwcPair("dilations", [2]int{1, 1})
	if err != nil {
		return err
	}
	mode, pad, err := t.padding()
	if err != nil {
		return err
	}
	bias, act, err := t.fusedOps()
	if err != nil {
		return err
	}
	H, W, C := in.tf[0], in.tf[1], in.tf[2]
	var K int
	if strings.Contains(t.Op, "Depthwise") {
		if w.shape[2] != C {
			return fmt.Errorf("depthwise filter %q has shape %v, want %d channels", w.name, w.shape, C)
		}
		K = w.shape[2] * w.shape[3]
		n.Weights = depthwiseKernel(w)
		n.Attrs.Groups = C
	} else {
		if w.shape[2] <= 0 || w.shape[2] > C || C%w.shape[2] != 0 || w.shape[3]%(C/w.shape[2]) != 0 {
			return fmt.Errorf("filter %q has shape %v, incompatible with %d input channels", w.name, w.shape, C)
		}
		K = w.shape[3]
		n.Weights = convKernel(w)
		n.Attrs.Groups = C / w.shape[2]
	}
	if err := b.bias(n, ops, bias, K); err != nil {
		return err
	}
	oh, err := outSize(H, w.shape[0], stride[0], dil[0], mode, pad.Top, pad.Bottom)
	if err != nil {
		return err
	}
	ow, err := outSize(W, w.shape[1], stride[1], dil[1], mode, pad.Left, pad.Right)
	if err != nil {
		return err
	}
	n.Op = nn.OpConv
	n.Attrs.Kernel = [2]int{w.shape[0], w.shape[1]}
	n.Attrs.Stride = stride
	n.Attrs.Dilation = dil
	n.Attrs.SamePadding = mode == padSame
	n.Attrs.Pad = pad
	n.Attrs.Activation = act
	return b.add(n, imageShape(oh, ow, K))
}

// binary maps Add/AddV2 of two tensors to OpAdd, and an element-wise
// operation with a constant (scalar or one value per channel) to a
// batch-norm node y = Scale*x + Shift.
func (b *graphBuilder) binary(t *tfNode, n *nn.Node, ops []operand) error {
	if len(ops) != 2 {
		return fmt.Errorf("has %d inputs, want 2", len(ops))
	}
	x, c := ops[0], ops[1]
	constFirst := false
	if x.c != nil {
		x, c = c, x
		constFirst = true
	}
	if x.c != nil {
		return fmt.Errorf("both inputs are constants; constant-only subgraphs are not supported")
	}
	if c.c == nil {
		if t.Op != "Add" && t.Op != "AddV2" {
			return fmt.Errorf("%s of two tensors is not supported", t.Op)
		}
		if !slices.Equal(x.shape.tf, c.shape.tf) || !slices.Equal(x.shape.flat, c.shape.flat) {
			return fmt.Errorf("inputs %q %v and %q %v differ in shape", x.name, x.shape.tf, c.name, c.shape.tf)
		}
		n.Op = nn.OpAdd
		return b.add(n, x.shape)
	}
	if t.Op == "BiasAdd" && constFirst {
		return fmt.Errorf("the bias must be the second input")
	}
	if x.shape.flat != nil {
		return fmt.Errorf("an element-wise operation with a constant on a flattened image is not supported")
	}
	C := x.shape.channels()
	vals, err := broadcastChannels(c.c, C)
	if err != nil {
		return err
	}
	scale, shift := nn.NewTensor(C), nn.NewTensor(C)
	for i := 0; i < C; i++ {
		v := vals[i]
		switch {
		case t.Op == "Mul":
			scale.Data[i], shift.Data[i] = v, 0
		case t.Op == "Sub" && constFirst: // c - x
			scale.Data[i], shift.Data[i] = -1, v
		case t.Op == "Sub": // x - c
			scale.Data[i], shift.Data[i] = 1, -v
		default: // x + c
			scale.Data[i], shift.Data[i] = 1, v
		}
	}
	n.Op = nn.OpBatchNorm
	n.Scale, n.Shift = scale, shift
	return b.add(n, x.shape)
}

// broadcastChannels returns a constant's value per channel: a scalar (every
// dimension 1) repeated, or a vector along the last axis.
func broadcastChannels(w *weight, C int) ([]float32, error) {
	out := make([]float32, C)
	switch {
	case len(w.data) == 1:
		for i := range out {
			out[i] = w.data[0]
		}
	case len(w.data) == C && len(w.shape) > 0 && w.shape[len(w.shape)-1] == C:
		copy(out, w.data)
	default:
		return nil, fmt.Errorf("constant %q has shape %v; only scalars and one value per channel (%d) are supported", w.name, w.shape, C)
	}
	return out, nil
}
