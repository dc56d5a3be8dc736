package infer

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"unsafe"

	"github.com/laconiclab/toolkit/laconic/nn"
)

// The matrix multiply is a packed, cache-blocked SGEMM in the manner of
// Goto's algorithm: C (m x n) = A (m x k) B (k x n). A is packed once into
// panels of gemmMR rows, B block by block into panels of gemmNR columns, and
// a micro-kernel computes one gemmMR x gemmNR tile of C over a block of
// gemmKC terms with all partial sums in registers.
//
// Every element of C is the float32 sum of its k products taken in
// increasing order within each block of gemmKC terms (fused multiply-adds
// on the assembly path), the blocks added in increasing order; the bias and
// the clamp of a fused activation come last. That order depends only on k,
// never on the number of workers or the tile an element falls in, so the
// result is the same bits for every worker count.
const (
	gemmMR = 6   // rows of a micro-tile (output channels)
	gemmNR = 16  // columns of a micro-tile (output positions)
	gemmKC = 256 // terms per block: a B panel of gemmKC x gemmNR floats is 16 KiB (L1)
	gemmNC = 256 // columns per packed B block (gemmKC x gemmNC floats: 256 KiB, L2)
	gemmMC = 72  // rows of A per pass over a packed B block (72 KiB of A, L2)
)

// maxGemmDim bounds every dimension (and the packed sizes) so that index
// arithmetic stays far inside int32 on every platform and packed buffers
// stay allocatable: a layer beyond it gets an error, not a wrong result.
const maxGemmDim = 1 << 28

// Micro-kernel flags.
const (
	kAccumulate = 1 << iota // add the tile to C instead of storing it
	kBias                   // add bias[row] (after the sum)
	kClamp                  // clamp to [lo, hi] (a fused ReLU or ReLU6)
)

// mat is a strided view of a matrix: element (i, j) is data[i*rs + j*cs].
type mat struct {
	data   []float32
	rs, cs int
}

// epilogue is what the last block of terms applies to a tile: an optional
// per-row bias, then an optional clamp.
type epilogue struct {
	bias   []float32 // per row of C; nil for none
	clamp  bool
	lo, hi float32
}

// gemmScratch holds packing buffers reused across calls.
type gemmScratch struct {
	a []float32
	b [][]float32 // one per worker
}

func growF32(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}

// checkGemm returns an error when a multiply's dimensions exceed the
// kernels' limits.
func checkGemm(m, n, k int) error {
	for _, d := range []struct {
		name string
		v    int
	}{{"rows (output channels)", m}, {"columns (output positions)", n}, {"terms (input channels x kernel size)", k}} {
		if d.v > maxGemmDim {
			return fmt.Errorf("matrix multiply %s = %d exceeds the kernels' limit %d", d.name, d.v, maxGemmDim)
		}
	}
	if float64(m)*float64(k) > maxGemmDim*4 || float64(k)*float64(n) > maxGemmDim*4 || float64(m)*float64(n) > maxGemmDim*4 {
		return fmt.Errorf("matrix multiply of %d x %d by %d x %d exceeds the kernels' limit of %d elements per matrix", m, k, k, n, maxGemmDim*4)
	}
	return nil
}

// gemm computes C (m x n, row stride ldc) = A B with the epilogue applied,
// split over workers (<= 0: GOMAXPROCS) by a fixed partition of C.
func gemm(m, n, k int, a, b mat, c []float32, ldc int, ep epilogue, workers int, sc *gemmScratch) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		for i := 0; i < m; i++ {
			row := c[i*ldc : i*ldc+n]
			clear(row)
			applyEpilogue(row, i, ep)
		}
		return
	}
	workers = resolveWorkers(workers)
	mPanels := (m + gemmMR - 1) / gemmMR
	mPad := mPanels * gemmMR
	sc.a = growF32(sc.a, mPad*k)
	packA(a, m, k, mPad, sc.a)
	nPanels := (n + gemmNR - 1) / gemmNR
	// Split C into workers parts: by column panels when there are enough,
	// otherwise by row panels.
	type part struct{ r0, r1, c0, c1 int }
	var parts []part
	if nPanels >= workers || nPanels >= mPanels {
		w := min(workers, nPanels)
		for i := 0; i < w; i++ {
			p0, p1 := nPanels*i/w, nPanels*(i+1)/w
			parts = append(parts, part{0, m, p0 * gemmNR, min(p1*gemmNR, n)})
		}
	} else {
		w := min(workers, mPanels)
		for i := 0; i < w; i++ {
			p0, p1 := mPanels*i/w, mPanels*(i+1)/w
			parts = append(parts, part{p0 * gemmMR, min(p1*gemmMR, m), 0, n})
		}
	}
	for len(sc.b) < len(parts) {
		sc.b = append(sc.b, nil)
	}
	run := func(i int) {
		p := parts[i]
		sc.b[i] = growF32(sc.b[i], gemmKC*gemmNC)
		gemmPart(p.r0, p.r1, p.c0, p.c1, k, mPad, sc.a, b, c, ldc, ep, sc.b[i])
	}
	if len(parts) == 1 {
		run(0)
		return
	}
	var wg sync.WaitGroup
	for i := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			run(i)
		}()
	}
	wg.Wait()
}

