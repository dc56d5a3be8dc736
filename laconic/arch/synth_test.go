package arch

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/quant"
)

// synthNet builds layers with a real network's geometry and synthetic
// operands: 16-bit fixed-point weights from a normal distribution scaled so
// that 4.5 sigma is full scale, and activations from a rectified normal (half
// zeros) scaled so that 6 sigma is full scale, as a per-layer profiled
// fixed-point split would place them.
type synthNet struct {
	name   string
	rng    *rand.Rand
	h, w   int // current spatial size
	layers []LayerData
}

func newSynth(name string, seed uint64, h int) *synthNet {
	return &synthNet{name: name, rng: rand.New(rand.NewPCG(seed, 7)), h: h, w: h}
}

func (s *synthNet) codes(n int, relu bool, full float64) *quant.Tensor {
	t := &quant.Tensor{Codes: make([]int32, n), Bits: 16, Signed: true, Scheme: quant.SchemeFixed16}
	for i := range t.Codes {
		x := s.rng.NormFloat64()
		if relu && x < 0 {
			x = 0
		}
		v := math.Round(x / full * 32767)
		t.Codes[i] = int32(max(-32767, min(32767, v)))
	}
	return t
}

// conv adds a convolution on the current spatial size; same padding keeps
// the size (for stride 1), valid padding shrinks it.
func (s *synthNet) conv(cin, cout, r, k, stride int, same bool, groups int) {
	l := nn.Layer{Name: fmt.Sprintf("%s_conv%d", s.name, len(s.layers)), Kind: nn.KindConv, N: 1, C: cin, H: s.h, W: s.w,
		K: cout, R: r, S: k, StrideH: stride, StrideW: stride, Groups: groups}
	if groups == cin && groups > 1 {
		l.Kind = nn.KindDepthwise
	}
	if same {
		oh, ow := (s.h+stride-1)/stride, (s.w+stride-1)/stride
		ph, pw := max(0, (oh-1)*stride+r-s.h), max(0, (ow-1)*stride+k-s.w)
		l.Pad = nn.Pad{Top: ph / 2, Bottom: ph - ph/2, Left: pw / 2, Right: pw - pw/2}
	}
	a := s.codes(nn.NumElements(l.InputShape()), true, 6)
	w := s.codes(nn.NumElements(l.WeightShape()), false, 4.5)
	s.layers = append(s.layers, LayerData{Model: s.name, Layer: l, Acts: a, Wgts: w})
}

func (s *synthNet) dense(cin, cout int) {
	l := nn.Layer{Name: fmt.Sprintf("%s_fc%d", s.name, len(s.layers)), Kind: nn.KindDense, N: 1, C: cin, K: cout,
		H: 1, W: 1, R: 1, S: 1, StrideH: 1, StrideW: 1, Groups: 1}
	s.layers = append(s.layers, LayerData{Model: s.name, Layer: l, Acts: s.codes(cin, true, 6), Wgts: s.codes(cin*cout, false, 4.5)})
}

// at sets the spatial size for the layers that follow (branches of a block
// share the block's input size).
func (s *synthNet) at(h int) { s.h, s.w = h, h }

// synthInceptionV3 has the 94 convolutions and the classifier of Keras'
// InceptionV3 at 299x299 (5.7 G multiplies).
func synthInceptionV3(seed uint64) []LayerData {
	s := newSynth("inception_v3", seed, 299)
	s.conv(3, 32, 3, 3, 2, false, 1)
	s.at(149)
	s.conv(32, 32, 3, 3, 1, false, 1)
	s.at(147)
	s.conv(32, 64, 3, 3, 1, true, 1)
	s.at(73)
	s.conv(64, 80, 1, 1, 1, true, 1)
	s.conv(80, 192, 3, 3, 1, false, 1)
	s.at(35)
	in := 192
	for _, pool := range []int{32, 64, 64} {
		s.conv(in, 64, 1, 1, 1, true, 1)
		s.conv(in, 48, 1, 1, 1, true, 1)
		s.conv(48, 64, 5, 5, 1, true, 1)
		s.conv(in, 64, 1, 1, 1, true, 1)
		s.conv(64, 96, 3, 3, 1, true, 1)
		s.conv(96, 96, 3, 3, 1, true, 1)
		s.conv(in, pool, 1, 1, 1, true, 1)
		in = 64 + 64 + 96 + pool
	}
	s.conv(288, 384, 3, 3, 2, false, 1)
	s.conv(288, 64, 1, 1, 1, true, 1)
	s.conv(64, 96, 3, 3, 1, true, 1)
	s.conv(96, 96, 3, 3, 2, false, 1)
	s.at(17)
	for _, c7 := range []int{128, 160, 160, 192} {
		s.conv(768, 192, 1, 1, 1, true, 1)
		s.conv(768, c7, 1, 1, 1, true, 1)
		s.conv(c7, c7, 1, 7, 1, true, 1)
		s.conv(c7, 192, 7, 1, 1, true, 1)
		s.conv(768, c7, 1, 1, 1, true, 1)
		s.conv(c7, c7, 7, 1, 1, true, 1)
		s.conv(c7, c7, 1, 7, 1, true, 1)
		s.conv(c7, c7, 7, 1, 1, true, 1)
		s.conv(c7, 192, 1, 7, 1, true, 1)
		s.conv(768, 192, 1, 1, 1, true, 1)
	}
	s.conv(768, 192, 1, 1, 1, true, 1)
	s.conv(192, 320, 3, 3, 2, false, 1)
	s.conv(768, 192, 1, 1, 1, true, 1)
	s.conv(192, 192, 1, 7, 1, true, 1)
	s.conv(192, 192, 7, 1, 1, true, 1)
	s.conv(192, 192, 3, 3, 2, false, 1)
	s.at(8)
	in = 1280
	for i := 0; i < 2; i++ {
		s.conv(in, 320, 1, 1, 1, true, 1)
		s.conv(in, 384, 1, 1, 1, true, 1)
		s.conv(384, 384, 1, 3, 1, true, 1)
		s.conv(384, 384, 3, 1, 1, true, 1)
		s.conv(in, 448, 1, 1, 1, true, 1)
		s.conv(448, 384, 3, 3, 1, true, 1)
		s.conv(384, 384, 1, 3, 1, true, 1)
		s.conv(384, 384, 3, 1, 1, true, 1)
		s.conv(in, 192, 1, 1, 1, true, 1)
		in = 2048
	}
	s.dense(2048, 1000)
	return s.layers
}

// synthMobileNetV2 has the geometry of MobileNetV2 1.0 at 224x224 (about
// 300 M multiplies).
func synthMobileNetV2(seed uint64) []LayerData {
	s := newSynth("mobilenet_v2", seed, 224)
	s.conv(3, 32, 3, 3, 2, true, 1)
	h, in := 112, 32
	s.at(h)
	for _, b := range []struct{ t, c, n, st int }{{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}} {
		for i := 0; i < b.n; i++ {
			st := 1
			if i == 0 {
				st = b.st
			}
			e := in * b.t
			if b.t != 1 {
				s.conv(in, e, 1, 1, 1, true, 1)
			}
			s.conv(e, e, 3, 3, st, true, e)
			h = (h + st - 1) / st
			s.at(h)
			s.conv(e, b.c, 1, 1, 1, true, 1)
			in = b.c
		}
	}
	s.conv(320, 1280, 1, 1, 1, true, 1)
	s.dense(1280, 1000)
	return s.layers
}

func totalMACs(ls []LayerData) int64 {
	var m int64
	for _, l := range ls {
		m += l.Layer.MACs()
	}
	return m
}
