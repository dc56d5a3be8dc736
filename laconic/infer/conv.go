package infer

import (
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/laconiclab/toolkit/laconic/nn"
)

// parallelFor runs body over [0, n) split into at most workers contiguous
// chunks.
func parallelFor(n, workers int, body func(lo, hi int)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if workers > n {
		workers = n
	}
	if workers <= 1 {
		if n > 0 {
			body(0, n)
		}
		return
	}
	var wg sync.WaitGroup
	chunk := (n + workers - 1) / workers
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			body(lo, hi)
		}()
	}
	wg.Wait()
}

// scratch holds buffers reused across the nodes of one pass: the im2col
// patch matrix and the matrix multiply's packing buffers.
type scratch struct {
	buf   []float32
	gemm  gemmScratch
	reuse reuseState
}

// target returns the tensor an element-wise node writes its result to:
// input i itself (a new header sharing its data) when it may be
// overwritten, otherwise fresh (or recycled) storage of its shape.
func (s *scratch) target(x *nn.Tensor, i int) *nn.Tensor {
	if s.reuse.overwritable(i) {
		return &nn.Tensor{Shape: x.Shape, Data: x.Data}
	}
	return s.reuse.alloc(x.Shape)
}

func (s *scratch) get(n int) []float32 {
	if cap(s.buf) < n {
		s.buf = make([]float32, n)
	}
	return s.buf[:n]
}

// layer computes a Conv or Dense node into out: the convolution or matrix
// product, then the bias and the fused activation. Bias and clamping
// activations (ReLU, ReLU6) are applied in the multiply's epilogue, while
// each tile is still in registers; sigmoid and softmax run afterwards.
func layer(l nn.Layer, x, w, bias []float32, act nn.Activation, out []float32, sc *scratch, workers int) error {
	checkFallback()
	lo, hi, clamp, fused := actClamp(act)
	ep := epilogue{bias: bias, clamp: clamp, lo: lo, hi: hi}
	if !fused {
		ep = epilogue{}
	}
	if l.Kind == nn.KindDense {
		if err := checkGemm(l.N, l.K, l.C); err != nil {
			return err
		}
		if l.N < gemmMR {
			// Few images: out^T (K x N) = W x^T, whose rows are the
			// outputs, so the bias and clamp fuse; then transposed.
			t := sc.get(l.K * l.N)
			gemm(l.K, l.N, l.C, mat{w, l.C, 1}, mat{x, 1, l.C}, t, l.N, ep, workers, &sc.gemm)
			for i := 0; i < l.N; i++ {
				for k := 0; k < l.K; k++ {
					out[i*l.K+k] = t[k*l.N+i]
				}
			}
			if !fused {
				biasAct(out, l.N, l.K, 1, bias, act, workers)
			}
			return nil
		}
		// The bias runs along the columns here: applied afterwards.
		dense(l, x, w, out, sc, workers)
		biasAct(out, l.N, l.K, 1, bias, act, workers)
		return nil
	}
	if err := conv(l, x, w, out, ep, sc, workers); err != nil {
		return err
	}
	if !fused {
		biasAct(out, l.N, l.K, l.OutH()*l.OutW(), bias, act, workers)
	}
	return nil
}

