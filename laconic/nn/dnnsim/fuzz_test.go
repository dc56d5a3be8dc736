package dnnsim

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var paramSeeds = []string{
	fixtureParams,
	"conv1,data,4,3,2,2,1\ndw2,conv1,4,3,3,1,1\n",
	"\ufeff conv1 , 4, 3 ,2,2 ,1 \r\n\r\nfc4,5,1,1,1,0,\r\n",
	"conv1,96,11,11,4\n",
	"conv1,4,3,2,2,1\nconv1,4,3,2,2,1\n",
	"fc6,0,1,1,1,0\n",
	"a/b,1,1,1,1,1\n",
	",,,,,\n",
	"conv1,4,3,2,2,1\ndw2,4,3,3,1,0\n",
	"Linear6,3,1,1,1,0\nlstm5,8,0,0,0,0\n",
}

// FuzzParseTraceParams: accepted input re-encodes to the same layers.
func FuzzParseTraceParams(f *testing.F) {
	for _, s := range paramSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := ParseTraceParams(strings.NewReader(in))
		if err != nil {
			return
		}
		for _, p := range got {
			if err := p.Validate(); err != nil {
				t.Fatalf("accepted an invalid layer: %v", err)
			}
		}
		var buf bytes.Buffer
		if err := EncodeTraceParams(&buf, got); err != nil {
			t.Fatal(err)
		}
		again, err := ParseTraceParams(&buf)
		if err != nil {
			t.Fatal(err)
		}
		for i := range again {
			again[i].Line = got[i].Line
		}
		if !reflect.DeepEqual(again, got) {
			t.Fatalf("re-encoded %+v, want %+v", again, got)
		}
	})
}

// FuzzParsePrecision: accepted input is valid and re-encodes to itself.
func FuzzParsePrecision(f *testing.F) {
	for _, s := range []string{
		readmePrecision,
		validPrecision,
		"h\n0;\n8;\n0;\n9;\n",
		"h\r\n 9 ; 16 \r\n-1;0\r\n2;1\r\n7;15\r\n",
		"h\n\n9;\n\n-1;\n2;\n7;\nignored;line\n",
		"h\n9;9;9\n-1;-1\n2;2;2\n7;7;7\n",
		"h\n9;;9;\n-1;-1;-1;\n2;2;2;\n7;7;7;\n",
		"h\n9;\n9;\n2;\n7;\n",
		"h\n;\n;\n;\n;\n",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		p, err := ParsePrecision(strings.NewReader(in))
		if err != nil {
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("accepted an invalid precision: %v", err)
		}
		var buf bytes.Buffer
		if err := p.Encode(&buf); err != nil {
			t.Fatal(err)
		}
		again, err := ParsePrecision(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(again, p) {
			t.Fatalf("re-encoded %+v, want %+v", again, p)
		}
	})
}

// FuzzOpen opens the fixture traces under a fuzzed trace_params.csv: Open
// either fails or describes layers whose samples all load and match.
func FuzzOpen(f *testing.F) {
	for _, s := range paramSeeds {
		f.Add(s)
	}
	dir, _ := writeFixture(f, nil, 2)
	path := filepath.Join(dir, ModelsDir, "tiny", ParamsFile)
	f.Fuzz(func(t *testing.T, in string) {
		if err := os.WriteFile(path, []byte(in), 0o644); err != nil {
			t.Fatal(err)
		}
		net, err := Open(dir, "tiny")
		if err != nil {
			return
		}
		for i := range net.Layers {
			s, err := net.Sample(i, 0)
			if err != nil {
				t.Fatalf("Open accepted layer %q but Sample fails: %v", net.Layers[i].Name, err)
			}
			if err := s.Layer.CheckTensors(s.Input, s.Weights); err != nil {
				t.Fatal(err)
			}
			if s.Layer != net.Layers[i].Geometry {
				t.Fatalf("sample geometry %+v, Open said %+v", s.Layer, net.Layers[i].Geometry)
			}
		}
	})
}
