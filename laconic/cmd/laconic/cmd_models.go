package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"text/tabwriter"

	"github.com/laconiclab/toolkit/laconic/infer"
	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/nn/onnx"
	"github.com/laconiclab/toolkit/laconic/nn/tfjs"
	"github.com/laconiclab/toolkit/laconic/zoo"
)

func init() {
	register(&command{
		name:    "models",
		summary: "list zoo models: parameters, MACs per image, input size, cached or not",
		run:     runModels,
	})
}

func runModels(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("models", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: laconic models")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Lists the zoo's models. For cached models the graph is loaded to count parameters")
		fmt.Fprintln(stderr, "and multiply-accumulates per image (Conv and Dense layers, from shape inference);")
		fmt.Fprintln(stderr, "for the others the parameter count recorded in the zoo is shown, or \"-\". A loaded")
		fmt.Fprintln(stderr, "graph counts weights, biases and the folded batch-norm scale and shift (two values")
		fmt.Fprintln(stderr, "per channel where the file stores four), so the two counts can differ slightly.")
		fmt.Fprintln(stderr, "\"laconic fetch --all\" caches every model.")
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "laconic models: unexpected arguments %q\n", fs.Args())
		return 2
	}
	dir, err := zoo.CacheDir()
	if err != nil {
		fmt.Fprintf(stderr, "laconic models: %v\n", err)
		return 1
	}
	status := 0
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "model\tformat\tinput\tparams\tMACs/image\tcached\tsource")
	for _, m := range zoo.List() {
		params, macs, cached := "-", "-", "no"
		if m.Params > 0 {
			params = fmt.Sprint(m.Params)
		}
		ok, err := zoo.Cached(m.Name)
		if err != nil {
			fmt.Fprintf(stderr, "laconic models: %s: %v\n", m.Name, err)
			status = 1
		}
		if ok {
			cached = "yes"
			p, n, err := graphCounts(m, filepath.Join(dir, filepath.FromSlash(m.Entry)))
			if err != nil {
				fmt.Fprintf(stderr, "laconic models: %s: %v\n", m.Name, err)
				status = 1
			} else {
				params, macs = fmt.Sprint(p), fmt.Sprint(n)
			}
		}
		in := m.Input
		fmt.Fprintf(tw, "%s\t%s\t%dx%dx%d\t%s\t%s\t%s\t%s\n", m.Name, m.Format, in.Height, in.Width, in.Channels, params, macs, cached, m.Spec())
	}
	if err := tw.Flush(); err != nil {
		return 1
	}
	return status
}

// graphCounts loads a cached model and returns its parameter count and the
// multiply-accumulates of one image.
func graphCounts(m zoo.Model, path string) (params int, macs int64, err error) {
	var g *nn.Graph
	if m.Format == zoo.FormatONNX {
		g, err = onnx.Load(path)
	} else {
		g, err = tfjs.Load(path)
	}
	if err != nil {
		return 0, 0, err
	}
	macs, err = graphMACs(g, m.Input)
	return g.NumParams(), macs, err
}

// graphMACs returns the multiply-accumulates of one image through every
// compute layer, from shape inference.
func graphMACs(g *nn.Graph, in nn.InputSpec) (int64, error) {
	shapes, err := infer.Shapes(g, []int{1, in.Channels, in.Height, in.Width})
	if err != nil {
		return 0, err
	}
	var total int64
	for _, n := range g.ComputeNodes() {
		l, err := infer.LayerOf(g, n, shapes)
		if err != nil {
			return 0, err
		}
		total += l.MACs()
	}
	return total, nil
}
