package nn

import (
	"math"
	"strings"
	"testing"
)

func tinyGraph() *Graph {
	w := NewTensor(2, 3, 1, 1)
	w.Stored = &Stored{Codes: make([]uint8, 6), Min: -1, Scale: 0.01}
	return &Graph{
		Name: "tiny",
		Nodes: []*Node{
			{Name: "in", Op: OpInput, Attrs: Attrs{Shape: []int{3, 4, 4}}},
			{Name: "conv", Op: OpConv, Inputs: []string{"in"}, Weights: w, Bias: NewTensor(2), Attrs: Attrs{Kernel: [2]int{1, 1}}},
			{Name: "bn", Op: OpBatchNorm, Inputs: []string{"conv"}, Scale: NewTensor(2), Shift: NewTensor(2)},
			{Name: "relu", Op: OpReLU, Inputs: []string{"bn"}},
			{Name: "pool", Op: OpGlobalAvgPool, Inputs: []string{"relu"}},
			{Name: "flat", Op: OpFlatten, Inputs: []string{"pool"}},
			{Name: "fc", Op: OpDense, Inputs: []string{"flat"}, Weights: NewTensor(5, 2)},
		},
		Outputs: []string{"fc"},
	}
}

func TestGraphValidate(t *testing.T) {
	g := tinyGraph()
	if err := g.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := len(g.ComputeNodes()); got != 2 {
		t.Errorf("ComputeNodes: %d, want 2", got)
	}
	if got := g.NumParams(); got != 6+2+2+2+10 {
		t.Errorf("NumParams = %d, want 22", got)
	}
	if g.Node("bn") == nil || g.Node("nope") != nil {
		t.Error("Node lookup")
	}
}

func TestGraphValidateErrors(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Graph)
		want   string
	}{
		{"empty", func(g *Graph) { g.Nodes = nil }, "no nodes"},
		{"nil node", func(g *Graph) { g.Nodes[2] = nil }, "node 2 is nil"},
		{"unnamed", func(g *Graph) { g.Nodes[3].Name = "" }, "has no name"},
		{"duplicate", func(g *Graph) { g.Nodes[3].Name = "bn" }, `duplicate node name "bn"`},
		{"forward reference", func(g *Graph) { g.Nodes[1].Inputs = []string{"relu"} }, `reads "relu"`},
		{"conv rank", func(g *Graph) { g.Nodes[1].Weights = NewTensor(2, 3) }, `conv "conv"`},
		{"dense rank", func(g *Graph) { g.Nodes[6].Weights = NewTensor(5, 2, 1, 1) }, `dense "fc"`},
		{"batchnorm", func(g *Graph) { g.Nodes[2].Shift = nil }, `batch-norm "bn"`},
		{"bad tensor", func(g *Graph) { g.Nodes[1].Bias = &Tensor{Shape: []int{3}, Data: make([]float32, 2)} }, `node "conv"`},
		{"missing output", func(g *Graph) { g.Outputs = []string{"softmax"} }, `output "softmax"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := tinyGraph()
			tc.mutate(g)
			err := g.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate() = %v, want error containing %q", err, tc.want)
			}
		})
	}
}

func TestTensor(t *testing.T) {
	x := NewTensor(2, 3)
	if x.Len() != 6 || NumElements([]int{2, 3, 4}) != 24 || NumElements(nil) != 1 {
		t.Fatal("sizes")
	}
	x.Data[4] = float32(math.Inf(-1))
	if err := x.CheckFinite(); err == nil || !strings.Contains(err.Error(), "element 4") {
		t.Errorf("CheckFinite = %v", err)
	}
	x.Data[4] = float32(math.NaN())
	if err := x.CheckFinite(); err == nil {
		t.Error("NaN not reported")
	}
	var nilT *Tensor
	if err := nilT.Validate(); err == nil {
		t.Error("nil tensor validated")
	}
	if err := (&Tensor{Shape: []int{-1}}).Validate(); err == nil {
		t.Error("negative dimension validated")
	}
	w := tinyGraph().Nodes[1].Weights
	c := w.Clone()
	c.Data[0], c.Stored.Codes[0], c.Shape[0] = 7, 9, 1
	if w.Data[0] != 0 || w.Stored.Codes[0] != 0 || w.Shape[0] != 2 {
		t.Error("Clone shares memory with the original")
	}
}

func TestNewTensorPanicsOnNegative(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for a negative dimension")
		}
	}()
	NewTensor(2, -1)
}
