package arch_test

import (
	"context"
	"fmt"

	"github.com/laconiclab/toolkit/laconic/arch"
	"github.com/laconiclab/toolkit/laconic/arch/area"
)

// The area model's own ratios next to the published ones (not tuned
// toward them): Laconic PE vs an 8-bit bit-parallel PE (ISCA 2019
// summaries: about 5x smaller [S]), Stripes over DaDianNao (+32% [V
// abstract]) and Bit-Tactical TCLp (+22% [V abstract]), each tile with
// BASE-2K's buffers.
func ExampleAreaOf() {
	t, s := area.Default(), area.DefaultStructure()
	lpe, _ := s.LaconicPE(t, area.PE{P: 8, Lanes: 16})
	bp, _ := s.BitParallelPE(t, area.PE{P: 8, Lanes: 16})
	fmt.Printf("8-bit bit-parallel PE / Laconic PE: %.2fx (published ~5x)\n", bp.TotalUM2()/lpe.TotalUM2())
	base, _ := arch.Preset(arch.PresetBase2K)
	str, _ := arch.Preset(arch.PresetStripes)
	ba, _ := arch.AreaOf(base, 16, t, &s)
	sa, _ := arch.AreaOf(str, 16, t, &s)
	fmt.Printf("STR-2K / BASE-2K: total %+.1f%%, compute %+.0f%% (published +32%%)\n",
		100*(sa.TotalUM2/ba.TotalUM2-1), 100*(sa.ComputeUM2/ba.ComputeUM2-1))
	tcl, _ := s.TacticalPE(t, area.PE{P: 16, Lanes: 16}, 8)
	tclCompute := float64(str.Columns*str.Rows) * tcl.TotalUM2()
	fmt.Printf("TCLp (STR-2K geometry) / BASE-2K: total %+.1f%%, compute %+.0f%% (published +22%%)\n",
		100*((tclCompute+ba.BufferUM2)/ba.TotalUM2-1), 100*(tclCompute/ba.ComputeUM2-1))
	lac, _ := arch.Preset(arch.PresetLac128)
	la, _ := arch.AreaOf(lac, 16, t, &s)
	fmt.Printf("LAC-128 / BASE-2K: total %+.1f%%, compute %.2fx\n", 100*(la.TotalUM2/ba.TotalUM2-1), la.ComputeUM2/ba.ComputeUM2)
	// Output:
	// 8-bit bit-parallel PE / Laconic PE: 2.11x (published ~5x)
	// STR-2K / BASE-2K: total +2.3%, compute +159% (published +32%)
	// TCLp (STR-2K geometry) / BASE-2K: total +2.8%, compute +193% (published +22%)
	// LAC-128 / BASE-2K: total +6.3%, compute 5.33x
}

func ExampleAttribute() {
	cfg, _ := arch.Preset(arch.PresetLac128)
	steps, err := arch.Attribute(context.Background(), exampleNetwork(), cfg, arch.DefaultGapOptions())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range steps {
		fmt.Println(s.Step)
	}
	// Output:
	// Laconic potential (zero-term products free)
	// precision profile (the codes' own width)
	// zero-cost convention (zero product = 1 cycle)
	// lanes and geometry (lane ratio / P^2)
	// lane utilisation (ideal schedule, unlimited memory)
	// tile synchronisation
	// operand interfaces (wires)
	// buffers and DRAM stalls
	// simulated LAC-128
	// finer synchronisation (lpe, queues of 2)
	// iso-area instead of iso-wires (area:BASE-2K:auto)
}
