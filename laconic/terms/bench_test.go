package terms

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// BenchmarkCountInt16 counts terms of uniformly random int16 codes (the
// worst case for the lookup table's cache) and, in the same run, times a
// plain copy of the same slice. Metrics: values/s of the counting,
// copy-ns/op, and count/copy, the ratio of the two times per slice.
func BenchmarkCountInt16(b *testing.B) {
	for _, e := range []Encoding{CSD, DNNsim} {
		for _, n := range []int{1 << 12, 1 << 16, 1 << 20} {
			b.Run(fmt.Sprintf("%s/n=%d", e, n), func(b *testing.B) {
				tab, err := NewTable(e, Format{16, true})
				if err != nil {
					b.Fatal(err)
				}
				r := rand.New(rand.NewPCG(1, 2))
				src := make([]int16, n)
				for i := range src {
					src[i] = int16(r.Uint32())
				}
				dst := make([]uint8, n)
				cp := make([]int16, n)
				b.SetBytes(int64(2 * n))
				iters := 0
				for b.Loop() {
					if err := tab.CountInt16(dst, src); err != nil {
						b.Fatal(err)
					}
					iters++
				}
				count := b.Elapsed()
				start := time.Now()
				for range iters {
					copy(cp, src)
				}
				cpy := time.Since(start)
				b.ReportMetric(float64(n)*float64(iters)/count.Seconds(), "values/s")
				b.ReportMetric(float64(cpy.Nanoseconds())/float64(iters), "copy-ns/op")
				b.ReportMetric(count.Seconds()/cpy.Seconds(), "count/copy")
			})
		}
	}
}

// BenchmarkStatsInt16 summarises uniformly random int16 codes.
func BenchmarkStatsInt16(b *testing.B) {
	tab, _ := NewTable(CSD, Format{16, true})
	r := rand.New(rand.NewPCG(1, 2))
	src := make([]int16, 1<<16)
	for i := range src {
		src[i] = int16(r.Uint32())
	}
	b.SetBytes(int64(2 * len(src)))
	for b.Loop() {
		if _, err := tab.StatsInt16(src); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(src))*float64(b.N)/b.Elapsed().Seconds(), "values/s")
}

// BenchmarkNewTable builds a 16-bit table.
func BenchmarkNewTable(b *testing.B) {
	for b.Loop() {
		if _, err := NewTable(DNNsim, Format{16, true}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCountInt32 counts terms of uniformly random int16-range codes
// held in int32 (the layout of quantized tensors).
func BenchmarkCountInt32(b *testing.B) {
	tab, _ := NewTable(CSD, Format{16, true})
	r := rand.New(rand.NewPCG(1, 2))
	src := make([]int32, 1<<16)
	for i := range src {
		src[i] = int32(int16(r.Uint32()))
	}
	dst := make([]uint8, len(src))
	b.SetBytes(int64(4 * len(src)))
	for b.Loop() {
		if err := tab.CountInt32(dst, src); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(src))*float64(b.N)/b.Elapsed().Seconds(), "values/s")
}
