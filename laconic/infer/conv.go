package infer

import (
	"math"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/laconiclab/toolkit/laconic/nn"
)

// sgemm is gonum's native float32 matrix multiply: blocked, with assembly
// inner loops, split over GOMAXPROCS goroutines. Every output block is
// summed by one goroutine in a fixed order, so results are deterministic.
var sgemm = gonum.Implementation{}.Sgemm

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

// scratch is a reusable im2col buffer.
type scratch struct{ buf []float32 }

func (s *scratch) get(n int) []float32 {
	if cap(s.buf) < n {
		s.buf = make([]float32, n)
	}
	return s.buf[:n]
}

// conv computes a convolution layer (bias and fused activation excluded)
// into out (N x K x OutH x OutW). Depthwise layers use a direct loop; all
// others im2col (skipped for 1x1 unpadded unit-stride layers) followed by a
// matrix multiply per image and group.
func conv(l nn.Layer, x, w []float32, out []float32, sc *scratch, workers int) {
	if l.Kind == nn.KindDepthwise {
		depthwise(l, x, w, out, workers)
		return
	}
	oh, ow := l.OutH(), l.OutW()
	p := oh * ow
	cg, kg := l.C/l.Groups, l.K/l.Groups
	crs := cg * l.R * l.S
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
			sgemm(blas.NoTrans, blas.NoTrans, kg, p, crs, 1, a, crs, b, p, 0, c, p)
		}
	}
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

// depthwise computes a depthwise convolution (Groups == C, K = C*m filters
// of one channel each) directly: for each output plane it accumulates the
// kernel taps in (r, s) order, each tap as a strided row update, in float64
// (as TensorFlow.js's CPU kernels do), rounding once to float32.
func depthwise(l nn.Layer, x, w []float32, out []float32, workers int) {
	oh, ow := l.OutH(), l.OutW()
	m := l.K / l.C
	rs := l.R * l.S
	parallelFor(l.N*l.K, workers, func(lo, hi int) {
		acc := make([]float64, ow)
		for nk := lo; nk < hi; nk++ {
			n, k := nk/l.K, nk%l.K
			c := k / m
			plane := x[(n*l.C+c)*l.H*l.W : (n*l.C+c+1)*l.H*l.W]
			dst := out[nk*oh*ow : (nk+1)*oh*ow]
			wk := w[k*rs : (k+1)*rs]
			for oy := 0; oy < oh; oy++ {
				clear(acc)
				for r := 0; r < l.R; r++ {
					iy := oy*l.StrideH - l.Pad.Top + r
					if iy < 0 || iy >= l.H {
						continue
					}
					src := plane[iy*l.W : (iy+1)*l.W]
					for s := 0; s < l.S; s++ {
						wv := float64(wk[r*l.S+s])
						oxLo, oxHi := validRange(ow, l.W, l.StrideW, l.Pad.Left, s)
						if oxLo >= oxHi {
							continue
						}
						ix := oxLo*l.StrideW - l.Pad.Left + s
						if l.StrideW == 1 {
							dd := acc[oxLo:oxHi]
							ss := src[ix : ix+len(dd)]
							for i := range dd {
								dd[i] += wv * float64(ss[i])
							}
							continue
						}
						for ox := oxLo; ox < oxHi; ox++ {
							acc[ox] += wv * float64(src[ix])
							ix += l.StrideW
						}
					}
				}
				d := dst[oy*ow : (oy+1)*ow]
				for i, v := range acc {
					d[i] = float32(v)
				}
			}
		}
	})
}

// dense computes out (N x K) = x (N x C) times the transposed weights
// (K x C).
func dense(l nn.Layer, x, w, out []float32) {
	sgemm(blas.NoTrans, blas.Trans, l.N, l.K, l.C, 1, x, l.C, w, l.C, 0, out, l.K)
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
		for i, v := range d {
			if v < 0 {
				d[i] = 0
			}
		}
	case nn.ActReLU6:
		for i, v := range d {
			if v < 0 {
				d[i] = 0
			} else if v > 6 {
				d[i] = 6
			}
		}
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
