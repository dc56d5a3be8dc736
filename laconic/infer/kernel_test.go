package infer

import (
	"iter"
	"testing"
)

// kernelPaths yields the kernel paths to test, "simd" (when the CPU has the
// assembly kernels) and "portable", with each selected while the loop body
// runs; the default is restored afterwards.
func kernelPaths(t testing.TB) iter.Seq[string] {
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
