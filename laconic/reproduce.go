package laconic

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/laconiclab/toolkit/laconic/arch"
	"github.com/laconiclab/toolkit/laconic/chart"
	"github.com/laconiclab/toolkit/laconic/internal/atomicfile"
	"github.com/laconiclab/toolkit/laconic/table"
	"github.com/laconiclab/toolkit/laconic/terms"
	"github.com/laconiclab/toolkit/laconic/zoo"
)

// ReproduceOptions configures Reproduce. Zero fields take the values of
// DefaultReproduceOptions, so ReproduceOptions{Models: []string{"blazeface"}}
// is a valid configuration.
type ReproduceOptions struct {
	// Models are zoo model names (which must be in the model cache: `make
	// models`) or paths of a user's ONNX file or TensorFlow.js model
	// directory (see LoadModelFile for the input preprocessing such a model
	// gets). Default: every zoo model.
	Models []string `json:"models"`
	// Images is the number of images each model runs on, the first ones of
	// the repository's data/images (DefaultImages). Default 2, which keeps
	// a run of every zoo model within minutes on two cores; the tables sum
	// the work and cycles of all images.
	Images int `json:"images"`
	// ImageFiles, when set, are the images instead of Images.
	ImageFiles []string `json:"image_files,omitempty"`
	// ResultsDir receives the tables (Parquet, CSV, README.md), PlotsDir
	// the figures (SVG, HTML, README.md). Default: data/results and plots
	// under the repository root (found from the working directory).
	ResultsDir string `json:"results_dir"`
	PlotsDir   string `json:"plots_dir"`
	// Presets are the accelerator configurations of the simulation tables
	// and figures (names of arch presets, measured against their baseline).
	// Default: BASE-2K, LAC-128, LAC-256, LAC-512, LAC-1K, STR-2K, DSTR-2K,
	// PRA-2K. DNNSIM-LAC and DNNSIM-BASE are always simulated, in their own
	// table, on DNNsim's fixed point.
	Presets []string `json:"presets"`
	// SweepWires are the weight-interface widths of the wire sweep: for each
	// W a Laconic configuration like the LAC-W presets (16 windows x W/16
	// filters x 16 lanes, one wire per weight lane). Each W must be a
	// multiple of 16. Default: 32, 64, ..., 2048.
	SweepWires []int `json:"sweep_wires"`
	// SyncBase is the Laconic preset of the synchronisation sweep (tile
	// lock-step, column and per-LPE synchronisation with each queue depth
	// of SyncQueueDepths, and the ideal bound). Default LAC-1K and depths
	// 1 and 4 steps (the papers give no queue sizes; these are ours).
	SyncBase        string `json:"sync_base"`
	SyncQueueDepths []int  `json:"sync_queue_depths"`
	// Workers bounds the simulation goroutines and the parallel figure
	// renderings (0: all cores).
	Workers int `json:"workers"`
	// NoSVG and NoHTML skip the static and the interactive figure files.
	// With both set no figure is drawn, and neither Node.js nor the echarts
	// library is needed.
	NoSVG  bool `json:"no_svg"`
	NoHTML bool `json:"no_html"`
	// Allocator builds the tables (memory.DefaultAllocator when nil).
	Allocator memory.Allocator `json:"-"`
	// Progress, when set, is called when a step starts, as it moves from
	// one model to the next, and when it ends (see ProgressLines).
	Progress func(ReproduceProgress) `json:"-"`
}

// DefaultReproduceOptions returns the configuration of `make reproduce`:
// every zoo model on the first 2 images, the paper-style presets, wires 32
// to 2048, the synchronisation sweep of LAC-1K, tables in data/results and
// figures in plots (SVG and HTML).
func DefaultReproduceOptions() ReproduceOptions {
	return ReproduceOptions{
		Models: zoo.Names(),
		Images: 2,
		Presets: []string{arch.PresetBase2K, arch.PresetLac128, arch.PresetLac256, arch.PresetLac512, arch.PresetLac1K,
			arch.PresetStripes, arch.PresetDynStripes, arch.PresetPragmatic},
		SweepWires:      []int{32, 64, 128, 256, 512, 1024, 2048},
		SyncBase:        arch.PresetLac1K,
		SyncQueueDepths: []int{1, 4},
	}
}

// withDefaults fills the zero fields from DefaultReproduceOptions.
func (o ReproduceOptions) withDefaults() ReproduceOptions {
	d := DefaultReproduceOptions()
	if len(o.Models) == 0 {
		o.Models = d.Models
	}
	if o.Images == 0 {
		o.Images = d.Images
	}
	if len(o.Presets) == 0 {
		o.Presets = d.Presets
	}
	if len(o.SweepWires) == 0 {
		o.SweepWires = d.SweepWires
	}
	if o.SyncBase == "" {
		o.SyncBase = d.SyncBase
	}
	if len(o.SyncQueueDepths) == 0 {
		o.SyncQueueDepths = d.SyncQueueDepths
	}
	return o
}

// Validate checks the options (zero fields stand for their defaults) and
// names the field at fault.
func (o ReproduceOptions) Validate() error {
	o = o.withDefaults()
	seen := map[string]bool{}
	for _, m := range o.Models {
		if strings.TrimSpace(m) == "" {
			return errors.New("laconic: reproduce options: models: empty model name")
		}
		if seen[m] {
			return fmt.Errorf("laconic: reproduce options: models: %q given twice", m)
		}
		seen[m] = true
	}
	if o.Images < 0 {
		return fmt.Errorf("laconic: reproduce options: images = %d, want >= 1 (0: the default %d)", o.Images, DefaultReproduceOptions().Images)
	}
	for _, p := range o.Presets {
		if _, err := arch.Preset(p); err != nil {
			return fmt.Errorf("laconic: reproduce options: presets: %w", err)
		}
	}
	if slices.ContainsFunc(o.Presets, isDNNsimPreset) {
		return fmt.Errorf("laconic: reproduce options: presets: %s and %s are simulated in their own table; leave them out", arch.PresetDNNsimLac, arch.PresetDNNsimBase)
	}
	for i, w := range o.SweepWires {
		if w < 16 || w%16 != 0 {
			return fmt.Errorf("laconic: reproduce options: sweep_wires[%d] = %d, want a positive multiple of 16 (16 weight lanes per filter)", i, w)
		}
		if slices.Contains(o.SweepWires[:i], w) {
			return fmt.Errorf("laconic: reproduce options: sweep_wires: %d given twice", w)
		}
	}
	base, err := arch.Preset(o.SyncBase)
	if err != nil {
		return fmt.Errorf("laconic: reproduce options: sync_base: %w", err)
	}
	if base.Model != arch.Laconic {
		return fmt.Errorf("laconic: reproduce options: sync_base = %q is a %s configuration, want a Laconic preset", o.SyncBase, base.Model)
	}
	for i, d := range o.SyncQueueDepths {
		if d < 0 {
			return fmt.Errorf("laconic: reproduce options: sync_queue_depths[%d] = %d, want >= 0", i, d)
		}
		if slices.Contains(o.SyncQueueDepths[:i], d) {
			return fmt.Errorf("laconic: reproduce options: sync_queue_depths: %d given twice", d)
		}
	}
	if o.Workers < 0 {
		return fmt.Errorf("laconic: reproduce options: workers = %d, want >= 0 (0: all cores)", o.Workers)
	}
	return nil
}

func isDNNsimPreset(name string) bool {
	return strings.EqualFold(name, arch.PresetDNNsimLac) || strings.EqualFold(name, arch.PresetDNNsimBase)
}

// ReproduceProgress reports one event of a Reproduce run.
type ReproduceProgress struct {
	Step   string   // step name, e.g. "potentials-16b"
	Index  int      // 1-based position of the step
	Steps  int      // number of steps
	Detail string   // what the step works on now (a model, a figure); empty at start and end
	Done   bool     // the step has finished
	Files  []string // files the step wrote (when Done)
	// StepElapsed is the time since the step started, Elapsed since
	// Reproduce started.
	StepElapsed, Elapsed time.Duration
}

