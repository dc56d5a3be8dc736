package onnx

import (
	"encoding/binary"
	"fmt"
	"math"

	pb "github.com/advancedclimatesystems/gonnx/onnx"

	"github.com/laconiclab/toolkit/laconic/nn"
)

// constant is a decoded constant tensor: floats for weights, integers for
// shapes and paddings.
type constant struct {
	dims    []int
	floats  []float32 // set for floating-point tensors
	ints    []int64   // set for integer tensors
	isFloat bool
}

func (c *constant) len() int {
	if c.isFloat {
		return len(c.floats)
	}
	return len(c.ints)
}

// tensor returns the constant as an nn.Tensor (floating point only).
func (c *constant) tensor() *nn.Tensor {
	return &nn.Tensor{Shape: append([]int(nil), c.dims...), Data: c.floats}
}

// numElements multiplies dims, refusing negative dimensions and overflow.
func numElements(dims []int64) (int, error) {
	n := int64(1)
	for _, d := range dims {
		if d < 0 {
			return 0, fmt.Errorf("negative dimension in %v", dims)
		}
		if d != 0 && n > math.MaxInt32/d {
			return 0, fmt.Errorf("dimensions %v hold too many elements", dims)
		}
		n *= d
	}
	return int(n), nil
}

// decodeTensor converts a TensorProto (FLOAT, DOUBLE, INT64, INT32) into a
// constant, checking that the stored values match the dimensions.
func decodeTensor(t *pb.TensorProto) (*constant, error) {
	if t.GetDataLocation() == pb.TensorProto_EXTERNAL || len(t.GetExternalData()) > 0 {
		return nil, fmt.Errorf("tensor %q keeps its data in an external file, which is not supported (save the model with the weights inside)", t.GetName())
	}
	if t.GetSegment() != nil {
		return nil, fmt.Errorf("tensor %q is segmented, which is not supported", t.GetName())
	}
	n, err := numElements(t.GetDims())
	if err != nil {
		return nil, fmt.Errorf("tensor %q: %w", t.GetName(), err)
	}
	c := &constant{dims: make([]int, len(t.GetDims()))}
	for i, d := range t.GetDims() {
		c.dims[i] = int(d)
	}
	raw := t.GetRawData()
	count := func(have int, kind string) error {
		if have != n {
			return fmt.Errorf("tensor %q: dims %v need %d values, the file stores %d (%s)", t.GetName(), t.GetDims(), n, have, kind)
		}
		return nil
	}
	dt := pb.TensorProto_DataType(t.GetDataType())
	switch dt {
	case pb.TensorProto_FLOAT:
		c.isFloat = true
		if raw != nil {
			if len(raw)%4 != 0 {
				return nil, fmt.Errorf("tensor %q: raw data of %d bytes is not a whole number of float32 values", t.GetName(), len(raw))
			}
			if err := count(len(raw)/4, "raw float32"); err != nil {
				return nil, err
			}
			c.floats = make([]float32, n)
			for i := range c.floats {
				c.floats[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
			}
		} else {
			if err := count(len(t.GetFloatData()), "float_data"); err != nil {
				return nil, err
			}
			c.floats = append([]float32(nil), t.GetFloatData()...)
		}
	case pb.TensorProto_DOUBLE:
		c.isFloat = true
		var vals []float64
		if raw != nil {
			if len(raw)%8 != 0 {
				return nil, fmt.Errorf("tensor %q: raw data of %d bytes is not a whole number of float64 values", t.GetName(), len(raw))
			}
			vals = make([]float64, len(raw)/8)
			for i := range vals {
				vals[i] = math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:]))
			}
		} else {
			vals = t.GetDoubleData()
		}
		if err := count(len(vals), "double"); err != nil {
			return nil, err
		}
		c.floats = make([]float32, n)
		for i, v := range vals {
			c.floats[i] = float32(v)
		}
	case pb.TensorProto_INT64:
		if raw != nil {
			if len(raw)%8 != 0 {
				return nil, fmt.Errorf("tensor %q: raw data of %d bytes is not a whole number of int64 values", t.GetName(), len(raw))
			}
			if err := count(len(raw)/8, "raw int64"); err != nil {
				return nil, err
			}
			c.ints = make([]int64, n)
			for i := range c.ints {
				c.ints[i] = int64(binary.LittleEndian.Uint64(raw[8*i:]))
			}
		} else {
			if err := count(len(t.GetInt64Data()), "int64_data"); err != nil {
				return nil, err
			}
			c.ints = append([]int64(nil), t.GetInt64Data()...)
		}
	case pb.TensorProto_INT32:
		if raw != nil {
			if len(raw)%4 != 0 {
				return nil, fmt.Errorf("tensor %q: raw data of %d bytes is not a whole number of int32 values", t.GetName(), len(raw))
			}
			if err := count(len(raw)/4, "raw int32"); err != nil {
				return nil, err
			}
			c.ints = make([]int64, n)
			for i := range c.ints {
				c.ints[i] = int64(int32(binary.LittleEndian.Uint32(raw[4*i:])))
			}
		} else {
			if err := count(len(t.GetInt32Data()), "int32_data"); err != nil {
				return nil, err
			}
			c.ints = make([]int64, n)
			for i, v := range t.GetInt32Data() {
				c.ints[i] = int64(v)
			}
		}
	default:
		return nil, fmt.Errorf("tensor %q has data type %v; only FLOAT, DOUBLE, INT64 and INT32 are supported", t.GetName(), dt)
	}
	if c.floats == nil && c.isFloat {
		c.floats = []float32{}
	}
	return c, nil
}

// TensorFromProto decodes a FLOAT or DOUBLE TensorProto (an initializer, or
// an input/output file of the ONNX operator test data) into an nn.Tensor
// with the proto's dimensions.
func TensorFromProto(t *pb.TensorProto) (*nn.Tensor, error) {
	c, err := decodeTensor(t)
	if err != nil {
		return nil, fmt.Errorf("onnx: %w", err)
	}
	if !c.isFloat {
		return nil, fmt.Errorf("onnx: tensor %q is not floating point", t.GetName())
	}
	return c.tensor(), nil
}
