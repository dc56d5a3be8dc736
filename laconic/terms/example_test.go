package terms_test

import (
	"fmt"

	"github.com/laconiclab/toolkit/laconic/terms"
)

func ExampleCount() {
	f := terms.Format{Bits: 16, Signed: true}
	for _, e := range terms.Encodings() {
		n, _ := terms.Count(e, 14043, f)
		fmt.Printf("%-6s %d\n", e, n)
	}
	// Output:
	// binary 10
	// csd    6
	// booth4 8
	// dnnsim 10
}

func ExampleDecompose() {
	f := terms.Format{Bits: 8, Signed: true}
	for _, e := range terms.Encodings() {
		ts, _ := terms.Decompose(e, -29, f)
		fmt.Println(e, ts, terms.Sum(ts))
	}
	// Output:
	// binary [-2^0 -2^2 -2^3 -2^4] -29
	// csd [-2^0 +2^2 -2^5] -29
	// booth4 [-2^0 +2^2 -2^5] -29
	// dnnsim [+2^0 +2^1 -2^5] -29
}

func ExampleParseEncoding() {
	e, err := terms.ParseEncoding("booth4")
	fmt.Println(e, err)
	_, err = terms.ParseEncoding("ternary")
	fmt.Println(err)
	// Output:
	// booth4 <nil>
	// terms: unknown encoding "ternary" (want binary, csd, booth4 or dnnsim)
}

func ExampleSum() {
	fmt.Println(terms.Sum([]terms.Term{{Negative: true, Exp: 0}, {Exp: 3}}))
	// Output: 7
}

func ExampleTerm_String() {
	fmt.Println(terms.Term{Negative: true, Exp: 4}, terms.Term{Exp: 0}.Value())
	// Output: -2^4 1
}

func ExampleFormat() {
	for _, f := range []terms.Format{{Bits: 8, Signed: true}, {Bits: 16}} {
		fmt.Println(f, f.Min(), f.Max(), f.MagnitudeBits(), f.Validate())
	}
	fmt.Println(terms.Format{Bits: 4}.Validate())
	// Output:
	// int8 -128 127 7 <nil>
	// uint16 0 65535 16 <nil>
	// terms: bits = 4, want 8 or 16
}

func ExampleNewTable() {
	tab, err := terms.NewTable(terms.CSD, terms.Format{Bits: 16, Signed: true})
	if err != nil {
		panic(err)
	}
	fmt.Println(tab.Count(7), tab.Count(-32768))
	// Output: 2 1
}

func ExampleTable_CountInt16() {
	tab, _ := terms.NewTable(terms.Binary, terms.Format{Bits: 16, Signed: true})
	codes := []int16{0, 7, -7, 32767}
	counts := make([]uint8, len(codes))
	if err := tab.CountInt16(counts, codes); err != nil {
		panic(err)
	}
	fmt.Println(counts)
	// Output: [0 3 3 15]
}

func ExampleTable_CountInt32() {
	tab, _ := terms.NewTable(terms.DNNsim, terms.Format{Bits: 16, Signed: true})
	counts := make([]uint8, 3)
	fmt.Println(tab.CountInt32(counts, []int32{27, 219, 1000}), counts)
	fmt.Println(tab.CountInt32(counts, []int32{1, 40000}))
	// Output:
	// <nil> [4 6 3]
	// terms: element 1 = 40000 outside the int16 range [-32768, 32767]
}

func ExampleTable_CountUint8() {
	tab, _ := terms.NewTable(terms.Booth4, terms.Format{Bits: 8})
	counts := make([]uint8, 3)
	_ = tab.CountUint8(counts, []uint8{0, 128, 255})
	fmt.Println(counts)
	// Output: [0 2 2]
}

func ExampleTable_StatsInt16() {
	tab, _ := terms.NewTable(terms.CSD, terms.Format{Bits: 16, Signed: true})
	s, _ := tab.StatsInt16([]int16{0, 0, 3, -15, 255, 1})
	fmt.Println(s.N, s.Zeros, s.Terms, s.Hist[:4])
	fmt.Printf("mean %.3f zeros %.3f bit sparsity %.3f max %d\n", s.MeanTerms(), s.ZeroFraction(), s.BitSparsity(), s.MaxCount())
	// Output:
	// 6 2 7 [2 1 3 0]
	// mean 1.167 zeros 0.333 bit sparsity 0.833 max 2
}

func ExampleTable_StatsInt32() {
	tab, _ := terms.NewTable(terms.Binary, terms.Format{Bits: 8})
	s, _ := tab.StatsInt32([]int32{255, 0})
	fmt.Println(s.MeanTerms(), s.BitSparsity())
	// Output: 4 0.5
}

func ExampleTable_StatsUint8() {
	tab, _ := terms.NewTable(terms.CSD, terms.Format{Bits: 8})
	s, _ := tab.StatsUint8([]uint8{255, 0, 0, 0})
	fmt.Println(s.Terms, s.ZeroFraction())
	// Output: 2 0.75
}

func ExampleStats_Add() {
	tab, _ := terms.NewTable(terms.CSD, terms.Format{Bits: 8, Signed: true})
	var total terms.Stats
	for _, batch := range [][]int32{{1, 2, 3}, {0, -7}} {
		s, _ := tab.StatsInt32(batch)
		if err := total.Add(s); err != nil {
			panic(err)
		}
	}
	fmt.Println(total.Encoding, total.Format, total.N, total.Terms)
	// Output: csd int8 5 6
}

func ExampleNewStats() {
	s := terms.NewStats(terms.Binary, terms.Format{Bits: 16, Signed: true})
	fmt.Println(s.N, s.MeanTerms(), s.Format.MagnitudeBits())
	// Output: 0 0 15
}

func ExampleSharedTable() {
	a, _ := terms.SharedTable(terms.CSD, terms.Format{Bits: 8})
	b, _ := terms.SharedTable(terms.CSD, terms.Format{Bits: 8})
	_, err := terms.SharedTable(terms.CSD, terms.Format{Bits: 32})
	fmt.Println(a == b, a.Count(255), err)
	// Output: true 2 terms: bits = 32, want 8 or 16
}

func ExampleEncodings() {
	fmt.Println(terms.Encodings())
	// Output: [binary csd booth4 dnnsim]
}

func ExampleTable_Count() {
	tab, _ := terms.NewTable(terms.Booth4, terms.Format{Bits: 8, Signed: true})
	fmt.Println(tab.Count(-128), tab.Count(127), tab.Count(85))
	// Output: 1 2 4
}

func ExampleStats_BitSparsity() {
	// Signed 8-bit codes have 7 magnitude bits each: 14 bits for 7 and -3,
	// of which 5 are set (7 = 111, 3 = 11).
	tab, _ := terms.NewTable(terms.Binary, terms.Format{Bits: 8, Signed: true})
	s, _ := tab.StatsInt32([]int32{7, -3})
	fmt.Printf("%d of %d bits set, sparsity %.4f\n", s.OneBits, s.N*int64(s.Format.MagnitudeBits()), s.BitSparsity())
	// Output: 5 of 14 bits set, sparsity 0.6429
}

func ExampleStats_MaxCount() {
	tab, _ := terms.NewTable(terms.DNNsim, terms.Format{Bits: 16, Signed: true})
	s, _ := tab.StatsInt32([]int32{14043, 7, 0})
	fmt.Println(s.MaxCount(), s.Hist[10], s.ZeroFraction())
	// Output: 10 1 0.3333333333333333
}
