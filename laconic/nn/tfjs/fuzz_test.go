package tfjs

import (
	"encoding/json"
	"testing"
	"testing/fstest"
)

func FuzzJSLiteralToJSON(f *testing.F) {
	f.Add([]byte(jsify(tinyLayers(1).json)))
	f.Add([]byte(jsify(tinyGraph(1).json)))
	for _, s := range []string{`{a:.5,b:!0,c:[1,-2e-3,"x\u00e9"],d:void 0}`, `'it\'s'`, `[[[]]]`, `{0:1,}`, `-.5e+3`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		out, err := JSLiteralToJSON(src)
		if err != nil {
			if _, ok := err.(*SyntaxError); !ok {
				t.Fatalf("error of type %T", err)
			}
			return
		}
		if !json.Valid(out) {
			t.Fatalf("output %q is not valid JSON", out)
		}
		// JSON is a subset of the accepted literals: converting again is a no-op.
		again, err := JSLiteralToJSON(out)
		if err != nil || string(again) != string(out) {
			t.Fatalf("not idempotent: %q -> %q (%v)", out, again, err)
		}
	})
}

func FuzzUnwrapJS(f *testing.F) {
	for _, m := range []tinyModel{tinyLayers(1), tinyGraph(1)} {
		fs := m.minFiles()
		f.Add(fs["model.min.js"].Data)
		f.Add(fs["group1-shard1of1.min.js"].Data)
	}
	f.Add([]byte(`exports=`))
	f.Fuzz(func(t *testing.T, src []byte) {
		out, err := UnwrapJS(src)
		if err == nil && !json.Valid(out) {
			t.Fatalf("output %q is not valid JSON", out)
		}
		if s, err := unwrapJSString(src); err == nil && s == nil && len(src) == 0 {
			t.Fatal("empty input accepted")
		}
	})
}

// FuzzLoadFS feeds arbitrary model and shard bytes, as model.json plus a
// binary shard or as the minified JavaScript pair, to the loader: it must
// return a valid graph or an error, never panic.
func FuzzLoadFS(f *testing.F) {
	for _, m := range []tinyModel{tinyLayers(1), tinyGraph(1)} {
		f.Add(m.json, m.shard, false)
		mf := m.minFiles()
		f.Add(mf["model.min.js"].Data, mf["group1-shard1of1.min.js"].Data, true)
		f.Add(m.json, m.shard[:len(m.shard)/2], false)
	}
	f.Fuzz(func(t *testing.T, model, shard []byte, minified bool) {
		fsys := fstest.MapFS{"model.json": {Data: model}, "group1-shard1of1": {Data: shard}}
		if minified {
			fsys = fstest.MapFS{"model.min.js": {Data: model}, "group1-shard1of1.min.js": {Data: shard}}
		}
		g, err := LoadFS(fsys, "fuzz")
		if err == nil {
			if err := g.Validate(); err != nil {
				t.Fatalf("LoadFS returned an invalid graph: %v", err)
			}
		}
		InspectFS(fsys)
	})
}
