package quant

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/terms"
)

func tensorOf(shape []int, data ...float32) *nn.Tensor {
	return &nn.Tensor{Shape: shape, Data: data}
}

func vec(data ...float32) *nn.Tensor { return tensorOf([]int{len(data)}, data...) }

// randomTensor returns n values, normally distributed with the given
// spread, with some exact zeros, from a fixed seed.
func randomTensor(shape []int, spread float64, seed uint64) *nn.Tensor {
	r := rand.New(rand.NewPCG(seed, 7))
	t := nn.NewTensor(shape...)
	for i := range t.Data {
		if r.IntN(4) == 0 {
			continue
		}
		t.Data[i] = float32(r.NormFloat64() * spread)
	}
	return t
}

// slowFixed16 finds the code nearest to x*2^frac among -32767..32767 by
// comparing the two integer neighbours (ties to the larger magnitude).
func slowFixed16(x float32, frac int) int32 {
	y := float64(x) * math.Pow(2, float64(frac))
	lo := math.Floor(y)
	best := lo
	if d1, d2 := y-lo, lo+1-y; d2 < d1 || (d2 == d1 && y > 0) {
		best = lo + 1
	}
	if best > 32767 {
		best = 32767
	}
	if best < -32767 {
		best = -32767
	}
	return int32(best)
}

