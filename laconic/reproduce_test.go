package laconic_test

import (
	"bytes"
	"context"
	"errors"
	"image/color"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/laconiclab/toolkit/laconic"
	"github.com/laconiclab/toolkit/laconic/chart"
	"github.com/laconiclab/toolkit/laconic/table"
	"github.com/laconiclab/toolkit/laconic/zoo"
)

// reproInputs writes two tiny ONNX networks (tiny, tiny2) and two images.
func reproInputs(t testing.TB) (models, images []string) {
	t.Helper()
	dir := t.TempDir()
	a, err := writeTinyClassifier(dir)
	if err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "second")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := writeTinyClassifier(sub)
	if err != nil {
		t.Fatal(err)
	}
	b2 := filepath.Join(sub, "tiny2.onnx")
	if err := os.Rename(b, b2); err != nil {
		t.Fatal(err)
	}
	for i, c := range []color.NRGBA{{200, 30, 40, 255}, {20, 90, 220, 255}} {
		p, err := writeSolid(dir, string(rune('a'+i))+".png", 10, 9, c)
		if err != nil {
			t.Fatal(err)
		}
		images = append(images, p)
	}
	return []string{a, b2}, images
}

// chartsAvailable reports whether SVG figures can be drawn here: the
// echarts library and Node.js are installed (`make setup-charts`).
func chartsAvailable() bool {
	if _, err := chart.EchartsPath(); err != nil {
		return false
	}
	node := "node"
	if env := os.Getenv(chart.NodeEnv); env != "" {
		node = env
	}
	_, err := exec.LookPath(node)
	return err == nil
}

// readTree returns every file under dir with its content.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		data, err := os.ReadFile(p)
		out[rel] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func reproOptions(root string, models, images []string, svg bool) laconic.ReproduceOptions {
	o := laconic.DefaultReproduceOptions()
	o.Models, o.ImageFiles = models, images
	o.ResultsDir, o.PlotsDir = filepath.Join(root, "results"), filepath.Join(root, "plots")
	o.SweepWires = []int{64, 512}
	o.SyncQueueDepths = []int{2}
	o.NoHTML = true
	o.NoSVG = !svg
	return o
}

