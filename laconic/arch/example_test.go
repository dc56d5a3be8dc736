package arch_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/laconiclab/toolkit/laconic/arch"
	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/quant"
	"github.com/laconiclab/toolkit/laconic/table"
)

// exampleLayer is a 3x3 convolution of 4 channels into 4 filters on a 6x6
// input with deterministic 16-bit fixed-point codes.
func exampleLayer() (nn.Layer, *quant.Tensor, *quant.Tensor) {
	l := nn.Layer{Name: "conv", Kind: nn.KindConv, N: 1, C: 4, H: 6, W: 6, K: 4, R: 3, S: 3,
		StrideH: 1, StrideW: 1, Pad: nn.Pad{Top: 1, Bottom: 1, Left: 1, Right: 1}, Groups: 1}
	acts := &quant.Tensor{Shape: l.InputShape(), Codes: make([]int32, 4*6*6), Bits: 16, Signed: true, Scheme: quant.SchemeFixed16}
	for i := range acts.Codes {
		if i%3 != 0 {
			acts.Codes[i] = int32((i * 37) % 300)
		}
	}
	wgts := &quant.Tensor{Shape: l.WeightShape(), Codes: make([]int32, 4*4*3*3), Bits: 16, Signed: true, Scheme: quant.SchemeFixed16}
	for i := range wgts.Codes {
		wgts.Codes[i] = int32((i*53)%129) - 64
	}
	return l, acts, wgts
}

func ExampleSimulate() {
	l, a, w := exampleLayer()
	for _, name := range []string{"DNNSIM-LAC", "DNNSIM-BASE"} {
		cfg, _ := arch.Preset(name)
		r, err := arch.Simulate(cfg, l, a, w)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s: %d steps, %d cycles, %d term pairs\n", name, r.Steps, r.Cycles, r.Activity.TermPairs)
	}
	// Output:
	// DNNSIM-LAC: 27 steps, 429 cycles, 22595 term pairs
	// DNNSIM-BASE: 27 steps, 27 cycles, 0 term pairs
}

func ExampleNew() {
	cfg := arch.DefaultConfig(arch.Laconic)
	cfg.Sync, cfg.QueueDepth = arch.SyncLPE, 2
	a, err := arch.New(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	l, acts, wgts := exampleLayer()
	r, err := a.Simulate(l, acts, wgts)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.Name(), a.Model(), r)
	// Output:
	// laconic laconic conv on laconic: 210 cycles (compute 210, dram 25), 5184 MACs
}

func ExampleConfig_Validate() {
	cfg, _ := arch.Preset("LAC-128")
	cfg.Lanes = 0
	fmt.Println(cfg.Validate())
	cfg.Lanes, cfg.Memory.WeightWires = 16, 4
	fmt.Println(cfg.Validate())
	// Output:
	// arch: invalid configuration LAC-128: lanes: 0, want 1..65536
	// arch: invalid configuration LAC-128: memory.weight_wires: 4 wires cannot carry one 5-bit weight unit (want 0 for unlimited or >= 5)
}

func ExampleConfig_JSON() {
	cfg, _ := arch.Preset("DNNSIM-BASE")
	fmt.Println(cfg.JSON())
	// Output:
	// {"name":"DNNSIM-BASE","model":"bitparallel","columns":16,"rows":256,"lanes":16,"sync":"tile","queue_depth":0,"zero_cost":1,"fold_first_layer":true,"memory":{"weight_wires":0,"act_wires":0,"weight_buffer_bytes":0,"act_buffer_bytes":0,"offchip_bits_per_cycle":0},"baseline":"DNNSIM-BASE","description":"DNNsim-matching bit-parallel baseline: one cycle per step of the DNNSIM-LAC loop nest"}
}

