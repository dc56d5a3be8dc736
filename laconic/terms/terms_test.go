package terms

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"testing"
)

var allFormats = []Format{{8, true}, {8, false}, {16, true}, {16, false}}

// ---- slow, obviously correct references -------------------------------

// slowMagnitude is |v| computed in int64.
func slowMagnitude(v int32) int64 {
	if v < 0 {
		return -int64(v)
	}
	return int64(v)
}

// slowBinary counts the '1' characters of the base-2 magnitude.
func slowBinary(v int32) int {
	return strings.Count(strconv.FormatInt(slowMagnitude(v), 2), "1")
}

const bfsRadius = 1 << 19

var (
	bfsOnce sync.Once
	bfsDist []int8
)

// minSignedDigits returns the minimal number of signed powers of two
// (+-2^k, k = 0..18, repetition allowed) that add up to n, found by a
// breadth-first search from 0 over the integers in [-2^19, 2^19]. It knows
// nothing of non-adjacent forms.
func minSignedDigits(n int64) int {
	bfsOnce.Do(func() {
		bfsDist = make([]int8, 2*bfsRadius+1)
		for i := range bfsDist {
			bfsDist[i] = -1
		}
		bfsDist[bfsRadius] = 0
		queue := []int64{0}
		for len(queue) > 0 {
			x := queue[0]
			queue = queue[1:]
			d := bfsDist[x+bfsRadius]
			for k := 0; k <= 18; k++ {
				for _, y := range []int64{x + 1<<k, x - 1<<k} {
					if y < -bfsRadius || y > bfsRadius || bfsDist[y+bfsRadius] >= 0 {
						continue
					}
					bfsDist[y+bfsRadius] = d + 1
					queue = append(queue, y)
				}
			}
		}
	})
	return int(bfsDist[n+bfsRadius])
}

// slowNAF recodes n digit by digit from the least significant end: an odd
// remainder takes the digit 2 - (n mod 4) (so the next digit is zero), an
// even one the digit 0.
func slowNAF(n int64) []int {
	var ds []int
	for n != 0 {
		d := 0
		if n%2 != 0 {
			d = 2 - int(n%4)
		}
		ds = append(ds, d)
		n = (n - int64(d)) / 2
	}
	return ds
}

// slowBooth4 returns the radix-4 Booth digits of v, read from the
// two's-complement bit string of v: Bits wide for signed formats, Bits+1
// (zero sign bit) for unsigned ones, sign-extended to an even width.
func slowBooth4(v int32, f Format) []int {
	w := f.Bits
	if !f.Signed {
		w++
	}
	if w%2 == 1 {
		w++
	}
	bit := func(i int) int {
		if i < 0 {
			return 0
		}
		u := uint64(int64(v)) // two's complement, sign-extended to 64 bits
		s := strconv.FormatUint(u, 2)
		s = strings.Repeat("0", 64-len(s)) + s
		return int(s[63-i] - '0')
	}
	ds := make([]int, w/2)
	for i := range ds {
		ds[i] = -2*bit(2*i+1) + bit(2*i) + bit(2*i-1)
	}
	return ds
}

// slowDNNsim follows the description of DNNsim's counter literally on
// strings and returns the marked positions (exponents), in increasing order.
func slowDNNsim(n int64, width int) []int {
	s := strconv.FormatInt(n, 2)
	s = strings.Repeat("0", width-len(s)) + s + "00"
	out := make([]bool, width+1) // out[j]: output bit j
	inRun := false
	for i := 0; i < width; i++ {
		copy(out[1:], out[:width]) // shift left by one
		out[0] = false
		switch s[i : i+3] {
		case "010", "011":
			if inRun {
				out[0] = true
			}
		case "100":
			out[0] = true
			inRun = false
		case "101", "110":
			if !inRun {
				out[0] = true
			}
		case "111":
			if !inRun {
				out[1] = true
				inRun = true
			}
		}
	}
	var pos []int
	for j, b := range out {
		if b {
			pos = append(pos, j)
		}
	}
	return pos
}

