package infer

import (
	"fmt"
	"os"
	"sync"
)

// The micro-kernels in use. On amd64 with AVX2 and FMA they are the
// assembly kernels; elsewhere (and when forced by tests) the portable Go
// kernels compute the same sums with separate multiplies and adds.
var (
	kernel   = kernelGo
	dwKernel = dwKernelGo
	clampVec = clampGo
	addVec   = addGo
)

// clampGo clamps d to [lo, hi] in place, keeping NaN.
func clampGo(d []float32, lo, hi float32) {
	for i, v := range d {
		d[i] = clampF(v, lo, hi)
	}
}

// addGo adds src to dst element-wise.
func addGo(dst, src []float32) {
	src = src[:len(dst)]
	for i, v := range src {
		dst[i] += v
	}
}

var fallbackNotice sync.Once

// noticeFallback prints, once per process, that the portable kernels run
// because the CPU lacks the instructions the assembly kernels need.
func noticeFallback(why string) {
	fallbackNotice.Do(func() {
		fmt.Fprintf(os.Stderr, "infer: %s; using the portable (slower) Go kernels\n", why)
	})
}

// useSIMD switches between the assembly kernels (when the CPU has them)
// and the portable ones; it returns whether the assembly kernels are now in
// use. Tests force the portable path with useSIMD(false).
func useSIMD(on bool) bool {
	if on && simdSupported() {
		kernel, dwKernel, clampVec, addVec = simdKernel, simdDWKernel, simdClampFn, simdAddFn
		return true
	}
	kernel, dwKernel, clampVec, addVec = kernelGo, dwKernelGo, clampGo, addGo
	return false
}

func init() { useSIMD(true) }

// checkFallback prints the fallback notice (once) on the first forward
// pass of a CPU that lacks the assembly kernels' instructions.
func checkFallback() {
	if why := simdMissing(); why != "" {
		noticeFallback(why)
	}
}
