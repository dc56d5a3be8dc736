package infer

import (
	"iter"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// kernelPaths yields the kernel paths to test, "simd" (when the CPU has the
// assembly kernels) and "portable", with each selected while the loop body
// runs; the default is restored afterwards.
func kernelPaths(testing.TB) iter.Seq[string] {
	return func(yield func(string) bool) {
		defer useSIMD(true)
		if useSIMD(true) {
			if !yield("simd") {
				return
			}
		}
		useSIMD(false)
		yield("portable")
	}
}

// TestVectorOps: the vector clamp and add agree bit for bit with the
// portable loops on every length around the unrolling, NaN and -0 included.
func TestVectorOps(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	for n := 0; n < 70; n++ {
		x := fill(r, n, false)
		y := fill(r, n, false)
		if n > 3 {
			x[1], x[2], x[3] = float32(math.NaN()), float32(math.Copysign(0, -1)), 7
		}
		for _, c := range [][2]float32{{0, float32(math.Inf(1))}, {0, 6}, {-0.5, 0.25}} {
			want := slices.Clone(x)
			clampGo(want, c[0], c[1])
			got := slices.Clone(x)
			clampVec(got, c[0], c[1])
			if !bitsEqual(got, want) {
				t.Fatalf("n=%d clamp %v: %v, want %v", n, c, got, want)
			}
		}
		want := slices.Clone(x)
		addGo(want, y)
		got := slices.Clone(x)
		addVec(got, y)
		if !bitsEqual(got, want) {
			t.Fatalf("n=%d add: %v, want %v", n, got, want)
		}
	}
}

func bitsEqual(a, b []float32) bool {
	return slices.EqualFunc(a, b, func(x, y float32) bool { return math.Float32bits(x) == math.Float32bits(y) })
}
