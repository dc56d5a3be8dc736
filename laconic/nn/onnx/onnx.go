package onnx

import (
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"

	pb "github.com/advancedclimatesystems/gonnx/onnx"
	"google.golang.org/protobuf/proto"

	"github.com/laconiclab/toolkit/laconic/nn"
)

// Supported lists the ONNX operators the loader maps onto nn operations.
var Supported = []string{
	"Add", "AveragePool", "BatchNormalization", "Clip", "Concat", "Constant",
	"ConstantOfShape", "Conv", "Dropout", "Flatten", "Gemm", "GlobalAveragePool",
	"Identity", "MatMul", "MaxPool", "Pad", "Relu", "Reshape", "Sigmoid",
	"Softmax", "Transpose",
}

// ErrUnsupported is wrapped by errors about operators, attributes or data
// types the loader does not handle.
var ErrUnsupported = errors.New("not supported")

// Load reads an ONNX model file and converts it into an nn.Graph.
func Load(path string) (*nn.Graph, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("onnx: %w", err)
	}
	return Decode(data, path)
}

// Decode converts the bytes of an ONNX model into an nn.Graph; name (usually
// the file path) appears in errors and in Graph.Source.
func Decode(data []byte, name string) (*nn.Graph, error) {
	var m pb.ModelProto
	if err := proto.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("onnx: %s: not a valid ONNX model (corrupt or truncated protobuf): %w", name, err)
	}
	return FromModel(&m, name)
}

// FromModel converts a decoded ModelProto into an nn.Graph.
func FromModel(m *pb.ModelProto, name string) (*nn.Graph, error) {
	g, err := fromModel(m, name)
	if err != nil {
		return nil, fmt.Errorf("onnx: %s: %w", name, err)
	}
	return g, nil
}

// loader holds the state of one conversion.
type loader struct {
	opset      int64
	consts     map[string]*constant // constant tensors by ONNX name
	zeros      map[string][]int64   // outputs of ConstantOfShape with value 0: their shape
	producer   map[string]string    // ONNX tensor name -> nn node name
	rank       map[string]int       // ONNX tensor name -> rank, when known
	consumers  map[string]int       // ONNX tensor name -> number of consuming inputs
	names      map[string]bool      // nn node names in use
	nodes      []*nn.Node
	byName     map[string]*nn.Node
	inputBatch int64 // declared batch size of the graph input (0: unknown)
	graphOut   map[string]bool
}

func fromModel(m *pb.ModelProto, name string) (*nn.Graph, error) {
	gp := m.GetGraph()
	if gp == nil {
		return nil, errors.New("the model has no graph (empty or truncated file?)")
	}
	l := &loader{
		opset:     1,
		consts:    map[string]*constant{},
		zeros:     map[string][]int64{},
		producer:  map[string]string{},
		rank:      map[string]int{},
		consumers: map[string]int{},
		names:     map[string]bool{},
		byName:    map[string]*nn.Node{},
		graphOut:  map[string]bool{},
	}
	for _, op := range m.GetOpsetImport() {
		if op.GetDomain() == "" || op.GetDomain() == "ai.onnx" {
			l.opset = op.GetVersion()
		}
	}
	for _, t := range gp.GetInitializer() {
		c, err := decodeTensor(t)
		if err != nil {
			return nil, fmt.Errorf("initializer: %w", err)
		}
		l.consts[t.GetName()] = c
	}
	if len(gp.GetSparseInitializer()) > 0 {
		return nil, fmt.Errorf("sparse initializers: %w", ErrUnsupported)
	}
	for _, n := range gp.GetNode() {
		for _, in := range n.GetInput() {
			if in != "" {
				l.consumers[in]++
			}
		}
	}
	for _, o := range gp.GetOutput() {
		l.consumers[o.GetName()]++
		l.graphOut[o.GetName()] = true
	}
	if err := l.inputs(gp); err != nil {
		return nil, err
	}
	for i, n := range gp.GetNode() {
		if err := l.node(n); err != nil {
			label := n.GetName()
			if label == "" && len(n.GetOutput()) > 0 {
				label = n.GetOutput()[0]
			}
			return nil, fmt.Errorf("node %d %q (%s): %w", i, label, n.GetOpType(), err)
		}
	}
	g := &nn.Graph{Name: gp.GetName(), Nodes: l.nodes, Source: name}
	if g.Name == "" {
		g.Name = name
	}
	for _, o := range gp.GetOutput() {
		p, ok := l.producer[o.GetName()]
		if !ok {
			return nil, fmt.Errorf("graph output %q is not computed by any supported node (a constant or missing tensor)", o.GetName())
		}
		if !slices.Contains(g.Outputs, p) {
			g.Outputs = append(g.Outputs, p)
		}
	}
	if err := g.Validate(); err != nil {
		return nil, err
	}
	return g, nil
}