// TestReproduceDeterministic runs Reproduce twice on tiny networks and
// requires byte-identical tables, SVG files and READMEs; a third run over
// the first directory must leave every byte as it was.
func TestReproduceDeterministic(t *testing.T) {
	svg := chartsAvailable()
	if !svg {
		t.Log("echarts or node missing (make setup-charts): checking tables only")
	}
	models, images := reproInputs(t)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	var trees []map[string][]byte
	var reports []*laconic.ReproduceReport
	roots := []string{t.TempDir(), t.TempDir()}
	for _, root := range append(roots, roots[0]) {
		o := reproOptions(root, models, images, svg)
		o.Allocator = mem
		var events []laconic.ReproduceProgress
		o.Progress = func(p laconic.ReproduceProgress) { events = append(events, p) }
		rep, err := laconic.Reproduce(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		reports = append(reports, rep)
		trees = append(trees, readTree(t, root))
		if len(events) == 0 || !events[len(events)-1].Done || events[len(events)-1].Index != events[len(events)-1].Steps {
			t.Fatalf("progress events end with %+v", events[len(events)-1])
		}
	}
	for k := 1; k < len(trees); k++ {
		if len(trees[k]) != len(trees[0]) {
			t.Fatalf("run %d wrote %d files, run 1 %d", k+1, len(trees[k]), len(trees[0]))
		}
		for name, data := range trees[0] {
			if !bytes.Equal(trees[k][name], data) {
				t.Errorf("run %d: %s differs from run 1", k+1, name)
			}
		}
	}

	tree, rep := trees[0], reports[0]
	want := []string{"results/potentials-16b.parquet", "results/potentials-16b.csv", "results/potentials-8b.parquet",
		"results/potentials-dnnsim.csv", "results/potential-totals-16b.parquet", "results/potential-totals-dnnsim.csv",
		"results/dnnsim-report.parquet", "results/term-histograms-16b.parquet", "results/term-histograms-8b.parquet",
		"results/characterization.parquet", "results/term-values.parquet", "results/simulate.parquet",
		"results/simulate-totals.csv", "results/simulate-dnnsim.parquet", "results/sweep-wires.parquet",
		"results/sync-modes.csv", "results/headline.csv", "results/README.md"}
	if svg {
		want = append(want, "plots/README.md", "plots/potential-16b.svg", "plots/simulate.svg", "plots/layers-tiny2.svg",
			"plots/sweep-wires-speedup.svg", "plots/term-histograms-16b.svg", "plots/term-values-8b.svg")
	}
	for _, w := range want {
		if _, ok := tree[filepath.FromSlash(w)]; !ok {
			t.Errorf("no %s", w)
		}
	}
	for name := range tree {
		if strings.HasSuffix(name, ".html") || strings.Contains(name, "characterization-16b") {
			t.Errorf("unexpected %s", name)
		}
	}
	if len(rep.Files()) != len(tree) {
		t.Errorf("report lists %d files, %d written", len(rep.Files()), len(tree))
	}
	if strings.Join(rep.Models, ",") != "tiny,tiny2" || strings.Join(rep.Images, ",") != "a.png,b.png" || len(rep.Headlines) != 2 {
		t.Errorf("report %+v", rep)
	}
	readme := string(tree[filepath.Join("results", "README.md")])
	for _, s := range []string{"### potentials-16b", "### sync-modes", "| `energy_efficiency` | float64 |", "a.png, b.png", "| tiny2 |"} {
		if !strings.Contains(readme, s) {
			t.Errorf("results README lacks %q", s)
		}
	}
	for _, s := range []string{"/tmp", roots[0]} {
		if strings.Contains(readme, s) {
			t.Errorf("results README holds the host path %q", s)
		}
	}

	// Tables hold both networks, with merged provenance.
	rec, err := table.ReadParquet(filepath.Join(roots[0], "results", "potential-totals-16b.parquet"), mem)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	md := rec.Schema().Metadata()
	for k, v := range map[string]string{"laconic.model": "tiny,tiny2", "laconic.model_sha256": "-,-",
		"laconic.table": "potential-totals-16b", "laconic.quant": "fixed16-profiled", "laconic.images": "a.png,b.png"} {
		if got, _ := md.GetValue(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if rec.NumRows() != 2*13 {
		t.Errorf("%d rows", rec.NumRows())
	}
	hs, err := table.ReadCSV(filepath.Join(roots[0], "results", "headline.csv"), mem)
	if err != nil {
		t.Fatal(err)
	}
	defer hs.Release()
	if hs.NumRows() != 2 || hs.ColumnName(1) != "laconic_potential_16b" {
		t.Errorf("headline.csv: %d rows, columns %v", hs.NumRows(), hs.Schema())
	}
	for _, h := range rep.Headlines {
		if math.IsNaN(h.Potential16) || math.IsNaN(h.Lac1KSpeedup) || h.Potential16 <= 1 || h.Baseline != "BASE-2K" {
			t.Errorf("headline %+v", h)
		}
	}
}

func TestReproduceOptionsValidate(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*laconic.ReproduceOptions)
		field string // "" when valid
	}{
		{"defaults", func(*laconic.ReproduceOptions) {}, ""},
		{"zero value", func(o *laconic.ReproduceOptions) { *o = laconic.ReproduceOptions{} }, ""},
		{"negative images", func(o *laconic.ReproduceOptions) { o.Images = -1 }, "images"},
		{"unknown preset", func(o *laconic.ReproduceOptions) { o.Presets = []string{"LAC-7"} }, "presets"},
		{"dnnsim preset", func(o *laconic.ReproduceOptions) { o.Presets = []string{"BASE-2K", "dnnsim-lac"} }, "presets"},
		{"wires not multiple of 16", func(o *laconic.ReproduceOptions) { o.SweepWires = []int{100} }, "sweep_wires"},
		{"wires twice", func(o *laconic.ReproduceOptions) { o.SweepWires = []int{64, 64} }, "sweep_wires"},
		{"sync base not laconic", func(o *laconic.ReproduceOptions) { o.SyncBase = "STR-2K" }, "sync_base"},
		{"sync base unknown", func(o *laconic.ReproduceOptions) { o.SyncBase = "LAC-3" }, "sync_base"},
		{"negative queue", func(o *laconic.ReproduceOptions) { o.SyncQueueDepths = []int{-1} }, "sync_queue_depths"},
		{"negative workers", func(o *laconic.ReproduceOptions) { o.Workers = -2 }, "workers"},
		{"model twice", func(o *laconic.ReproduceOptions) { o.Models = []string{"blazeface", "blazeface"} }, "models"},
		{"empty model", func(o *laconic.ReproduceOptions) { o.Models = []string{" "} }, "models"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := laconic.DefaultReproduceOptions()
			c.edit(&o)
			err := o.Validate()
			if c.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.field) {
				t.Fatalf("error %v, want one naming %q", err, c.field)
			}
			if _, rerr := laconic.Reproduce(context.Background(), o); rerr == nil || rerr.Error() != err.Error() {
				t.Errorf("Reproduce: %v", rerr)
			}
		})
	}
}