// ProgressLines returns a ReproduceOptions.Progress that writes one line
// per event to w, with the elapsed time:
//
//	reproduce [3/14] potentials-16b: inception_v3 (2.1 s)
//	reproduce [3/14] potentials-16b: done in 4.0 s (total 9.2 s)
func ProgressLines(w io.Writer) func(ReproduceProgress) {
	var mu sync.Mutex
	return func(p ReproduceProgress) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case p.Done:
			fmt.Fprintf(w, "reproduce [%d/%d] %s: done in %.1f s (total %.1f s)\n", p.Index, p.Steps, p.Step, p.StepElapsed.Seconds(), p.Elapsed.Seconds())
		case p.Detail == "":
			fmt.Fprintf(w, "reproduce [%d/%d] %s (total %.1f s)\n", p.Index, p.Steps, p.Step, p.Elapsed.Seconds())
		default:
			fmt.Fprintf(w, "reproduce [%d/%d] %s: %s (%.1f s)\n", p.Index, p.Steps, p.Step, p.Detail, p.StepElapsed.Seconds())
		}
	}
}

// StepReport is what one step of Reproduce did.
type StepReport struct {
	Name    string        `json:"name"`
	Summary string        `json:"summary"`
	Files   []string      `json:"files"` // paths written, in order
	Elapsed time.Duration `json:"elapsed"`
}

// ReproduceReport is the outcome of Reproduce.
type ReproduceReport struct {
	Models     []string     `json:"models"`
	Images     []string     `json:"images"` // file names
	ResultsDir string       `json:"results_dir"`
	PlotsDir   string       `json:"plots_dir"`
	Steps      []StepReport `json:"steps"`
	// Headlines are the per-network headline numbers (also written as
	// headline.parquet and headline.csv).
	Headlines []Headline    `json:"headlines"`
	Elapsed   time.Duration `json:"elapsed"`
}

// Files returns every file written, in order.
func (r *ReproduceReport) Files() []string {
	var out []string
	for _, s := range r.Steps {
		out = append(out, s.Files...)
	}
	return out
}

// Headline holds the numbers a reader of the papers looks for first, for
// one network: the Laconic (We+Ae) potential speedup at 16 bits (profiled
// fixed point, csd terms, zero-term products free), at 8 bits (affine
// codes) and under DNNsim's conventions, and the simulated speedup and
// energy efficiency of LAC-128 and LAC-1K over their baseline (BASE-2K).
// A number whose table is missing is NaN.
type Headline struct {
	Model                  string  `arrow:"model" json:"model"`
	Potential16            float64 `arrow:"laconic_potential_16b" json:"laconic_potential_16b"`
	Potential8             float64 `arrow:"laconic_potential_8b" json:"laconic_potential_8b"`
	PotentialDNNsim        float64 `arrow:"laconic_potential_dnnsim" json:"laconic_potential_dnnsim"`
	Baseline               string  `arrow:"baseline" json:"baseline"`
	Lac128Speedup          float64 `arrow:"lac128_speedup" json:"lac128_speedup"`
	Lac128EnergyEfficiency float64 `arrow:"lac128_energy_efficiency" json:"lac128_energy_efficiency"`
	Lac1KSpeedup           float64 `arrow:"lac1k_speedup" json:"lac1k_speedup"`
	Lac1KEnergyEfficiency  float64 `arrow:"lac1k_energy_efficiency" json:"lac1k_energy_efficiency"`
}

// Headlines reads the headline numbers of every network from the tables:
// the We+Ae rows of three potential totals tables (16-bit, 8-bit, DNNsim
// conventions) and the LAC-128 and LAC-1K rows of a simulation totals
// table. Any table may be nil; its numbers are then NaN. Networks appear
// in the order the tables first name them.
func Headlines(pot16, pot8, potDNNsim, simTotals arrow.RecordBatch) ([]Headline, error) {
	var models order
	var rows []Headline
	get := func(m string) *Headline {
		k := models.add(m)
		if k == len(rows) {
			nan := math.NaN()
			rows = append(rows, Headline{Model: m, Potential16: nan, Potential8: nan, PotentialDNNsim: nan,
				Lac128Speedup: nan, Lac128EnergyEfficiency: nan, Lac1KSpeedup: nan, Lac1KEnergyEfficiency: nan})
		}
		return &rows[k]
	}
	for k, t := range []arrow.RecordBatch{pot16, pot8, potDNNsim} {
		if t == nil {
			continue
		}
		ms, err := textColumn(t, "model")
		if err != nil {
			return nil, err
		}
		ss, err := textColumn(t, "scheme")
		if err != nil {
			return nil, err
		}
		sp, err := floatColumn(t, "speedup")
		if err != nil {
			return nil, err
		}
		seen := map[string]bool{}
		for i := range ms {
			if ss[i] != laconicScheme {
				continue
			}
			if seen[ms[i]] {
				return nil, fmt.Errorf("laconic: Headlines: potential table %d has two %s rows for %q: give network totals of one convention", k+1, laconicScheme, ms[i])
			}
			seen[ms[i]] = true
			h := get(ms[i])
			switch k {
			case 0:
				h.Potential16 = sp[i]
			case 1:
				h.Potential8 = sp[i]
			default:
				h.PotentialDNNsim = sp[i]
			}
		}
	}
	if simTotals != nil {
		ms, err := textColumn(simTotals, "model")
		if err != nil {
			return nil, err
		}
		cs, err := textColumn(simTotals, "config")
		if err != nil {
			return nil, err
		}
		bs, err := textColumn(simTotals, "baseline")
		if err != nil {
			return nil, err
		}
		sp, err := floatColumn(simTotals, "speedup")
		if err != nil {
			return nil, err
		}
		ef, err := floatColumn(simTotals, "energy_efficiency")
		if err != nil {
			return nil, err
		}
		for i := range ms {
			var s, e *float64
			h := get(ms[i])
			switch cs[i] {
			case arch.PresetLac128:
				s, e = &h.Lac128Speedup, &h.Lac128EnergyEfficiency
			case arch.PresetLac1K:
				s, e = &h.Lac1KSpeedup, &h.Lac1KEnergyEfficiency
			default:
				continue
			}
			if h.Baseline != "" && h.Baseline != bs[i] {
				return nil, fmt.Errorf("laconic: Headlines: %q: LAC-128 and LAC-1K have different baselines (%s, %s)", ms[i], h.Baseline, bs[i])
			}
			if !math.IsNaN(*s) {
				return nil, fmt.Errorf("laconic: Headlines: two %s rows for %q: give simulation totals", cs[i], ms[i])
			}
			h.Baseline, *s, *e = bs[i], sp[i], ef[i]
		}
	}
	return rows, nil
}

// TermValues returns the term count of every value of each format under
// every encoding (binary, csd, booth4, dnnsim), one row per (format,
// encoding, value) with columns encoding, bits, signed, value and terms,
// formats in the given order, values from the smallest up. The caller
// releases the table.
func TermValues(mem memory.Allocator, formats ...terms.Format) (arrow.RecordBatch, error) {
	type row struct {
		Encoding string `arrow:"encoding"`
		Bits     int32  `arrow:"bits"`
		Signed   bool   `arrow:"signed"`
		Value    int32  `arrow:"value"`
		Terms    int32  `arrow:"terms"`
	}
	if len(formats) == 0 {
		return nil, errors.New("laconic: TermValues: no format given")
	}
	var rows []row
	var names []string
	for _, f := range formats {
		if err := f.Validate(); err != nil {
			return nil, fmt.Errorf("laconic: TermValues: %w", err)
		}
		names = append(names, f.String())
		for _, e := range terms.Encodings() {
			tab, err := terms.SharedTable(e, f)
			if err != nil {
				return nil, fmt.Errorf("laconic: TermValues: %w", err)
			}
			for v := f.Min(); ; v++ {
				rows = append(rows, row{Encoding: string(e), Bits: int32(f.Bits), Signed: f.Signed, Value: v, Terms: int32(tab.Count(v))})
				if v == f.Max() {
					break
				}
			}
		}
	}
	var encs []string
	for _, e := range terms.Encodings() {
		encs = append(encs, string(e))
	}
	return table.FromRows(mem, rows, table.Provenance{
		Encoding: strings.Join(encs, ","),
		Extra:    map[string]string{"laconic.table": "term-values", "laconic.formats": strings.Join(names, ",")},
	})
}

