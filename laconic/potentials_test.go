package laconic

import (
	"context"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/laconiclab/toolkit/laconic/infer"
	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/nn/dnnsim"
	"github.com/laconiclab/toolkit/laconic/quant"
	"github.com/laconiclab/toolkit/laconic/work"
	"github.com/laconiclab/toolkit/laconic/zoo"
)

func randTensor(rng *rand.Rand, scale float32, shape ...int) *nn.Tensor {
	t := nn.NewTensor(shape...)
	for i := range t.Data {
		t.Data[i] = scale * float32(rng.NormFloat64())
	}
	return t
}

// tinyModel is a small CNN built in memory: conv 3x3 (3->4, stride 2,
// padding 1, ReLU), depthwise 3x3 (ReLU), 1x1 conv (4->6, ReLU), flatten,
// dense (6*4*4 -> 5).
func tinyModel(seed uint64) *Model {
	rng := rand.New(rand.NewPCG(seed, 7))
	pad1 := nn.Pad{Top: 1, Bottom: 1, Left: 1, Right: 1}
	g := &nn.Graph{Name: "tiny", Nodes: []*nn.Node{
		{Name: "input", Op: nn.OpInput, Attrs: nn.Attrs{Shape: []int{3, 8, 8}}},
		{Name: "conv1", Op: nn.OpConv, Inputs: []string{"input"}, Weights: randTensor(rng, 0.4, 4, 3, 3, 3),
			Attrs: nn.Attrs{Kernel: [2]int{3, 3}, Stride: [2]int{2, 2}, Pad: pad1, Activation: nn.ActReLU}},
		{Name: "dw", Op: nn.OpConv, Inputs: []string{"conv1"}, Weights: randTensor(rng, 0.5, 4, 1, 3, 3),
			Attrs: nn.Attrs{Kernel: [2]int{3, 3}, Pad: pad1, Groups: 4, Activation: nn.ActReLU}},
		{Name: "pw", Op: nn.OpConv, Inputs: []string{"dw"}, Weights: randTensor(rng, 0.5, 6, 4, 1, 1),
			Attrs: nn.Attrs{Kernel: [2]int{1, 1}, Activation: nn.ActReLU}},
		{Name: "flat", Op: nn.OpFlatten, Inputs: []string{"pw"}},
		{Name: "fc", Op: nn.OpDense, Inputs: []string{"flat"}, Weights: randTensor(rng, 0.1, 5, 96)},
	}, Outputs: []string{"fc"}}
	return &Model{Graph: g, Info: zoo.Model{Name: "tiny", Input: nn.InputSpec{Height: 8, Width: 8, Channels: 3,
		Std: [3]float32{1, 1, 1}, Resize: infer.ResizeHalfPixel}}}
}

// writeImages writes n small deterministic PNG images.
func writeImages(t testing.TB, dir string, n int) []string {
	t.Helper()
	var out []string
	for k := 0; k < n; k++ {
		img := image.NewRGBA(image.Rect(0, 0, 12, 10))
		for y := 0; y < 10; y++ {
			for x := 0; x < 12; x++ {
				img.Set(x, y, color.RGBA{uint8(20*x + 7*k), uint8(25 * y), uint8((x * y * (k + 3)) % 256), 255})
			}
		}
		p := filepath.Join(dir, "img"+string(rune('a'+k))+".png")
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(f, img); err != nil {
			t.Fatal(err)
		}
		f.Close()
		out = append(out, p)
	}
	return out
}

func TestPotentialsTinyModel(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	images := writeImages(t, t.TempDir(), 3)
	for _, q := range []string{QuantFixed16, QuantAffine8, QuantDNNsim} {
		t.Run(q, func(t *testing.T) {
			o := DefaultPotentialOptions()
			o.Quant = q
			o.Allocator = mem
			calls := 0
			o.Progress = func(p Progress) { calls++ }
			if q == QuantAffine8 {
				o.Work.Bits = 8
			}
			res, err := Potentials(context.Background(), tinyModel(1), images, o)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Release()
			if calls != 4 || len(res.Results) != 4 {
				t.Fatalf("%d progress calls, %d results, want 4", calls, len(res.Results))
			}
			if res.Layers.NumRows() != 4*work.NumSchemes || res.Totals.NumRows() != work.NumSchemes ||
				res.Characterization.NumRows() != 4 || res.DNNsim.NumRows() != 4 {
				t.Fatalf("rows: layers %d totals %d char %d dnnsim %d", res.Layers.NumRows(), res.Totals.NumRows(),
					res.Characterization.NumRows(), res.DNNsim.NumRows())
			}
			md := res.Layers.Schema().Metadata()
			if i := md.FindKey("laconic.images"); i < 0 || md.Values()[i] != "imga.png,imgb.png,imgc.png" {
				t.Errorf("images provenance: %v", md)
			}
			if i := md.FindKey("laconic.quant"); i < 0 || md.Values()[i] != quantLabel(q) {
				t.Errorf("quant provenance: %v", md)
			}
			for _, r := range res.Results {
				if r.MACs() == 0 || r.Work(work.WeAe) > r.Work(work.Base) {
					t.Errorf("layer %s: MACs %d, Laconic work %d, base %d", r.Name, r.MACs(), r.Work(work.WeAe), r.Work(work.Base))
				}
				if r.Sums.MACs%3 != 0 {
					t.Errorf("layer %s: %d MACs for 3 images", r.Name, r.Sums.MACs)
				}
			}
			for _, name := range PotentialTables() {
				if rec, err := res.Table(name); err != nil || rec == nil {
					t.Errorf("table %q: %v", name, err)
				}
			}
		})
	}
}

