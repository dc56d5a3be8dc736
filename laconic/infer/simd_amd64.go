package infer

import "golang.org/x/sys/cpu"

func simdSupported() bool { return cpu.X86.HasAVX2 && cpu.X86.HasFMA }

func simdMissing() string {
	if simdSupported() {
		return ""
	}
	return "the CPU lacks AVX2 or FMA"
}

// kern6x16AVX2 is the assembly micro-kernel (simd_amd64.s): a 6 x 16 tile
// of C over k packed terms, with the flags' epilogue.
//
//go:noescape
func kern6x16AVX2(k int, a, b, c *float32, ldc int, flags int, bias *float32, lo, hi float32)

// dwAVX2 is the assembly depthwise kernel (simd_amd64.s); see dwKernelGo.
//
//go:noescape
func dwAVX2(out *float32, groups int, in *float32, ld int, w *float32, r, s int, flags int, bias, lo, hi float32)

var (
	simdKernel   = kern6x16AVX2
	simdDWKernel = dwAVX2
)
