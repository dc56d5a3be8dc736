package dnnsim

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/nn/npy"
)

const fixtureParams = "conv1,4,3,2,2,1\ndw2,4,3,3,1,1\ngroup3,6,1,1,1,0\nfc4,5,1,1,1,0\nlstm5,8,1,1,1,0\nLinear6,3,1,1,1,0\n"

// TestOpenErrors breaks a valid two-batch folder in one way per case and
// checks that Open names the file and layer at fault.
func TestOpenErrors(t *testing.T) {
	params := func(dir string) string { return filepath.Join(dir, ModelsDir, "tiny", ParamsFile) }
	for _, tc := range []struct {
		name   string
		break_ func(t *testing.T, dir string)
		want   func(dir string) []string
	}{
		{"missing weights", func(t *testing.T, dir string) { os.Remove(WeightPath(dir, "tiny", "group3")) },
			func(dir string) []string {
				return []string{"group3", "missing file", WeightPath(dir, "tiny", "group3"), "line 3"}
			}},
		{"missing activations of a later batch", func(t *testing.T, dir string) { os.Remove(ActivationPath(dir, "tiny", "fc4", 1)) },
			func(dir string) []string {
				return []string{"fc4", "missing file", ActivationPath(dir, "tiny", "fc4", 1)}
			}},
		{"no activations at all", func(t *testing.T, dir string) {
			os.Remove(ActivationPath(dir, "tiny", "conv1", 0))
			os.Remove(ActivationPath(dir, "tiny", "conv1", 1))
		}, func(dir string) []string {
			return []string{"conv1", "missing activations", ActivationPath(dir, "tiny", "conv1", 0)}
		}},
		{"missing trace_params.csv", func(t *testing.T, dir string) { os.Remove(params(dir)) },
			func(dir string) []string { return []string{"missing", params(dir)} }},
		{"missing trace folder", func(t *testing.T, dir string) { os.RemoveAll(filepath.Join(dir, TracesDir, "tiny")) },
			func(dir string) []string {
				return []string{"missing trace folder", filepath.Join(dir, TracesDir, "tiny")}
			}},
		{"Nn differs from weights", func(t *testing.T, dir string) {
			writeText(t, params(dir), strings.Replace(fixtureParams, "dw2,4,", "dw2,5,", 1))
		}, func(dir string) []string {
			return []string{"dw2", "line 2", "Nn = 5", WeightPath(dir, "tiny", "dw2"), "4 filters"}
		}},
		{"kernel differs from weights", func(t *testing.T, dir string) {
			writeText(t, params(dir), strings.Replace(fixtureParams, "conv1,4,3,2,", "conv1,4,2,3,", 1))
		}, func(dir string) []string {
			return []string{"conv1", "line 1", "2 x 3", "3 x 2", WeightPath(dir, "tiny", "conv1")}
		}},
		{"dense outputs differ", func(t *testing.T, dir string) {
			writeText(t, params(dir), strings.Replace(fixtureParams, "Linear6,3,", "Linear6,4,", 1))
		}, func(dir string) []string { return []string{"Linear6", "line 6", "Nn = 4", "3 outputs"} }},
		{"dense inputs differ", func(t *testing.T, dir string) {
			npy.Write(WeightPath(dir, "tiny", "fc4"), nn.NewTensor(5, 35))
		}, func(dir string) []string {
			return []string{"fc4", "35 inputs", "36", ActivationPath(dir, "tiny", "fc4", 0)}
		}},
		{"weight channels do not divide input channels", func(t *testing.T, dir string) {
			npy.Write(WeightPath(dir, "tiny", "conv1"), nn.NewTensor(4, 2, 3, 2))
		}, func(dir string) []string {
			return []string{"conv1", "2 channels", "does not divide the 3 input channels", WeightPath(dir, "tiny", "conv1")}
		}},
		{"filters not divisible into groups", func(t *testing.T, dir string) {
			npy.Write(WeightPath(dir, "tiny", "group3"), nn.NewTensor(6, 1, 1, 1)) // depthwise over 4 channels, 6 filters
			writeText(t, params(dir), fixtureParams)
		}, func(dir string) []string { return []string{"group3", "6 filters", "4 groups"} }},
		{"kernel larger than the padded input", func(t *testing.T, dir string) {
			writeText(t, params(dir), strings.Replace(fixtureParams, "dw2,4,3,3,1,1", "dw2,4,3,3,1,0", 1))
			for b := range 2 {
				npy.Write(ActivationPath(dir, "tiny", "dw2", b), nn.NewTensor(1, 4, 2, 2))
			}
		}, func(dir string) []string {
			return []string{"dw2", "kernel 3x3 larger than padded input 2x2", ActivationPath(dir, "tiny", "dw2", 0)}
		}},
		{"activations of the wrong rank", func(t *testing.T, dir string) {
			npy.Write(ActivationPath(dir, "tiny", "conv1", 0), nn.NewTensor(3, 9, 7))
		}, func(dir string) []string {
			return []string{"conv1", "shape [3 9 7]", "batch x channels x X x Y", ActivationPath(dir, "tiny", "conv1", 0)}
		}},
		{"weights of the wrong rank", func(t *testing.T, dir string) {
			npy.Write(WeightPath(dir, "tiny", "lstm5"), nn.NewTensor(8, 5, 1))
		}, func(dir string) []string { return []string{"lstm5", "shape [8 5 1]", WeightPath(dir, "tiny", "lstm5")} }},
		{"a later batch with other channels", func(t *testing.T, dir string) {
			npy.Write(ActivationPath(dir, "tiny", "group3", 1), nn.NewTensor(2, 8, 5, 4))
		}, func(dir string) []string { return []string{"group3", ActivationPath(dir, "tiny", "group3", 1)} }},
		{"empty batch", func(t *testing.T, dir string) {
			npy.Write(ActivationPath(dir, "tiny", "Linear6", 1), nn.NewTensor(0, 8))
		}, func(dir string) []string {
			return []string{"Linear6", "N = 0", ActivationPath(dir, "tiny", "Linear6", 1)}
		}},
		{"corrupt activation file", func(t *testing.T, dir string) {
			p := ActivationPath(dir, "tiny", "lstm5", 0)
			b, _ := os.ReadFile(p)
			os.WriteFile(p, b[:len(b)-3], 0o644)
		}, func(dir string) []string {
			return []string{"lstm5", "truncated", ActivationPath(dir, "tiny", "lstm5", 0)}
		}},
		{"malformed line", func(t *testing.T, dir string) {
			writeText(t, params(dir), strings.Replace(fixtureParams, "group3,6,1,1,1,0", "group3,6,1,1", 1))
		}, func(dir string) []string { return []string{params(dir), "line 3", "4 fields"} }},
		{"layer without files", func(t *testing.T, dir string) {
			writeText(t, params(dir), fixtureParams+"conv7,4,3,3,1,1\n")
		}, func(dir string) []string { return []string{"conv7", "line 7", WeightPath(dir, "tiny", "conv7")} }},
		{"precision for too few layers", func(t *testing.T, dir string) {
			writeText(t, filepath.Join(dir, ModelsDir, "tiny", PrecisionFile), "h\n9;9;\n1;1;\n2;2;\n7;7;\n")
		}, func(dir string) []string {
			return []string{filepath.Join(dir, ModelsDir, "tiny", PrecisionFile), "2 layers", "has 6"}
		}},
		{"precision for too many layers", func(t *testing.T, dir string) {
			writeText(t, filepath.Join(dir, ModelsDir, "tiny", PrecisionFile), "h\n9;9;9;9;9;9;9\n1;1;1;1;1;1;1\n2;2;2;2;2;2;2\n7;7;7;7;7;7;7\n")
		}, func(dir string) []string {
			return []string{filepath.Join(dir, ModelsDir, "tiny", PrecisionFile), "7 layers", "has 6"}
		}},
		{"negative precision", func(t *testing.T, dir string) {
			writeText(t, filepath.Join(dir, ModelsDir, "tiny", PrecisionFile), "h\n9;9;9;9;9;9\n1;1;-4;1;1;1\n2;2;2;2;2;2\n7;7;7;7;7;7\n")
		}, func(dir string) []string {
			return []string{filepath.Join(dir, ModelsDir, "tiny", PrecisionFile), "line 3", "layer 2", "-4, want >= 0"}
		}},
		{"malformed precision", func(t *testing.T, dir string) {
			writeText(t, filepath.Join(dir, ModelsDir, "tiny", PrecisionFile), "h\n9;9;\n-1;-1;\n")
		}, func(dir string) []string { return []string{PrecisionFile, "2 value lines"} }},
		{"bad network name", nil, func(dir string) []string { return []string{"network", "../x"} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, _ := writeFixture(t, nil, 2, 2)
			net := "tiny"
			if tc.break_ == nil {
				net = "../x"
			} else {
				tc.break_(t, dir)
			}
			_, err := Open(dir, net)
			mustContain(t, err, tc.want(dir)...)
		})
	}
}

