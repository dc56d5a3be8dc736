package laconic

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/nn/dnnsim"
	"github.com/laconiclab/toolkit/laconic/quant"
	"github.com/laconiclab/toolkit/laconic/work"
	"github.com/laconiclab/toolkit/laconic/zoo"
)

// Quantizations Potentials and PotentialsFromTraces accept
// (PotentialOptions.Quant).
const (
	// QuantFixed16 is 16-bit fixed point with a split of magnitude and
	// fraction bits profiled per tensor and batch (quant.Fixed16Profiled).
	// The profiled split puts a tensor's largest magnitude in its top bit,
	// so the per-layer precision is the full 16 bits and Ap, W+Ap, Wp+Ap and
	// BitFusion gain nothing over zero skipping; the papers' smaller
	// per-layer precisions come from accuracy-driven profiles, which a trace
	// folder's precision.txt provides (QuantDNNsim). Ap-dyn, term-based
	// schemes and zero skipping are unaffected.
	QuantFixed16 = "fixed16"
	// QuantAffine8 is TensorFlow-style 8-bit affine quantization of both
	// operands, per tensor and batch (quant.Affine8); the multiplier sees
	// the unsigned codes.
	QuantAffine8 = "affine8"
	// QuantRaw takes the weights' codes as the model file stores them
	// (quant.RawCodes: uint8 models) and quantizes the activations, which no
	// file stores, with affine8.
	QuantRaw = "raw"
	// QuantDNNsim is DNNsim's 16-bit fixed point: x*2^frac clamped to
	// ±(2^(mag+frac) - 1) and rounded, with each layer's formats from a
	// trace folder's precision.txt, or activations 13:2 and weights 0:15
	// (magnitude without sign : fraction) when there is none. The
	// precisions of Ap, W+Ap, Wp+Ap and BitFusion are then 1 + mag + frac.
	QuantDNNsim = "dnnsim"
)

// Quants returns the accepted quantization names.
func Quants() []string { return []string{QuantFixed16, QuantAffine8, QuantRaw, QuantDNNsim} }

// quantLabel is the name the tables' quant column records.
func quantLabel(q string) string {
	switch q {
	case QuantFixed16:
		return "fixed16-profiled"
	case QuantRaw:
		return "raw-weights+affine8-activations"
	case QuantDNNsim:
		return "fixed16-dnnsim"
	}
	return q
}

// Progress reports one computed layer of one batch.
type Progress struct {
	Layer string // layer name
	Done  int    // layers computed so far, over all batches
	Total int    // layers x batches
}

// PotentialOptions configures Potentials and PotentialsFromTraces.
type PotentialOptions struct {
	// Work selects the encoding, zero-cost convention, baseline width,
	// group size and schemes (see work.Options).
	Work work.Options `json:"work"`
	// Quant is the quantization: fixed16 (default), affine8, raw or
	// dnnsim (see the Quant constants).
	Quant string `json:"quant"`
	// Batch is the number of images per forward pass; 0 runs all images
	// at once. Results are summed over batches; profiled quantization and
	// precisions are per batch (a layer's Ap precision is the largest over
	// batches). Traces come in their own batch files and ignore it.
	Batch int `json:"batch"`
	// Allocator builds the tables (memory.DefaultAllocator when nil).
	Allocator memory.Allocator `json:"-"`
	// Progress, when set, is called after every layer of every batch.
	Progress func(Progress) `json:"-"`
}

// DefaultPotentialOptions returns the papers' potential of 16-bit fixed
// point: profiled fixed16 codes, csd terms, a product with zero terms
// costs 0, 16-bit baseline, all images in one batch.
func DefaultPotentialOptions() PotentialOptions {
	return PotentialOptions{Work: work.DefaultOptions(), Quant: QuantFixed16}
}

