package laconic

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/laconiclab/toolkit/laconic/arch"
	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/nn/dnnsim"
	"github.com/laconiclab/toolkit/laconic/zoo"
)

func TestSimulateTinyModel(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	images := writeImages(t, t.TempDir(), 2)
	cfgs, err := ResolveArchs([]string{"LAC-128,base-2k", "DNNSIM-LAC"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := SimulateWith(context.Background(), tinyModel(1), images, cfgs, SimulateOptions{Allocator: mem})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	if len(res.Rows) != 3*4 || len(res.Totals) != 3 {
		t.Fatalf("%d rows, %d totals", len(res.Rows), len(res.Totals))
	}
	if res.Layers.NumRows() != 12 || res.TotalsTable.NumRows() != 3 {
		t.Fatalf("tables have %d and %d rows", res.Layers.NumRows(), res.TotalsTable.NumRows())
	}
	for _, col := range []string{"model", "layer", "arch", "config", "cycles", "baseline_cycles", "speedup",
		"energy_pj", "baseline_energy_pj", "energy_efficiency", "macs", "weight_wires", "sync"} {
		if len(res.Layers.Schema().FieldIndices(col)) != 1 {
			t.Errorf("no column %q", col)
		}
	}
	md := res.Layers.Schema().Metadata()
	if v, _ := md.GetValue("laconic.quant"); v != "fixed16-profiled" {
		t.Errorf("quant provenance %q", v)
	}
	if v, _ := md.GetValue("laconic.config"); !strings.Contains(v, `"LAC-128"`) {
		t.Errorf("config provenance %q", v)
	}
	for _, r := range res.Rows {
		if r.Model != "tiny" || r.Cycles <= 0 || r.EnergyPJ <= 0 || r.MACs <= 0 {
			t.Fatalf("row %+v", r)
		}
		if r.Config == "BASE-2K" && r.Speedup != 1 {
			t.Fatalf("baseline speedup %v", r.Speedup)
		}
		if r.Config == "DNNSIM-LAC" && r.Baseline != "DNNSIM-BASE" {
			t.Fatalf("DNNSIM-LAC baseline %q", r.Baseline)
		}
	}
}

// Batches of one image each add up to one batch of both images when the
// quantization does not depend on the batch and the memory is unlimited.
func TestSimulateBatchesAddUp(t *testing.T) {
	images := writeImages(t, t.TempDir(), 2)
	cfgs, _ := ResolveArchs([]string{"DNNSIM-LAC", "DNNSIM-BASE"})
	var cycles [2][]int64
	for i, batch := range []int{0, 1} {
		res, err := SimulateWith(context.Background(), tinyModel(2), images, cfgs, SimulateOptions{Quant: QuantDNNsim, Batch: batch})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Rows {
			cycles[i] = append(cycles[i], r.Cycles)
		}
		res.Release()
	}
	if fmt.Sprint(cycles[0]) != fmt.Sprint(cycles[1]) {
		t.Fatalf("one batch %v, two batches %v", cycles[0], cycles[1])
	}
}

// SimulateTraces equals simulating the trace folder's samples directly
// with DNNsim's fixed point and the folder's precisions.
func TestSimulateTraces(t *testing.T) {
	dir := t.TempDir()
	prec := dnnsim.DefaultPrecision(4)
	prec.Layers[1] = dnnsim.LayerPrecision{ActMag: 3, ActFrac: 4, WgtMag: -1, WgtFrac: 9}
	writeTraces(t, dir, "tiny", prec)
	res, err := SimulateTraces(context.Background(), dir, "", []string{"DNNSIM-LAC"})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	n, err := dnnsim.Open(dir, "tiny")
	if err != nil {
		t.Fatal(err)
	}
	cfg, _ := arch.Preset("DNNSIM-LAC")
	want := map[string]int64{}
	for b := 0; b < n.Batches; b++ {
		for i, info := range n.Layers {
			s, err := n.Sample(i, b)
			if err != nil {
				t.Fatal(err)
			}
			a, err := dnnsimFixed(s.Input, info.Precision.ActMag, info.Precision.ActFrac)
			if err != nil {
				t.Fatal(err)
			}
			w, err := dnnsimFixed(s.Weights, info.Precision.WgtMag, info.Precision.WgtFrac)
			if err != nil {
				t.Fatal(err)
			}
			r, err := arch.Simulate(cfg, s.Layer, a, w)
			if err != nil {
				t.Fatal(err)
			}
			want[info.Name] += r.Cycles
		}
	}
	if len(res.Rows) != len(n.Layers) {
		t.Fatalf("%d rows for %d layers", len(res.Rows), len(n.Layers))
	}
	for _, r := range res.Rows {
		if r.Cycles != want[r.Layer] {
			t.Errorf("%s: %d cycles, direct simulation %d", r.Layer, r.Cycles, want[r.Layer])
		}
	}
	if v, _ := res.Layers.Schema().Metadata().GetValue("laconic.quant"); v != "fixed16-dnnsim" {
		t.Errorf("quant provenance %q", v)
	}
}

func TestSimulateErrors(t *testing.T) {
	ctx := context.Background()
	images := writeImages(t, t.TempDir(), 1)
	if _, err := Simulate(ctx, tinyModel(1), images, []string{"NOPE"}); err == nil || !strings.Contains(err.Error(), "NOPE") {
		t.Errorf("unknown preset: %v", err)
	}
	if _, err := Simulate(ctx, tinyModel(1), images, nil); err == nil {
		t.Error("no preset: no error")
	}
	if _, err := Simulate(ctx, tinyModel(1), nil, []string{"LAC-128"}); err == nil {
		t.Error("no images: no error")
	}
	if _, err := Simulate(ctx, 42, images, []string{"LAC-128"}); err == nil {
		t.Error("model 42: no error")
	}
	cfgs, _ := ResolveArchs([]string{"LAC-128"})
	for _, o := range []SimulateOptions{{Quant: "fp8"}, {Batch: -1}, {Workers: -1}} {
		if _, err := SimulateWith(ctx, tinyModel(1), images, cfgs, o); err == nil {
			t.Errorf("options %+v accepted", o)
		}
	}
	if _, err := SimulateTraces(ctx, t.TempDir(), "none", []string{"LAC-128"}); err == nil {
		t.Error("empty trace folder: no error")
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"name":"x","lanes":0}`), 0o644)
	if _, err := ResolveArchs([]string{bad}); err == nil || !strings.Contains(err.Error(), "bad.json") {
		t.Errorf("bad configuration file: %v", err)
	}
	good := filepath.Join(t.TempDir(), "mine.json")
	c, _ := arch.Preset("LAC-256")
	c.Name = "mine"
	os.WriteFile(good, []byte(c.JSON()), 0o644)
	if cs, err := ResolveArchs([]string{good + ",LAC-1K"}); err != nil || len(cs) != 2 || cs[0].Name != "mine" {
		t.Errorf("configuration file: %v %v", cs, err)
	}
}

func ExampleSimulateWith() {
	dir, _ := os.MkdirTemp("", "laconic-example")
	defer os.RemoveAll(dir)
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	path := filepath.Join(dir, "example.png")
	os.WriteFile(path, buf.Bytes(), 0o644)
	images := []string{path}
	cfgs, _ := ResolveArchs([]string{"DNNSIM-LAC"})
	res, err := SimulateWith(context.Background(), tinyModel(1), images, cfgs, SimulateOptions{Quant: QuantDNNsim})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer res.Release()
	for _, r := range res.Rows {
		fmt.Printf("%-5s %-10s %6d cycles, baseline %4d\n", r.Layer, r.Config, r.Cycles, r.BaselineCycles)
	}
	// Output:
	// conv1 DNNSIM-LAC     64 cycles, baseline    4
	// dw    DNNSIM-LAC     98 cycles, baseline    9
	// pw    DNNSIM-LAC     14 cycles, baseline    1
	// fc    DNNSIM-LAC     16 cycles, baseline    6
}

func ExampleResolveArchs() {
	cfgs, err := ResolveArchs([]string{"LAC-1K,BASE-2K"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range cfgs {
		fmt.Println(c.Name, c.Model, c.Columns, c.Rows, c.Lanes, c.Memory.WeightWires)
	}
	// Output:
	// LAC-1K laconic 16 64 16 1024
	// BASE-2K bitparallel 1 8 16 2048
}

func ExampleSimulateTraces() {
	_, err := SimulateTraces(context.Background(), "no/such/folder", "", []string{"DNNSIM-LAC"})
	fmt.Println(err != nil)
	// Output: true
}

func ExampleSimulate() {
	_, err := Simulate(context.Background(), tinyModel(1), nil, []string{"LAC-128"})
	fmt.Println(err)
	// Output: laconic: Simulate: no images (give image files, or DefaultImages(n) for the repository's)
}

// realLayers runs a cached zoo model on one repository image and returns
// its quantized layers, or skips.
func realLayers(tb testing.TB, name, q string) []arch.LayerData {
	if ok, err := zoo.Cached(name); err != nil || !ok {
		tb.Skipf("%s is not cached (make models)", name)
	}
	images, err := DefaultImages(1)
	if err != nil {
		tb.Skip(err)
	}
	m, err := LoadModel(context.Background(), name)
	if err != nil {
		tb.Fatal(err)
	}
	var out []arch.LayerData
	err = m.Samples(context.Background(), images, 1, func(s nn.Sample) error {
		a, err := simQuantize(q, s.Input, true, dnnsim.DefaultLayerPrecision())
		if err != nil {
			return err
		}
		w, err := simQuantize(q, s.Weights, false, dnnsim.DefaultLayerPrecision())
		if err != nil {
			return err
		}
		out = append(out, arch.LayerData{Model: name, Layer: s.Layer, Acts: a, Wgts: w})
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

func macsOf(ls []arch.LayerData) int64 {
	var m int64
	for _, l := range ls {
		m += l.Layer.MACs()
	}
	return m
}

// TestSimulateRealInceptionV3 prints the per-preset totals of one real
// InceptionV3 image (when the model is cached) for the record.
func TestSimulateRealInceptionV3(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a real network")
	}
	layers := realLayers(t, "inception_v3", QuantFixed16)
	t0 := time.Now()
	rows, err := arch.Sweep(context.Background(), layers, arch.Presets(), arch.SweepOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d layers, %.2f G multiplies, all %d presets in %v", len(layers), float64(macsOf(layers))/1e9, len(arch.Presets()), time.Since(t0))
	for _, r := range arch.Totals(rows) {
		t.Logf("%-12s cycles %12d  speedup %6.2fx  energy %8.3f mJ  efficiency %5.2fx", r.Config, r.Cycles, r.Speedup, r.EnergyPJ/1e9, r.EnergyEfficiency)
		if r.Cycles <= 0 {
			t.Errorf("%s: %d cycles", r.Config, r.Cycles)
		}
	}
}

// BenchmarkSimulateInceptionV3 simulates one real InceptionV3 image
// (profiled fixed16) on every preset with all cores; the forward pass is
// not timed.
func BenchmarkSimulateInceptionV3(b *testing.B) {
	layers := realLayers(b, "inception_v3", QuantFixed16)
	cfgs := arch.Presets()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := arch.Sweep(context.Background(), layers, cfgs, arch.SweepOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(macsOf(layers))*float64(len(cfgs))*float64(b.N)/b.Elapsed().Seconds(), "mults/s")
}

// BenchmarkDNNsimMobileNetV2 runs the DNNSIM-LAC preset alone on one real
// MobileNetV2 image with DNNsim's fixed point, on one thread (the
// authors' simulator: about 4.4 s).
func BenchmarkDNNsimMobileNetV2(b *testing.B) {
	layers := realLayers(b, "mobilenet_v2", QuantDNNsim)
	cfg, _ := arch.Preset("DNNSIM-LAC")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, l := range layers {
			if _, err := arch.Simulate(cfg, l.Layer, l.Acts, l.Wgts); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(macsOf(layers))*float64(b.N)/b.Elapsed().Seconds(), "mults/s")
}