func TestWriteErrors(t *testing.T) {
	good := fixtureBatches(1, 2)[0]
	mod := func(i int, f func(s *nn.Sample)) []nn.Sample {
		b := append([]nn.Sample{}, good...)
		f(&b[i])
		return b
	}
	for _, tc := range []struct {
		name    string
		batches [][]nn.Sample
		prec    *Precision
		want    []string
	}{
		{"no batches", nil, nil, []string{"no batches"}},
		{"empty batch", [][]nn.Sample{{}}, nil, []string{"no samples"}},
		{"unequal strides", [][]nn.Sample{mod(0, func(s *nn.Sample) { s.Layer.StrideW = 1 })}, nil,
			[]string{"conv1", "stride 2x1", "one stride"}},
		{"tensor shape", [][]nn.Sample{mod(1, func(s *nn.Sample) { s.Input = nn.NewTensor(3) })}, nil,
			[]string{"dw2", "activations"}},
		{"names collide", [][]nn.Sample{mod(1, func(s *nn.Sample) { s.Layer.Name = "conv1" })}, nil,
			[]string{"conv1", "both be written"}},
		{"precision count", [][]nn.Sample{good}, DefaultPrecision(2), []string{"precision has 2 layers"}},
		{"invalid precision", [][]nn.Sample{good}, &Precision{Layers: []LayerPrecision{{20, 0, 0, 0}}}, []string{"precision", "21 bits"}},
		{"later batch with other layers", [][]nn.Sample{good, good[:3]}, nil, []string{"batch 1 has 3 layers"}},
		{"later batch with other geometry", [][]nn.Sample{good, mod(2, func(s *nn.Sample) { s.Layer.Name = "other" })}, nil,
			[]string{"batch 1", "other", "differs"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			err := Write(dir, "n", tc.batches, tc.prec)
			mustContain(t, err, tc.want...)
			// Nothing that looks like a complete network is left.
			if names, _ := Nets(dir); len(names) != 0 {
				t.Fatalf("networks %v left behind", names)
			}
		})
	}
	if _, err := NewWriter(t.TempDir(), "a/b", nil); err == nil {
		t.Fatal("network name with a slash accepted")
	}
	w, err := NewWriter(t.TempDir(), "n", nil)
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, w.Close(), "no batch")
	mustContain(t, w.Close(), "twice")
	mustContain(t, w.WriteBatch(good), "after Close")
}

func TestWriterNames(t *testing.T) {
	b := fixtureBatches(1, 1)[0]
	b[0].Layer.Name = "features/0"
	b[3].Layer.Name = "classifier"
	w, err := NewWriter(t.TempDir(), "n", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteBatch(b); err != nil {
		t.Fatal(err)
	}
	names := w.Names()
	if names[0] != "features-0" || names[3] != "fc_classifier" || names[5] != "Linear6" {
		t.Fatalf("names %v", names)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}
