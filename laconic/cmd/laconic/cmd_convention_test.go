package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestExitStatus: usage errors exit 2 in every command that takes them alike.
func TestExitStatus(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"potentials", "--model", "x", "--images", "0"}, 2},
		{[]string{"simulate", "--model", "x", "--arch", "LAC-128", "--images", "0"}, 2},
		{[]string{"nosuch"}, 2},
		{[]string{"help", "nosuch"}, 2},
		{[]string{"help", "archs"}, 0},
		{[]string{"--version"}, 0},
		{nil, 2},
	} {
		if code, _, errOut := runCLI(tc.args...); code != tc.code {
			t.Errorf("%q: exit %d, want %d (%s)", tc.args, code, tc.code, errOut)
		}
	}
}

// TestFullStandardOutput: output lost on a full disk is a failure.
func TestFullStandardOutput(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full")
	}
	defer full.Close()
	for _, args := range [][]string{{"archs"}, {"terms", "--bits", "8"}, {"--version"}} {
		var stderr bytes.Buffer
		if code := run(args, full, &stderr); code != 1 || !strings.Contains(stderr.String(), "no space left on device") {
			t.Errorf("%q to /dev/full: exit %d, stderr %q", args, code, stderr.String())
		}
	}
	if code, _, errOut := runCLI("terms", "--bits", "8", "--out", "/dev/full"); code != 1 || !strings.Contains(errOut, "no space left") {
		t.Errorf("--out /dev/full: exit %d, %s", code, errOut)
	}
}
