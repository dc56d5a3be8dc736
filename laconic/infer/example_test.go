package infer_test

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log"
	"os"
	"path/filepath"

	"github.com/laconiclab/toolkit/laconic/infer"
	"github.com/laconiclab/toolkit/laconic/nn"
)

// tinyNet is a 3x3 convolution with TensorFlow "same" padding and stride 2,
// a fused ReLU, global average pooling and a 2-class dense layer with a
// softmax, on 1 x 4 x 4 inputs.
func tinyNet() *nn.Graph {
	w := nn.NewTensor(2, 1, 3, 3)
	for i := range w.Data {
		w.Data[i] = float32(i%3) - 1 // columns -1, 0, 1: a horizontal gradient
	}
	w.Data[9+4] = 1 // filter 1 also passes the centre
	fc := nn.NewTensor(2, 2)
	copy(fc.Data, []float32{1, 0, 0, 1})
	return &nn.Graph{
		Name: "tiny",
		Nodes: []*nn.Node{
			{Name: "image", Op: nn.OpInput, Attrs: nn.Attrs{Shape: []int{1, 4, 4}}},
			{Name: "conv", Op: nn.OpConv, Inputs: []string{"image"}, Weights: w,
				Attrs: nn.Attrs{Stride: [2]int{2, 2}, SamePadding: true, Activation: nn.ActReLU}},
			{Name: "pool", Op: nn.OpGlobalAvgPool, Inputs: []string{"conv"}},
			{Name: "flat", Op: nn.OpFlatten, Inputs: []string{"pool"}},
			{Name: "fc", Op: nn.OpDense, Inputs: []string{"flat"}, Weights: fc, Attrs: nn.Attrs{Activation: nn.ActSoftmax}},
		},
		Outputs: []string{"fc"},
	}
}

func ramp() *nn.Tensor {
	x := nn.NewTensor(1, 1, 4, 4)
	for i := range x.Data {
		x.Data[i] = float32(i % 4) // 0 1 2 3 on every row
	}
	return x
}

func ExampleShapes() {
	g := tinyNet()
	shapes, err := infer.Shapes(g, []int{8, 1, 4, 4})
	if err != nil {
		log.Fatal(err)
	}
	for _, n := range g.Nodes {
		fmt.Println(n.Name, shapes[n.Name])
	}
	// A wrong input size is an error naming the input.
	_, err = infer.Shapes(g, []int{1, 3, 4, 4})
	fmt.Println(err)
	// Output:
	// image [8 1 4 4]
	// conv [8 2 2 2]
	// pool [8 2 1 1]
	// flat [8 2]
	// fc [8 2]
	// infer: input "image": got shape [1 3 4 4], the graph expects N x [1 4 4]
}

func ExampleShapesFor() {
	g := &nn.Graph{Name: "sum", Nodes: []*nn.Node{
		{Name: "a", Op: nn.OpInput},
		{Name: "b", Op: nn.OpInput},
		{Name: "a+b", Op: nn.OpAdd, Inputs: []string{"a", "b"}},
	}}
	shapes, err := infer.ShapesFor(g, map[string][]int{"a": {2, 3}, "b": {2, 3}})
	fmt.Println(shapes["a+b"], err)
	_, err = infer.ShapesFor(g, map[string][]int{"a": {2, 3}, "b": {2, 4}})
	fmt.Println(err)
	// Output:
	// [2 3] <nil>
	// infer: node "a+b" (Add): input 1 ("b") has shape [2 4], input 0 ("a") has [2 3]; Add needs equal shapes
}