// inputs creates the Input nodes, one per graph input that is not an
// initializer. A rank-4 input whose every consumer is a Transpose with perm
// [0, 3, 1, 2] (an NHWC model converted from TensorFlow) becomes an NCHW
// input and those transposes disappear.
func (l *loader) inputs(gp *pb.GraphProto) error {
	for _, v := range gp.GetInput() {
		if _, isConst := l.consts[v.GetName()]; isConst {
			continue
		}
		if err := l.input(gp, v); err != nil {
			return err
		}
	}
	if len(l.nodes) == 0 {
		return errors.New("the graph has no input that is not an initializer")
	}
	return nil
}

func (l *loader) input(gp *pb.GraphProto, v *pb.ValueInfoProto) error {
	tt := v.GetType().GetTensorType()
	if tt == nil {
		return fmt.Errorf("graph input %q is not a tensor", v.GetName())
	}
	if et := pb.TensorProto_DataType(tt.GetElemType()); et != pb.TensorProto_FLOAT {
		return fmt.Errorf("graph input %q has element type %v, want FLOAT: %w", v.GetName(), et, ErrUnsupported)
	}
	var dims []int
	for _, d := range tt.GetShape().GetDim() {
		dims = append(dims, int(min(max(d.GetDimValue(), 0), 1<<30))) // 0: symbolic or unknown
	}
	if len(dims) < 2 {
		return fmt.Errorf("graph input %q has shape %v; want a batch dimension and at least one more", v.GetName(), dims)
	}
	if l.inputBatch == 0 {
		l.inputBatch = int64(dims[0])
	}
	shape := slices.Clone(dims[1:])
	nhwc := false
	if len(dims) == 4 {
		nhwc = true
		uses := 0
		for _, n := range gp.GetNode() {
			for _, in := range n.GetInput() {
				if in != v.GetName() {
					continue
				}
				uses++
				perm, _ := intsAttr(n, "perm")
				if n.GetOpType() != "Transpose" || !slices.Equal(perm, []int64{0, 3, 1, 2}) {
					nhwc = false
				}
			}
		}
		nhwc = nhwc && uses > 0
		if nhwc {
			shape = []int{dims[3], dims[1], dims[2]}
		}
	}
	node := &nn.Node{Name: v.GetName(), Op: nn.OpInput, Attrs: nn.Attrs{Shape: shape}}
	l.add(node)
	l.producer[v.GetName()] = node.Name
	l.rank[v.GetName()] = len(dims)
	if nhwc {
		for _, n := range gp.GetNode() {
			if n.GetOpType() == "Transpose" && len(n.GetInput()) == 1 && n.GetInput()[0] == v.GetName() && len(n.GetOutput()) == 1 {
				l.producer[n.GetOutput()[0]] = node.Name
				l.rank[n.GetOutput()[0]] = 4
			}
		}
	}
	return nil
}

// add appends an nn node with a unique name.
func (l *loader) add(n *nn.Node) {
	base := n.Name
	for i := 2; l.names[n.Name]; i++ {
		n.Name = fmt.Sprintf("%s_%d", base, i)
	}
	l.names[n.Name] = true
	l.nodes = append(l.nodes, n)
	l.byName[n.Name] = n
}

// emit adds an nn node computing ONNX tensor out from the given ONNX inputs.
func (l *loader) emit(src *pb.NodeProto, op nn.Op, inputs []string, out string, rank int) (*nn.Node, error) {
	n := &nn.Node{Name: src.GetName(), Op: op}
	if n.Name == "" {
		n.Name = out
	}
	for _, in := range inputs {
		p, err := l.activation(in)
		if err != nil {
			return nil, err
		}
		n.Inputs = append(n.Inputs, p)
	}
	l.add(n)
	l.producer[out] = n.Name
	if rank > 0 {
		l.rank[out] = rank
	}
	return n, nil
}

// activation returns the nn node producing ONNX tensor name.
func (l *loader) activation(name string) (string, error) {
	if p, ok := l.producer[name]; ok {
		return p, nil
	}
	if _, ok := l.consts[name]; ok {
		return "", fmt.Errorf("input %q is a constant where an activation is expected: %w", name, ErrUnsupported)
	}
	if _, ok := l.zeros[name]; ok {
		return "", fmt.Errorf("input %q is a ConstantOfShape used other than as channel padding in a Concat: %w", name, ErrUnsupported)
	}
	return "", fmt.Errorf("input %q is neither the graph input, an initializer nor the output of an earlier node", name)
}

// rankOf returns the rank of an ONNX tensor, or -1 when unknown.
func (l *loader) rankOf(name string) int {
	if r, ok := l.rank[name]; ok {
		return r
	}
	return -1
}

func (l *loader) constant(name string) (*constant, bool) {
	c, ok := l.consts[name]
	return c, ok
}

