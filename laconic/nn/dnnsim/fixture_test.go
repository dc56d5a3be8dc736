package dnnsim

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/laconiclab/toolkit/laconic/nn"
)

// The synthetic fixture: one layer of every kind the layout has, with
// non-square inputs and kernels.
func fixtureLayers(n int) []nn.Layer {
	pad := func(p int) nn.Pad { return nn.Pad{Top: p, Bottom: p, Left: p, Right: p} }
	return []nn.Layer{
		{Name: "conv1", Kind: nn.KindConv, N: n, C: 3, H: 9, W: 7, K: 4, R: 3, S: 2, StrideH: 2, StrideW: 2, Pad: pad(1), Groups: 1},
		{Name: "dw2", Kind: nn.KindDepthwise, N: n, C: 4, H: 5, W: 4, K: 4, R: 3, S: 3, StrideH: 1, StrideW: 1, Pad: pad(1), Groups: 4},
		{Name: "group3", Kind: nn.KindGrouped, N: n, C: 4, H: 5, W: 4, K: 6, R: 1, S: 1, StrideH: 1, StrideW: 1, Groups: 2},
		{Name: "fc4", Kind: nn.KindDense, N: n, C: 36, H: 1, W: 1, K: 5, R: 1, S: 1, StrideH: 1, StrideW: 1, Groups: 1},
		{Name: "lstm5", Kind: nn.KindLSTM, N: n, C: 5, H: 1, W: 1, K: 8, R: 1, S: 1, StrideH: 1, StrideW: 1, Groups: 1},
		{Name: "Linear6", Kind: nn.KindDense, N: n, C: 8, H: 1, W: 1, K: 3, R: 1, S: 1, StrideH: 1, StrideW: 1, Groups: 1},
	}
}

func randTensor(rng *rand.Rand, shape ...int) *nn.Tensor {
	t := nn.NewTensor(shape...)
	for i := range t.Data {
		t.Data[i] = float32(rng.NormFloat64())
	}
	return t
}

// fixtureBatches returns len(ns) batches with batch sizes ns; the weights
// are shared. fc4's input is 4-D (N x 6 x 2 x 3), as after a convolution.
func fixtureBatches(seed uint64, ns ...int) [][]nn.Sample {
	rng := rand.New(rand.NewPCG(seed, 11))
	base := fixtureLayers(1)
	weights := make([]*nn.Tensor, len(base))
	for i, l := range base {
		weights[i] = randTensor(rng, l.WeightShape()...)
	}
	var out [][]nn.Sample
	for _, n := range ns {
		var batch []nn.Sample
		for i, l := range fixtureLayers(n) {
			shape := l.InputShape()
			if l.Name == "fc4" {
				shape = []int{n, 6, 2, 3}
			}
			batch = append(batch, nn.Sample{Layer: l, Input: randTensor(rng, shape...), Weights: weights[i]})
		}
		out = append(out, batch)
	}
	return out
}

// normalized is the form Open returns a sample in.
func normalized(s nn.Sample) nn.Sample {
	in := &nn.Tensor{Shape: s.Layer.InputShape(), Data: s.Input.Data}
	w := &nn.Tensor{Shape: s.Layer.WeightShape(), Data: s.Weights.Data}
	return nn.Sample{Layer: s.Layer, Input: in, Weights: w}
}

func sameTensor(a, b *nn.Tensor) bool {
	if !slices.Equal(a.Shape, b.Shape) || len(a.Data) != len(b.Data) {
		return false
	}
	for i := range a.Data {
		if math.Float32bits(a.Data[i]) != math.Float32bits(b.Data[i]) {
			return false
		}
	}
	return true
}

func checkSample(t *testing.T, got, want nn.Sample) {
	t.Helper()
	if got.Layer != want.Layer {
		t.Fatalf("layer %q geometry:\n got %+v\nwant %+v", want.Layer.Name, got.Layer, want.Layer)
	}
	if !sameTensor(got.Input, want.Input) {
		t.Fatalf("layer %q: activations differ (shape %v, want %v)", want.Layer.Name, got.Input.Shape, want.Input.Shape)
	}
	if !sameTensor(got.Weights, want.Weights) {
		t.Fatalf("layer %q: weights differ (shape %v, want %v)", want.Layer.Name, got.Weights.Shape, want.Weights.Shape)
	}
}

// writeFixture writes the fixture network "tiny" into a new folder.
func writeFixture(t testing.TB, prec *Precision, ns ...int) (string, [][]nn.Sample) {
	t.Helper()
	dir := t.TempDir()
	batches := fixtureBatches(1, ns...)
	if err := Write(dir, "tiny", batches, prec); err != nil {
		t.Fatal(err)
	}
	return dir, batches
}

func writeText(t testing.TB, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mustContain(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one containing %q", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Fatalf("error %q does not contain %q", err, p)
		}
	}
}