// With fixed formats (dnnsim quantization), the sums do not depend on how
// the images are split into batches.
func TestPotentialsBatchesAddUp(t *testing.T) {
	images := writeImages(t, t.TempDir(), 3)
	o := DNNsimPotentialOptions()
	whole, err := Potentials(context.Background(), tinyModel(2), images, o)
	if err != nil {
		t.Fatal(err)
	}
	defer whole.Release()
	o.Batch = 2
	split, err := Potentials(context.Background(), tinyModel(2), images, o)
	if err != nil {
		t.Fatal(err)
	}
	defer split.Release()
	for i := range whole.Results {
		if whole.Results[i].Sums != split.Results[i].Sums {
			t.Errorf("layer %s: one batch %+v, batches of 2 %+v", whole.Results[i].Name, whole.Results[i].Sums, split.Results[i].Sums)
		}
		if whole.Results[i].ActPrecision != 16 || whole.Results[i].WgtPrecision != 16 {
			t.Errorf("dnnsim defaults: precisions %d/%d, want 16/16", whole.Results[i].ActPrecision, whole.Results[i].WgtPrecision)
		}
	}
}

func TestPotentialsBadInput(t *testing.T) {
	images := writeImages(t, t.TempDir(), 1)
	ctx := context.Background()
	cases := []struct {
		name   string
		model  any
		images []string
		opts   func(*PotentialOptions)
		want   string
	}{
		{"quant", tinyModel(1), images, func(o *PotentialOptions) { o.Quant = "int4" }, "quant"},
		{"encoding", tinyModel(1), images, func(o *PotentialOptions) { o.Work.Encoding = "gray" }, "encoding"},
		{"bits", tinyModel(1), images, func(o *PotentialOptions) { o.Work.Bits = 8 }, "bits"},
		{"batch", tinyModel(1), images, func(o *PotentialOptions) { o.Batch = -1 }, "batch"},
		{"model type", 42, images, func(*PotentialOptions) {}, "int"},
		{"nil model", (*Model)(nil), images, func(*PotentialOptions) {}, "nil model"},
		{"no images", tinyModel(1), nil, func(*PotentialOptions) {}, "no images"},
		{"missing image", tinyModel(1), []string{filepath.Join(t.TempDir(), "none.png")}, func(*PotentialOptions) {}, "none.png"},
		{"raw without stored codes", tinyModel(1), images, func(o *PotentialOptions) { o.Quant = QuantRaw; o.Work.Bits = 8 }, "conv1"},
		{"unknown zoo model", "no-such-model", images, func(*PotentialOptions) {}, "no-such-model"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := DefaultPotentialOptions()
			c.opts(&o)
			res, err := Potentials(ctx, c.model, c.images, o)
			if err == nil {
				res.Release()
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not mention %q", err, c.want)
			}
		})
	}
}

