package infer

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/nn/onnx"
	"github.com/laconiclab/toolkit/laconic/nn/tfjs"
	"github.com/laconiclab/toolkit/laconic/zoo"
)

// goldenTensor is one tensor of a golden file: shape and flat indices in
// TensorFlow.js's NHWC order.
type goldenTensor struct {
	Name         string       `json:"name"`
	Shape        []int        `json:"shape"`
	Mean         float64      `json:"mean"`
	ZeroFraction float64      `json:"zero_fraction"`
	Samples      [][2]float64 `json:"samples"`
}

// golden is a reference forward pass computed by TensorFlow.js.
type golden struct {
	Model         string         `json:"model"`
	Image         string         `json:"image"`
	Input         goldenTensor   `json:"input"`
	Layers        []goldenTensor `json:"layers"`
	Probabilities []float64      `json:"probabilities"`
	Top           int            `json:"top"`
}

// goldenTol is the relative error allowed between the Go pass and
// TensorFlow.js, on sampled values and on layer means.
const goldenTol = 1e-3

// nchwIndex converts a flat NHWC index of a tensor of NHWC shape into the
// flat index of the same element in NCHW order (other ranks unchanged).
func nchwIndex(i int, nhwc []int) int {
	if len(nhwc) != 4 {
		return i
	}
	h, w, c := nhwc[1], nhwc[2], nhwc[3]
	ci := i % c
	wi := i / c % w
	hi := i / (c * w) % h
	ni := i / (c * w * h)
	return ((ni*c+ci)*h+hi)*w + wi
}

// stats summarises an output the way the golden files do.
type stats struct {
	shape   []int
	mean    float64
	zeros   float64
	samples map[int]float32 // NHWC index -> value
}

func summarize(t *nn.Tensor, g goldenTensor, flatFrom []int) stats {
	s := stats{shape: t.Shape, samples: map[int]float32{}}
	sum, zeros := 0.0, 0
	for _, v := range t.Data {
		sum += float64(v)
		if v == 0 {
			zeros++
		}
	}
	s.mean = sum / float64(len(t.Data))
	s.zeros = float64(zeros) / float64(len(t.Data))
	for _, smp := range g.Samples {
		i := int(smp[0])
		var j int
		switch {
		case flatFrom != nil:
			// A flattened NCHW tensor: map the NHWC flat index through the
			// pre-flatten shape.
			nhwc := []int{flatFrom[0], flatFrom[2], flatFrom[3], flatFrom[1]}
			j = nchwIndex(i, nhwc)
		default:
			j = nchwIndex(i, g.Shape)
		}
		if j >= 0 && j < len(t.Data) {
			s.samples[i] = t.Data[j]
		}
	}
	return s
}

// relErr is |got-want| relative to |want|, with a floor of scale (the
// largest sampled magnitude of the layer times 1e-2) so that values that are
// nearly zero after cancellation are judged against the layer's magnitude.
func relErr(got, want, scale float64) float64 {
	return math.Abs(got-want) / math.Max(math.Max(math.Abs(want), scale), 1e-12)
}

func loadZooGraph(t testing.TB, m zoo.Model) *nn.Graph {
	t.Helper()
	dir, err := zoo.CacheDir()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, filepath.FromSlash(m.Entry))
	var g *nn.Graph
	if m.Format == zoo.FormatONNX {
		g, err = onnx.Load(path)
	} else {
		g, err = tfjs.Load(path)
	}
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestGolden(t *testing.T) {
	root := repoRoot(t)
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skip("no golden files in testdata/golden (`make golden` generates them)")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".json"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var gf golden
			if err := json.Unmarshal(data, &gf); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			info, err := zoo.Lookup(gf.Model)
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			if ok, err := zoo.Cached(gf.Model); err != nil || !ok {
				t.Skipf("model %s is not in the cache: run `make models`", gf.Model)
			}
			img := filepath.Join(root, "data", "images", gf.Image)
			if _, err := os.Stat(img); err != nil {
				t.Skipf("image %s missing: run `make images`", img)
			}
			g := loadZooGraph(t, info)
			x, err := LoadImage(img, info.Input)
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, g, x, gf)
		})
	}
}

