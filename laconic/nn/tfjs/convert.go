package tfjs

import (
	"fmt"
	"math"

	"github.com/laconiclab/toolkit/laconic/nn"
)

// shapeInfo is a node's output shape without the batch dimension, in both
// layouts.
type shapeInfo struct {
	tf []int // TensorFlow.js layout: H, W, C for images, F for vectors
	nn []int // nn layout: C, H, W for images, F for vectors
	// flat is set (to H, W, C) when this vector was flattened from an
	// NHWC image with H*W > 1 and C > 1: TensorFlow.js orders its elements
	// h, w, c while nn orders them c, h, w. A Dense layer reading it
	// permutes its weights accordingly; element-wise nodes pass it on.
	flat []int
}

func imageShape(h, w, c int) shapeInfo {
	return shapeInfo{tf: []int{h, w, c}, nn: []int{c, h, w}}
}

// Limits on activation shapes: a larger shape is an error, not an allocation.
const (
	maxDim      = 1 << 24
	maxElements = 1 << 31
)

// check rejects empty, negative or absurdly large shapes.
func (s shapeInfo) check() error {
	n := 1
	for _, d := range s.tf {
		if d <= 0 || d > maxDim {
			return fmt.Errorf("output shape %v: every dimension must be in 1..%d", s.tf, maxDim)
		}
		n *= d
		if n > maxElements {
			return fmt.Errorf("output shape %v has more than %d elements", s.tf, maxElements)
		}
	}
	return nil
}

func vectorShape(f int) shapeInfo { return shapeInfo{tf: []int{f}, nn: []int{f}} }

// inputNode makes n a graph input whose per-sample TensorFlow.js shape is
// dims: an image [H, W, C] or a vector [F]. It returns the input's shape,
// and false for any other rank.
func inputNode(n *nn.Node, dims []int) (shapeInfo, bool) {
	var s shapeInfo
	switch len(dims) {
	case 3:
		s = imageShape(dims[0], dims[1], dims[2])
	case 1:
		s = vectorShape(dims[0])
	default:
		return s, false
	}
	n.Op = nn.OpInput
	n.Attrs.Shape = append([]int(nil), s.nn...)
	return s, true
}

// isImage reports whether the TensorFlow.js shape is H, W, C.
func (s shapeInfo) isImage() bool { return len(s.tf) == 3 }

// channels is the size of the last TensorFlow.js axis.
func (s shapeInfo) channels() int { return s.tf[len(s.tf)-1] }

// features returns the number of inputs a Dense layer sees: F for vectors,
// C for 1x1 images (nn accepts N x C x 1 x 1 dense inputs); 0 otherwise.
func (s shapeInfo) features() int {
	switch {
	case len(s.nn) == 1:
		return s.nn[0]
	case len(s.nn) == 3 && s.nn[1] == 1 && s.nn[2] == 1:
		return s.nn[0]
	}
	return 0
}

// orderSafe reports whether the element order of the tensor is the same in
// both layouts (vectors, 1x1 images, one-channel images).
func (s shapeInfo) orderSafe() bool {
	if s.flat != nil {
		return false
	}
	if !s.isImage() {
		return true
	}
	return s.tf[0]*s.tf[1] == 1 || s.tf[2] == 1
}

// flatten returns the shape of the tensor flattened to a vector.
func (s shapeInfo) flatten() shapeInfo {
	n := 1
	for _, d := range s.tf {
		n *= d
	}
	out := vectorShape(n)
	if s.flat != nil {
		out.flat = s.flat
	} else if s.isImage() && !s.orderSafe() {
		out.flat = append([]int(nil), s.tf...)
	}
	return out
}

// padMode is how a convolution or pool pads its input.
type padMode int

const (
	padValid padMode = iota
	padSame
	padExplicit
)

// outSize computes a convolution's or pool's output size along one axis.
func outSize(in, k, stride, dil int, mode padMode, before, after int) (int, error) {
	if k <= 0 || stride <= 0 || dil <= 0 {
		return 0, fmt.Errorf("kernel %d, stride %d, dilation %d must be positive", k, stride, dil)
	}
	eff := (k-1)*dil + 1
	switch mode {
	case padSame:
		return (in + stride - 1) / stride, nil
	case padExplicit:
		in += before + after
	}
	if in < eff {
		return 0, fmt.Errorf("kernel %d (dilated %d) larger than input %d", k, eff, in)
	}
	return (in-eff)/stride + 1, nil
}

// newTensor builds an nn tensor of the given shape whose element i is
// element src(i) of w; the stored uint8 codes, if any, follow the same order.
func newTensor(w *weight, shape []int, src func(i int) int) *nn.Tensor {
	n := len(w.data)
	t := &nn.Tensor{Shape: shape, Data: make([]float32, n)}
	var codes []uint8
	if w.codes != nil {
		codes = make([]uint8, n)
		t.Stored = &nn.Stored{Codes: codes, Min: w.min, Scale: w.scale}
	}
	for i := 0; i < n; i++ {
		j := src(i)
		t.Data[i] = w.data[j]
		if codes != nil {
			codes[i] = w.codes[j]
		}
	}
	return t
}