// Reproduce computes every table and figure of the toolkit's reproduction
// of the Laconic papers for the given models and writes them: each table
// as Parquet (and CSV where it is small) into ResultsDir, each figure as
// SVG and HTML into PlotsDir, and a README.md in each that describes
// them. The tables of all models are concatenated into one tidy table
// each, whose provenance lists every model and checksum. The steps:
//
//  1. check: tools (Node.js, echarts), model cache, images, directories;
//  2. models: load every model;
//  3. potentials-16b, potentials-8b, potentials-dnnsim: potential work of
//     every scheme on profiled 16-bit fixed point (csd terms, zero-term
//     products free), 8-bit affine codes (8-bit baseline), and DNNsim's
//     conventions (its fixed point 13:2 / 0:15, dnnsim terms, zero cost 1);
//  4. characterization and term-values: the codes' characterisation over
//     the three quantizations, and the terms of every 16-bit signed and
//     8-bit unsigned value under every encoding;
//  5. simulate, simulate-dnnsim, sweep-wires, sync-modes: cycles and
//     energy on the presets, DNNsim's presets, the wire sweep and the
//     synchronisation sweep;
//  6. headline, figures, readme.
//
// The same models, images and options give byte-identical tables, SVG
// files and READMEs (no timestamps, no host paths); only the report's
// times vary. Files are written atomically. A model missing from the
// cache, missing images or a missing Node.js or echarts fails the check
// step, before any computation, with the command that fixes it.
func Reproduce(ctx context.Context, opts ReproduceOptions) (*ReproduceReport, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	r := &reproducer{opts: opts.withDefaults(), start: time.Now(), tables: map[string]*resultTable{}}
	if r.opts.Allocator == nil {
		r.opts.Allocator = memory.DefaultAllocator
	}
	if r.opts.Workers == 0 {
		r.opts.Workers = runtime.GOMAXPROCS(0)
	}
	defer r.release()
	steps := r.steps()
	for i, s := range steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r.step = stepState{name: s.name, index: i + 1, total: len(steps), start: time.Now()}
		r.progress("", false)
		if err := s.run(ctx); err != nil {
			return nil, fmt.Errorf("laconic: reproduce: %s: %w", s.name, err)
		}
		r.report.Steps = append(r.report.Steps, StepReport{Name: s.name, Summary: s.summary, Files: r.step.files, Elapsed: time.Since(r.step.start)})
		r.progress("", true)
	}
	r.report.Elapsed = time.Since(r.start)
	rep := r.report
	return &rep, nil
}

// resultTable is one table Reproduce writes.
type resultTable struct {
	name string
	desc string
	csv  bool
	rec  arrow.RecordBatch
}

type stepState struct {
	name         string
	index, total int
	start        time.Time
	files        []string
}

type reproducer struct {
	opts    ReproduceOptions
	start   time.Time
	step    stepState
	report  ReproduceReport
	models  []*Model
	images  []string
	tables  map[string]*resultTable
	order   []string // table names in writing order
	figures []figureFile
}

type figureFile struct {
	name, title, sources, desc string
	files                      []string
}

type reproStep struct {
	name, summary string
	run           func(context.Context) error
}

func (r *reproducer) progress(detail string, done bool) {
	if r.opts.Progress == nil {
		return
	}
	p := ReproduceProgress{Step: r.step.name, Index: r.step.index, Steps: r.step.total, Detail: detail, Done: done,
		StepElapsed: time.Since(r.step.start), Elapsed: time.Since(r.start)}
	if done {
		p.Files = slices.Clone(r.step.files)
	}
	r.opts.Progress(p)
}

func (r *reproducer) release() {
	for _, t := range r.tables {
		if t.rec != nil {
			t.rec.Release()
			t.rec = nil
		}
	}
}

func (r *reproducer) steps() []reproStep {
	return []reproStep{
		{"check", "tools, model cache, images and output directories", r.check},
		{"models", "load every model", r.loadModels},
		{"potentials-16b", "potential work, profiled 16-bit fixed point, csd, zero cost 0", r.potentials16},
		{"potentials-8b", "potential work, 8-bit affine codes, csd, zero cost 0", r.potentials8},
		{"potentials-dnnsim", "potential work, DNNsim's conventions", r.potentialsDNNsim},
		{"characterization", "code characterisation of the three quantizations", r.characterization},
		{"term-values", "terms of every 16-bit signed and 8-bit unsigned value", r.termValues},
		{"simulate", "cycles and energy of the accelerator presets", r.simulate},
		{"simulate-dnnsim", "DNNsim's cycle model on its fixed point", r.simulateDNNsim},
		{"sweep-wires", "Laconic speedup versus weight-interface wires", r.sweepWires},
		{"sync-modes", "Laconic speedup per synchronisation granularity", r.syncModes},
		{"headline", "headline numbers per network", r.headline},
		{"figures", "every figure as SVG and HTML", r.figuresStep},
		{"readme", "README.md of the tables and of the figures", r.readmes},
	}
}

// check verifies everything a run needs before the long computations.
func (r *reproducer) check(ctx context.Context) error {
	if r.opts.ResultsDir == "" || r.opts.PlotsDir == "" {
		root, err := repositoryRoot()
		if err != nil {
			return fmt.Errorf("%w (or set the results and plots directories)", err)
		}
		if r.opts.ResultsDir == "" {
			r.opts.ResultsDir = filepath.Join(root, "data", "results")
		}
		if r.opts.PlotsDir == "" {
			r.opts.PlotsDir = filepath.Join(root, "plots")
		}
	}
	r.report.ResultsDir, r.report.PlotsDir = r.opts.ResultsDir, r.opts.PlotsDir
	if !r.opts.NoHTML || !r.opts.NoSVG {
		if _, err := chart.EchartsPath(); err != nil {
			return fmt.Errorf("figures need the echarts library: %w (or skip the figures: --no-svg and --no-html)", err)
		}
	}
	if !r.opts.NoSVG {
		node := "node"
		if env := os.Getenv(chart.NodeEnv); env != "" {
			node = env
		}
		if _, err := exec.LookPath(node); err != nil {
			return fmt.Errorf("SVG figures need Node.js (%s: %v): run `make setup-charts` (installs nodejs and echarts), set %s, or skip SVG (--no-svg)", node, err, chart.NodeEnv)
		}
	}
	for _, m := range r.opts.Models {
		if _, err := zoo.Lookup(m); err == nil {
			ok, err := zoo.Cached(m)
			if err != nil {
				return err
			}
			if !ok {
				dir, _ := zoo.CacheDir()
				return fmt.Errorf("model %q is not in the model cache %s: run `make models` (or `laconic fetch %s`)", m, dir, m)
			}
			continue
		}
		if _, err := os.Stat(m); err != nil {
			return fmt.Errorf("model %q is neither a zoo model (%s) nor a model file: %v", m, strings.Join(zoo.Names(), ", "), err)
		}
	}
	images := r.opts.ImageFiles
	if len(images) == 0 {
		var err error
		if images, err = DefaultImages(r.opts.Images); err != nil {
			return err
		}
	}
	for _, p := range images {
		if st, err := os.Stat(p); err != nil || st.IsDir() {
			return fmt.Errorf("image %s: not a readable file (run `make images`, or give other image files)", p)
		}
		r.report.Images = append(r.report.Images, filepath.Base(p))
	}
	r.images = images
	dirs := []string{r.opts.ResultsDir}
	if !r.opts.NoSVG || !r.opts.NoHTML {
		dirs = append(dirs, r.opts.PlotsDir)
	}
	for _, d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	return ctx.Err()
}

func (r *reproducer) loadModels(ctx context.Context) error {
	for _, name := range r.opts.Models {
		r.progress(name, false)
		var m *Model
		var err error
		if _, lerr := zoo.Lookup(name); lerr == nil {
			m, err = LoadModel(ctx, name)
		} else {
			m, err = LoadModelFile(name)
		}
		if err != nil {
			return err
		}
		m.Info.Name = m.name()
		for _, o := range r.models {
			if o.Info.Name == m.Info.Name {
				return fmt.Errorf("models %q and %q are both named %q: the tables need distinct names", o.Path, m.Path, m.Info.Name)
			}
		}
		r.models = append(r.models, m)
		r.report.Models = append(r.report.Models, m.Info.Name)
	}
	return nil
}

