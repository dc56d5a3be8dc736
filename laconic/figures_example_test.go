package laconic

import (
	"context"
	"fmt"
	"os"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/laconiclab/toolkit/laconic/arch"
	"github.com/laconiclab/toolkit/laconic/terms"
)

// exampleImage writes a small gradient image into a new temporary
// directory and returns its path and a cleanup function.
func exampleImage() (string, func()) {
	dir, _ := os.MkdirTemp("", "figures")
	return potExampleImage(dir, "gradient.png"), func() { os.RemoveAll(dir) }
}

func ExamplePotentialFigure() {
	img, cleanup := exampleImage()
	defer cleanup()
	// A zoo model name ("inception_v3") works the same way.
	res, err := Potentials(context.Background(), tinyModel(1), []string{img}, DefaultPotentialOptions())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer res.Release()
	c, err := PotentialFigure(res.Totals, "Ae", "We+Ae")
	if err != nil {
		fmt.Println(err)
		return
	}
	// In a notebook: chart.Display(c); to a file: chart.SaveSVG(c, "potential.svg", 0, 0).
	fmt.Println(c.Title())
	// Output:
	// Potential speedup per scheme, 16-bit fixed16-profiled, csd terms, zero cost 0
}

func ExampleLaconicPotentialFigure() {
	img, cleanup := exampleImage()
	defer cleanup()
	ctx := context.Background()
	paper, err := Potentials(ctx, tinyModel(1), []string{img}, DefaultPotentialOptions())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer paper.Release()
	dnnsim, err := Potentials(ctx, tinyModel(1), []string{img}, DNNsimPotentialOptions())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer dnnsim.Release()
	c, err := LaconicPotentialFigure(paper.Totals, dnnsim.Totals)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Title())
	// Output:
	// Laconic (We+Ae) potential speedup per convention
}

func ExampleSimulationFigure() {
	img, cleanup := exampleImage()
	defer cleanup()
	res, err := Simulate(context.Background(), tinyModel(1), []string{img}, []string{"BASE-2K", "LAC-128", "LAC-1K"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer res.Release()
	c, err := SimulationFigure(res.TotalsTable, arch.PresetBase2K)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Title())
	// Output:
	// Simulated speedup and energy efficiency over BASE-2K
}

func ExampleEnergyBreakdownFigure() {
	img, cleanup := exampleImage()
	defer cleanup()
	res, err := Simulate(context.Background(), tinyModel(1), []string{img}, []string{"BASE-2K", "LAC-1K", "PRA-2K"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer res.Release()
	c, err := EnergyBreakdownFigure(res.TotalsTable, "tiny")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Title())
	// Output:
	// Energy relative to the baseline by component, tiny
}

func ExampleLayerFigure() {
	img, cleanup := exampleImage()
	defer cleanup()
	ctx := context.Background()
	pot, err := Potentials(ctx, tinyModel(1), []string{img}, DefaultPotentialOptions())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer pot.Release()
	sim, err := Simulate(ctx, tinyModel(1), []string{img}, []string{"LAC-128", "LAC-1K"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer sim.Release()
	c, err := LayerFigure(pot.Layers, sim.Layers, "tiny", "LAC-1K")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Title())
	// Output:
	// Per-layer Laconic potential and simulated speedup, tiny
}

func ExampleWireSweepFigure() {
	img, cleanup := exampleImage()
	defer cleanup()
	cfgs, err := WireSweepConfigs([]int{128, 512, 2048})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := SimulateWith(context.Background(), tinyModel(1), []string{img}, cfgs, SimulateOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer res.Release()
	c, err := WireSweepFigure(res.TotalsTable, "speedup")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Title())
	// Output:
	// Laconic speedup versus weight-interface wires
}

func ExampleSyncModesFigure() {
	img, cleanup := exampleImage()
	defer cleanup()
	cfgs, err := SyncConfigs("LAC-256", []int{2})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := SimulateWith(context.Background(), tinyModel(1), []string{img}, cfgs, SimulateOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer res.Release()
	c, err := SyncModesFigure(res.TotalsTable)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Title())
	// Output:
	// Speedup by synchronisation granularity, LAC-256
}

func ExampleTermHistogramFigure() {
	img, cleanup := exampleImage()
	defer cleanup()
	res, err := Potentials(context.Background(), tinyModel(1), []string{img}, DefaultPotentialOptions())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer res.Release()
	c, err := TermHistogramFigure(res.Histograms, "tiny", terms.CSD)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Title())
	// Output:
	// Terms per value (csd), tiny
}

func ExampleMeanTermsFigure() {
	img, cleanup := exampleImage()
	defer cleanup()
	res, err := Potentials(context.Background(), tinyModel(1), []string{img}, DefaultPotentialOptions())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer res.Release()
	c, err := MeanTermsFigure(res.Characterization, "")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Title())
	// Output:
	// Mean terms per value by encoding, fixed16-profiled
}

func ExampleSparsityFigure() {
	img, cleanup := exampleImage()
	defer cleanup()
	o := DefaultPotentialOptions()
	o.Quant, o.Work.Bits = QuantAffine8, 8
	res, err := Potentials(context.Background(), tinyModel(1), []string{img}, o)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer res.Release()
	c, err := SparsityFigure(res.Characterization, "affine8")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Title())
	// Output:
	// Value and bit sparsity, affine8
}

func ExampleTermValuesFigure() {
	values, err := TermValues(memory.DefaultAllocator, terms.Format{Bits: 8})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer values.Release()
	c, err := TermValuesFigure(values, 8, false)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Title())
	// Output:
	// Terms of every 8-bit unsigned value, per encoding
}

func ExampleHeadlines() {
	img, cleanup := exampleImage()
	defer cleanup()
	ctx := context.Background()
	pot, err := Potentials(ctx, tinyModel(1), []string{img}, DefaultPotentialOptions())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer pot.Release()
	sim, err := Simulate(ctx, tinyModel(1), []string{img}, []string{"LAC-128", "LAC-1K"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer sim.Release()
	// Tables not at hand may be nil: their numbers are NaN.
	hs, err := Headlines(pot.Totals, nil, nil, sim.TotalsTable)
	if err != nil {
		fmt.Println(err)
		return
	}
	h := hs[0]
	fmt.Printf("%s: potential %.2fx (8b %v); LAC-1K over %s %.2fx faster\n", h.Model, h.Potential16, h.Potential8, h.Baseline, h.Lac1KSpeedup)
	// Output:
	// tiny: potential 16.83x (8b NaN); LAC-1K over BASE-2K 0.43x faster
}

func ExampleTermValues() {
	values, err := TermValues(memory.DefaultAllocator, terms.Format{Bits: 16, Signed: true}, terms.Format{Bits: 8})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer values.Release()
	fmt.Println(values.NumRows(), "rows:", values.Schema().Field(0).Name, values.Schema().Field(3).Name, values.Schema().Field(4).Name)
	// Output:
	// 263168 rows: encoding value terms
}
