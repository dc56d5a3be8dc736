package onnx_test

import (
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	pb "github.com/advancedclimatesystems/gonnx/onnx"

	"github.com/laconiclab/toolkit/laconic/nn/onnx"
)

func ExampleDecode() {
	data := marshal(classifier()) // the bytes of an .onnx file
	g, err := onnx.Decode(data, "classifier.onnx")
	if err != nil {
		log.Fatal(err)
	}
	for _, n := range g.Nodes {
		fmt.Println(n.Name, n.Op, n.Inputs)
	}
	fmt.Println("outputs", g.Outputs, "parameters", g.NumParams())
	// Output:
	// image Input []
	// conv1 Conv [image]
	// bn1 BatchNorm [conv1]
	// relu6 ReLU6 [bn1]
	// pool MaxPool [relu6]
	// dw Conv [pool]
	// relu ReLU [dw]
	// add Add [relu pool]
	// avg AvgPool [add]
	// gap GlobalAvgPool [avg]
	// flat Flatten [gap]
	// fc Dense [flat]
	// prob Softmax [fc]
	// outputs [prob] parameters 171
}

func ExampleDecode_unsupported() {
	m := classifier()
	m.Graph.Node[5].OpType = "HardSwish"
	_, err := onnx.Decode(marshal(m), "mobilenetv3.onnx")
	fmt.Println(errors.Is(err, onnx.ErrUnsupported))
	fmt.Println(err)
	// Output:
	// true
	// onnx: mobilenetv3.onnx: node 5 "relu" (HardSwish): operator HardSwish: not supported (supported: Add, AveragePool, BatchNormalization, Clip, Concat, Constant, ConstantOfShape, Conv, Dropout, Flatten, Gemm, GlobalAveragePool, Identity, MatMul, MaxPool, Pad, Relu, Reshape, Sigmoid, Softmax, Transpose)
}

func ExampleLoad() {
	dir, _ := os.MkdirTemp("", "onnx-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "detector.onnx")
	if err := os.WriteFile(path, marshal(nhwcDetector()), 0o644); err != nil {
		log.Fatal(err)
	}
	g, err := onnx.Load(path)
	if err != nil {
		log.Fatal(err)
	}
	// The NHWC input transposed inside the graph becomes an NCHW input.
	in := g.Nodes[0]
	fmt.Println(in.Name, in.Op, in.Attrs.Shape)
	fmt.Println(len(g.ComputeNodes()), "compute layers")
	// Output:
	// input:0 Input [3 4 4]
	// 2 compute layers
}

func ExampleFromModel() {
	m := &pb.ModelProto{
		OpsetImport: []*pb.OperatorSetIdProto{{Version: 13}},
		Graph: &pb.GraphProto{
			Node:   []*pb.NodeProto{node("Relu", "r", []string{"x"}, []string{"y"})},
			Input:  []*pb.ValueInfoProto{valueInfo("x", 1, 8)},
			Output: []*pb.ValueInfoProto{valueInfo("y", 1, 8)},
		},
	}
	g, err := onnx.FromModel(m, "relu")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(g.Nodes), g.Nodes[1].Op, g.Outputs)
	// Output:
	// 2 ReLU [r]
}

func ExampleTensorFromProto() {
	t, err := onnx.TensorFromProto(floats("x", []int64{2, 3}, 1, 2, 3, 4, 5, 6))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(t.Shape, t.Data)
	// Output:
	// [2 3] [1 2 3 4 5 6]
}
