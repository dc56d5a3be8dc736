package laconic

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/laconiclab/toolkit/laconic/nn/dnnsim"
)

// A trace folder written from the forward pass gives the same potentials
// as the forward pass itself, whatever the batch files.
func TestWriteTracesRoundTrip(t *testing.T) {
	images := writeImages(t, t.TempDir(), 3)
	ctx := context.Background()
	o := DNNsimPotentialOptions()
	direct, err := Potentials(ctx, tinyModel(2), images, o)
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Release()
	for _, tc := range []struct{ batch, files int }{{0, 3}, {1, 3}, {2, 2}, {5, 1}} {
		dir := t.TempDir()
		calls := 0
		rep, err := WriteTraces(ctx, tinyModel(2), images, dir, "", TraceOptions{Batch: tc.batch, Progress: func(Progress) { calls++ }})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Net != "tiny" || rep.Batches != tc.files || len(rep.Layers) != 4 || calls != 4*tc.files {
			t.Fatalf("batch %d: net %q, %d batches, layers %v, %d progress calls", tc.batch, rep.Net, rep.Batches, rep.Layers, calls)
		}
		// trace_params.csv, one weight file and tc.files activation files per layer.
		if want := 1 + 4*(1+tc.files); rep.Files != want || rep.Bytes == 0 {
			t.Errorf("batch %d: %d files (%d bytes), want %d", tc.batch, rep.Files, rep.Bytes, want)
		}
		if _, err := os.Stat(dnnsim.ActivationPath(dir, "tiny", rep.Layers[0], tc.files-1)); err != nil {
			t.Error(err)
		}
		back, err := PotentialsFromTraces(ctx, dir, "tiny", o)
		if err != nil {
			t.Fatal(err)
		}
		for i := range direct.Results {
			if back.Results[i].Sums != direct.Results[i].Sums {
				t.Errorf("batch %d, layer %s: traces %+v, forward pass %+v", tc.batch, direct.Results[i].Name, back.Results[i].Sums, direct.Results[i].Sums)
			}
		}
		back.Release()
	}
}

func TestWriteTracesPrecision(t *testing.T) {
	images := writeImages(t, t.TempDir(), 1)
	dir := t.TempDir()
	prec := dnnsim.DefaultPrecision(4)
	prec.Layers[1].ActMag, prec.Layers[1].ActFrac = 4, 3
	if _, err := WriteTraces(context.Background(), tinyModel(1), images, dir, "net", TraceOptions{Precision: prec}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, dnnsim.ModelsDir, "net", dnnsim.PrecisionFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := dnnsim.ParsePrecision(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Layers) != 4 || got.Layers[1] != prec.Layers[1] {
		t.Errorf("precision.txt read back as %+v, want %+v", got.Layers, prec.Layers)
	}
}

func TestWriteTracesBadInput(t *testing.T) {
	images := writeImages(t, t.TempDir(), 1)
	ctx := context.Background()
	cases := []struct {
		name   string
		model  any
		images []string
		dir    string
		opts   TraceOptions
		want   string
	}{
		{"model type", 42, images, t.TempDir(), TraceOptions{}, "model is int"},
		{"nil model", (*Model)(nil), images, t.TempDir(), TraceOptions{}, "nil model"},
		{"no images", tinyModel(1), nil, t.TempDir(), TraceOptions{}, "no images"},
		{"negative batch", tinyModel(1), images, t.TempDir(), TraceOptions{Batch: -1}, "batch -1"},
		{"no directory", tinyModel(1), images, "", TraceOptions{}, "no output directory"},
		{"missing image", tinyModel(1), []string{filepath.Join(t.TempDir(), "nope.png")}, t.TempDir(), TraceOptions{}, "nope.png"},
		{"precision layers", tinyModel(1), images, t.TempDir(), TraceOptions{Precision: dnnsim.DefaultPrecision(2)}, "precision"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := WriteTraces(ctx, c.model, c.images, c.dir, "net", c.opts)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
			if c.dir != "" {
				if _, err := os.Stat(filepath.Join(c.dir, dnnsim.ModelsDir, "net", dnnsim.ParamsFile)); err == nil {
					t.Errorf("a failed run left %s", dnnsim.ParamsFile)
				}
			}
		})
	}
}
