package area_test

import (
	"fmt"
	"strings"

	"github.com/laconiclab/toolkit/laconic/arch/area"
)

func ExampleDefault() {
	d := area.Default()
	fmt.Printf("add16 %.0f um2, mult16 %.1f um2, 2 MiB SRAM %.3f um2/bit, flip-flop %.3f um2\n",
		d.Add(16), d.Mult(16), d.SRAMBit(2<<20), d.RegisterBit())
	// Output: add16 67 um2, mult16 924.6 um2, 2 MiB SRAM 0.569 um2/bit, flip-flop 4.522 um2
}

func ExampleParse() {
	csv := "name,size,area_um2,per,source\n" +
		"int_add,16,60,operator,my synthesis\n" +
		"int_mult,16,800,operator,my synthesis\n" +
		"sram_macro,65536,30000,macro,my memory compiler\n" +
		"register_bit,1,4,bit,my library\n" +
		"gate,1,0.7,gate,my library\n"
	t, err := area.Parse(strings.NewReader(csv), "mine.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("add8 %.0f um2, mult8 %.0f um2\n", t.Add(8), t.Mult(8))
	// Output: add8 30 um2, mult8 200 um2
}

func ExampleLoad() {
	_, err := area.Load("no/such/area.csv")
	fmt.Println(err != nil)
	// Output: true
}

func ExampleStructure_LaconicPE() {
	d, s := area.Default(), area.DefaultStructure()
	lpe, _ := s.LaconicPE(d, area.PE{P: 8, Lanes: 16})
	bp, _ := s.BitParallelPE(d, area.PE{P: 8, Lanes: 16})
	fmt.Printf("8-bit, 16 lanes: Laconic PE %.0f um2, bit-parallel PE %.0f um2, ratio %.2f\n",
		lpe.TotalUM2(), bp.TotalUM2(), bp.TotalUM2()/lpe.TotalUM2())
	for _, c := range lpe[:4] {
		fmt.Printf("  %-36s %5.0f x %7.3f um2\n", c.Name, c.Count, c.UnitUM2)
	}
	// Output:
	// 8-bit, 16 lanes: Laconic PE 3391 um2, bit-parallel PE 7148 um2, ratio 2.11
	//   exponent adder (3 b)                    16 x  16.625 um2
	//   sign xor                                16 x   1.596 um2
	//   one-hot decoder (4 to 15)               16 x  47.760 um2
	//   signed histogram counter (16 inputs)    15 x  72.000 um2
}

func ExampleQueue() {
	q := area.Queue(area.Default(), 128, 2, 160)
	fmt.Printf("%s: %.0f um2\n", q[0].Name, q.TotalUM2())
	// Output: input queue register (2 entries x 160 b): 185221 um2
}
