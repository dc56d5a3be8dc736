package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/laconiclab/toolkit/laconic"
	"github.com/laconiclab/toolkit/laconic/arch"
	"github.com/laconiclab/toolkit/laconic/arch/energy"
	"github.com/laconiclab/toolkit/laconic/zoo"
)

func init() {
	register(&command{
		name:    "simulate",
		summary: "simulated cycles and energy of accelerator presets, per layer (model + images, or DNNsim traces)",
		run:     runSimulate,
	})
}

func simulateUsage(fs *flag.FlagSet, w io.Writer) func() {
	return func() {
		fmt.Fprintln(w, "usage: laconic simulate --model NAME --arch PRESET[,PRESET...] [--set KEY=VALUE,...] [--images N | --image FILE...]")
		fmt.Fprintln(w, "           [--quant fixed16|affine8|raw|dnnsim] [--batch N] [--energy FILE.csv] [--totals]")
		fmt.Fprintln(w, "           [--format csv|parquet|arrow] [--out FILE]")
		fmt.Fprintln(w, "       laconic simulate --traces DIR [--net NAME] --arch PRESET[,PRESET...] [...]")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Simulates every compute layer of a zoo model run on images (default: the first N of the")
		fmt.Fprintln(w, "repository's data/images), or of a DNNsim trace folder, on accelerator configurations: preset")
		fmt.Fprintln(w, "names (see `laconic archs`) or JSON configuration files (*.json, see arch.Config). Each")
		fmt.Fprintln(w, "configuration is compared with its baseline preset. The per-layer table (or with --totals one")
		fmt.Fprintln(w, "row per configuration) goes to --out (format from --format or the extension) or as CSV to")
		fmt.Fprintln(w, "standard output; a summary and a timing line go to standard error. Trace folders default to")
		fmt.Fprintln(w, "DNNsim's fixed point (--quant dnnsim), models to profiled 16-bit fixed point. --set changes")
		fmt.Fprintln(w, "parameters of every --arch configuration, e.g. DNNsim's geometry with matching baseline:")
		fmt.Fprintln(w, "  laconic simulate --traces DIR --arch DNNSIM-LAC,DNNSIM-BASE --set columns=16,rows=16,lanes=16")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "presets: "+strings.Join(arch.PresetNames(), ", "))
		fmt.Fprintln(w, "models:  "+strings.Join(zoo.Names(), ", "))
		fs.PrintDefaults()
	}
}

