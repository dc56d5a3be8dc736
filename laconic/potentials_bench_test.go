package laconic

import (
	"context"
	"testing"

	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/nn/dnnsim"
	"github.com/laconiclab/toolkit/laconic/work"
	"github.com/laconiclab/toolkit/laconic/zoo"
)

// BenchmarkPotentialsInceptionV3 measures quantization (profiled fixed16)
// plus every scheme and the characterisation for all layers of one real
// InceptionV3 image, the forward pass excluded (it runs once, before the
// timed loop). It needs the cached model and the repository's images.
func BenchmarkPotentialsInceptionV3(b *testing.B) {
	if ok, err := zoo.Cached("inception_v3"); err != nil || !ok {
		b.Skip("inception_v3 is not cached (make models)")
	}
	images, err := DefaultImages(1)
	if err != nil {
		b.Skip(err)
	}
	ctx := context.Background()
	m, err := LoadModel(ctx, "inception_v3")
	if err != nil {
		b.Fatal(err)
	}
	var samples []nn.Sample
	var macs int64
	err = m.Samples(ctx, images, 1, func(s nn.Sample) error {
		s.Input = s.Input.Clone()
		samples = append(samples, s)
		macs += s.Layer.MACs()
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	opts := DefaultPotentialOptions()
	for b.Loop() {
		acc := newAccumulator(opts, len(samples), false)
		for _, s := range samples {
			if err := acc.add(ctx, s, dnnsim.DefaultLayerPrecision()); err != nil {
				b.Fatal(err)
			}
		}
		if got := work.TotalRows(work.Rows(work.Meta{}, acc.results)); len(got) != work.NumSchemes {
			b.Fatal("missing totals")
		}
	}
	b.ReportMetric(float64(macs), "MACs/image")
	b.ReportMetric(float64(macs)*float64(b.N)/b.Elapsed().Seconds(), "MACs/s")
}