func (l *loader) floatConst(n *pb.NodeProto, idx int, what string) (*constant, error) {
	if idx >= len(n.GetInput()) || n.GetInput()[idx] == "" {
		return nil, fmt.Errorf("missing %s (input %d)", what, idx)
	}
	c, ok := l.constant(n.GetInput()[idx])
	if !ok {
		return nil, fmt.Errorf("%s %q must be a constant (initializer or Constant node): %w", what, n.GetInput()[idx], ErrUnsupported)
	}
	if !c.isFloat {
		return nil, fmt.Errorf("%s %q is not floating point", what, n.GetInput()[idx])
	}
	return c, nil
}

func (l *loader) intConst(n *pb.NodeProto, idx int, what string) ([]int64, error) {
	if idx >= len(n.GetInput()) || n.GetInput()[idx] == "" {
		return nil, fmt.Errorf("missing %s (input %d)", what, idx)
	}
	c, ok := l.constant(n.GetInput()[idx])
	if !ok {
		return nil, fmt.Errorf("%s %q must be a constant: %w", what, n.GetInput()[idx], ErrUnsupported)
	}
	if c.isFloat {
		return nil, fmt.Errorf("%s %q must be an integer tensor", what, n.GetInput()[idx])
	}
	return c.ints, nil
}

// optionalScalar returns a constant scalar input, or def when absent.
func (l *loader) optionalScalar(n *pb.NodeProto, idx int, def float64, what string) (float64, error) {
	if idx >= len(n.GetInput()) || n.GetInput()[idx] == "" {
		return def, nil
	}
	c, ok := l.constant(n.GetInput()[idx])
	if !ok {
		return 0, fmt.Errorf("%s %q must be a constant: %w", what, n.GetInput()[idx], ErrUnsupported)
	}
	if c.len() != 1 {
		return 0, fmt.Errorf("%s %q has %d values, want a scalar", what, n.GetInput()[idx], c.len())
	}
	if c.isFloat {
		return float64(c.floats[0]), nil
	}
	return float64(c.ints[0]), nil
}

func attr(n *pb.NodeProto, name string) *pb.AttributeProto {
	for _, a := range n.GetAttribute() {
		if a.GetName() == name {
			return a
		}
	}
	return nil
}

func intAttr(n *pb.NodeProto, name string, def int64) int64 {
	if a := attr(n, name); a != nil {
		return a.GetI()
	}
	return def
}

func floatAttr(n *pb.NodeProto, name string, def float32) float32 {
	if a := attr(n, name); a != nil {
		return a.GetF()
	}
	return def
}

func intsAttr(n *pb.NodeProto, name string) ([]int64, bool) {
	if a := attr(n, name); a != nil {
		return a.GetInts(), true
	}
	return nil, false
}

func stringAttr(n *pb.NodeProto, name, def string) string {
	if a := attr(n, name); a != nil {
		return string(a.GetS())
	}
	return def
}

// pair converts a 2-element attribute to [2]int, checking its range.
func pair(v []int64, what string) ([2]int, error) {
	if len(v) != 2 {
		return [2]int{}, fmt.Errorf("%s %v: only 2-D operators are supported: %w", what, v, ErrUnsupported)
	}
	for _, x := range v {
		if x < 0 || x > 1<<20 {
			return [2]int{}, fmt.Errorf("%s %v out of range", what, v)
		}
	}
	return [2]int{int(v[0]), int(v[1])}, nil
}

// window reads the attributes shared by Conv and the pooling operators:
// strides, pads (ONNX order: top, left, bottom, right), dilations and
// auto_pad.
func window(n *pb.NodeProto, a *nn.Attrs) error {
	if s, ok := intsAttr(n, "strides"); ok {
		st, err := pair(s, "strides")
		if err != nil {
			return err
		}
		if st[0] == 0 || st[1] == 0 {
			return fmt.Errorf("strides %v must be positive", s)
		}
		a.Stride = st
	}
	if d, ok := intsAttr(n, "dilations"); ok {
		for _, v := range d {
			if v != 1 {
				return fmt.Errorf("dilations %v: only 1 is supported: %w", d, ErrUnsupported)
			}
		}
	}
	switch ap := stringAttr(n, "auto_pad", "NOTSET"); ap {
	case "NOTSET", "":
		if p, ok := intsAttr(n, "pads"); ok {
			if len(p) != 4 {
				return fmt.Errorf("pads %v: want 4 values (top, left, bottom, right): %w", p, ErrUnsupported)
			}
			for _, v := range p {
				if v < 0 || v > 1<<20 {
					return fmt.Errorf("pads %v out of range", p)
				}
			}
			a.Pad = nn.Pad{Top: int(p[0]), Left: int(p[1]), Bottom: int(p[2]), Right: int(p[3])}
		}
	case "VALID":
	case "SAME_UPPER":
		a.SamePadding = true
	default:
		return fmt.Errorf("auto_pad %q: only NOTSET, VALID and SAME_UPPER are supported: %w", ap, ErrUnsupported)
	}
	return nil
}

