package nn

import (
	"fmt"
	"math"
)

// Tensor is a dense row-major float32 tensor.
type Tensor struct {
	Shape []int
	Data  []float32
	// Stored holds the integer codes the model file stores for this tensor,
	// when it stores them quantized (nil otherwise). Codes follow the same
	// element order as Data; loaders that transpose Data transpose Codes too.
	Stored *Stored
}

// Stored is a tensor's quantized form as a model file stores it:
// value = Min + Scale*Codes[i] (tfjs uint8 weights, for example).
type Stored struct {
	Codes      []uint8
	Min, Scale float32
}

// NewTensor returns a zero tensor of the given shape. It panics if a
// dimension is negative (programmer misuse).
func NewTensor(shape ...int) *Tensor {
	n := 1
	for _, d := range shape {
		if d < 0 {
			panic(fmt.Sprintf("nn.NewTensor: negative dimension in %v", shape))
		}
		n *= d
	}
	return &Tensor{Shape: append([]int(nil), shape...), Data: make([]float32, n)}
}

// NumElements returns the product of the dimensions.
func NumElements(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// Len returns the number of elements.
func (t *Tensor) Len() int { return len(t.Data) }

// Validate checks that the shape is non-negative and matches the data length.
func (t *Tensor) Validate() error {
	if t == nil {
		return fmt.Errorf("nn: nil tensor")
	}
	for _, d := range t.Shape {
		if d < 0 {
			return fmt.Errorf("nn: negative dimension in shape %v", t.Shape)
		}
	}
	if n := NumElements(t.Shape); n != len(t.Data) {
		return fmt.Errorf("nn: shape %v needs %d values, have %d", t.Shape, n, len(t.Data))
	}
	return nil
}

// CheckFinite returns an error naming the first NaN or Inf element.
func (t *Tensor) CheckFinite() error {
	for i, v := range t.Data {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("nn: element %d of tensor %v is %v", i, t.Shape, v)
		}
	}
	return nil
}

// Clone returns a deep copy.
func (t *Tensor) Clone() *Tensor {
	c := &Tensor{Shape: append([]int(nil), t.Shape...), Data: append([]float32(nil), t.Data...)}
	if t.Stored != nil {
		c.Stored = &Stored{Codes: append([]uint8(nil), t.Stored.Codes...), Min: t.Stored.Min, Scale: t.Stored.Scale}
	}
	return c
}

// StridedCopy fills dst, in row-major order of shape, with the elements of
// src found by moving stride[k] elements of src for every step along axis
// k, starting at src[0]: an axis permutation, or a column-major to
// row-major reorder. dst holds the product of shape; src must hold every
// element so addressed.
func StridedCopy(dst, src []float32, shape, stride []int) {
	idx := make([]int, len(shape))
	off := 0
	for i := range dst {
		dst[i] = src[off]
		for k := len(shape) - 1; k >= 0; k-- {
			idx[k]++
			off += stride[k]
			if idx[k] < shape[k] {
				break
			}
			off -= stride[k] * shape[k]
			idx[k] = 0
		}
	}
}
