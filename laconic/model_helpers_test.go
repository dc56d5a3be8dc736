package laconic_test

import (
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"

	pb "github.com/advancedclimatesystems/gonnx/onnx"
	"google.golang.org/protobuf/proto"
)

// writeTinyClassifier writes a small ONNX classifier (3x3 convolution,
// ReLU, global average pooling, a 2-class Gemm and a softmax) for 3 x 8 x 8
// inputs to dir/tiny.onnx and returns its path.
func writeTinyClassifier(dir string) (string, error) {
	f32 := func(name string, dims []int64, v func(i int) float32) *pb.TensorProto {
		n := 1
		for _, d := range dims {
			n *= int(d)
		}
		raw := make([]byte, 4*n)
		for i := 0; i < n; i++ {
			binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(v(i)))
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
	ints := func(name string, v ...int64) *pb.AttributeProto {
		return &pb.AttributeProto{Name: name, Type: pb.AttributeProto_INTS, Ints: v}
	}
	m := &pb.ModelProto{
		IrVersion:   7,
		OpsetImport: []*pb.OperatorSetIdProto{{Version: 13}},
		Graph: &pb.GraphProto{
			Name: "tiny",
			Node: []*pb.NodeProto{
				{OpType: "Conv", Name: "conv", Input: []string{"image", "w", "b"}, Output: []string{"c"},
					Attribute: []*pb.AttributeProto{ints("pads", 1, 1, 1, 1), ints("strides", 2, 2)}},
				{OpType: "Relu", Name: "relu", Input: []string{"c"}, Output: []string{"r"}},
				{OpType: "GlobalAveragePool", Name: "gap", Input: []string{"r"}, Output: []string{"g"}},
				{OpType: "Flatten", Name: "flat", Input: []string{"g"}, Output: []string{"f"}},
				{OpType: "Gemm", Name: "fc", Input: []string{"f", "wfc"}, Output: []string{"logits"},
					Attribute: []*pb.AttributeProto{{Name: "transB", Type: pb.AttributeProto_INT, I: 1}}},
				{OpType: "Softmax", Name: "prob", Input: []string{"logits"}, Output: []string{"prob"}},
			},
			Initializer: []*pb.TensorProto{
				// Filter 0 responds to red, filter 1 to blue.
				f32("w", []int64{2, 3, 3, 3}, func(i int) float32 {
					k, c := i/27, i/9%3
					if (k == 0 && c == 0) || (k == 1 && c == 2) {
						return 1.0 / 9
					}
					return 0
				}),
				f32("b", []int64{2}, func(int) float32 { return 0 }),
				f32("wfc", []int64{2, 2}, func(i int) float32 { return []float32{4, 0, 0, 4}[i] }),
			},
			Input:  []*pb.ValueInfoProto{vi("image", 1, 3, 8, 8)},
			Output: []*pb.ValueInfoProto{vi("prob", 1, 2)},
		},
	}
	data, err := proto.Marshal(m)
	if err != nil {
		return "", err
	}
	p := filepath.Join(dir, "tiny.onnx")
	return p, os.WriteFile(p, data, 0o644)
}

// writeSolid writes a w x h PNG of one colour and returns its path.
func writeSolid(dir, name string, w, h int, c color.NRGBA) (string, error) {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetNRGBA(x, y, c)
		}
	}
	p := filepath.Join(dir, name)
	f, err := os.Create(p)
	if err != nil {
		return "", err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return "", err
	}
	return p, f.Close()
}
