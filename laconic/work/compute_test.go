package work

import (
	"context"
	"errors"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/quant"
	"github.com/laconiclab/toolkit/laconic/terms"
)

// The zero-cost formulas take an operand with no terms as zero: that is the
// code 0, and under dnnsim also the most negative signed code (DNNsim masks
// the sign position).
func TestTermsZeroOnlyForZero(t *testing.T) {
	for _, f := range formats {
		for _, e := range terms.Encodings() {
			l, err := lutFor(e, f)
			if err != nil {
				t.Fatal(err)
			}
			for i, c := range l.counts {
				v := f.Min() + int32(i)
				want0 := v == 0 || (e == terms.DNNsim && f.Signed && v == f.Min())
				if (c == 0) != want0 {
					t.Fatalf("%s %+v: code %d has %d terms", e, f, v, c)
				}
			}
		}
	}
}

func TestPrecisionMatchesQuant(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 40; trial++ {
		f := formats[trial%len(formats)]
		n, c, hw := 1+rng.IntN(3), 1+rng.IntN(40), 1+rng.IntN(12)
		codes := randCodes(rng, n*c*hw, codeGen{f, 0.6 + 0.4*rng.Float64()})
		q := qtensor([]int{n, c, hw}, codes, f)
		group := []int{1, 5, 16}[trial%3]
		want, err := quant.GroupPrecisions(q, group)
		if err != nil {
			t.Fatal(err)
		}
		pg, _, _ := groupPrecisions(codes, n, c, hw, group, f, 2)
		ng := (c + group - 1) / group
		for b := 0; b < n; b++ {
			for ch := 0; ch < c; ch++ {
				for i := 0; i < hw; i++ {
					if g, w := pg[(b*ng+ch/group)*hw+i], want[(b*c+ch)*hw+i]; g != w {
						t.Fatalf("trial %d: element (%d,%d,%d) group precision %d, quant.GroupPrecisions %d", trial, b, ch, i, g, w)
					}
				}
			}
		}
		var or uint32
		for _, v := range codes {
			or |= magnitude(v, f.Signed)
		}
		if g, w := Precision(or, f), quant.Precision(q); g != w {
			t.Fatalf("trial %d: precision %d, quant.Precision %d", trial, g, w)
		}
	}
}

// Splitting a batch and merging the halves gives the whole batch's result.
func TestMergeBatches(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := 0; trial < 30; trial++ {
		l := randLayer(rng, []nn.LayerKind{nn.KindConv, nn.KindDepthwise, nn.KindDense}[trial%3])
		for l.Layer.N < 2 {
			l = randLayer(rng, l.Layer.Kind)
		}
		o := DefaultOptions()
		o.ZeroCost = trial % 2
		whole, err := Compute(l, o)
		if err != nil {
			t.Fatal(err)
		}
		n1 := 1 + rng.IntN(l.Layer.N-1)
		per := len(l.Act.Codes) / l.Layer.N
		half := func(lo, hi int) Layer {
			h := l
			h.Layer.N = hi - lo
			shape := append([]int{hi - lo}, l.Act.Shape[1:]...)
			h.Act = qtensor(shape, l.Act.Codes[lo*per:hi*per], format(l.Act))
			return h
		}
		a, err := Compute(half(0, n1), o)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Compute(half(n1, l.Layer.N), o)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Merge(b); err != nil {
			t.Fatal(err)
		}
		if a.Sums != whole.Sums {
			t.Fatalf("trial %d: merged sums %+v, whole %+v", trial, a.Sums, whole.Sums)
		}
		for _, s := range Schemes() {
			if a.Work(s) != whole.Work(s) {
				t.Fatalf("trial %d: merged %s work %d, whole %d", trial, s, a.Work(s), whole.Work(s))
			}
		}
		if a.Act.Values != whole.Act.Values || a.Act.Terms != whole.Act.Terms || a.Act.Precision != whole.Act.Precision ||
			a.Act.GroupPrecisionSum != whole.Act.GroupPrecisionSum || a.Wgt.Values != whole.Wgt.Values {
			t.Fatalf("trial %d: merged stats differ from the whole batch's", trial)
		}
	}
	r := LayerResult{Name: "a"}
	if err := r.Merge(LayerResult{Name: "b"}); err == nil {
		t.Fatal("merging different layers: no error")
	}
}