// potentialsRun computes the potentials of every model with opts and
// writes the concatenated tables under the given names (empty: skipped).
func (r *reproducer) potentialsRun(ctx context.Context, opts PotentialOptions, names map[string]string) error {
	opts.Allocator = r.opts.Allocator
	parts := map[string][]arrow.RecordBatch{}
	defer func() {
		for _, ps := range parts {
			for _, p := range ps {
				p.Release()
			}
		}
	}()
	for _, m := range r.models {
		r.progress(m.Info.Name, false)
		res, err := Potentials(ctx, m, r.images, opts)
		if err != nil {
			return err
		}
		for _, t := range PotentialTables() {
			if names[t] == "" {
				continue
			}
			rec, _ := res.Table(t)
			rec.Retain()
			parts[t] = append(parts[t], rec)
		}
		res.Release()
	}
	for _, t := range PotentialTables() {
		if names[t] == "" {
			continue
		}
		if err := r.addTable(names[t], parts[t]); err != nil {
			return err
		}
	}
	return nil
}

func (r *reproducer) potentials16(ctx context.Context) error {
	return r.potentialsRun(ctx, DefaultPotentialOptions(), map[string]string{
		"layers": "potentials-16b", "totals": "potential-totals-16b", "histogram": "term-histograms-16b",
		"characterization": "characterization-16b"})
}

func (r *reproducer) potentials8(ctx context.Context) error {
	o := DefaultPotentialOptions()
	o.Quant = QuantAffine8
	o.Work.Bits = 8
	return r.potentialsRun(ctx, o, map[string]string{
		"layers": "potentials-8b", "totals": "potential-totals-8b", "histogram": "term-histograms-8b",
		"characterization": "characterization-8b"})
}

func (r *reproducer) potentialsDNNsim(ctx context.Context) error {
	return r.potentialsRun(ctx, DNNsimPotentialOptions(), map[string]string{
		"layers": "potentials-dnnsim", "totals": "potential-totals-dnnsim", "dnnsim": "dnnsim-report",
		"characterization": "characterization-dnnsim"})
}

// characterization joins the three per-quantization characterisations
// (kept in memory, not written) into one table.
func (r *reproducer) characterization(context.Context) error {
	var parts []arrow.RecordBatch
	for _, n := range []string{"characterization-16b", "characterization-8b", "characterization-dnnsim"} {
		t := r.tables[n]
		if t == nil {
			return fmt.Errorf("table %s was not computed", n)
		}
		t.rec.Retain()
		parts = append(parts, t.rec)
	}
	err := r.addTable("characterization", parts)
	for _, p := range parts {
		p.Release()
	}
	return err
}

func (r *reproducer) termValues(context.Context) error {
	rec, err := TermValues(r.opts.Allocator, terms.Format{Bits: 16, Signed: true}, terms.Format{Bits: 8})
	if err != nil {
		return err
	}
	defer rec.Release()
	return r.addTable("term-values", []arrow.RecordBatch{rec})
}

// simulateRun simulates every model on cfgs and keeps the per-layer and
// the totals tables under the given names (empty: not kept).
func (r *reproducer) simulateRun(ctx context.Context, cfgs []arch.Config, quant, layersName, totalsName string) error {
	var layers, totals []arrow.RecordBatch
	defer func() {
		for _, p := range append(layers, totals...) {
			p.Release()
		}
	}()
	for _, m := range r.models {
		r.progress(m.Info.Name, false)
		res, err := SimulateWith(ctx, m, r.images, cfgs, SimulateOptions{Quant: quant, Workers: r.opts.Workers, Allocator: r.opts.Allocator})
		if err != nil {
			return err
		}
		res.Layers.Retain()
		res.TotalsTable.Retain()
		layers, totals = append(layers, res.Layers), append(totals, res.TotalsTable)
		res.Release()
	}
	if layersName != "" {
		if err := r.addTable(layersName, layers); err != nil {
			return err
		}
	}
	return r.addTable(totalsName, totals)
}

func (r *reproducer) simulate(ctx context.Context) error {
	cfgs, err := ResolveArchs(r.opts.Presets)
	if err != nil {
		return err
	}
	return r.simulateRun(ctx, cfgs, QuantFixed16, "simulate", "simulate-totals")
}

func (r *reproducer) simulateDNNsim(ctx context.Context) error {
	cfgs, err := ResolveArchs([]string{arch.PresetDNNsimLac, arch.PresetDNNsimBase})
	if err != nil {
		return err
	}
	return r.simulateRun(ctx, cfgs, QuantDNNsim, "simulate-dnnsim", "simulate-dnnsim-totals")
}

// WireSweepConfigs returns the Laconic configurations of a
// weight-interface sweep: for each W, the LAC-128 preset with W/16 filters
// and a W-wire weight interface (the rule of the LAC-W presets: one wire
// per weight lane, 16 lanes per filter), named "LAC-W".
func WireSweepConfigs(wires []int) ([]arch.Config, error) {
	base, err := arch.Preset(arch.PresetLac128)
	if err != nil {
		return nil, err
	}
	var out []arch.Config
	for _, w := range wires {
		c := base
		c.Name = "LAC-" + strconv.Itoa(w)
		c.Rows = w / 16
		c.Memory.WeightWires = w
		c.Description = fmt.Sprintf("Laconic, %d-wire weight interface: 16 windows x %d filters x 16 lanes (wire sweep)", w, w/16)
		if err := c.Validate(); err != nil {
			return nil, fmt.Errorf("laconic: wire sweep, %d wires: %w", w, err)
		}
		out = append(out, c)
	}
	return out, nil
}

// SyncConfigs returns the configurations of a synchronisation sweep of a
// Laconic preset: tile lock-step (the preset), column and per-LPE
// synchronisation with each queue depth, and the ideal bound, named
// "<preset> tile", "<preset> column q=D", "<preset> lpe q=D" and
// "<preset> ideal".
func SyncConfigs(preset string, depths []int) ([]arch.Config, error) {
	base, err := arch.Preset(preset)
	if err != nil {
		return nil, err
	}
	mk := func(s arch.Sync, q int, name string) arch.Config {
		c := base
		c.Sync, c.QueueDepth, c.Name = s, q, base.Name+" "+name
		c.Description = fmt.Sprintf("%s with %s synchronisation, queue depth %d", base.Name, s, q)
		return c
	}
	out := []arch.Config{mk(arch.SyncTile, 0, "tile")}
	for _, s := range []arch.Sync{arch.SyncColumn, arch.SyncLPE} {
		for _, d := range depths {
			out = append(out, mk(s, d, fmt.Sprintf("%s q=%d", s, d)))
		}
	}
	out = append(out, mk(arch.SyncIdeal, 0, "ideal"))
	for _, c := range out {
		if err := c.Validate(); err != nil {
			return nil, fmt.Errorf("laconic: synchronisation sweep %q: %w", c.Name, err)
		}
	}
	return out, nil
}

func (r *reproducer) sweepWires(ctx context.Context) error {
	cfgs, err := WireSweepConfigs(r.opts.SweepWires)
	if err != nil {
		return err
	}
	return r.simulateRun(ctx, cfgs, QuantFixed16, "", "sweep-wires")
}

func (r *reproducer) syncModes(ctx context.Context) error {
	cfgs, err := SyncConfigs(r.opts.SyncBase, r.opts.SyncQueueDepths)
	if err != nil {
		return err
	}
	return r.simulateRun(ctx, cfgs, QuantFixed16, "", "sync-modes")
}

func (r *reproducer) rec(name string) arrow.RecordBatch {
	if t := r.tables[name]; t != nil {
		return t.rec
	}
	return nil
}

func (r *reproducer) headline(context.Context) error {
	hs, err := Headlines(r.rec("potential-totals-16b"), r.rec("potential-totals-8b"), r.rec("potential-totals-dnnsim"), r.rec("simulate-totals"))
	if err != nil {
		return err
	}
	r.report.Headlines = hs
	md := mergeMetadata("headline", []arrow.Metadata{r.rec("simulate-totals").Schema().Metadata()})
	keys, vals := []string{}, []string{}
	for i, k := range md.Keys() {
		switch k {
		case "laconic.model", "laconic.model_sha256", "laconic.images", "laconic.version":
			keys, vals = append(keys, k), append(vals, md.Values()[i])
		}
	}
	keys, vals = append(keys, "laconic.sources"), append(vals, "potential-totals-16b,potential-totals-8b,potential-totals-dnnsim,simulate-totals")
	keys, vals = append(keys, "laconic.table"), append(vals, "headline")
	rec, err := table.FromRows(r.opts.Allocator, hs, table.Provenance{})
	if err != nil {
		return err
	}
	defer rec.Release()
	with := table.WithMetadata(rec, sortedMetadata(keys, vals))
	defer with.Release()
	return r.addTable("headline", []arrow.RecordBatch{with})
}