func widthOf(f Format) int {
	if f.Signed {
		return f.Bits
	}
	return f.Bits + 1
}

// ---- tests ---------------------------------------------------------------

// TestReferenceValues checks the binary / csd / dnnsim counts that the
// toolkit's notes on DNNsim list for 15-bit magnitudes.
func TestReferenceValues(t *testing.T) {
	tests := []struct {
		v                   int32
		binary, csd, dnnsim int
	}{
		{7, 3, 2, 2}, {15, 4, 2, 2}, {27, 4, 3, 4}, {60, 4, 2, 2}, {127, 7, 2, 2},
		{219, 6, 4, 6}, {1000, 6, 3, 3}, {14043, 10, 6, 10}, {21845, 8, 8, 8}, {32767, 15, 2, 2},
	}
	for _, tc := range tests {
		for _, f := range []Format{{16, true}, {16, false}} {
			for _, sign := range []int32{1, -1} {
				if sign < 0 && !f.Signed {
					continue
				}
				v := sign * tc.v
				for e, want := range map[Encoding]int{Binary: tc.binary, CSD: tc.csd, DNNsim: tc.dnnsim} {
					got, err := Count(e, v, f)
					if err != nil || got != want {
						t.Errorf("Count(%s, %d, %s) = %d, %v; want %d", e, v, f, got, err, want)
					}
				}
			}
		}
	}
}

// TestExhaustive checks every code of every format under every encoding
// against the slow references.
func TestExhaustive(t *testing.T) {
	for _, f := range allFormats {
		t.Run(f.String(), func(t *testing.T) {
			for v := f.Min(); v <= f.Max(); v++ {
				checkValue(t, v, f)
				if t.Failed() {
					t.Fatalf("stopping at %s code %d", f, v)
				}
			}
		})
	}
}

func checkValue(t *testing.T, v int32, f Format) {
	t.Helper()
	m := slowMagnitude(v)
	counts := map[Encoding]int{}
	for _, e := range Encodings() {
		c, err := Count(e, v, f)
		if err != nil {
			t.Errorf("Count(%s, %d, %s): %v", e, v, f, err)
			return
		}
		counts[e] = c
		ts, err := Decompose(e, v, f)
		if err != nil {
			t.Errorf("Decompose(%s, %d, %s): %v", e, v, f, err)
			return
		}
		if len(ts) != c {
			t.Errorf("%s %d %s: %d terms, Count = %d", e, v, f, len(ts), c)
		}
		if s := Sum(ts); s != int64(v) && !(e == DNNsim && f.Signed && v == f.Min()) {
			t.Errorf("%s %d %s: terms %v sum to %d", e, v, f, ts, s)
		}
		for i := 1; i < len(ts); i++ {
			if ts[i].Exp <= ts[i-1].Exp {
				t.Errorf("%s %d %s: exponents not increasing: %v", e, v, f, ts)
			}
		}
	}
	// binary = popcount.
	if want := slowBinary(v); counts[Binary] != want {
		t.Errorf("binary %d %s = %d, want %d", v, f, counts[Binary], want)
	}
	// csd: minimal, non-adjacent, equal to the digit-by-digit recoding.
	if want := minSignedDigits(m); counts[CSD] != want {
		t.Errorf("csd %d %s = %d, minimal signed-digit count %d", v, f, counts[CSD], want)
	}
	ts, _ := Decompose(CSD, v, f)
	for i := 1; i < len(ts); i++ {
		if ts[i].Exp == ts[i-1].Exp+1 {
			t.Errorf("csd %d %s: adjacent non-zero digits %v", v, f, ts)
		}
	}
	var nafTerms []Term
	for i, d := range slowNAF(m) {
		if d != 0 {
			nafTerms = append(nafTerms, Term{Negative: (d < 0) != (v < 0), Exp: i})
		}
	}
	if fmt.Sprint(nafTerms) != fmt.Sprint(ts) {
		t.Errorf("csd %d %s = %v, digit-by-digit NAF %v", v, f, ts, nafTerms)
	}
	// booth4: digits in {-2,-1,1,2} x 4^i, at most ceil(width/2), as the slow recoding.
	ts, _ = Decompose(Booth4, v, f)
	if max := (widthOf(f) + 1) / 2; len(ts) > max {
		t.Errorf("booth4 %d %s: %d digits > %d", v, f, len(ts), max)
	}
	var boothTerms []Term
	for i, d := range slowBooth4(v, f) {
		switch d {
		case 0:
		case 1, -1:
			boothTerms = append(boothTerms, Term{Negative: d < 0, Exp: 2 * i})
		case 2, -2:
			boothTerms = append(boothTerms, Term{Negative: d < 0, Exp: 2*i + 1})
		default:
			t.Fatalf("slow booth digit %d", d)
		}
	}
	if fmt.Sprint(boothTerms) != fmt.Sprint(ts) {
		t.Errorf("booth4 %d %s = %v, slow recoding %v", v, f, ts, boothTerms)
	}
	// dnnsim: positions as the literal description; csd <= dnnsim <= binary.
	ts, _ = Decompose(DNNsim, v, f)
	var exps []int
	for _, x := range ts {
		exps = append(exps, x.Exp)
	}
	dm := m
	if f.Signed && v == f.Min() { // DNNsim masks the sign position
		dm = 0
	}
	if want := slowDNNsim(dm, widthOf(f)); fmt.Sprint(exps) != fmt.Sprint(want) {
		t.Errorf("dnnsim %d %s: positions %v, literal description %v", v, f, exps, want)
	}
	if counts[DNNsim] > counts[Binary] || (counts[DNNsim] < counts[CSD] && dm == m) {
		t.Errorf("dnnsim %d %s = %d, outside [csd %d, binary %d]", v, f, counts[DNNsim], counts[CSD], counts[Binary])
	}
}

