package infer

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/laconiclab/toolkit/laconic/nn"
)

// refConv is the obviously-correct direct convolution: every output is the
// sum over its group's channels and the kernel window, in (c, r, s) order,
// with padded positions skipped, accumulated in float64.
func refConv(l nn.Layer, x, w, bias []float32) []float32 {
	oh, ow := l.OutH(), l.OutW()
	cg, kg := l.C/l.Groups, l.K/l.Groups
	out := make([]float32, l.N*l.K*oh*ow)
	for n := 0; n < l.N; n++ {
		for k := 0; k < l.K; k++ {
			g := k / kg
			for oy := 0; oy < oh; oy++ {
				for ox := 0; ox < ow; ox++ {
					var sum float64
					for c := 0; c < cg; c++ {
						for r := 0; r < l.R; r++ {
							for s := 0; s < l.S; s++ {
								iy := oy*l.StrideH - l.Pad.Top + r
								ix := ox*l.StrideW - l.Pad.Left + s
								if iy < 0 || iy >= l.H || ix < 0 || ix >= l.W {
									continue
								}
								xv := x[((n*l.C+g*cg+c)*l.H+iy)*l.W+ix]
								wv := w[((k*cg+c)*l.R+r)*l.S+s]
								sum += float64(xv) * float64(wv)
							}
						}
					}
					if bias != nil {
						sum += float64(bias[k])
					}
					out[((n*l.K+k)*oh+oy)*ow+ox] = float32(sum)
				}
			}
		}
	}
	return out
}

// refDense is the direct fully connected layer.
func refDense(l nn.Layer, x, w, bias []float32) []float32 {
	out := make([]float32, l.N*l.K)
	for n := 0; n < l.N; n++ {
		for k := 0; k < l.K; k++ {
			var sum float64
			for c := 0; c < l.C; c++ {
				sum += float64(x[n*l.C+c]) * float64(w[k*l.C+c])
			}
			if bias != nil {
				sum += float64(bias[k])
			}
			out[n*l.K+k] = float32(sum)
		}
	}
	return out
}

// fill returns n values: small integers in [-8, 8] when integral (every
// product and partial sum is then exact in float32, so any summation order
// gives the same bits), or uniform floats in [-1, 1).
func fill(r *rand.Rand, n int, integral bool) []float32 {
	v := make([]float32, n)
	for i := range v {
		if integral {
			v[i] = float32(r.IntN(17) - 8)
		} else {
			v[i] = float32(r.Float64()*2 - 1)
		}
	}
	return v
}

// convCases are random layers covering stride, padding, groups, depthwise
// (with channel multipliers), 1x1 shortcuts and batches.
var convCases = []nn.Layer{
	{Name: "3x3 s1 p1", Kind: nn.KindConv, N: 1, C: 3, H: 9, W: 11, K: 8, R: 3, S: 3, StrideH: 1, StrideW: 1, Pad: nn.Pad{Top: 1, Bottom: 1, Left: 1, Right: 1}, Groups: 1},
	{Name: "5x5 s2 asym", Kind: nn.KindConv, N: 2, C: 4, H: 13, W: 10, K: 6, R: 5, S: 5, StrideH: 2, StrideW: 2, Pad: nn.Pad{Top: 1, Bottom: 2, Left: 1, Right: 2}, Groups: 1},
	{Name: "1x1", Kind: nn.KindConv, N: 3, C: 16, H: 7, W: 5, K: 24, R: 1, S: 1, StrideH: 1, StrideW: 1, Groups: 1},
	{Name: "1x1 s2", Kind: nn.KindConv, N: 1, C: 8, H: 8, W: 8, K: 4, R: 1, S: 1, StrideH: 2, StrideW: 2, Groups: 1},
	{Name: "3x1 s(2,1)", Kind: nn.KindConv, N: 2, C: 5, H: 12, W: 9, K: 7, R: 3, S: 1, StrideH: 2, StrideW: 1, Pad: nn.Pad{Top: 1, Bottom: 1}, Groups: 1},
	{Name: "1x7 p3", Kind: nn.KindConv, N: 1, C: 6, H: 6, W: 17, K: 5, R: 1, S: 7, StrideH: 1, StrideW: 1, Pad: nn.Pad{Left: 3, Right: 3}, Groups: 1},
	{Name: "grouped", Kind: nn.KindGrouped, N: 2, C: 8, H: 9, W: 9, K: 12, R: 3, S: 3, StrideH: 1, StrideW: 2, Pad: nn.Pad{Top: 1, Bottom: 1, Left: 1, Right: 1}, Groups: 4},
	{Name: "depthwise", Kind: nn.KindDepthwise, N: 2, C: 6, H: 10, W: 12, K: 6, R: 3, S: 3, StrideH: 1, StrideW: 1, Pad: nn.Pad{Top: 1, Bottom: 1, Left: 1, Right: 1}, Groups: 6},
	{Name: "depthwise s2 same", Kind: nn.KindDepthwise, N: 1, C: 5, H: 11, W: 8, K: 5, R: 3, S: 3, StrideH: 2, StrideW: 2, Pad: nn.Pad{Top: 1, Bottom: 1, Left: 0, Right: 1}, Groups: 5},
	{Name: "depthwise x2", Kind: nn.KindDepthwise, N: 2, C: 3, H: 7, W: 7, K: 6, R: 5, S: 5, StrideH: 2, StrideW: 1, Pad: nn.Pad{Top: 2, Bottom: 2, Left: 2, Right: 2}, Groups: 3},
	{Name: "big pad", Kind: nn.KindConv, N: 1, C: 2, H: 3, W: 3, K: 3, R: 3, S: 3, StrideH: 3, StrideW: 1, Pad: nn.Pad{Top: 2, Bottom: 2, Left: 2, Right: 2}, Groups: 1},
}

