package infer

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/laconiclab/toolkit/laconic/nn"
)

func tensor(shape []int, data ...float32) *nn.Tensor {
	t := nn.NewTensor(shape...)
	copy(t.Data, data)
	return t
}

func randTensor(r *rand.Rand, shape ...int) *nn.Tensor {
	t := nn.NewTensor(shape...)
	for i := range t.Data {
		t.Data[i] = float32(r.Float64()*2 - 1)
	}
	return t
}

// smallNet is a graph exercising most operations: conv (same padding),
// batch-norm, relu6, depthwise, a residual add, concat, pooling, zero
// padding, global pooling, flatten and dense with softmax.
func smallNet(seed uint64) *nn.Graph {
	r := rand.New(rand.NewPCG(seed, 1))
	return &nn.Graph{
		Name: "small",
		Nodes: []*nn.Node{
			{Name: "in", Op: nn.OpInput, Attrs: nn.Attrs{Shape: []int{3, 10, 10}}},
			{Name: "conv", Op: nn.OpConv, Inputs: []string{"in"}, Weights: randTensor(r, 8, 3, 3, 3), Bias: randTensor(r, 8),
				Attrs: nn.Attrs{Stride: [2]int{2, 2}, SamePadding: true}},
			{Name: "bn", Op: nn.OpBatchNorm, Inputs: []string{"conv"}, Scale: randTensor(r, 8), Shift: randTensor(r, 8)},
			{Name: "relu6", Op: nn.OpReLU6, Inputs: []string{"bn"}},
			{Name: "dw", Op: nn.OpConv, Inputs: []string{"relu6"}, Weights: randTensor(r, 8, 1, 3, 3),
				Attrs: nn.Attrs{Groups: 8, Pad: nn.Pad{Top: 1, Bottom: 1, Left: 1, Right: 1}, Activation: nn.ActReLU}},
			{Name: "add", Op: nn.OpAdd, Inputs: []string{"dw", "relu6"}},
			{Name: "pw", Op: nn.OpConv, Inputs: []string{"add"}, Weights: randTensor(r, 4, 8, 1, 1)},
			{Name: "cat", Op: nn.OpConcat, Inputs: []string{"add", "pw"}, Attrs: nn.Attrs{Axis: 1}},
			{Name: "pad", Op: nn.OpZeroPad, Inputs: []string{"cat"}, Attrs: nn.Attrs{Pad: nn.Pad{Bottom: 1, Right: 1}, ChannelPad: [2]int{0, 2}}},
			{Name: "max", Op: nn.OpMaxPool, Inputs: []string{"pad"}, Attrs: nn.Attrs{Kernel: [2]int{2, 2}, Stride: [2]int{2, 2}}},
			{Name: "avg", Op: nn.OpAvgPool, Inputs: []string{"max"}, Attrs: nn.Attrs{Kernel: [2]int{3, 3}, SamePadding: true}},
			{Name: "gap", Op: nn.OpGlobalAvgPool, Inputs: []string{"avg"}},
			{Name: "flat", Op: nn.OpFlatten, Inputs: []string{"gap"}},
			{Name: "fc", Op: nn.OpDense, Inputs: []string{"flat"}, Weights: randTensor(r, 5, 14), Bias: randTensor(r, 5),
				Attrs: nn.Attrs{Activation: nn.ActSoftmax}},
		},
		Outputs: []string{"fc"},
	}
}

func TestShapes(t *testing.T) {
	g := smallNet(1)
	shapes, err := Shapes(g, []int{2, 3, 10, 10})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]int{
		"in": {2, 3, 10, 10}, "conv": {2, 8, 5, 5}, "dw": {2, 8, 5, 5}, "pw": {2, 4, 5, 5},
		"cat": {2, 12, 5, 5}, "pad": {2, 14, 6, 6}, "max": {2, 14, 3, 3}, "avg": {2, 14, 3, 3},
		"gap": {2, 14, 1, 1}, "flat": {2, 14}, "fc": {2, 5},
	}
	for name, w := range want {
		if !slices.Equal(shapes[name], w) {
			t.Errorf("%s: shape %v, want %v", name, shapes[name], w)
		}
	}
}

