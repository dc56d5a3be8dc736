package onnx_test

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	pb "github.com/advancedclimatesystems/gonnx/onnx"
	"google.golang.org/protobuf/proto"

	"github.com/laconiclab/toolkit/laconic/infer"
	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/nn/onnx"
	"github.com/laconiclab/toolkit/laconic/zoo"
)

func ops(g *nn.Graph) []nn.Op {
	var out []nn.Op
	for _, n := range g.Nodes {
		out = append(out, n.Op)
	}
	return out
}

func TestClassifier(t *testing.T) {
	g, err := onnx.Decode(marshal(classifier()), "classifier.onnx")
	if err != nil {
		t.Fatal(err)
	}
	want := []nn.Op{nn.OpInput, nn.OpConv, nn.OpBatchNorm, nn.OpReLU6, nn.OpMaxPool, nn.OpConv, nn.OpReLU, nn.OpAdd,
		nn.OpAvgPool, nn.OpGlobalAvgPool, nn.OpFlatten, nn.OpDense, nn.OpSoftmax}
	if got := ops(g); !slices.Equal(got, want) {
		t.Fatalf("ops %v\nwant %v", got, want)
	}
	if g.Source != "classifier.onnx" || !slices.Equal(g.Outputs, []string{"prob"}) {
		t.Fatalf("source %q outputs %v", g.Source, g.Outputs)
	}
	conv := g.Node("conv1")
	if conv.Attrs.Pad != (nn.Pad{Top: 1, Bottom: 1, Left: 1, Right: 1}) || conv.Attrs.Stride != [2]int{2, 2} || conv.Bias == nil {
		t.Fatalf("conv1 attrs %+v bias %v", conv.Attrs, conv.Bias)
	}
	if dw := g.Node("dw"); dw.Attrs.Groups != 4 || !slices.Equal(dw.Weights.Shape, []int{4, 1, 3, 3}) {
		t.Fatalf("dw groups %d weights %v", dw.Attrs.Groups, dw.Weights.Shape)
	}
	// Batch-norm folding: scale = gamma/sqrt(var+eps), shift = beta - mean*scale.
	bn := g.Node("bn1")
	for c, p := range [][4]float64{{1, 0, 0.1, 1}, {2, 0.1, 0, 4}, {0.5, -0.1, -0.1, 0.25}, {1, 0.2, 0, 1}} {
		s := p[0] / math.Sqrt(p[3]+1e-3)
		if math.Abs(float64(bn.Scale.Data[c])-s) > 1e-6 || math.Abs(float64(bn.Shift.Data[c])-(p[1]-p[2]*s)) > 1e-6 {
			t.Fatalf("channel %d: scale %v shift %v", c, bn.Scale.Data[c], bn.Shift.Data[c])
		}
	}
	// Gemm with transB keeps B as Out x In.
	if fc := g.Node("fc"); !slices.Equal(fc.Weights.Shape, []int{3, 4}) || fc.Bias.Data[1] != 1 {
		t.Fatalf("fc weights %v bias %v", fc.Weights.Shape, fc.Bias.Data)
	}
	if a := g.Node("avg").Attrs; !a.SamePadding || a.CountPad {
		t.Fatalf("avg attrs %+v", a)
	}
	x := nn.NewTensor(2, 3, 8, 8)
	for i := range x.Data {
		x.Data[i] = float32(i%11) / 10
	}
	out, err := infer.Run(g, x, infer.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	p := out["prob"]
	if !slices.Equal(p.Shape, []int{2, 3}) {
		t.Fatalf("output shape %v", p.Shape)
	}
	for i := 0; i < 2; i++ {
		s := p.Data[3*i] + p.Data[3*i+1] + p.Data[3*i+2]
		if math.Abs(float64(s)-1) > 1e-5 {
			t.Fatalf("probabilities of image %d sum to %v", i, s)
		}
	}
}

func TestNHWCDetector(t *testing.T) {
	g, err := onnx.Decode(marshal(nhwcDetector()), "detector.onnx")
	if err != nil {
		t.Fatal(err)
	}
	want := []nn.Op{nn.OpInput, nn.OpConv, nn.OpReLU, nn.OpZeroPad, nn.OpZeroPad, nn.OpTranspose, nn.OpReshape,
		nn.OpFlatten, nn.OpDense, nn.OpSigmoid, nn.OpIdentity}
	if got := ops(g); !slices.Equal(got, want) {
		t.Fatalf("ops %v\nwant %v", got, want)
	}
	if in := g.Nodes[0]; in.Name != "input:0" || !slices.Equal(in.Attrs.Shape, []int{3, 4, 4}) {
		t.Fatalf("input %q shape %v, want NCHW [3 4 4]", in.Name, in.Attrs.Shape)
	}
	conv := g.Node("conv")
	if conv.Inputs[0] != "input:0" || conv.Bias == nil || conv.Bias.Data[0] != 0.5 {
		t.Fatalf("conv reads %v, bias %v (the Add of a per-channel constant must fold into it)", conv.Inputs, conv.Bias)
	}
	pads := g.Nodes[3:5]
	if pads[0].Attrs.ChannelPad != [2]int{0, 2} || pads[1].Attrs.Pad != (nn.Pad{Top: 1, Left: 1}) {
		t.Fatalf("padding %+v / %+v", pads[0].Attrs, pads[1].Attrs)
	}
	if mm := g.Node("mm"); !slices.Equal(mm.Weights.Shape, []int{2, 100}) || mm.Bias == nil {
		t.Fatalf("matmul weights %v bias %v", mm.Weights.Shape, mm.Bias)
	}
	if !slices.Equal(g.Outputs, []string{"head", "drop"}) {
		t.Fatalf("outputs %v", g.Outputs)
	}
	shapes, err := infer.Shapes(g, []int{1, 3, 4, 4})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(shapes["head"], []int{1, 25, 4}) || !slices.Equal(shapes["drop"], []int{1, 2}) {
		t.Fatalf("output shapes %v %v", shapes["head"], shapes["drop"])
	}
	// The NHWC head lists the channels of each position together.
	x := nn.NewTensor(1, 3, 4, 4)
	for i := range x.Data {
		x.Data[i] = 1
	}
	out, err := infer.Run(g, x, infer.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	head := out["head"].Data
	// Position (0, 0) is spatial padding; position (1, 1) holds the two conv
	// channels, relu(-1.8 + 0.5) = 0 and relu(0.9 - 0.5) = 0.4, then two zero
	// channels.
	if !slices.Equal(head[:4], []float32{0, 0, 0, 0}) || head[6*4] != 0 || math.Abs(float64(head[6*4+1])-0.4) > 1e-6 ||
		head[6*4+2] != 0 || head[6*4+3] != 0 {
		t.Fatalf("head %v", head[:28])
	}
}

func TestPaddleStyleConstants(t *testing.T) {
	// Weights as Constant nodes with float_data and value_floats, Identity
	// of a constant, Gemm without transB and a scalar bias.
	nodes := []*pb.NodeProto{
		node("Constant", "", nil, []string{"w"}, aTensor("value", ramp("", []int64{4, 2}, 0.5))),
		node("Identity", "", []string{"w"}, []string{"w2"}),
		node("Constant", "", nil, []string{"c"}, &pb.AttributeProto{Name: "value_float", Type: pb.AttributeProto_FLOAT, F: 1}),
		node("Gemm", "fc", []string{"x", "w2", "c"}, []string{"y"}, aFloat("alpha", 2), aFloat("beta", 3)),
		node("Clip", "clip", []string{"y"}, []string{"z"}, aFloat("min", 0), aFloat("max", 6)),
	}
	m := model(6, nodes, nil, []*pb.ValueInfoProto{valueInfo("x", 1, 4)}, []*pb.ValueInfoProto{valueInfo("z", 1, 2)})
	g, err := onnx.Decode(marshal(m), "paddle.onnx")
	if err != nil {
		t.Fatal(err)
	}
	fc := g.Node("fc")
	// B is In x Out = 4 x 2: weights are its transpose times alpha.
	if !slices.Equal(fc.Weights.Shape, []int{2, 4}) || fc.Weights.Data[1] != 2*0.5*float32(2%7-3) || fc.Bias.Data[0] != 3 {
		t.Fatalf("fc weights %v %v bias %v", fc.Weights.Shape, fc.Weights.Data, fc.Bias.Data)
	}
	if g.Node("clip").Op != nn.OpReLU6 {
		t.Fatalf("Clip(0, 6) became %s", g.Node("clip").Op)
	}
}

// modelWith returns the classifier with one change applied.
func modelWith(edit func(m *pb.ModelProto)) []byte {
	m := classifier()
	edit(m)
	return marshal(m)
}

func findNode(m *pb.ModelProto, name string) *pb.NodeProto {
	for _, n := range m.Graph.Node {
		if n.Name == name {
			return n
		}
	}
	panic(name)
}

func TestDecodeErrors(t *testing.T) {
	good := marshal(classifier())
	tests := []struct {
		name string
		data []byte
		subs []string
		unsp bool // wraps ErrUnsupported
	}{
		{"empty", nil, []string{"no graph"}, false},
		{"truncated", good[:len(good)*2/3], []string{"bad.onnx"}, false},
		{"garbage", []byte("\xff\xff\xff\xff not a protobuf"), []string{"bad.onnx", "corrupt or truncated"}, false},
		{"unsupported op", modelWith(func(m *pb.ModelProto) { findNode(m, "relu").OpType = "LeakyRelu" }), []string{`"relu"`, "LeakyRelu"}, true},
		{"dilations", modelWith(func(m *pb.ModelProto) {
			n := findNode(m, "conv1")
			n.Attribute = append(n.Attribute, aInts("dilations", 2, 2))
		}), []string{`"conv1"`, "dilations"}, true},
		{"raw size", modelWith(func(m *pb.ModelProto) { m.Graph.Initializer[1].RawData = m.Graph.Initializer[1].RawData[:12] }), []string{`"b1"`, "need 4 values"}, false},
		{"ragged raw", modelWith(func(m *pb.ModelProto) { m.Graph.Initializer[1].RawData = m.Graph.Initializer[1].RawData[:13] }), []string{`"b1"`, "whole number"}, false},
		{"float data", modelWith(func(m *pb.ModelProto) { m.Graph.Initializer[0].FloatData = m.Graph.Initializer[0].FloatData[:5] }), []string{`"w1"`}, false},
		{"missing input", modelWith(func(m *pb.ModelProto) { findNode(m, "add").Input[1] = "nowhere" }), []string{`"add"`, `"nowhere"`}, false},
		{"weights not constant", modelWith(func(m *pb.ModelProto) { findNode(m, "conv1").Input[1] = "image" }), []string{`"conv1"`, "constant"}, true},
		{"external data", modelWith(func(m *pb.ModelProto) { m.Graph.Initializer[0].DataLocation = pb.TensorProto_EXTERNAL }), []string{`"w1"`, "external"}, false},
		{"clip range", modelWith(func(m *pb.ModelProto) { m.Graph.Initializer[7] = floats("six", nil, 1) }), []string{`"relu6"`, "Clip(0, 1)"}, true},
		{"ceil mode", modelWith(func(m *pb.ModelProto) {
			n := findNode(m, "pool")
			n.Attribute = append(n.Attribute, aInt("ceil_mode", 1))
		}), []string{`"pool"`, "ceil_mode"}, true},
		{"pool indices", modelWith(func(m *pb.ModelProto) {
			n := findNode(m, "pool")
			n.Output = append(n.Output, "idx")
			findNode(m, "add").Input[1] = "idx"
		}), []string{`"pool"`, "second output"}, true},
		{"softmax axis", modelWith(func(m *pb.ModelProto) { findNode(m, "prob").Attribute[0].I = 0 }), []string{`"prob"`, "last axis"}, true},
		{"int64 weights", modelWith(func(m *pb.ModelProto) { m.Graph.Initializer[0] = int64s("w1", 1, 2) }), []string{`"conv1"`, "floating point"}, false},
		{"half weights", modelWith(func(m *pb.ModelProto) { m.Graph.Initializer[0].DataType = int32(pb.TensorProto_FLOAT16) }), []string{`"w1"`, "FLOAT16"}, false},
		{"negative dims", modelWith(func(m *pb.ModelProto) { m.Graph.Initializer[1].Dims = []int64{-4} }), []string{`"b1"`, "negative"}, false},
		{"bad group", modelWith(func(m *pb.ModelProto) { findNode(m, "dw").Attribute[1].I = 3 }), []string{`"dw"`, "group 3"}, false},
		{"kernel mismatch", modelWith(func(m *pb.ModelProto) { findNode(m, "conv1").Attribute[0].Ints = []int64{5, 5} }), []string{`"conv1"`, "kernel_shape"}, false},
		{"no inputs", modelWith(func(m *pb.ModelProto) { m.Graph.Input = nil }), []string{"no input"}, false},
		{"int input", modelWith(func(m *pb.ModelProto) {
			m.Graph.Input[0].Type.GetTensorType().ElemType = int32(pb.TensorProto_INT64)
		}), []string{`"image"`, "element type"}, true},
		{"foreign domain", modelWith(func(m *pb.ModelProto) { findNode(m, "relu").Domain = "com.microsoft" }), []string{`"relu"`, "com.microsoft"}, true},
		{"output missing", modelWith(func(m *pb.ModelProto) { m.Graph.Output[0].Name = "w1" }), []string{`"w1"`}, false},
		{"add constant", modelWith(func(m *pb.ModelProto) { findNode(m, "add").Input[1] = "w1" }), []string{`"add"`, "per-channel"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g, err := onnx.Decode(tc.data, "bad.onnx")
			if err == nil {
				t.Fatalf("accepted, graph with %d nodes", len(g.Nodes))
			}
			for _, s := range append(tc.subs, "bad.onnx") {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %s", err, s)
				}
			}
			if tc.unsp != errors.Is(err, onnx.ErrUnsupported) {
				t.Errorf("errors.Is(err, ErrUnsupported) = %v, want %v", !tc.unsp, tc.unsp)
			}
		})
	}
}

func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "m.onnx")
	if err := os.WriteFile(p, marshal(classifier()), 0o644); err != nil {
		t.Fatal(err)
	}
	g, err := onnx.Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if g.Source != p || len(g.ComputeNodes()) != 3 {
		t.Fatalf("source %q, %d compute nodes", g.Source, len(g.ComputeNodes()))
	}
	if _, err := onnx.Load(filepath.Join(dir, "missing.onnx")); err == nil || !strings.Contains(err.Error(), "missing.onnx") {
		t.Fatalf("missing file: %v", err)
	}
}

