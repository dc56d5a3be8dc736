package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/laconiclab/toolkit/laconic/table"
	"github.com/laconiclab/toolkit/laconic/zoo"
)

func TestSimulateTracesCSV(t *testing.T) {
	dir := t.TempDir()
	traceFolder(t, dir, "tiny")
	code, out, errOut := runCLI("simulate", "--traces", dir, "--arch", "DNNSIM-LAC,LAC-128")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1+2*3 {
		t.Fatalf("%d lines:\n%s", len(lines), out)
	}
	for _, col := range []string{"model", "layer", "arch", "config", "cycles", "baseline_cycles", "speedup", "energy_pj",
		"baseline_energy_pj", "energy_efficiency", "macs"} {
		if !strings.Contains(","+lines[0]+",", ","+col+",") {
			t.Errorf("header lacks %q: %s", col, lines[0])
		}
	}
	if !strings.Contains(out, "tiny,conv1,conv,laconic,DNNSIM-LAC,DNNSIM-BASE,") {
		t.Errorf("rows:\n%s", out)
	}
	if !strings.Contains(errOut, "more energy efficient than BASE-2K") || !strings.Contains(errOut, "3 layers") {
		t.Errorf("summary:\n%s", errOut)
	}
}

func TestSimulateFilesAndTotals(t *testing.T) {
	dir := t.TempDir()
	traceFolder(t, dir, "tiny")
	outDir := t.TempDir()
	for _, f := range []string{"parquet", "arrow", "csv"} {
		p := filepath.Join(outDir, "sim."+f)
		code, _, errOut := runCLI("simulate", "--traces", dir, "--arch", "LAC-1K", "--arch", "BASE-2K", "--totals", "--out", p)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", f, code, errOut)
		}
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		rec, err := table.Read(p, mem)
		if err != nil {
			t.Fatal(err)
		}
		if rec.NumRows() != 2 {
			t.Errorf("%s: %d rows, want 2 totals", f, rec.NumRows())
		}
		rec.Release()
		mem.AssertSize(t, 0)
	}
	// Same bytes every run.
	a, b := filepath.Join(outDir, "a.parquet"), filepath.Join(outDir, "b.parquet")
	for _, p := range []string{a, b} {
		if code, _, errOut := runCLI("simulate", "--traces", dir, "--arch", "LAC-128,STR-2K,PRA-2K", "--out", p); code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
	}
	da, _ := os.ReadFile(a)
	db, _ := os.ReadFile(b)
	if !bytes.Equal(da, db) {
		t.Error("two runs wrote different bytes")
	}
}

