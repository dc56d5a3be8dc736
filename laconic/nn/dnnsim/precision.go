package dnnsim

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// LayerPrecision is the fixed-point format of one layer's operands in the
// toolkit's convention: Mag magnitude bits **excluding** the sign bit and
// Frac fraction bits, so a value occupies 1 + Mag + Frac bits. Either field
// may be negative (a profiled layer whose values are all below 0.5 has a
// negative magnitude; one that needs no fractional bits may have a negative
// fraction), but 1 + Mag + Frac must lie in 1..16.
//
// precision.txt counts the sign bit in its magnitude lines: its value m
// becomes Mag = m - 1 here, and Encode writes Mag + 1 back. Fractions are
// the same in both.
type LayerPrecision struct {
	ActMag  int `json:"act_mag"`
	ActFrac int `json:"act_frac"`
	WgtMag  int `json:"wgt_mag"`
	WgtFrac int `json:"wgt_frac"`
}

// DefaultLayerPrecision returns the format DNNsim uses when precision.txt is
// absent: activations 13:2 and weights 0:15 (magnitude without sign :
// fraction), 16 bits each.
func DefaultLayerPrecision() LayerPrecision {
	return LayerPrecision{ActMag: 13, ActFrac: 2, WgtMag: 0, WgtFrac: 15}
}

// ActBits returns the activation width, sign included: 1 + ActMag + ActFrac.
func (p LayerPrecision) ActBits() int { return 1 + p.ActMag + p.ActFrac }

// WgtBits returns the weight width, sign included: 1 + WgtMag + WgtFrac.
func (p LayerPrecision) WgtBits() int { return 1 + p.WgtMag + p.WgtFrac }

// Validate checks that both widths lie in 1..16 bits.
func (p LayerPrecision) Validate() error {
	if b := p.ActBits(); b < 1 || b > 16 {
		return fmt.Errorf("activation format %d:%d is %d bits with the sign, want 1..16", p.ActMag, p.ActFrac, b)
	}
	if b := p.WgtBits(); b < 1 || b > 16 {
		return fmt.Errorf("weight format %d:%d is %d bits with the sign, want 1..16", p.WgtMag, p.WgtFrac, b)
	}
	return nil
}

// Precision is the content of precision.txt: one LayerPrecision per layer,
// in trace_params.csv order.
type Precision struct {
	Layers []LayerPrecision `json:"layers"`
}

// DefaultPrecision returns n layers of DefaultLayerPrecision.
func DefaultPrecision(n int) *Precision {
	p := &Precision{Layers: make([]LayerPrecision, n)}
	for i := range p.Layers {
		p.Layers[i] = DefaultLayerPrecision()
	}
	return p
}

// Validate checks that there is at least one layer and checks every layer.
func (p *Precision) Validate() error {
	if p == nil {
		return errors.New("nil precision")
	}
	if len(p.Layers) == 0 {
		return errors.New("precision has no layers")
	}
	for i, l := range p.Layers {
		if err := l.Validate(); err != nil {
			return fmt.Errorf("layer %d: %w", i, err)
		}
	}
	return nil
}

// precisionLines names the four value lines of precision.txt.
var precisionLines = [4]string{
	"activation magnitude (with sign)", "activation fraction",
	"weight magnitude (with sign)", "weight fraction",
}

