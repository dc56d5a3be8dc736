package infer

import (
	"bufio"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/zoo"
)

// benchLayers are synthetic layers of the shapes that dominate the zoo's
// networks.
var benchLayers = []nn.Layer{
	{Name: "conv3x3_s2_224", Kind: nn.KindConv, N: 1, C: 3, H: 224, W: 224, K: 32, R: 3, S: 3, StrideH: 2, StrideW: 2, Pad: nn.Pad{Bottom: 1, Right: 1}, Groups: 1},
	{Name: "pw_96to24_56", Kind: nn.KindConv, N: 1, C: 96, H: 56, W: 56, K: 24, R: 1, S: 1, StrideH: 1, StrideW: 1, Groups: 1},
	{Name: "pw_24to144_56", Kind: nn.KindConv, N: 1, C: 24, H: 56, W: 56, K: 144, R: 1, S: 1, StrideH: 1, StrideW: 1, Groups: 1},
	{Name: "dw3x3_144_56", Kind: nn.KindDepthwise, N: 1, C: 144, H: 56, W: 56, K: 144, R: 3, S: 3, StrideH: 1, StrideW: 1, Pad: nn.Pad{Top: 1, Bottom: 1, Left: 1, Right: 1}, Groups: 144},
	{Name: "conv3x3_64to96_35", Kind: nn.KindConv, N: 1, C: 64, H: 35, W: 35, K: 96, R: 3, S: 3, StrideH: 1, StrideW: 1, Pad: nn.Pad{Top: 1, Bottom: 1, Left: 1, Right: 1}, Groups: 1},
	{Name: "conv3x3_32to64_147", Kind: nn.KindConv, N: 1, C: 32, H: 147, W: 147, K: 64, R: 3, S: 3, StrideH: 1, StrideW: 1, Pad: nn.Pad{Top: 1, Bottom: 1, Left: 1, Right: 1}, Groups: 1},
	{Name: "conv1x7_192_17", Kind: nn.KindConv, N: 1, C: 192, H: 17, W: 17, K: 192, R: 1, S: 7, StrideH: 1, StrideW: 1, Pad: nn.Pad{Left: 3, Right: 3}, Groups: 1},
	{Name: "grouped4_3x3_64_28", Kind: nn.KindGrouped, N: 1, C: 64, H: 28, W: 28, K: 64, R: 3, S: 3, StrideH: 1, StrideW: 1, Pad: nn.Pad{Top: 1, Bottom: 1, Left: 1, Right: 1}, Groups: 4},
	{Name: "dw5x5_48_64", Kind: nn.KindDepthwise, N: 1, C: 48, H: 64, W: 64, K: 48, R: 5, S: 5, StrideH: 1, StrideW: 1, Pad: nn.Pad{Top: 2, Bottom: 2, Left: 2, Right: 2}, Groups: 48},
	{Name: "pw_96to96_16", Kind: nn.KindConv, N: 1, C: 96, H: 16, W: 16, K: 96, R: 1, S: 1, StrideH: 1, StrideW: 1, Groups: 1},
	{Name: "dense_1280to1000_b1", Kind: nn.KindDense, N: 1, C: 1280, H: 1, W: 1, K: 1000, R: 1, S: 1, StrideH: 1, StrideW: 1, Groups: 1},
	{Name: "dense_2048to1000_b8", Kind: nn.KindDense, N: 8, C: 2048, H: 1, W: 1, K: 1000, R: 1, S: 1, StrideH: 1, StrideW: 1, Groups: 1},
}

// layerKind names a layer's kind for the benchmarks: 1x1 conv, 3x3 (or
// other windowed) conv, depthwise, grouped or dense.
func layerKind(l nn.Layer) string {
	switch {
	case l.Kind == nn.KindDense:
		return "dense"
	case l.Kind == nn.KindDepthwise:
		return "depthwise"
	case l.Kind == nn.KindGrouped:
		return "grouped"
	case l.R == 1 && l.S == 1:
		return "conv1x1"
	}
	return "conv" + strconv.Itoa(l.R) + "x" + strconv.Itoa(l.S)
}

// cpuMHz returns the first "cpu MHz" of /proc/cpuinfo (0 when unknown).
func cpuMHz() float64 {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "cpu MHz" {
			f, _ := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return f
		}
	}
	return 0
}

// peakGMACs is the machine's peak multiply-accumulate rate on the cores a
// benchmark uses, as the AVX2 kernels can reach it: 2 FMA units x 8 float32
// lanes per core and cycle, at the clock /proc/cpuinfo reports (a nominal
// clock; turbo can exceed it, so shares above 100% are possible).
func peakGMACs(cores int) float64 { return float64(cores) * 2 * 8 * cpuMHz() / 1000 }

