package nn_test

import (
	"fmt"

	"github.com/laconiclab/toolkit/laconic/nn"
)

// A 3x3 convolution with stride 2 and TensorFlow-style "same" padding on a
// 224x224 RGB image, as the first layer of MobileNetV2 has it.
func ExampleLayer() {
	l := nn.Layer{
		Name: "Conv1", Kind: nn.KindConv,
		N: 1, C: 3, H: 224, W: 224,
		K: 32, R: 3, S: 3,
		StrideH: 2, StrideW: 2,
		Pad:    nn.Pad{Top: 0, Bottom: 1, Left: 0, Right: 1},
		Groups: 1,
	}
	if err := l.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("output:", l.OutH(), "x", l.OutW())
	fmt.Println("weights:", l.WeightShape())
	fmt.Println("multiplies:", l.MACs())
	// Output:
	// output: 112 x 112
	// weights: [32 3 3 3]
	// multiplies: 10838016
}

// Validation names the layer and the field at fault.
func ExampleLayer_Validate() {
	l := nn.Layer{Name: "fc7", Kind: nn.KindDense, N: 1, C: 4096, H: 1, W: 1, K: 0, R: 1, S: 1, StrideH: 1, StrideW: 1, Groups: 1}
	fmt.Println(l.Validate())
	// Output:
	// nn: layer "fc7": K = 0, want > 0
}

func ExampleGraph_Validate() {
	g := &nn.Graph{
		Name: "net",
		Nodes: []*nn.Node{
			{Name: "x", Op: nn.OpInput, Attrs: nn.Attrs{Shape: []int{8}}},
			{Name: "fc", Op: nn.OpDense, Inputs: []string{"x"}, Weights: nn.NewTensor(4, 8)},
			{Name: "prob", Op: nn.OpSoftmax, Inputs: []string{"logits"}},
		},
	}
	fmt.Println(g.Validate())
	fmt.Println(len(g.ComputeNodes()), "compute node(s),", g.NumParams(), "parameters")
	// Output:
	// nn: graph "net": node "prob" reads "logits", which is not an earlier node
	// 1 compute node(s), 32 parameters
}

func ExampleTensor_CheckFinite() {
	t := nn.NewTensor(2, 2)
	t.Data[3] = float32(1) / float32(t.Data[0]) // +Inf
	fmt.Println(t.CheckFinite())
	// Output:
	// nn: element 3 of tensor [2 2] is +Inf
}

// StridedCopy transposes a 2 x 3 matrix: the output is 3 x 2, and one
// step along an output axis moves 1 (rows) or 3 (columns) input elements.
func ExampleStridedCopy() {
	src := []float32{1, 2, 3, 4, 5, 6} // [[1 2 3] [4 5 6]]
	dst := make([]float32, 6)
	nn.StridedCopy(dst, src, []int{3, 2}, []int{1, 3})
	fmt.Println(dst)
	// Output: [1 4 2 5 3 6]
}