// The result does not depend on the number of goroutines.
func TestDeterministicAcrossWorkers(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	l := randLayer(rng, nn.KindConv)
	l.Layer.C = 20
	l = randLayerWith(rng, l.Layer)
	prev := runtime.GOMAXPROCS(1)
	one, err := Compute(l, DefaultOptions())
	runtime.GOMAXPROCS(max(2, prev))
	two, err2 := Compute(l, DefaultOptions())
	runtime.GOMAXPROCS(prev)
	if err != nil || err2 != nil {
		t.Fatal(err, err2)
	}
	if one.Sums != two.Sums || one.Act.Terms != two.Act.Terms || one.Wgt.Terms != two.Wgt.Terms {
		t.Fatalf("1 worker %+v, 2 workers %+v", one.Sums, two.Sums)
	}
}

// randLayerWith draws codes for a given geometry (16-bit signed).
func randLayerWith(rng *rand.Rand, ly nn.Layer) Layer {
	f := terms.Format{Bits: 16, Signed: true}
	return Layer{Layer: ly,
		Act: qtensor(ly.InputShape(), randCodes(rng, nn.NumElements(ly.InputShape()), codeGen{f, 0.5}), f),
		Wgt: qtensor(ly.WeightShape(), randCodes(rng, nn.NumElements(ly.WeightShape()), codeGen{f, 0.1}), f)}
}