// conv computes a convolution layer with the epilogue into out (N x K x
// OutH x OutW). Depthwise layers use the direct depthwise kernel; all others
// im2col (skipped for 1x1 unpadded unit-stride layers) followed by a matrix
// multiply per image and group.
func conv(l nn.Layer, x, w []float32, out []float32, ep epilogue, sc *scratch, workers int) error {
	if l.Kind == nn.KindDepthwise {
		if err := checkDepthwise(l); err != nil {
			return err
		}
		depthwise(l, x, w, out, ep, workers)
		return nil
	}
	oh, ow := l.OutH(), l.OutW()
	p := oh * ow
	cg, kg := l.C/l.Groups, l.K/l.Groups
	crs := cg * l.R * l.S
	if err := checkGemm(kg, p, crs); err != nil {
		return err
	}
	direct := l.R == 1 && l.S == 1 && l.StrideH == 1 && l.StrideW == 1 && l.Pad == (nn.Pad{})
	var col []float32
	if !direct {
		col = sc.get(crs * p)
	}
	for n := 0; n < l.N; n++ {
		for g := 0; g < l.Groups; g++ {
			xin := x[(n*l.C+g*cg)*l.H*l.W : (n*l.C+(g+1)*cg)*l.H*l.W]
			b := xin
			if !direct {
				im2col(l, cg, xin, col, workers)
				b = col
			}
			a := w[g*kg*crs : (g+1)*kg*crs]
			c := out[(n*l.K+g*kg)*p : (n*l.K+(g+1)*kg)*p]
			e := ep
			if e.bias != nil {
				e.bias = e.bias[g*kg : (g+1)*kg]
			}
			gemm(kg, p, crs, mat{a, crs, 1}, mat{b, p, 1}, c, p, e, workers, &sc.gemm)
		}
	}
	return nil
}

// checkLayer returns an error when a Conv or Dense layer's shapes exceed
// the kernels' limits; forward calls it before allocating the output.
func checkLayer(l nn.Layer) error {
	out := float64(l.N) * float64(l.K) * float64(l.OutH()) * float64(l.OutW())
	if out > maxGemmDim*4 {
		return fmt.Errorf("layer %q: output of %d x %d x %d x %d elements exceeds the kernels' limit of %d", l.Name, l.N, l.K, l.OutH(), l.OutW(), maxGemmDim*4)
	}
	var err error
	switch {
	case l.Kind == nn.KindDense:
		err = checkGemm(l.N, l.K, l.C)
	case l.Kind == nn.KindDepthwise:
		err = checkDepthwise(l)
	default:
		err = checkGemm(l.K/l.Groups, l.OutH()*l.OutW(), l.C/l.Groups*l.R*l.S)
	}
	if err != nil {
		return fmt.Errorf("layer %q: %w; split the layer or its input", l.Name, err)
	}
	return nil
}

// checkDepthwise returns an error when a depthwise layer's padded plane
// exceeds the kernel's limits.
func checkDepthwise(l nn.Layer) error {
	hp, wp := l.H+l.Pad.Top+l.Pad.Bottom, l.W+l.Pad.Left+l.Pad.Right
	if float64(hp)*float64(wp) > maxGemmDim || l.R*l.S > maxGemmDim {
		return fmt.Errorf("depthwise plane of %d x %d (padded) with a %d x %d window exceeds the kernel's limit of %d elements", hp, wp, l.R, l.S, maxGemmDim)
	}
	return nil
}

// im2col writes the (cg*R*S) x (OutH*OutW) patch matrix of one image's
// group of cg channels: row (c, r, s), column (oy, ox) holds
// x[c][oy*strideH - padTop + r][ox*strideW - padLeft + s], zero outside.
func im2col(l nn.Layer, cg int, x, col []float32, workers int) {
	oh, ow := l.OutH(), l.OutW()
	p := oh * ow
	rows := cg * l.R * l.S
	parallelFor(rows, workers, func(lo, hi int) {
		for row := lo; row < hi; row++ {
			c := row / (l.R * l.S)
			r := row / l.S % l.R
			s := row % l.S
			dst := col[row*p : (row+1)*p]
			plane := x[c*l.H*l.W : (c+1)*l.H*l.W]
			// Output columns whose input column lies inside the image.
			oxLo, oxHi := validRange(ow, l.W, l.StrideW, l.Pad.Left, s)
			for oy := 0; oy < oh; oy++ {
				d := dst[oy*ow : (oy+1)*ow]
				iy := oy*l.StrideH - l.Pad.Top + r
				if iy < 0 || iy >= l.H || oxLo >= oxHi {
					clear(d)
					continue
				}
				clear(d[:oxLo])
				clear(d[oxHi:])
				src := plane[iy*l.W : (iy+1)*l.W]
				ix := oxLo*l.StrideW - l.Pad.Left + s
				if l.StrideW == 1 {
					copy(d[oxLo:oxHi], src[ix:ix+oxHi-oxLo])
					continue
				}
				for ox := oxLo; ox < oxHi; ox++ {
					d[ox] = src[ix]
					ix += l.StrideW
				}
			}
		}
	})
}