func TestShapesErrors(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(g *nn.Graph)
		input  []int
		substr string
	}{
		{"wrong input", nil, []int{1, 3, 9, 10}, `input "in"`},
		{"no batch", nil, []int{3}, `input "in"`},
		{"conv channels", func(g *nn.Graph) { g.Node("conv").Weights = nn.NewTensor(8, 2, 3, 3) }, nil, `node "conv"`},
		{"dilation", func(g *nn.Graph) { g.Node("conv").Attrs.Dilation = [2]int{2, 2} }, nil, `node "conv"`},
		{"bad groups", func(g *nn.Graph) { g.Node("dw").Attrs.Groups = 3 }, nil, `node "dw"`},
		{"bn channels", func(g *nn.Graph) { g.Node("bn").Scale = nn.NewTensor(7) }, nil, `node "bn"`},
		{"add mismatch", func(g *nn.Graph) { g.Node("add").Inputs = []string{"dw", "in"} }, nil, `node "add"`},
		{"concat axis", func(g *nn.Graph) { g.Node("cat").Attrs.Axis = 0 }, nil, `node "cat"`},
		{"concat spatial", func(g *nn.Graph) { g.Node("cat").Inputs = []string{"add", "in"} }, nil, `node "cat"`},
		{"pool window", func(g *nn.Graph) { g.Node("max").Attrs.Kernel = [2]int{9, 9} }, nil, `node "max"`},
		{"pool pad", func(g *nn.Graph) { g.Node("max").Attrs.Pad = nn.Pad{Top: 2} }, nil, `node "max"`},
		{"dense inputs", func(g *nn.Graph) { g.Node("fc").Weights = nn.NewTensor(5, 13) }, nil, `node "fc"`},
		{"dense bias", func(g *nn.Graph) { g.Node("fc").Bias = nn.NewTensor(4) }, nil, `node "fc"`},
		{"reshape", func(g *nn.Graph) { g.Node("flat").Op = nn.OpReshape; g.Node("flat").Attrs.Shape = []int{5, -1} }, nil, `node "flat"`},
		{"unknown op", func(g *nn.Graph) { g.Node("relu6").Op = "Swish" }, nil, `"Swish"`},
		{"two inputs", func(g *nn.Graph) { g.Nodes = append(g.Nodes, &nn.Node{Name: "in2", Op: nn.OpInput}) }, nil, "has 2 inputs"},
		{"validate", func(g *nn.Graph) { g.Node("add").Inputs = []string{"dw", "nope"} }, nil, `"nope"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := smallNet(2)
			if tc.edit != nil {
				tc.edit(g)
			}
			in := tc.input
			if in == nil {
				in = []int{1, 3, 10, 10}
			}
			_, err := Shapes(g, in)
			if err == nil || !strings.Contains(err.Error(), tc.substr) {
				t.Fatalf("error %v, want one containing %s", err, tc.substr)
			}
			// Run reports the same error without panicking.
			if _, err := Run(g, nn.NewTensor(in...), DefaultOptions()); err == nil {
				t.Fatal("Run accepted a malformed graph")
			}
		})
	}
}

func TestLayerOf(t *testing.T) {
	g := smallNet(1)
	shapes, err := Shapes(g, []int{2, 3, 10, 10})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		node string
		want nn.Layer
		macs int64
	}{
		{"conv", nn.Layer{Name: "conv", Kind: nn.KindConv, N: 2, C: 3, H: 10, W: 10, K: 8, R: 3, S: 3, StrideH: 2, StrideW: 2,
			Pad: nn.Pad{Top: 0, Bottom: 1, Left: 0, Right: 1}, Groups: 1}, 2 * 8 * 25 * 27},
		{"dw", nn.Layer{Name: "dw", Kind: nn.KindDepthwise, N: 2, C: 8, H: 5, W: 5, K: 8, R: 3, S: 3, StrideH: 1, StrideW: 1,
			Pad: nn.Pad{Top: 1, Bottom: 1, Left: 1, Right: 1}, Groups: 8}, 2 * 8 * 25 * 9},
		{"fc", nn.Layer{Name: "fc", Kind: nn.KindDense, N: 2, C: 14, H: 1, W: 1, K: 5, R: 1, S: 1, StrideH: 1, StrideW: 1, Groups: 1}, 2 * 14 * 5},
	}
	for _, tc := range tests {
		t.Run(tc.node, func(t *testing.T) {
			l, err := LayerOf(g, g.Node(tc.node), shapes)
			if err != nil {
				t.Fatal(err)
			}
			if l != tc.want {
				t.Fatalf("got %+v\nwant %+v", l, tc.want)
			}
			if l.MACs() != tc.macs {
				t.Fatalf("MACs %d, want %d", l.MACs(), tc.macs)
			}
		})
	}
	if _, err := LayerOf(g, g.Node("bn"), shapes); err == nil {
		t.Fatal("LayerOf accepted a batch-norm node")
	}
}

func TestSamePad(t *testing.T) {
	tests := []struct {
		h, w, r, s, sh, sw int
		want               nn.Pad
	}{
		{224, 224, 3, 3, 2, 2, nn.Pad{Top: 0, Bottom: 1, Left: 0, Right: 1}},
		{112, 112, 3, 3, 1, 1, nn.Pad{Top: 1, Bottom: 1, Left: 1, Right: 1}},
		{7, 7, 1, 1, 1, 1, nn.Pad{}},
		{5, 6, 3, 3, 2, 2, nn.Pad{Top: 1, Bottom: 1, Left: 0, Right: 1}},
		{35, 35, 3, 3, 2, 2, nn.Pad{Top: 1, Bottom: 1, Left: 1, Right: 1}},
		{17, 17, 1, 7, 1, 1, nn.Pad{Left: 3, Right: 3}},
		{2, 2, 5, 5, 3, 3, nn.Pad{Top: 1, Bottom: 2, Left: 1, Right: 2}},
	}
	for _, tc := range tests {
		got := SamePad(tc.h, tc.w, tc.r, tc.s, tc.sh, tc.sw)
		if got != tc.want {
			t.Errorf("SamePad(%d,%d,%d,%d,%d,%d) = %+v, want %+v", tc.h, tc.w, tc.r, tc.s, tc.sh, tc.sw, got, tc.want)
		}
		l := nn.Layer{H: tc.h, W: tc.w, R: tc.r, S: tc.s, StrideH: tc.sh, StrideW: tc.sw, Pad: got}
		if l.OutH() != (tc.h+tc.sh-1)/tc.sh || l.OutW() != (tc.w+tc.sw-1)/tc.sw {
			t.Errorf("same padding %+v gives %dx%d outputs", got, l.OutH(), l.OutW())
		}
	}
}

func runOne(t *testing.T, n *nn.Node, x *nn.Tensor) *nn.Tensor {
	t.Helper()
	in := &nn.Node{Name: "x", Op: nn.OpInput}
	n.Name = "op"
	n.Inputs = []string{"x"}
	g := &nn.Graph{Name: "one", Nodes: []*nn.Node{in, n}}
	out, err := Run(g, x, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	return out["op"]
}

func TestOps(t *testing.T) {
	x := tensor([]int{1, 1, 3, 3}, 1, 2, 3, 4, 5, 6, 7, 8, 9)
	tests := []struct {
		name  string
		node  nn.Node
		in    *nn.Tensor
		shape []int
		want  []float32
	}{
		{"maxpool 2x2 s1", nn.Node{Op: nn.OpMaxPool, Attrs: nn.Attrs{Kernel: [2]int{2, 2}}}, x, []int{1, 1, 2, 2}, []float32{5, 6, 8, 9}},
		{"maxpool same s2", nn.Node{Op: nn.OpMaxPool, Attrs: nn.Attrs{Kernel: [2]int{2, 2}, Stride: [2]int{2, 2}, SamePadding: true}}, x, []int{1, 1, 2, 2}, []float32{5, 6, 8, 9}},
		{"avgpool same excludes padding", nn.Node{Op: nn.OpAvgPool, Attrs: nn.Attrs{Kernel: [2]int{3, 3}, SamePadding: true}}, x, []int{1, 1, 3, 3},
			[]float32{3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7}},
		{"avgpool count pad", nn.Node{Op: nn.OpAvgPool, Attrs: nn.Attrs{Kernel: [2]int{3, 3}, Pad: nn.Pad{Top: 1, Bottom: 1, Left: 1, Right: 1}, CountPad: true}}, x, []int{1, 1, 3, 3},
			[]float32{12.0 / 9, 21.0 / 9, 16.0 / 9, 27.0 / 9, 5, 33.0 / 9, 24.0 / 9, 39.0 / 9, 28.0 / 9}},
		{"gap", nn.Node{Op: nn.OpGlobalAvgPool}, x, []int{1, 1, 1, 1}, []float32{5}},
		{"zeropad", nn.Node{Op: nn.OpZeroPad, Attrs: nn.Attrs{Pad: nn.Pad{Top: 1, Right: 1}}}, tensor([]int{1, 1, 2, 2}, 1, 2, 3, 4), []int{1, 1, 3, 3},
			[]float32{0, 0, 0, 1, 2, 0, 3, 4, 0}},
		{"channel pad", nn.Node{Op: nn.OpZeroPad, Attrs: nn.Attrs{ChannelPad: [2]int{1, 2}}}, tensor([]int{2, 1, 1, 2}, 1, 2, 3, 4), []int{2, 4, 1, 2},
			[]float32{0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 3, 4, 0, 0, 0, 0}},
		{"transpose nhwc", nn.Node{Op: nn.OpTranspose, Attrs: nn.Attrs{Perm: []int{0, 2, 3, 1}}}, tensor([]int{1, 2, 2, 2}, 1, 2, 3, 4, 5, 6, 7, 8), []int{1, 2, 2, 2},
			[]float32{1, 5, 2, 6, 3, 7, 4, 8}},
		{"transpose 3d", nn.Node{Op: nn.OpTranspose, Attrs: nn.Attrs{Perm: []int{0, 2, 1}}}, tensor([]int{2, 2, 3}, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), []int{2, 3, 2},
			[]float32{1, 4, 2, 5, 3, 6, 7, 10, 8, 11, 9, 12}},
		{"reshape 0 -1", nn.Node{Op: nn.OpReshape, Attrs: nn.Attrs{Shape: []int{0, -1}}}, tensor([]int{1, 2, 2, 2}, 1, 2, 3, 4, 5, 6, 7, 8), []int{1, 2, 4},
			[]float32{1, 2, 3, 4, 5, 6, 7, 8}},
		{"flatten", nn.Node{Op: nn.OpFlatten}, x, []int{1, 9}, []float32{1, 2, 3, 4, 5, 6, 7, 8, 9}},
		{"softmax last axis", nn.Node{Op: nn.OpSoftmax}, tensor([]int{1, 2, 2}, 0, 0, 1, 1), []int{1, 2, 2}, []float32{0.5, 0.5, 0.5, 0.5}},
		{"sigmoid", nn.Node{Op: nn.OpSigmoid}, tensor([]int{1, 1}, 0), []int{1, 1}, []float32{0.5}},
		{"relu", nn.Node{Op: nn.OpReLU}, tensor([]int{1, 3}, -1, 0, 8), []int{1, 3}, []float32{0, 0, 8}},
		{"relu6", nn.Node{Op: nn.OpReLU6}, tensor([]int{1, 3}, -1, 5, 8), []int{1, 3}, []float32{0, 5, 6}},
		{"identity", nn.Node{Op: nn.OpIdentity}, tensor([]int{1, 2}, -1, 5), []int{1, 2}, []float32{-1, 5}},
		{"batchnorm", nn.Node{Op: nn.OpBatchNorm, Scale: tensor([]int{2}, 2, 3), Shift: tensor([]int{2}, 1, -1)}, tensor([]int{1, 2, 1, 2}, 1, 2, 3, 4), []int{1, 2, 1, 2},
			[]float32{3, 5, 8, 11}},
		{"conv fused relu6", nn.Node{Op: nn.OpConv, Weights: tensor([]int{1, 1, 1, 1}, 2), Bias: tensor([]int{1}, -3), Attrs: nn.Attrs{Activation: nn.ActReLU6}},
			tensor([]int{1, 1, 1, 4}, 0, 2, 4, 8), []int{1, 1, 1, 4}, []float32{0, 1, 5, 6}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := tc.node
			got := runOne(t, &n, tc.in)
			if !slices.Equal(got.Shape, tc.shape) {
				t.Fatalf("shape %v, want %v", got.Shape, tc.shape)
			}
			for i := range tc.want {
				if math.Abs(float64(got.Data[i]-tc.want[i])) > 1e-6 {
					t.Fatalf("got %v, want %v", got.Data, tc.want)
				}
			}
		})
	}
}

func TestConcatAxes(t *testing.T) {
	// cat(x, relu6(x)) with x in [0, 6]: the second operand equals the first.
	x := tensor([]int{1, 2, 1, 2}, 1, 2, 3, 4)
	tests := []struct {
		axis  int
		shape []int
		want  []float32
	}{
		{1, []int{1, 4, 1, 2}, []float32{1, 2, 3, 4, 1, 2, 3, 4}},
		{-3, []int{1, 4, 1, 2}, []float32{1, 2, 3, 4, 1, 2, 3, 4}},
		{-1, []int{1, 2, 1, 4}, []float32{1, 2, 1, 2, 3, 4, 3, 4}},
		{2, []int{1, 2, 2, 2}, []float32{1, 2, 1, 2, 3, 4, 3, 4}},
	}
	for _, tc := range tests {
		g := &nn.Graph{Name: "cat", Nodes: []*nn.Node{
			{Name: "x", Op: nn.OpInput},
			{Name: "y", Op: nn.OpReLU6, Inputs: []string{"x"}},
			{Name: "cat", Op: nn.OpConcat, Inputs: []string{"x", "y"}, Attrs: nn.Attrs{Axis: tc.axis}},
		}}
		out, err := Run(g, x, DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		got := out["cat"]
		if !slices.Equal(got.Shape, tc.shape) || !slices.Equal(got.Data, tc.want) {
			t.Fatalf("axis %d: got %v %v, want %v %v", tc.axis, got.Shape, got.Data, tc.shape, tc.want)
		}
	}
}

// TestBatchEqualsSingles checks that a batch of N gives the same outputs as
// N separate passes.
func TestBatchEqualsSingles(t *testing.T) {
	g := smallNet(3)
	r := rand.New(rand.NewPCG(4, 4))
	batch := randTensor(r, 3, 3, 10, 10)
	out, err := Run(g, batch, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	all := out["fc"]
	per := 3 * 10 * 10
	for i := 0; i < 3; i++ {
		one := &nn.Tensor{Shape: []int{1, 3, 10, 10}, Data: batch.Data[i*per : (i+1)*per]}
		o, err := Run(g, one, DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		compare(t, o["fc"].Data, all.Data[i*5:(i+1)*5], false)
	}
}

// TestRunMatchesReference recomputes the small network node by node with
// the reference convolution and dense layer.
func TestRunMatchesReference(t *testing.T) {
	g := smallNet(5)
	r := rand.New(rand.NewPCG(5, 5))
	x := randTensor(r, 2, 3, 10, 10)
	shapes, err := Shapes(g, x.Shape)
	if err != nil {
		t.Fatal(err)
	}
	outs := map[string]*nn.Tensor{}
	opts := DefaultOptions()
	opts.Tap = func(node *nn.Node, layer *nn.Layer, inputs []*nn.Tensor, output *nn.Tensor) error {
		outs[node.Name] = output
		if layer == nil {
			if node.IsCompute() {
				t.Errorf("node %s: no layer", node.Name)
			}
			return nil
		}
		var bias []float32
		if node.Bias != nil {
			bias = node.Bias.Data
		}
		var want []float32
		if layer.Kind == nn.KindDense {
			if !slices.Equal(inputs[0].Shape, []int{layer.N, layer.C}) {
				t.Errorf("dense tap input shape %v", inputs[0].Shape)
			}
			want = refDense(*layer, inputs[0].Data, node.Weights.Data, bias)
		} else {
			want = refConv(*layer, inputs[0].Data, node.Weights.Data, bias)
		}
		if node.Attrs.Activation != nn.ActNone {
			biasAct(want, layer.N, layer.K, len(want)/(layer.N*layer.K), nil, node.Attrs.Activation, 1)
		}
		compare(t, output.Data, want, false)
		if !slices.Equal(output.Shape, shapes[node.Name]) {
			t.Errorf("node %s: output shape %v, Shapes says %v", node.Name, output.Shape, shapes[node.Name])
		}
		return nil
	}
	if _, err := Run(g, x, opts); err != nil {
		t.Fatal(err)
	}
	if len(outs) != len(g.Nodes) {
		t.Fatalf("tap saw %d nodes, graph has %d", len(outs), len(g.Nodes))
	}
	// Probabilities sum to one per image.
	for i := 0; i < 2; i++ {
		var s float32
		for _, v := range outs["fc"].Data[i*5 : (i+1)*5] {
			s += v
		}
		if math.Abs(float64(s-1)) > 1e-5 {
			t.Fatalf("softmax sums to %v", s)
		}
	}
}

// TestReferenceCounting checks that a long chain keeps at most two tensors
// alive, and that a skip connection keeps its source until the add.
func TestReferenceCounting(t *testing.T) {
	nodes := []*nn.Node{{Name: "in", Op: nn.OpInput}}
	prev := "in"
	for i := 0; i < 20; i++ {
		name := string(rune('a' + i))
		nodes = append(nodes, &nn.Node{Name: name, Op: nn.OpReLU, Inputs: []string{prev}})
		prev = name
	}
	nodes = append(nodes, &nn.Node{Name: "skip", Op: nn.OpAdd, Inputs: []string{"c", prev}})
	g := &nn.Graph{Name: "chain", Nodes: nodes, Outputs: []string{"skip"}}
	maxLive := map[string]int{}
	liveHook = func(node string, live int) { maxLive[node] = live }
	defer func() { liveHook = nil }()
	if _, err := Run(g, nn.NewTensor(1, 4), DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	for name, live := range maxLive {
		limit := 2 // "c" stays alive until "skip", plus the newest
		if name == "in" || name == "a" || name == "b" {
			limit = 1
		}
		if name == "skip" {
			limit = 1 // only the requested output remains
		}
		if live > limit {
			t.Errorf("after %s: %d live tensors, want <= %d", name, live, limit)
		}
	}
}

func TestSamples(t *testing.T) {
	g := smallNet(6)
	r := rand.New(rand.NewPCG(6, 6))
	x := randTensor(r, 2, 3, 10, 10)
	var names []string
	err := Samples(g, x, func(s nn.Sample) error {
		names = append(names, s.Layer.Name)
		if err := s.Layer.CheckTensors(s.Input, s.Weights); err != nil {
			t.Error(err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"conv", "dw", "pw", "fc"}; !slices.Equal(names, want) {
		t.Fatalf("samples %v, want %v", names, want)
	}
	stop := errors.New("stop")
	if err := Samples(g, x, func(nn.Sample) error { return stop }); !errors.Is(err, stop) {
		t.Fatalf("callback error not returned: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := SamplesContext(ctx, g, x, func(nn.Sample) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled context: %v", err)
	}
}

func TestRunErrors(t *testing.T) {
	g := smallNet(7)
	tests := []struct {
		name string
		run  func() error
		sub  string
	}{
		{"nil graph", func() error { _, err := Run(nil, nn.NewTensor(1), DefaultOptions()); return err }, "nil graph"},
		{"nil input", func() error { _, err := Run(g, nil, DefaultOptions()); return err }, "nil input"},
		{"bad tensor", func() error { _, err := Run(g, &nn.Tensor{Shape: []int{1, 3, 10, 10}}, DefaultOptions()); return err }, "needs 300 values"},
		{"bad output", func() error {
			_, err := Run(g, nn.NewTensor(1, 3, 10, 10), Options{Outputs: []string{"nope"}})
			return err
		}, `"nope"`},
		{"bad workers", func() error { _, err := Run(g, nn.NewTensor(1, 3, 10, 10), Options{Workers: -1}); return err }, "Workers"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			if err == nil || !strings.Contains(err.Error(), tc.sub) {
				t.Fatalf("error %v, want one containing %q", err, tc.sub)
			}
		})
	}
}

// TestDeterministic runs the same pass with different worker counts and
// requires bit-identical outputs.
func TestDeterministic(t *testing.T) {
	g := smallNet(8)
	r := rand.New(rand.NewPCG(8, 8))
	x := randTensor(r, 4, 3, 10, 10)
	var ref []float32
	for _, workers := range []int{0, 1, 2, 5} {
		out, err := Run(g, x, Options{Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		if ref == nil {
			ref = out["fc"].Data
			continue
		}
		if !slices.Equal(out["fc"].Data, ref) {
			t.Fatalf("workers=%d: %v, first run %v", workers, out["fc"].Data, ref)
		}
	}
}

// TestInputHook checks that Options.Input sees every compute node once, in
// order, that an identity hook changes nothing, that a zeroing hook changes
// the result as a hand-zeroed input would, and that a wrong size fails.
func TestInputHook(t *testing.T) {
	g := smallNet(3)
	x := randTensor(rand.New(rand.NewPCG(3, 3)), 1, 3, 10, 10)
	ref, err := Run(g, x, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	opts := DefaultOptions()
	opts.Input = func(n *nn.Node, in *nn.Tensor) *nn.Tensor {
		seen = append(seen, n.Name)
		return in
	}
	got, err := Run(g, x, opts)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"conv", "dw", "pw", "fc"}; !slices.Equal(seen, want) {
		t.Errorf("hook saw %v, want %v", seen, want)
	}
	if !slices.Equal(got["fc"].Data, ref["fc"].Data) {
		t.Error("identity hook changed the output")
	}
	// Zeroing the first conv's input equals running on a zero image.
	opts.Input = func(n *nn.Node, in *nn.Tensor) *nn.Tensor {
		if n.Name == "conv" {
			return nn.NewTensor(in.Shape...)
		}
		return in
	}
	got, err = Run(g, x, opts)
	if err != nil {
		t.Fatal(err)
	}
	zero, err := Run(g, nn.NewTensor(1, 3, 10, 10), DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got["fc"].Data, zero["fc"].Data) {
		t.Error("zeroing hook differs from a zero input")
	}
	opts.Input = func(n *nn.Node, in *nn.Tensor) *nn.Tensor { return nn.NewTensor(1) }
	if _, err := Run(g, x, opts); err == nil || !strings.Contains(err.Error(), `"conv"`) {
		t.Errorf("wrong-size hook: err = %v, want one naming the node", err)
	}
}
