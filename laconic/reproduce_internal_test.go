package laconic

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
)

func md(kv ...string) arrow.Metadata {
	var k, v []string
	for i := 0; i < len(kv); i += 2 {
		k, v = append(k, kv[i]), append(v, kv[i+1])
	}
	return arrow.NewMetadata(k, v)
}

func TestMergeMetadata(t *testing.T) {
	cases := []struct {
		name  string
		parts []arrow.Metadata
		want  map[string]string
	}{
		{"models and checksums in order",
			[]arrow.Metadata{
				md("laconic.model", "b", "laconic.model_sha256", "bb", "laconic.quant", "affine8", "laconic.table", "layers"),
				md("laconic.model", "a", "laconic.model_sha256", "aa", "laconic.quant", "affine8", "laconic.table", "layers"),
			},
			map[string]string{"laconic.model": "b,a", "laconic.model_sha256": "bb,aa", "laconic.quant": "affine8", "laconic.table": "t"}},
		{"shared tarball checksum is kept per model",
			[]arrow.Metadata{md("laconic.model", "x", "laconic.model_sha256", "ss"), md("laconic.model", "y", "laconic.model_sha256", "ss")},
			map[string]string{"laconic.model": "x,y", "laconic.model_sha256": "ss,ss"}},
		{"unknown checksum",
			[]arrow.Metadata{md("laconic.model", "x"), md("laconic.model", "y", "laconic.model_sha256", "yy")},
			map[string]string{"laconic.model": "x,y", "laconic.model_sha256": "-,yy"}},
		{"same model in several parts, differing values listed once each",
			[]arrow.Metadata{
				md("laconic.model", "m", "laconic.model_sha256", "mm", "laconic.quant", "fixed16-profiled"),
				md("laconic.model", "m", "laconic.model_sha256", "mm", "laconic.quant", "affine8"),
				md("laconic.model", "m", "laconic.model_sha256", "mm", "laconic.quant", "affine8"),
			},
			map[string]string{"laconic.model": "m", "laconic.model_sha256": "mm", "laconic.quant": "fixed16-profiled; affine8"}},
		{"no model", []arrow.Metadata{md("laconic.encoding", "csd")}, map[string]string{"laconic.encoding": "csd", "laconic.table": "t"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := mergeMetadata("t", c.parts)
			for k, v := range c.want {
				if g, ok := got.GetValue(k); !ok || g != v {
					t.Errorf("%s = %q (%v), want %q", k, g, ok, v)
				}
			}
			keys := got.Keys()
			for i := 1; i < len(keys); i++ {
				if keys[i-1] >= keys[i] {
					t.Errorf("keys not sorted: %q", keys)
				}
			}
			if _, ok := got.GetValue("laconic.model_sha256"); ok != (c.want["laconic.model"] != "") {
				t.Errorf("model_sha256 present = %v", ok)
			}
		})
	}
}

func TestFileSafe(t *testing.T) {
	for in, want := range map[string]string{"mobilenet_v2": "mobilenet_v2", "My Net/v1": "my_net_v1", "a.b-c": "a.b-c"} {
		if got := fileSafe(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}
