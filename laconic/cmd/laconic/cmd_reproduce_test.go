package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/laconiclab/toolkit/laconic"
)

// reproduceSetup writes a tiny ONNX model and one image (the directory
// LACONIC_IMAGES points to) and returns the model's path and the results and
// plots directories to use.
func reproduceSetup(t *testing.T) (model, results, plots string) {
	t.Helper()
	dir := t.TempDir()
	model = writeTinyONNX(t, dir)
	imgDir := filepath.Join(dir, "images")
	os.Mkdir(imgDir, 0o755)
	writePNG(t, imgDir)
	t.Setenv("LACONIC_IMAGES", imgDir)
	return model, filepath.Join(dir, "results"), filepath.Join(dir, "plots")
}

func TestReproduceCommand(t *testing.T) {
	model, results, plots := reproduceSetup(t)
	code, out, errOut := runCLI("reproduce", "--models", model, "--images", "1", "--results", results, "--plots", plots,
		"--no-svg", "--no-html", "--wires", "64,256", "--presets", "BASE-2K,LAC-128,LAC-1K", "--workers", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// Progress: one line per step start and end (standard error is not a terminal).
	for _, s := range []string{"reproduce [1/14] check", "reproduce [3/14] potentials-16b: tiny", "reproduce [14/14] readme: done in"} {
		if !strings.Contains(errOut, s) {
			t.Errorf("progress lacks %q:\n%s", s, errOut)
		}
	}
	// Summary: every step with its time and files, the total, the headline numbers.
	for _, s := range []string{"step", "potentials-16b", "potentials-16b.{parquet,csv}", "term-values.parquet",
		"readme ", "README.md", "total", "LAC-1K speedup", "tiny", "from headline.csv"} {
		if !strings.Contains(out, s) {
			t.Errorf("summary lacks %q:\n%s", s, out)
		}
	}
	if strings.Contains(out, "plots/README.md") {
		t.Errorf("plots README written without figures:\n%s", out)
	}
	for _, f := range []string{"simulate-totals.csv", "sweep-wires.parquet", "headline.parquet", "README.md"} {
		if _, err := os.Stat(filepath.Join(results, f)); err != nil {
			t.Error(err)
		}
	}
	data, err := os.ReadFile(filepath.Join(results, "sweep-wires.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), ",LAC-64,") || !strings.Contains(string(data), ",LAC-256,") || strings.Contains(string(data), ",LAC-512,") {
		t.Errorf("sweep-wires.csv:\n%s", data)
	}
}

func TestReproduceUsageErrors(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--images", "0"}, "--images 0"},
		{[]string{"--wires", "64,x"}, `"x" is not a number`},
		{[]string{"--wires", "100"}, "multiple of 16"},
		{[]string{"--presets", "LAC-7"}, "LAC-7"},
		{[]string{"--presets", "DNNSIM-LAC"}, "their own table"},
		{[]string{"--workers", "-1"}, "workers"},
		{[]string{"extra"}, "unexpected arguments"},
		{[]string{"--bogus"}, "bogus"},
	}
	for _, c := range cases {
		code, _, errOut := runCLI(append([]string{"reproduce"}, c.args...)...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", c.args, code, errOut, c.want)
		}
	}
	if code, _, errOut := runCLI("reproduce", "-h"); code != 0 || !strings.Contains(errOut, "make setup-charts") {
		t.Errorf("-h: exit %d: %s", code, errOut)
	}
}

func TestReproduceMissingCache(t *testing.T) {
	t.Setenv("LACONIC_CACHE", t.TempDir())
	dir := t.TempDir()
	code, _, errOut := runCLI("reproduce", "--models", "inception_v3", "--results", dir, "--plots", dir, "--no-svg", "--no-html")
	if code != 1 || !strings.Contains(errOut, "make models") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

func TestDescribeFiles(t *testing.T) {
	rep := &laconic.ReproduceReport{}
	cases := []struct {
		files []string
		want  string
	}{
		{nil, "-"},
		{[]string{"r/a.parquet", "r/a.csv", "r/b.parquet"}, "a.{parquet,csv}, b.parquet"},
		{[]string{"r/README.md", "p/README.md"}, "r/README.md, p/README.md"},
		{[]string{"p/1.svg", "p/2.svg", "p/3.svg", "p/4.svg", "p/5.svg"}, "1.svg, 2.svg, 3.svg, 4.svg, ... (5 files)"},
	}
	for _, c := range cases {
		if got := describeFiles(laconic.StepReport{Files: c.files}, rep); got != c.want {
			t.Errorf("%q: %q, want %q", c.files, got, c.want)
		}
	}
}

func TestReproduceNoFiguresNoPlotsDir(t *testing.T) {
	dir := t.TempDir()
	model := writeTinyONNX(t, dir)
	img := writePNG(t, dir)
	t.Setenv("LACONIC_IMAGES", dir)
	plots := filepath.Join(dir, "plots")
	code, _, errOut := runCLI("reproduce", "--models", model, "--images", "1", "--results", filepath.Join(dir, "results"),
		"--plots", plots, "--no-svg", "--no-html", "--wires", "64")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(plots); !os.IsNotExist(err) {
		t.Errorf("plots directory created without figures (%v); image %s", err, img)
	}
}

// A second run with other networks reports, and keeps, the files of the
// first one that it did not rewrite.
func TestReproduceReportsStaleFiles(t *testing.T) {
	model, results, plots := reproduceSetup(t)
	os.Mkdir(results, 0o755)
	old := filepath.Join(results, "potentials-16b-othernet.csv")
	mine := filepath.Join(results, "notes.txt")
	for _, f := range []string{old, mine} {
		if err := os.WriteFile(f, []byte("x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	args := []string{"reproduce", "--models", model, "--images", "1", "--results", results, "--plots", plots,
		"--no-svg", "--no-html", "--wires", "64", "--presets", "BASE-2K,LAC-128,LAC-1K", "--workers", "2"}
	code, out, errOut := runCLI(args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "note: 1 table or figure file(s)") || !strings.Contains(out, old) {
		t.Errorf("summary does not report %s:\n%s", old, out)
	}
	if strings.Contains(out, "notes.txt") || strings.Contains(out, "sweep-wires.csv\n") {
		t.Errorf("summary reports files that are not stale tables:\n%s", out)
	}
	for _, f := range []string{old, mine} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("%s: %v (must be kept)", f, err)
		}
	}
	// A complete rerun into the same directories has nothing more to report.
	os.Remove(old)
	if code, out, errOut = runCLI(args...); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.Contains(out, "note:") {
		t.Errorf("rerun reports stale files:\n%s", out)
	}
}