func runSimulate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	model := fs.String("model", "", "zoo model name, or the path of an ONNX file or TensorFlow.js model directory")
	traces := fs.String("traces", "", "DNNsim trace folder (models/<net>/trace_params.csv, net_traces/<net>/*.npy)")
	net := fs.String("net", "", "network of the trace folder (needed when it holds several)")
	var archs stringList
	fs.Var(&archs, "arch", "accelerator presets or .json configuration files, comma-separated (repeatable)")
	var sets stringList
	fs.Var(&sets, "set", "change every --arch configuration: key=value[,key=value...] (repeatable; keys of arch.Config's JSON, e.g. rows=16, sync=lpe, weight_wires=512)")
	nImages := fs.Int("images", 1, "use the first N images of the repository's data/images ($LACONIC_IMAGES)")
	var images stringList
	fs.Var(&images, "image", "image file (repeatable; replaces --images)")
	quantName := fs.String("quant", "", "quantization: "+strings.Join(laconic.Quants(), ", ")+" (default fixed16, dnnsim for --traces)")
	batch := fs.Int("batch", 0, "images per forward pass (0: all at once)")
	workers := fs.Int("workers", 0, "simulation goroutines (0: all cores)")
	energyFile := fs.String("energy", "", "energy table CSV (default: the embedded Horowitz ISSCC 2014 table)")
	totals := fs.Bool("totals", false, "write one row per configuration (sums, then ratios) instead of one per layer")
	format := fs.String("format", "", "output format: csv, parquet or arrow (default from --out's extension, else csv)")
	out := fs.String("out", "", "output file; - for standard output (default: CSV on standard output)")
	progress := fs.Bool("progress", false, "show a progress bar even when standard error is not a terminal")
	iso := fs.String("iso", "", "resize every --arch configuration to the compute area of a target: area:TARGET[:columns|rows|auto], e.g. area:BASE-2K")
	fs.Usage = simulateUsage(fs, stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "laconic simulate: "+format+"\n", a...)
		return 2
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected arguments %q", fs.Args())
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if msg := sampleSourceError(*model, *traces, set); msg != "" {
		return usageErr("%s", msg)
	}
	switch {
	case len(archs) == 0:
		return usageErr("give --arch PRESET[,PRESET...] (presets: %s)", strings.Join(arch.PresetNames(), ", "))
	case *nImages < 1:
		return usageErr("--images %d: want at least 1", *nImages)
	}
	cfgs, err := laconic.ResolveArchs(archs)
	if err != nil {
		return usageErr("--arch: %v", err)
	}
	if len(sets) > 0 {
		var assignments []string
		for _, s := range sets {
			assignments = append(assignments, splitList(s)...)
		}
		listed := map[string]bool{}
		for i := range cfgs {
			if cfgs[i], err = cfgs[i].Set(assignments...); err != nil {
				return usageErr("--set: %v", err)
			}
			listed[cfgs[i].Name] = true
		}
		for _, c := range cfgs {
			if c.Baseline != "" && !listed[c.Baseline] {
				fmt.Fprintf(stderr, "laconic simulate: note: --set changes the --arch configurations only; %s is compared with the preset %s as it is (add %s to --arch to change it too)\n", c.Name, c.Baseline, c.Baseline)
				listed[c.Baseline] = true
			}
		}
	}
	if *iso != "" {
		is, err := arch.ParseIso(*iso)
		if err == nil && is.Kind != arch.IsoAreaKind {
			err = fmt.Errorf("%s: the command line sizes for area only (use arch.IsoPower for power)", *iso)
		}
		if err == nil {
			cfgs, err = arch.IsoArea(cfgs, is, nil, nil)
		}
		if err != nil {
			return usageErr("--iso: %v", err)
		}
	}
	opts := laconic.SimulateOptions{Quant: *quantName, Batch: *batch, Workers: *workers}
	if *energyFile != "" {
		if opts.Energy, err = energy.Load(*energyFile); err != nil {
			return usageErr("--energy: %v", err)
		}
	}
	if opts.Quant != "" && !contains(laconic.Quants(), opts.Quant) {
		return usageErr("--quant %q: want one of %s", opts.Quant, strings.Join(laconic.Quants(), ", "))
	}
	if *batch < 0 || *workers < 0 {
		return usageErr("--batch and --workers must be >= 0")
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
	start := time.Now()
	rep := newReporter("simulate", stderr, *progress || isTerminal(stderr))
	opts.Progress = rep.update
	var res *laconic.SimulateResult
	source := *traces
	if *traces != "" {
		res, err = laconic.SimulateTracesWith(ctx, *traces, *net, cfgs, opts)
	} else {
		var imgs []string
		if imgs, err = imagesOrDefault(images, *nImages); err != nil {
			rep.finish()
			fmt.Fprintf(stderr, "laconic simulate: %v\n", err)
			return 1
		}
		source = fmt.Sprintf("%d image(s)", len(imgs))
		var m *laconic.Model
		if m, err = loadModel(ctx, *model); err == nil {
			res, err = laconic.SimulateWith(ctx, m, imgs, cfgs, opts)
		}
	}
	rep.finish()
	if err != nil {
		fmt.Fprintf(stderr, "laconic simulate: %v\n", err)
		return 1
	}
	defer res.Release()
	rec := res.Layers
	if *totals {
		rec = res.TotalsTable
	}
	if err := writeTable(stdout, *out, f, rec); err != nil {
		fmt.Fprintf(stderr, "laconic simulate: %v\n", err)
		return 1
	}
	var macs int64
	for _, t := range res.Totals {
		macs = max(macs, t.MACs)
	}
	for _, t := range res.Totals {
		fmt.Fprintf(stderr, "laconic simulate: %s on %s: %d cycles, %.2fx faster and %.2fx more energy efficient than %s\n",
			res.Model, t.Config, t.Cycles, t.Speedup, t.EnergyEfficiency, t.Baseline)
	}
	fmt.Fprintf(stderr, "laconic simulate: %s: %d layers, %.3g multiplies, %s, %d configuration(s): %.2f s\n",
		res.Model, len(res.Rows)/max(1, len(res.Totals)), float64(macs), source, len(res.Totals), time.Since(start).Seconds())
	return 0
}