// out0 returns a node's first output, checking that the others are unused.
func (l *loader) out0(n *pb.NodeProto) (string, error) {
	outs := n.GetOutput()
	if len(outs) == 0 || outs[0] == "" {
		return "", errors.New("node has no output")
	}
	for _, o := range outs[1:] {
		if o != "" && l.consumers[o] > 0 {
			return "", fmt.Errorf("second output %q is used; only the first output is supported: %w", o, ErrUnsupported)
		}
	}
	return outs[0], nil
}

// node converts one ONNX node.
func (l *loader) node(n *pb.NodeProto) error {
	if d := n.GetDomain(); d != "" && d != "ai.onnx" {
		return fmt.Errorf("operator %s of domain %q: %w", n.GetOpType(), d, ErrUnsupported)
	}
	out, err := l.out0(n)
	if err != nil {
		return err
	}
	ins := n.GetInput()
	if _, done := l.producer[out]; done {
		return nil // an input transpose folded into an NCHW graph input
	}
	if len(ins) == 0 && n.GetOpType() != "Constant" {
		return errors.New("node has no inputs")
	}
	first := ""
	if len(ins) > 0 {
		first = ins[0]
	}
	switch op := n.GetOpType(); op {
	case "Constant":
		return l.constNode(n, out)
	case "ConstantOfShape":
		shape, err := l.intConst(n, 0, "shape")
		if err != nil {
			return err
		}
		if a := attr(n, "value"); a != nil && a.GetT() != nil {
			c, err := decodeTensor(a.GetT())
			if err != nil {
				return err
			}
			for i := 0; i < c.len(); i++ {
				if (c.isFloat && c.floats[i] != 0) || (!c.isFloat && c.ints[i] != 0) {
					return fmt.Errorf("ConstantOfShape with a non-zero value: %w", ErrUnsupported)
				}
			}
		}
		l.zeros[out] = shape
		return nil
	case "Identity", "Dropout":
		if c, ok := l.consts[first]; ok {
			l.consts[out] = c
			return nil
		}
		if op == "Dropout" && intAttr(n, "training_mode", 0) != 0 {
			return fmt.Errorf("training_mode: %w", ErrUnsupported)
		}
		_, err := l.emit(n, nn.OpIdentity, []string{first}, out, l.rankOf(first))
		return err
	case "Relu":
		_, err := l.emit(n, nn.OpReLU, []string{first}, out, l.rankOf(first))
		return err
	case "Sigmoid":
		_, err := l.emit(n, nn.OpSigmoid, []string{first}, out, l.rankOf(first))
		return err
	case "Clip":
		lo, hi := math.Inf(-1), math.Inf(1)
		if l.opset < 11 {
			lo = float64(floatAttr(n, "min", float32(math.Inf(-1))))
			hi = float64(floatAttr(n, "max", float32(math.Inf(1))))
		} else {
			if lo, err = l.optionalScalar(n, 1, lo, "min"); err != nil {
				return err
			}
			if hi, err = l.optionalScalar(n, 2, hi, "max"); err != nil {
				return err
			}
		}
		switch {
		case lo == 0 && hi == 6:
			_, err = l.emit(n, nn.OpReLU6, []string{first}, out, l.rankOf(first))
		case lo == 0 && math.IsInf(hi, 1):
			_, err = l.emit(n, nn.OpReLU, []string{first}, out, l.rankOf(first))
		default:
			err = fmt.Errorf("Clip(%g, %g): only Clip(0, 6) (ReLU6) and Clip(0, inf) (ReLU): %w", lo, hi, ErrUnsupported)
		}
		return err
	case "Conv":
		return l.conv(n, out)
	case "BatchNormalization":
		return l.batchNorm(n, out)
	case "Add":
		return l.add2(n, out)
	case "Concat":
		return l.concat(n, out)
	case "MaxPool", "AveragePool":
		return l.pool(n, out)
	case "GlobalAveragePool":
		_, err := l.emit(n, nn.OpGlobalAvgPool, []string{first}, out, l.rankOf(first))
		return err
	case "Gemm":
		return l.gemm(n, out)
	case "MatMul":
		return l.matmul(n, out)
	case "Flatten":
		axis := intAttr(n, "axis", 1)
		if r := l.rankOf(first); axis < 0 && r > 0 {
			axis += int64(r)
		}
		if axis != 1 {
			return fmt.Errorf("Flatten axis %d: only axis 1 (keep the batch axis) is supported: %w", intAttr(n, "axis", 1), ErrUnsupported)
		}
		_, err := l.emit(n, nn.OpFlatten, []string{first}, out, 2)
		return err
	case "Reshape":
		return l.reshape(n, out)
	case "Softmax":
		return l.softmax(n, out)
	case "Transpose":
		perm, ok := intsAttr(n, "perm")
		if c, isConst := l.consts[first]; isConst {
			if !ok { // default: reverse the axes
				for i := range c.dims {
					perm = append(perm, int64(len(c.dims)-1-i))
				}
			}
			t, err := transposeConst(c, perm)
			if err != nil {
				return err
			}
			l.consts[out] = t
			return nil
		}
		if !ok || len(perm) == 0 || perm[0] != 0 {
			return fmt.Errorf("Transpose perm %v must keep the batch axis first: %w", perm, ErrUnsupported)
		}
		seen := make([]bool, len(perm))
		p := make([]int, len(perm))
		for i, v := range perm {
			if v < 0 || v >= int64(len(perm)) || seen[v] {
				return fmt.Errorf("Transpose perm %v is not a permutation", perm)
			}
			seen[v] = true
			p[i] = int(v)
		}
		node, err := l.emit(n, nn.OpTranspose, []string{first}, out, len(perm))
		if err != nil {
			return err
		}
		node.Attrs.Perm = p
		return nil
	case "Pad":
		return l.pad(n, out)
	default:
		return fmt.Errorf("operator %s: %w (supported: %s)", op, ErrUnsupported, strings.Join(Supported, ", "))
	}
}

