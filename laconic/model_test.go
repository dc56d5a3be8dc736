package laconic_test

import (
	"context"
	"encoding/json"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/laconiclab/toolkit/laconic"
	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/zoo"
)

func TestLoadModelFile(t *testing.T) {
	dir := t.TempDir()
	path, err := writeTinyClassifier(dir)
	if err != nil {
		t.Fatal(err)
	}
	m, err := laconic.LoadModelFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if m.Path != path || m.Info.Format != zoo.FormatONNX || m.Info.Input.Channels != 3 || m.Info.Input.Std != [3]float32{1, 1, 1} {
		t.Fatalf("model %+v", m.Info)
	}
	red, _ := writeSolid(dir, "red.png", 5, 7, color.NRGBA{R: 255, A: 255})
	blue, _ := writeSolid(dir, "blue.png", 9, 9, color.NRGBA{B: 255, A: 255})
	imgs := []string{red, blue, red, red, blue, blue, red, blue, red, blue} // more than one Classify batch
	preds, err := m.Classify(imgs)
	if err != nil {
		t.Fatal(err)
	}
	if len(preds) != len(imgs) {
		t.Fatalf("%d predictions for %d images", len(preds), len(imgs))
	}
	for i, p := range preds {
		want := "class 0"
		if imgs[i] == blue {
			want = "class 1"
		}
		if p.Image != imgs[i] || p.Top(1)[0].Label != want || len(p.Top(5)) != 2 || len(p.Top(-1)) != 0 {
			t.Fatalf("image %d: %+v", i, p)
		}
		if s := p.Classes[0].Probability + p.Classes[1].Probability; math.Abs(float64(s)-1) > 1e-6 {
			t.Fatalf("probabilities sum to %v", s)
		}
	}
	// Samples: 5 images in batches of 2 -> 3 batches x 2 compute layers.
	var ns []int
	err = m.Samples(context.Background(), imgs[:5], 2, func(s nn.Sample) error {
		if err := s.Layer.CheckTensors(s.Input, s.Weights); err != nil {
			t.Error(err)
		}
		ns = append(ns, s.Layer.N)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{2, 2, 2, 2, 1, 1}; !slices.Equal(ns, want) {
		t.Fatalf("sample batch sizes %v, want %v", ns, want)
	}
}

func TestModelErrors(t *testing.T) {
	dir := t.TempDir()
	path, _ := writeTinyClassifier(dir)
	img, _ := writeSolid(dir, "ok.png", 4, 4, color.NRGBA{A: 255})
	corrupt := filepath.Join(dir, "corrupt.onnx")
	data, _ := os.ReadFile(path)
	os.WriteFile(corrupt, data[:len(data)/3], 0o644)
	m, err := laconic.LoadModelFile(path)
	if err != nil {
		t.Fatal(err)
	}
	noop := func(nn.Sample) error { return nil }
	tests := []struct {
		name string
		run  func() error
		sub  string
	}{
		{"missing file", func() error { _, err := laconic.LoadModelFile(filepath.Join(dir, "nope.onnx")); return err }, "nope.onnx"},
		{"corrupt file", func() error { _, err := laconic.LoadModelFile(corrupt); return err }, "corrupt.onnx"},
		{"not a tfjs dir", func() error { _, err := laconic.LoadModelFile(t.TempDir()); return err }, "tfjs"},
		{"unknown zoo model", func() error { _, err := laconic.LoadModel(context.Background(), "alexnet"); return err }, "alexnet"},
		{"bad batch", func() error { return m.Samples(context.Background(), []string{img}, 0, noop) }, "batch"},
		{"no images", func() error { return m.Samples(context.Background(), nil, 1, noop) }, "no images"},
		{"unreadable image", func() error { _, err := m.Classify([]string{img, filepath.Join(dir, "gone.png")}); return err }, "gone.png"},
		{"unreadable sample image", func() error {
			return m.Samples(context.Background(), []string{filepath.Join(dir, "gone.png")}, 1, noop)
		}, "gone.png"},
		{"bad input spec", func() error {
			bad := *m
			bad.Info.Input.Std = [3]float32{}
			_, err := bad.Classify([]string{img})
			return err
		}, "Std"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			if err == nil || !strings.Contains(err.Error(), tc.sub) {
				t.Fatalf("error %v, want one containing %q", err, tc.sub)
			}
		})
	}
}

// imagePath returns a repository image, or skips.
func imagePath(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join("..", "data", "images", name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("image %s missing: run `make images`", p)
	}
	return p
}

// TestZooModels loads every cached zoo model through the facade, checks its
// graph and classifies a photograph.
func TestZooModels(t *testing.T) {
	for _, info := range zoo.List() {
		t.Run(info.Name, func(t *testing.T) {
			ok, err := zoo.Cached(info.Name)
			if err != nil || !ok {
				t.Skipf("%s is not in the model cache: run `make models`", info.Name)
			}
			m, err := laconic.LoadModel(context.Background(), info.Name)
			if err != nil {
				t.Fatal(err)
			}
			if m.Graph.Name != info.Name || len(m.Graph.ComputeNodes()) == 0 {
				t.Fatalf("graph %q with %d compute nodes", m.Graph.Name, len(m.Graph.ComputeNodes()))
			}
			if info.Params > 0 && int64(m.Graph.NumParams()) < info.Params*9/10 {
				t.Errorf("%d parameters, the zoo records %d", m.Graph.NumParams(), info.Params)
			}
			// Loading the same path as a user's file finds the same format.
			u, err := laconic.LoadModelFile(m.Path)
			if err != nil {
				t.Fatal(err)
			}
			if u.Info.Format != info.Format || len(u.Graph.Nodes) != len(m.Graph.Nodes) {
				t.Fatalf("LoadModelFile: format %s, %d nodes; LoadModel: %s, %d", u.Info.Format, len(u.Graph.Nodes), info.Format, len(m.Graph.Nodes))
			}
			if len(info.Labels) == 0 {
				return
			}
			preds, err := m.Classify([]string{imagePath(t, "chelsea.png")})
			if err != nil {
				t.Fatal(err)
			}
			var sum float32
			for _, c := range preds[0].Classes {
				sum += c.Probability
			}
			if len(preds[0].Classes) != len(info.Labels) || math.Abs(float64(sum)-1) > 1e-4 {
				t.Fatalf("classes %+v", preds[0].Classes)
			}
			t.Logf("%s on chelsea.png: %+v", info.Name, preds[0].Top(2))
			// TensorFlow.js's probabilities for the same image, when a
			// golden file records them.
			data, err := os.ReadFile(filepath.Join("infer", "testdata", "golden", info.Name+"__chelsea.json"))
			if err != nil {
				return
			}
			var golden struct {
				Probabilities []float64 `json:"probabilities"`
				Top           int       `json:"top"`
			}
			if err := json.Unmarshal(data, &golden); err != nil {
				t.Fatal(err)
			}
			if preds[0].Classes[0].Index != golden.Top {
				t.Errorf("top class %d, TensorFlow.js %d", preds[0].Classes[0].Index, golden.Top)
			}
			for _, c := range preds[0].Classes {
				if w := golden.Probabilities[c.Index]; math.Abs(float64(c.Probability)-w) > 1e-3*math.Max(w, 1e-2) {
					t.Errorf("class %d: probability %v, TensorFlow.js %v", c.Index, c.Probability, w)
				}
			}
		})
	}
}