func TestReproduceMissingTools(t *testing.T) {
	models, images := reproInputs(t)
	cases := []struct {
		name string
		env  map[string]string
		edit func(*laconic.ReproduceOptions)
		want string
	}{
		{"uncached zoo model", map[string]string{"LACONIC_CACHE": t.TempDir()},
			func(o *laconic.ReproduceOptions) { o.Models = []string{"mobilenet_v2"} }, "make models"},
		{"unknown model", nil, func(o *laconic.ReproduceOptions) { o.Models = []string{"resnet50"} }, "neither a zoo model"},
		{"missing echarts", map[string]string{chart.EchartsEnv: filepath.Join(t.TempDir(), "none.js")},
			func(o *laconic.ReproduceOptions) { o.NoHTML = false }, "make setup-charts"},
		{"missing node", map[string]string{chart.NodeEnv: filepath.Join(t.TempDir(), "no-node")},
			func(o *laconic.ReproduceOptions) { o.NoSVG = false }, "make setup-charts"},
		{"missing image", nil, func(o *laconic.ReproduceOptions) { o.ImageFiles = []string{"/nonexistent/cat.png"} }, "make images"},
		{"too many images", map[string]string{"LACONIC_IMAGES": filepath.Dir(images[0])},
			func(o *laconic.ReproduceOptions) { o.ImageFiles, o.Images = nil, 50 }, "make images"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			root := t.TempDir()
			o := reproOptions(root, models, images, false)
			o.NoHTML = true
			c.edit(&o)
			steps := 0
			o.Progress = func(p laconic.ReproduceProgress) { steps = max(steps, p.Index) }
			_, err := laconic.Reproduce(context.Background(), o)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one saying %q", err, c.want)
			}
			if steps != 1 {
				t.Errorf("failed in step %d, want the check step", steps)
			}
			if entries, _ := os.ReadDir(filepath.Join(root, "results")); len(entries) != 0 {
				t.Errorf("%d files written before failing", len(entries))
			}
		})
	}
}

func TestReproduceCancelled(t *testing.T) {
	models, images := reproInputs(t)
	ctx, cancel := context.WithCancel(context.Background())
	o := reproOptions(t.TempDir(), models, images, false)
	o.NoHTML = true
	o.Progress = func(p laconic.ReproduceProgress) {
		if p.Step == "potentials-8b" {
			cancel()
		}
	}
	_, err := laconic.Reproduce(ctx, o)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
}

func TestProgressLines(t *testing.T) {
	var buf bytes.Buffer
	p := laconic.ProgressLines(&buf)
	p(laconic.ReproduceProgress{Step: "simulate", Index: 8, Steps: 14})
	p(laconic.ReproduceProgress{Step: "simulate", Index: 8, Steps: 14, Detail: "blazeface", StepElapsed: 1500e6})
	p(laconic.ReproduceProgress{Step: "simulate", Index: 8, Steps: 14, Done: true, StepElapsed: 3e9, Elapsed: 20e9})
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	want := []string{"reproduce [8/14] simulate (total 0.0 s)", "reproduce [8/14] simulate: blazeface (1.5 s)",
		"reproduce [8/14] simulate: done in 3.0 s (total 20.0 s)"}
	sort.Strings(lines)
	sort.Strings(want)
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("lines:\n%s", buf.String())
	}
}

// BenchmarkReproduceTiny measures the whole pipeline without figures on
// two tiny networks: the fixed cost of the 14 steps.
func BenchmarkReproduceTiny(b *testing.B) {
	models, images := reproInputs(b)
	root := b.TempDir()
	o := reproOptions(root, models, images, false)
	for i := 0; i < b.N; i++ {
		if _, err := laconic.Reproduce(context.Background(), o); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReproduceMobileNetV2 runs the whole reproduction, SVG figures
// included when `make setup-charts` was run, of the cached MobileNetV2 on
// the repository's first two images (`make models images`).
func BenchmarkReproduceMobileNetV2(b *testing.B) {
	if ok, err := zoo.Cached("mobilenet_v2"); err != nil || !ok {
		b.Skip("mobilenet_v2 is not cached: run `make models`")
	}
	if _, err := laconic.DefaultImages(2); err != nil {
		b.Skip(err)
	}
	root := b.TempDir()
	o := laconic.DefaultReproduceOptions()
	o.Models = []string{"mobilenet_v2"}
	o.ResultsDir, o.PlotsDir = filepath.Join(root, "results"), filepath.Join(root, "plots")
	o.NoHTML, o.NoSVG = true, !chartsAvailable()
	for i := 0; i < b.N; i++ {
		rep, err := laconic.Reproduce(context.Background(), o)
		if err != nil {
			b.Fatal(err)
		}
		for _, s := range rep.Steps {
			b.ReportMetric(s.Elapsed.Seconds()/float64(b.N), s.Name+"-s")
		}
	}
}
