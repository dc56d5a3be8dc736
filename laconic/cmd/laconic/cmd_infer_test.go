package main

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	pb "github.com/advancedclimatesystems/gonnx/onnx"
	"google.golang.org/protobuf/proto"

	"github.com/laconiclab/toolkit/laconic/zoo"
)

// writeTinyONNX writes a 3x3 convolution + ReLU + global pooling + 3-class
// Gemm + softmax model for 3 x 6 x 6 inputs.
func writeTinyONNX(t *testing.T, dir string) string {
	t.Helper()
	f32 := func(name string, dims []int64) *pb.TensorProto {
		n := 1
		for _, d := range dims {
			n *= int(d)
		}
		raw := make([]byte, 4*n)
		for i := 0; i < n; i++ {
			binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(float32(i%5)/5-0.3))
		}
		return &pb.TensorProto{Name: name, Dims: dims, DataType: int32(pb.TensorProto_FLOAT), RawData: raw}
	}
	vi := func(name string, dims ...int64) *pb.ValueInfoProto {
		shape := &pb.TensorShapeProto{}
		for _, d := range dims {
			shape.Dim = append(shape.Dim, &pb.TensorShapeProto_Dimension{Value: &pb.TensorShapeProto_Dimension_DimValue{DimValue: d}})
		}
		return &pb.ValueInfoProto{Name: name, Type: &pb.TypeProto{Value: &pb.TypeProto_TensorType{
			TensorType: &pb.TypeProto_Tensor{ElemType: int32(pb.TensorProto_FLOAT), Shape: shape}}}}
	}
	m := &pb.ModelProto{IrVersion: 7, OpsetImport: []*pb.OperatorSetIdProto{{Version: 13}}, Graph: &pb.GraphProto{
		Name: "tiny",
		Node: []*pb.NodeProto{
			{OpType: "Conv", Name: "conv", Input: []string{"x", "w"}, Output: []string{"c"},
				Attribute: []*pb.AttributeProto{{Name: "pads", Type: pb.AttributeProto_INTS, Ints: []int64{1, 1, 1, 1}}}},
			{OpType: "Relu", Name: "relu", Input: []string{"c"}, Output: []string{"r"}},
			{OpType: "GlobalAveragePool", Name: "gap", Input: []string{"r"}, Output: []string{"g"}},
			{OpType: "Flatten", Name: "flat", Input: []string{"g"}, Output: []string{"f"}},
			{OpType: "Gemm", Name: "fc", Input: []string{"f", "wfc"}, Output: []string{"y"},
				Attribute: []*pb.AttributeProto{{Name: "transB", Type: pb.AttributeProto_INT, I: 1}}},
			{OpType: "Softmax", Name: "prob", Input: []string{"y"}, Output: []string{"p"}},
		},
		Initializer: []*pb.TensorProto{f32("w", []int64{4, 3, 3, 3}), f32("wfc", []int64{3, 4})},
		Input:       []*pb.ValueInfoProto{vi("x", 1, 3, 6, 6)},
		Output:      []*pb.ValueInfoProto{vi("p", 1, 3)},
	}}
	data, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "tiny.onnx")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func writePNG(t *testing.T, dir string) string {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 9, 7))
	for y := 0; y < 7; y++ {
		for x := 0; x < 9; x++ {
			img.SetNRGBA(x, y, color.NRGBA{R: uint8(20 * x), G: uint8(30 * y), B: 100, A: 255})
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	p := filepath.Join(dir, "img.png")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestInferCommand(t *testing.T) {
	dir := t.TempDir()
	model := writeTinyONNX(t, dir)
	img := writePNG(t, dir)
	var stdout, stderr bytes.Buffer
	code := run([]string{"infer", "--model", model, "--image", img, "--top", "2"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{
		"model tiny (" + model + ")", "top classes:", "class ", "layer", "kind", "MACs", "zeros",
		"conv", "1x3x6x6", "1x4x6x6", "3888", // 4 filters x 36 positions x 27 taps
		"fc", "dense", "1x4", "1x3", "12",
		"total", "3900",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "class ") != 2 {
		t.Errorf("--top 2 printed %d classes:\n%s", strings.Count(out, "class "), out)
	}
	if !strings.Contains(stderr.String(), "forward pass") {
		t.Errorf("no timing on stderr: %q", stderr.String())
	}
	// Columns are aligned: every table row starts its kind at the same offset.
	lines := strings.Split(out, "\n")
	var col []int
	for _, l := range lines {
		if i := strings.Index(l, " conv "); i > 0 {
			col = append(col, i)
		}
		if i := strings.Index(l, " dense "); i > 0 {
			col = append(col, i)
		}
	}
	if len(col) != 2 || col[0] != col[1] {
		t.Errorf("kind columns at %v:\n%s", col, out)
	}
	// --all-nodes lists the other nodes too.
	stdout.Reset()
	if code := run([]string{"infer", "--model", model, "--image", img, "--all-nodes"}, &stdout, &stderr); code != 0 {
		t.Fatalf("--all-nodes: exit %d", code)
	}
	for _, want := range []string{"ReLU", "GlobalAvgPool", "Softmax"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("--all-nodes output lacks %q", want)
		}
	}
}

func TestInferCommandErrors(t *testing.T) {
	dir := t.TempDir()
	model := writeTinyONNX(t, dir)
	img := writePNG(t, dir)
	tests := []struct {
		args []string
		code int
		sub  string
	}{
		{[]string{"infer"}, 2, "required"},
		{[]string{"infer", "--model", model}, 2, "required"},
		{[]string{"infer", "--model", model, "--image", img, "--top", "0"}, 2, "--top"},
		{[]string{"infer", "--model", model, "--image", img, "extra"}, 2, "unexpected"},
		{[]string{"infer", "--bogus"}, 2, "bogus"},
		{[]string{"infer", "--model", "alexnet", "--image", img}, 1, "alexnet"},
		{[]string{"infer", "--model", model, "--image", filepath.Join(dir, "none.png")}, 1, "none.png"},
		{[]string{"infer", "--model", img, "--image", img}, 1, "img.png"},
	}
	for _, tc := range tests {
		var stdout, stderr bytes.Buffer
		code := run(tc.args, &stdout, &stderr)
		if code != tc.code || !strings.Contains(stderr.String(), tc.sub) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d mentioning %q", tc.args, code, stderr.String(), tc.code, tc.sub)
		}
	}
}

func TestInferZooModel(t *testing.T) {
	if ok, err := zoo.Cached("mobilenet_v2"); err != nil || !ok {
		t.Skip("mobilenet_v2 is not in the model cache: run `make models`")
	}
	img := filepath.Join("..", "..", "..", "data", "images", "chelsea.png")
	if _, err := os.Stat(img); err != nil {
		t.Skip("data/images/chelsea.png missing: run `make images`")
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"infer", "--model", "mobilenet_v2", "--image", img, "--top", "1"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	out := stdout.String()
	// nsfwjs's MobileNetV2 calls the cat photograph Neutral (TensorFlow.js
	// gives 0.9308; see laconic/infer/testdata/golden).
	for _, want := range []string{"Neutral  0.9308", "block_16_project", "dense_3", "299855360"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

func TestModelsCommand(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"models"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 1+len(zoo.List()) {
		t.Fatalf("%d lines:\n%s", len(lines), stdout.String())
	}
	if f := strings.Fields(lines[0]); strings.Join(f, " ") != "model format input params MACs/image cached source" {
		t.Fatalf("header %q", lines[0])
	}
	// Known MACs per image, from shape inference, when the model is cached.
	macs := map[string]string{"mobilenet_v2": "299855360", "inception_v3": "5711725792", "blazeface": "188749824"}
	for i, m := range zoo.List() {
		f := strings.Fields(lines[i+1])
		if len(f) != 7 || f[0] != m.Name || f[1] != string(m.Format) {
			t.Fatalf("row %q", lines[i+1])
		}
		ok, _ := zoo.Cached(m.Name)
		if (f[5] == "yes") != ok {
			t.Errorf("%s: cached column %q, zoo says %v", m.Name, f[5], ok)
		}
		if want, known := macs[m.Name]; ok && known && f[4] != want {
			t.Errorf("%s: %s MACs per image, want %s", m.Name, f[4], want)
		}
		if !ok && f[4] != "-" {
			t.Errorf("%s: not cached but MACs %q", m.Name, f[4])
		}
	}
	if code := run([]string{"models", "extra"}, &stdout, &stderr); code != 2 {
		t.Fatalf("extra argument: exit %d", code)
	}
}

// TestModelsUncached points the cache at an empty directory: nothing is
// loaded and parameter counts come from the zoo.
func TestModelsUncached(t *testing.T) {
	t.Setenv(zoo.EnvCache, t.TempDir())
	var stdout, stderr bytes.Buffer
	if code := run([]string{"models"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for i, m := range zoo.List() {
		f := strings.Fields(strings.Split(stdout.String(), "\n")[i+1])
		wantParams := "-"
		if m.Params > 0 {
			wantParams = strconv.FormatInt(m.Params, 10)
		}
		if f[3] != wantParams || f[4] != "-" || f[5] != "no" {
			t.Errorf("row %v, want params %s, MACs -, cached no", f, wantParams)
		}
	}
}

func TestInferDetector(t *testing.T) {
	if ok, err := zoo.Cached("blazeface"); err != nil || !ok {
		t.Skip("blazeface is not in the model cache: run `make models`")
	}
	img := filepath.Join("..", "..", "..", "data", "images", "astronaut.png")
	if _, err := os.Stat(img); err != nil {
		t.Skip("data/images/astronaut.png missing: run `make images`")
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"infer", "--model", "blazeface", "--image", img}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, want := range []string{"outputs (no class labels", "1x512x16", "1x384x1", "common prefix StatefulPartitionedCall/functional_1/", "188749824"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(stdout.String(), "top classes") {
		t.Error("a detector printed classes")
	}
}

func TestCommonPrefix(t *testing.T) {
	tests := []struct {
		names []string
		want  string
	}{
		{nil, ""},
		{[]string{"a/b/c"}, ""},
		{[]string{"conv1", "conv2"}, ""},
		{[]string{"model/feature_extractor/conv1", "model/feature_extractor/conv2"}, "model/feature_extractor/"},
		{[]string{"model/feature_extractor/conv1", "model/feature_extractor/block/conv2"}, "model/feature_extractor/"},
		{[]string{"model/feature_extractor_a/x", "model/feature_extractor_b/y"}, ""},
		{[]string{"model/feature_extractor/", "model/feature_extractor/x"}, ""},
	}
	for _, tc := range tests {
		if got := commonPrefix(tc.names); got != tc.want {
			t.Errorf("commonPrefix(%q) = %q, want %q", tc.names, got, tc.want)
		}
	}
}