// DNNsimPotentialOptions returns the DNNsim-compatible preset:
// work.DNNsimPreset (dnnsim terms, zero cost 1, 16-bit baseline) on
// DNNsim's fixed point (QuantDNNsim).
func DNNsimPotentialOptions() PotentialOptions {
	return PotentialOptions{Work: work.DNNsimPreset(), Quant: QuantDNNsim}
}

// Validate checks the options and names the field at fault.
func (o PotentialOptions) Validate() error {
	if err := o.Work.Validate(); err != nil {
		return fmt.Errorf("laconic: potential options: %w", err)
	}
	if !slices.Contains(Quants(), o.Quant) {
		return fmt.Errorf("laconic: potential options: quant = %q, want one of %s", o.Quant, strings.Join(Quants(), ", "))
	}
	if o.Batch < 0 {
		return fmt.Errorf("laconic: potential options: batch = %d, want >= 0 (0: all images at once)", o.Batch)
	}
	if o.Quant != QuantDNNsim && o.Quant != QuantFixed16 && o.Work.Bits < 8 {
		return fmt.Errorf("laconic: potential options: work.bits = %d is narrower than %s's 8-bit codes", o.Work.Bits, o.Quant)
	}
	if (o.Quant == QuantDNNsim || o.Quant == QuantFixed16) && o.Work.Bits < 16 {
		return fmt.Errorf("laconic: potential options: work.bits = %d is narrower than %s's 16-bit codes (use --bits 16 or --quant affine8)", o.Work.Bits, o.Quant)
	}
	return nil
}

// PotentialResult holds the potential work of a network: per-layer
// results and the tables built from them. Release frees the tables.
type PotentialResult struct {
	Model string
	// Results are the per-layer results, in layer order, summed over
	// batches.
	Results []work.LayerResult
	// Layers is the per-layer table (one row per layer and scheme, see
	// work.Row), Totals the network totals (work.TotalRow),
	// Characterization the per-layer characterisation (work.CharRow),
	// Histograms the term-count histograms (work.HistRow) and DNNsim the
	// report DNNsim gives for its potentials (work.DNNsimRow).
	Layers, Totals, Characterization, Histograms, DNNsim arrow.RecordBatch
	// Elapsed is the whole computation's time; WorkElapsed the part spent
	// quantizing and computing the work (Elapsed also holds the forward
	// pass or the trace reading).
	Elapsed, WorkElapsed time.Duration
}

// Release releases the tables.
func (r *PotentialResult) Release() {
	if r == nil {
		return
	}
	for _, t := range []*arrow.RecordBatch{&r.Layers, &r.Totals, &r.Characterization, &r.Histograms, &r.DNNsim} {
		if *t != nil {
			(*t).Release()
			*t = nil
		}
	}
}

// Table returns a table by name: "layers", "totals", "characterization",
// "histogram" or "dnnsim".
func (r *PotentialResult) Table(name string) (arrow.RecordBatch, error) {
	switch name {
	case "layers":
		return r.Layers, nil
	case "totals":
		return r.Totals, nil
	case "characterization":
		return r.Characterization, nil
	case "histogram":
		return r.Histograms, nil
	case "dnnsim":
		return r.DNNsim, nil
	}
	return nil, fmt.Errorf("laconic: unknown table %q (want %s)", name, strings.Join(PotentialTables(), ", "))
}

// PotentialTables returns the names Table accepts.
func PotentialTables() []string {
	return []string{"layers", "totals", "characterization", "histogram", "dnnsim"}
}