func ExampleLayerOf() {
	g := tinyNet()
	shapes, _ := infer.Shapes(g, []int{1, 1, 4, 4})
	for _, n := range g.ComputeNodes() {
		l, err := infer.LayerOf(g, n, shapes)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %s, %dx%dx%d -> %dx%dx%d, pad %+v, %d MACs\n",
			l.Name, l.Kind, l.C, l.H, l.W, l.K, l.OutH(), l.OutW(), l.Pad, l.MACs())
	}
	// Output:
	// conv: conv, 1x4x4 -> 2x2x2, pad {Top:0 Bottom:1 Left:0 Right:1}, 72 MACs
	// fc: dense, 2x1x1 -> 2x1x1, pad {Top:0 Bottom:0 Left:0 Right:0}, 4 MACs
}

func ExampleSamePad() {
	// TensorFlow "same" padding of a 3x3, stride-2 window over 224x224:
	// the output is 112x112 and the one padded row/column is at the end.
	fmt.Printf("%+v\n", infer.SamePad(224, 224, 3, 3, 2, 2))
	fmt.Printf("%+v\n", infer.SamePad(17, 17, 1, 7, 1, 1))
	// Output:
	// {Top:0 Bottom:1 Left:0 Right:1}
	// {Top:0 Bottom:0 Left:3 Right:3}
}

func ExampleRun() {
	g := tinyNet()
	opts := infer.DefaultOptions()
	opts.Tap = func(node *nn.Node, layer *nn.Layer, inputs []*nn.Tensor, out *nn.Tensor) error {
		if node.Name == "conv" {
			fmt.Println("conv output", out.Data)
		}
		return nil
	}
	outs, err := infer.Run(g, ramp(), opts)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("probabilities %.4f\n", outs["fc"].Data)
	// Output:
	// conv output [6 0 4 0 7 0 5 0]
	// probabilities [0.3775 0.6225]
}

func ExampleRunContext() {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := infer.RunContext(ctx, tinyNet(), ramp(), infer.DefaultOptions())
	fmt.Println(err)
	// Output:
	// infer: graph "tiny": context canceled
}

func ExampleRunInputs() {
	g := &nn.Graph{Name: "sum", Nodes: []*nn.Node{
		{Name: "a", Op: nn.OpInput},
		{Name: "b", Op: nn.OpInput},
		{Name: "a+b", Op: nn.OpAdd, Inputs: []string{"a", "b"}},
	}}
	a := &nn.Tensor{Shape: []int{1, 3}, Data: []float32{1, 2, 3}}
	b := &nn.Tensor{Shape: []int{1, 3}, Data: []float32{10, 20, 30}}
	outs, err := infer.RunInputs(context.Background(), g, map[string]*nn.Tensor{"a": a, "b": b}, infer.DefaultOptions())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(outs["a+b"].Data)
	// Output:
	// [11 22 33]
}