// vectorTensor copies a rank-1 weight.
func vectorTensor(w *weight) *nn.Tensor {
	return newTensor(w, []int{len(w.data)}, func(i int) int { return i })
}

// convKernel converts an HWIO kernel to OIHW.
func convKernel(w *weight) *nn.Tensor {
	kh, kw, ci, co := w.shape[0], w.shape[1], w.shape[2], w.shape[3]
	t := &nn.Tensor{Shape: []int{co, ci, kh, kw}, Data: make([]float32, len(w.data))}
	var codes []uint8
	if w.codes != nil {
		codes = make([]uint8, len(w.data))
		t.Stored = &nn.Stored{Codes: codes, Min: w.min, Scale: w.scale}
	}
	for h := 0; h < kh; h++ {
		for x := 0; x < kw; x++ {
			for i := 0; i < ci; i++ {
				src := ((h*kw+x)*ci + i) * co
				for o := 0; o < co; o++ {
					dst := ((o*ci+i)*kh+h)*kw + x
					t.Data[dst] = w.data[src+o]
					if codes != nil {
						codes[dst] = w.codes[src+o]
					}
				}
			}
		}
	}
	return t
}

// depthwiseKernel converts an H x W x C x M depthwise kernel to C*M filters
// of one channel (K x 1 x H x W, filter k = c*M + m, TensorFlow's output
// channel order).
func depthwiseKernel(w *weight) *nn.Tensor {
	kh, kw, c, m := w.shape[0], w.shape[1], w.shape[2], w.shape[3]
	return newTensor(w, []int{c * m, 1, kh, kw}, func(dst int) int {
		x := dst % kw
		h := dst / kw % kh
		k := dst / (kw * kh)
		ch, mm := k/m, k%m
		return ((h*kw+x)*c+ch)*m + mm
	})
}

// denseKernel converts an In x Out kernel (or Out x In when transposed) to
// Out x In. When the input vector was flattened from an H x W x C image
// (flat != nil), input i of the nn layout (c, h, w order) is input
// (h*W + w)*C + c of the file's layout.
func denseKernel(w *weight, transposed bool, flat []int) *nn.Tensor {
	in, out := w.shape[0], w.shape[1]
	if transposed {
		in, out = out, in
	}
	srcIn := func(i int) int { return i }
	if flat != nil {
		H, W, C := flat[0], flat[1], flat[2]
		srcIn = func(i int) int {
			c := i / (H * W)
			h := i / W % H
			x := i % W
			return (h*W+x)*C + c
		}
	}
	return newTensor(w, []int{out, in}, func(dst int) int {
		o, i := dst/in, dst%in
		if transposed {
			return o*in + srcIn(i)
		}
		return srcIn(i)*out + o
	})
}

// foldBatchNorm returns Scale = gamma/sqrt(var+eps) and
// Shift = beta - mean*Scale, computed in float64.
func foldBatchNorm(gamma, beta, mean, variance []float32, eps float64) (scale, shift *nn.Tensor, err error) {
	c := len(mean)
	scale, shift = nn.NewTensor(c), nn.NewTensor(c)
	for i := 0; i < c; i++ {
		g, b := 1.0, 0.0
		if gamma != nil {
			g = float64(gamma[i])
		}
		if beta != nil {
			b = float64(beta[i])
		}
		v := float64(variance[i]) + eps
		if !(v > 0) {
			return nil, nil, fmt.Errorf("channel %d: variance + epsilon = %v, want > 0", i, v)
		}
		s := g / math.Sqrt(v)
		scale.Data[i] = float32(s)
		shift.Data[i] = float32(b - float64(mean[i])*s)
	}
	return scale, shift, nil
}

// topoSort orders items so that every item comes after the items it
// depends on, keeping the given order where it already is topological.
// deps returns the names an item reads; names outside the set are an error.
func topoSort(names []string, deps func(i int) []string) ([]int, error) {
	index := make(map[string]int, len(names))
	for i, n := range names {
		if _, dup := index[n]; dup {
			return nil, fmt.Errorf("duplicate name %q", n)
		}
		index[n] = i
	}
	const (
		unvisited = iota
		active
		done
	)
	state := make([]int, len(names))
	order := make([]int, 0, len(names))
	type frame struct {
		i    int
		deps []string
		next int
	}
	for root := range names {
		if state[root] != unvisited {
			continue
		}
		stack := []frame{{i: root, deps: deps(root)}}
		state[root] = active
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if f.next == len(f.deps) {
				state[f.i] = done
				order = append(order, f.i)
				stack = stack[:len(stack)-1]
				continue
			}
			d := f.deps[f.next]
			f.next++
			j, ok := index[d]
			if !ok {
				return nil, fmt.Errorf("%q reads %q, which does not exist", names[f.i], d)
			}
			switch state[j] {
			case active:
				return nil, fmt.Errorf("cycle through %q", d)
			case unvisited:
				state[j] = active
				stack = append(stack, frame{i: j, deps: deps(j)})
			}
		}
	}
	return order, nil
}
