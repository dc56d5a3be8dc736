package area

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
)

//go:embed default.csv
var defaultCSV []byte

// DefaultCSV returns a copy of the embedded default table's CSV text.
func DefaultCSV() []byte { return append([]byte(nil), defaultCSV...) }

// ErrTable is wrapped by every error about a malformed area table.
var ErrTable = errors.New("area: invalid table")

// Row names of the table.
const (
	IntAdd      = "int_add"
	IntMult     = "int_mult"
	SRAMMacro   = "sram_macro"
	RegisterBit = "register_bit"
	Gate        = "gate"
)

// units maps each row name to the unit its per column must name.
var units = map[string]string{
	IntAdd:      "operator",
	IntMult:     "operator",
	SRAMMacro:   "macro",
	RegisterBit: "bit",
	Gate:        "gate",
}

// header is the first line every table starts with.
var header = []string{"name", "size", "area_um2", "per", "source"}

// Entry is one row of the table.
type Entry struct {
	Name    string  `json:"name"`
	Size    int64   `json:"size"`
	AreaUM2 float64 `json:"area_um2"`
	Per     string  `json:"per"`
	Source  string  `json:"source"`
}

// Table is a parsed area table. Use Default, Parse or Load to get one.
type Table struct {
	// Origin names where the table came from ("default" or a file path).
	Origin  string
	Entries []Entry

	add, mult []point // sorted by x (bits; bits^2 for mult)
	sram      []point // x = capacity in bits, e = um2 per bit
	reg, gate float64
}

type point struct{ x, e float64 }

// Default returns the embedded default table.
func Default() *Table {
	t, err := Parse(bytes.NewReader(defaultCSV), "default")
	if err != nil {
		panic("area: embedded default.csv is invalid: " + err.Error())
	}
	return t
}

// Load reads an area table from a CSV file.
func Load(path string) (*Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("area: %w", err)
	}
	defer f.Close()
	return Parse(f, path)
}

// Parse reads an area table in CSV form (see the package documentation);
// origin names the input in error messages, which also name the line and
// the field at fault.
func Parse(r io.Reader, origin string) (*Table, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrTable, origin, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%w: %s: empty file (want the header %s)", ErrTable, origin, strings.Join(header, ","))
	}
	hdr := recs[0]
	badHeader := len(hdr) != len(header)
	for i := 0; !badHeader && i < len(header); i++ {
		badHeader = strings.TrimSpace(strings.TrimPrefix(hdr[i], "\ufeff")) != header[i]
	}
	if badHeader {
		return nil, fmt.Errorf("%w: %s: header %q, want %q (areas in um2)", ErrTable, origin, strings.Join(hdr, ","), strings.Join(header, ","))
	}
	t := &Table{Origin: origin}
	var regs, gates []float64
	for i, rec := range recs[1:] {
		line := i + 2
		bad := func(field, format string, args ...any) error {
			return fmt.Errorf("%w: %s line %d: %s: %s", ErrTable, origin, line, field, fmt.Sprintf(format, args...))
		}
		if len(rec) != len(header) {
			return nil, bad("row", "%d fields, want %d (%s)", len(rec), len(header), strings.Join(header, ","))
		}
		e := Entry{Name: strings.TrimSpace(rec[0]), Per: strings.TrimSpace(rec[3]), Source: strings.TrimSpace(rec[4])}
		unit, known := units[e.Name]
		if !known {
			return nil, bad("name", "unknown component %q (want int_add, int_mult, sram_macro, register_bit or gate)", e.Name)
		}
		if e.Size, err = strconv.ParseInt(strings.TrimSpace(rec[1]), 10, 64); err != nil {
			return nil, bad("size", "%q is not an integer", rec[1])
		}
		if e.AreaUM2, err = strconv.ParseFloat(strings.TrimSpace(rec[2]), 64); err != nil ||
			math.IsNaN(e.AreaUM2) || math.IsInf(e.AreaUM2, 0) || e.AreaUM2 <= 0 {
			return nil, bad("area_um2", "%q must be a finite number > 0 (square micrometres)", rec[2])
		}
		if e.Per != unit {
			return nil, bad("per", "unknown unit %q for %s (want %q)", e.Per, e.Name, unit)
		}
		if e.Source == "" {
			return nil, bad("source", "%s has no source (cite where the number comes from)", e.Name)
		}
		switch e.Name {
		case IntAdd, IntMult:
			if e.Size <= 0 || e.Size > 1024 {
				return nil, bad("size", "%s width %d must be 1..1024 bits", e.Name, e.Size)
			}
			if e.Name == IntAdd {
				t.add = append(t.add, point{float64(e.Size), e.AreaUM2})
			} else {
				t.mult = append(t.mult, point{float64(e.Size) * float64(e.Size), e.AreaUM2})
			}
		case SRAMMacro:
			if e.Size <= 0 {
				return nil, bad("size", "sram_macro capacity %d must be > 0 bits", e.Size)
			}
			t.sram = append(t.sram, point{float64(e.Size), e.AreaUM2 / float64(e.Size)})
		case RegisterBit:
			regs = append(regs, e.AreaUM2)
		case Gate:
			gates = append(gates, e.AreaUM2)
		}
		t.Entries = append(t.Entries, e)
	}
	for _, need := range []struct {
		name string
		n    int
	}{{IntAdd, len(t.add)}, {IntMult, len(t.mult)}, {SRAMMacro, len(t.sram)}, {RegisterBit, len(regs)}, {Gate, len(gates)}} {
		if need.n == 0 {
			return nil, fmt.Errorf("%w: %s: missing component %s (every table needs int_add, int_mult, sram_macro, register_bit and gate rows)", ErrTable, origin, need.name)
		}
	}
	if len(regs) > 1 || len(gates) > 1 {
		return nil, fmt.Errorf("%w: %s: register_bit and gate must appear once each", ErrTable, origin)
	}
	t.reg, t.gate = regs[0], gates[0]
	for _, ps := range []struct {
		name string
		ps   []point
	}{{IntAdd, t.add}, {IntMult, t.mult}, {SRAMMacro, t.sram}} {
		sort.SliceStable(ps.ps, func(i, j int) bool { return ps.ps[i].x < ps.ps[j].x })
		for i := 1; i < len(ps.ps); i++ {
			if ps.ps[i].x == ps.ps[i-1].x {
				return nil, fmt.Errorf("%w: %s: two %s rows of the same size", ErrTable, origin, ps.name)
			}
		}
	}
	return t, nil
}