// Potentials runs model (a zoo name, fetched if needed, or a *Model) on
// images and returns the potential work of every scheme for every compute
// layer, the network totals, the characterisation of the codes and their
// term histograms. The model's float activations and weights are quantized
// as opts.Quant says; see package work for the schemes and conventions.
func Potentials(ctx context.Context, model any, images []string, opts PotentialOptions) (*PotentialResult, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	m, err := resolveModel(ctx, model, "Potentials")
	if err != nil {
		return nil, err
	}
	if err := needImages("Potentials", images); err != nil {
		return nil, err
	}
	batch := opts.Batch
	if batch == 0 {
		batch = len(images)
	}
	batches := (len(images) + batch - 1) / batch
	start := time.Now()
	acc := newAccumulator(opts, len(m.Graph.ComputeNodes())*batches, batches > 1)
	err = m.Samples(ctx, images, batch, func(s nn.Sample) error {
		return acc.add(ctx, s, dnnsim.DefaultLayerPrecision())
	})
	if err != nil {
		return nil, err
	}
	meta := work.Meta{Model: m.name(), ModelSHA256: m.Info.TarballSHA256, Quant: quantLabel(opts.Quant),
		Extra: map[string]string{"laconic.images": strings.Join(baseNames(images), ","), "laconic.batch": strconv.Itoa(batch)}}
	return acc.finish(meta, start)
}

// PotentialsFromTraces computes the potentials of network net of a DNNsim
// trace folder dir (models/<net>/trace_params.csv, optional precision.txt,
// net_traces/<net>/*.npy; net may be empty when dir holds one network),
// over every batch file, one layer in memory at a time. With opts.Quant ==
// QuantDNNsim each layer is quantized with its precision.txt formats (or
// DNNsim's defaults) and Ap, W+Ap, Wp+Ap and BitFusion use those
// precisions; DNNsimPotentialOptions gives DNNsim's conventions.
func PotentialsFromTraces(ctx context.Context, dir, net string, opts PotentialOptions) (*PotentialResult, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	start := time.Now()
	n, err := dnnsim.Open(dir, net)
	if err != nil {
		return nil, err
	}
	acc := newAccumulator(opts, len(n.Layers)*n.Batches, n.Batches > 1)
	for b := 0; b < n.Batches; b++ {
		for i, info := range n.Layers {
			s, err := n.Sample(i, b)
			if err != nil {
				return nil, err
			}
			if err := acc.add(ctx, s, info.Precision); err != nil {
				return nil, err
			}
		}
	}
	meta := work.Meta{Model: n.Name, Quant: quantLabel(opts.Quant), Extra: map[string]string{
		"laconic.traces":        dir,
		"laconic.batches":       strconv.Itoa(n.Batches),
		"laconic.precision_txt": strconv.FormatBool(n.HasPrecision)}}
	return acc.finish(meta, start)
}

// DefaultImages returns the first n images (by file name) of the
// repository's data/images directory ($LACONIC_IMAGES overrides the
// directory), which `make images` fills. The repository root is found by
// walking up from the working directory to the toolkit's go.mod.
func DefaultImages(n int) ([]string, error) {
	if n < 1 {
		return nil, fmt.Errorf("laconic: %d images requested, want at least 1", n)
	}
	dir := os.Getenv("LACONIC_IMAGES")
	if dir == "" {
		root, err := repositoryRoot()
		if err != nil {
			return nil, err
		}
		dir = filepath.Join(root, "data", "images")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("laconic: images: %w (run `make images`, or set LACONIC_IMAGES)", err)
	}
	var out []string
	for _, e := range entries {
		switch strings.ToLower(filepath.Ext(e.Name())) {
		case ".png", ".jpg", ".jpeg":
			if e.Type().IsRegular() {
				out = append(out, filepath.Join(dir, e.Name()))
			}
		}
	}
	slices.Sort(out)
	if len(out) < n {
		return nil, fmt.Errorf("laconic: %d images requested, %s has %d (run `make images`)", n, dir, len(out))
	}
	return out[:n], nil
}

func repositoryRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("laconic: %w", err)
	}
	for {
		if data, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && declaresModule(string(data)) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("laconic: the working directory is not inside the %s repository: set LACONIC_IMAGES or give image files", zoo.ModulePath)
		}
		dir = parent
	}
}