func (l *loader) constNode(n *pb.NodeProto, out string) error {
	var c *constant
	switch a := n.GetAttribute(); {
	case len(a) != 1:
		return fmt.Errorf("Constant needs exactly one value attribute, has %d", len(a))
	case a[0].GetName() == "value":
		t := a[0].GetT()
		if t == nil {
			return errors.New("Constant value attribute holds no tensor")
		}
		var err error
		if c, err = decodeTensor(t); err != nil {
			return err
		}
	case a[0].GetName() == "value_float":
		c = &constant{dims: []int{}, floats: []float32{a[0].GetF()}, isFloat: true}
	case a[0].GetName() == "value_floats":
		c = &constant{dims: []int{len(a[0].GetFloats())}, floats: slices.Clone(a[0].GetFloats()), isFloat: true}
	case a[0].GetName() == "value_int":
		c = &constant{dims: []int{}, ints: []int64{a[0].GetI()}}
	case a[0].GetName() == "value_ints":
		c = &constant{dims: []int{len(a[0].GetInts())}, ints: slices.Clone(a[0].GetInts())}
	default:
		return fmt.Errorf("Constant attribute %q: %w", a[0].GetName(), ErrUnsupported)
	}
	l.consts[out] = c
	return nil
}

func (l *loader) conv(n *pb.NodeProto, out string) error {
	w, err := l.floatConst(n, 1, "weights")
	if err != nil {
		return err
	}
	if len(w.dims) != 4 {
		return fmt.Errorf("weights %v: only 2-D convolutions (OIHW weights) are supported: %w", w.dims, ErrUnsupported)
	}
	var a nn.Attrs
	if err := window(n, &a); err != nil {
		return err
	}
	if k, ok := intsAttr(n, "kernel_shape"); ok {
		kk, err := pair(k, "kernel_shape")
		if err != nil {
			return err
		}
		if kk != [2]int{w.dims[2], w.dims[3]} {
			return fmt.Errorf("kernel_shape %v disagrees with weights %v", k, w.dims)
		}
	}
	g := intAttr(n, "group", 1)
	if g < 1 || g > int64(w.dims[0]) || int64(w.dims[0])%g != 0 {
		return fmt.Errorf("group %d does not divide the %d filters", g, w.dims[0])
	}
	if g > 1 {
		a.Groups = int(g)
	}
	var bias *nn.Tensor
	if len(n.GetInput()) > 2 && n.GetInput()[2] != "" {
		b, err := l.floatConst(n, 2, "bias")
		if err != nil {
			return err
		}
		if b.len() != w.dims[0] {
			return fmt.Errorf("bias has %d values for %d filters", b.len(), w.dims[0])
		}
		bias = b.tensor()
		bias.Shape = []int{b.len()}
	}
	node, err := l.emit(n, nn.OpConv, []string{n.GetInput()[0]}, out, 4)
	if err != nil {
		return err
	}
	node.Attrs = a
	node.Weights = w.tensor()
	node.Bias = bias
	return nil
}

func (l *loader) batchNorm(n *pb.NodeProto, out string) error {
	if intAttr(n, "training_mode", 0) != 0 {
		return fmt.Errorf("training_mode: %w", ErrUnsupported)
	}
	var p [4]*constant
	for i, what := range []string{"scale", "bias", "mean", "var"} {
		c, err := l.floatConst(n, i+1, what)
		if err != nil {
			return err
		}
		p[i] = c
	}
	ch := p[0].len()
	for i, c := range p {
		if c.len() != ch {
			return fmt.Errorf("parameter %d has %d values, scale has %d", i+1, c.len(), ch)
		}
	}
	eps := float64(floatAttr(n, "epsilon", 1e-5))
	scale, shift := nn.NewTensor(ch), nn.NewTensor(ch)
	for c := 0; c < ch; c++ {
		s := float64(p[0].floats[c]) / math.Sqrt(float64(p[3].floats[c])+eps)
		scale.Data[c] = float32(s)
		shift.Data[c] = float32(float64(p[1].floats[c]) - float64(p[2].floats[c])*s)
	}
	node, err := l.emit(n, nn.OpBatchNorm, []string{n.GetInput()[0]}, out, l.rankOf(n.GetInput()[0]))
	if err != nil {
		return err
	}
	node.Scale, node.Shift = scale, shift
	return nil
}

