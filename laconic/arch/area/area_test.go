package area

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func TestDefaultPublishedPoints(t *testing.T) {
	d := Default()
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"add 8", d.Add(8), 36},
		{"add 16", d.Add(16), 67},
		{"add 32", d.Add(32), 137},
		{"add 24 linear", d.Add(24), 67 + 70.0/2},
		{"add 4 extrapolated", d.Add(4), 36 - 31.0/2},
		{"mult 8", d.Mult(8), 282},
		{"mult 32", d.Mult(32), 3495},
		{"mult 16 quadratic", d.Mult(16), 282 + 3213*(256-64)/(1024-64.0)},
		{"full adder", d.FullAdder(), 4.5},
		{"sram tiny uses the smallest macro", d.SRAMBit(16), 1240.624 / 2048},
		{"sram 4 KiB", d.SRAMBit(4 << 10), 16406.082 / 32768},
		{"sram 8 KiB uses the 4 KiB macro", d.SRAMBit(8 << 10), 16406.082 / 32768},
		{"sram 2 MiB uses the largest macro", d.SRAMBit(2 << 20), 45478.818 / 79872},
		{"sram unlimited", d.SRAM(0), 0},
		{"register", d.RegisterBit(), 4.522},
		{"gate", d.Gate(), 0.798},
	} {
		if !near(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

const okTable = "name,size,area_um2,per,source\n" +
	"int_add,8,36,operator,x\nint_mult,8,282,operator,x\nsram_macro,2048,1240,macro,x\n" +
	"register_bit,1,4.5,bit,x\ngate,1,0.8,gate,x\n"

func TestParseErrors(t *testing.T) {
	hdr, rows, _ := strings.Cut(okTable, "\n")
	hdr += "\n"
	cases := []struct {
		name, in, want string
	}{
		{"empty", "", "empty file"},
		{"bad header", "a,b\n", "header"},
		{"mm2 header", strings.Replace(okTable, "area_um2", "area_mm2", 1), "header"},
		{"unknown component", okTable + "fp_add,16,1360,operator,x\n", "line 7: name: unknown component"},
		{"unknown unit", strings.Replace(okTable, "36,operator", "36,mm2", 1), "line 2: per: unknown unit"},
		{"negative area", strings.Replace(okTable, "282", "-282", 1), "line 3: area_um2"},
		{"zero area", strings.Replace(okTable, "282", "0", 1), "line 3: area_um2"},
		{"non-numeric area", strings.Replace(okTable, "282", "big", 1), "line 3: area_um2"},
		{"nan area", strings.Replace(okTable, "282", "NaN", 1), "area_um2"},
		{"non-numeric size", strings.Replace(okTable, "int_add,8", "int_add,eight", 1), "line 2: size"},
		{"no source", strings.Replace(okTable, "4.5,bit,x", "4.5,bit,", 1), "source"},
		{"missing sram", strings.Replace(okTable, "sram_macro,2048,1240,macro,x\n", "", 1), "missing component sram_macro"},
		{"missing gate", hdr + strings.Replace(rows, "gate,1,0.8,gate,x\n", "", 1), "missing component gate"},
		{"two registers", okTable + "register_bit,1,5,bit,y\n", "once"},
		{"duplicate adder", okTable + "int_add,8,40,operator,y\n", "same size"},
		{"short row", okTable + "int_add,16\n", "fields"},
		{"zero sram", strings.Replace(okTable, "2048,1240", "0,1240", 1), "capacity"},
		{"bad csv", okTable + "\"unterminated", "test.csv"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(c.in), "test.csv")
			if err == nil || !errors.Is(err, ErrTable) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "test.csv") {
				t.Fatalf("err = %v, want ErrTable mentioning %q and the file", err, c.want)
			}
		})
	}
	if _, err := Parse(strings.NewReader(okTable), "ok.csv"); err != nil {
		t.Fatal(err)
	}
}

func TestLoad(t *testing.T) {
	p := filepath.Join(t.TempDir(), "mine.csv")
	custom := strings.Replace(string(DefaultCSV()), "int_mult,32,3495", "int_mult,32,7000", 1)
	if err := os.WriteFile(p, []byte(custom), 0o644); err != nil {
		t.Fatal(err)
	}
	tab, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if !near(tab.Mult(32), 7000) || tab.Origin != p {
		t.Fatalf("Mult(32) = %v origin %q", tab.Mult(32), tab.Origin)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.csv")); err == nil {
		t.Fatal("missing file accepted")
	}
}