// declaresModule reports whether a go.mod declares the toolkit's module.
func declaresModule(gomod string) bool {
	for _, line := range strings.Split(gomod, "\n") {
		f := strings.Fields(line)
		if len(f) == 2 && f[0] == "module" && strings.Trim(f[1], `"`) == zoo.ModulePath {
			return true
		}
	}
	return false
}

// accumulator quantizes samples, computes their work and sums batches.
type accumulator struct {
	opts     PotentialOptions
	results  []work.LayerResult
	index    map[string]int
	weights  map[string]*quant.Tensor // quantized weights kept across batches
	keepWgts bool
	done     int
	total    int
	elapsed  time.Duration // quantization and work
}

func newAccumulator(opts PotentialOptions, total int, keepWeights bool) *accumulator {
	return &accumulator{opts: opts, index: map[string]int{}, weights: map[string]*quant.Tensor{}, keepWgts: keepWeights, total: total}
}

// add quantizes one sample (prec gives the QuantDNNsim formats, whose
// widths are then the layer's precisions) and adds its work to its layer's
// result.
func (a *accumulator) add(ctx context.Context, s nn.Sample, prec dnnsim.LayerPrecision) error {
	name := s.Layer.Name
	start := time.Now()
	defer func() { a.elapsed += time.Since(start) }()
	pa, pw := 0, 0 // profiled from the codes
	if a.opts.Quant == QuantDNNsim {
		pa, pw = prec.ActBits(), prec.WgtBits()
	}
	act, err := a.quantize(s.Input, true, prec)
	if err != nil {
		return fmt.Errorf("laconic: layer %q: activations: %w", name, err)
	}
	wgt := a.weights[name]
	if wgt == nil {
		if wgt, err = a.quantize(s.Weights, false, prec); err != nil {
			return fmt.Errorf("laconic: layer %q: weights: %w", name, err)
		}
		if a.keepWgts {
			a.weights[name] = wgt
		}
	}
	r, err := work.ComputeContext(ctx, work.Layer{Layer: s.Layer, Act: act, Wgt: wgt, ActPrecision: pa, WgtPrecision: pw}, a.opts.Work)
	if err != nil {
		return err
	}
	if i, ok := a.index[name]; ok {
		if err := a.results[i].Merge(r); err != nil {
			return err
		}
	} else {
		r.Index = len(a.results)
		a.index[name] = r.Index
		a.results = append(a.results, r)
	}
	a.done++
	if a.opts.Progress != nil {
		a.opts.Progress(Progress{Layer: name, Done: a.done, Total: a.total})
	}
	return nil
}

func (a *accumulator) quantize(t *nn.Tensor, activation bool, prec dnnsim.LayerPrecision) (*quant.Tensor, error) {
	switch a.opts.Quant {
	case QuantFixed16:
		if t == nil {
			return nil, errors.New("nil tensor")
		}
		c := quant.ProfileFixed16(t)
		return elementwise(t, func(x *nn.Tensor) (*quant.Tensor, error) { return quant.Fixed16(x, c.Mag, c.Frac) })
	case QuantAffine8:
		return quant.Affine8(t)
	case QuantRaw:
		if activation {
			return quant.Affine8(t)
		}
		return quant.RawCodes(t)
	case QuantDNNsim:
		mag, frac := prec.WgtMag, prec.WgtFrac
		if activation {
			mag, frac = prec.ActMag, prec.ActFrac
		}
		return elementwise(t, func(x *nn.Tensor) (*quant.Tensor, error) { return dnnsimFixed(x, mag, frac) })
	}
	return nil, fmt.Errorf("unknown quantization %q", a.opts.Quant)
}