// gemmPart computes rows [r0, r1) (r0 a multiple of gemmMR) and columns
// [c0, c1) of C.
func gemmPart(r0, r1, c0, c1, k, mPad int, ap []float32, b mat, c []float32, ldc int, ep epilogue, bbuf []float32) {
	var tile [gemmMR * gemmNR]float32
	for jc := c0; jc < c1; jc += gemmNC {
		nb := min(gemmNC, c1-jc)
		for k0 := 0; k0 < k; k0 += gemmKC {
			kb := min(gemmKC, k-k0)
			packB(b, k0, kb, jc, nb, bbuf)
			flags := 0
			if k0 > 0 {
				flags |= kAccumulate
			}
			last := k0+kb == k
			if last && ep.bias != nil {
				flags |= kBias
			}
			if last && ep.clamp {
				flags |= kClamp
			}
			apBlock := ap[k0*mPad:]
			for i0 := r0; i0 < r1; i0 += gemmMC {
				i1 := min(i0+gemmMC, r1)
				for q := 0; q*gemmNR < nb; q++ {
					j := jc + q*gemmNR
					cols := min(gemmNR, c1-j)
					bp := bbuf[q*gemmNR*kb:]
					for i := i0; i < i1; i += gemmMR {
						rows := min(gemmMR, i1-i)
						a := apBlock[i*kb:]
						var bias *float32
						if flags&kBias != 0 {
							bias = &ep.bias[i]
							if rows < gemmMR {
								// The kernel reads gemmMR biases.
								var bb [gemmMR]float32
								copy(bb[:], ep.bias[i:i+rows])
								bias = &bb[0]
							}
						}
						if rows == gemmMR && cols == gemmNR {
							kernel(kb, &a[0], &bp[0], &c[i*ldc+j], ldc, flags, bias, ep.lo, ep.hi)
							continue
						}
						// Edge tile: compute in a full tile, copy back.
						if flags&kAccumulate != 0 {
							for r := 0; r < rows; r++ {
								copy(tile[r*gemmNR:r*gemmNR+cols], c[(i+r)*ldc+j:(i+r)*ldc+j+cols])
							}
						}
						kernel(kb, &a[0], &bp[0], &tile[0], gemmNR, flags, bias, ep.lo, ep.hi)
						for r := 0; r < rows; r++ {
							copy(c[(i+r)*ldc+j:(i+r)*ldc+j+cols], tile[r*gemmNR:r*gemmNR+cols])
						}
					}
				}
			}
		}
	}
}

// packA packs A (m x k) into dst: for each block of gemmKC terms starting
// at k0 (length kb), the panel of rows [6p, 6p+6) is kb groups of gemmMR
// values at dst[k0*mPad + 6p*kb]; rows beyond m are zero.
func packA(a mat, m, k, mPad int, dst []float32) {
	for k0 := 0; k0 < k; k0 += gemmKC {
		kb := min(gemmKC, k-k0)
		block := dst[k0*mPad : k0*mPad+mPad*kb]
		for i0 := 0; i0 < mPad; i0 += gemmMR {
			panel := block[i0*kb : (i0+gemmMR)*kb]
			if a.cs == 1 && i0+gemmMR <= m {
				// Six rows at once, written in order.
				b0 := i0*a.rs + k0
				r0 := a.data[b0 : b0+kb]
				r1 := a.data[b0+a.rs : b0+a.rs+kb]
				r2 := a.data[b0+2*a.rs : b0+2*a.rs+kb]
				r3 := a.data[b0+3*a.rs : b0+3*a.rs+kb]
				r4 := a.data[b0+4*a.rs : b0+4*a.rs+kb]
				r5 := a.data[b0+5*a.rs : b0+5*a.rs+kb]
				for p := range r0 {
					d := (*[gemmMR]float32)(panel[p*gemmMR:])
					d[0], d[1], d[2], d[3], d[4], d[5] = r0[p], r1[p], r2[p], r3[p], r4[p], r5[p]
				}
				continue
			}
			for r := 0; r < gemmMR; r++ {
				i := i0 + r
				if i >= m {
					for p := 0; p < kb; p++ {
						panel[p*gemmMR+r] = 0
					}
					continue
				}
				base := i*a.rs + k0*a.cs
				if a.cs == 1 {
					src := a.data[base : base+kb]
					for p, v := range src {
						panel[p*gemmMR+r] = v
					}
					continue
				}
				for p := 0; p < kb; p++ {
					panel[p*gemmMR+r] = a.data[base+p*a.cs]
				}
			}
		}
	}
}