// validRange returns the output positions [lo, hi) along one axis whose
// input position o*stride - pad + k lies in [0, in).
func validRange(out, in, stride, pad, k int) (lo, hi int) {
	// o*stride >= pad - k
	lo = 0
	if pad-k > 0 {
		lo = (pad - k + stride - 1) / stride
	}
	// o*stride <= in - 1 + pad - k
	lim := in - 1 + pad - k
	if lim < 0 {
		return 0, 0
	}
	hi = min(lim/stride+1, out)
	if lo > hi {
		lo = hi
	}
	return lo, hi
}

// dense computes out (N x K) = x (N x C) times the transposed weights
// (K x C).
func dense(l nn.Layer, x, w, out []float32, sc *scratch, workers int) {
	gemm(l.N, l.K, l.C, mat{x, l.C, 1}, mat{w, 1, l.C}, out, l.K, epilogue{}, workers, &sc.gemm)
}

// biasAct adds a per-channel bias (nil: none) to an N x K x P tensor and
// applies the fused activation. A fused softmax normalises over the K
// channels at each position (Keras applies it over the last NHWC axis, the
// channels); for a dense layer (P = 1) that is the last axis.
func biasAct(out []float32, n, k, p int, bias []float32, act nn.Activation, workers int) {
	if act == nn.ActSoftmax {
		addBias(out, n, k, p, bias, workers)
		if p == 1 {
			softmax(out, k)
			return
		}
		row := make([]float32, k)
		for i := 0; i < n; i++ {
			img := out[i*k*p : (i+1)*k*p]
			for j := 0; j < p; j++ {
				for c := range row {
					row[c] = img[c*p+j]
				}
				softmax(row, k)
				for c, v := range row {
					img[c*p+j] = v
				}
			}
		}
		return
	}
	parallelFor(n*k, workers, func(lo, hi int) {
		for nk := lo; nk < hi; nk++ {
			d := out[nk*p : (nk+1)*p]
			if bias != nil {
				b := bias[nk%k]
				for i := range d {
					d[i] += b
				}
			}
			activate(d, act)
		}
	})
}

func addBias(out []float32, n, k, p int, bias []float32, workers int) {
	if bias == nil {
		return
	}
	parallelFor(n*k, workers, func(lo, hi int) {
		for nk := lo; nk < hi; nk++ {
			d := out[nk*p : (nk+1)*p]
			b := bias[nk%k]
			for i := range d {
				d[i] += b
			}
		}
	})
}

// activate applies an element-wise activation in place (not softmax).
func activate(d []float32, act nn.Activation) {
	switch act {
	case nn.ActReLU:
		clampVec(d, 0, float32(math.Inf(1)))
	case nn.ActReLU6:
		clampVec(d, 0, 6)
	case nn.ActSigmoid:
		for i, v := range d {
			d[i] = sigmoid(v)
		}
	}
}

func sigmoid(v float32) float32 {
	return float32(1 / (1 + math.Exp(-float64(v))))
}

// softmax applies a softmax over consecutive rows of length k, computed in
// float64 after subtracting the row maximum.
func softmax(d []float32, k int) {
	if k == 0 {
		return
	}
	for lo := 0; lo+k <= len(d); lo += k {
		row := d[lo : lo+k]
		m := row[0]
		for _, v := range row {
			if v > m {
				m = v
			}
		}
		sum := 0.0
		for _, v := range row {
			sum += math.Exp(float64(v - m))
		}
		for i, v := range row {
			row[i] = float32(math.Exp(float64(v-m)) / sum)
		}
	}
}