func TestComputeCancelled(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	l := randLayerWith(rng, nn.Layer{Name: "c", Kind: nn.KindConv, N: 1, C: 64, H: 8, W: 8, K: 4, R: 3, S: 3, StrideH: 1, StrideW: 1, Groups: 1})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ComputeContext(ctx, l, DefaultOptions()); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

func TestComputeBadInput(t *testing.T) {
	f16 := terms.Format{Bits: 16, Signed: true}
	good := func() Layer {
		ly := nn.Layer{Name: "conv1", Kind: nn.KindConv, N: 1, C: 2, H: 4, W: 4, K: 3, R: 3, S: 3, StrideH: 1, StrideW: 1, Groups: 1}
		return Layer{Layer: ly,
			Act: qtensor(ly.InputShape(), make([]int32, 32), f16),
			Wgt: qtensor(ly.WeightShape(), make([]int32, 54), f16)}
	}
	if _, err := Compute(good(), DefaultOptions()); err != nil {
		t.Fatalf("valid layer: %v", err)
	}
	cases := []struct {
		name   string
		mutate func(*Layer, *Options)
		want   []string // substrings of the error
	}{
		{"act shape", func(l *Layer, _ *Options) { l.Act.Shape = []int{1, 2, 2, 8} }, []string{"conv1", "activations", "shape"}},
		{"wgt shape", func(l *Layer, _ *Options) { l.Wgt.Shape = []int{3, 2, 9}; l.Wgt.Codes = make([]int32, 54) }, []string{"conv1", "weights", "shape"}},
		{"codes vs shape", func(l *Layer, _ *Options) { l.Act.Codes = l.Act.Codes[:30] }, []string{"conv1", "activations", "30"}},
		{"nil act", func(l *Layer, _ *Options) { l.Act = nil }, []string{"conv1", "activations missing"}},
		{"nil wgt", func(l *Layer, _ *Options) { l.Wgt = nil }, []string{"conv1", "weights missing"}},
		{"act code range", func(l *Layer, _ *Options) { l.Act.Codes[5] = 40000 }, []string{"conv1", "activations", "40000", "element 5"}},
		{"wgt code range", func(l *Layer, _ *Options) { l.Wgt.Bits, l.Wgt.Signed = 8, false; l.Wgt.Codes[7] = -1 }, []string{"conv1", "weights", "element 7"}},
		{"act precision", func(l *Layer, _ *Options) { l.ActPrecision = 17 }, []string{"conv1", "ActPrecision"}},
		{"wgt precision", func(l *Layer, _ *Options) { l.WgtPrecision = -1 }, []string{"conv1", "WgtPrecision"}},
		{"bits", func(l *Layer, _ *Options) { l.Act.Bits = 12 }, []string{"conv1", "activations", "bits = 12"}},
		{"baseline narrower than codes", func(_ *Layer, o *Options) { o.Bits = 8 }, []string{"conv1", "options.bits"}},
		{"geometry", func(l *Layer, _ *Options) { l.Layer.Groups = 4 }, []string{"conv1", "groups"}},
		{"kernel too large", func(l *Layer, _ *Options) { l.Layer.R = 7 }, []string{"conv1", "kernel"}},
		{"kind", func(l *Layer, _ *Options) { l.Layer.Kind = "pool" }, []string{"conv1", "kind"}},
		{"encoding", func(_ *Layer, o *Options) { o.Encoding = "gray" }, []string{"options.encoding", "gray"}},
		{"zero cost", func(_ *Layer, o *Options) { o.ZeroCost = 2 }, []string{"options.zero_cost"}},
		{"group", func(_ *Layer, o *Options) { o.Group = 0 }, []string{"options.group"}},
		{"scheme", func(_ *Layer, o *Options) { o.Schemes = []Scheme{"Ae", "Stripes2"} }, []string{"options.schemes[1]", "Stripes2"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, o := good(), DefaultOptions()
			c.mutate(&l, &o)
			_, err := Compute(l, o)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestOptionsValidate(t *testing.T) {
	cases := []struct {
		name string
		o    func() Options
		ok   bool
	}{
		{"default", DefaultOptions, true},
		{"dnnsim", DNNsimPreset, true},
		{"8 bits", func() Options { o := DefaultOptions(); o.Bits = 8; return o }, true},
		{"0 bits", func() Options { o := DefaultOptions(); o.Bits = 0; return o }, false},
		{"33 bits", func() Options { o := DefaultOptions(); o.Bits = 33; return o }, false},
		{"brick 3", func() Options { o := DefaultOptions(); o.BrickBits = 3; return o }, false},
		{"dup scheme", func() Options { o := DefaultOptions(); o.Schemes = []Scheme{Ae, Ae}; return o }, false},
		{"empty encoding", func() Options { o := DefaultOptions(); o.Encoding = ""; return o }, false},
	}
	for _, c := range cases {
		if err := c.o().Validate(); (err == nil) != c.ok {
			t.Errorf("%s: Validate() = %v, want ok=%v", c.name, err, c.ok)
		}
	}
	p := DNNsimPreset()
	if p.Encoding != terms.DNNsim || p.ZeroCost != 1 || p.Bits != 16 {
		t.Errorf("DNNsimPreset = %+v", p)
	}
}

func TestParseScheme(t *testing.T) {
	for _, s := range Schemes() {
		got, err := ParseScheme(strings.ToLower(string(s)))
		if err != nil || got != s {
			t.Errorf("ParseScheme(%q) = %q, %v", s, got, err)
		}
	}
	if s, _ := ParseScheme("Laconic"); s != WeAe {
		t.Errorf("laconic -> %q", s)
	}
	if _, err := ParseScheme("nope"); err == nil || !strings.Contains(err.Error(), "We+Ae") {
		t.Errorf("unknown scheme error %v", err)
	}
}

// A hand-checked layer: one 1x1 dense product per scheme.
func TestWorkHandChecked(t *testing.T) {
	f := terms.Format{Bits: 16, Signed: true}
	ly := nn.Layer{Name: "fc", Kind: nn.KindDense, N: 1, C: 2, H: 1, W: 1, K: 1, R: 1, S: 1, StrideH: 1, StrideW: 1, Groups: 1}
	// a = (7, 0), w = (60, 3): products 7*60 and 0*3. csd: 7 -> 2 terms, 60 -> 2, 3 -> 2.
	l := Layer{Layer: ly, Act: qtensor([]int{1, 2}, []int32{7, 0}, f), Wgt: qtensor([]int{1, 2}, []int32{60, 3}, f)}
	r, err := Compute(l, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	// pa = 3+1 = 4 bits, pw = 6+1 = 7 bits; group of 16 channels: pg = 4 for both.
	want := map[Scheme]int64{Base: 2 * 256, A: 256, W: 512, WA: 256, Ap: 2 * 4 * 16, ApDyn: 2 * 4 * 16,
		Ae: 2 * 16, We: (2 + 2) * 16, WAp: 2 * 4 * 16, WAe: 2 * 16, WeAe: 4, WpAp: 2 * 28, BitFusion: 2 * 4 * 8}
	for s, w := range want {
		if g := r.Work(s); g != w {
			t.Errorf("%s: work %d, want %d", s, g, w)
		}
	}
	o := DefaultOptions()
	o.ZeroCost = 1
	r1, _ := Compute(l, o)
	want1 := map[Scheme]int64{Ae: (2 + 1) * 16, WAe: (2 + 1) * 16, WeAe: 4 + 1, We: 4 * 16, A: 256}
	for s, w := range want1 {
		if g := r1.Work(s); g != w {
			t.Errorf("zero cost 1: %s: work %d, want %d", s, g, w)
		}
	}
	if r1.TermPairWork() != 5 || r.TermPairWork() != 5 {
		t.Errorf("term-pair work %d/%d, want 5", r.TermPairWork(), r1.TermPairWork())
	}
}