func checkGolden(t *testing.T, g *nn.Graph, x *nn.Tensor, gf golden) {
	t.Helper()
	// The input tensor.
	in := summarize(x, gf.Input, nil)
	compareStats(t, "input "+gf.Input.Name, in, gf.Input)

	want := make(map[string]goldenTensor, len(gf.Layers))
	for _, l := range gf.Layers {
		if g.Node(l.Name) == nil {
			t.Errorf("golden layer %q is not a node of graph %q", l.Name, g.Name)
			continue
		}
		want[l.Name] = l
	}
	got := map[string]stats{}
	shapes, err := Shapes(g, x.Shape)
	if err != nil {
		t.Fatal(err)
	}
	opts := DefaultOptions()
	opts.Tap = func(node *nn.Node, _ *nn.Layer, inputs []*nn.Tensor, out *nn.Tensor) error {
		gl, ok := want[node.Name]
		if !ok {
			return nil
		}
		var flatFrom []int
		if len(gl.Shape) == 2 && len(node.Inputs) == 1 {
			if s := shapes[node.Inputs[0]]; len(s) == 4 && s[2]*s[3] > 1 && (node.Op == nn.OpFlatten || node.Op == nn.OpReshape) {
				flatFrom = s
			}
		}
		got[node.Name] = summarize(out, gl, flatFrom)
		return nil
	}
	outs, err := Run(g, x, opts)
	if err != nil {
		t.Fatal(err)
	}
	worst, worstName := 0.0, ""
	for _, l := range gf.Layers {
		s, ok := got[l.Name]
		if !ok {
			continue
		}
		if e := compareStats(t, "layer "+l.Name, s, l); e > worst {
			worst, worstName = e, l.Name
		}
	}
	t.Logf("%d layers compared; largest relative error %.2g (%s)", len(got), worst, worstName)
	// The classification.
	var prob *nn.Tensor
	for _, o := range outs {
		prob = o
	}
	if len(g.Outputs) > 0 {
		prob = outs[g.Outputs[0]]
	}
	if prob == nil || prob.Len() != len(gf.Probabilities) {
		t.Fatalf("output has %v values, golden has %d probabilities", prob, len(gf.Probabilities))
	}
	top := 0
	for i, v := range prob.Data {
		if v > prob.Data[top] {
			top = i
		}
		if e := relErr(float64(v), gf.Probabilities[i], 1e-4); e > goldenTol {
			t.Errorf("probability %d = %v, TensorFlow.js %v (relative error %.2g)", i, v, gf.Probabilities[i], e)
		}
	}
	if top != gf.Top {
		t.Errorf("top class %d, TensorFlow.js %d", top, gf.Top)
	}
}

// compareStats checks shape, mean, zero fraction and samples of one tensor
// and returns the largest relative error seen.
func compareStats(t *testing.T, what string, s stats, g goldenTensor) float64 {
	t.Helper()
	wantShape := g.Shape
	if len(g.Shape) == 4 {
		wantShape = []int{g.Shape[0], g.Shape[3], g.Shape[1], g.Shape[2]}
	}
	if fmt.Sprint(s.shape) != fmt.Sprint(wantShape) && nn.NumElements(s.shape) != nn.NumElements(wantShape) {
		t.Errorf("%s: shape %v, TensorFlow.js %v (NCHW %v)", what, s.shape, g.Shape, wantShape)
		return math.Inf(1)
	}
	scale := 0.0
	for _, smp := range g.Samples {
		scale = math.Max(scale, math.Abs(smp[1]))
	}
	scale *= 1e-2
	worst := 0.0
	bad := 0
	for _, smp := range g.Samples {
		v, ok := s.samples[int(smp[0])]
		if !ok {
			t.Errorf("%s: sample index %d outside the tensor", what, int(smp[0]))
			return math.Inf(1)
		}
		e := relErr(float64(v), smp[1], scale)
		worst = math.Max(worst, e)
		if e > goldenTol {
			if bad < 3 {
				t.Errorf("%s: element %d (NHWC) = %v, TensorFlow.js %v (relative error %.2g)", what, int(smp[0]), v, smp[1], e)
			}
			bad++
		}
	}
	if e := relErr(s.mean, g.Mean, scale); e > goldenTol {
		t.Errorf("%s: mean %v, TensorFlow.js %v (relative error %.2g)", what, s.mean, g.Mean, e)
		worst = math.Max(worst, e)
	}
	if d := math.Abs(s.zeros - g.ZeroFraction); d > goldenTol {
		t.Errorf("%s: zero fraction %v, TensorFlow.js %v", what, s.zeros, g.ZeroFraction)
	}
	return worst
}
