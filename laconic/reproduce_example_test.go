package laconic_test

import (
	"context"
	"fmt"
	"image/color"
	"os"
	"path/filepath"

	"github.com/laconiclab/toolkit/laconic"
)

func ExampleReproduce() {
	dir, _ := os.MkdirTemp("", "reproduce")
	defer os.RemoveAll(dir)
	// A small ONNX classifier and two images; `make reproduce` runs every
	// zoo model on the repository's images instead (DefaultReproduceOptions).
	model, _ := writeTinyClassifier(dir)
	red, _ := writeSolid(dir, "red.png", 8, 8, color.NRGBA{R: 220, G: 20, B: 20, A: 255})
	blue, _ := writeSolid(dir, "blue.png", 8, 8, color.NRGBA{R: 10, G: 40, B: 230, A: 255})

	opts := laconic.DefaultReproduceOptions()
	opts.Models, opts.ImageFiles = []string{model}, []string{red, blue}
	opts.ResultsDir, opts.PlotsDir = filepath.Join(dir, "results"), filepath.Join(dir, "plots")
	opts.NoSVG, opts.NoHTML = true, true // figures need `make setup-charts`
	rep, err := laconic.Reproduce(context.Background(), opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range rep.Steps[2:4] {
		fmt.Print(s.Name, ":")
		for _, f := range s.Files {
			fmt.Print(" ", filepath.Base(f))
		}
		fmt.Println()
	}
	h := rep.Headlines[0]
	fmt.Printf("%s: Laconic potential %.2fx at 16 bits, %.2fx at 8 bits\n", h.Model, h.Potential16, h.Potential8)
	// Output:
	// potentials-16b: potentials-16b.parquet potentials-16b.csv potential-totals-16b.parquet potential-totals-16b.csv term-histograms-16b.parquet
	// potentials-8b: potentials-8b.parquet potentials-8b.csv potential-totals-8b.parquet potential-totals-8b.csv term-histograms-8b.parquet
	// tiny: Laconic potential 34.93x at 16 bits, 41.39x at 8 bits
}

func ExampleDefaultReproduceOptions() {
	o := laconic.DefaultReproduceOptions()
	fmt.Println(o.Models)
	fmt.Println(o.Images, "images;", o.Presets)
	fmt.Println("wires", o.SweepWires, "sync", o.SyncBase, o.SyncQueueDepths)
	// Output:
	// [mobilenet_v2 mobilenet_v2_mid inception_v3 blazeface]
	// 2 images; [BASE-2K LAC-128 LAC-256 LAC-512 LAC-1K STR-2K DSTR-2K PRA-2K]
	// wires [32 64 128 256 512 1024 2048] sync LAC-1K [1 4]
}

func ExampleReproduceOptions_Validate() {
	o := laconic.ReproduceOptions{Models: []string{"blazeface"}} // zero fields take the defaults
	fmt.Println(o.Validate())
	o.SweepWires = []int{128, 100}
	fmt.Println(o.Validate())
	// Output:
	// <nil>
	// laconic: reproduce options: sweep_wires[1] = 100, want a positive multiple of 16 (16 weight lanes per filter)
}

func ExampleReproduceReport_Files() {
	rep := laconic.ReproduceReport{Steps: []laconic.StepReport{
		{Name: "simulate", Files: []string{"data/results/simulate.parquet", "data/results/simulate.csv"}},
		{Name: "figures", Files: []string{"plots/simulate.svg"}},
	}}
	fmt.Println(rep.Files())
	// Output:
	// [data/results/simulate.parquet data/results/simulate.csv plots/simulate.svg]
}

func ExampleProgressLines() {
	progress := laconic.ProgressLines(os.Stdout)
	progress(laconic.ReproduceProgress{Step: "simulate", Index: 8, Steps: 14, Detail: "inception_v3", StepElapsed: 2100e6})
	progress(laconic.ReproduceProgress{Step: "simulate", Index: 8, Steps: 14, Done: true, StepElapsed: 4e9, Elapsed: 9200e6})
	// Output:
	// reproduce [8/14] simulate: inception_v3 (2.1 s)
	// reproduce [8/14] simulate: done in 4.0 s (total 9.2 s)
}

func ExampleWireSweepConfigs() {
	cfgs, err := laconic.WireSweepConfigs([]int{64, 2048})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range cfgs {
		fmt.Println(c.Name, c.Columns, c.Rows, c.Lanes, c.Memory.WeightWires, c.Baseline)
	}
	// Output:
	// LAC-64 16 4 16 64 BASE-2K
	// LAC-2048 16 128 16 2048 BASE-2K
}

func ExampleSyncConfigs() {
	cfgs, err := laconic.SyncConfigs("LAC-1K", []int{4})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range cfgs {
		fmt.Println(c.Name, c.Sync, c.QueueDepth)
	}
	// Output:
	// LAC-1K tile tile 0
	// LAC-1K column q=4 column 4
	// LAC-1K lpe q=4 lpe 4
	// LAC-1K ideal ideal 0
}
