package energy

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"os"
	"sort"
	"strconv"
	"strings"
)

//go:embed default.csv
var defaultCSV []byte

// DefaultCSV returns a copy of the embedded default table's CSV text.
func DefaultCSV() []byte { return append([]byte(nil), defaultCSV...) }

// ErrTable is wrapped by every error about a malformed energy table.
var ErrTable = errors.New("energy: invalid table")

// Row names of the table.
const (
	IntAdd     = "int_add"
	IntMult    = "int_mult"
	SRAMRead   = "sram_read"
	DRAMAccess = "dram_access"
)

// Entry is one row of the table.
type Entry struct {
	Name     string  `json:"name"`
	Size     int64   `json:"size"`
	EnergyPJ float64 `json:"energy_pj"`
	Per      string  `json:"per"`
	Source   string  `json:"source"`
}

// Table is a parsed energy table. Use Default, Parse or Load to get one.
type Table struct {
	// Origin names where the table came from ("default" or a file path).
	Origin  string
	Entries []Entry

	add, mult, sram []point // sorted by size
	dram            float64 // pJ per 64 bits (mean of the rows)
}

type point struct {
	x, e float64
}

// Default returns the embedded default table (Horowitz, ISSCC 2014).
func Default() *Table {
	t, err := Parse(bytes.NewReader(defaultCSV), "default")
	if err != nil {
		panic("energy: embedded default.csv is invalid: " + err.Error())
	}
	return t
}

// Load reads an energy table from a CSV file.
func Load(path string) (*Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("energy: %w", err)
	}
	defer f.Close()
	return Parse(f, path)
}

// Parse reads an energy table in CSV form (see the package documentation);
// origin names the input in error messages.
func Parse(r io.Reader, origin string) (*Table, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrTable, origin, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%w: %s: empty file (want the header name,size,energy_pj,per,source)", ErrTable, origin)
	}
	want := []string{"name", "size", "energy_pj", "per", "source"}
	hdr := recs[0]
	if len(hdr) != len(want) {
		return nil, fmt.Errorf("%w: %s: header %q, want %q", ErrTable, origin, strings.Join(hdr, ","), strings.Join(want, ","))
	}
	for i, h := range want {
		if strings.TrimSpace(strings.TrimPrefix(hdr[i], "\ufeff")) != h {
			return nil, fmt.Errorf("%w: %s: header %q, want %q", ErrTable, origin, strings.Join(hdr, ","), strings.Join(want, ","))
		}
	}
	t := &Table{Origin: origin}
	var dram []float64
	for i, rec := range recs[1:] {
		line := i + 2
		if len(rec) != len(want) {
			return nil, fmt.Errorf("%w: %s line %d: %d fields, want %d", ErrTable, origin, line, len(rec), len(want))
		}
		e := Entry{Name: strings.TrimSpace(rec[0]), Per: strings.TrimSpace(rec[3]), Source: strings.TrimSpace(rec[4])}
		if e.Size, err = strconv.ParseInt(strings.TrimSpace(rec[1]), 10, 64); err != nil {
			return nil, fmt.Errorf("%w: %s line %d: size %q is not an integer", ErrTable, origin, line, rec[1])
		}
		if e.EnergyPJ, err = strconv.ParseFloat(strings.TrimSpace(rec[2]), 64); err != nil ||
			math.IsNaN(e.EnergyPJ) || math.IsInf(e.EnergyPJ, 0) || e.EnergyPJ < 0 {
			return nil, fmt.Errorf("%w: %s line %d: energy_pj %q must be a finite number >= 0", ErrTable, origin, line, rec[2])
		}
		if e.Source == "" {
			return nil, fmt.Errorf("%w: %s line %d: %s has no source (cite where the number comes from)", ErrTable, origin, line, e.Name)
		}
		p := point{x: float64(e.Size), e: e.EnergyPJ}
		switch e.Name {
		case IntAdd:
			if e.Size <= 0 || e.Size > 1024 {
				return nil, fmt.Errorf("%w: %s line %d: int_add size %d must be 1..1024 bits", ErrTable, origin, line, e.Size)
			}
			t.add = append(t.add, p)
		case IntMult:
			if e.Size <= 0 || e.Size > 1024 {
				return nil, fmt.Errorf("%w: %s line %d: int_mult size %d must be 1..1024 bits", ErrTable, origin, line, e.Size)
			}
			p.x = p.x * p.x
			t.mult = append(t.mult, p)
		case SRAMRead:
			if e.Size <= 0 {
				return nil, fmt.Errorf("%w: %s line %d: sram_read size %d must be a capacity in bytes > 0", ErrTable, origin, line, e.Size)
			}
			t.sram = append(t.sram, p)
		case DRAMAccess:
			dram = append(dram, e.EnergyPJ)
		default:
			return nil, fmt.Errorf("%w: %s line %d: unknown name %q (want int_add, int_mult, sram_read or dram_access)", ErrTable, origin, line, e.Name)
		}
		t.Entries = append(t.Entries, e)
	}
	for _, need := range []struct {
		name string
		n    int
	}{{IntAdd, len(t.add)}, {IntMult, len(t.mult)}, {SRAMRead, len(t.sram)}, {DRAMAccess, len(dram)}} {
		if need.n == 0 {
			return nil, fmt.Errorf("%w: %s: no %s row (every table needs int_add, int_mult, sram_read and dram_access)", ErrTable, origin, need.name)
		}
	}
	for _, ps := range [][]point{t.add, t.mult, t.sram} {
		sort.SliceStable(ps, func(i, j int) bool { return ps[i].x < ps[j].x })
		for i := 1; i < len(ps); i++ {
			if ps[i].x == ps[i-1].x {
				return nil, fmt.Errorf("%w: %s: two rows of the same kind with size %v", ErrTable, origin, ps[i].x)
			}
		}
	}
	for _, d := range dram {
		t.dram += d
	}
	t.dram /= float64(len(dram))
	return t, nil
}

