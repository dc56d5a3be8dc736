package dnnsim

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/laconiclab/toolkit/laconic/nn"
)

// benchNet writes a network of `layers` 3x3 convolutions over
// 1 x c x hw x hw inputs, with `batches` batch files.
func benchNet(b *testing.B, layers, batches, c, hw int) (string, int64) {
	rng := rand.New(rand.NewPCG(5, 5))
	var all [][]nn.Sample
	var total int64
	for range batches {
		var batch []nn.Sample
		for i := range layers {
			l := nn.Layer{Name: fmt.Sprintf("conv%d", i), Kind: nn.KindConv, N: 1, C: c, H: hw, W: hw, K: c, R: 3, S: 3,
				StrideH: 1, StrideW: 1, Pad: nn.Pad{Top: 1, Bottom: 1, Left: 1, Right: 1}, Groups: 1}
			batch = append(batch, nn.Sample{Layer: l, Input: randTensor(rng, l.InputShape()...), Weights: randTensor(rng, l.WeightShape()...)})
			total += int64(4 * (nn.NumElements(l.InputShape()) + nn.NumElements(l.WeightShape())))
		}
		all = append(all, batch)
	}
	dir := b.TempDir()
	if err := Write(dir, "bench", all, nil); err != nil {
		b.Fatal(err)
	}
	return dir, total / int64(batches)
}

// BenchmarkOpen: reading trace_params.csv and every .npy header of
// 16 layers x 8 batch files.
func BenchmarkOpen(b *testing.B) {
	dir, _ := benchNet(b, 16, 8, 8, 8)
	for b.Loop() {
		if _, err := Open(dir, "bench"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSamples: loading every layer of one batch (weights and
// activations), reported in bytes of float32 data per second.
func BenchmarkSamples(b *testing.B) {
	for _, size := range []struct{ c, hw int }{{16, 14}, {64, 28}} {
		dir, perBatch := benchNet(b, 4, 1, size.c, size.hw)
		net, err := Open(dir, "bench")
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("c=%d/hw=%d", size.c, size.hw), func(b *testing.B) {
			b.SetBytes(perBatch)
			for b.Loop() {
				for _, err := range net.Samples(0) {
					if err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// BenchmarkParseTraceParams: a 1000-layer file.
func BenchmarkParseTraceParams(b *testing.B) {
	var text []byte
	for i := range 1000 {
		text = fmt.Appendf(text, "conv%d,input%d,256,3,3,1,1\r\n", i, i)
	}
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if _, err := ParseTraceParams(bytes.NewReader(text)); err != nil {
			b.Fatal(err)
		}
	}
}
