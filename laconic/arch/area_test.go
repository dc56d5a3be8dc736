package arch

import (
	"context"
	"math"
	"testing"

	"github.com/laconiclab/toolkit/laconic/arch/area"
)

func TestAreaOfComposition(t *testing.T) {
	for _, c := range Presets() {
		for _, p := range []int{8, 16} {
			a, err := AreaOf(c, p, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			pe := a.PE.TotalUM2()
			if pe <= 0 || a.PEs != c.Columns*c.Rows {
				t.Fatalf("%s: PE %v um2, %d PEs", c.Name, pe, a.PEs)
			}
			if math.Abs(a.ComputeUM2-(float64(a.PEs)*pe+a.QueueUM2)) > 1e-6*a.ComputeUM2 ||
				math.Abs(a.TotalUM2-(a.ComputeUM2+a.BufferUM2)) > 1e-6*a.TotalUM2 {
				t.Fatalf("%s: totals are not the sum of the parts: %+v", c.Name, a)
			}
			wantBuf := area.Default().SRAM(c.Memory.WeightBufferBytes) + area.Default().SRAM(c.Memory.ActBufferBytes)
			if math.Abs(a.BufferUM2-wantBuf) > 1e-6*math.Max(1, wantBuf) {
				t.Fatalf("%s: buffers %v, want %v", c.Name, a.BufferUM2, wantBuf)
			}
		}
	}
}

func TestAreaMonotonic(t *testing.T) {
	for _, name := range []string{PresetBase2K, PresetLac128, PresetStripes, PresetPragmatic} {
		c, _ := Preset(name)
		prev := 0.0
		for rows := 1; rows <= 64; rows *= 2 {
			for _, sync := range []Sync{SyncTile, SyncLPE} {
				cc := c
				cc.Rows, cc.Sync, cc.QueueDepth = rows, sync, 2
				a, err := AreaOf(cc, 16, nil, nil)
				if err != nil {
					t.Fatal(err)
				}
				if sync == SyncTile {
					if a.ComputeUM2 <= prev {
						t.Errorf("%s: %d rows %v um2 not above %v", name, rows, a.ComputeUM2, prev)
					}
					prev = a.ComputeUM2
					continue
				}
				if c.Model != BitParallel && a.ComputeUM2 <= prev {
					t.Errorf("%s: per-PE queues add no area", name)
				}
			}
		}
		cc := c
		cc.Lanes = c.Lanes * 2
		a1, _ := AreaOf(c, 16, nil, nil)
		a2, _ := AreaOf(cc, 16, nil, nil)
		if a2.ComputeUM2 <= a1.ComputeUM2 {
			t.Errorf("%s: doubling lanes did not grow the area", name)
		}
	}
}

func TestSweepAreaColumns(t *testing.T) {
	cfgs, _ := ParsePresets("LAC-128,STR-2K")
	layers := randomNetwork(3, 4)
	n := map[string]int64{}
	for _, l := range layers {
		n[l.Layer.Name] = int64(l.Layer.N)
	}
	rows, err := Sweep(context.Background(), layers, cfgs, SweepOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		c, _ := Preset(r.Config)
		a, _ := AreaOf(c, r.Bits, nil, nil)
		b, _ := Preset(r.Baseline)
		ba, _ := AreaOf(b, r.Bits, nil, nil)
		if r.AreaMM2 != MM2(a.TotalUM2) || r.AreaComputeMM2 != MM2(a.ComputeUM2) || r.AreaBufferMM2 != MM2(a.BufferUM2) || r.BaselineAreaMM2 != MM2(ba.TotalUM2) {
			t.Fatalf("%s/%s: area columns %v %v %v %v", r.Config, r.Layer, r.AreaMM2, r.AreaComputeMM2, r.AreaBufferMM2, r.BaselineAreaMM2)
		}
		if r.Images != n[r.Layer] || int64(r.Batch) != n[r.Layer] || r.ClockGHz != DefaultClockGHz {
			t.Fatalf("images %d batch %d clock %v", r.Images, r.Batch, r.ClockGHz)
		}
		sec := float64(r.Cycles) / 1e9
		imgs := float64(r.Images)
		if want := imgs / sec / r.AreaMM2; math.Abs(r.InferencesPerSecondPerMM2-want) > 1e-9*want {
			t.Fatalf("throughput %v want %v", r.InferencesPerSecondPerMM2, want)
		}
		if want := r.EnergyPJ / imgs / 1e6 * sec / imgs * 1e3; math.Abs(r.EDPUJMS-want) > 1e-9*want {
			t.Fatalf("edp %v want %v", r.EDPUJMS, want)
		}
	}
	tot := Totals(rows)
	two := append([]Row(nil), rows...)
	if err := AddRows(two, rows); err != nil {
		t.Fatal(err)
	}
	tt := Totals(two)
	for i := range tot {
		if tt[i].Images != 2*tot[i].Images || tt[i].Batch != tot[i].Batch || tt[i].AreaMM2 != tot[i].AreaMM2 {
			t.Fatalf("two batches: images %d batch %d area %v", tt[i].Images, tt[i].Batch, tt[i].AreaMM2)
		}
		// Twice the work in twice the time: same throughput and energy per inference.
		if math.Abs(tt[i].EnergyPerInferenceUJ-tot[i].EnergyPerInferenceUJ) > 1e-9*tot[i].EnergyPerInferenceUJ ||
			math.Abs(tt[i].InferencesPerSecondPerMM2-tot[i].InferencesPerSecondPerMM2) > 1e-9*tot[i].InferencesPerSecondPerMM2 {
			t.Fatalf("two batches changed per-inference values: %+v vs %+v", tt[i], tot[i])
		}
	}
	if _, err := Sweep(context.Background(), layers, cfgs, SweepOptions{ClockGHz: -1}); err == nil {
		t.Fatal("negative clock accepted")
	}
}