// add2 converts Add. Two activations give an element-wise Add; an
// activation plus a per-channel constant folds into the bias of the
// producing Conv/Dense (when it has no bias and no other consumer) or
// becomes a BatchNorm with unit scale.
func (l *loader) add2(n *pb.NodeProto, out string) error {
	ins := n.GetInput()
	if len(ins) != 2 {
		return fmt.Errorf("Add has %d inputs, want 2", len(ins))
	}
	c0, k0 := l.consts[ins[0]]
	c1, k1 := l.consts[ins[1]]
	switch {
	case k0 && k1:
		return fmt.Errorf("Add of two constants: %w", ErrUnsupported)
	case !k0 && !k1:
		_, err := l.emit(n, nn.OpAdd, []string{ins[0], ins[1]}, out, l.rankOf(ins[0]))
		return err
	}
	x, c := ins[0], c1
	if k0 {
		x, c = ins[1], c0
	}
	if !c.isFloat {
		return fmt.Errorf("Add of an integer constant: %w", ErrUnsupported)
	}
	rank := l.rankOf(x)
	// The constant must be one value per channel (axis 1), broadcast over
	// the other axes.
	perChannel := func() bool {
		if rank < 2 || len(c.dims) > rank {
			return false
		}
		full := make([]int, rank)
		for i := range full {
			full[i] = 1
		}
		copy(full[rank-len(c.dims):], c.dims)
		for i, d := range full {
			if i != 1 && d != 1 {
				return false
			}
		}
		return true
	}
	if !perChannel() {
		return fmt.Errorf("Add of a constant of shape %v to a rank-%d activation: only per-channel constants are supported: %w", c.dims, rank, ErrUnsupported)
	}
	if p, ok := l.producer[x]; ok && l.consumers[x] == 1 && !l.graphOut[x] {
		if pn := l.byName[p]; pn.IsCompute() && pn.Bias == nil && pn.Weights.Shape[0] == c.len() {
			pn.Bias = &nn.Tensor{Shape: []int{c.len()}, Data: slices.Clone(c.floats)}
			l.producer[out] = p
			l.rank[out] = rank
			return nil
		}
	}
	node, err := l.emit(n, nn.OpBatchNorm, []string{x}, out, rank)
	if err != nil {
		return err
	}
	node.Scale = nn.NewTensor(c.len())
	for i := range node.Scale.Data {
		node.Scale.Data[i] = 1
	}
	node.Shift = &nn.Tensor{Shape: []int{c.len()}, Data: slices.Clone(c.floats)}
	return nil
}

// concat converts Concat; zero constants from ConstantOfShape around a single
// activation on axis 1 become channel padding.
func (l *loader) concat(n *pb.NodeProto, out string) error {
	a := attr(n, "axis")
	if a == nil {
		return errors.New("Concat without an axis attribute")
	}
	axis := a.GetI()
	var acts []string
	var before, after int64
	for _, in := range n.GetInput() {
		if shape, ok := l.zeros[in]; ok {
			if len(shape) != 4 {
				return fmt.Errorf("zero constant %q of shape %v: only rank-4 channel padding is supported: %w", in, shape, ErrUnsupported)
			}
			if len(acts) == 0 {
				before += shape[1]
			} else {
				after += shape[1]
			}
			continue
		}
		acts = append(acts, in)
	}
	if before == 0 && after == 0 {
		node, err := l.emit(n, nn.OpConcat, acts, out, l.rankOf(n.GetInput()[0]))
		if err != nil {
			return err
		}
		node.Attrs.Axis = int(axis)
		return nil
	}
	if len(acts) != 1 || (axis != 1 && axis != -3) {
		return fmt.Errorf("Concat of zero constants on axis %d with %d activations: only channel padding of one activation is supported: %w", axis, len(acts), ErrUnsupported)
	}
	if before > 1<<20 || after > 1<<20 || before < 0 || after < 0 {
		return fmt.Errorf("channel padding %d+%d out of range", before, after)
	}
	node, err := l.emit(n, nn.OpZeroPad, acts, out, 4)
	if err != nil {
		return err
	}
	node.Attrs.ChannelPad = [2]int{int(before), int(after)}
	return nil
}

func (l *loader) pool(n *pb.NodeProto, out string) error {
	var a nn.Attrs
	k, ok := intsAttr(n, "kernel_shape")
	if !ok {
		return errors.New("missing kernel_shape")
	}
	kk, err := pair(k, "kernel_shape")
	if err != nil {
		return err
	}
	if kk[0] == 0 || kk[1] == 0 {
		return fmt.Errorf("kernel_shape %v must be positive", k)
	}
	a.Kernel = kk
	if err := window(n, &a); err != nil {
		return err
	}
	if intAttr(n, "ceil_mode", 0) != 0 {
		return fmt.Errorf("ceil_mode=1: %w", ErrUnsupported)
	}
	op := nn.OpMaxPool
	if n.GetOpType() == "AveragePool" {
		op = nn.OpAvgPool
		a.CountPad = intAttr(n, "count_include_pad", 0) != 0
	}
	node, err := l.emit(n, op, []string{n.GetInput()[0]}, out, 4)
	if err != nil {
		return err
	}
	node.Attrs = a
	return nil
}