// TestDNNsimAgainstCSD checks the derived facts of the DNNsim counter over
// all 15-bit magnitudes 0..32767: it differs from CSD for exactly 6147
// values and its maximum, 10 terms, is first reached at 14043.
func TestDNNsimAgainstCSD(t *testing.T) {
	f := Format{16, true}
	differ, max, first := 0, 0, int32(-1)
	for v := int32(0); v <= 32767; v++ {
		d, _ := Count(DNNsim, v, f)
		c, _ := Count(CSD, v, f)
		if d != c {
			differ++
		}
		if d > max {
			max, first = d, v
		}
	}
	if differ != 6147 || max != 10 || first != 14043 {
		t.Errorf("dnnsim differs from csd for %d values, max %d first at %d; want 6147, 10, 14043", differ, max, first)
	}
}

// TestDerivedFacts checks the derived maxima and means of the toolkit's
// notes on terms (section "Terms and work").
func TestDerivedFacts(t *testing.T) {
	maxOver := func(e Encoding, f Format, lo, hi int32) int {
		m := 0
		for v := lo; v <= hi; v++ {
			c, err := Count(e, v, f)
			if err != nil {
				t.Fatal(err)
			}
			m = max(m, c)
		}
		return m
	}
	meanOver := func(e Encoding, f Format) float64 {
		s := 0
		for v := f.Min(); v <= f.Max(); v++ {
			c, _ := Count(e, v, f)
			s += c
		}
		return float64(s) / float64(f.Max()-f.Min()+1)
	}
	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{"csd max |x| <= 2^15", float64(maxOver(CSD, Format{16, true}, -32768, 32767)), 8},
		{"csd max unsigned 16-bit", float64(maxOver(CSD, Format{16, false}, 0, 65535)), 9},
		{"csd max unsigned 8-bit", float64(maxOver(CSD, Format{8, false}, 0, 255)), 5},
		{"csd max |x| <= 128", float64(maxOver(CSD, Format{8, true}, -128, 127)), 4},
		{"binary mean uint8", meanOver(Binary, Format{8, false}), 4.0},
		{"csd mean uint8", math.Round(meanOver(CSD, Format{8, false})*100) / 100, 3.11},
		{"booth4 max int16", float64(maxOver(Booth4, Format{16, true}, -32768, 32767)), 8},
		{"booth4 max uint16", float64(maxOver(Booth4, Format{16, false}, 0, 65535)), 9},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name string
		e    Encoding
		v    int32
		f    Format
		want string
	}{
		{"bits 12", CSD, 1, Format{12, true}, "bits = 12"},
		{"bits 0", CSD, 1, Format{}, "bits = 0"},
		{"unknown encoding", "nybble", 1, Format{8, true}, "unknown encoding"},
		{"empty encoding", "", 1, Format{8, true}, "unknown encoding"},
		{"int8 too large", CSD, 128, Format{8, true}, "outside the int8 range"},
		{"int8 too small", Binary, -129, Format{8, true}, "outside the int8 range"},
		{"uint8 negative", Booth4, -1, Format{8, false}, "outside the uint8 range"},
		{"uint16 too large", DNNsim, 65536, Format{16, false}, "outside the uint16 range"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Count(tc.e, tc.v, tc.f); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Count: error %v, want %q", err, tc.want)
			}
			if _, err := Decompose(tc.e, tc.v, tc.f); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Decompose: error %v, want %q", err, tc.want)
			}
			if tc.v == 1 { // format or encoding errors
				if _, err := NewTable(tc.e, tc.f); err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("NewTable: error %v, want %q", err, tc.want)
				}
			}
		})
	}
	if _, err := ParseEncoding("CSD"); err == nil {
		t.Error("ParseEncoding is case-sensitive: CSD should fail")
	}
	for _, e := range Encodings() {
		if got, err := ParseEncoding(string(e)); err != nil || got != e {
			t.Errorf("ParseEncoding(%q) = %q, %v", e, got, err)
		}
	}
}

