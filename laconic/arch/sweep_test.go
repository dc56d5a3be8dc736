package arch

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/table"
)

func randomNetwork(seed uint64, n int) []LayerData {
	rng := rand.New(rand.NewPCG(seed, 99))
	kinds := []nn.LayerKind{nn.KindConv, nn.KindDepthwise, nn.KindGrouped, nn.KindDense}
	var out []LayerData
	for i := 0; i < n; i++ {
		l, a, w := randomLayer(rng, kinds[i%len(kinds)], 16)
		l.Name = l.Name + "-" + string(rune('a'+i))
		out = append(out, LayerData{Model: "net", Layer: l, Acts: a, Wgts: w})
	}
	return out
}

func TestSweepDeterministicAndTotals(t *testing.T) {
	layers := randomNetwork(1, 9)
	cfgs := Presets()
	r1, err := Sweep(context.Background(), layers, cfgs, SweepOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	r4, err := Sweep(context.Background(), layers, cfgs, SweepOptions{Workers: 4})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r1, r4) {
		t.Fatal("rows depend on the number of workers")
	}
	if len(r1) != len(cfgs)*len(layers) {
		t.Fatalf("%d rows, want %d", len(r1), len(cfgs)*len(layers))
	}
	// Baseline columns equal the baseline's own rows.
	byKey := map[[2]string]Row{}
	for _, r := range r1 {
		byKey[[2]string{r.Config, r.Layer}] = r
	}
	for _, r := range r1 {
		b := byKey[[2]string{r.Baseline, r.Layer}]
		if r.BaselineCycles != b.Cycles || r.BaselineEnergyPJ != b.EnergyPJ {
			t.Fatalf("%s/%s baseline columns %d/%v, baseline row %d/%v", r.Config, r.Layer, r.BaselineCycles, r.BaselineEnergyPJ, b.Cycles, b.EnergyPJ)
		}
		if r.Config == r.Baseline && (r.Speedup != 1 || r.EnergyEfficiency != 1) {
			t.Fatalf("baseline %s has speedup %v efficiency %v", r.Config, r.Speedup, r.EnergyEfficiency)
		}
	}
	tot := Totals(r1)
	if len(tot) != len(cfgs) {
		t.Fatalf("%d totals, want %d", len(tot), len(cfgs))
	}
	for i, tr := range tot {
		var cyc, bcyc int64
		var e float64
		for _, r := range r1[i*len(layers) : (i+1)*len(layers)] {
			cyc += r.Cycles
			bcyc += r.BaselineCycles
			e += r.EnergyPJ
		}
		if tr.Cycles != cyc || tr.Speedup != float64(bcyc)/float64(cyc) || tr.EnergyPJ != e || tr.Layer != "total" {
			t.Fatalf("total %+v, want cycles %d speedup %v energy %v", tr, cyc, float64(bcyc)/float64(cyc), e)
		}
	}
}

