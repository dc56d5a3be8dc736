package infer

import (
	"math"

	"github.com/laconiclab/toolkit/laconic/nn"
)

// batchNorm computes y = scale[c]*x + shift[c] over axis 1 of x into out
// (a tensor of x's shape, possibly x itself).
func batchNorm(x *nn.Tensor, scale, shift []float32, out *nn.Tensor, workers int) *nn.Tensor {
	n, c := x.Shape[0], x.Shape[1]
	p := nn.NumElements(x.Shape[2:])
	parallelFor(n*c, workers, func(lo, hi int) {
		for nc := lo; nc < hi; nc++ {
			a, b := scale[nc%c], shift[nc%c]
			src := x.Data[nc*p : (nc+1)*p]
			dst := out.Data[nc*p : (nc+1)*p]
			for i, v := range src {
				dst[i] = a*v + b
			}
		}
	})
	return out
}

// elementwise returns x with the activation applied, in out (a tensor of
// x's shape, possibly sharing x's data).
func elementwise(x *nn.Tensor, act nn.Activation, out *nn.Tensor) *nn.Tensor {
	if dataPtr(out) != dataPtr(x) {
		copy(out.Data, x.Data)
	}
	activate(out.Data, act)
	return out
}

// add sums its inputs element-wise, in input order, into out (a tensor of
// the inputs' shape, possibly sharing the first input's data).
func add(ins []*nn.Tensor, out *nn.Tensor) *nn.Tensor {
	if dataPtr(out) != dataPtr(ins[0]) {
		copy(out.Data, ins[0].Data)
	}
	for _, t := range ins[1:] {
		addVec(out.Data, t.Data)
	}
	return out
}

// concat joins its inputs along axis (already normalised, >= 1).
func concat(ins []*nn.Tensor, axis int, shape []int) *nn.Tensor {
	out := nn.NewTensor(shape...)
	outer := nn.NumElements(shape[:axis])
	inner := nn.NumElements(shape[axis+1:])
	off := 0
	rowOut := shape[axis] * inner
	for _, t := range ins {
		row := t.Shape[axis] * inner
		for o := 0; o < outer; o++ {
			copy(out.Data[o*rowOut+off:o*rowOut+off+row], t.Data[o*row:(o+1)*row])
		}
		off += row
	}
	return out
}

// pool computes max or average pooling of an N x C x H x W tensor.
func pool(x *nn.Tensor, a nn.Attrs, isMax bool, shape []int, workers int) *nn.Tensor {
	out := nn.NewTensor(shape...)
	h, w := x.Shape[2], x.Shape[3]
	r, s := a.Kernel[0], a.Kernel[1]
	sh, sw := orOne(a.Stride[0]), orOne(a.Stride[1])
	p := padOf(a, h, w, r, s)
	oh, ow := shape[2], shape[3]
	if isMax && r == 2 && s == 2 && sh == 2 && sw == 2 && p.Top == 0 && p.Left == 0 && 2*oh <= h && 2*ow <= w {
		// Every window lies inside the plane: the maximum of four values
		// (Go's max: a NaN in the window gives NaN).
		parallelFor(shape[0]*shape[1], workers, func(lo, hi int) {
			for nc := lo; nc < hi; nc++ {
				plane := x.Data[nc*h*w : (nc+1)*h*w]
				dst := out.Data[nc*oh*ow : (nc+1)*oh*ow]
				for oy := 0; oy < oh; oy++ {
					r0 := plane[2*oy*w : 2*oy*w+2*ow]
					r1 := plane[(2*oy+1)*w : (2*oy+1)*w+2*ow]
					d := dst[oy*ow : (oy+1)*ow]
					r0 = r0[:2*len(d)]
					r1 = r1[:2*len(d)]
					for ox := range d {
						d[ox] = max(max(r0[2*ox], r0[2*ox+1]), max(r1[2*ox], r1[2*ox+1]))
					}
				}
			}
		})
		return out
	}
	parallelFor(shape[0]*shape[1], workers, func(lo, hi int) {
		for nc := lo; nc < hi; nc++ {
			plane := x.Data[nc*h*w : (nc+1)*h*w]
			dst := out.Data[nc*oh*ow : (nc+1)*oh*ow]
			for oy := 0; oy < oh; oy++ {
				y0 := oy*sh - p.Top
				ylo, yhi := max(y0, 0), min(y0+r, h)
				for ox := 0; ox < ow; ox++ {
					x0 := ox*sw - p.Left
					xlo, xhi := max(x0, 0), min(x0+s, w)
					if isMax {
						m := float32(math.Inf(-1))
						for iy := ylo; iy < yhi; iy++ {
							for _, v := range plane[iy*w+xlo : iy*w+xhi] {
								if v > m {
									m = v
								}
							}
						}
						dst[oy*ow+ox] = m
						continue
					}
					var sum float32
					for iy := ylo; iy < yhi; iy++ {
						for _, v := range plane[iy*w+xlo : iy*w+xhi] {
							sum += v
						}
					}
					count := (yhi - ylo) * (xhi - xlo)
					if a.CountPad {
						count = r * s
					}
					dst[oy*ow+ox] = sum / float32(count)
				}
			}
		}
	})
	return out
}

// globalAvgPool averages each channel plane (summed in float64).
func globalAvgPool(x *nn.Tensor) *nn.Tensor {
	n, c := x.Shape[0], x.Shape[1]
	p := nn.NumElements(x.Shape[2:])
	out := nn.NewTensor(n, c, 1, 1)
	for nc := 0; nc < n*c; nc++ {
		sum := 0.0
		for _, v := range x.Data[nc*p : (nc+1)*p] {
			sum += float64(v)
		}
		out.Data[nc] = float32(sum / float64(p))
	}
	return out
}

// zeroPad pads channels and the spatial plane with zeros.
func zeroPad(x *nn.Tensor, a nn.Attrs, shape []int) *nn.Tensor {
	out := nn.NewTensor(shape...)
	n, c, h, w := x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]
	oc, oh, ow := shape[1], shape[2], shape[3]
	for i := 0; i < n; i++ {
		for ch := 0; ch < c; ch++ {
			src := x.Data[(i*c+ch)*h*w : (i*c+ch+1)*h*w]
			dst := out.Data[(i*oc+ch+a.ChannelPad[0])*oh*ow:]
			for y := 0; y < h; y++ {
				copy(dst[(y+a.Pad.Top)*ow+a.Pad.Left:], src[y*w:(y+1)*w])
			}
		}
	}
	return out
}

// transpose permutes the axes of x.
func transpose(x *nn.Tensor, perm, shape []int) *nn.Tensor {
	out := nn.NewTensor(shape...)
	rank := len(shape)
	// Input strides.
	inStride := make([]int, rank)
	st := 1
	for d := rank - 1; d >= 0; d-- {
		inStride[d] = st
		st *= x.Shape[d]
	}
	// Stride in the input of each output axis.
	step := make([]int, rank)
	for i, p := range perm {
		step[i] = inStride[p]
	}
	nn.StridedCopy(out.Data, x.Data, shape, step)
	return out
}

// view returns a tensor sharing x's data under another shape.
func view(x *nn.Tensor, shape []int) *nn.Tensor {
	return &nn.Tensor{Shape: shape, Data: x.Data}
}
