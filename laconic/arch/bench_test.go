package arch

import (
	"context"
	"testing"
	"time"
)

func TestSynthGeometry(t *testing.T) {
	inc, mob := synthInceptionV3(1), synthMobileNetV2(1)
	if len(inc) != 95 || len(mob) != 53 {
		t.Fatalf("InceptionV3 %d layers, MobileNetV2 %d", len(inc), len(mob))
	}
	for _, ls := range [][]LayerData{inc, mob} {
		for _, l := range ls {
			if err := l.Layer.Validate(); err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Logf("InceptionV3 %.2f G multiplies, MobileNetV2 %.1f M", float64(totalMACs(inc))/1e9, float64(totalMACs(mob))/1e6)
}

// BenchmarkInceptionV3AllPresets simulates one InceptionV3 image (synthetic
// operands) on every preset with all cores.
func BenchmarkInceptionV3AllPresets(b *testing.B) {
	layers := synthInceptionV3(1)
	cfgs := Presets()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Sweep(context.Background(), layers, cfgs, SweepOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	mults := float64(totalMACs(layers)) * float64(len(cfgs)) * float64(b.N)
	b.ReportMetric(mults/b.Elapsed().Seconds(), "mults/s")
}

// BenchmarkDNNsimMobileNetV2 is the DNNSIM-LAC preset on one MobileNetV2
// image on one thread (DNNsim: about 4.4 s).
func BenchmarkDNNsimMobileNetV2(b *testing.B) {
	layers := synthMobileNetV2(1)
	cfg, _ := Preset(PresetDNNsimLac)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Sweep(context.Background(), layers, []Config{cfg}, SweepOptions{Workers: 1, Baselines: nil}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(totalMACs(layers))*float64(b.N)/b.Elapsed().Seconds(), "mults/s")
}

// BenchmarkVersusReference runs the fast engine and the per-multiply
// reference simulator of the tests (plain loops, sets of operands, no
// shortcuts) on the same layers (InceptionV3's classifier and a MobileNetV2
// depthwise layer, 2.5 M multiplies) and reports both speeds and their
// ratio.
func BenchmarkVersusReference(b *testing.B) {
	mob := synthMobileNetV2(2)
	layers := []LayerData{synthInceptionV3(2)[94], mob[len(mob)-4]}
	benchPair(b, layers, func(cfg Config, l LayerData) (int64, error) {
		return refSim(cfg, l.Layer, l.Acts, l.Wgts).Cycles, nil
	})
}

// BenchmarkVersusNaive compares the fast engine with a straightforward
// per-product lock-step loop over precomputed term counts (what a simulator
// that visits every multiply does, without the reference's bookkeeping) on
// three InceptionV3 layers (the third stem convolution at 147x147,
// mixed_7b's 1x1 convolution and the classifier, 202 M multiplies).
func BenchmarkVersusNaive(b *testing.B) {
	all := synthInceptionV3(2)
	benchPair(b, []LayerData{all[2], all[76], all[94]}, naiveTile)
}

func benchPair(b *testing.B, layers []LayerData, slow func(Config, LayerData) (int64, error)) {
	cfg, _ := Preset(PresetDNNsimLac)
	var macs int64
	for _, l := range layers {
		macs += l.Layer.MACs()
	}
	for _, l := range layers { // warm up: shared term tables, caches
		if _, err := Simulate(cfg, l.Layer, l.Acts, l.Wgts); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	var fast, ref time.Duration
	for i := 0; i < b.N; i++ {
		for _, l := range layers {
			t0 := time.Now()
			r, err := Simulate(cfg, l.Layer, l.Acts, l.Wgts)
			if err != nil {
				b.Fatal(err)
			}
			fast += time.Since(t0)
			t0 = time.Now()
			want, err := slow(cfg, l)
			if err != nil {
				b.Fatal(err)
			}
			ref += time.Since(t0)
			if r.Cycles != want {
				b.Fatalf("%s: fast %d cycles, slow %d", l.Layer.Name, r.Cycles, want)
			}
		}
	}
	n := float64(macs) * float64(b.N)
	b.ReportMetric(n/fast.Seconds(), "fast-mults/s")
	b.ReportMetric(n/ref.Seconds(), "slow-mults/s")
	b.ReportMetric(ref.Seconds()/fast.Seconds(), "speedup-x")
}

// naiveTile is the lock-step cycle count of a layer with unlimited memory
// computed product by product from the cost tensors: for each step, the
// maximum over every window, filter and lane of max(z, fa*fw).
func naiveTile(cfg Config, l LayerData) (int64, error) {
	pr, err := newLayerCache(l.Layer, l.Acts, l.Wgts).prepare(cfg)
	if err != nil {
		return 0, err
	}
	if pr.dense {
		return pr.denseSim().cycles, nil // already per product
	}
	var total int64
	rs := pr.R * pr.S
	nw := pr.OH * pr.OW
	for n := 0; n < pr.N; n++ {
		for f0 := 0; f0 < pr.K; f0 += cfg.Rows {
			for w0 := 0; w0 < nw; w0 += cfg.Columns {
				for r := 0; r < pr.R; r++ {
					for s := 0; s < pr.S; s++ {
						for k0 := 0; k0 < pr.Cg; k0 += cfg.Lanes {
							step := pr.z
							for w := w0; w < min(w0+cfg.Columns, nw); w++ {
								y, x := (w/pr.OW)*pr.SH+r, (w%pr.OW)*pr.SW+s
								for f := f0; f < min(f0+cfg.Rows, pr.K); f++ {
									g := f / pr.Kg
									for k := k0; k < min(k0+cfg.Lanes, pr.Cg); k++ {
										a := pr.fa[((n*pr.C+g*pr.Cg+k)*pr.H+y)*pr.W+x]
										wt := pr.fw[(f*pr.Cg+k)*rs+r*pr.S+s]
										step = max(step, uint32(a)*uint32(wt))
									}
								}
							}
							total += int64(step)
						}
					}
				}
			}
		}
	}
	return total, nil
}