func TestFixed16Values(t *testing.T) {
	tests := []struct {
		name      string
		mag, frac int
		in        []float32
		want      []int32
	}{
		{"activations 13:2", 13, 2, []float32{0, 1.3, -0.625, 0.375, 2047.75, 1e6, -1e6, 8191.75, 8192}, []int32{0, 5, -3, 2, 8191, 32767, -32767, 32767, 32767}},
		{"weights 0:15", 0, 15, []float32{0.5, -0.5, 1, -1, 1.0 / 32768, 0.4 / 32768, -2}, []int32{16384, -16384, 32767, -32767, 1, 0, -32767}},
		{"integers 15:0", 15, 0, []float32{2.5, -2.5, 32766.6, -40000}, []int32{3, -3, 32767, -32767}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, err := Fixed16(vec(tc.in...), tc.mag, tc.frac)
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range tc.want {
				if q.Codes[i] != want {
					t.Errorf("x = %v: code %d, want %d", tc.in[i], q.Codes[i], want)
				}
			}
			if q.Scheme != SchemeFixed16 || q.Bits != 16 || !q.Signed || q.Mag != tc.mag || q.Frac != tc.frac {
				t.Errorf("tensor header %+v", q)
			}
			if err := q.Validate(); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestFixed16MatchesSlow(t *testing.T) {
	for _, frac := range []int{0, 2, 8, 15} {
		in := randomTensor([]int{2, 3, 17, 5}, math.Pow(2, float64(15-frac))/3, uint64(frac))
		q, err := Fixed16(in, 15-frac, frac)
		if err != nil {
			t.Fatal(err)
		}
		for i, x := range in.Data {
			if want := slowFixed16(x, frac); q.Codes[i] != want {
				t.Fatalf("frac %d x = %v: code %d, slow reference %d", frac, x, q.Codes[i], want)
			}
		}
	}
}

func TestBadInput(t *testing.T) {
	nan := float32(math.NaN())
	inf := float32(math.Inf(-1))
	stored := func(tt *nn.Tensor, s *nn.Stored) *nn.Tensor { tt.Stored = s; return tt }
	tests := []struct {
		name string
		run  func() error
		want string
	}{
		{"nil fixed", func() error { _, err := Fixed16(nil, 13, 2); return err }, "nil tensor"},
		{"empty fixed", func() error { _, err := Fixed16(tensorOf([]int{0, 3}), 13, 2); return err }, "empty tensor (shape [0 3])"},
		{"shape mismatch", func() error { _, err := Fixed16(tensorOf([]int{2, 2}, 1, 2, 3), 13, 2); return err }, "needs 4 values, have 3"},
		{"NaN", func() error { _, err := Fixed16(tensorOf([]int{2, 2}, 1, 2, nan, 3), 13, 2); return err }, "element 2 (index [1 0]) of tensor [2 2] is NaN"},
		{"Inf affine", func() error { _, err := Affine8(vec(0, inf)); return err }, "element 1 (index [1]) of tensor [2] is -Inf"},
		{"Inf profiled", func() error { _, err := Fixed16Profiled(vec(inf)); return err }, "is -Inf"},
		{"empty affine", func() error { _, err := Affine8(vec()); return err }, "empty tensor"},
		{"mag+frac 16", func() error { _, err := Fixed16(vec(1), 8, 8); return err }, "mag=8 frac=8 invalid"},
		{"negative mag", func() error { _, err := Fixed16(vec(1), -1, 16); return err }, "mag=-1 frac=16 invalid"},
		{"raw without codes", func() error { _, err := RawCodes(vec(1)); return err }, "has no stored codes"},
		{"raw nil", func() error { _, err := RawCodes(nil); return err }, "nil tensor"},
		{"raw count", func() error {
			_, err := RawCodes(stored(vec(1, 2), &nn.Stored{Codes: []uint8{1}, Scale: 1}))
			return err
		}, "needs 2 codes, tensor stores 1"},
		{"raw NaN scale", func() error {
			_, err := RawCodes(stored(vec(1), &nn.Stored{Codes: []uint8{1}, Scale: nan}))
			return err
		}, "must be finite"},
		{"raw negative scale", func() error {
			_, err := RawCodes(stored(vec(1), &nn.Stored{Codes: []uint8{1}, Scale: -1}))
			return err
		}, "scale >= 0"},
		{"raw empty", func() error {
			_, err := RawCodes(stored(vec(), &nn.Stored{Codes: []uint8{}, Scale: 1}))
			return err
		}, "empty tensor"},
		{"raw negative dim", func() error {
			_, err := RawCodes(stored(&nn.Tensor{Shape: []int{-1}}, &nn.Stored{Scale: 1}))
			return err
		}, "negative dimension"},
		{"raw data mismatch", func() error {
			_, err := RawCodes(stored(tensorOf([]int{2}, 1), &nn.Stored{Codes: []uint8{1, 2}, Scale: 1}))
			return err
		}, "needs 2 values, have 1"},
		{"group 0", func() error { _, err := GroupPrecisions(&Tensor{Shape: []int{1, 1}, Codes: []int32{0}}, 0); return err }, "want at least 1"},
		{"group rank 1", func() error {
			_, err := GroupPrecisions(&Tensor{Shape: []int{2}, Codes: []int32{0, 1}}, 16)
			return err
		}, "needs channels on axis 1"},
		{"group mismatch", func() error {
			_, err := GroupPrecisions(&Tensor{Shape: []int{1, 2, 2}, Codes: []int32{0}}, 16)
			return err
		}, "needs 4 codes, have 1"},
		{"group nil", func() error { _, err := ProfileGroups(nil, 16); return err }, "nil tensor"},
		{"group negative", func() error { _, err := ProfileGroups(&Tensor{Shape: []int{1, -2}}, 16); return err }, "negative dimension"},
		{"term encoding", func() error {
			q, _ := Fixed16(vec(1), 13, 2)
			_, err := q.TermCounts("base3")
			return err
		}, "unknown encoding"},
		{"term stats code", func() error {
			q := &Tensor{Scheme: SchemeAffine8, Bits: 8, Shape: []int{1}, Codes: []int32{300}}
			_, err := q.TermStats(terms.CSD)
			return err
		}, "element 0 = 300 outside the uint8 range"},
		{"term bits", func() error {
			q := &Tensor{Scheme: SchemeAffine8, Bits: 4, Shape: []int{1}, Codes: []int32{3}}
			_, err := q.TermStats(terms.CSD)
			return err
		}, "bits = 4"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.run(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}

func TestProfileFixed16(t *testing.T) {
	tests := []struct {
		name string
		in   []float32
		mag  int
	}{
		{"zeros", []float32{0, 0}, 0},
		{"below one", []float32{0.9, -0.2}, 0},
		{"one needs a magnitude bit", []float32{-1}, 1},
		{"largest 0:15 value", []float32{32767.0 / 32768}, 0},
		{"3.5", []float32{1, 3.5}, 2},
		{"4 - 2^-13 fits 2:13", []float32{4 - 1.0/8192}, 2},
		{"4", []float32{4}, 3},
		{"8191.75 fits 13:2", []float32{8191.75}, 13},
		{"8191.9 needs 14", []float32{8191.9}, 14},
		{"32767", []float32{32767}, 15},
		{"beyond 16 bits clips", []float32{1e9}, 15},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := ProfileFixed16(vec(tc.in...))
			if c.Mag != tc.mag || c.Frac != 15-tc.mag || c.Validate() != nil {
				t.Errorf("split %+v, want mag %d", c, tc.mag)
			}
		})
	}
}

// TestFixed16ProfiledNoClip checks on random tensors of many scales that
// the profiled split never clips and that one magnitude bit fewer would.
func TestFixed16ProfiledNoClip(t *testing.T) {
	for i, spread := range []float64{1e-4, 0.01, 0.3, 1, 7, 100, 5000} {
		in := randomTensor([]int{4, 33}, spread, uint64(i))
		q, err := Fixed16Profiled(in)
		if err != nil {
			t.Fatal(err)
		}
		var maxAbs float64
		for j, x := range in.Data {
			maxAbs = max(maxAbs, math.Abs(float64(x)))
			if d := math.Abs(q.Value(j) - float64(x)); d > math.Ldexp(1, -q.Frac-1) {
				t.Fatalf("spread %v: x = %v coded %d (%v) with mag %d: error %v", spread, x, q.Codes[j], q.Value(j), q.Mag, d)
			}
		}
		if q.Mag > 0 && maxAbs*math.Ldexp(1, 15-(q.Mag-1)) <= 32767 {
			t.Errorf("spread %v: mag %d is not minimal for max %v", spread, q.Mag, maxAbs)
		}
	}
}

// slowAffine finds the code whose value Min + Scale*code is nearest to x.
func slowAffine(q *Tensor, x float32) int32 {
	best, bestD := int32(0), math.Inf(1)
	for c := int32(0); c < 256; c++ {
		if d := math.Abs(q.Min + q.Scale*float64(c) - float64(x)); d < bestD-1e-12*q.Scale {
			best, bestD = c, d
		}
	}
	return best
}

func TestAffine8(t *testing.T) {
	tests := []struct {
		name  string
		in    []float32
		zp    int32
		scale float64
		codes []int32
	}{
		{"positive", []float32{0, 1, 2.55}, 0, 0.01, []int32{0, 100, 255}},
		{"negative", []float32{-2.55, 0, -1.275}, 255, 0.01, []int32{0, 255, 128}},
		{"mixed", []float32{-1, 0, 3}, 64, 4.0 / 255, []int32{0, 64, 255}},
		{"zeros", []float32{0, 0}, 0, 1, []int32{0, 0}},
		{"positive only, range extended to 0", []float32{2, 4}, 0, 4.0 / 255, []int32{128, 255}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, err := Affine8(vec(tc.in...))
			if err != nil {
				t.Fatal(err)
			}
			if q.ZeroPoint != tc.zp || math.Abs(q.Scale-tc.scale) > 1e-6*tc.scale || q.Signed || q.Bits != 8 || q.Scheme != SchemeAffine8 {
				t.Errorf("header %+v, want zero point %d scale %v", q, tc.zp, tc.scale)
			}
			for i, want := range tc.codes {
				if q.Codes[i] != want {
					t.Errorf("x = %v: code %d, want %d", tc.in[i], q.Codes[i], want)
				}
			}
		})
	}
}

func TestAffine8MatchesSlow(t *testing.T) {
	for i, shift := range []float64{0, 0.5, 3, -2} {
		in := randomTensor([]int{3, 40}, 1, uint64(i))
		for j := range in.Data {
			in.Data[j] += float32(shift)
		}
		q, err := Affine8(in)
		if err != nil {
			t.Fatal(err)
		}
		if q.Min != -float64(q.ZeroPoint)*q.Scale {
			t.Errorf("Min %v != -ZeroPoint*Scale", q.Min)
		}
		if q.Value(0) != float64(q.Codes[0]-q.ZeroPoint)*q.Scale && math.Abs(q.Value(0)-float64(q.Codes[0]-q.ZeroPoint)*q.Scale) > 1e-12 {
			t.Errorf("the two value forms differ")
		}
		for j, x := range in.Data {
			if want := slowAffine(q, x); q.Codes[j] != want {
				t.Fatalf("shift %v x = %v: code %d, nearest code %d", shift, x, q.Codes[j], want)
			}
			if x == 0 && q.Codes[j] != q.ZeroPoint {
				t.Fatalf("0 coded %d, zero point %d", q.Codes[j], q.ZeroPoint)
			}
		}
	}
}

func TestRawCodes(t *testing.T) {
	in := tensorOf([]int{1, 2, 2}, -0.5, 0, 0.25, 0.77)
	in.Stored = &nn.Stored{Codes: []uint8{0, 50, 75, 127}, Min: -0.5, Scale: 0.01}
	q, err := RawCodes(in)
	if err != nil {
		t.Fatal(err)
	}
	if q.ZeroPoint != 50 || q.Scheme != SchemeRaw || q.Signed || q.Bits != 8 || q.Min != -0.5 || q.Scale != float64(float32(0.01)) {
		t.Errorf("header %+v", q)
	}
	if got := q.Codes; got[0] != 0 || got[1] != 50 || got[2] != 75 || got[3] != 127 {
		t.Errorf("codes %v", got)
	}
	if math.Abs(q.Value(3)-0.77) > 1e-6 {
		t.Errorf("Value(3) = %v", q.Value(3))
	}
	if err := q.Validate(); err != nil {
		t.Error(err)
	}
	// Scale 0: every value is Min, zero point 0.
	in.Stored = &nn.Stored{Codes: []uint8{3, 3, 3, 3}, Min: 2}
	if q, err := RawCodes(in); err != nil || q.ZeroPoint != 0 || q.Value(1) != 2 {
		t.Errorf("scale 0: %+v, %v", q, err)
	}
	// Codes only (no float data) are accepted.
	if _, err := RawCodes(&nn.Tensor{Shape: []int{2}, Stored: &nn.Stored{Codes: []uint8{1, 2}, Scale: 1}}); err != nil {
		t.Error(err)
	}
}

func TestPrecision(t *testing.T) {
	tests := []struct {
		name   string
		codes  []int32
		signed bool
		bits   int
		want   int
	}{
		{"signed zeros", []int32{0, 0}, true, 16, 1},
		{"unsigned zeros", []int32{0}, false, 8, 0},
		{"signed 1", []int32{0, -1}, true, 16, 2},
		{"signed 255", []int32{255, -3}, true, 16, 9},
		{"signed -256", []int32{-256}, true, 16, 10},
		{"signed max", []int32{32767}, true, 16, 16},
		{"signed min capped", []int32{-32768}, true, 16, 16},
		{"unsigned 255", []int32{255, 1}, false, 8, 8},
		{"unsigned 128", []int32{128}, false, 8, 8},
		{"unsigned 127", []int32{127}, false, 8, 7},
		{"empty", nil, true, 16, 0},
	}
	for _, tc := range tests {
		q := &Tensor{Shape: []int{len(tc.codes)}, Codes: tc.codes, Signed: tc.signed, Bits: tc.bits}
		if got := Precision(q); got != tc.want {
			t.Errorf("%s: Precision = %d, want %d", tc.name, got, tc.want)
		}
	}
}

// slowGroupPrecisions computes each element's group precision from its
// multi-index directly.
func slowGroupPrecisions(q *Tensor, group int) []uint8 {
	n, c := q.Shape[0], q.Shape[1]
	s := len(q.Codes) / (n * c)
	out := make([]uint8, len(q.Codes))
	for i := range q.Codes {
		b, ch, p := i/(c*s), (i/s)%c, i%s
		g0 := ch / group * group
		var members []int32
		for k := g0; k < g0+group && k < c; k++ {
			members = append(members, q.Codes[(b*c+k)*s+p])
		}
		sub := &Tensor{Codes: members, Signed: q.Signed, Bits: q.Bits}
		out[i] = uint8(Precision(sub))
	}
	return out
}

func TestGroupPrecisions(t *testing.T) {
	shapes := [][]int{{1, 3}, {2, 40}, {2, 37, 3, 5}, {1, 16, 4, 4}, {3, 5, 2}}
	for si, shape := range shapes {
		for _, group := range []int{1, 4, DefaultGroup, 100} {
			for _, fixed := range []bool{true, false} {
				in := randomTensor(shape, 0.7, uint64(si))
				var q *Tensor
				var err error
				if fixed {
					q, err = Fixed16(in, 2, 13)
				} else {
					q, err = Affine8(in)
				}
				if err != nil {
					t.Fatal(err)
				}
				got, err := GroupPrecisions(q, group)
				if err != nil {
					t.Fatal(err)
				}
				want := slowGroupPrecisions(q, group)
				if string(got) != string(want) {
					t.Fatalf("shape %v group %d fixed %v: %v, slow reference %v", shape, group, fixed, got, want)
				}
				gp, err := ProfileGroups(q, group)
				if err != nil {
					t.Fatal(err)
				}
				var sum float64
				for _, p := range want {
					sum += float64(p)
				}
				wantGroups := shape[0] * ((shape[1] + group - 1) / group) * (len(q.Codes) / (shape[0] * shape[1]))
				if gp.Groups != wantGroups || math.Abs(gp.MeanPerValue-sum/float64(len(want))) > 1e-9 || gp.Max != Precision(q) || gp.Group != group {
					t.Errorf("shape %v group %d: profile %+v, want %d groups, mean per value %v, max %d", shape, group, gp, wantGroups, sum/float64(len(want)), Precision(q))
				}
			}
		}
	}
}

func TestProfileGroupsMeans(t *testing.T) {
	// One image, 3 channels, 1 position, groups of 2: {7, 0} -> 4 bits, {1} -> 2 bits.
	q := &Tensor{Shape: []int{1, 3}, Codes: []int32{7, 0, 1}, Signed: true, Bits: 16}
	gp, err := ProfileGroups(q, 2)
	if err != nil {
		t.Fatal(err)
	}
	if gp.Groups != 2 || gp.MeanPerGroup != 3 || math.Abs(gp.MeanPerValue-10.0/3) > 1e-12 || gp.Max != 4 {
		t.Errorf("profile %+v", gp)
	}
}

func TestConfig(t *testing.T) {
	tests := []struct {
		c    Config
		str  string
		want string // error substring, "" for valid
	}{
		{DefaultActivationFixed(), "fixed16:13.2", ""},
		{DefaultWeightFixed(), "fixed16:0.15", ""},
		{Config{Scheme: SchemeFixed16, Profiled: true}, "fixed16:profiled", ""},
		{Config{Scheme: SchemeAffine8}, "affine8", ""},
		{Config{Scheme: SchemeRaw}, "raw", ""},
		{Config{Scheme: SchemeFixed16, Mag: 10, Frac: 10}, "fixed16:10.10", "mag=10 frac=10 invalid"},
		{Config{Scheme: SchemeFixed16, Mag: 2, Frac: 13, Profiled: true}, "fixed16:profiled", "leave them 0"},
		{Config{Scheme: SchemeAffine8, Mag: 1}, "affine8", "takes no mag/frac"},
		{Config{Scheme: "int4"}, "int4", "unknown scheme"},
		{Config{}, "", "unknown scheme"},
	}
	for _, tc := range tests {
		err := tc.c.Validate()
		if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%+v: Validate = %v, want %q", tc.c, err, tc.want)
		}
		if tc.c.String() != tc.str {
			t.Errorf("%+v: String = %q, want %q", tc.c, tc.c.String(), tc.str)
		}
		if err == nil {
			b, _ := json.Marshal(tc.c)
			var back Config
			if err := json.Unmarshal(b, &back); err != nil || back != tc.c {
				t.Errorf("JSON round trip %s -> %+v, %v", b, back, err)
			}
		}
	}
	// The defaults are copies.
	d := DefaultActivationFixed()
	d.Mag = 1
	if DefaultActivationFixed().Mag != 13 {
		t.Error("DefaultActivationFixed shares state")
	}
	in := vec(0.5, -1.25)
	in.Stored = &nn.Stored{Codes: []uint8{1, 2}, Scale: 0.5}
	for _, c := range []Config{DefaultActivationFixed(), {Scheme: SchemeFixed16, Profiled: true}, {Scheme: SchemeAffine8}, {Scheme: SchemeRaw}} {
		q, err := c.Quantize(in)
		if err != nil || q.Len() != 2 || q.Validate() != nil {
			t.Errorf("%s: Quantize = %+v, %v", c, q, err)
		}
	}
	if _, err := (Config{Scheme: SchemeFixed16, Mag: 3}).Quantize(in); err == nil {
		t.Error("invalid config quantized")
	}
}

func TestTensorTerms(t *testing.T) {
	q, err := Fixed16(vec(0, 1.75, -1.75, 0.25), 13, 2) // codes 0, 7, -7, 1
	if err != nil {
		t.Fatal(err)
	}
	ops, f := q.Operands()
	if f != (terms.Format{Bits: 16, Signed: true}) || &ops[0] != &q.Codes[0] {
		t.Errorf("Operands format %v", f)
	}
	if m := q.Magnitudes(); m[0] != 0 || m[1] != 7 || m[2] != 7 || m[3] != 1 {
		t.Errorf("Magnitudes %v", m)
	}
	counts, err := q.TermCounts(terms.CSD)
	if err != nil || string(counts) != string([]uint8{0, 2, 2, 1}) {
		t.Errorf("TermCounts %v, %v", counts, err)
	}
	s, err := q.TermStats(terms.Binary)
	if err != nil || s.N != 4 || s.Zeros != 1 || s.Terms != 7 || s.OneBits != 7 {
		t.Errorf("TermStats %+v, %v", s, err)
	}
	d := q.Dequantize()
	if d.Data[1] != 1.75 || d.Data[2] != -1.75 {
		t.Errorf("Dequantize %v", d.Data)
	}
	if err := (&Tensor{Shape: []int{2}, Codes: []int32{1}, Bits: 16, Signed: true}).Validate(); err == nil {
		t.Error("Validate accepted a shape mismatch")
	}
	if err := (&Tensor{Shape: []int{1}, Codes: []int32{-1}, Bits: 8}).Validate(); err == nil {
		t.Error("Validate accepted a negative unsigned code")
	}
	if err := (*Tensor)(nil).Validate(); err == nil {
		t.Error("Validate accepted nil")
	}
	if _, err := ParseScheme("fixed8"); err == nil {
		t.Error("ParseScheme accepted fixed8")
	}
}

// FuzzQuantize feeds arbitrary float32 bit patterns to every scheme: they
// must return an error or valid codes, never panic.
func FuzzQuantize(f *testing.F) {
	f.Add([]byte{0, 0, 0x80, 0x7f, 0, 0, 0xc0, 0x7f}) // +Inf, NaN
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
	f.Add([]byte{0xff, 0xff, 0x7f, 0x7f, 0xff, 0xff, 0x7f, 0xff}) // ±MaxFloat32
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		n := len(b) / 4
		in := nn.NewTensor(1, n)
		for i := range n {
			in.Data[i] = math.Float32frombits(uint32(b[4*i]) | uint32(b[4*i+1])<<8 | uint32(b[4*i+2])<<16 | uint32(b[4*i+3])<<24)
		}
		in.Stored = &nn.Stored{Codes: b[:n], Scale: 0.5}
		for _, c := range []Config{DefaultActivationFixed(), DefaultWeightFixed(), {Scheme: SchemeFixed16, Profiled: true}, {Scheme: SchemeAffine8}, {Scheme: SchemeRaw}} {
			q, err := c.Quantize(in)
			if err != nil {
				continue
			}
			if err := q.Validate(); err != nil {
				t.Fatalf("%s: %v", c, err)
			}
			if _, err := GroupPrecisions(q, DefaultGroup); err != nil {
				t.Fatalf("%s: %v", c, err)
			}
		}
	})
}