func ExamplePresets() {
	for _, p := range arch.Presets() {
		fmt.Printf("%-11s %-11s %dx%dx%d weight wires %d\n", p.Name, p.Model, p.Columns, p.Rows, p.Lanes, p.Memory.WeightWires)
	}
	// Output:
	// BASE-2K     bitparallel 1x8x16 weight wires 2048
	// LAC-128     laconic     16x8x16 weight wires 128
	// LAC-256     laconic     16x16x16 weight wires 256
	// LAC-512     laconic     16x32x16 weight wires 512
	// LAC-1K      laconic     16x64x16 weight wires 1024
	// STR-2K      stripes     16x8x16 weight wires 2048
	// DSTR-2K     stripes     16x8x16 weight wires 2048
	// PRA-2K      pragmatic   16x8x16 weight wires 2048
	// DNNSIM-LAC  laconic     16x256x16 weight wires 0
	// DNNSIM-BASE bitparallel 16x256x16 weight wires 0
}

func ExamplePresetNames() {
	fmt.Println(strings.Join(arch.PresetNames(), " "))
	// Output:
	// BASE-2K LAC-128 LAC-256 LAC-512 LAC-1K STR-2K DSTR-2K PRA-2K DNNSIM-LAC DNNSIM-BASE
}

func ExamplePreset() {
	_, err := arch.Preset("TPU")
	fmt.Println(err)
	// Output:
	// arch: unknown preset "TPU" (want one of BASE-2K, DNNSIM-BASE, DNNSIM-LAC, DSTR-2K, LAC-128, LAC-1K, LAC-256, LAC-512, PRA-2K, STR-2K)
}

func ExampleParsePresets() {
	cfgs, err := arch.ParsePresets("lac-1k, base-2k")
	fmt.Println(len(cfgs), cfgs[0].Name, cfgs[1].Name, err)
	// Output:
	// 2 LAC-1K BASE-2K <nil>
}

func ExampleDefaultConfig() {
	c := arch.DefaultConfig(arch.Stripes)
	fmt.Println(c.Name, c.Precision, c.Columns, c.Rows, c.Lanes, c.Validate() == nil)
	// Output:
	// stripes profiled 16 8 16 true
}

func ExampleModels() {
	for _, m := range arch.Models() {
		fmt.Println(m.Name, len(m.Parameters))
	}
	// Output:
	// bitparallel 9
	// laconic 13
	// pragmatic 13
	// stripes 13
}

func ExampleEnergyOf() {
	l, a, w := exampleLayer()
	cfg, _ := arch.Preset("LAC-1K")
	r, _ := arch.Simulate(cfg, l, a, w)
	e := arch.EnergyOf(cfg, r, nil)
	fmt.Printf("compute %.1f pJ, weight buffer %.1f pJ, activation buffer %.1f pJ, DRAM %.1f pJ\n",
		e.ComputePJ, e.WeightBufferPJ, e.ActBufferPJ, e.DRAMPJ)
	// Output:
	// compute 15420.2 pJ, weight buffer 15468.0 pJ, activation buffer 24403.1 pJ, DRAM 193720.3 pJ
}

func exampleNetwork() []arch.LayerData {
	l, a, w := exampleLayer()
	fc := nn.Layer{Name: "fc", Kind: nn.KindDense, N: 1, C: 144, K: 10, H: 1, W: 1, R: 1, S: 1, StrideH: 1, StrideW: 1, Groups: 1}
	fa := &quant.Tensor{Codes: a.Codes[:144], Bits: 16, Signed: true}
	fw := &quant.Tensor{Codes: make([]int32, 1440), Bits: 16, Signed: true}
	for i := range fw.Codes {
		fw.Codes[i] = int32(i%7) * 100
	}
	return []arch.LayerData{{Model: "toy", Layer: l, Acts: a, Wgts: w}, {Model: "toy", Layer: fc, Acts: fa, Wgts: fw}}
}