func TestSweepTableBytesStable(t *testing.T) {
	layers := randomNetwork(2, 5)
	cfgs, _ := ParsePresets("LAC-128,BASE-2K,DNNSIM-LAC")
	write := func() []byte {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		defer mem.AssertSize(t, 0)
		rows, err := Sweep(context.Background(), layers, cfgs, SweepOptions{})
		if err != nil {
			t.Fatal(err)
		}
		rec, err := Table(mem, rows, table.Provenance{Model: "net", Config: ConfigsJSON(cfgs)})
		if err != nil {
			t.Fatal(err)
		}
		defer rec.Release()
		var buf bytes.Buffer
		w := ipc.NewWriter(&buf, ipc.WithSchema(rec.Schema()), ipc.WithAllocator(mem))
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	a, b := write(), write()
	if !bytes.Equal(a, b) {
		t.Fatal("two runs wrote different bytes")
	}
}

func TestSweepErrors(t *testing.T) {
	layers := randomNetwork(3, 2)
	c, _ := Preset(PresetLac128)
	c.Baseline = "NOPE"
	if _, err := Sweep(context.Background(), layers, []Config{c}, SweepOptions{}); err == nil || !strings.Contains(err.Error(), "NOPE") {
		t.Fatalf("unknown baseline: %v", err)
	}
	c.Baseline = "mine"
	mine, _ := Preset(PresetBase2K)
	mine.Name = "mine"
	if _, err := Sweep(context.Background(), layers, []Config{c}, SweepOptions{Baselines: []Config{mine}}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Sweep(ctx, layers, Presets(), SweepOptions{}); err == nil {
		t.Fatal("cancelled sweep succeeded")
	}
	bad := layers[0]
	bad.Acts = nil
	if _, err := Sweep(context.Background(), []LayerData{bad}, []Config{mine}, SweepOptions{}); err == nil || !strings.Contains(err.Error(), "model net") {
		t.Fatalf("bad layer: %v", err)
	}
}

func TestGrid(t *testing.T) {
	base, _ := Preset(PresetLac1K)
	g, err := Grid(base, Axis{"sync", []any{"tile", "column"}}, Axis{"memory.weight_wires", []any{128, 1024}})
	if err != nil {
		t.Fatal(err)
	}
	if len(g) != 4 || g[1].Memory.WeightWires != 1024 || g[2].Sync != SyncColumn || g[3].Name != "LAC-1K sync=column memory.weight_wires=1024" {
		t.Fatalf("grid %+v", g)
	}
	for _, bad := range []Axis{{"nonsense", []any{1}}, {"rows", []any{"many"}}, {"rows", []any{0}}, {"memory.nothing", []any{1}}, {"rows", nil}} {
		if _, err := Grid(base, bad); err == nil {
			t.Errorf("axis %+v accepted", bad)
		}
	}
}

func TestParseConfigs(t *testing.T) {
	one, _ := Preset(PresetLac256)
	one.Name = "mine"
	cs, err := ParseConfigs(strings.NewReader(one.JSON()), "one.json")
	if err != nil || len(cs) != 1 || cs[0] != one {
		t.Fatalf("%v %+v", err, cs)
	}
	two := "[" + one.JSON() + "," + strings.Replace(one.JSON(), `"mine"`, `"other"`, 1) + "]"
	if cs, err := ParseConfigs(strings.NewReader(two), "two.json"); err != nil || len(cs) != 2 {
		t.Fatalf("%v %d", err, len(cs))
	}
	for _, bad := range []string{"", "{", "[]", `{"name":"x","lanes":0}`, `{"name":"x","bogus":1}`, one.JSON() + "{}", `{"model":"laconic"}`} {
		if _, err := ParseConfigs(strings.NewReader(bad), "bad.json"); err == nil || !strings.Contains(err.Error(), "bad.json") {
			t.Errorf("%q: %v", bad, err)
		}
	}
	p := filepath.Join(t.TempDir(), "c.json")
	if err := os.WriteFile(p, []byte(one.JSON()), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadConfigs(p); err != nil {
		t.Fatal(err)
	}
}

func FuzzParseConfigs(f *testing.F) {
	for _, p := range Presets() {
		f.Add([]byte(p.JSON()))
	}
	f.Add([]byte(`[{"name":"a","model":"laconic","columns":1,"rows":1,"lanes":1,"sync":"lpe","queue_depth":2,"encoding":"csd","zero_cost":0,"memory":{}}]`))
	f.Add([]byte(`{"name":"x","columns":-5}`))
	rng := rand.New(rand.NewPCG(1, 1))
	l, a, w := randomLayer(rng, nn.KindConv, 16)
	f.Fuzz(func(t *testing.T, data []byte) {
		cs, err := ParseConfigs(bytes.NewReader(data), "fuzz.json")
		if err != nil {
			return
		}
		for _, c := range cs {
			if c.Columns*c.Rows*c.Lanes > 4096 || c.QueueDepth > 64 {
				continue // valid but too slow for a fuzz iteration
			}
			if _, err := Simulate(c, l, a, w); err != nil && !strings.Contains(err.Error(), "wires") {
				t.Fatalf("valid configuration %s failed: %v", c.JSON(), err)
			}
		}
	})
}
