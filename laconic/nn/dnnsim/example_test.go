package dnnsim_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/nn/dnnsim"
)

// tinyBatch returns a two-layer network's samples: a 3x3 convolution over
// a 1x2x5x4 input and a fully connected layer, as a forward pass would.
func tinyBatch() []nn.Sample {
	conv := nn.Layer{Name: "conv1", Kind: nn.KindConv, N: 1, C: 2, H: 5, W: 4, K: 3, R: 3, S: 3,
		StrideH: 1, StrideW: 1, Pad: nn.Pad{Top: 1, Bottom: 1, Left: 1, Right: 1}, Groups: 1}
	dense := nn.Layer{Name: "dense", Kind: nn.KindDense, N: 1, C: 60, H: 1, W: 1, K: 10, R: 1, S: 1,
		StrideH: 1, StrideW: 1, Groups: 1}
	fill := func(shape ...int) *nn.Tensor {
		t := nn.NewTensor(shape...)
		for i := range t.Data {
			t.Data[i] = float32(i%7) - 3
		}
		return t
	}
	return []nn.Sample{
		{Layer: conv, Input: fill(conv.InputShape()...), Weights: fill(conv.WeightShape()...)},
		{Layer: dense, Input: fill(dense.InputShape()...), Weights: fill(dense.WeightShape()...)},
	}
}

// tempTraces writes the tiny network as "tiny" into a new folder.
func tempTraces() string {
	dir, err := os.MkdirTemp("", "dnnsim-example")
	if err != nil {
		log.Fatal(err)
	}
	if err := dnnsim.Write(dir, "tiny", [][]nn.Sample{tinyBatch(), tinyBatch()}, nil); err != nil {
		log.Fatal(err)
	}
	return dir
}

func ExampleOpen() {
	dir := tempTraces()
	defer os.RemoveAll(dir)

	net, err := dnnsim.Open(dir, "tiny")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(net.Name, "batches:", net.Batches, "precision.txt:", net.HasPrecision)
	for _, l := range net.Layers {
		g := l.Geometry
		fmt.Printf("%s %s N=%d C=%d H=%d W=%d K=%d R=%d S=%d MACs=%d %d:%d/%d:%d\n", l.Name, l.Kind,
			g.N, g.C, g.H, g.W, g.K, g.R, g.S, g.MACs(),
			l.Precision.ActMag, l.Precision.ActFrac, l.Precision.WgtMag, l.Precision.WgtFrac)
	}
	// Output:
	// tiny batches: 2 precision.txt: false
	// conv1 conv N=1 C=2 H=5 W=4 K=3 R=3 S=3 MACs=1080 13:2/0:15
	// fc_dense dense N=1 C=60 H=1 W=1 K=10 R=1 S=1 MACs=600 13:2/0:15
}

func ExampleNet_Samples() {
	dir := tempTraces()
	defer os.RemoveAll(dir)
	net, err := dnnsim.Open(dir, "")
	if err != nil {
		log.Fatal(err)
	}
	// One layer in memory at a time.
	for s, err := range net.Samples(1) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(s.Layer.Name, s.Input.Shape, s.Weights.Shape)
	}
	// Output:
	// conv1 [1 2 5 4] [3 2 3 3]
	// fc_dense [1 60] [10 60]
}

func ExampleNet_Sample() {
	dir := tempTraces()
	defer os.RemoveAll(dir)
	net, err := dnnsim.Open(dir, "tiny")
	if err != nil {
		log.Fatal(err)
	}
	s, err := net.Sample(0, 0)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Layer.Name, s.Layer.OutH(), s.Layer.OutW(), s.Input.Data[:8])
	// Output: conv1 5 4 [-3 -2 -1 0 1 2 3 -3]
}

func ExampleNets() {
	dir := tempTraces()
	defer os.RemoveAll(dir)
	if err := dnnsim.Write(dir, "alexnet", [][]nn.Sample{tinyBatch()}, nil); err != nil {
		log.Fatal(err)
	}
	names, err := dnnsim.Nets(dir)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(names)
	_, err = dnnsim.Open(dir, "")
	fmt.Println(strings.ReplaceAll(err.Error(), dir, "<dir>"))
	// Output:
	// [alexnet tiny]
	// dnnsim: <dir> holds 2 networks [alexnet tiny]: name one
}

func ExampleWrite() {
	dir, err := os.MkdirTemp("", "dnnsim-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	prec := &dnnsim.Precision{Layers: []dnnsim.LayerPrecision{
		{ActMag: 7, ActFrac: 0, WgtMag: 0, WgtFrac: 7},
		{ActMag: 5, ActFrac: 2, WgtMag: -1, WgtFrac: 8},
	}}
	if err := dnnsim.Write(dir, "tiny", [][]nn.Sample{tinyBatch()}, prec); err != nil {
		log.Fatal(err)
	}
	for _, f := range []string{"trace_params.csv", "precision.txt"} {
		b, err := os.ReadFile(filepath.Join(dir, "models", "tiny", f))
		if err != nil {
			log.Fatal(err)
		}
		fmt.Print(string(b))
	}
	files, _ := os.ReadDir(filepath.Join(dir, "net_traces", "tiny"))
	for _, f := range files {
		fmt.Println(f.Name())
	}
	// Output:
	// conv1,3,3,3,1,1
	// fc_dense,10,1,1,1,0
	// activation magnitude (with sign), activation fraction, weight magnitude (with sign), weight fraction
	// 8;6;
	// 0;2;
	// 1;0;
	// 7;8;
	// act-conv1-0.npy
	// act-fc_dense-0.npy
	// wgt-conv1.npy
	// wgt-fc_dense.npy
}