// ParsePrecision reads precision.txt: a header line (skipped, whatever it
// says), then four lines of ';'-separated integers with one value per layer:
// activation magnitude including the sign bit, activation fraction, weight
// magnitude including the sign bit, weight fraction. A trailing ';', spaces,
// CRLF and blank lines are tolerated; lines after the fourth are ignored.
//
// Every value is checked, so that a typing error cannot silently change the
// results: the four lines must hold the same number of values, magnitudes
// (sign included) and fractions must be at least 0, and magnitude plus
// fraction at most 16 bits, the container DNNsim's fixed point uses.
// (DNNsim itself accepts negative values, which shift the binary point
// outside the 16-bit word; the toolkit rejects them.) Magnitudes are
// converted to the toolkit's convention (sign excluded, see
// LayerPrecision). Errors give the line number, the layer (counted from 0)
// and the value's position; callers add the file name.
func ParsePrecision(r io.Reader) (*Precision, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	var (
		vals  [4][]int
		lines [4]int
	)
	got, line := 0, 0
	for got < 4 && sc.Scan() {
		line++
		if line == 1 {
			continue // header
		}
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		toks := strings.Split(text, ";")
		if strings.TrimSpace(toks[len(toks)-1]) == "" {
			toks = toks[:len(toks)-1]
		}
		for j, tok := range toks {
			v, err := strconv.Atoi(strings.TrimSpace(tok))
			if err != nil {
				return nil, fmt.Errorf("line %d (%s), value %d: %q is not an integer", line, precisionLines[got], j+1, tok)
			}
			vals[got] = append(vals[got], v)
		}
		lines[got] = line
		got++
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("line %d: longer than %d bytes", line+1, maxLine)
		}
		return nil, err
	}
	if got < 4 {
		return nil, fmt.Errorf("%d value lines after the header, want 4 (%s)", got, strings.Join(precisionLines[:], "; "))
	}
	n := len(vals[0])
	for k := 1; k < 4; k++ {
		if len(vals[k]) != n {
			return nil, fmt.Errorf("line %d (%s) has %d values, but line %d (%s) has %d: want one value per layer on every line",
				lines[k], precisionLines[k], len(vals[k]), lines[0], precisionLines[0], n)
		}
	}
	p := &Precision{Layers: make([]LayerPrecision, n)}
	for i := range n {
		for k := range 4 {
			v := vals[k][i]
			if v < 0 {
				return nil, fmt.Errorf("line %d (%s), layer %d (value %d): %d, want >= 0", lines[k], precisionLines[k], i, i+1, v)
			}
		}
		for k := 0; k < 4; k += 2 {
			if bits := vals[k][i] + vals[k+1][i]; bits < 1 || bits > 16 {
				what := "activation"
				if k == 2 {
					what = "weight"
				}
				return nil, fmt.Errorf("lines %d and %d, layer %d (value %d): %s format %d:%d is %d bits with the sign, want 1..16 (the 16-bit container)",
					lines[k], lines[k+1], i, i+1, what, vals[k][i], vals[k+1][i], bits)
			}
		}
		p.Layers[i] = LayerPrecision{
			ActMag: vals[0][i] - 1, ActFrac: vals[1][i],
			WgtMag: vals[2][i] - 1, WgtFrac: vals[3][i],
		}
	}
	return p, nil
}

// Encode writes p in precision.txt form: a header line, then the four
// value lines, each value followed by ';', magnitudes with the sign bit
// counted (Mag + 1).
//
// precision.txt holds only what ParsePrecision accepts: a layer with a
// fraction below 0 or a magnitude below -1 (0 with the sign bit counted) is
// an error.
func (p *Precision) Encode(w io.Writer) error {
	if err := p.Validate(); err != nil {
		return err
	}
	for i, l := range p.Layers {
		if l.ActMag < -1 || l.ActFrac < 0 || l.WgtMag < -1 || l.WgtFrac < 0 {
			return fmt.Errorf("layer %d: activation %d:%d, weight %d:%d: precision.txt holds no magnitude (sign included) or fraction below 0",
				i, l.ActMag, l.ActFrac, l.WgtMag, l.WgtFrac)
		}
	}
	var b strings.Builder
	b.WriteString(strings.Join(precisionLines[:], ", ") + "\n")
	for line := range 4 {
		for _, l := range p.Layers {
			v := [4]int{l.ActMag + 1, l.ActFrac, l.WgtMag + 1, l.WgtFrac}[line]
			b.WriteString(strconv.Itoa(v) + ";")
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