// addTable concatenates parts into one table with merged provenance,
// keeps it for the figures and writes it (Parquet, and CSV unless the
// table is one of the long ones) unless it is an intermediate table.
func (r *reproducer) addTable(name string, parts []arrow.RecordBatch) error {
	info, ok := tableInfo[name]
	if !ok {
		return fmt.Errorf("internal: table %q is not described", name)
	}
	if len(parts) == 0 {
		return fmt.Errorf("table %s: nothing computed", name)
	}
	mds := make([]arrow.Metadata, len(parts))
	for i, p := range parts {
		mds[i] = p.Schema().Metadata()
	}
	md := mergeMetadata(name, mds)
	relabelled := make([]arrow.RecordBatch, len(parts))
	for i, p := range parts {
		relabelled[i] = table.WithMetadata(p, md)
	}
	rec, err := table.Concat(r.opts.Allocator, relabelled...)
	for _, p := range relabelled {
		p.Release()
	}
	if err != nil {
		return fmt.Errorf("table %s: %w", name, err)
	}
	if old := r.tables[name]; old != nil {
		old.rec.Release()
	}
	r.tables[name] = &resultTable{name: name, desc: info.desc, csv: info.csv, rec: rec}
	if info.internal {
		return nil
	}
	r.order = append(r.order, name)
	formats := []table.Format{table.Parquet}
	if info.csv {
		formats = append(formats, table.CSV)
	}
	for _, f := range formats {
		p := filepath.Join(r.opts.ResultsDir, name+f.Ext())
		if err := table.Write(p, f, rec); err != nil {
			return err
		}
		r.step.files = append(r.step.files, p)
	}
	return nil
}

// mergeMetadata combines the provenance of tables that are concatenated:
// laconic.model lists every model once, in order, and
// laconic.model_sha256 their checksums in the same order ("-" when
// unknown); other keys keep their value when every part agrees and
// otherwise list the distinct values, in order, separated by "; ".
// laconic.table is the table's name.
func mergeMetadata(name string, mds []arrow.Metadata) arrow.Metadata {
	var keys order
	vals := map[string][]string{}
	var models order
	shas := map[string]string{}
	for _, md := range mds {
		model, _ := md.GetValue("laconic.model")
		sha, _ := md.GetValue("laconic.model_sha256")
		for _, m := range strings.Split(model, ",") {
			if m == "" {
				continue
			}
			models.add(m)
			if _, ok := shas[m]; !ok || shas[m] == "-" {
				shas[m] = "-"
				if sha != "" && !strings.Contains(model, ",") {
					shas[m] = sha
				}
			}
		}
		for i, k := range md.Keys() {
			keys.add(k)
			vals[k] = append(vals[k], md.Values()[i])
		}
	}
	if len(models.names) > 0 {
		keys.add("laconic.model_sha256") // listed even when no checksum is known
	}
	var ks, vs []string
	for _, k := range keys.names {
		v := ""
		switch k {
		case "laconic.model":
			v = strings.Join(models.names, ",")
		case "laconic.model_sha256":
			list := make([]string, len(models.names))
			for i, m := range models.names {
				list[i] = shas[m]
			}
			v = strings.Join(list, ",")
		case "laconic.table":
			continue
		default:
			d := distinct(vals[k])
			v = strings.Join(d, "; ")
		}
		ks, vs = append(ks, k), append(vs, v)
	}
	ks, vs = append(ks, "laconic.table"), append(vs, name)
	return sortedMetadata(ks, vs)
}

func sortedMetadata(keys, vals []string) arrow.Metadata {
	idx := make([]int, len(keys))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return strings.Compare(keys[a], keys[b]) })
	k, v := make([]string, len(idx)), make([]string, len(idx))
	for i, j := range idx {
		k[i], v[i] = keys[j], vals[j]
	}
	return arrow.NewMetadata(k, v)
}

// figureSpec is one figure Reproduce draws.
type figureSpec struct {
	name, sources, desc string
	build               func() (*chart.Chart, error)
}

func (r *reproducer) figureSpecs() []figureSpec {
	t := r.rec
	specs := []figureSpec{
		{"potential-16b", "potential-totals-16b", "Potential speedup of every scheme per network, 16-bit profiled fixed point, csd terms, zero-term products free (the papers' potential).",
			func() (*chart.Chart, error) { return PotentialFigure(t("potential-totals-16b")) }},
		{"potential-8b", "potential-totals-8b", "Potential speedup of every scheme per network, 8-bit affine codes over an 8-bit baseline.",
			func() (*chart.Chart, error) { return PotentialFigure(t("potential-totals-8b")) }},
		{"potential-dnnsim", "potential-totals-dnnsim", "Potential speedup of every scheme per network under DNNsim's conventions (its fixed point, dnnsim terms, every product costs at least one step).",
			func() (*chart.Chart, error) { return PotentialFigure(t("potential-totals-dnnsim")) }},
		{"laconic-potential", "potential-totals-16b, potential-totals-8b, potential-totals-dnnsim", "Laconic (We+Ae) potential speedup per network under the three conventions.",
			func() (*chart.Chart, error) {
				return LaconicPotentialFigure(t("potential-totals-16b"), t("potential-totals-8b"), t("potential-totals-dnnsim"))
			}},
		{"simulate", "simulate-totals", "Simulated speedup and energy efficiency of every preset over BASE-2K, per network.",
			func() (*chart.Chart, error) { return SimulationFigure(t("simulate-totals"), arch.PresetBase2K) }},
		{"simulate-dnnsim", "simulate-dnnsim-totals", "DNNsim's Laconic cycle model (DNNSIM-LAC) against its bit-parallel loop nest (DNNSIM-BASE), on DNNsim's fixed point.",
			func() (*chart.Chart, error) {
				return SimulationFigure(t("simulate-dnnsim-totals"), arch.PresetDNNsimBase)
			}},
	}
	for _, m := range r.report.Models {
		m := m
		specs = append(specs, figureSpec{"energy-" + fileSafe(m), "simulate-totals", "Energy of every preset relative to BASE-2K, by component, for " + m + ".",
			func() (*chart.Chart, error) { return EnergyBreakdownFigure(t("simulate-totals"), m) }})
	}
	for _, m := range r.report.Models {
		m := m
		specs = append(specs, figureSpec{"layers-" + fileSafe(m), "potentials-16b, simulate", "Per-layer Laconic potential (16-bit) and simulated speedup of the Laconic presets for " + m + ".",
			func() (*chart.Chart, error) { return LayerFigure(t("potentials-16b"), t("simulate"), m) }})
	}
	specs = append(specs,
		figureSpec{"sweep-wires-speedup", "sweep-wires", "Laconic speedup over BASE-2K versus weight-interface wires, one line per network.",
			func() (*chart.Chart, error) { return WireSweepFigure(t("sweep-wires"), "speedup") }},
		figureSpec{"sweep-wires-energy", "sweep-wires", "Laconic energy efficiency over BASE-2K versus weight-interface wires, one line per network.",
			func() (*chart.Chart, error) { return WireSweepFigure(t("sweep-wires"), "energy_efficiency") }},
		figureSpec{"sync-modes", "sync-modes", "Speedup of " + r.opts.SyncBase + " per synchronisation granularity and queue depth, per network.",
			func() (*chart.Chart, error) { return SyncModesFigure(t("sync-modes")) }},
		figureSpec{"term-histograms-16b", "term-histograms-16b", "Share of activation and weight values with k csd terms, every network, 16-bit profiled fixed point.",
			func() (*chart.Chart, error) { return TermHistogramFigure(t("term-histograms-16b"), "", terms.CSD) }},
	)
	for _, m := range r.report.Models {
		m := m
		specs = append(specs, figureSpec{"term-histograms-16b-" + fileSafe(m), "term-histograms-16b", "Share of activation and weight values with k csd terms, 16-bit profiled fixed point, " + m + ".",
			func() (*chart.Chart, error) { return TermHistogramFigure(t("term-histograms-16b"), m, terms.CSD) }})
	}
	specs = append(specs,
		figureSpec{"term-histograms-8b", "term-histograms-8b", "Share of activation and weight values with k csd terms, every network, 8-bit affine codes.",
			func() (*chart.Chart, error) { return TermHistogramFigure(t("term-histograms-8b"), "", terms.CSD) }},
		figureSpec{"mean-terms-16b", "characterization", "Mean terms per value under each encoding, activations and weights, 16-bit profiled fixed point.",
			func() (*chart.Chart, error) { return MeanTermsFigure(t("characterization"), quantLabel(QuantFixed16)) }},
		figureSpec{"mean-terms-8b", "characterization", "Mean terms per value under each encoding, activations and weights, 8-bit affine codes.",
			func() (*chart.Chart, error) { return MeanTermsFigure(t("characterization"), quantLabel(QuantAffine8)) }},
		figureSpec{"sparsity-16b", "characterization", "Value sparsity and bit sparsity of activations and weights, 16-bit profiled fixed point.",
			func() (*chart.Chart, error) { return SparsityFigure(t("characterization"), quantLabel(QuantFixed16)) }},
		figureSpec{"sparsity-8b", "characterization", "Value sparsity and bit sparsity of activations and weights, 8-bit affine codes.",
			func() (*chart.Chart, error) { return SparsityFigure(t("characterization"), quantLabel(QuantAffine8)) }},
		figureSpec{"term-values-16b", "term-values", "Distribution of the term count over every 16-bit signed value, per encoding.",
			func() (*chart.Chart, error) { return TermValuesFigure(t("term-values"), 16, true) }},
		figureSpec{"term-values-8b", "term-values", "Distribution of the term count over every 8-bit unsigned value, per encoding.",
			func() (*chart.Chart, error) { return TermValuesFigure(t("term-values"), 8, false) }},
	)
	return specs
}