func FuzzParse(f *testing.F) {
	f.Add(DefaultCSV())
	f.Add([]byte(okTable))
	f.Add([]byte(strings.Replace(okTable, "282", "-1", 1)))
	f.Add([]byte("name,size,area_um2,per,source\n\"unterminated"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := Parse(bytes.NewReader(data), "fuzz.csv")
		if err != nil {
			if !errors.Is(err, ErrTable) {
				t.Fatalf("error %v does not wrap ErrTable", err)
			}
			return
		}
		s := DefaultStructure()
		for _, v := range []float64{tab.Add(16), tab.Mult(16), tab.SRAMBit(1 << 16), tab.FullAdder(), tab.RegisterBit(), tab.Gate()} {
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				t.Fatalf("derived area %v from a table that parsed", v)
			}
		}
		for _, build := range []func(*Table, PE) (Breakdown, error){s.BitParallelPE, s.LaconicPE, s.StripesPE, s.PragmaticPE} {
			b, err := build(tab, PE{P: 16, Lanes: 16})
			if err != nil {
				t.Fatal(err)
			}
			if a := b.TotalUM2(); math.IsNaN(a) || a < 0 {
				t.Fatalf("PE area %v", a)
			}
		}
	})
}

// The total is the sum of the components, each the count times the unit.
func TestBreakdownTotalIsSumOfComponents(t *testing.T) {
	d, s := Default(), DefaultStructure()
	for _, pe := range []PE{{16, 16}, {8, 16}, {16, 4}} {
		for name, build := range map[string]func(*Table, PE) (Breakdown, error){
			"bitparallel": s.BitParallelPE, "laconic": s.LaconicPE, "stripes": s.StripesPE, "pragmatic": s.PragmaticPE,
		} {
			b, err := build(d, pe)
			if err != nil {
				t.Fatal(err)
			}
			var sum float64
			for _, c := range b {
				sum += c.Count * c.UnitUM2
			}
			if !near(b.TotalUM2(), sum) || sum <= 0 {
				t.Errorf("%s %+v: total %v, sum of components %v", name, pe, b.TotalUM2(), sum)
			}
			if !near(b.Scale(3).TotalUM2(), 3*sum) {
				t.Errorf("%s: Scale(3) is not 3x", name)
			}
		}
	}
}

// The documented composition of the Laconic PE, recomputed by hand.
func TestLaconicPEComposition(t *testing.T) {
	d, s := Default(), DefaultStructure()
	b, err := s.LaconicPE(d, PE{P: 8, Lanes: 16})
	if err != nil {
		t.Fatal(err)
	}
	want := 16*(d.Add(3)+2*0.798+15*3*1.33*0.798) + // exponent adders, xor, decoders
		15*16*4.5 + // 15 signed histogram counters of 16 inputs
		5*d.Add(22) + // 6-input adder tree at 22 bits (ISCA 2019)
		d.Add(24) + 24*4.522 + // accumulator
		16*2*4*4.522 // two 4-bit terms per lane
	if !near(b.TotalUM2(), want) {
		t.Fatalf("8-bit LPE = %v um2, want %v", b.TotalUM2(), want)
	}
}

// More lanes and wider operands never make a PE smaller.
func TestMonotonic(t *testing.T) {
	d, s := Default(), DefaultStructure()
	for name, build := range map[string]func(*Table, PE) (Breakdown, error){
		"bitparallel": s.BitParallelPE, "laconic": s.LaconicPE, "stripes": s.StripesPE, "pragmatic": s.PragmaticPE,
	} {
		prev := 0.0
		for lanes := 1; lanes <= 64; lanes++ {
			b, _ := build(d, PE{P: 16, Lanes: lanes})
			if a := b.TotalUM2(); a <= prev {
				t.Errorf("%s: %d lanes %v um2 <= %d lanes %v", name, lanes, a, lanes-1, prev)
			} else {
				prev = a
			}
		}
		b8, _ := build(d, PE{P: 8, Lanes: 16})
		b16, _ := build(d, PE{P: 16, Lanes: 16})
		if b8.TotalUM2() >= b16.TotalUM2() {
			t.Errorf("%s: 8-bit PE %v >= 16-bit %v", name, b8.TotalUM2(), b16.TotalUM2())
		}
	}
}

func TestStructureValidate(t *testing.T) {
	if err := DefaultStructure().Validate(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		field string
		edit  func(*Structure)
	}{
		{"xor_gates", func(s *Structure) { s.XORGates = -1 }},
		{"mux_gates", func(s *Structure) { s.MuxGates = math.NaN() }},
		{"accumulator_extra_bits", func(s *Structure) { s.AccumulatorExtraBits = -2 }},
		{"histogram_groups", func(s *Structure) { s.HistogramGroups = 0 }},
		{"group_extra_bits", func(s *Structure) { s.GroupExtraBits = 99 }},
	} {
		s := DefaultStructure()
		c.edit(&s)
		if err := s.Validate(); err == nil || !errors.Is(err, ErrStructure) || !strings.Contains(err.Error(), c.field) {
			t.Errorf("%s: err = %v", c.field, err)
		}
	}
	if _, err := DefaultStructure().LaconicPE(Default(), PE{P: 1, Lanes: 16}); err == nil {
		t.Error("1-bit PE accepted")
	}
	if _, err := DefaultStructure().TacticalPE(Default(), PE{P: 16, Lanes: 16}, 0); err == nil {
		t.Error("0-input mux accepted")
	}
}