// gemm converts Gemm with constant B (and C): Y = alpha*A*B' + beta*C.
func (l *loader) gemm(n *pb.NodeProto, out string) error {
	if intAttr(n, "transA", 0) != 0 {
		return fmt.Errorf("transA=1: %w", ErrUnsupported)
	}
	b, err := l.floatConst(n, 1, "B")
	if err != nil {
		return err
	}
	if len(b.dims) != 2 {
		return fmt.Errorf("B has shape %v, want rank 2", b.dims)
	}
	w := b.tensor()
	if intAttr(n, "transB", 0) == 0 {
		w = transpose2(w)
	}
	if alpha := floatAttr(n, "alpha", 1); alpha != 1 {
		for i := range w.Data {
			w.Data[i] *= alpha
		}
	}
	var bias *nn.Tensor
	if len(n.GetInput()) > 2 && n.GetInput()[2] != "" {
		c, err := l.floatConst(n, 2, "C")
		if err != nil {
			return err
		}
		k := w.Shape[0]
		beta := floatAttr(n, "beta", 1)
		bias = nn.NewTensor(k)
		switch {
		case c.len() == 1:
			for i := range bias.Data {
				bias.Data[i] = beta * c.floats[0]
			}
		case c.len() == k && (len(c.dims) == 1 || (len(c.dims) == 2 && c.dims[0] == 1)):
			for i := range bias.Data {
				bias.Data[i] = beta * c.floats[i]
			}
		default:
			return fmt.Errorf("C of shape %v: only a scalar or one value per output (%d) is supported: %w", c.dims, k, ErrUnsupported)
		}
	}
	if r := l.rankOf(n.GetInput()[0]); r > 2 {
		return fmt.Errorf("input of rank %d: Gemm needs rank 2", r)
	}
	node, err := l.emit(n, nn.OpDense, []string{n.GetInput()[0]}, out, 2)
	if err != nil {
		return err
	}
	node.Weights, node.Bias = w, bias
	return nil
}

// matmul converts MatMul of a rank-2 activation by constant In x Out weights.
func (l *loader) matmul(n *pb.NodeProto, out string) error {
	if len(n.GetInput()) != 2 {
		return fmt.Errorf("MatMul has %d inputs, want 2", len(n.GetInput()))
	}
	if _, ok := l.consts[n.GetInput()[0]]; ok {
		return fmt.Errorf("MatMul with a constant first operand: %w", ErrUnsupported)
	}
	b, err := l.floatConst(n, 1, "weights")
	if err != nil {
		return err
	}
	if len(b.dims) != 2 {
		return fmt.Errorf("weights of shape %v: only rank-2 constant weights are supported: %w", b.dims, ErrUnsupported)
	}
	if r := l.rankOf(n.GetInput()[0]); r != 2 && r != -1 {
		return fmt.Errorf("input of rank %d: only rank-2 (batch x features) MatMul is supported: %w", r, ErrUnsupported)
	}
	node, err := l.emit(n, nn.OpDense, []string{n.GetInput()[0]}, out, 2)
	if err != nil {
		return err
	}
	node.Weights = transpose2(b.tensor())
	return nil
}

// transpose2 returns the transpose of a rank-2 tensor.
func transpose2(t *nn.Tensor) *nn.Tensor {
	r, c := t.Shape[0], t.Shape[1]
	out := nn.NewTensor(c, r)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			out.Data[j*r+i] = t.Data[i*c+j]
		}
	}
	return out
}

// reshape converts Reshape with a constant target shape whose first entry is
// the batch: 0, -1, or the graph input's declared batch size (1 when that is
// symbolic).
func (l *loader) reshape(n *pb.NodeProto, out string) error {
	var shape []int64
	if l.opset < 5 {
		s, ok := intsAttr(n, "shape")
		if !ok {
			return errors.New("missing shape attribute")
		}
		shape = s
	} else {
		s, err := l.intConst(n, 1, "shape")
		if err != nil {
			return err
		}
		shape = s
	}
	if len(shape) < 1 {
		return fmt.Errorf("target shape %v has no batch dimension: %w", shape, ErrUnsupported)
	}
	batchOK := func(b int64) bool {
		if b == 0 || b == -1 {
			return true
		}
		if l.inputBatch > 0 {
			return b == l.inputBatch
		}
		return b == 1
	}
	if b := shape[0]; !batchOK(b) {
		return fmt.Errorf("target shape %v changes the batch dimension (graph input batch %d): %w", shape, l.inputBatch, ErrUnsupported)
	}
	allowZero := intAttr(n, "allowzero", 0) != 0
	var rest []int
	for _, d := range shape[1:] {
		if d < -1 || d > 1<<30 || (allowZero && d == 0) {
			return fmt.Errorf("target shape %v: dimension %d not supported: %w", shape, d, ErrUnsupported)
		}
		rest = append(rest, int(d))
	}
	if rest == nil {
		rest = []int{}
	}
	node, err := l.emit(n, nn.OpReshape, []string{n.GetInput()[0]}, out, len(shape))
	if err != nil {
		return err
	}
	node.Attrs.Shape = rest
	return nil
}

