package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/laconiclab/toolkit/laconic/arch"
)

func TestArchsCommand(t *testing.T) {
	code, out, errOut := runCLI("archs")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, name := range arch.PresetNames() {
		if !strings.Contains(out, name) {
			t.Errorf("text listing lacks %s", name)
		}
	}
	code, out, _ = runCLI("archs", "--format", "csv")
	if code != 0 || !strings.HasPrefix(out, "name,model,columns,rows,lanes,sync,queue_depth,encoding,zero_cost,precision,fold_first_layer,weight_wires,") ||
		!strings.Contains(out, "\nLAC-128,laconic,16,8,16,tile,0,csd,1,,false,128,1280,2097152,262144,256,BASE-2K,") {
		t.Errorf("csv:\n%s", out)
	}
	code, out, _ = runCLI("archs", "--format", "json")
	var cfgs []arch.Config
	if code != 0 || json.Unmarshal([]byte(out), &cfgs) != nil || len(cfgs) != len(arch.Presets()) {
		t.Errorf("json: exit %d, %d configurations", code, len(cfgs))
	}
	for _, c := range cfgs {
		if err := c.Validate(); err != nil {
			t.Error(err)
		}
	}
	code, out, _ = runCLI("archs", "--models")
	if code != 0 || !strings.Contains(out, "laconic: grid of Laconic PEs") {
		t.Errorf("models:\n%s", out)
	}
	if code, _, _ := runCLI("archs", "--format", "xml"); code != 2 {
		t.Errorf("--format xml: exit %d", code)
	}
	if code, _, _ := runCLI("archs", "x"); code != 2 {
		t.Errorf("argument: exit %d", code)
	}
}