func TestSimulateUsageErrors(t *testing.T) {
	dir := t.TempDir()
	traceFolder(t, dir, "tiny")
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"name":"x","model":"laconic","lanes":0}`), 0o644)
	badEnergy := filepath.Join(t.TempDir(), "e.csv")
	os.WriteFile(badEnergy, []byte("name,size\n"), 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"simulate", "--arch", "LAC-128"}, "give --model NAME or --traces DIR"},
		{[]string{"simulate", "--traces", dir}, "give --arch"},
		{[]string{"simulate", "--traces", dir, "--model", "x", "--arch", "LAC-128"}, "not both"},
		{[]string{"simulate", "--traces", dir, "--arch", "TPU"}, "unknown preset"},
		{[]string{"simulate", "--traces", dir, "--arch", bad}, "bad.json"},
		{[]string{"simulate", "--traces", dir, "--arch", "LAC-128", "--quant", "fp8"}, "--quant"},
		{[]string{"simulate", "--traces", dir, "--arch", "LAC-128", "--format", "parquet"}, "needs --out"},
		{[]string{"simulate", "--traces", dir, "--arch", "LAC-128", "--energy", badEnergy}, "--energy"},
		{[]string{"simulate", "--traces", dir, "--arch", "LAC-128", "--images", "2"}, "apply to --model only"},
		{[]string{"simulate", "--traces", dir, "--arch", "LAC-128", "extra"}, "unexpected"},
		{[]string{"simulate", "--bogus"}, "flag provided but not defined"},
	} {
		code, _, errOut := runCLI(c.args...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%q: exit %d, stderr %q, want 2 and %q", c.args, code, errOut, c.want)
		}
	}
	code, _, errOut := runCLI("simulate", "--traces", t.TempDir(), "--arch", "LAC-128")
	if code != 1 || errOut == "" {
		t.Errorf("empty trace folder: exit %d %q", code, errOut)
	}
	if code, _, _ := runCLI("simulate", "-h"); code != 0 {
		t.Errorf("-h: exit %d", code)
	}
}

func TestSimulateONNXModel(t *testing.T) {
	dir := t.TempDir()
	model := writeTinyONNX(t, dir)
	img := writePNG(t, dir)
	cfg := filepath.Join(dir, "mine.json")
	os.WriteFile(cfg, []byte(`{"name":"mine","model":"laconic","columns":2,"rows":2,"lanes":4,"sync":"lpe","queue_depth":2,"encoding":"booth4","zero_cost":0,"memory":{"weight_wires":10},"baseline":"BASE-2K"}`), 0o644)
	code, out, errOut := runCLI("simulate", "--model", model, "--image", img, "--arch", cfg, "--quant", "affine8")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, ",mine,BASE-2K,2,2,4,lpe,2,booth4,0,") {
		t.Errorf("rows:\n%s", out)
	}
}

func TestSimulateZooModel(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a real network")
	}
	if ok, err := zoo.Cached("mobilenet_v2"); err != nil || !ok {
		t.Skip("mobilenet_v2 is not cached (make models)")
	}
	code, out, errOut := runCLI("simulate", "--model", "mobilenet_v2", "--images", "1", "--arch", "LAC-1K,DNNSIM-LAC", "--totals")
	if code != 0 {
		if strings.Contains(errOut, "images") {
			t.Skip(errOut)
		}
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.Count(out, "\n") != 3 || !strings.Contains(out, "mobilenet_v2,total,") {
		t.Errorf("totals:\n%s", out)
	}
	t.Log(errOut)
}

// --set changes every listed configuration; a baseline that is listed too
// changes with it, and one that is not is reported as kept.
func TestSimulateSet(t *testing.T) {
	dir := t.TempDir()
	traceFolder(t, dir, "tiny")
	code, out, errOut := runCLI("simulate", "--traces", dir, "--arch", "DNNSIM-LAC,DNNSIM-BASE", "--set", "columns=4,rows=2", "--set", "lanes=8", "--totals")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, s := range []string{"tiny,total,,laconic,DNNSIM-LAC,DNNSIM-BASE,4,2,8,", "tiny,total,,bitparallel,DNNSIM-BASE,DNNSIM-BASE,4,2,8,"} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q:\n%s", s, out)
		}
	}
	if strings.Contains(errOut, "note:") {
		t.Errorf("note although the baseline is listed:\n%s", errOut)
	}
	// The baseline is the changed DNNSIM-BASE: the Laconic row's baseline
	// cycles are the bit-parallel row's cycles.
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(recs) != 3 {
		t.Fatalf("%d records (%v):\n%s", len(recs), err, out)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	if lac, base := recs[1], recs[2]; lac[col["baseline_cycles"]] != base[col["cycles"]] || base[col["rows"]] != "2" {
		t.Errorf("DNNSIM-LAC baseline cycles %s, DNNSIM-BASE cycles %s (rows %s)", lac[col["baseline_cycles"]], base[col["cycles"]], base[col["rows"]])
	}
	// Without DNNSIM-BASE in --arch the preset stays, and a note says so.
	code, _, errOut = runCLI("simulate", "--traces", dir, "--arch", "DNNSIM-LAC", "--set", "rows=2", "--totals")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "note: --set changes the --arch configurations only; DNNSIM-LAC is compared with the preset DNNSIM-BASE as it is") {
		t.Errorf("no note about the unchanged baseline:\n%s", errOut)
	}
	for _, bad := range [][]string{{"--set", "rows=0"}, {"--set", "bogus=1"}, {"--set", "rows"}} {
		code, _, errOut := runCLI(append([]string{"simulate", "--traces", dir, "--arch", "LAC-128"}, bad...)...)
		if code != 2 || !strings.Contains(errOut, "--set: ") {
			t.Errorf("%v: exit %d, %s", bad, code, errOut)
		}
	}
}