// packB packs rows [k0, k0+kb) and columns [j0, j0+nb) of B into panels of
// gemmNR columns: panel q holds kb rows of gemmNR values at dst[q*gemmNR*kb];
// columns beyond nb are zero.
func packB(b mat, k0, kb, j0, nb int, dst []float32) {
	for q := 0; q*gemmNR < nb; q++ {
		panel := dst[q*gemmNR*kb : (q+1)*gemmNR*kb]
		jq := j0 + q*gemmNR
		cols := min(gemmNR, nb-q*gemmNR)
		if b.cs == 1 && cols == gemmNR {
			for p := 0; p < kb; p++ {
				base := (k0+p)*b.rs + jq
				*(*[gemmNR]float32)(panel[p*gemmNR:]) = *(*[gemmNR]float32)(b.data[base:])
			}
			continue
		}
		if b.cs == 1 {
			for p := 0; p < kb; p++ {
				base := (k0+p)*b.rs + jq
				d := panel[p*gemmNR : (p+1)*gemmNR]
				copy(d, b.data[base:base+cols])
				clear(d[cols:])
			}
			continue
		}
		for p := 0; p < kb; p++ {
			base := (k0+p)*b.rs + jq*b.cs
			d := panel[p*gemmNR : (p+1)*gemmNR]
			for j := 0; j < cols; j++ {
				d[j] = b.data[base+j*b.cs]
			}
			clear(d[cols:])
		}
	}
}

// applyEpilogue applies bias and clamp to one row of C (row i).
func applyEpilogue(row []float32, i int, ep epilogue) {
	if ep.bias != nil {
		b := ep.bias[i]
		for j := range row {
			row[j] += b
		}
	}
	if ep.clamp {
		for j, v := range row {
			row[j] = clampF(v, ep.lo, ep.hi)
		}
	}
}

// clampF is max(lo, min(hi, v)) keeping NaN (as the activations do).
func clampF(v, lo, hi float32) float32 {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// kernelGo is the portable micro-kernel: the same sums as the assembly
// kernel, with separate multiplies and adds.
func kernelGo(k int, a, b, c *float32, ldc int, flags int, bias *float32, lo, hi float32) {
	as := unsafeSlice(a, k*gemmMR)
	bs := unsafeSlice(b, k*gemmNR)
	var acc [gemmMR][gemmNR]float32
	for p := 0; p < k; p++ {
		bp := (*[gemmNR]float32)(bs[p*gemmNR:])
		ap := (*[gemmMR]float32)(as[p*gemmMR:])
		for r := range gemmMR {
			av := ap[r]
			row := &acc[r]
			for j := range gemmNR {
				row[j] += av * bp[j]
			}
		}
	}
	cs := unsafeSlice(c, (gemmMR-1)*ldc+gemmNR)
	var bs6 []float32
	if flags&kBias != 0 {
		bs6 = unsafeSlice(bias, gemmMR)
	}
	for r := range gemmMR {
		row := cs[r*ldc : r*ldc+gemmNR]
		for j := range gemmNR {
			v := acc[r][j]
			if flags&kAccumulate != 0 {
				v += row[j]
			}
			if flags&kBias != 0 {
				v += bs6[r]
			}
			if flags&kClamp != 0 {
				v = clampF(v, lo, hi)
			}
			row[j] = v
		}
	}
}

// actClamp returns the clamp that fuses act into the multiply's epilogue,
// or ok = false when act is not a clamp (sigmoid, softmax).
func actClamp(act nn.Activation) (lo, hi float32, clamp, ok bool) {
	switch act {
	case nn.ActNone:
		return 0, 0, false, true
	case nn.ActReLU:
		return 0, float32(math.Inf(1)), true, true
	case nn.ActReLU6:
		return 0, 6, true, true
	}
	return 0, 0, false, false
}

// unsafeSlice views n floats from p.
func unsafeSlice(p *float32, n int) []float32 { return unsafe.Slice(p, n) }

// resolveWorkers maps 0 (or less) to GOMAXPROCS.
func resolveWorkers(w int) int {
	if w <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return w
}
