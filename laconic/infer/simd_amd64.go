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

// clampAVX2 clamps n floats at d to [lo, hi] (simd_amd64.s).
//
//go:noescape
func clampAVX2(d *float32, n int, lo, hi float32)

// addAVX2 adds n floats at src to those at dst (simd_amd64.s).
//
//go:noescape
func addAVX2(dst, src *float32, n int)

func simdClamp(d []float32, lo, hi float32) {
	if len(d) > 0 {
		clampAVX2(&d[0], len(d), lo, hi)
	}
}

func simdAdd(dst, src []float32) {
	if len(dst) > 0 {
		addAVX2(&dst[0], &src[:len(dst)][0], len(dst))
	}
}

var (
	simdKernel   = kern6x16AVX2
	simdDWKernel = dwAVX2
	simdClampFn  = simdClamp
	simdAddFn    = simdAdd
)
