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

	"github.com/laconiclab/toolkit/laconic"
	"github.com/laconiclab/toolkit/laconic/nn/dnnsim"
	"github.com/laconiclab/toolkit/laconic/zoo"
)

func init() {
	register(&command{
		name:    "traces",
		summary: "write a model's weights and activations on images as a DNNsim trace folder",
		run:     runTraces,
	})
}

func tracesUsage(fs *flag.FlagSet, w io.Writer) func() {
	return func() {
		fmt.Fprintln(w, "usage: laconic traces --model NAME --out DIR [--net NAME] [--images N | --image FILE...] [--batch N]")
		fmt.Fprintln(w, "           [--precision precision.txt]")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Runs a zoo model (or an ONNX file or TensorFlow.js directory) on images and writes every compute")
		fmt.Fprintln(w, "layer's weights and input activations in DNNsim's layout: DIR/models/<net>/trace_params.csv")
		fmt.Fprintln(w, "(and precision.txt with --precision), DIR/net_traces/<net>/wgt-<layer>.npy and act-<layer>-<k>.npy,")
		fmt.Fprintln(w, "one act file per batch k of --batch images (default one per image). The folder loads with")
		fmt.Fprintln(w, "`laconic potentials --traces DIR` and `laconic simulate --traces DIR`, and with DNNsim itself.")
		fmt.Fprintln(w, "trace_params.csv is written last: a failed run never looks like a complete one.")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "models: "+strings.Join(zoo.Names(), ", "))
		fs.PrintDefaults()
	}
}

func runTraces(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("traces", flag.ContinueOnError)
	fs.SetOutput(stderr)
	model := fs.String("model", "", "zoo model name, or the path of an ONNX file or TensorFlow.js model directory")
	out := fs.String("out", "", "trace folder to write into (created if needed)")
	net := fs.String("net", "", "network name in the folder (default: the model's name)")
	nImages := fs.Int("images", 1, "use the first N images of the repository's data/images ($LACONIC_IMAGES)")
	var images stringList
	fs.Var(&images, "image", "image file (repeatable; replaces --images)")
	batch := fs.Int("batch", 0, "images per batch file (0: one file per image)")
	precFile := fs.String("precision", "", "DNNsim precision.txt to copy into the folder (one entry per compute layer)")
	progress := fs.Bool("progress", false, "show a progress bar even when standard error is not a terminal")
	fs.Usage = tracesUsage(fs, stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "laconic traces: "+format+"\n", a...)
		fmt.Fprintln(stderr, `Run "laconic traces -h" for the flags.`)
		return 2
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch {
	case fs.NArg() > 0:
		return usageErr("unexpected arguments %q", fs.Args())
	case *model == "":
		return usageErr("give --model NAME")
	case *out == "":
		return usageErr("give --out DIR")
	case set["image"] && set["images"]:
		return usageErr("give --images N or --image FILE..., not both")
	case *nImages < 1:
		return usageErr("--images %d: want at least 1", *nImages)
	case *batch < 0:
		return usageErr("--batch %d: want 0 (one image per file) or more", *batch)
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "laconic traces: %v\n", err)
		return 1
	}
	opts := laconic.TraceOptions{Batch: *batch}
	if *precFile != "" {
		f, err := os.Open(*precFile)
		if err != nil {
			return fail(err)
		}
		opts.Precision, err = dnnsim.ParsePrecision(f)
		f.Close()
		if err != nil {
			return fail(fmt.Errorf("%s: %w", *precFile, err))
		}
	}
	imgs, err := imagesOrDefault(images, *nImages)
	if err != nil {
		return fail(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	m, err := loadModel(ctx, *model)
	if err != nil {
		return fail(err)
	}
	if opts.Precision != nil && len(opts.Precision.Layers) != len(m.Graph.ComputeNodes()) {
		return fail(fmt.Errorf("%s: %d layers, but %s has %d compute layers", *precFile, len(opts.Precision.Layers), *model, len(m.Graph.ComputeNodes())))
	}
	rep := newReporter("traces", stderr, *progress || isTerminal(stderr))
	opts.Progress = rep.update
	res, err := laconic.WriteTraces(ctx, m, imgs, *out, *net, opts)
	rep.finish()
	if err != nil {
		return fail(err)
	}
	fmt.Fprintf(stdout, "%s: %d layers, %d image(s) in %d batch file(s) per layer: %d files, %.1f MB in %s (%.1f s)\n",
		res.Net, len(res.Layers), len(imgs), res.Batches, res.Files, float64(res.Bytes)/1e6, res.Dir, res.Elapsed.Seconds())
	fmt.Fprintf(stdout, "next: laconic potentials --traces %s --net %s --preset dnnsim\n", res.Dir, res.Net)
	return 0
}
