package energy

import (
	"bytes"
	"errors"
	"fmt"
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
		name string
		got  float64
		want float64
	}{
		{"add 8", d.Add(8), 0.03},
		{"add 32", d.Add(32), 0.1},
		{"mult 8", d.Mult(8), 0.2},
		{"mult 32", d.Mult(32), 3.1},
		{"sram 8KB", d.SRAMBit(8 << 10), 10.0 / 64},
		{"sram 4KB rounds up to 8KB", d.SRAMBit(4 << 10), 10.0 / 64},
		{"sram 9KB rounds up to 32KB", d.SRAMBit(9 << 10), 20.0 / 64},
		{"sram 1MB", d.SRAMBit(1 << 20), 100.0 / 64},
		{"sram 4MB sqrt scaling", d.SRAMBit(4 << 20), 200.0 / 64},
		{"sram unlimited", d.SRAMBit(0), 100.0 / 64},
		{"dram mean", d.DRAMBit(), 1950.0 / 64},
		{"add 20 linear", d.Add(20), 0.03 + 0.07*12/24},
		{"mult 16 quadratic", d.Mult(16), 0.2 + 2.9*(256-64)/(1024-64)},
	} {
		if !near(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestEventsOrdering(t *testing.T) {
	d := Default()
	e16, e8 := d.Events(16, 16), d.Events(8, 16)
	if !(e16.MAC > e8.MAC && e16.LPECycle > e8.LPECycle) {
		t.Errorf("wider operands must cost more: %+v vs %+v", e16, e8)
	}
	if !(e16.TermPair < e16.MAC) {
		t.Errorf("a term pair (%v) should cost less than a 16b MAC (%v)", e16.TermPair, e16.MAC)
	}
	want := d.Add(5) + d.Add(6)
	if !near(e16.TermPair, want) {
		t.Errorf("TermPair(16) = %v, want %v", e16.TermPair, want)
	}
	if !near(e16.MAC, d.Mult(16)+d.Add(40)) {
		t.Errorf("MAC(16) = %v", e16.MAC)
	}
}

func TestParseErrors(t *testing.T) {
	hdr := "name,size,energy_pj,per,source\n"
	ok := "int_add,8,0.03,op,x\nint_mult,8,0.2,op,x\nsram_read,8192,10,64b,x\ndram_access,0,1300,64b,x\n"
	cases := []struct {
		name, in, want string
	}{
		{"empty", "", "empty file"},
		{"bad header", "a,b\n", "header"},
		{"unknown row", hdr + ok + "fp_add,16,0.4,op,x\n", "unknown name"},
		{"negative energy", hdr + strings.Replace(ok, "0.03", "-1", 1), "energy_pj"},
		{"nan energy", hdr + strings.Replace(ok, "0.03", "NaN", 1), "energy_pj"},
		{"no source", hdr + strings.Replace(ok, "0.03,op,x", "0.03,op,", 1), "no source"},
		{"missing dram", hdr + strings.Replace(ok, "dram_access,0,1300,64b,x\n", "", 1), "no dram_access"},
		{"bad size", hdr + strings.Replace(ok, "int_add,8", "int_add,eight", 1), "size"},
		{"zero sram", hdr + strings.Replace(ok, "8192", "0", 1), "capacity"},
		{"duplicate", hdr + ok + "int_add,8,0.04,op,x\n", "same kind"},
		{"short row", hdr + ok + "int_add,16\n", "fields"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(c.in), "test.csv")
			if err == nil || !errors.Is(err, ErrTable) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "test.csv") {
				t.Fatalf("err = %v, want ErrTable mentioning %q and the file", err, c.want)
			}
		})
	}
	if _, err := Parse(strings.NewReader(hdr+ok), "ok.csv"); err != nil {
		t.Fatal(err)
	}
}

func TestLoad(t *testing.T) {
	p := filepath.Join(t.TempDir(), "mine.csv")
	custom := strings.Replace(string(DefaultCSV()), "int_mult,32,3.1", "int_mult,32,6.2", 1)
	if err := os.WriteFile(p, []byte(custom), 0o644); err != nil {
		t.Fatal(err)
	}
	tab, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if !near(tab.Mult(32), 6.2) || tab.Origin != p {
		t.Fatalf("Mult(32) = %v origin %q", tab.Mult(32), tab.Origin)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.csv")); err == nil {
		t.Fatal("missing file accepted")
	}
}

func FuzzParse(f *testing.F) {
	f.Add(DefaultCSV())
	f.Add([]byte("name,size,energy_pj,per,source\nint_add,8,0.03,op,x\n"))
	f.Add([]byte("name,size,energy_pj,per,source\n\"unterminated"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := Parse(bytes.NewReader(data), "fuzz.csv")
		if err != nil {
			return
		}
		for _, v := range []float64{tab.Add(16), tab.Mult(16), tab.SRAMBit(1 << 16), tab.SRAMBit(0), tab.DRAMBit()} {
			if math.IsNaN(v) || v < 0 {
				t.Fatalf("derived energy %v from a table that parsed", v)
			}
		}
	})
}

func ExampleTable_Events() {
	e := Default().Events(16, 16)
	fmt.Printf("16b MAC %.3f pJ, term pair %.4f pJ, LPE cycle %.3f pJ\n", e.MAC, e.TermPair, e.LPECycle)
	// Output: 16b MAC 0.903 pJ, term pair 0.0454 pJ, LPE cycle 0.711 pJ
}

func ExampleDefault() {
	d := Default()
	fmt.Printf("add32 %.2f pJ, mult32 %.1f pJ, 1MB SRAM %.3f pJ/bit, DRAM %.1f pJ/bit\n",
		d.Add(32), d.Mult(32), d.SRAMBit(1<<20), d.DRAMBit())
	// Output: add32 0.10 pJ, mult32 3.1 pJ, 1MB SRAM 1.562 pJ/bit, DRAM 30.5 pJ/bit
}

func ExampleParse() {
	csv := "name,size,energy_pj,per,source\n" +
		"int_add,16,0.05,operation,my synthesis\n" +
		"int_mult,16,1.0,operation,my synthesis\n" +
		"sram_read,65536,12,64-bit access,my memory compiler\n" +
		"dram_access,0,640,64-bit access,LPDDR4 datasheet\n"
	t, err := Parse(strings.NewReader(csv), "mine.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("add8 %.3f pJ, mult8 %.2f pJ\n", t.Add(8), t.Mult(8))
	// Output: add8 0.025 pJ, mult8 0.25 pJ
}

func ExampleLoad() {
	_, err := Load("no/such/energy.csv")
	fmt.Println(err != nil)
	// Output: true
}
