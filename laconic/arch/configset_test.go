package arch

import (
	"strings"
	"testing"
)

func TestConfigSet(t *testing.T) {
	base, err := Preset(PresetDNNsimLac)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		set   []string
		check func(Config) bool
	}{
		{[]string{"rows=16"}, func(c Config) bool { return c.Rows == 16 && c.Columns == base.Columns }},
		{[]string{"columns=8", "lanes=8"}, func(c Config) bool { return c.Columns == 8 && c.Lanes == 8 && c.Rows == base.Rows }},
		{[]string{"sync=lpe", "queue_depth=4"}, func(c Config) bool { return c.Sync == SyncLPE && c.QueueDepth == 4 }},
		{[]string{"encoding=csd"}, func(c Config) bool { return string(c.Encoding) == "csd" }},
		{[]string{"fold_first_layer=false"}, func(c Config) bool { return !c.FoldFirstLayer }},
		{[]string{"weight_wires=512"}, func(c Config) bool { return c.Memory.WeightWires == 512 }},
		{[]string{"memory.act_buffer_bytes=65536"}, func(c Config) bool { return c.Memory.ActBufferBytes == 65536 }},
		{[]string{" name = MY-LAC "}, func(c Config) bool { return c.Name == "MY-LAC" }},
		{[]string{"name=1024"}, func(c Config) bool { return c.Name == "1024" }},
		{nil, func(c Config) bool { return c.JSON() == base.JSON() }},
	}
	for _, tc := range cases {
		got, err := base.Set(tc.set...)
		if err != nil {
			t.Errorf("%q: %v", tc.set, err)
			continue
		}
		if !tc.check(got) {
			t.Errorf("%q: got %s", tc.set, got.JSON())
		}
	}
	if again, _ := Preset(PresetDNNsimLac); again.JSON() != base.JSON() {
		t.Error("Set changed the preset")
	}
}

func TestConfigSetErrors(t *testing.T) {
	base, err := Preset(PresetLac128)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ set, want string }{
		{"rows", "want key=value"},
		{"=3", "want key=value"},
		{"bogus=1", `unknown key "bogus"`},
		{"memory=1", `unknown key "memory"`},
		{"memory.bogus=1", `unknown key "memory.bogus"`},
		{"rows=abc", "rows=abc"},
		{"rows=1.5", "rows=1.5"},
		{"rows=0", "rows: 0, want 1..65536 (set rows=0)"},
		{"lanes=-2", "lanes: -2"},
		{"sync=sideways", "sideways"},
		{"weight_wires=-1", "memory.weight_wires: -1"},
	}
	for _, c := range cases {
		_, err := base.Set(c.set)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Set(%q): error %v, want one containing %q", c.set, err, c.want)
		}
	}
}