// fileSafe turns a model name into a file-name part.
func fileSafe(s string) string {
	b := []byte(strings.ToLower(s))
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			b[i] = '_'
		}
	}
	return string(b)
}

func (r *reproducer) figuresStep(ctx context.Context) error {
	if r.opts.NoSVG && r.opts.NoHTML {
		return nil
	}
	specs := r.figureSpecs()
	figs := make([]figureFile, len(specs))
	errs := make([]error, len(specs))
	var wg sync.WaitGroup
	var mu sync.Mutex
	sem := make(chan struct{}, max(1, r.opts.Workers))
	for i, s := range specs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if ctx.Err() != nil {
				errs[i] = ctx.Err()
				return
			}
			c, err := s.build()
			if err != nil {
				errs[i] = fmt.Errorf("figure %s: %w", s.name, err)
				return
			}
			f := figureFile{name: s.name, title: c.Title(), sources: s.sources, desc: s.desc}
			if !r.opts.NoSVG {
				p := filepath.Join(r.opts.PlotsDir, s.name+".svg")
				if errs[i] = chart.SaveSVG(c, p, 0, 0); errs[i] != nil {
					return
				}
				f.files = append(f.files, p)
			}
			if !r.opts.NoHTML {
				p := filepath.Join(r.opts.PlotsDir, s.name+".html")
				if errs[i] = chart.SaveHTML(c, p); errs[i] != nil {
					return
				}
				f.files = append(f.files, p)
			}
			figs[i] = f
			mu.Lock()
			r.progress(s.name, false)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	r.figures = figs
	for _, f := range figs {
		r.step.files = append(r.step.files, f.files...)
	}
	return nil
}

// tableInfo describes every table Reproduce builds: what the results
// README says of it, whether a CSV copy is written, and whether it is an
// intermediate table that is not written at all.
var tableInfo = map[string]struct {
	desc          string
	csv, internal bool
}{
	"potentials-16b": {desc: "Potential work of every scheme per layer (one row per model, layer and scheme) on profiled 16-bit fixed point: " +
		"each tensor's split of magnitude and fraction bits is profiled per batch so that its largest magnitude uses the top bit; " +
		"csd terms; a product with zero terms costs nothing (the papers' potential); baseline P = 16, so a multiply costs 256 term pairs in Base. " +
		"`work` is in term pairs (one-bit products), `speedup` = Base work / work.", csv: true},
	"potentials-8b": {desc: "As potentials-16b on 8-bit codes: TensorFlow-style affine quantization of activations and weights per tensor and batch " +
		"(the multiplier sees the unsigned codes), csd terms, zero-term products free, baseline P = 8 (64 term pairs per multiply).", csv: true},
	"potentials-dnnsim": {desc: "As potentials-16b under the conventions of DNNsim, the simulator of the papers' authors: its fixed point " +
		"(activations 13:2, weights 0:15 as magnitude without sign : fraction bits; x * 2^frac clamped to +-(2^(mag+frac) - 1), then rounded), " +
		"its own term heuristic (encoding dnnsim) and its ZERO_COUNT rule (a product costs at least one step), P = 16: " +
		"no speedup can exceed 256x here.", csv: true},
	"potential-totals-16b": {desc: "Network totals of potentials-16b: one row per model and scheme; `work` and `base_work` are sums over layers and " +
		"`speedup` = base_work / work, so layers weigh by their work (never an average of per-layer ratios).", csv: true},
	"potential-totals-8b":     {desc: "Network totals of potentials-8b (see potential-totals-16b).", csv: true},
	"potential-totals-dnnsim": {desc: "Network totals of potentials-dnnsim (see potential-totals-16b).", csv: true},
	"dnnsim-report": {desc: "The per-layer Laconic potential as DNNsim reports it: multiplies, term-pair work sum of max(1, ta*tw) under " +
		"DNNsim's fixed point and dnnsim terms, work reduction in percent and speedup over 16 x 16 term pairs per multiply.", csv: true},
	"term-histograms-16b": {desc: "Term-count histograms of the 16-bit codes of potentials-16b: for every layer, tensor (`activation`: the layer's " +
		"input; `weight`) and encoding, how many codes have `terms` terms (every bin from 0 to the format's maximum, empty ones included). " +
		"Parquet only: a long table that the CSV copies would make several megabytes of."},
	"term-histograms-8b": {desc: "As term-histograms-16b for the 8-bit affine codes of potentials-8b. Parquet only."},
	"characterization": {desc: "Characterisation of each layer's codes under the three quantizations (`quant`: fixed16-profiled, affine8, " +
		"fixed16-dnnsim): value sparsity (fraction of zero codes), bit sparsity (fraction of zero bits among the magnitude bits), profiled " +
		"precision, mean dynamic precision of groups of 16 channels, and mean terms per code under every encoding. Activations are the " +
		"layer's input over all images; padded positions are not counted.", csv: true},
	"characterization-16b":    {internal: true},
	"characterization-8b":     {internal: true},
	"characterization-dnnsim": {internal: true},
	"term-values": {desc: "Term count of every 16-bit signed (two's complement, the fixed-point codes) and every 8-bit unsigned value (the affine " +
		"codes) under every encoding: one row per format, encoding and value. Parquet only (263,168 rows)."},
	"simulate": {desc: "Simulated cycles and energy of every compute layer on the accelerator presets (one row per model, preset and layer) on " +
		"profiled 16-bit fixed point; every configuration parameter is a column. `speedup` = baseline_cycles / cycles and " +
		"`energy_efficiency` = baseline_energy_pj / energy_pj against the preset's baseline (BASE-2K). Geometry, buffers, " +
		"clock-free cycle counts and the energy table (45 nm, after Horowitz, ISSCC 2014) are the toolkit's documented assumptions " +
		"(`go doc laconic/arch`, `go doc laconic/arch/energy`).", csv: true},
	"simulate-totals": {desc: "Network totals of simulate: one row per model and preset (layer = total); cycles and energies are sums over " +
		"layers, the ratios are recomputed from the sums.", csv: true},
	"simulate-dnnsim": {desc: "DNNsim's paper-era cycle model (DNNSIM-LAC: 16 windows x 256 filters x 16 lanes in lock-step, dnnsim terms, " +
		"a zero product costs one cycle, first layer folded) and its bit-parallel loop nest (DNNSIM-BASE: one cycle per step), per layer, " +
		"on DNNsim's fixed point (13:2 / 0:15). DNNSIM-BASE charges one cycle for a step of 16 x 256 x 16 products, so speedups " +
		"below 1 are expected: this table cross-checks cycle counts with DNNsim, it is not a comparison at equal wires.", csv: true},
	"simulate-dnnsim-totals": {desc: "Network totals of simulate-dnnsim.", csv: true},
	"sweep-wires": {desc: "Network totals of Laconic configurations with a W-wire weight interface (LAC-W: 16 windows x W/16 filters x " +
		"16 lanes, one wire per weight lane, as the LAC-128..LAC-1K presets) for every W of the sweep, against BASE-2K.", csv: true},
	"sync-modes": {desc: "Network totals of one Laconic preset under each synchronisation granularity: tile lock-step, column and " +
		"per-LPE synchronisation with input queues of q steps (queue sizes are not published; these are ours), and the ideal bound.", csv: true},
	"headline": {desc: "The headline numbers per network, read from the tables above: Laconic (We+Ae) potential speedup at 16 bits, at " +
		"8 bits and under DNNsim's conventions (potential-totals-*), and the speedup and energy efficiency of LAC-128 and LAC-1K " +
		"over BASE-2K (simulate-totals).", csv: true},
}

