package work

import (
	"encoding/binary"
	"testing"

	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/quant"
	"github.com/laconiclab/toolkit/laconic/terms"
)

// fuzzLayer decodes a layer and options from bytes. Byte values below 250
// give valid, consistent geometry (sizes 1..5, padding 0..2, groups that
// divide); values 250..255 give out-of-range ones (-1..4), so that both the
// computation and the validation get exercised.
func fuzzLayer(data []byte) (Layer, Options) {
	next := func() int {
		if len(data) == 0 {
			return 0
		}
		v := int(data[0])
		data = data[1:]
		return v
	}
	size := func() int { // 1..5, or -1..4 for bytes >= 250
		v := next()
		if v >= 250 {
			return v - 251
		}
		return 1 + v%5
	}
	pad := func() int {
		v := next()
		if v >= 250 {
			return -1
		}
		return v % 3
	}
	kinds := []nn.LayerKind{nn.KindConv, nn.KindGrouped, nn.KindDepthwise, nn.KindDense, nn.KindLSTM, "pool"}
	ly := nn.Layer{Name: "fuzz", Kind: kinds[next()%len(kinds)], N: size(), C: size(), H: size(), W: size(), K: size(),
		R: size(), S: size(), StrideH: size(), StrideW: size(),
		Pad:    nn.Pad{Top: pad(), Bottom: pad(), Left: pad(), Right: pad()},
		Groups: 1}
	switch g := size(); ly.Kind {
	case nn.KindGrouped:
		ly.Groups, ly.C, ly.K = g, g*ly.C, g*ly.K
	case nn.KindDepthwise:
		ly.Groups, ly.K = ly.C, ly.C*ly.K
	case nn.KindDense, nn.KindLSTM:
		ly.H, ly.W, ly.R, ly.S, ly.StrideH, ly.StrideW, ly.Pad = 1, 1, 1, 1, 1, 1, nn.Pad{}
		if g < 1 {
			ly.Groups = g // invalid for dense
		}
	}
	for ly.R > 0 && ly.H > 0 && ly.H+ly.Pad.Top+ly.Pad.Bottom < ly.R && ly.Pad.Bottom >= 0 && next() < 250 {
		ly.Pad.Bottom++
	}
	for ly.S > 0 && ly.W > 0 && ly.W+ly.Pad.Left+ly.Pad.Right < ly.S && ly.Pad.Right >= 0 && next() < 250 {
		ly.Pad.Right++
	}
	af, wf := formats[next()%len(formats)], formats[next()%len(formats)]
	if next() >= 250 {
		af.Bits = 12 // an invalid width
	}
	o := DefaultOptions()
	o.Encoding = terms.Encodings()[next()%4]
	if v := next(); v >= 250 {
		o.ZeroCost = 2
	} else {
		o.ZeroCost = v % 2
	}
	if v := next(); v >= 250 {
		o.Bits = v - 250 // 0..5: narrower than the codes
	} else {
		o.Bits = []int{16, 20}[v%2]
	}
	if v := next(); v >= 250 {
		o.Group = 0
	} else {
		o.Group = 1 + v%17
	}
	prec := func() int {
		v := next()
		if v >= 250 {
			return -1
		}
		return v % 18 // 17 is out of range, and 9..16 are for 8-bit codes
	}
	pa, pw := prec(), prec()
	shape := func(want []int) []int {
		s := append([]int(nil), want...)
		if next() >= 250 && len(s) > 0 {
			s[0]++ // a wrong shape
		}
		for _, d := range s {
			if d < 0 {
				return []int{0}
			}
		}
		return s
	}
	codes := func(n int, f terms.Format) []int32 {
		if n < 0 || n > 4096 {
			n = 0
		}
		out := make([]int32, n)
		for i := range out {
			if len(data) >= 2 {
				v := int32(int16(binary.LittleEndian.Uint16(data)))
				data = data[2:]
				if !f.Signed && f.Bits == 8 {
					v &= 0x1ff // sometimes outside 0..255
				}
				out[i] = v
			}
		}
		return out
	}
	l := Layer{Layer: ly, ActPrecision: pa, WgtPrecision: pw}
	geo := ly
	if geo.Groups == 0 { // WeightShape divides by Groups
		geo.Groups = 1
	}
	as, ws := shape(geo.InputShape()), shape(geo.WeightShape())
	l.Act = &quant.Tensor{Shape: as, Codes: codes(nn.NumElements(as), af), Bits: af.Bits, Signed: af.Signed}
	l.Wgt = &quant.Tensor{Shape: ws, Codes: codes(nn.NumElements(ws), wf), Bits: wf.Bits, Signed: wf.Signed}
	return l, o
}

// FuzzCompute feeds arbitrary layers, codes and options to Compute: it must
// never panic, and whenever it accepts the input its result must equal the
// per-multiply reference.
func FuzzCompute(f *testing.F) {
	seed := func(prefix ...byte) []byte {
		b := append([]byte(nil), prefix...)
		for i := 0; i < 600; i++ {
			b = append(b, byte(i*37+11), byte(i%5))
		}
		return b
	}
	f.Add(seed(0, 1, 3, 4, 4, 2, 2, 2, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 15, 0, 0))   // conv 3x3
	f.Add(seed(1, 1, 3, 2, 3, 1, 2, 1, 2, 1, 0, 2, 1, 0, 1, 0, 0, 0, 1, 2, 1, 0, 3, 5, 7))    // grouped, stride 3x2
	f.Add(seed(2, 0, 2, 4, 3, 1, 3, 3, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 3, 0, 1, 1, 2, 0, 0))    // depthwise, multiplier 2
	f.Add(seed(3, 1, 4, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1, 1, 0, 0, 4, 0, 0))    // dense
	f.Add(seed(0, 1, 3, 4, 4, 2, 2, 2, 1, 1, 250, 1, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 15, 0, 0)) // negative padding
	f.Add(seed(0, 1, 3, 4, 4, 2, 2, 2, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 3, 1, 0, 251, 15, 0, 0)) // baseline narrower than the codes
	f.Add(seed(5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)) // unknown kind
	f.Fuzz(func(t *testing.T, data []byte) {
		l, o := fuzzLayer(data)
		r, err := Compute(l, o)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if l.Layer.MACs() > 200000 {
			return
		}
		want := reference(l, o)
		for i, s := range allSchemes {
			if r.Work(s) != want.work[i] {
				t.Fatalf("%s: work %d, reference %d (layer %+v, options %+v)", s, r.Work(s), want.work[i], l.Layer, o)
			}
		}
	})
}
