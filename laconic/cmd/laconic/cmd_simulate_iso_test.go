package main

import (
	"strings"
	"testing"
)

func TestSimulateIsoErrors(t *testing.T) {
	for _, c := range []struct{ spec, want string }{
		{"volume:BASE-2K", "kind"},
		{"power:BASE-2K", "area only"},
		{"area:NOPE", "unknown preset"},
	} {
		code, _, errOut := runCLI("simulate", "--model", "mobilenet_v2", "--arch", "LAC-128", "--iso", c.spec)
		if code != 2 || !strings.Contains(errOut, "--iso") || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: exit %d: %s", c.spec, code, errOut)
		}
	}
}
