package onnx_test

import (
	"encoding/binary"
	"math"

	pb "github.com/advancedclimatesystems/gonnx/onnx"
	"google.golang.org/protobuf/proto"
)

// Builders for small ONNX models written by the tests.

func floats(name string, dims []int64, vals ...float32) *pb.TensorProto {
	raw := make([]byte, 4*len(vals))
	for i, v := range vals {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(v))
	}
	return &pb.TensorProto{Name: name, Dims: dims, DataType: int32(pb.TensorProto_FLOAT), RawData: raw}
}

func ramp(name string, dims []int64, scale float32) *pb.TensorProto {
	n := int64(1)
	for _, d := range dims {
		n *= d
	}
	v := make([]float32, n)
	for i := range v {
		v[i] = scale * float32(int(i)%7-3)
	}
	t := floats(name, dims)
	t.RawData = nil
	t.FloatData = v
	return t
}

func int64s(name string, vals ...int64) *pb.TensorProto {
	return &pb.TensorProto{Name: name, Dims: []int64{int64(len(vals))}, DataType: int32(pb.TensorProto_INT64), Int64Data: vals}
}

func node(op, name string, ins, outs []string, attrs ...*pb.AttributeProto) *pb.NodeProto {
	return &pb.NodeProto{OpType: op, Name: name, Input: ins, Output: outs, Attribute: attrs}
}

func aInts(name string, v ...int64) *pb.AttributeProto {
	return &pb.AttributeProto{Name: name, Type: pb.AttributeProto_INTS, Ints: v}
}

func aInt(name string, v int64) *pb.AttributeProto {
	return &pb.AttributeProto{Name: name, Type: pb.AttributeProto_INT, I: v}
}

func aFloat(name string, v float32) *pb.AttributeProto {
	return &pb.AttributeProto{Name: name, Type: pb.AttributeProto_FLOAT, F: v}
}

func aString(name, v string) *pb.AttributeProto {
	return &pb.AttributeProto{Name: name, Type: pb.AttributeProto_STRING, S: []byte(v)}
}

func aTensor(name string, t *pb.TensorProto) *pb.AttributeProto {
	return &pb.AttributeProto{Name: name, Type: pb.AttributeProto_TENSOR, T: t}
}

func valueInfo(name string, dims ...int64) *pb.ValueInfoProto {
	shape := &pb.TensorShapeProto{}
	for _, d := range dims {
		shape.Dim = append(shape.Dim, &pb.TensorShapeProto_Dimension{Value: &pb.TensorShapeProto_Dimension_DimValue{DimValue: d}})
	}
	return &pb.ValueInfoProto{Name: name, Type: &pb.TypeProto{Value: &pb.TypeProto_TensorType{
		TensorType: &pb.TypeProto_Tensor{ElemType: int32(pb.TensorProto_FLOAT), Shape: shape}}}}
}

func model(opset int64, nodes []*pb.NodeProto, inits []*pb.TensorProto, inputs, outputs []*pb.ValueInfoProto) *pb.ModelProto {
	return &pb.ModelProto{
		IrVersion:   7,
		OpsetImport: []*pb.OperatorSetIdProto{{Domain: "", Version: opset}},
		Graph: &pb.GraphProto{
			Name: "test", Node: nodes, Initializer: inits, Input: inputs, Output: outputs,
		},
	}
}

func marshal(m *pb.ModelProto) []byte {
	b, err := proto.Marshal(m)
	if err != nil {
		panic(err)
	}
	return b
}

