package infer

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"testing"

	"github.com/laconiclab/toolkit/laconic/infer/internal/ortref"
	"github.com/laconiclab/toolkit/laconic/nn/npy"
	"github.com/laconiclab/toolkit/laconic/zoo"
)

// TestONNXRuntime compares the forward pass with onnxruntime's CPU engine
// on every ONNX model of the zoo and real images: every output element
// agrees within 1e-3 (absolute below 1, relative above). It is skipped when
// onnxruntime-node is not installed (`make bench-ort` installs it).
func TestONNXRuntime(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	root := repoRoot(t)
	paths, err := ortref.Find(root)
	if errors.Is(err, ortref.ErrAbsent) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	eng, err := ortref.Start(paths)
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	ran := false
	for _, name := range zoo.Names() {
		m, _ := zoo.Lookup(name)
		if m.Format != zoo.FormatONNX {
			continue
		}
		if ok, err := zoo.Cached(name); err != nil || !ok {
			continue
		}
		dir, err := zoo.CacheDir()
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dir, filepath.FromSlash(m.Entry))
		g := loadZooGraph(t, m)
		sess, err := eng.Load(name, file, 1)
		if err != nil {
			t.Fatal(err)
		}
		outs := g.Outputs
		if len(outs) != len(sess.Outputs) {
			t.Fatalf("%s: %d outputs in the graph, onnxruntime has %d", name, len(outs), len(sess.Outputs))
		}
		for _, img := range []string{"astronaut.png", "chelsea.png", "dog.jpg"} {
			t.Run(name+"/"+img, func(t *testing.T) {
				ran = true
				x, err := LoadImage(filepath.Join(root, "data", "images", img), m.Input)
				if err != nil {
					t.Skip(err)
				}
				tmp := t.TempDir()
				in := filepath.Join(tmp, "input.npy")
				if err := ortref.WriteInput(in, x, sess); err != nil {
					t.Fatal(err)
				}
				files, err := eng.Outputs(name, in, tmp, sess.Outputs)
				if err != nil {
					t.Fatal(err)
				}
				got, err := Run(g, x, DefaultOptions())
				if err != nil {
					t.Fatal(err)
				}
				for i, o := range outs {
					want, err := npy.Read(files[i])
					if err != nil {
						t.Fatal(err)
					}
					if err := closeTo(got[o].Data, want.Data, 1e-3); err != nil {
						t.Errorf("output %q (onnxruntime %q): %v", o, sess.Outputs[i], err)
					}
				}
			})
		}
	}
	if !ran {
		t.Skip("no ONNX model of the zoo is cached (`make models`)")
	}
}

// closeTo checks |got-want| <= tol*max(1, |want|) element by element.
func closeTo(got, want []float32, tol float64) error {
	if len(got) != len(want) {
		return fmt.Errorf("%d elements, want %d", len(got), len(want))
	}
	worst, at := 0.0, -1
	for i := range got {
		d := math.Abs(float64(got[i])-float64(want[i])) / math.Max(1, math.Abs(float64(want[i])))
		if d > worst || math.IsNaN(d) {
			worst, at = d, i
		}
	}
	if worst > tol || math.IsNaN(worst) {
		return fmt.Errorf("element %d: got %g, want %g (error %.3g > %g)", at, got[at], want[at], worst, tol)
	}
	return nil
}