func ExampleSweep() {
	cfgs, _ := arch.ParsePresets("LAC-128,LAC-1K")
	rows, err := arch.Sweep(context.Background(), exampleNetwork(), cfgs, arch.SweepOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rows {
		fmt.Printf("%s %-4s %6d cycles, %s %5d cycles, speedup %.2f\n", r.Config, r.Layer, r.Cycles, r.Baseline, r.BaselineCycles, r.Speedup)
	}
	// Output:
	// LAC-128 conv    388 cycles, BASE-2K   324 cycles, speedup 0.84
	// LAC-128 fc      183 cycles, BASE-2K   100 cycles, speedup 0.55
	// LAC-1K conv    385 cycles, BASE-2K   324 cycles, speedup 0.84
	// LAC-1K fc       90 cycles, BASE-2K   100 cycles, speedup 1.11
}

func ExampleTotals() {
	cfgs, _ := arch.ParsePresets("LAC-1K,STR-2K")
	rows, _ := arch.Sweep(context.Background(), exampleNetwork(), cfgs, arch.SweepOptions{})
	for _, t := range arch.Totals(rows) {
		fmt.Printf("%s %s: %d cycles, speedup %.2f, energy efficiency %.2f\n", t.Model, t.Config, t.Cycles, t.Speedup, t.EnergyEfficiency)
	}
	// Output:
	// toy LAC-1K: 475 cycles, speedup 0.89, energy efficiency 1.27
	// toy STR-2K: 370 cycles, speedup 1.15, energy efficiency 1.15
}

func ExampleTable() {
	cfgs, _ := arch.ParsePresets("LAC-512")
	rows, _ := arch.Sweep(context.Background(), exampleNetwork(), cfgs, arch.SweepOptions{})
	rec, err := arch.Table(memory.DefaultAllocator, rows, table.Provenance{Model: "toy", Config: arch.ConfigsJSON(cfgs)})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer rec.Release()
	fmt.Println(rec.NumRows(), rec.NumCols(), rec.Schema().Field(0).Name, rec.Schema().Field(25).Name)
	// Output:
	// 2 49 model cycles
}

func ExampleConfigsJSON() {
	c, _ := arch.Preset("DNNSIM-LAC")
	fmt.Println(len(arch.ConfigsJSON([]arch.Config{c})) > 100)
	// Output: true
}

func ExampleGrid() {
	base, _ := arch.Preset("LAC-1K")
	grid, err := arch.Grid(base, arch.Axis{Field: "sync", Values: []any{"tile", "lpe"}}, arch.Axis{Field: "queue_depth", Values: []any{0, 4}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range grid {
		fmt.Println(c.Name)
	}
	// Output:
	// LAC-1K sync=tile queue_depth=0
	// LAC-1K sync=tile queue_depth=4
	// LAC-1K sync=lpe queue_depth=0
	// LAC-1K sync=lpe queue_depth=4
}

func ExampleAddRows() {
	cfgs, _ := arch.ParsePresets("LAC-128")
	a, _ := arch.Sweep(context.Background(), exampleNetwork(), cfgs, arch.SweepOptions{})
	b, _ := arch.Sweep(context.Background(), exampleNetwork(), cfgs, arch.SweepOptions{})
	before := a[0].Cycles
	if err := arch.AddRows(a, b); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a[0].Cycles == 2*before, a[0].Speedup == b[0].Speedup)
	// Output: true true
}

func ExampleParseConfigs() {
	cfgs, err := arch.ParseConfigs(strings.NewReader(`{"name":"tiny-lac","model":"laconic","columns":4,"rows":4,"lanes":8,
		"sync":"column","queue_depth":2,"encoding":"booth4","zero_cost":0,"memory":{"weight_wires":64},"baseline":"BASE-2K"}`), "inline")
	fmt.Println(len(cfgs), cfgs[0].Name, cfgs[0].Sync, err)
	_, err = arch.ParseConfigs(strings.NewReader(`{"name":"x","lanes":16,"wires":3}`), "bad.json")
	fmt.Println(err)
	// Output:
	// 1 tiny-lac column <nil>
	// arch: bad.json: json: unknown field "wires" (see arch.Config for the fields)
}

func ExampleLoadConfigs() {
	_, err := arch.LoadConfigs("no/such/config.json")
	fmt.Println(err != nil)
	// Output: true
}

func ExampleLayerResult_String() {
	l, a, w := exampleLayer()
	cfg, _ := arch.Preset("BASE-2K")
	r, _ := arch.Simulate(cfg, l, a, w)
	fmt.Println(r)
	// Output:
	// conv on BASE-2K: 324 cycles (compute 324, dram 27), 5184 MACs
}