// softmax converts Softmax over the last axis.
func (l *loader) softmax(n *pb.NodeProto, out string) error {
	in := n.GetInput()[0]
	def := int64(-1)
	if l.opset < 13 {
		def = 1
	}
	axis := intAttr(n, "axis", def)
	r := l.rankOf(in)
	last := axis == -1 || (r > 0 && axis == int64(r-1))
	if !last {
		return fmt.Errorf("Softmax over axis %d of a rank-%d tensor: only the last axis is supported: %w", axis, r, ErrUnsupported)
	}
	_, err := l.emit(n, nn.OpSoftmax, []string{in}, out, r)
	return err
}

// pad converts a constant-zero Pad on channels and spatial axes of a rank-4
// tensor.
func (l *loader) pad(n *pb.NodeProto, out string) error {
	if mode := stringAttr(n, "mode", "constant"); mode != "constant" {
		return fmt.Errorf("mode %q: only constant zero padding: %w", mode, ErrUnsupported)
	}
	var pads []int64
	value := 0.0
	if l.opset < 11 {
		p, ok := intsAttr(n, "pads")
		if !ok {
			return errors.New("missing pads attribute")
		}
		pads = p
		value = float64(floatAttr(n, "value", 0))
	} else {
		p, err := l.intConst(n, 1, "pads")
		if err != nil {
			return err
		}
		pads = p
		if value, err = l.optionalScalar(n, 2, 0, "constant_value"); err != nil {
			return err
		}
		if len(n.GetInput()) > 3 && n.GetInput()[3] != "" {
			return fmt.Errorf("axes input: %w", ErrUnsupported)
		}
	}
	if value != 0 {
		return fmt.Errorf("constant value %g: only zero padding: %w", value, ErrUnsupported)
	}
	if len(pads) != 8 {
		return fmt.Errorf("pads %v: only rank-4 (N, C, H, W) padding is supported: %w", pads, ErrUnsupported)
	}
	for _, p := range pads {
		if p < 0 || p > 1<<20 {
			return fmt.Errorf("pads %v: negative (cropping) or huge pads are not supported: %w", pads, ErrUnsupported)
		}
	}
	if pads[0] != 0 || pads[4] != 0 {
		return fmt.Errorf("pads %v pad the batch axis: %w", pads, ErrUnsupported)
	}
	node, err := l.emit(n, nn.OpZeroPad, []string{n.GetInput()[0]}, out, 4)
	if err != nil {
		return err
	}
	node.Attrs.ChannelPad = [2]int{int(pads[1]), int(pads[5])}
	node.Attrs.Pad = nn.Pad{Top: int(pads[2]), Left: int(pads[3]), Bottom: int(pads[6]), Right: int(pads[7])}
	return nil
}

// transposeConst permutes the axes of a constant (weights transposed by the
// exporter, as in older PyTorch exports of Linear layers).
func transposeConst(c *constant, perm []int64) (*constant, error) {
	rank := len(c.dims)
	if len(perm) != rank {
		return nil, fmt.Errorf("Transpose perm %v for a constant of shape %v", perm, c.dims)
	}
	seen := make([]bool, rank)
	dims := make([]int, rank)
	for i, p := range perm {
		if p < 0 || p >= int64(rank) || seen[p] {
			return nil, fmt.Errorf("Transpose perm %v is not a permutation", perm)
		}
		seen[p] = true
		dims[i] = c.dims[p]
	}
	strides := make([]int, rank)
	st := 1
	for d := rank - 1; d >= 0; d-- {
		strides[d] = st
		st *= c.dims[d]
	}
	out := &constant{dims: dims, isFloat: c.isFloat}
	n := c.len()
	if c.isFloat {
		out.floats = make([]float32, n)
	} else {
		out.ints = make([]int64, n)
	}
	idx := make([]int, rank)
	for o := 0; o < n; o++ {
		src := 0
		for i, p := range perm {
			src += idx[i] * strides[p]
		}
		if c.isFloat {
			out.floats[o] = c.floats[src]
		} else {
			out.ints[o] = c.ints[src]
		}
		for d := rank - 1; d >= 0; d-- {
			idx[d]++
			if idx[d] < dims[d] {
				break
			}
			idx[d] = 0
		}
	}
	return out, nil
}
