package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/laconiclab/toolkit/laconic"
	"github.com/laconiclab/toolkit/laconic/zoo"
)

func init() {
	register(&command{
		name:    "reproduce",
		summary: "regenerate every table (data/results) and figure (plots) of the papers' reproduction",
		run:     runReproduce,
	})
}

func reproduceUsage(fs *flag.FlagSet, w io.Writer) func() {
	return func() {
		fmt.Fprintln(w, "usage: laconic reproduce [--models a,b] [--images N] [--results DIR] [--plots DIR] [--no-svg] [--no-html]")
		fmt.Fprintln(w, "                         [--presets P,...] [--wires W,...] [--workers N] [--progress]")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Runs every zoo model (or --models) on the first N images of data/images and writes every table")
		fmt.Fprintln(w, "as Parquet and CSV into --results (default data/results of the repository) and every figure as")
		fmt.Fprintln(w, "SVG and HTML into --plots (default plots), each directory with a generated README.md: potential")
		fmt.Fprintln(w, "work at 16 and 8 bits and under DNNsim's conventions, the code characterisation, simulated cycles")
		fmt.Fprintln(w, "and energy of the presets, the weight-wire and synchronisation sweeps. The same inputs give")
		fmt.Fprintln(w, "byte-identical tables and SVG files. Progress goes to standard error (a bar on a terminal), the")
		fmt.Fprintln(w, "summary of steps, files and times and the headline numbers to standard output. Tables and")
		fmt.Fprintln(w, "figures already in those directories that the run does not rewrite are listed, never deleted.")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Needs the models in the cache (`make models`), the images (`make images`) and, for figures,")
		fmt.Fprintln(w, "Node.js and echarts (`make setup-charts`); `make reproduce` does all of it.")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "models: "+strings.Join(zoo.Names(), ", "))
		fs.PrintDefaults()
	}
}

func runReproduce(args []string, stdout, stderr io.Writer) int {
	def := laconic.DefaultReproduceOptions()
	fs := flag.NewFlagSet("reproduce", flag.ContinueOnError)
	fs.SetOutput(stderr)
	models := fs.String("models", "", "comma-separated zoo models or model files (default: every zoo model)")
	images := fs.Int("images", def.Images, "images per model: the first N of the repository's data/images ($LACONIC_IMAGES)")
	results := fs.String("results", "", "directory of the tables (default: data/results of the repository)")
	plots := fs.String("plots", "", "directory of the figures (default: plots of the repository)")
	noSVG := fs.Bool("no-svg", false, "do not write SVG figures (no Node.js needed)")
	noHTML := fs.Bool("no-html", false, "do not write HTML figures")
	presets := fs.String("presets", strings.Join(def.Presets, ","), "accelerator presets of the simulation tables")
	wires := fs.String("wires", joinInts(def.SweepWires), "weight-interface widths of the wire sweep (multiples of 16)")
	workers := fs.Int("workers", 0, "simulation goroutines and parallel figure renderings (0: all cores)")
	progress := fs.Bool("progress", false, "show a progress bar even when standard error is not a terminal")
	fs.Usage = reproduceUsage(fs, stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "laconic reproduce: "+format+"\n", a...)
		fmt.Fprintln(stderr, `Run "laconic reproduce -h" for the flags.`)
		return 2
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected arguments %q", fs.Args())
	}
	if *images < 1 {
		return usageErr("--images %d: want at least 1", *images)
	}
	opts := def
	opts.Images, opts.ResultsDir, opts.PlotsDir = *images, *results, *plots
	opts.NoSVG, opts.NoHTML, opts.Workers = *noSVG, *noHTML, *workers
	if *models != "" {
		opts.Models = splitList(*models)
	}
	opts.Presets = splitList(*presets)
	opts.SweepWires = nil
	for _, w := range splitList(*wires) {
		n, err := strconv.Atoi(w)
		if err != nil {
			return usageErr("--wires: %q is not a number", w)
		}
		opts.SweepWires = append(opts.SweepWires, n)
	}
	if err := opts.Validate(); err != nil {
		return usageErr("%v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var bar *progressbar.ProgressBar
	lines := laconic.ProgressLines(stderr)
	useBar := *progress || isTerminal(stderr)
	opts.Progress = func(p laconic.ReproduceProgress) {
		if !useBar {
			lines(p)
			return
		}
		if bar == nil {
			bar = progressbar.NewOptions(p.Steps, progressbar.OptionSetWriter(stderr), progressbar.OptionShowCount(),
				progressbar.OptionSetPredictTime(false), progressbar.OptionShowElapsedTimeOnFinish(),
				progressbar.OptionClearOnFinish(), progressbar.OptionThrottle(100*time.Millisecond))
		}
		desc := p.Step
		if p.Detail != "" {
			desc += ": " + p.Detail
		}
		bar.Describe(desc)
		done := p.Index - 1
		if p.Done {
			done = p.Index
		}
		bar.Set(done)
	}
	rep, err := laconic.Reproduce(ctx, opts)
	if bar != nil {
		bar.Finish()
	}
	if err != nil {
		fmt.Fprintf(stderr, "laconic reproduce: %v\n", err)
		return 1
	}
	printReproduceSummary(stdout, rep)
	return 0
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ",")
}