func TestConvMatchesReference(t *testing.T) {
	for i, l := range convCases {
		for _, integral := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/integral=%v", l.Name, integral), func(t *testing.T) {
				if err := l.Validate(); err != nil {
					t.Fatal(err)
				}
				r := rand.New(rand.NewPCG(uint64(i), 7))
				x := fill(r, l.N*l.C*l.H*l.W, integral)
				w := fill(r, nn.NumElements(l.WeightShape()), integral)
				bias := fill(r, l.K, integral)
				for _, act := range []nn.Activation{nn.ActNone, nn.ActReLU6, nn.ActSigmoid} {
					want := refConv(l, x, w, bias)
					activate(want, act)
					for path := range kernelPaths(t) {
						for _, workers := range []int{1, 3} {
							got := make([]float32, len(want))
							var sc scratch
							if err := layer(l, x, w, bias, act, got, &sc, workers); err != nil {
								t.Fatal(err)
							}
							t.Logf("%s %s workers=%d", act, path, workers)
							compare(t, got, want, integral)
						}
					}
				}
			})
		}
	}
}

func TestDenseMatchesReference(t *testing.T) {
	for i, l := range []nn.Layer{
		{Name: "fc 3", Kind: nn.KindDense, N: 3, C: 300, H: 1, W: 1, K: 70, R: 1, S: 1, StrideH: 1, StrideW: 1, Groups: 1},
		{Name: "fc", Kind: nn.KindDense, N: 1, C: 37, H: 1, W: 1, K: 5, R: 1, S: 1, StrideH: 1, StrideW: 1, Groups: 1},
		{Name: "fc batch 7", Kind: nn.KindDense, N: 7, C: 600, H: 1, W: 1, K: 35, R: 1, S: 1, StrideH: 1, StrideW: 1, Groups: 1},
		{Name: "fc batch", Kind: nn.KindDense, N: 4, C: 300, H: 1, W: 1, K: 17, R: 1, S: 1, StrideH: 1, StrideW: 1, Groups: 1},
	} {
		for _, integral := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/integral=%v", l.Name, integral), func(t *testing.T) {
				r := rand.New(rand.NewPCG(uint64(i), 9))
				x := fill(r, l.N*l.C, integral)
				w := fill(r, l.K*l.C, integral)
				bias := fill(r, l.K, integral)
				want := refDense(l, x, w, bias)
				for range kernelPaths(t) {
					got := make([]float32, len(want))
					var sc scratch
					if err := layer(l, x, w, bias, nn.ActNone, got, &sc, 2); err != nil {
						t.Fatal(err)
					}
					compare(t, got, want, integral)
					// A fused ReLU6 and an unfused sigmoid.
					want6 := slices.Clone(want)
					activate(want6, nn.ActReLU6)
					if err := layer(l, x, w, bias, nn.ActReLU6, got, &sc, 1); err != nil {
						t.Fatal(err)
					}
					compare(t, got, want6, integral)
					if err := layer(l, x, w, bias, nn.ActNone, got, &sc, 3); err != nil {
						t.Fatal(err)
					}
					compare(t, got, want, integral)
				}
			})
		}
	}
}

// compare requires bit equality for integral data and a 1e-5 relative error
// (against the largest magnitude) otherwise.
func compare(t *testing.T, got, want []float32, exact bool) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d values, want %d", len(got), len(want))
	}
	scale := float32(1e-30)
	for _, v := range want {
		scale = max(scale, float32(math.Abs(float64(v))))
	}
	for i := range got {
		if exact && got[i] != want[i] {
			t.Fatalf("element %d: got %v, want %v exactly", i, got[i], want[i])
		}
		if d := math.Abs(float64(got[i] - want[i])); d > 1e-5*float64(scale) {
			t.Fatalf("element %d: got %v, want %v (|diff| %g > 1e-5 * %g)", i, got[i], want[i], d, scale)
		}
	}
}

func TestValidRange(t *testing.T) {
	// Compare the closed form with a scan for many geometries.
	for out := 1; out < 7; out++ {
		for in := 1; in < 9; in++ {
			for stride := 1; stride < 4; stride++ {
				for pad := 0; pad < 4; pad++ {
					for k := 0; k < 5; k++ {
						lo, hi := validRange(out, in, stride, pad, k)
						for o := 0; o < out; o++ {
							i := o*stride - pad + k
							inside := i >= 0 && i < in
							if inside != (o >= lo && o < hi) {
								t.Fatalf("validRange(%d,%d,%d,%d,%d) = [%d,%d), position %d inside=%v", out, in, stride, pad, k, lo, hi, o, inside)
							}
						}
					}
				}
			}
		}
	}
}

func TestActivations(t *testing.T) {
	tests := []struct {
		act  nn.Activation
		in   []float32
		want []float32
	}{
		{nn.ActNone, []float32{-1, 0, 7}, []float32{-1, 0, 7}},
		{nn.ActReLU, []float32{-1, 0, 7}, []float32{0, 0, 7}},
		{nn.ActReLU6, []float32{-1, 3, 7}, []float32{0, 3, 6}},
		{nn.ActSigmoid, []float32{0, float32(math.Log(3))}, []float32{0.5, 0.75}},
		{nn.ActSoftmax, []float32{0, float32(math.Log(3))}, []float32{0.25, 0.75}},
	}
	for _, tc := range tests {
		t.Run(string(tc.act), func(t *testing.T) {
			d := append([]float32(nil), tc.in...)
			biasAct(d, 1, len(d), 1, nil, tc.act, 1)
			for i := range d {
				if math.Abs(float64(d[i]-tc.want[i])) > 1e-6 {
					t.Fatalf("got %v, want %v", d, tc.want)
				}
			}
		})
	}
}
