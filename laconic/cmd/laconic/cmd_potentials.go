package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/laconiclab/toolkit/laconic"
	"github.com/laconiclab/toolkit/laconic/terms"
	"github.com/laconiclab/toolkit/laconic/work"
	"github.com/laconiclab/toolkit/laconic/zoo"
)

func init() {
	register(&command{
		name:    "potentials",
		summary: "potential work and speedup of every scheme, per layer (model + images, or DNNsim traces)",
		run:     runPotentials,
	})
}

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// isTerminal reports whether w is a character device (a terminal).
var isTerminal = func(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func potentialsUsage(fs *flag.FlagSet, w io.Writer) func() {
	return func() {
		fmt.Fprintln(w, "usage: laconic potentials --model NAME [--images N | --image FILE...] [--quant fixed16|affine8|raw|dnnsim]")
		fmt.Fprintln(w, "           [--encoding csd|binary|booth4|dnnsim] [--zero-cost 0|1] [--bits 16|8] [--table NAME]")
		fmt.Fprintln(w, "           [--format csv|parquet|arrow] [--out FILE]")
		fmt.Fprintln(w, "       laconic potentials --traces DIR [--net NAME] --preset dnnsim [...]")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Computes the potential work of every scheme (Base, A, W, W+A, Ap, Ap-dyn, Ae, We, W+Ap, W+Ae,")
		fmt.Fprintln(w, "We+Ae = Laconic, Wp+Ap = Loom, BitFusion) for every compute layer of a zoo model run on images")
		fmt.Fprintln(w, "(default: the first N of the repository's data/images), or of a DNNsim trace folder. The table")
		fmt.Fprintln(w, "goes to --out (format from --format or the extension) or as CSV to standard output; progress")
		fmt.Fprintln(w, "and a timing line go to standard error. --preset dnnsim sets DNNsim's conventions (dnnsim")
		fmt.Fprintln(w, "terms, zero cost 1, 16 bits, its fixed point with precision.txt); flags given explicitly")
		fmt.Fprintln(w, "override the preset.")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "models: "+strings.Join(zoo.Names(), ", "))
		fs.PrintDefaults()
	}
}

func runPotentials(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("potentials", flag.ContinueOnError)
	fs.SetOutput(stderr)
	model := fs.String("model", "", "zoo model name, or the path of an ONNX file or TensorFlow.js model directory")
	nImages := fs.Int("images", 1, "use the first N images of the repository's data/images ($LACONIC_IMAGES)")
	var images stringList
	fs.Var(&images, "image", "image file (repeatable; replaces --images)")
	quantName := fs.String("quant", laconic.QuantFixed16, "quantization: "+strings.Join(laconic.Quants(), ", "))
	encoding := fs.String("encoding", string(terms.CSD), "term encoding: binary, csd, booth4 or dnnsim")
	zeroCost := fs.Int("zero-cost", 0, "cost of a product with zero terms: 0 (papers' potential) or 1 (DNNsim)")
	bits := fs.Int("bits", 0, "baseline width P (default 16 for fixed16/dnnsim, 8 for affine8/raw)")
	group := fs.Int("group", work.DefaultOptions().Group, "channels per dynamic-precision group (Ap-dyn)")
	schemes := fs.String("schemes", "", "comma-separated schemes to report (default all)")
	batch := fs.Int("batch", 0, "images per forward pass (0: all at once)")
	tableName := fs.String("table", "", "table to write: "+strings.Join(laconic.PotentialTables(), ", ")+" (default layers; dnnsim with --preset dnnsim)")
	format := fs.String("format", "", "output format: csv, parquet or arrow (default from --out's extension, else csv)")
	out := fs.String("out", "", "output file; - for standard output (default: CSV on standard output)")
	traces := fs.String("traces", "", "DNNsim trace folder (models/<net>/trace_params.csv, net_traces/<net>/*.npy)")
	net := fs.String("net", "", "network of the trace folder (needed when it holds several)")
	preset := fs.String("preset", "", `conventions preset: "dnnsim"`)
	progress := fs.Bool("progress", false, "show a progress bar even when standard error is not a terminal")
	fs.Usage = potentialsUsage(fs, stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "laconic potentials: "+format+"\n", a...)
		return 2
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected arguments %q", fs.Args())
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	// Where the samples come from.
	if msg := sampleSourceError(*model, *traces, set); msg != "" {
		return usageErr("%s", msg)
	}
	if *nImages < 1 {
		return usageErr("--images %d: want at least 1", *nImages)
	}

	// Options: preset first, then explicit flags.
	opts := laconic.DefaultPotentialOptions()
	switch *preset {
	case "":
	case "dnnsim":
		opts = laconic.DNNsimPotentialOptions()
	default:
		return usageErr("unknown preset %q (want dnnsim)", *preset)
	}
	if set["quant"] || *preset == "" {
		opts.Quant = *quantName
	}
	if set["encoding"] || *preset == "" {
		e, err := terms.ParseEncoding(*encoding)
		if err != nil {
			return usageErr("--encoding: %v", err)
		}
		opts.Work.Encoding = e
	}
	if set["zero-cost"] || *preset == "" {
		opts.Work.ZeroCost = *zeroCost
	}
	switch {
	case set["bits"]:
		opts.Work.Bits = *bits
	case opts.Quant == laconic.QuantAffine8 || opts.Quant == laconic.QuantRaw:
		opts.Work.Bits = 8
	default:
		opts.Work.Bits = 16
	}
	opts.Work.Group = *group
	if *schemes != "" {
		for _, s := range strings.Split(*schemes, ",") {
			sc, err := work.ParseScheme(strings.TrimSpace(s))
			if err != nil {
				return usageErr("--schemes: %v", err)
			}
			opts.Work.Schemes = append(opts.Work.Schemes, sc)
		}
	}
	opts.Batch = *batch
	if err := opts.Validate(); err != nil {
		return usageErr("%v", err)
	}
	which := *tableName
	if which == "" {
		which = "layers"
		if *preset == "dnnsim" {
			which = "dnnsim"
		}
	}
	if !contains(laconic.PotentialTables(), which) {
		return usageErr("--table %q: want one of %s", which, strings.Join(laconic.PotentialTables(), ", "))
	}
	f, err := tableFormat(*format, *out)
	if err != nil {
		return usageErr("%v", err)
	}
	if err := checkOut(*out); err != nil {
		fmt.Fprintf(stderr, "laconic %s: %v\n", fs.Name(), err)
		return 1
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	rep := newReporter("potentials", stderr, *progress || isTerminal(stderr))
	opts.Progress = rep.update
	var (
		res    *laconic.PotentialResult
		source string
	)
	if *traces != "" {
		source = *traces
		res, err = laconic.PotentialsFromTraces(ctx, *traces, *net, opts)
	} else {
		var imgs []string
		if imgs, err = imagesOrDefault(images, *nImages); err != nil {
			rep.finish()
			fmt.Fprintf(stderr, "laconic potentials: %v\n", err)
			return 1
		}
		source = fmt.Sprintf("%d image(s)", len(imgs))
		var m *laconic.Model
		if m, err = loadModel(ctx, *model); err == nil {
			res, err = laconic.Potentials(ctx, m, imgs, opts)
		}
	}
	rep.finish()
	if err != nil {
		fmt.Fprintf(stderr, "laconic potentials: %v\n", err)
		return 1
	}
	defer res.Release()
	rec, err := res.Table(which)
	if err != nil {
		fmt.Fprintf(stderr, "laconic potentials: %v\n", err)
		return 1
	}
	if err := writeTable(stdout, *out, f, rec); err != nil {
		fmt.Fprintf(stderr, "laconic potentials: %v\n", err)
		return 1
	}
	summarize(stderr, res, source)
	return 0
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// loadModel loads a zoo model by name, or a user's model file or directory.
func loadModel(ctx context.Context, name string) (*laconic.Model, error) {
	if _, err := zoo.Lookup(name); err == nil {
		return laconic.LoadModel(ctx, name)
	}
	if _, err := os.Stat(name); err == nil {
		return laconic.LoadModelFile(name)
	}
	return nil, fmt.Errorf("unknown model %q: not a zoo model (%s) nor a file", name, strings.Join(zoo.Names(), ", "))
}

// summarize prints the network's Laconic potential and the timing line.
func summarize(w io.Writer, res *laconic.PotentialResult, source string) {
	var macs int64
	for _, r := range res.Results {
		macs += r.MACs()
	}
	for _, t := range work.TotalRows(work.Rows(work.Meta{Model: res.Model}, res.Results)) {
		if t.Scheme == string(work.WeAe) {
			fmt.Fprintf(w, "laconic potentials: %s: Laconic (We+Ae) potential speedup %.2fx (%s, zero cost %d, %d-bit baseline)\n",
				res.Model, t.Speedup, t.Encoding, t.ZeroCost, t.Bits)
		}
	}
	fmt.Fprintf(w, "laconic potentials: %s: %d layers, %.3g multiplies, %s: %.2f s (work %.2f s)\n",
		res.Model, len(res.Results), float64(macs), source, res.Elapsed.Seconds(), res.WorkElapsed.Seconds())
}

// reporter shows progress: a bar on a terminal (or with --progress), else
// one line per layer.
type reporter struct {
	name  string // the command, as in "laconic <name>: ..."
	w     io.Writer
	bar   *progressbar.ProgressBar
	useUI bool
	start time.Time
}

func newReporter(name string, w io.Writer, bar bool) *reporter {
	return &reporter{name: name, w: w, useUI: bar, start: time.Now()}
}

func (r *reporter) update(p laconic.Progress) {
	if !r.useUI {
		fmt.Fprintf(r.w, "laconic %s: layer %d/%d %s (%.1f s)\n", r.name, p.Done, p.Total, p.Layer, time.Since(r.start).Seconds())
		return
	}
	if r.bar == nil {
		r.bar = progressbar.NewOptions(p.Total, progressbar.OptionSetWriter(r.w), progressbar.OptionShowCount(),
			progressbar.OptionSetDescription(r.name), progressbar.OptionSetPredictTime(true),
			progressbar.OptionClearOnFinish(), progressbar.OptionThrottle(100*time.Millisecond))
	}
	r.bar.Describe(strconv.Quote(p.Layer))
	r.bar.Set(p.Done)
}

func (r *reporter) finish() {
	if r.bar != nil {
		r.bar.Finish() // clears the bar's line
	}
}
