package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTracesCommand(t *testing.T) {
	dir := t.TempDir()
	model := writeTinyONNX(t, dir)
	img := writePNG(t, dir)
	out := filepath.Join(dir, "traces")
	code, stdout, stderr := runCLI("traces", "--model", model, "--image", img, "--image", img, "--batch", "2", "--net", "tiny", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, s := range []string{"tiny: ", "2 image(s) in 1 batch file(s)", "laconic potentials --traces " + out + " --net tiny"} {
		if !strings.Contains(stdout, s) {
			t.Errorf("output lacks %q:\n%s", s, stdout)
		}
	}
	if !strings.Contains(stderr, "laconic traces: layer") {
		t.Errorf("no progress on standard error:\n%s", stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "models", "tiny", "trace_params.csv")); err != nil {
		t.Fatal(err)
	}
	// The folder loads as DNNsim traces.
	code, stdout, stderr = runCLI("potentials", "--traces", out, "--preset", "dnnsim", "--table", "totals")
	if code != 0 || !strings.Contains(stdout, "tiny,We+Ae,") {
		t.Fatalf("potentials on the traces: exit %d\n%s\n%s", code, stdout, stderr)
	}
}

func TestTracesErrors(t *testing.T) {
	dir := t.TempDir()
	model := writeTinyONNX(t, dir)
	img := writePNG(t, dir)
	badPrec := filepath.Join(dir, "precision.txt")
	// One layer where the model has two.
	if err := os.WriteFile(badPrec, []byte("header\n16;\n0;\n1;\n14;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--out", out}, 2, "give --model"},
		{[]string{"--model", model}, 2, "give --out"},
		{[]string{"--model", model, "--out", out, "--batch", "-1"}, 2, "--batch -1"},
		{[]string{"--model", model, "--out", out, "--images", "1", "--image", img}, 2, "not both"},
		{[]string{"--model", model, "--out", out, "extra"}, 2, "unexpected arguments"},
		{[]string{"--model", model, "--out", out, "--bogus"}, 2, "bogus"},
		{[]string{"--model", filepath.Join(dir, "none.onnx"), "--out", out, "--image", img}, 1, "none.onnx"},
		{[]string{"--model", model, "--out", out, "--image", filepath.Join(dir, "none.png")}, 1, "none.png"},
		{[]string{"--model", model, "--out", out, "--image", img, "--precision", filepath.Join(dir, "none.txt")}, 1, "none.txt"},
		{[]string{"--model", model, "--out", out, "--image", img, "--precision", badPrec}, 1, "precision.txt: 1 layers"},
	}
	for _, c := range cases {
		code, _, stderr := runCLI(append([]string{"traces"}, c.args...)...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d mentioning %q", c.args, code, stderr, c.code, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "models")); err == nil {
		if _, err := os.Stat(filepath.Join(out, "models", "tiny", "trace_params.csv")); err == nil {
			t.Error("a failed run left trace_params.csv")
		}
	}
}
