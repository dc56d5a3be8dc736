package arch

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestIsoAreaLargestThatFits(t *testing.T) {
	base, _ := Preset(PresetBase2K)
	ba, _ := AreaOf(base, 16, nil, nil)
	for _, dim := range []string{IsoColumns, IsoRows, IsoAuto} {
		is := Iso{Kind: IsoAreaKind, Target: PresetBase2K, Dimension: dim, Bits: 16}
		cfgs, _ := ParsePresets("BASE-2K,LAC-128,STR-2K,PRA-2K")
		if dim != IsoColumns { // one column of LAC-1K is larger than BASE-2K
			lac1k, _ := Preset(PresetLac1K)
			lac1k.Sync, lac1k.QueueDepth, lac1k.Name = SyncLPE, 2, "LAC-1K lpe"
			cfgs = append(cfgs, lac1k)
		}
		out, err := IsoArea(cfgs, is, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if out[0].JSON() != cfgs[0].JSON() {
			t.Errorf("the target itself was resized: %s", out[0].Name)
		}
		for i, c := range out[1:] {
			a, _ := AreaOf(c, 16, nil, nil)
			if a.ComputeUM2 > ba.ComputeUM2 {
				t.Errorf("%s: %v um2 exceeds the target's %v", c.Name, a.ComputeUM2, ba.ComputeUM2)
			}
			grow := is
			n := c.Columns
			if dim == IsoRows || c.Columns == 1 && dim == IsoAuto && cfgs[i+1].Columns != 1 {
				grow.Dimension, n = IsoRows, c.Rows
			} else if dim == IsoAuto {
				grow.Dimension = IsoColumns
			}
			bigger, err := grow.resize(c, n+1)
			if err != nil {
				t.Fatal(err)
			}
			if b, _ := AreaOf(bigger, 16, nil, nil); b.ComputeUM2 <= ba.ComputeUM2 {
				t.Errorf("%s: %s = %d also fits (%v um2): not the largest", c.Name, dim, n+1, b.ComputeUM2)
			}
			if !strings.HasSuffix(c.Name, " iso-area:BASE-2K") || c.Baseline != PresetBase2K {
				t.Errorf("name %q baseline %q", c.Name, c.Baseline)
			}
		}
	}
}

func TestIsoUnreachable(t *testing.T) {
	tiny, _ := Preset(PresetBase2K)
	tiny.Name, tiny.Rows, tiny.Lanes, tiny.Memory.WeightWires = "TINY", 1, 1, 16
	lac, _ := Preset(PresetLac128)
	_, err := IsoArea([]Config{tiny, lac}, Iso{Kind: IsoAreaKind, Target: "TINY", Dimension: IsoColumns, Bits: 16}, nil, nil)
	if err == nil || !errors.Is(err, ErrIso) || !strings.Contains(err.Error(), "LAC-128 cannot match TINY") || !strings.Contains(err.Error(), "columns = 1") {
		t.Fatalf("err = %v", err)
	}
	huge, _ := Preset(PresetDNNsimBase)
	huge.Name, huge.Columns, huge.Rows = "HUGE", 4096, 4096
	huge.Lanes = 1
	str, _ := Preset(PresetStripes)
	str.Columns, str.Rows, str.Lanes = 1, 1, 1
	str.Memory.WeightWires = 16
	_, err = IsoArea([]Config{huge, str}, Iso{Kind: IsoAreaKind, Target: "HUGE", Dimension: IsoColumns, Bits: 16}, nil, nil)
	if err == nil || !errors.Is(err, ErrIso) || !strings.Contains(err.Error(), "the most a configuration allows") {
		t.Fatalf("err = %v", err)
	}
}

func TestParseIso(t *testing.T) {
	is, err := ParseIso("area:BASE-2K")
	if err != nil || is != DefaultIso() {
		t.Fatalf("%+v %v", is, err)
	}
	if is, err := ParseIso("Power:LAC-1K:rows"); err != nil || is.Kind != IsoPowerKind || is.Dimension != IsoRows || is.Target != "LAC-1K" {
		t.Fatalf("%+v %v", is, err)
	}
	for _, bad := range []string{"", "area", "volume:BASE-2K", "area::columns", "area:BASE-2K:lanes", "a:b:c:d"} {
		if _, err := ParseIso(bad); err == nil || !errors.Is(err, ErrIso) {
			t.Errorf("%q: err = %v", bad, err)
		}
	}
	if _, err := IsoArea(nil, Iso{Kind: IsoAreaKind, Target: "NOPE", Dimension: IsoColumns, Bits: 16}, nil, nil); err == nil || !strings.Contains(err.Error(), "unknown preset") {
		t.Errorf("unknown target: %v", err)
	}
}

func TestIsoPower(t *testing.T) {
	layers := randomNetwork(5, 4)
	// A design sized to the power of a smaller copy of itself: reachable.
	small, _ := Preset(PresetLac128)
	small.Name, small.Columns = "LAC-small", 2
	cfgs, _ := ParsePresets("LAC-128")
	is := Iso{Kind: IsoPowerKind, Target: "LAC-small", Dimension: IsoColumns, Bits: 16}
	out, err := IsoPower(context.Background(), layers, append(cfgs, small), is, SweepOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if out[0].Columns < 2 {
		t.Errorf("sized to %d columns, but 2 columns match exactly", out[0].Columns)
	}
	power := func(c Config) float64 {
		c.Baseline = ""
		rows, err := Sweep(context.Background(), layers, []Config{c}, SweepOptions{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		tot := Totals(rows)[0]
		return tot.EnergyPJ / float64(tot.Cycles)
	}
	pb := power(small)
	for _, c := range out {
		if p := power(c); p > pb {
			t.Errorf("%s: power %v exceeds the target's %v", c.Name, p, pb)
		}
	}
	if _, err := IsoPower(context.Background(), nil, cfgs, is, SweepOptions{}); err == nil {
		t.Error("no layers accepted")
	}
	// Idle PEs cost no energy, so a Laconic tile cannot draw BASE-2K's
	// power on small layers however large it grows: a clear error.
	is.Target = PresetBase2K
	if _, err := IsoPower(context.Background(), layers, cfgs, is, SweepOptions{Workers: 1}); err == nil || !errors.Is(err, ErrIso) {
		t.Errorf("unreachable power: %v", err)
	}
}

func ExampleIsoArea() {
	cfgs, _ := ParsePresets("LAC-128,STR-2K")
	is, _ := ParseIso("area:BASE-2K")
	out, err := IsoArea(cfgs, is, nil, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range out {
		fmt.Printf("%s: %d x %d x %d\n", c.Name, c.Columns, c.Rows, c.Lanes)
	}
	// Output:
	// LAC-128 iso-area:BASE-2K: 3 x 8 x 16
	// STR-2K iso-area:BASE-2K: 6 x 8 x 16
}

func ExampleParseIso() {
	is, err := ParseIso("power:BASE-2K:rows")
	fmt.Println(is, err)
	_, err = ParseIso("volume:BASE-2K")
	fmt.Println(err)
	// Output:
	// power:BASE-2K:rows <nil>
	// arch: iso: kind "volume", want area or power (in "volume:BASE-2K")
}
