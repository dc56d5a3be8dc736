package infer

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/laconiclab/toolkit/laconic/nn"
)

// naiveGemm is the triple loop in float64, plus the bound on the error of
// any float32 summation order (with or without fused multiply-adds):
// |fl(sum) - sum| <= gamma(k+2) * (sum |a||b| + |bias|), gamma(n) = n u / (1 - n u),
// u = 2^-24 (k products, the bias add and the final rounding).
func naiveGemm(m, n, k int, a, b mat, bias []float32) (want, bound []float64) {
	want = make([]float64, m*n)
	bound = make([]float64, m*n)
	u := math.Ldexp(1, -24)
	g := float64(k+2) * u / (1 - float64(k+2)*u)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s, abs float64
			for p := 0; p < k; p++ {
				v := float64(a.data[i*a.rs+p*a.cs]) * float64(b.data[p*b.rs+j*b.cs])
				s += v
				abs += math.Abs(v)
			}
			if bias != nil {
				s += float64(bias[i])
				abs += math.Abs(float64(bias[i]))
			}
			want[i*n+j] = s
			bound[i*n+j] = g * abs
		}
	}
	return want, bound
}

// TestGemmProperty checks the SGEMM (both kernel paths) against the naive
// triple loop on random shapes, including sizes that are not multiples of
// the tile or of the blocks, transposed (strided) B, and a fused bias and
// clamp: every element lies within the float32 reordering bound, is exact
// on small integers, and is the same bits for every worker count.
func TestGemmProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	shapes := [][3]int{{1, 1, 1}, {6, 16, 1}, {5, 15, 3}, {7, 17, 257}, {13, 300, 40}, {72, 33, 512}, {73, 257, 9}, {1, 1000, 600}, {130, 5, 70}}
	for range 12 {
		shapes = append(shapes, [3]int{1 + r.IntN(80), 1 + r.IntN(300), 1 + r.IntN(600)})
	}
	for _, sh := range shapes {
		m, n, k := sh[0], sh[1], sh[2]
		for _, integral := range []bool{true, false} {
			for _, transB := range []bool{false, true} {
				name := fmt.Sprintf("%dx%dx%d/int=%v/transB=%v", m, n, k, integral, transB)
				t.Run(name, func(t *testing.T) {
					a := mat{fill(r, m*k, integral), k, 1}
					b := mat{fill(r, k*n, integral), n, 1}
					if transB {
						b = mat{b.data, 1, k}
					}
					bias := fill(r, m, integral)
					ep := epilogue{bias: bias}
					want, bound := naiveGemm(m, n, k, a, b, bias)
					clamped := r.IntN(2) == 0
					if clamped {
						ep.clamp, ep.lo, ep.hi = true, -2, 3
					}
					for path := range kernelPaths(t) {
						var ref []float32
						for _, workers := range []int{1, 2, 3, 8} {
							got := make([]float32, m*n)
							var sc gemmScratch
							gemm(m, n, k, a, b, got, n, ep, workers, &sc)
							for i, v := range got {
								w, bd := want[i], bound[i]
								if clamped {
									w = min(max(w, -2), 3)
								}
								d := math.Abs(float64(v) - w)
								if integral && d != 0 || d > bd {
									t.Fatalf("%s workers=%d element %d: got %v, want %v (bound %g)", path, workers, i, v, w, bd)
								}
							}
							if ref == nil {
								ref = got
							} else if !slices.Equal(got, ref) {
								t.Fatalf("%s: workers=%d gives other bits than workers=1", path, workers)
							}
						}
					}
				})
			}
		}
	}
}

// TestDepthwiseWorkersAndPaths checks bit equality over worker counts and
// the reference (within 1e-5) on both kernel paths for depthwise layers.
func TestDepthwiseWorkersAndPaths(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, l := range []nn.Layer{
		{Name: "dw5", Kind: nn.KindDepthwise, N: 2, C: 7, H: 33, W: 17, K: 7, R: 5, S: 5, StrideH: 1, StrideW: 1, Pad: nn.Pad{Top: 2, Bottom: 2, Left: 2, Right: 2}, Groups: 7},
		{Name: "dw3s2", Kind: nn.KindDepthwise, N: 1, C: 4, H: 65, W: 70, K: 8, R: 3, S: 3, StrideH: 2, StrideW: 2, Pad: nn.Pad{Bottom: 1, Right: 1}, Groups: 4},
	} {
		x := fill(r, nn.NumElements(l.InputShape()), false)
		w := fill(r, nn.NumElements(l.WeightShape()), false)
		want := refConv(l, x, w, nil)
		for path := range kernelPaths(t) {
			var ref []float32
			for _, workers := range []int{1, 2, 5} {
				got := make([]float32, len(want))
				var sc scratch
				if err := layer(l, x, w, nil, nn.ActNone, got, &sc, workers); err != nil {
					t.Fatal(err)
				}
				compare(t, got, want, false)
				if ref == nil {
					ref = got
				} else if !slices.Equal(ref, got) {
					t.Fatalf("%s %s: workers=%d gives other bits", l.Name, path, workers)
				}
			}
		}
	}
}

// TestKernelLimits: layers whose shapes overflow the kernels' limits fail
// with an error naming the layer, before any output is allocated.
func TestKernelLimits(t *testing.T) {
	huge := 1 << 13 // a 16385 x 16385 output: within the tensor limit, beyond the kernels'
	g := &nn.Graph{Name: "huge", Nodes: []*nn.Node{
		{Name: "in", Op: nn.OpInput, Attrs: nn.Attrs{Shape: []int{1, 1, 1}}},
		{Name: "blowup", Op: nn.OpConv, Inputs: []string{"in"}, Weights: nn.NewTensor(1, 1, 1, 1),
			Attrs: nn.Attrs{Pad: nn.Pad{Top: huge, Bottom: huge, Left: huge, Right: huge}}},
	}}
	_, err := Run(g, nn.NewTensor(1, 1, 1, 1), DefaultOptions())
	if err == nil || !strings.Contains(err.Error(), "blowup") || !strings.Contains(err.Error(), "limit") {
		t.Fatalf("error %v, want one naming the layer and the limit", err)
	}
	for _, tc := range []struct{ m, n, k int }{{maxGemmDim + 1, 1, 1}, {1, maxGemmDim + 1, 1}, {1, 1, maxGemmDim + 1}, {1 << 16, 1 << 16, 1 << 16}} {
		if err := checkGemm(tc.m, tc.n, tc.k); err == nil {
			t.Errorf("checkGemm(%d, %d, %d) = nil, want an error", tc.m, tc.n, tc.k)
		}
	}
	if err := checkGemm(1000, 50000, 4608); err != nil {
		t.Errorf("checkGemm on a large real layer: %v", err)
	}
}

// TestWrongInputSize: an input whose size differs from the graph's gets an
// error naming the input and the expected shape.
func TestWrongInputSize(t *testing.T) {
	g := smallNet(2)
	_, err := Run(g, nn.NewTensor(1, 3, 12, 12), DefaultOptions())
	if err == nil || !strings.Contains(err.Error(), "in") {
		t.Fatalf("error %v, want one naming the input", err)
	}
	t.Log(err)
}
