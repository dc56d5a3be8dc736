//go:build !amd64

package infer

func simdSupported() bool { return false }

// simdMissing is empty: other architectures have no assembly kernels, which
// is not worth a notice.
func simdMissing() string { return "" }

var (
	simdKernel   = kernelGo
	simdDWKernel = dwKernelGo
	simdClampFn  = clampGo
	simdAddFn    = addGo
)