// interp is piecewise linear through ps (sorted by x), extended linearly
// beyond both ends, proportional through the origin for a single point, and
// never negative.
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
	e := a.e + (b.e-a.e)*(x-a.x)/(b.x-a.x)
	return math.Max(0, e)
}

// Add returns the energy in pJ of one integer addition of the given width.
func (t *Table) Add(bits int) float64 { return interp(t.add, float64(bits)) }

// Mult returns the energy in pJ of one bits x bits integer multiplication.
func (t *Table) Mult(bits int) float64 { return interp(t.mult, float64(bits)*float64(bits)) }

// SRAMBit returns the energy in pJ of reading (or writing) one bit of a
// buffer of the given capacity in bytes (0 = unlimited).
func (t *Table) SRAMBit(capacity int64) float64 {
	last := t.sram[len(t.sram)-1]
	if capacity <= 0 {
		return last.e / 64
	}
	for _, p := range t.sram {
		if float64(capacity) <= p.x {
			return p.e / 64
		}
	}
	return last.e * math.Sqrt(float64(capacity)/last.x) / 64
}

// DRAMBit returns the energy in pJ of moving one bit to or from DRAM.
func (t *Table) DRAMBit() float64 { return t.dram / 64 }

// Events holds the derived per-event energies in pJ for operands of Bits
// bits and processing elements of Lanes lanes (see the package
// documentation for the formulas).
type Events struct {
	Bits, Lanes int
	MAC         float64 // one bit-parallel multiply-accumulate
	TermPair    float64 // one term pair in a Laconic lane
	LPECycle    float64 // one reduction cycle of a Laconic PE
	SIPCycle    float64 // one cycle of a Stripes serial inner-product unit
	PIPCycle    float64 // one cycle of a Pragmatic PE
}

// Events derives the event energies for P-bit operands and L-lane PEs.
func (t *Table) Events(p, lanes int) Events {
	if p < 1 {
		p = 1
	}
	if lanes < 1 {
		lanes = 1
	}
	lg := func(v int) int { return bits.Len(uint(v - 1)) } // ceil(log2 v)
	acc := t.Add(2*p + 8)
	return Events{
		Bits:     p,
		Lanes:    lanes,
		MAC:      t.Mult(p) + acc,
		TermPair: t.Add(lg(p)+1) + t.Add(6),
		LPECycle: 5*t.Add(2*p+6) + acc,
		SIPCycle: float64(lanes-1)*t.Add(p+lg(lanes)) + acc,
		PIPCycle: float64(lanes)*t.Add(p) + float64(lanes-1)*t.Add(2*p+lg(lanes)) + acc,
	}
}