// printReproduceSummary writes the table of steps (what each wrote, how
// long it took), the total time and the headline numbers.
func printReproduceSummary(w io.Writer, rep *laconic.ReproduceReport) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "step\ttime\twrote")
	for _, s := range rep.Steps {
		fmt.Fprintf(tw, "%s\t%.1f s\t%s\n", s.Name, s.Elapsed.Seconds(), describeFiles(s, rep))
	}
	fmt.Fprintf(tw, "total\t%.1f s\t%d files\n", rep.Elapsed.Seconds(), len(rep.Files()))
	tw.Flush()
	fmt.Fprintf(w, "\ntables in %s, figures in %s (%d network(s), %d image(s) each)\n\n", rep.ResultsDir, rep.PlotsDir, len(rep.Models), len(rep.Images))
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "network\tpotential 16b\t8b\tDNNsim\tLAC-128 speedup\tenergy eff.\tLAC-1K speedup\tenergy eff.\t")
	for _, h := range rep.Headlines {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", h.Model, ratio(h.Potential16), ratio(h.Potential8), ratio(h.PotentialDNNsim),
			ratio(h.Lac128Speedup), ratio(h.Lac128EnergyEfficiency), ratio(h.Lac1KSpeedup), ratio(h.Lac1KEnergyEfficiency))
	}
	tw.Flush()
	if len(rep.Headlines) > 0 && rep.Headlines[0].Baseline != "" {
		fmt.Fprintf(w, "(potentials: Laconic We+Ae, network totals; simulation: over %s; from headline.csv)\n", rep.Headlines[0].Baseline)
	}
	if old := staleFiles(rep); len(old) > 0 {
		fmt.Fprintf(w, "\nnote: %d table or figure file(s) in these directories were not written by this run (an earlier run with other --models or flags?); they are left as they were, delete them if they are stale:\n", len(old))
		const most = 10
		for i, f := range old {
			if i == most {
				fmt.Fprintf(w, "  ... and %d more\n", len(old)-most)
				break
			}
			fmt.Fprintf(w, "  %s\n", f)
		}
	}
}

// staleFiles lists the tables and figures (.parquet, .csv, .arrow, .svg,
// .html) in the run's results and plots directories that the run did not
// write, sorted. Nothing is deleted: the directories may hold the user's
// own files.
func staleFiles(rep *laconic.ReproduceReport) []string {
	wrote := map[string]bool{}
	for _, f := range rep.Files() {
		if abs, err := filepath.Abs(f); err == nil {
			wrote[abs] = true
		}
	}
	kinds := map[string]bool{".parquet": true, ".csv": true, ".arrow": true, ".svg": true, ".html": true}
	var out []string
	seen := map[string]bool{}
	for _, dir := range []string{rep.ResultsDir, rep.PlotsDir} {
		if dir == "" {
			continue
		}
		abs, err := filepath.Abs(dir)
		if err != nil || seen[abs] {
			continue
		}
		seen[abs] = true
		entries, err := os.ReadDir(abs)
		if err != nil {
			continue
		}
		for _, e := range entries {
			p := filepath.Join(abs, e.Name())
			if e.Type().IsRegular() && kinds[filepath.Ext(e.Name())] && !wrote[p] {
				out = append(out, filepath.Join(dir, e.Name()))
			}
		}
	}
	sort.Strings(out)
	return out
}

func ratio(v float64) string {
	if v != v {
		return "n/a"
	}
	return strconv.FormatFloat(v, 'f', 2, 64) + "x"
}

// describeFiles lists a step's files by name, grouping the extensions of
// one stem: "potentials-16b.{parquet,csv}, ...". Long lists are cut.
func describeFiles(s laconic.StepReport, rep *laconic.ReproduceReport) string {
	if len(s.Files) == 0 {
		return "-"
	}
	var stems []string
	exts := map[string][]string{}
	for _, f := range s.Files {
		ext := filepath.Ext(f)
		stem := strings.TrimSuffix(f, ext)
		if _, ok := exts[stem]; !ok {
			stems = append(stems, stem)
		}
		exts[stem] = append(exts[stem], strings.TrimPrefix(ext, "."))
	}
	// Name files by their base name, or with their directory when two
	// directories hold the same name (README.md).
	count := map[string]int{}
	for _, st := range stems {
		count[filepath.Base(st)]++
	}
	label := func(st string) string {
		if count[filepath.Base(st)] > 1 {
			return filepath.Join(filepath.Base(filepath.Dir(st)), filepath.Base(st))
		}
		return filepath.Base(st)
	}
	var parts []string
	for _, st := range stems {
		e := exts[st]
		if len(e) == 1 {
			parts = append(parts, label(st)+"."+e[0])
		} else {
			parts = append(parts, label(st)+".{"+strings.Join(e, ",")+"}")
		}
	}
	const maxShown = 4
	if len(parts) > maxShown {
		return fmt.Sprintf("%s, ... (%d files)", strings.Join(parts[:maxShown], ", "), len(s.Files))
	}
	return strings.Join(parts, ", ")
}