// columnDocs explains the columns of the tables; "table:column" entries
// override the general ones.
var columnDocs = map[string]string{
	"model":                    "network name (zoo model)",
	"layer_index":              "position of the layer among the network's compute layers",
	"layer":                    "layer name as the model file gives it (`total` in totals tables)",
	"kind":                     "conv, depthwise, dense or lstm",
	"macs":                     "multiplies (multiply-accumulates), padded positions included, summed over images",
	"multiplies":               "multiplies, summed over images",
	"scheme":                   "execution scheme (Base, A, W, W+A, Ap, Ap-dyn, Ae, We, W+Ap, W+Ae, We+Ae = Laconic, Wp+Ap = Loom, BitFusion; `go doc laconic/work`)",
	"work":                     "work in term pairs (one-bit products)",
	"base_work":                "Base work: macs x bits x bits",
	"speedup":                  "Base work / work (infinite when a scheme does no work)",
	"quant":                    "quantization of the codes",
	"act_quant":                "quantization of the activation codes",
	"wgt_quant":                "quantization of the weight codes",
	"encoding":                 "term encoding (binary, csd, booth4, dnnsim)",
	"zero_cost":                "cost of a product with zero terms: 0 (papers' potential) or 1 (DNNsim)",
	"bits":                     "baseline width P: a bit-parallel product costs P x P term pairs",
	"act_precision":            "activation precision in bits that Ap, W+Ap, Wp+Ap and BitFusion use",
	"wgt_precision":            "weight precision in bits that Wp+Ap and BitFusion use",
	"layers":                   "number of layers summed",
	"group":                    "channels per dynamic-precision group",
	"act_values":               "activation codes characterised (all images)",
	"wgt_values":               "weight codes characterised",
	"act_zero_fraction":        "fraction of activation codes equal to 0",
	"wgt_zero_fraction":        "fraction of weight codes equal to 0",
	"act_bit_sparsity":         "fraction of zero bits among the activations' magnitude bits",
	"wgt_bit_sparsity":         "fraction of zero bits among the weights' magnitude bits",
	"act_group_precision_mean": "mean precision (bits) of groups of `group` channels at one position",
	"wgt_group_precision_mean": "mean precision (bits) of groups of `group` input channels of one filter",
	"tensor":                   "activation (the layer's input) or weight",
	"terms":                    "number of terms",
	"count":                    "codes with that many terms",
	"work_reduction_pct":       "100 x (1 - work / (multiplies x bits x bits)), percent",
	"arch":                     "accelerator model (bitparallel, laconic, stripes, pragmatic)",
	"config":                   "configuration name (preset, or sweep point)",
	"baseline":                 "configuration the ratios are measured against",
	"columns":                  "windows processed concurrently",
	"rows":                     "filters processed concurrently",
	"lanes":                    "input channels per PE and step",
	"sync":                     "synchronisation granularity (tile, column, lpe, ideal)",
	"queue_depth":              "operand queue depth in steps (column and lpe synchronisation)",
	"precision":                "Stripes precision mode (profiled, dynamic)",
	"fold_first_layer":         "3-channel strided first layer folded to stride 1 (DNNsim)",
	"weight_wires":             "weight-interface width in wires (0: unlimited)",
	"act_wires":                "activation-interface width in wires (0: unlimited)",
	"weight_buffer_bytes":      "on-chip weight buffer (0: unlimited)",
	"act_buffer_bytes":         "on-chip activation buffer (0: unlimited)",
	"offchip_bits_per_cycle":   "off-chip bandwidth (0: unlimited)",
	"steps":                    "loop-nest steps (convolutions) or work items (dense layers)",
	"compute_cycles":           "on-chip cycles: computation and operand-transfer stalls",
	"dram_cycles":              "off-chip transfer cycles",
	"cycles":                   "max(compute_cycles, dram_cycles)",
	"baseline_cycles":          "cycles of the baseline configuration",
	"energy_pj":                "energy in picojoules",
	"compute_energy_pj":        "energy of the processing elements, pJ",
	"buffer_energy_pj":         "energy of the on-chip buffers, pJ",
	"dram_energy_pj":           "energy of off-chip transfers, pJ",
	"baseline_energy_pj":       "energy of the baseline configuration, pJ",
	"energy_efficiency":        "baseline_energy_pj / energy_pj",
	"term_pairs":               "effectual term pairs (laconic) or serial steps x weights (stripes, pragmatic)",
	"weight_buffer_read_bits":  "bits read from the weight buffer",
	"act_buffer_read_bits":     "bits read from the activation buffer",
	"dram_bits":                "bits moved off chip",
	"value":                    "the code",
	"signed":                   "two's-complement (true) or unsigned (false) format",
	"laconic_potential_16b":    "We+Ae speedup of potential-totals-16b",
	"laconic_potential_8b":     "We+Ae speedup of potential-totals-8b",
	"laconic_potential_dnnsim": "We+Ae speedup of potential-totals-dnnsim",
	"lac128_speedup":           "LAC-128 speedup over the baseline (simulate-totals)",
	"lac128_energy_efficiency": "LAC-128 energy efficiency over the baseline",
	"lac1k_speedup":            "LAC-1K speedup over the baseline",
	"lac1k_energy_efficiency":  "LAC-1K energy efficiency over the baseline",

	"dnnsim-report:work":             "sum over multiplies of max(1, ta x tw), term pairs",
	"dnnsim-report:bits":             "baseline width P (16)",
	"simulate:bits":                  "operand width in bits",
	"simulate:work":                  "sum over products of their cost in lane cycles",
	"simulate:speedup":               "baseline_cycles / cycles",
	"simulate:precision":             "Stripes precision mode (profiled, dynamic)",
	"term-values:bits":               "format width in bits",
	"term-values:terms":              "number of terms of the value under the encoding",
	"characterization:act_precision": "bits needed by the largest activation magnitude (sign included for signed codes)",
	"characterization:wgt_precision": "bits needed by the largest weight magnitude (sign included for signed codes)",
	"headline:baseline":              "baseline of the LAC-128 and LAC-1K numbers",
}

func columnDoc(tableName, col string) string {
	family := tableName
	for _, f := range []string{"simulate", "characterization"} {
		if strings.HasPrefix(tableName, f) {
			family = f
		}
	}
	if tableName == "sweep-wires" || tableName == "sync-modes" {
		family = "simulate"
	}
	if d, ok := columnDocs[family+":"+col]; ok {
		return d
	}
	if strings.HasPrefix(col, "act_terms_") {
		return "mean terms per activation code under encoding " + strings.TrimPrefix(col, "act_terms_")
	}
	if strings.HasPrefix(col, "wgt_terms_") {
		return "mean terms per weight code under encoding " + strings.TrimPrefix(col, "wgt_terms_")
	}
	return columnDocs[col]
}