// BenchmarkLayer reports the GMAC/s of the convolution and dense kernels on
// synthetic layers (named kind/shape), and that rate as a share of the peak
// FMA rate of the cores in use (GOMAXPROCS; set with -cpu).
func BenchmarkLayer(b *testing.B) {
	for _, l := range benchLayers {
		b.Run(layerKind(l)+"/"+l.Name, func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			x := fill(r, nn.NumElements(l.InputShape()), false)
			w := fill(r, nn.NumElements(l.WeightShape()), false)
			out := make([]float32, l.N*l.K*l.OutH()*l.OutW())
			var sc scratch
			b.ResetTimer()
			for b.Loop() {
				if err := layer(l, x, w, nil, nn.ActNone, out, &sc, 0); err != nil {
					b.Fatal(err)
				}
			}
			gmacs := float64(l.MACs()) * float64(b.N) / b.Elapsed().Seconds() / 1e9
			b.ReportMetric(gmacs, "GMAC/s")
			if peak := peakGMACs(min(runtime.GOMAXPROCS(0), runtime.NumCPU())); peak > 0 {
				b.ReportMetric(100*gmacs/peak, "%peak")
			}
		})
	}
}

// peakRSS returns the process's peak resident set size (VmHWM) in MiB, or
// 0 where /proc is not available.
func peakRSS() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return float64(kb) / 1024
		}
	}
	return 0
}

// BenchmarkModel runs the zoo's models (skipped when not cached) on a
// random batch-1 input, with a tap that reads every compute layer's input
// activations (as Samples' callers do), an empty tap, and no tap (see
// benchModel), and reports GMAC/s, seconds per image, CPU seconds per image
// (all cores together) and the process's peak resident memory (run one
// model and variant per process to compare memory).
func BenchmarkModel(b *testing.B) {
	for _, name := range []string{"mobilenet_v2", "mobilenet_v2_mid", "inception_v3", "blazeface"} {
		b.Run(name, func(b *testing.B) {
			info, err := zoo.Lookup(name)
			if err != nil {
				b.Fatal(err)
			}
			if ok, err := zoo.Cached(name); err != nil || !ok {
				b.Skipf("%s is not in the model cache: run `make models`", name)
			}
			g := loadZooGraph(b, info)
			in := info.Input
			r := rand.New(rand.NewPCG(3, 4))
			x := nn.NewTensor(1, in.Channels, in.Height, in.Width)
			for i := range x.Data {
				x.Data[i] = float32(r.Float64())
			}
			shapes, err := Shapes(g, x.Shape)
			if err != nil {
				b.Fatal(err)
			}
			var macs int64
			for _, n := range g.ComputeNodes() {
				l, err := LayerOf(g, n, shapes)
				if err != nil {
					b.Fatal(err)
				}
				macs += l.MACs()
			}
			for _, tap := range []string{"tap", "emptytap", "notap"} {
				b.Run(tap, func(b *testing.B) { benchModel(b, g, x, macs, tap) })
			}
		})
	}
}

// benchModel times one model: with tap "tap", a tap that reads every
// compute layer's input activations (counting zeros); with "emptytap" one
// that does nothing (the cost of keeping every tensor as the tap saw it);
// with "notap" none (element-wise nodes then reuse storage).
func benchModel(b *testing.B, g *nn.Graph, x *nn.Tensor, macs int64, tap string) {
	var zeros int
	opts := DefaultOptions()
	if tap == "emptytap" {
		opts.Tap = func(*nn.Node, *nn.Layer, []*nn.Tensor, *nn.Tensor) error { return nil }
	}
	if tap == "tap" {
		opts.Tap = func(_ *nn.Node, layer *nn.Layer, inputs []*nn.Tensor, _ *nn.Tensor) error {
			if layer != nil {
				for _, v := range inputs[0].Data {
					if v == 0 {
						zeros++
					}
				}
			}
			return nil
		}
	}
	b.ResetTimer()
	cpu0 := cpuSeconds()
	for b.Loop() {
		if _, err := Run(g, x, opts); err != nil {
			b.Fatal(err)
		}
	}
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric((cpuSeconds()-cpu0)/float64(b.N), "cpu-s/image")
	b.ReportMetric(float64(macs)/sec/1e9, "GMAC/s")
	b.ReportMetric(sec, "s/image")
	b.ReportMetric(peakRSS(), "peak-MiB")
}
