package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/laconiclab/toolkit/laconic/arch"
	"github.com/laconiclab/toolkit/laconic/table"
)

func init() {
	register(&command{
		name:    "archs",
		summary: "list accelerator presets with their parameters (and the models with --models)",
		run:     runArchs,
	})
}

// archRow is one preset in the table `laconic archs --format csv` writes.
type archRow struct {
	Name                string `arrow:"name"`
	Model               string `arrow:"model"`
	Columns             int    `arrow:"columns"`
	Rows                int    `arrow:"rows"`
	Lanes               int    `arrow:"lanes"`
	Sync                string `arrow:"sync"`
	QueueDepth          int    `arrow:"queue_depth"`
	Encoding            string `arrow:"encoding"`
	ZeroCost            int    `arrow:"zero_cost"`
	Precision           string `arrow:"precision"`
	FoldFirstLayer      bool   `arrow:"fold_first_layer"`
	WeightWires         int    `arrow:"weight_wires"`
	ActWires            int    `arrow:"act_wires"`
	WeightBufferBytes   int64  `arrow:"weight_buffer_bytes"`
	ActBufferBytes      int64  `arrow:"act_buffer_bytes"`
	OffChipBitsPerCycle int    `arrow:"offchip_bits_per_cycle"`
	Baseline            string `arrow:"baseline"`
	Description         string `arrow:"description"`
	// Area at 16-bit operands with the default area table (arch.AreaOf).
	AreaMM2        float64 `arrow:"area_mm2"`
	AreaComputeMM2 float64 `arrow:"area_compute_mm2"`
	AreaBufferMM2  float64 `arrow:"area_buffer_mm2"`
}

func archRows() []archRow {
	var out []archRow
	for _, c := range arch.Presets() {
		m := c.Memory
		out = append(out, archRow{c.Name, string(c.Model), c.Columns, c.Rows, c.Lanes, string(c.Sync), c.QueueDepth,
			string(c.Encoding), c.ZeroCost, string(c.Precision), c.FoldFirstLayer, m.WeightWires, m.ActWires,
			m.WeightBufferBytes, m.ActBufferBytes, m.OffChipBitsPerCycle, c.Baseline, c.Description, 0, 0, 0})
		if a, err := arch.AreaOf(c, 16, nil, nil); err == nil {
			r := &out[len(out)-1]
			r.AreaMM2, r.AreaComputeMM2, r.AreaBufferMM2 = arch.MM2(a.TotalUM2), arch.MM2(a.ComputeUM2), arch.MM2(a.BufferUM2)
		}
	}
	return out
}

func runArchs(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("archs", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "text", "output: text, csv or json")
	models := fs.Bool("models", false, "list the accelerator models and their parameters instead of the presets")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: laconic archs [--format text|csv|json] [--models]")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Lists the accelerator presets that `laconic simulate --arch` accepts, with every parameter")
		fmt.Fprintln(stderr, "(0 means unlimited for wires, buffers and off-chip bandwidth). The assumptions behind each")
		fmt.Fprintln(stderr, "preset are documented in package laconic/arch (go doc github.com/laconiclab/toolkit/laconic/arch).")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "laconic archs: unexpected arguments %q\n", fs.Args())
		return 2
	}
	switch *format {
	case "text", "csv", "json":
	default:
		fmt.Fprintf(stderr, "laconic archs: --format %q: want text, csv or json\n", *format)
		return 2
	}
	if *models {
		return listModels(stdout, stderr, *format)
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(arch.Presets()); err != nil {
			fmt.Fprintf(stderr, "laconic archs: %v\n", err)
			return 1
		}
	case "csv":
		rec, err := table.FromRows(memory.DefaultAllocator, archRows(), table.Provenance{})
		if err != nil {
			fmt.Fprintf(stderr, "laconic archs: %v\n", err)
			return 1
		}
		defer rec.Release()
		if err := table.WriteTo(stdout, table.CSV, rec); err != nil {
			fmt.Fprintf(stderr, "laconic archs: %v\n", err)
			return 1
		}
	default:
		tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tMODEL\tCOLSxROWSxLANES\tSYNC\tENCODING\tZERO\tFOLD\tW-WIRES\tA-WIRES\tW-BUF\tA-BUF\tOFFCHIP\tBASELINE\tAREA-MM2(COMPUTE+BUF,16b)\tDESCRIPTION")
		for _, r := range archRows() {
			enc := r.Encoding
			if r.Precision != "" {
				enc = r.Precision
			}
			if enc == "" {
				enc = "-"
			}
			sync := r.Sync
			if r.QueueDepth > 0 {
				sync += "/q" + strconv.Itoa(r.QueueDepth)
			}
			fmt.Fprintf(tw, "%s\t%s\t%dx%dx%d\t%s\t%s\t%d\t%v\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Name, r.Model, r.Columns, r.Rows, r.Lanes,
				sync, enc, r.ZeroCost, r.FoldFirstLayer, unlimited(int64(r.WeightWires)), unlimited(int64(r.ActWires)), bytesOr(r.WeightBufferBytes),
				bytesOr(r.ActBufferBytes), unlimited(int64(r.OffChipBitsPerCycle)), r.Baseline,
				fmt.Sprintf("%.3f (%.3f+%.3f)", r.AreaMM2, r.AreaComputeMM2, r.AreaBufferMM2), r.Description)
		}
		tw.Flush()
	}
	return 0
}

func unlimited(v int64) string {
	if v == 0 {
		return "inf"
	}
	return strconv.FormatInt(v, 10)
}

func bytesOr(v int64) string {
	switch {
	case v == 0:
		return "inf"
	case v%(1<<20) == 0:
		return strconv.FormatInt(v>>20, 10) + "MiB"
	case v%(1<<10) == 0:
		return strconv.FormatInt(v>>10, 10) + "KiB"
	}
	return strconv.FormatInt(v, 10) + "B"
}

func listModels(stdout, stderr io.Writer, format string) int {
	ms := arch.Models()
	switch format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(ms); err != nil {
			fmt.Fprintf(stderr, "laconic archs: %v\n", err)
			return 1
		}
	case "csv":
		fmt.Fprintln(stdout, "model,parameters,description")
		for _, m := range ms {
			fmt.Fprintf(stdout, "%s,%q,%q\n", m.Name, strings.Join(m.Parameters, " "), m.Description)
		}
	default:
		for _, m := range ms {
			fmt.Fprintf(stdout, "%s: %s\n    parameters: %s\n", m.Name, m.Description, strings.Join(m.Parameters, ", "))
		}
	}
	return 0
}