// elementwise applies an element-wise quantization to chunks of a large
// tensor in parallel; the codes are those of q(t). On any error it runs q on
// the whole tensor so that the error names the right element.
func elementwise(t *nn.Tensor, q func(*nn.Tensor) (*quant.Tensor, error)) (*quant.Tensor, error) {
	const minChunk = 1 << 16
	procs := runtime.GOMAXPROCS(0)
	if t == nil || t.Validate() != nil || len(t.Data) < 2*minChunk || procs < 2 {
		return q(t)
	}
	n := len(t.Data)
	chunks := min(procs, n/minChunk)
	parts := make([]*quant.Tensor, chunks)
	errs := make([]error, chunks)
	var wg sync.WaitGroup
	for i := range parts {
		lo, hi := i*n/chunks, (i+1)*n/chunks
		wg.Add(1)
		go func() {
			defer wg.Done()
			parts[i], errs[i] = q(&nn.Tensor{Shape: []int{hi - lo}, Data: t.Data[lo:hi]})
		}()
	}
	wg.Wait()
	if errors.Join(errs...) != nil {
		return q(t)
	}
	out := *parts[0]
	out.Shape = append([]int(nil), t.Shape...)
	out.Codes = make([]int32, 0, n)
	for _, p := range parts {
		out.Codes = append(out.Codes, p.Codes...)
	}
	return &out, nil
}

// dnnsimFixed is DNNsim's fixed point for any format of at most 16 bits
// with the sign: x*2^frac clamped to ±(2^(mag+frac) - 1), rounded to the
// nearest integer (halves away from zero), as 16-bit signed codes. It is
// quant.Fixed16 when mag+frac = 15 with both non-negative; precision.txt
// formats may be narrower and have a negative magnitude or fraction.
func dnnsimFixed(t *nn.Tensor, mag, frac int) (*quant.Tensor, error) {
	if mag >= 0 && frac >= 0 && mag+frac == 15 {
		return quant.Fixed16(t, mag, frac)
	}
	if mag+frac < 0 || mag+frac > 15 {
		return nil, fmt.Errorf("fixed-point format %d:%d needs %d bits with the sign, want 1..16", mag, frac, 1+mag+frac)
	}
	if t == nil {
		return nil, errors.New("nil tensor")
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	if err := t.CheckFinite(); err != nil {
		return nil, err
	}
	limit := math.Ldexp(1, mag+frac) - 1
	q := &quant.Tensor{Shape: append([]int(nil), t.Shape...), Codes: make([]int32, len(t.Data)),
		Scheme: quant.SchemeFixed16, Bits: 16, Signed: true, Mag: mag, Frac: frac, Scale: math.Ldexp(1, -frac)}
	for i, v := range t.Data {
		x := max(-limit, min(limit, math.Ldexp(float64(v), frac)))
		q.Codes[i] = int32(math.Round(x))
	}
	return q, nil
}

// finish builds the tables.
func (a *accumulator) finish(meta work.Meta, start time.Time) (res *PotentialResult, err error) {
	mem := a.opts.Allocator
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	cfg, err := json.Marshal(struct {
		Quant string `json:"quant"`
		Batch int    `json:"batch"`
	}{a.opts.Quant, a.opts.Batch})
	if err != nil {
		return nil, err
	}
	if meta.Extra == nil {
		meta.Extra = map[string]string{}
	}
	meta.Extra["laconic.quant_options"] = string(cfg)
	res = &PotentialResult{Model: meta.Model, Results: a.results}
	defer func() {
		if res != nil {
			res.Elapsed, res.WorkElapsed = time.Since(start), a.elapsed
		}
	}()
	defer func() {
		if err != nil {
			res.Release()
			res = nil
		}
	}()
	if res.Layers, err = work.LayerTable(mem, meta, a.results); err != nil {
		return res, err
	}
	if res.Totals, err = work.Totals(mem, res.Layers); err != nil {
		return res, err
	}
	if res.Characterization, err = work.CharacterizationTable(mem, meta, a.results); err != nil {
		return res, err
	}
	if res.Histograms, err = work.HistogramTable(mem, meta, a.results); err != nil {
		return res, err
	}
	if res.DNNsim, err = work.DNNsimTable(mem, meta, a.results); err != nil {
		return res, err
	}
	return res, nil
}
