package work

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/terms"
)

// inceptionV3 returns the compute layers of Keras' InceptionV3 at 299x299
// (94 convolutions and the classifier): the geometry only.
func inceptionV3() []nn.Layer {
	var ls []nn.Layer
	h := 299
	c := 3
	conv := func(name string, cin, hin, win, k, r, s, stride int, same bool) nn.Layer {
		l := nn.Layer{Name: name, Kind: nn.KindConv, N: 1, C: cin, H: hin, W: win, K: k, R: r, S: s, StrideH: stride, StrideW: stride, Groups: 1}
		if same {
			l.Pad = nn.Pad{Top: (r - 1) / 2, Bottom: r / 2, Left: (s - 1) / 2, Right: s / 2}
		}
		ls = append(ls, l)
		return l
	}
	add := func(name string, cin, k, r, s, stride int, same bool) int { // square input of side h
		l := conv(fmt.Sprintf("%s_%d", name, len(ls)), cin, h, h, k, r, s, stride, same)
		return l.OutH()
	}
	h = add("stem", c, 32, 3, 3, 2, false)
	h = add("stem", 32, 32, 3, 3, 1, false)
	add("stem", 32, 64, 3, 3, 1, true)
	h = (h-3)/2 + 1
	add("stem", 64, 80, 1, 1, 1, false)
	h = add("stem", 80, 192, 3, 3, 1, false)
	h = (h-3)/2 + 1 // 35
	c = 192
	for i, pool := range []int{32, 64, 64} {
		name := fmt.Sprintf("mixed%d", i)
		add(name, c, 64, 1, 1, 1, true)
		add(name, c, 48, 1, 1, 1, true)
		add(name, 48, 64, 5, 5, 1, true)
		add(name, c, 64, 1, 1, 1, true)
		add(name, 64, 96, 3, 3, 1, true)
		add(name, 96, 96, 3, 3, 1, true)
		add(name, c, pool, 1, 1, 1, true)
		c = 64 + 64 + 96 + pool
	}
	add("mixed3", c, 384, 3, 3, 2, false)
	add("mixed3", c, 64, 1, 1, 1, true)
	add("mixed3", 64, 96, 3, 3, 1, true)
	h = add("mixed3", 96, 96, 3, 3, 2, false) // 17
	c = 768
	for i, m := range []int{128, 160, 160, 192} {
		name := fmt.Sprintf("mixed%d", 4+i)
		add(name, c, 192, 1, 1, 1, true)
		add(name, c, m, 1, 1, 1, true)
		add(name, m, m, 1, 7, 1, true)
		add(name, m, 192, 7, 1, 1, true)
		add(name, c, m, 1, 1, 1, true)
		add(name, m, m, 7, 1, 1, true)
		add(name, m, m, 1, 7, 1, true)
		add(name, m, m, 7, 1, 1, true)
		add(name, m, 192, 1, 7, 1, true)
		add(name, c, 192, 1, 1, 1, true)
	}
	add("mixed8", c, 192, 1, 1, 1, true)
	add("mixed8", 192, 320, 3, 3, 2, false)
	add("mixed8", c, 192, 1, 1, 1, true)
	add("mixed8", 192, 192, 1, 7, 1, true)
	add("mixed8", 192, 192, 7, 1, 1, true)
	h = add("mixed8", 192, 192, 3, 3, 2, false) // 8
	c = 1280
	for i := 0; i < 2; i++ {
		name := fmt.Sprintf("mixed%d", 9+i)
		add(name, c, 320, 1, 1, 1, true)
		add(name, c, 384, 1, 1, 1, true)
		add(name, 384, 384, 1, 3, 1, true)
		add(name, 384, 384, 3, 1, 1, true)
		add(name, c, 448, 1, 1, 1, true)
		add(name, 448, 384, 3, 3, 1, true)
		add(name, 384, 384, 1, 3, 1, true)
		add(name, 384, 384, 3, 1, 1, true)
		add(name, c, 192, 1, 1, 1, true)
		c = 2048
	}
	ls = append(ls, nn.Layer{Name: "predictions", Kind: nn.KindDense, N: 1, C: 2048, H: 1, W: 1, K: 1000, R: 1, S: 1, StrideH: 1, StrideW: 1, Groups: 1})
	return ls
}

// realisticCodes draws fixed16 codes: a fraction of exact zeros (ReLU
// outputs) and log-normal magnitudes around 2^centre.
func realisticCodes(rng *rand.Rand, n int, zeros, centre float64, signed bool) []int32 {
	out := make([]int32, n)
	for i := range out {
		if rng.Float64() < zeros {
			continue
		}
		m := math.Exp2(centre + 1.5*rng.NormFloat64())
		v := int32(min(32767, math.Round(m)))
		if signed && rng.IntN(2) == 0 {
			v = -v
		}
		out[i] = v
	}
	return out
}

func syntheticInception(seed uint64) []Layer {
	rng := rand.New(rand.NewPCG(seed, 1))
	f := terms.Format{Bits: 16, Signed: true}
	var out []Layer
	for i, ly := range inceptionV3() {
		zeros, signed := 0.55, false
		if i == 0 {
			zeros, signed = 0.01, true // the normalised image
		}
		out = append(out, Layer{Layer: ly,
			Act: qtensor(ly.InputShape(), realisticCodes(rng, nn.NumElements(ly.InputShape()), zeros, 9, signed), f),
			Wgt: qtensor(ly.WeightShape(), realisticCodes(rng, nn.NumElements(ly.WeightShape()), 0.01, 10, true), f)})
	}
	return out
}

func TestInceptionGeometry(t *testing.T) {
	ls := inceptionV3()
	var macs int64
	for _, l := range ls {
		if err := l.Validate(); err != nil {
			t.Fatal(err)
		}
		macs += l.MACs()
	}
	// 94 convolutions + the classifier, about 5.7 G multiplies.
	if len(ls) != 95 || macs < 5.6e9 || macs > 5.8e9 {
		t.Fatalf("%d layers, %d MACs", len(ls), macs)
	}
}

// BenchmarkInceptionV3 computes every scheme and the characterisation of
// every layer of one InceptionV3 image (synthetic codes, real geometry).
func BenchmarkInceptionV3(b *testing.B) {
	layers := syntheticInception(1)
	var macs int64
	for _, l := range layers {
		macs += l.Layer.MACs()
	}
	o := DefaultOptions()
	for b.Loop() {
		for _, l := range layers {
			if _, err := Compute(l, o); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(macs)*float64(b.N)/b.Elapsed().Seconds(), "MACs/s")
}

// BenchmarkFastVsReference times Compute and the per-multiply reference on
// the same layer in one run and reports the ratio.
func BenchmarkFastVsReference(b *testing.B) {
	rng := rand.New(rand.NewPCG(2, 3))
	ly := nn.Layer{Name: "conv3x3", Kind: nn.KindConv, N: 1, C: 32, H: 17, W: 17, K: 32, R: 3, S: 3,
		StrideH: 1, StrideW: 1, Pad: nn.Pad{Top: 1, Bottom: 1, Left: 1, Right: 1}, Groups: 1}
	l := randLayerWith(rng, ly)
	o := DefaultOptions()
	start := time.Now()
	ref := reference(l, o)
	refTime := time.Since(start)
	var got LayerResult
	for b.Loop() {
		got, _ = Compute(l, o)
	}
	if got.Work(WeAe) != ref.work[WeAe.index()] {
		b.Fatal("fast path differs from the reference")
	}
	fast := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(refTime)/float64(fast), "x_faster_than_reference")
	b.ReportMetric(float64(refTime.Nanoseconds()), "reference_ns")
}