func ExampleSamples() {
	x := nn.NewTensor(3, 1, 4, 4) // a batch of three images
	err := infer.Samples(tinyNet(), x, func(s nn.Sample) error {
		fmt.Println(s.Layer.Name, s.Layer.Kind, s.Input.Shape, s.Weights.Shape, s.Layer.MACs())
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// conv conv [3 1 4 4] [2 1 3 3] 216
	// fc dense [3 2] [2 2] 12
}

func ExampleSamplesContext() {
	n := 0
	err := infer.SamplesContext(context.Background(), tinyNet(), ramp(), func(s nn.Sample) error {
		n++
		return nil
	})
	fmt.Println(n, "compute layers", err)
	// Output:
	// 2 compute layers <nil>
}

func ExampleOptions_Validate() {
	fmt.Println(infer.DefaultOptions().Validate())
	fmt.Println(infer.Options{Workers: -1}.Validate())
	// Output:
	// <nil>
	// infer: Options.Workers = -1, want >= 0 (0 = all cores)
}

// writeImage writes a 4x2 PNG whose red channel rises from left to right.
func writeImage(dir string) string {
	img := image.NewNRGBA(image.Rect(0, 0, 4, 2))
	for y := 0; y < 2; y++ {
		for x := 0; x < 4; x++ {
			img.SetNRGBA(x, y, color.NRGBA{R: uint8(85 * x), G: 255, A: 255})
		}
	}
	p := filepath.Join(dir, "ramp.png")
	f, err := os.Create(p)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		log.Fatal(err)
	}
	return p
}

func ExampleLoadImage() {
	dir, _ := os.MkdirTemp("", "infer-example")
	defer os.RemoveAll(dir)
	path := writeImage(dir)
	// Resize 4x2 to 7x3 with aligned corners, as nsfwjs does; values are
	// pixel/255 in [0, 1].
	spec := nn.InputSpec{Height: 3, Width: 7, Channels: 3, Std: [3]float32{1, 1, 1}, Resize: infer.ResizeAlignCorners}
	x, err := infer.LoadImage(path, spec)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(x.Shape)
	fmt.Printf("red row 0: %.3f\n", x.Data[:7])
	fmt.Printf("green: %.0f\n", x.Data[21])
	_, err = infer.LoadImage(filepath.Join(dir, "missing.png"), spec)
	fmt.Println(err != nil)
	// Output:
	// [1 3 3 7]
	// red row 0: [0.000 0.167 0.333 0.500 0.667 0.833 1.000]
	// green: 1
	// true
}

func ExampleLoadImages() {
	dir, _ := os.MkdirTemp("", "infer-example")
	defer os.RemoveAll(dir)
	path := writeImage(dir)
	// MobileNet-style [-1, 1] inputs, half-pixel bilinear resizing.
	spec := nn.InputSpec{Height: 2, Width: 2, Channels: 3, Mean: [3]float32{0.5, 0.5, 0.5}, Std: [3]float32{0.5, 0.5, 0.5}, Resize: infer.ResizeHalfPixel}
	x, err := infer.LoadImages([]string{path, path}, spec)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(x.Shape)
	fmt.Printf("%.3f\n", x.Data[:4])
	// Output:
	// [2 3 2 2]
	// [-0.667 0.667 -0.667 0.667]
}

func ExampleImageTensor() {
	img := image.NewGray(image.Rect(0, 0, 2, 2))
	img.Pix = []uint8{0, 255, 255, 0}
	x, err := infer.ImageTensor(img, nn.InputSpec{Height: 2, Width: 2, Channels: 3, Std: [3]float32{1, 1, 1}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(x.Shape, x.Data[:4], x.Data[8:])
	// Output:
	// [1 3 2 2] [0 1 1 0] [0 1 1 0]
}

func ExampleCheckInputSpec() {
	fmt.Println(infer.CheckInputSpec(nn.InputSpec{Height: 224, Width: 224, Channels: 3, Std: [3]float32{1, 1, 1}}))
	fmt.Println(infer.CheckInputSpec(nn.InputSpec{Height: 224, Width: 224, Channels: 3}))
	// Output:
	// <nil>
	// infer: input spec: Std[0] = 0, want non-zero (use 1 for no scaling)
}

// RunBatch splits a batch of images over workers; each image's outputs are
// the same bits as a pass on the whole batch.
func ExampleRunBatch() {
	g := &nn.Graph{Name: "scale", Nodes: []*nn.Node{
		{Name: "in", Op: nn.OpInput, Attrs: nn.Attrs{Shape: []int{1, 1, 2}}},
		{Name: "conv", Op: nn.OpConv, Inputs: []string{"in"}, Weights: &nn.Tensor{Shape: []int{1, 1, 1, 1}, Data: []float32{2}},
			Attrs: nn.Attrs{Activation: nn.ActReLU}},
	}}
	x := &nn.Tensor{Shape: []int{4, 1, 1, 2}, Data: []float32{1, -1, 2, -2, 3, -3, 4, -4}}
	out, err := infer.RunBatch(context.Background(), g, x, infer.Options{Workers: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(out["conv"].Shape, out["conv"].Data)
	// Output: [4 1 1 2] [2 0 4 0 6 0 8 0]
}
