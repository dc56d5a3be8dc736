package main

import (
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/laconiclab/toolkit/laconic"
	"github.com/laconiclab/toolkit/laconic/internal/atomicfile"
	"github.com/laconiclab/toolkit/laconic/table"
)

// sampleSourceError checks the flags that choose where the samples of
// potentials and simulate come from (--model with images, or --traces):
// "" when they are consistent, else the usage message.
func sampleSourceError(model, traces string, set map[string]bool) string {
	switch {
	case traces != "" && model != "":
		return "give --model or --traces, not both"
	case traces == "" && model == "":
		return "give --model NAME or --traces DIR"
	case traces == "" && set["net"]:
		return "--net needs --traces"
	case traces != "" && (set["image"] || set["images"] || set["batch"]):
		return "--image, --images and --batch apply to --model only"
	case set["image"] && set["images"]:
		return "give --images N or --image FILE..., not both"
	}
	return ""
}

// tableFormat resolves --format and --out: the format named, else the one
// of --out's extension when it has a known one, else CSV. Only CSV goes to
// standard output. The error is a usage message.
func tableFormat(format, out string) (table.Format, error) {
	f := table.CSV
	switch {
	case format != "":
		var err error
		if f, err = table.ParseFormat(format); err != nil {
			return f, fmt.Errorf("--format: %v", err)
		}
	case out != "" && out != "-":
		if g, err := table.FormatFromPath(out); err == nil {
			f = g
		}
	}
	if out == "" && f != table.CSV {
		return f, fmt.Errorf("--format %s needs --out FILE (or --out - for standard output)", f)
	}
	return f, nil
}

// checkOut reports, before any work starts, whether the --out file can be
// written (see atomicfile.CheckWritable); "" and "-" are standard output.
func checkOut(out string) error {
	if out == "" || out == "-" {
		return nil
	}
	if err := atomicfile.CheckWritable(out); err != nil {
		return fmt.Errorf("--out %s: %w", out, err)
	}
	return nil
}

// imagesOrDefault returns the --image files, or without them the first n
// images of the repository's data/images.
func imagesOrDefault(images []string, n int) ([]string, error) {
	if len(images) > 0 {
		return images, nil
	}
	return laconic.DefaultImages(n)
}

// writeTable writes rec to the file out (atomically when it is a regular
// file, in place when it is a special file; see table.Write), or to stdout
// when out is empty or "-".
func writeTable(stdout io.Writer, out string, f table.Format, rec arrow.RecordBatch) error {
	if out != "" && out != "-" {
		return table.Write(out, f, rec)
	}
	return table.WriteTo(stdout, f, rec)
}
