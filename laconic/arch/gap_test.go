package arch

import (
	"context"
	"math"
	"testing"
)

func TestAttributeFactorsMultiply(t *testing.T) {
	layers := randomNetwork(7, 4)
	cfg, _ := Preset(PresetLac128)
	steps, err := Attribute(context.Background(), layers, cfg, DefaultGapOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 11 {
		t.Fatalf("%d steps", len(steps))
	}
	run := steps[0].Speedup
	for _, s := range steps[1:] {
		run *= s.Factor
		if math.Abs(run-s.Speedup) > 1e-9*s.Speedup {
			t.Fatalf("%s: running product %v, step says %v", s.Step, run, s.Speedup)
		}
	}
	rows, err := Sweep(context.Background(), layers, []Config{cfg}, SweepOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if sim := Totals(rows)[0].Speedup; math.Abs(steps[8].Speedup-sim) > 1e-12*sim {
		t.Fatalf("simulated step %v, Sweep gives %v", steps[8].Speedup, sim)
	}
	base, _ := Preset(PresetBase2K)
	if _, err := Attribute(context.Background(), layers, base, DefaultGapOptions()); err == nil {
		t.Fatal("bit-parallel configuration accepted")
	}
}
