package chart

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"

	"github.com/laconiclab/toolkit/laconic/internal/atomicfile"
)

// RsvgEnv names the environment variable that gives the rsvg-convert
// executable for PNG and PDF export; when unset, "rsvg-convert" is looked up
// on PATH.
const RsvgEnv = "LACONIC_RSVG_CONVERT"

// ErrNoRsvg is returned (wrapped) when PNG or PDF export cannot find
// rsvg-convert.
var ErrNoRsvg = errors.New("rsvg-convert not found")

func rsvgPath() (string, error) {
	return lookTool("rsvg-convert", RsvgEnv, ErrNoRsvg, "PNG and PDF export convert the SVG with librsvg; install it (Debian: apt-get install librsvg2-bin, or make setup-charts)")
}

// ConvertSVG converts an SVG document to "png" or "pdf" with rsvg-convert
// (Debian package librsvg2-bin). For PNG, scale multiplies the SVG's pixel
// size (2 gives a sharp image on high-density screens); PDF keeps the SVG's
// own size and ignores scale. It fails with an error wrapping ErrNoRsvg when
// the tool is missing.
func ConvertSVG(svg []byte, format string, scale float64) ([]byte, error) {
	if format != "png" && format != "pdf" {
		return nil, fmt.Errorf("chart: ConvertSVG format %q: want png or pdf", format)
	}
	if !(scale > 0 && scale <= 16) {
		return nil, fmt.Errorf("chart: ConvertSVG scale %v: want a factor in (0, 16]", scale)
	}
	if !bytes.HasPrefix(bytes.TrimSpace(svg), []byte("<svg")) && !bytes.HasPrefix(bytes.TrimSpace(svg), []byte("<?xml")) {
		return nil, fmt.Errorf("chart: ConvertSVG: the input is not an SVG document (%d bytes)", len(svg))
	}
	rsvg, err := rsvgPath()
	if err != nil {
		return nil, err
	}
	args := []string{"-f", format}
	if format == "png" {
		args = append(args, "-z", strconv.FormatFloat(scale, 'g', -1, 64))
	}
	out, _, err := runTool(rsvg, args, bytes.NewReader(svg))
	if err != nil {
		return nil, fmt.Errorf("chart: %s conversion with %s failed: %w", format, rsvg, err)
	}
	return out, nil
}

// PNG renders the chart with SVG and converts it to a PNG image at the given
// scale (see ConvertSVG).
func PNG(c *Chart, width, height int, scale float64) ([]byte, error) {
	svg, err := SVG(c, width, height)
	if err != nil {
		return nil, err
	}
	png, err := ConvertSVG(svg, "png", scale)
	if err != nil {
		return nil, fmt.Errorf("chart %s: %w", c.id, err)
	}
	return png, nil
}

// SavePNG writes PNG(c, width, height, scale) to path atomically.
func SavePNG(c *Chart, path string, width, height int, scale float64) error {
	png, err := PNG(c, width, height, scale)
	if err != nil {
		return err
	}
	return atomicfile.WriteBytes(path, png)
}

// SavePDF renders the chart with SVG, converts it to PDF and writes it to
// path atomically.
func SavePDF(c *Chart, path string, width, height int) error {
	svg, err := SVG(c, width, height)
	if err != nil {
		return err
	}
	pdf, err := ConvertSVG(svg, "pdf", 1)
	if err != nil {
		return fmt.Errorf("chart %s: %w", c.id, err)
	}
	return atomicfile.WriteBytes(path, pdf)
}