// classifier is a small NCHW classifier: Conv (pads, strides) ->
// BatchNormalization -> Clip(0, 6) -> MaxPool -> Conv (depthwise) -> Relu
// -> Add (residual) -> AveragePool -> GlobalAveragePool -> Flatten -> Gemm
// -> Softmax.
func classifier() *pb.ModelProto {
	nodes := []*pb.NodeProto{
		node("Conv", "conv1", []string{"image", "w1", "b1"}, []string{"c1"}, aInts("kernel_shape", 3, 3), aInts("pads", 1, 1, 1, 1), aInts("strides", 2, 2)),
		node("BatchNormalization", "bn1", []string{"c1", "gamma", "beta", "mean", "var"}, []string{"bn1"}, aFloat("epsilon", 1e-3)),
		node("Clip", "relu6", []string{"bn1", "zero", "six"}, []string{"r1"}),
		node("MaxPool", "pool", []string{"r1"}, []string{"p1"}, aInts("kernel_shape", 2, 2), aInts("strides", 2, 2)),
		node("Conv", "dw", []string{"p1", "wdw"}, []string{"dw"}, aInts("pads", 1, 1, 1, 1), aInt("group", 4)),
		node("Relu", "relu", []string{"dw"}, []string{"r2"}),
		node("Add", "add", []string{"r2", "p1"}, []string{"a"}),
		node("AveragePool", "avg", []string{"a"}, []string{"avg"}, aInts("kernel_shape", 3, 3), aString("auto_pad", "SAME_UPPER")),
		node("GlobalAveragePool", "gap", []string{"avg"}, []string{"gap"}),
		node("Flatten", "flat", []string{"gap"}, []string{"f"}),
		node("Gemm", "fc", []string{"f", "wfc", "bfc"}, []string{"logits"}, aInt("transB", 1)),
		node("Softmax", "prob", []string{"logits"}, []string{"prob"}, aInt("axis", 1)),
	}
	inits := []*pb.TensorProto{
		ramp("w1", []int64{4, 3, 3, 3}, 0.1), floats("b1", []int64{4}, 0.1, -0.2, 0.3, 0),
		floats("gamma", []int64{4}, 1, 2, 0.5, 1), floats("beta", []int64{4}, 0, 0.1, -0.1, 0.2),
		floats("mean", []int64{4}, 0.1, 0, -0.1, 0), floats("var", []int64{4}, 1, 4, 0.25, 1),
		floats("zero", nil, 0), floats("six", nil, 6),
		ramp("wdw", []int64{4, 1, 3, 3}, 0.2),
		ramp("wfc", []int64{3, 4}, 0.5), floats("bfc", []int64{3}, 0, 1, -1),
	}
	return model(11, nodes, inits, []*pb.ValueInfoProto{valueInfo("image", 1, 3, 8, 8)}, []*pb.ValueInfoProto{valueInfo("prob", 1, 3)})
}

// nhwcDetector mimics a TensorFlow-converted detector (BlazeFace-like): an
// NHWC input transposed to NCHW, weights held in Constant nodes, channel
// padding by Concat with ConstantOfShape zeros, a Pad node, a MatMul with a
// bias Add, and an NHWC Transpose + Reshape head.
func nhwcDetector() *pb.ModelProto {
	nodes := []*pb.NodeProto{
		node("Transpose", "to_nchw", []string{"input:0"}, []string{"x"}, aInts("perm", 0, 3, 1, 2)),
		node("Constant", "", nil, []string{"w1"}, aTensor("value", ramp("", []int64{2, 3, 1, 1}, 0.3))),
		node("Conv", "conv", []string{"x", "w1"}, []string{"c"}),
		node("Constant", "", nil, []string{"cb"}, aTensor("value", floats("", []int64{2, 1, 1}, 0.5, -0.5))),
		node("Add", "bias", []string{"c", "cb"}, []string{"cbias"}),
		node("Relu", "relu", []string{"cbias"}, []string{"r"}),
		node("ConstantOfShape", "", []string{"zshape"}, []string{"zeros"}),
		node("Concat", "", []string{"r", "zeros"}, []string{"padded"}, aInt("axis", 1)),
		node("Constant", "", nil, []string{"pads"}, aTensor("value", int64s("", 0, 0, 1, 1, 0, 0, 0, 0))),
		node("Pad", "pad", []string{"padded", "pads"}, []string{"sp"}),
		node("Transpose", "to_nhwc", []string{"sp"}, []string{"t"}, aInts("perm", 0, 2, 3, 1)),
		node("Reshape", "head", []string{"t", "shape"}, []string{"out"}),
		node("Flatten", "flat", []string{"sp"}, []string{"f"}),
		node("MatMul", "mm", []string{"f", "wmm"}, []string{"mm"}),
		node("Add", "mm_bias", []string{"mm", "bmm"}, []string{"score"}),
		node("Sigmoid", "sig", []string{"score"}, []string{"sig"}),
		node("Dropout", "drop", []string{"sig"}, []string{"drop"}),
	}
	inits := []*pb.TensorProto{
		int64s("zshape", 1, 2, 4, 4), int64s("shape", 1, -1, 4),
		ramp("wmm", []int64{4 * 5 * 5, 2}, 0.05), floats("bmm", []int64{2}, 0.25, -0.25),
	}
	return model(12, nodes, inits, []*pb.ValueInfoProto{valueInfo("input:0", 1, 4, 4, 3)},
		[]*pb.ValueInfoProto{valueInfo("out"), valueInfo("drop")})
}