// writeTraces writes a DNNsim trace folder of the tiny model's samples
// (two batch files) with a precision.txt.
func writeTraces(t testing.TB, dir, net string, prec *dnnsim.Precision) {
	t.Helper()
	m := tinyModel(3)
	images := writeImages(t, t.TempDir(), 3)
	var batches [][]nn.Sample
	for _, imgs := range [][]string{images[:2], images[2:]} {
		var b []nn.Sample
		err := m.Samples(context.Background(), imgs, len(imgs), func(s nn.Sample) error {
			s.Input = s.Input.Clone()
			b = append(b, s)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		batches = append(batches, b)
	}
	if err := dnnsim.Write(dir, net, batches, prec); err != nil {
		t.Fatal(err)
	}
}

func TestPotentialsFromTraces(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	dir := t.TempDir()
	prec := dnnsim.DefaultPrecision(4)
	prec.Layers[1] = dnnsim.LayerPrecision{ActMag: 3, ActFrac: 4, WgtMag: -1, WgtFrac: 9} // 8-bit and 9-bit formats
	writeTraces(t, dir, "tiny", prec)
	o := DNNsimPotentialOptions()
	o.Allocator = mem
	res, err := PotentialsFromTraces(context.Background(), dir, "", o)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	net, err := dnnsim.Open(dir, "tiny")
	if err != nil {
		t.Fatal(err)
	}
	// The DNNsim report equals the work package on DNNsim-quantized samples.
	rows := work.DNNsimRows(work.Meta{}, res.Results)
	for i, info := range net.Layers {
		var want work.LayerResult
		for b := 0; b < net.Batches; b++ {
			s, err := net.Sample(i, b)
			if err != nil {
				t.Fatal(err)
			}
			act, err := dnnsimFixed(s.Input, info.Precision.ActMag, info.Precision.ActFrac)
			if err != nil {
				t.Fatal(err)
			}
			wgt, err := dnnsimFixed(s.Weights, info.Precision.WgtMag, info.Precision.WgtFrac)
			if err != nil {
				t.Fatal(err)
			}
			r, err := work.Compute(work.Layer{Layer: s.Layer, Act: act, Wgt: wgt,
				ActPrecision: info.Precision.ActBits(), WgtPrecision: info.Precision.WgtBits()}, work.DNNsimPreset())
			if err != nil {
				t.Fatal(err)
			}
			if b == 0 {
				want = r
			} else if err := want.Merge(r); err != nil {
				t.Fatal(err)
			}
		}
		got := rows[i]
		if got.Multiplies != want.MACs() || got.Work != want.TermPairWork() || got.Work != want.Work(work.WeAe) {
			t.Errorf("layer %s: report %+v, want multiplies %d work %d", info.Name, got, want.MACs(), want.TermPairWork())
		}
		if wantPct := 100 * (1 - float64(got.Work)/float64(got.Multiplies*256)); math.Abs(got.WorkReductionPct-wantPct) > 1e-9 {
			t.Errorf("layer %s: work reduction %v%%, want %v%%", info.Name, got.WorkReductionPct, wantPct)
		}
		if got.ActPrecision != info.Precision.ActBits() || got.WgtPrecision != info.Precision.WgtBits() {
			t.Errorf("layer %s: precisions %d/%d, precision.txt %d/%d", info.Name, got.ActPrecision, got.WgtPrecision,
				info.Precision.ActBits(), info.Precision.WgtBits())
		}
	}
	if rows[1].ActPrecision != 8 || rows[1].WgtPrecision != 9 {
		t.Errorf("layer 1 precisions %d/%d, want 8/9", rows[1].ActPrecision, rows[1].WgtPrecision)
	}
	md := res.DNNsim.Schema().Metadata()
	if i := md.FindKey("laconic.zero_cost"); i < 0 || md.Values()[i] != "1" {
		t.Errorf("provenance %v", md)
	}
	speed := res.DNNsim.Column(res.DNNsim.Schema().FieldIndices("speedup")[0]).(*array.Float64)
	for i := 0; i < speed.Len(); i++ {
		if s := speed.Value(i); s < 1 || s > 256 { // zero cost 1 caps a 16-bit potential at 256x
			t.Errorf("row %d: speedup %v outside [1, 256]", i, s)
		}
	}
}

func TestPotentialsFromTracesErrors(t *testing.T) {
	dir := t.TempDir()
	writeTraces(t, dir, "neta", nil)
	writeTraces(t, dir, "netb", nil)
	ctx := context.Background()
	if _, err := PotentialsFromTraces(ctx, dir, "", DNNsimPotentialOptions()); err == nil ||
		!strings.Contains(err.Error(), "neta") || !strings.Contains(err.Error(), "netb") {
		t.Errorf("several networks: %v", err)
	}
	if _, err := PotentialsFromTraces(ctx, filepath.Join(dir, "nothing"), "", DNNsimPotentialOptions()); err == nil {
		t.Error("missing folder: no error")
	}
	res, err := PotentialsFromTraces(ctx, dir, "netb", DefaultPotentialOptions())
	if err != nil {
		t.Fatal(err)
	}
	res.Release()
	// A truncated activation file is an error naming the file.
	p := dnnsim.ActivationPath(dir, "neta", "conv1", 1)
	if err := os.Truncate(p, 40); err != nil {
		t.Fatal(err)
	}
	if _, err := PotentialsFromTraces(ctx, dir, "neta", DNNsimPotentialOptions()); err == nil || !strings.Contains(err.Error(), "conv1") {
		t.Errorf("truncated trace: %v", err)
	}
	o := DNNsimPotentialOptions()
	o.Quant = QuantRaw
	o.Work.Bits = 8
	if _, err := PotentialsFromTraces(ctx, dir, "netb", o); err == nil || !strings.Contains(err.Error(), "stored codes") {
		t.Errorf("raw codes of traces: %v", err)
	}
}

func TestDNNsimFixed(t *testing.T) {
	x := &nn.Tensor{Shape: []int{6}, Data: []float32{0.3, -0.3, 1000, -1000, 0.126, 2.5}}
	cases := []struct {
		mag, frac int
		want      []int32
	}{
		{13, 2, []int32{1, -1, 4000, -4000, 1, 10}},
		{3, 4, []int32{5, -5, 127, -127, 2, 40}},        // 8 bits: ±127
		{-1, 9, []int32{154, -154, 255, -255, 65, 255}}, // 9 bits: ±255
		{0, 0, []int32{0, 0, 0, 0, 0, 0}},
	}
	for _, c := range cases {
		q, err := dnnsimFixed(x, c.mag, c.frac)
		if err != nil {
			t.Fatalf("%d:%d: %v", c.mag, c.frac, err)
		}
		for i, w := range c.want {
			if q.Codes[i] != w {
				t.Errorf("%d:%d: code %d of %v = %d, want %d", c.mag, c.frac, i, x.Data[i], q.Codes[i], w)
			}
		}
	}
	// A 15-bit split is quant.Fixed16 exactly.
	rng := rand.New(rand.NewPCG(1, 1))
	y := randTensor(rng, 3, 100)
	a, _ := dnnsimFixed(y, 5, 10)
	b, _ := quant.Fixed16(y, 5, 10)
	for i := range a.Codes {
		if a.Codes[i] != b.Codes[i] {
			t.Fatalf("code %d: %d vs quant.Fixed16 %d", i, a.Codes[i], b.Codes[i])
		}
	}
	for _, bad := range [][2]int{{10, 6}, {-3, 1}} {
		if _, err := dnnsimFixed(x, bad[0], bad[1]); err == nil {
			t.Errorf("format %v: no error", bad)
		}
	}
	nan := &nn.Tensor{Shape: []int{2}, Data: []float32{1, float32(math.NaN())}}
	if _, err := dnnsimFixed(nan, 3, 4); err == nil {
		t.Error("NaN: no error")
	}
}

func TestDefaultImages(t *testing.T) {
	dir := t.TempDir()
	writeImages(t, dir, 3)
	os.WriteFile(filepath.Join(dir, "README.md"), []byte("x"), 0o644)
	t.Setenv("LACONIC_IMAGES", dir)
	got, err := DefaultImages(2)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || filepath.Base(got[0]) != "imga.png" || filepath.Base(got[1]) != "imgb.png" {
		t.Errorf("DefaultImages(2) = %v", got)
	}
	if _, err := DefaultImages(4); err == nil || !strings.Contains(err.Error(), "has 3") {
		t.Errorf("too many: %v", err)
	}
	if _, err := DefaultImages(0); err == nil {
		t.Error("0 images: no error")
	}
}

// The real models of the zoo, when the cache holds them.
func TestPotentialsRealModel(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a real network")
	}
	if ok, err := zoo.Cached("mobilenet_v2"); err != nil || !ok {
		t.Skip("mobilenet_v2 is not cached (make models)")
	}
	images, err := DefaultImages(1)
	if err != nil {
		t.Skip(err)
	}
	m, err := LoadModel(context.Background(), "mobilenet_v2")
	if err != nil {
		t.Fatal(err)
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	for _, q := range []string{QuantFixed16, QuantRaw} {
		o := DefaultPotentialOptions()
		o.Quant, o.Allocator = q, mem
		if q == QuantRaw {
			o.Work.Bits = 8
		}
		res, err := Potentials(context.Background(), m, images, o)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(m.Graph.ComputeNodes()); len(res.Results) != n {
			t.Errorf("%s: %d compute layers, the graph has %d", q, len(res.Results), n)
		}
		tot := work.TotalRows(work.Rows(work.Meta{}, res.Results))
		for _, r := range tot {
			if r.Scheme == "We+Ae" {
				t.Logf("%s: mobilenet_v2 Laconic potential %.1fx over %d MACs", q, r.Speedup, r.MACs)
				if r.Speedup <= 1 {
					t.Errorf("%s: Laconic potential %v", q, r.Speedup)
				}
			}
		}
		res.Release()
	}
}