// interp is piecewise linear through ps (sorted by x), extended linearly
// beyond both ends, proportional through the origin for a single point,
// and never below zero.
func interp(ps []point, x float64) float64 {
	if len(ps) == 1 {
		return ps[0].e * x / ps[0].x
	}
	i := sort.Search(len(ps), func(i int) bool { return ps[i].x >= x })
	switch {
	case i == 0:
		i = 1
	case i == len(ps):
		i = len(ps) - 1
	}
	a, b := ps[i-1], ps[i]
	return math.Max(0, a.e+(b.e-a.e)*(x-a.x)/(b.x-a.x))
}

// Add returns the area in um2 of one integer adder of the given width:
// linear in the width (see the package documentation).
func (t *Table) Add(bits int) float64 { return interp(t.add, float64(bits)) }

// Mult returns the area in um2 of one bits x bits integer multiplier:
// linear in the square of the width.
func (t *Table) Mult(bits int) float64 {
	return interp(t.mult, float64(bits)*float64(bits))
}

// FullAdder returns the area in um2 of one full-adder cell: the smallest
// listed adder's area divided by its width (an n-bit ripple-carry adder
// is n full-adder cells).
func (t *Table) FullAdder() float64 { return t.add[0].e / t.add[0].x }

// SRAMBit returns the area in um2 of one bit of an on-chip buffer of the
// given capacity in bytes: the per-bit area of the largest listed macro
// not larger than the buffer (a buffer is built of banks of that macro),
// or of the smallest macro for buffers smaller than every listed one. A
// capacity of 0 (an unlimited buffer) returns 0: it is not costed.
func (t *Table) SRAMBit(capacityBytes int64) float64 {
	if capacityBytes <= 0 {
		return 0
	}
	bits := float64(capacityBytes) * 8
	i := sort.Search(len(t.sram), func(i int) bool { return t.sram[i].x > bits })
	if i == 0 {
		return t.sram[0].e
	}
	return t.sram[i-1].e
}

// SRAM returns the area in um2 of a buffer of the given capacity in bytes
// (0 = unlimited, not costed).
func (t *Table) SRAM(capacityBytes int64) float64 {
	return float64(capacityBytes) * 8 * t.SRAMBit(capacityBytes)
}

// RegisterBit returns the area in um2 of one flip-flop.
func (t *Table) RegisterBit() float64 { return t.reg }

// Gate returns the area in um2 of one 2-input gate equivalent.
func (t *Table) Gate() float64 { return t.gate }