func TestTensorFromProto(t *testing.T) {
	x, err := onnx.TensorFromProto(floats("x", []int64{2, 2}, 1, 2, 3, 4))
	if err != nil || !slices.Equal(x.Shape, []int{2, 2}) || !slices.Equal(x.Data, []float32{1, 2, 3, 4}) {
		t.Fatalf("%v %v", x, err)
	}
	d := &pb.TensorProto{Name: "d", Dims: []int64{2}, DataType: int32(pb.TensorProto_DOUBLE), DoubleData: []float64{0.5, -2}}
	if x, err := onnx.TensorFromProto(d); err != nil || !slices.Equal(x.Data, []float32{0.5, -2}) {
		t.Fatalf("double: %v %v", x, err)
	}
	if _, err := onnx.TensorFromProto(int64s("i", 1)); err == nil {
		t.Fatal("accepted an integer tensor")
	}
}

// TestBlazeFace loads the zoo's BlazeFace ONNX file and runs it.
func TestBlazeFace(t *testing.T) {
	ok, err := zoo.Cached("blazeface")
	if err != nil || !ok {
		t.Skipf("blazeface is not in the model cache (%v): run `make models`", err)
	}
	m, _ := zoo.Lookup("blazeface")
	dir, err := zoo.CacheDir()
	if err != nil {
		t.Fatal(err)
	}
	g, err := onnx.Load(filepath.Join(dir, filepath.FromSlash(m.Entry)))
	if err != nil {
		t.Fatal(err)
	}
	count := map[nn.Op]int{}
	for _, n := range g.Nodes {
		count[n.Op]++
	}
	// Barracuda's BlazeFace: 69 convolutions (depthwise and 1x1), residual
	// adds, channel padding of the shortcut where blocks widen, and an NHWC
	// head.
	want := map[nn.Op]int{nn.OpInput: 1, nn.OpConv: 69, nn.OpAdd: 31, nn.OpReLU: 33, nn.OpMaxPool: 3,
		nn.OpZeroPad: 2, nn.OpTranspose: 4, nn.OpReshape: 4}
	for op, n := range want {
		if count[op] != n {
			t.Errorf("%d %s nodes, want %d", count[op], op, n)
		}
	}
	spec := m.Input
	x := nn.NewTensor(2, 3, spec.Height, spec.Width)
	for i := range x.Data {
		x.Data[i] = float32(i%251)/125 - 1
	}
	out, err := infer.Run(g, x, infer.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	shapes := map[int][]int{512: {2, 512, 16}, 384: {2, 384, 16}}
	for name, o := range out {
		if err := o.CheckFinite(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if o.Shape[2] == 16 && !slices.Equal(o.Shape, shapes[o.Shape[1]]) {
			t.Fatalf("%s: shape %v", name, o.Shape)
		}
	}
	if len(out) != 4 {
		t.Fatalf("%d outputs, want 4", len(out))
	}
}

func FuzzDecode(f *testing.F) {
	for _, m := range []*pb.ModelProto{classifier(), nhwcDetector()} {
		b := marshal(m)
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	small := model(13, []*pb.NodeProto{node("Relu", "r", []string{"x"}, []string{"y"})}, nil,
		[]*pb.ValueInfoProto{valueInfo("x", 1, 2)}, []*pb.ValueInfoProto{valueInfo("y", 1, 2)})
	f.Add(marshal(small))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := onnx.Decode(data, "fuzz.onnx")
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.onnx") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		if err := g.Validate(); err != nil {
			t.Fatalf("Decode returned an invalid graph: %v", err)
		}
		// Shape inference on whatever was decoded must not panic.
		inputs := map[string][]int{}
		for _, n := range g.Nodes {
			if n.Op == nn.OpInput {
				shape := []int{1}
				for _, d := range n.Attrs.Shape {
					shape = append(shape, min(max(d, 1), 64))
				}
				inputs[n.Name] = shape
			}
		}
		infer.ShapesFor(g, inputs)
	})
}

var _ = proto.Marshal
