package terms

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"strings"
	"testing"
)

// randomCodes returns n codes of f, mostly small magnitudes (as real
// tensors have) plus uniform ones, from a fixed seed.
func randomCodes(f Format, n int, seed uint64) []int32 {
	r := rand.New(rand.NewPCG(seed, 1))
	out := make([]int32, n)
	span := int64(f.Max()) - int64(f.Min()) + 1
	for i := range out {
		switch r.IntN(3) {
		case 0:
			out[i] = 0
		case 1:
			out[i] = f.Min() + int32(r.Int64N(span))
		default:
			v := int32(r.IntN(64))
			if f.Signed && r.IntN(2) == 0 {
				v = -v
			}
			out[i] = v
		}
	}
	return out
}

// slowStats summarises codes with Count, one value at a time.
func slowStats(t *testing.T, e Encoding, f Format, codes []int32) Stats {
	s := NewStats(e, f)
	for _, v := range codes {
		c, err := Count(e, v, f)
		if err != nil {
			t.Fatal(err)
		}
		s.N++
		s.Terms += int64(c)
		s.Hist[c]++
		if v == 0 {
			s.Zeros++
		}
		s.OneBits += int64(slowBinary(v))
	}
	return s
}

func TestBulkMatchesCount(t *testing.T) {
	for _, f := range allFormats {
		for _, e := range Encodings() {
			tab, err := NewTable(e, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range []int{0, 1, 3, 4, 7, 1000} {
				codes := randomCodes(f, n, uint64(n)+uint64(f.Bits))
				want := make([]uint8, n)
				for i, v := range codes {
					c, _ := Count(e, v, f)
					want[i] = uint8(c)
				}
				check := func(name string, got []uint8, err error) {
					t.Helper()
					if err != nil {
						t.Fatalf("%s %s %s n=%d: %v", name, e, f, n, err)
					}
					if string(got[:n]) != string(want) {
						t.Fatalf("%s %s %s n=%d: counts differ from Count", name, e, f, n)
					}
				}
				got := make([]uint8, n+2)
				check("CountInt32", got, tab.CountInt32(got, codes))
				wantStats := slowStats(t, e, f, codes)
				if s, err := tab.StatsInt32(codes); err != nil || s != wantStats {
					t.Fatalf("StatsInt32 %s %s n=%d = %+v, %v; want %+v", e, f, n, s, err, wantStats)
				}
				if f.Bits == 16 && !f.Signed {
					continue // int16 and uint8 cannot hold these codes
				}
				if f.Bits == 16 || f.Signed {
					c16 := make([]int16, n)
					for i, v := range codes {
						c16[i] = int16(v)
					}
					got = make([]uint8, n)
					check("CountInt16", got, tab.CountInt16(got, c16))
					if s, err := tab.StatsInt16(c16); err != nil || s != wantStats {
						t.Fatalf("StatsInt16 %s %s n=%d = %+v, %v; want %+v", e, f, n, s, err, wantStats)
					}
				}
				if !f.Signed {
					c8 := make([]uint8, n)
					for i, v := range codes {
						c8[i] = uint8(v)
					}
					got = make([]uint8, n)
					check("CountUint8", got, tab.CountUint8(got, c8))
					if s, err := tab.StatsUint8(c8); err != nil || s != wantStats {
						t.Fatalf("StatsUint8 %s %s n=%d = %+v, %v; want %+v", e, f, n, s, err, wantStats)
					}
				}
			}
		}
	}
}

// TestBulkInt16AllCodes runs every int16 code through every table.
func TestBulkInt16AllCodes(t *testing.T) {
	src := make([]int16, 1<<16)
	for i := range src {
		src[i] = int16(uint16(i))
	}
	tab, _ := NewTable(CSD, Format{16, true})
	dst := make([]uint8, len(src))
	if err := tab.CountInt16(dst, src); err != nil {
		t.Fatal(err)
	}
	for i, v := range src {
		if int(dst[i]) != bits.OnesCount64(((3*uint64(slowMagnitude(int32(v))))^uint64(slowMagnitude(int32(v))))>>1) {
			t.Fatalf("code %d: %d", v, dst[i])
		}
		if want := minSignedDigits(slowMagnitude(int32(v))); int(dst[i]) != want {
			t.Fatalf("code %d: %d terms, minimum %d", v, dst[i], want)
		}
	}
}

func TestBulkErrors(t *testing.T) {
	i8, _ := NewTable(Binary, Format{8, true})
	u8, _ := NewTable(Binary, Format{8, false})
	u16, _ := NewTable(Binary, Format{16, false})
	tests := []struct {
		name string
		run  func() error
		want string
	}{
		{"int16 into int8", func() error { return i8.CountInt16(make([]uint8, 6), []int16{0, 1, 2, 3, 4, 200}) }, "element 5 = 200 outside the int8 range"},
		{"int16 negative into uint16", func() error { return u16.CountInt16(make([]uint8, 2), []int16{5, -3}) }, "element 1 = -3 outside the uint16 range"},
		{"int32 into uint8", func() error { return u8.CountInt32(make([]uint8, 2), []int32{256, 1}) }, "element 0 = 256 outside the uint8 range"},
		{"uint8 into int8", func() error { return i8.CountUint8(make([]uint8, 2), []uint8{1, 128}) }, "element 1 = 128 outside the int8 range"},
		{"short dst int16", func() error { return i8.CountInt16(make([]uint8, 1), []int16{0, 1}) }, "destination holds 1 counts, need 2"},
		{"short dst int32", func() error { return i8.CountInt32(nil, []int32{0}) }, "destination holds 0 counts"},
		{"short dst uint8", func() error { return u8.CountUint8(nil, []uint8{0}) }, "destination holds 0 counts"},
		{"stats int16", func() error { _, err := i8.StatsInt16([]int16{-129}); return err }, "element 0 = -129"},
		{"stats int32", func() error { _, err := u8.StatsInt32([]int32{3, -1}); return err }, "element 1 = -1"},
		{"stats uint8", func() error { _, err := i8.StatsUint8([]uint8{255}); return err }, "element 0 = 255"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.run(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}

func TestStatsMeasures(t *testing.T) {
	tab, _ := NewTable(CSD, Format{8, true})
	s, err := tab.StatsInt32([]int32{0, 0, 7, -128})
	if err != nil {
		t.Fatal(err)
	}
	// 7 = 8-1 (2 csd terms, 3 bits), -128 = -2^7 (1 term, 1 bit).
	tests := []struct {
		name      string
		got, want float64
	}{
		{"N", float64(s.N), 4},
		{"Zeros", float64(s.Zeros), 2},
		{"Terms", float64(s.Terms), 3},
		{"MeanTerms", s.MeanTerms(), 0.75},
		{"ZeroFraction", s.ZeroFraction(), 0.5},
		{"BitSparsity", s.BitSparsity(), 1 - 4.0/(4*7)},
		{"MaxCount", float64(s.MaxCount()), 2},
		{"Hist[2]", float64(s.Hist[2]), 1},
		{"empty MeanTerms", NewStats(CSD, Format{8, true}).MeanTerms(), 0},
		{"empty BitSparsity", NewStats(CSD, Format{8, true}).BitSparsity(), 0},
		{"empty ZeroFraction", Stats{}.ZeroFraction(), 0},
	}
	for _, tc := range tests {
		if math.Abs(tc.got-tc.want) > 1e-12 {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	u, _ := NewTable(Binary, Format{16, false})
	su, _ := u.StatsInt32([]int32{0xFFFF, 0})
	if got := su.BitSparsity(); got != 0.5 {
		t.Errorf("uint16 bit sparsity = %v, want 0.5", got)
	}
}

func TestStatsAdd(t *testing.T) {
	tab, _ := NewTable(DNNsim, Format{16, true})
	codes := randomCodes(Format{16, true}, 500, 9)
	whole, _ := tab.StatsInt32(codes)
	var sum Stats
	for _, part := range [][]int32{codes[:0], codes[:123], codes[123:400], codes[400:]} {
		s, _ := tab.StatsInt32(part)
		if err := sum.Add(s); err != nil {
			t.Fatal(err)
		}
	}
	if err := sum.Add(Stats{}); err != nil {
		t.Fatal(err)
	}
	if sum != whole {
		t.Errorf("sum of parts %+v != whole %+v", sum, whole)
	}
	other, _ := NewTable(CSD, Format{16, true})
	o, _ := other.StatsInt32(codes[:3])
	if err := sum.Add(o); err == nil || !strings.Contains(err.Error(), "cannot add csd int16") {
		t.Errorf("mixing encodings: %v", err)
	}
}
