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
)

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
		kernel, dwKernel = simdKernel, simdDWKernel
		return true
	}
	kernel, dwKernel = kernelGo, dwKernelGo
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
