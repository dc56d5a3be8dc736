package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/laconiclab/toolkit/laconic"
	"github.com/laconiclab/toolkit/laconic/infer"
	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/zoo"
)

func init() {
	register(&command{
		name:    "infer",
		summary: "run a model on an image: top classes and per-layer activation statistics",
		run:     runInfer,
	})
}

func runInfer(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("infer", flag.ContinueOnError)
	fs.SetOutput(stderr)
	model := fs.String("model", "", "zoo model name, or the path of an ONNX file or TensorFlow.js model directory")
	image := fs.String("image", "", "PNG or JPEG image")
	top := fs.Int("top", 5, "number of classes to print")
	all := fs.Bool("all-nodes", false, "list every node, not only the compute (Conv/Dense) layers")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: laconic infer --model NAME --image FILE [--top K] [--all-nodes]")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Runs the Go forward pass on one image, prints the most probable classes and a table")
		fmt.Fprintln(stderr, "of every compute layer: kind, input and output shapes, multiplies (MACs) and the")
		fmt.Fprintln(stderr, "mean, fraction of zeros, minimum and maximum of the layer's input activations.")
		fmt.Fprintln(stderr, "The time of the forward pass goes to stderr. Zoo models are fetched if needed.")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "models: "+strings.Join(zoo.Names(), ", "))
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "laconic infer: unexpected arguments %q\n", fs.Args())
		return 2
	case *model == "" || *image == "":
		fmt.Fprintln(stderr, "laconic infer: --model and --image are required")
		fs.Usage()
		return 2
	case *top < 1:
		fmt.Fprintf(stderr, "laconic infer: --top %d: want >= 1\n", *top)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := inferImage(ctx, *model, *image, *top, *all, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "laconic infer: %v\n", err)
		return 1
	}
	return 0
}

// openModel loads a zoo model by name, or a user's file or directory.
func openModel(ctx context.Context, name string) (*laconic.Model, error) {
	if _, err := zoo.Lookup(name); err == nil {
		return laconic.LoadModel(ctx, name)
	}
	if _, err := os.Stat(name); err == nil {
		return laconic.LoadModelFile(name)
	}
	return nil, fmt.Errorf("%q is neither a zoo model (%s) nor an existing file or directory", name, strings.Join(zoo.Names(), ", "))
}

// layerRow is one line of the statistics table.
type layerRow struct {
	name, kind    string
	in, out       []int
	macs          int64 // -1: not a compute layer
	mean, zeros   float64
	lo, hi        float32
	hasActivation bool
}

// activationStats returns mean, zero fraction, minimum and maximum.
func activationStats(t *nn.Tensor) (mean, zeros float64, lo, hi float32) {
	if t == nil || len(t.Data) == 0 {
		return 0, 0, 0, 0
	}
	lo, hi = float32(math.Inf(1)), float32(math.Inf(-1))
	sum, nz := 0.0, 0
	for _, v := range t.Data {
		sum += float64(v)
		if v == 0 {
			nz++
		}
		lo, hi = min(lo, v), max(hi, v)
	}
	n := float64(len(t.Data))
	return sum / n, float64(nz) / n, lo, hi
}