func TestTermString(t *testing.T) {
	tests := []struct {
		t    Term
		s    string
		want int64
	}{
		{Term{false, 0}, "+2^0", 1},
		{Term{true, 3}, "-2^3", -8},
		{Term{false, 16}, "+2^16", 65536},
	}
	for _, tc := range tests {
		if tc.t.String() != tc.s || tc.t.Value() != tc.want {
			t.Errorf("%#v: %s %d, want %s %d", tc.t, tc.t, tc.t.Value(), tc.s, tc.want)
		}
	}
}

// TestDNNsimMostNegative checks that the DNNsim encoding gives the most
// negative signed code no terms (DNNsim masks the sign position of the
// magnitude) while every other encoding still decomposes it, and that its
// neighbours are untouched.
func TestDNNsimMostNegative(t *testing.T) {
	for _, tc := range []struct {
		f    Format
		v    int32
		want map[Encoding]int
	}{
		{Format{16, true}, -32768, map[Encoding]int{DNNsim: 0, Binary: 1, CSD: 1, Booth4: 1}},
		{Format{8, true}, -128, map[Encoding]int{DNNsim: 0, Binary: 1, CSD: 1, Booth4: 1}},
		{Format{16, true}, -32767, map[Encoding]int{DNNsim: 2, Binary: 15, CSD: 2}},
		{Format{16, false}, 32768, map[Encoding]int{DNNsim: 1, Binary: 1, CSD: 1}},
		{Format{8, false}, 128, map[Encoding]int{DNNsim: 1, Binary: 1, CSD: 1}},
	} {
		for e, want := range tc.want {
			got, err := Count(e, tc.v, tc.f)
			if err != nil || got != want {
				t.Errorf("Count(%s, %d, %s) = %d, %v; want %d", e, tc.v, tc.f, got, err, want)
			}
			tab, err := NewTable(e, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if got := tab.Count(tc.v); got != want {
				t.Errorf("table %s %s: Count(%d) = %d, want %d", e, tc.f, tc.v, got, want)
			}
		}
	}
}