func ExampleNewWriter() {
	dir, err := os.MkdirTemp("", "dnnsim-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	w, err := dnnsim.NewWriter(dir, "stream", nil)
	if err != nil {
		log.Fatal(err)
	}
	for range 3 { // e.g. one forward pass per batch of images
		if err := w.WriteBatch(tinyBatch()); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Println(w.Names())
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}
	net, err := dnnsim.Open(dir, "stream")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(net.Batches)
	// Output:
	// [conv1 fc_dense]
	// 3
}

func ExampleTraceName() {
	for _, c := range []struct {
		name string
		kind nn.LayerKind
	}{
		{"conv1", nn.KindConv},
		{"block_1/expand", nn.KindConv},
		{"predictions", nn.KindDense},
		{"conv_fc", nn.KindConv},
	} {
		name, err := dnnsim.TraceName(c.name, c.kind)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(name, dnnsim.KindFromName(name))
	}
	// Output:
	// conv1 conv
	// block_1-expand conv
	// fc_predictions dense
	// conv_f_c conv
}

func ExampleKindFromName() {
	for _, name := range []string{"conv1", "fc7", "inner_prod", "Linear_3", "lstm_2", "FC8"} {
		fmt.Println(name, dnnsim.KindFromName(name))
	}
	// Output:
	// conv1 conv
	// fc7 dense
	// inner_prod dense
	// Linear_3 dense
	// lstm_2 lstm
	// FC8 conv
}

func ExampleParseTraceParams() {
	params, err := dnnsim.ParseTraceParams(strings.NewReader(
		"conv1,96,11,11,4,0\r\nconv2,pool1,256,5,5,1,2\r\n\r\nfc6, 4096, 1, 1, 1, 0\r\n"))
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range params {
		fmt.Printf("line %d: %s input=%q Nn=%d %dx%d stride %d pad %d %s\n",
			p.Line, p.Name, p.Input, p.Nn, p.Kx, p.Ky, p.Stride, p.Padding, dnnsim.KindFromName(p.Name))
	}
	_, err = dnnsim.ParseTraceParams(strings.NewReader("conv1,96,11,11,4,0\nconv2,256,5,5\n"))
	fmt.Println(err)
	// Output:
	// line 1: conv1 input="" Nn=96 11x11 stride 4 pad 0 conv
	// line 2: conv2 input="pool1" Nn=256 5x5 stride 1 pad 2 conv
	// line 4: fc6 input="" Nn=4096 1x1 stride 1 pad 0 dense
	// line 2: 4 fields, want 6 (name,Nn,Kx,Ky,stride,padding) or 7 (name,input_name,Nn,Kx,Ky,stride,padding)
}

func ExampleEncodeTraceParams() {
	err := dnnsim.EncodeTraceParams(os.Stdout, []dnnsim.TraceParam{
		{Name: "conv1", Nn: 64, Kx: 3, Ky: 3, Stride: 1, Padding: 1},
		{Name: "fc2", Input: "conv1", Nn: 10, Kx: 1, Ky: 1, Stride: 1},
	})
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// conv1,64,3,3,1,1
	// fc2,conv1,10,1,1,1,0
}

func ExampleTraceParam_Validate() {
	fmt.Println(dnnsim.TraceParam{Name: "conv1", Nn: 8, Kx: 3, Ky: 3, Stride: 0}.Validate())
	fmt.Println(dnnsim.TraceParam{Name: "fc1", Nn: 8}.Validate())
	// Output:
	// layer "conv1": stride = 0, want 1..16777216
	// <nil>
}

func ExampleParsePrecision() {
	// Magnitudes in the file count the sign bit; the toolkit's do not.
	p, err := dnnsim.ParsePrecision(strings.NewReader("header\n9;9;\n1;2;\n2;1;\n7;8;\n"))
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range p.Layers {
		fmt.Printf("act %d:%d (%d bits)  wgt %d:%d (%d bits)\n", l.ActMag, l.ActFrac, l.ActBits(), l.WgtMag, l.WgtFrac, l.WgtBits())
	}
	// Output:
	// act 8:1 (10 bits)  wgt 1:7 (9 bits)
	// act 8:2 (11 bits)  wgt 0:8 (9 bits)
}

func ExamplePrecision_Encode() {
	p := &dnnsim.Precision{Layers: []dnnsim.LayerPrecision{{ActMag: 8, ActFrac: 1, WgtMag: 1, WgtFrac: 7}}}
	if err := p.Encode(os.Stdout); err != nil {
		log.Fatal(err)
	}
	// Output:
	// activation magnitude (with sign), activation fraction, weight magnitude (with sign), weight fraction
	// 9;
	// 1;
	// 2;
	// 7;
}

func ExampleDefaultLayerPrecision() {
	p := dnnsim.DefaultLayerPrecision()
	fmt.Printf("%+v %d %d %v\n", p, p.ActBits(), p.WgtBits(), p.Validate())
	fmt.Println(dnnsim.LayerPrecision{ActMag: 15, ActFrac: 1}.Validate())
	// Output:
	// {ActMag:13 ActFrac:2 WgtMag:0 WgtFrac:15} 16 16 <nil>
	// activation format 15:1 is 17 bits with the sign, want 1..16
}

func ExampleDefaultPrecision() {
	p := dnnsim.DefaultPrecision(2)
	fmt.Println(len(p.Layers), p.Layers[1], p.Validate())
	// Output: 2 {13 2 0 15} <nil>
}

func ExampleWeightPath() {
	fmt.Println(dnnsim.WeightPath("traces", "alexnet", "conv1"))
	fmt.Println(dnnsim.ActivationPath("traces", "alexnet", "conv1", 3))
	// Output:
	// traces/net_traces/alexnet/wgt-conv1.npy
	// traces/net_traces/alexnet/act-conv1-3.npy
}