func typeName(t arrow.DataType) string {
	switch t.ID() {
	case arrow.STRING, arrow.LARGE_STRING:
		return "string"
	case arrow.BOOL:
		return "bool"
	}
	return t.String()
}

// modelSource says where a model comes from, for the READMEs.
func (r *reproducer) modelSource(m *Model) string {
	if info, err := zoo.Lookup(m.Info.Name); err == nil && info.Package != "" {
		return fmt.Sprintf("`%s` (npm %s@%s, %s)", m.Info.Name, info.Package, info.Version, info.License)
	}
	return fmt.Sprintf("`%s` (a model file)", m.Info.Name)
}

func (r *reproducer) readmes(context.Context) error {
	if err := r.writeResultsREADME(); err != nil {
		return err
	}
	if r.opts.NoSVG && r.opts.NoHTML {
		return nil
	}
	return r.writePlotsREADME()
}

func mdCell(s string) string { return strings.ReplaceAll(s, "|", "\\|") }

func fmtRatio(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return strconv.FormatFloat(v, 'f', 2, 64) + "x"
}

func (r *reproducer) writeResultsREADME() error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Result tables\n\n")
	fmt.Fprintf(&b, "Written by `laconic reproduce` (`make reproduce`), toolkit version %s. Do not edit: the next run rewrites every file, "+
		"byte for byte the same for the same models, images and options. The figures drawn from these tables are in `%s` (see its README.md).\n\n",
		table.Version, filepath.ToSlash(relPath(r.opts.ResultsDir, r.opts.PlotsDir)))
	var srcs []string
	for _, m := range r.models {
		srcs = append(srcs, r.modelSource(m))
	}
	fmt.Fprintf(&b, "- Networks: %s. Their checksums are in every table's provenance.\n", strings.Join(srcs, ", "))
	where := ""
	if len(r.opts.ImageFiles) == 0 {
		where = fmt.Sprintf("the first %d files of data/images, whose PROVENANCE.md says where they come from; ", len(r.report.Images))
	}
	fmt.Fprintf(&b, "- Images: %s (%sthe same for every network; work, cycles and energy are summed over them).\n", strings.Join(r.report.Images, ", "), where)
	fmt.Fprintf(&b, "- Papers: Sharify et al., \"Laconic Deep Learning Computing\", arXiv 1805.04513, and \"Laconic Deep Learning Inference Acceleration\", ISCA 2019.\n\n")

	b.WriteString("## Headline numbers\n\n")
	b.WriteString("From `headline.csv` (itself read from `potential-totals-16b`, `potential-totals-8b`, `potential-totals-dnnsim` and `simulate-totals`).\n\n")
	b.WriteString("| network | Laconic potential 16b | 8b | DNNsim conventions | LAC-128 speedup | LAC-128 energy eff. | LAC-1K speedup | LAC-1K energy eff. |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, h := range r.report.Headlines {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", mdCell(h.Model), fmtRatio(h.Potential16), fmtRatio(h.Potential8),
			fmtRatio(h.PotentialDNNsim), fmtRatio(h.Lac128Speedup), fmtRatio(h.Lac128EnergyEfficiency), fmtRatio(h.Lac1KSpeedup), fmtRatio(h.Lac1KEnergyEfficiency))
	}
	base := ""
	if len(r.report.Headlines) > 0 {
		base = r.report.Headlines[0].Baseline
	}
	fmt.Fprintf(&b, "\nSimulated ratios are over %s. The presets' geometry, buffers and energies are the toolkit's documented assumptions "+
		"(`go doc laconic/arch`), not tuned toward the papers; arXiv 1805.04513 reports 2.3x / 2.13x for LAC-128 and 15.4x / 1.95x for LAC-1K "+
		"on its own networks and simulator.\n\n", orNA(base))

	b.WriteString("## Conventions\n\n")
	b.WriteString("- Tables are tidy: one row per model, layer and scheme or configuration; totals come from sums, never averages of ratios.\n")
	b.WriteString("- Potential work: a product of an activation with ta terms and a weight with tw terms costs ta x tw term pairs in Laconic (We+Ae), " +
		"P x P in a P-bit bit-parallel multiplier; every scheme's cost is in `go doc laconic/work`. Zero cost 0 is the papers' potential " +
		"(a product with no terms is free); zero cost 1 is DNNsim's.\n")
	b.WriteString("- Quantizations: `fixed16-profiled` (16-bit two's complement, split profiled per tensor), `affine8` (8-bit unsigned affine " +
		"codes), `fixed16-dnnsim` (DNNsim's 13:2 / 0:15 fixed point). With profiled 16-bit codes every layer's precision is the full 16 bits, " +
		"so Ap, W+Ap, Wp+Ap and BitFusion gain nothing over zero skipping there. DNNsim's default activation format 13:2 keeps only 2 " +
		"fraction bits: activations below 1/8 round to 0 and the others lose their low bits, so activations carry fewer terms than with the " +
		"profiled split (compare `act_terms_csd` and `act_zero_fraction` across `quant` in `characterization`).\n")
	b.WriteString("- Provenance: each Parquet file keeps the Arrow schema and the provenance in its key/value metadata (`laconic.*`: toolkit " +
		"version, models and checksums, images, quantization, encoding, zero cost, configurations as JSON). CSV copies keep neither types nor " +
		"provenance.\n")
	b.WriteString("- CSV: written for every table except the long term-count tables (`term-histograms-*`, `term-values`), which are Parquet only " +
		"to keep this directory small.\n\n")

	b.WriteString("## Tables\n")
	for _, name := range r.order {
		t := r.tables[name]
		files := "`" + name + ".parquet`"
		if t.csv {
			files += ", `" + name + ".csv`"
		}
		fmt.Fprintf(&b, "\n### %s\n\n%s; %d rows.\n\n%s\n\n", name, files, t.rec.NumRows(), t.desc)
		b.WriteString("| column | type | meaning |\n|---|---|---|\n")
		for _, f := range t.rec.Schema().Fields() {
			fmt.Fprintf(&b, "| `%s` | %s | %s |\n", f.Name, typeName(f.Type), mdCell(columnDoc(name, f.Name)))
		}
	}
	p := filepath.Join(r.opts.ResultsDir, "README.md")
	if err := atomicfile.WriteBytes(p, []byte(b.String())); err != nil {
		return err
	}
	r.step.files = append(r.step.files, p)
	return nil
}

func orNA(s string) string {
	if s == "" {
		return "the baseline"
	}
	return s
}

// relPath is the path of to relative to from, or to itself.
func relPath(from, to string) string {
	if rel, err := filepath.Rel(from, to); err == nil {
		return rel
	}
	return to
}

func (r *reproducer) writePlotsREADME() error {
	var b strings.Builder
	b.WriteString("# Figures\n\n")
	fmt.Fprintf(&b, "Drawn by `laconic reproduce` (`make reproduce`) from the tables in `%s` (see its README.md for columns and conventions), "+
		"for the networks %s on %d images each. Do not edit: the next run rewrites every file, byte for byte the same for the same inputs.\n\n",
		filepath.ToSlash(relPath(r.opts.PlotsDir, r.opts.ResultsDir)), strings.Join(r.report.Models, ", "), len(r.report.Images))
	b.WriteString("Each `.svg` is a static rendering (echarts' server-side SVG renderer under Node.js). The `.html` file of the same name is " +
		"the interactive chart (tooltips, legend toggling); it inlines the echarts library, so it is not committed: `make reproduce` writes it. " +
		"The same figures come from the functions of `laconic/figures.go` (PotentialFigure, SimulationFigure, LayerFigure, ...) in notebooks.\n\n")
	b.WriteString("| figure | title | from tables | what it shows |\n|---|---|---|---|\n")
	for _, f := range r.figures {
		link := f.name
		if !r.opts.NoSVG {
			link = "[" + f.name + ".svg](" + f.name + ".svg)"
		} else if !r.opts.NoHTML {
			link = "[" + f.name + ".html](" + f.name + ".html)"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", link, mdCell(f.title), mdCell(f.sources), mdCell(f.desc))
	}
	p := filepath.Join(r.opts.PlotsDir, "README.md")
	if err := atomicfile.WriteBytes(p, []byte(b.String())); err != nil {
		return err
	}
	r.step.files = append(r.step.files, p)
	return nil
}