func inferImage(ctx context.Context, name, image string, top int, all bool, stdout, stderr io.Writer) error {
	start := time.Now()
	m, err := openModel(ctx, name)
	if err != nil {
		return err
	}
	loaded := time.Since(start)
	var rows []layerRow
	var totalMACs int64
	opts := infer.DefaultOptions()
	opts.Tap = func(node *nn.Node, layer *nn.Layer, inputs []*nn.Tensor, out *nn.Tensor) error {
		if layer == nil && (!all || node.Op == nn.OpInput) {
			return nil
		}
		r := layerRow{name: node.Name, kind: string(node.Op), out: out.Shape, macs: -1}
		if len(inputs) > 0 {
			r.in = inputs[0].Shape
			r.mean, r.zeros, r.lo, r.hi = activationStats(inputs[0])
			r.hasActivation = true
		}
		if layer != nil {
			r.kind = string(layer.Kind)
			r.macs = layer.MACs()
			totalMACs += r.macs
		}
		rows = append(rows, r)
		return nil
	}
	passStart := time.Now()
	preds, err := m.Run(ctx, []string{image}, opts)
	if err != nil {
		return err
	}
	pass := time.Since(passStart)
	fmt.Fprintf(stderr, "model loaded in %.2f s; forward pass %.3f s (%.1f M MACs, %.2f GMAC/s)\n",
		loaded.Seconds(), pass.Seconds(), float64(totalMACs)/1e6, float64(totalMACs)/pass.Seconds()/1e9)

	src := m.Path
	if m.Info.Package != "" {
		src = m.Info.Spec() + ", " + string(m.Info.Format)
	}
	fmt.Fprintf(stdout, "model %s (%s)\nimage %s\n\n", m.Info.Name, src, image)
	if outs := outputShapes(m); len(m.Info.Labels) == 0 && len(outs) > 0 && len(outs[0].shape) != 2 {
		// Not a classifier (a detector, for instance): list the outputs.
		fmt.Fprintln(stdout, "outputs (no class labels; not a classifier):")
		for _, o := range outs {
			fmt.Fprintf(stdout, "  %s  %s\n", o.name, shapeString(o.shape))
		}
	} else {
		fmt.Fprintln(stdout, "top classes:")
		tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
		for i, c := range preds[0].Top(top) {
			fmt.Fprintf(tw, "%d\t%s\t%.4f\t\n", i+1, c.Label, c.Probability)
		}
		tw.Flush()
	}
	fmt.Fprintln(stdout)
	names := make([]string, len(rows))
	for i, r := range rows {
		names[i] = r.name
	}
	prefix := commonPrefix(names)
	fmt.Fprintln(stdout, "layers (statistics of each layer's input activations):")
	if prefix != "" {
		fmt.Fprintf(stdout, "(layer names without their common prefix %s)\n", prefix)
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "layer\tkind\tinput\toutput\tMACs\tmean\tzeros\tmin\tmax")
	for _, r := range rows {
		r.name = strings.TrimPrefix(r.name, prefix)
		macs := "-"
		if r.macs >= 0 {
			macs = fmt.Sprint(r.macs)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%.4g\t%.4f\t%.4g\t%.4g\n", r.name, r.kind, shapeString(r.in), shapeString(r.out), macs,
			r.mean, r.zeros, r.lo, r.hi)
	}
	fmt.Fprintf(tw, "total\t\t\t\t%d\n", totalMACs)
	return tw.Flush()
}

type namedShape struct {
	name  string
	shape []int
}

// outputShapes returns the shapes of the graph's outputs for one image.
func outputShapes(m *laconic.Model) []namedShape {
	in := m.Info.Input
	shapes, err := infer.Shapes(m.Graph, []int{1, in.Channels, in.Height, in.Width})
	if err != nil {
		return nil
	}
	var out []namedShape
	for _, o := range m.Graph.Outputs {
		out = append(out, namedShape{o, shapes[o]})
	}
	return out
}

// commonPrefix returns the longest prefix ending in "/" shared by all
// names, when it is long enough (over 16 bytes) to be worth omitting and
// leaves every name non-empty.
func commonPrefix(names []string) string {
	if len(names) < 2 {
		return ""
	}
	p := names[0]
	for _, n := range names[1:] {
		for !strings.HasPrefix(n, p) {
			p = p[:len(p)-1]
		}
	}
	p = p[:strings.LastIndex(p, "/")+1]
	for _, n := range names {
		if n == p {
			return ""
		}
	}
	if len(p) <= 16 {
		return ""
	}
	return p
}

// shapeString formats a shape as 1x3x224x224.
func shapeString(s []int) string {
	if len(s) == 0 {
		return "-"
	}
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = fmt.Sprint(d)
	}
	return strings.Join(parts, "x")
}
