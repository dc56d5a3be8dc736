package tfjs

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkLoad loads the cached nsfwjs models (model literal, base64
// shards, dequantization, layout conversion); MB/s counts the files' bytes.
func BenchmarkLoad(b *testing.B) {
	for _, name := range []string{"mobilenet_v2", "mobilenet_v2_mid", "inception_v3"} {
		b.Run(name, func(b *testing.B) {
			dir := cachedModelDir(b, name)
			var size int64
			files, _ := filepath.Glob(filepath.Join(dir, "*"))
			for _, f := range files {
				if st, err := os.Stat(f); err == nil {
					size += st.Size()
				}
			}
			b.SetBytes(size)
			for b.Loop() {
				if _, err := Load(dir); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkJSLiteralToJSON(b *testing.B) {
	src := []byte(jsify(tinyLayers(1).json))
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := JSLiteralToJSON(src); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkConvKernel(b *testing.B) {
	w := randomWeight(rand.New(rand.NewPCG(1, 1)), 3, 3, 384, 384) // InceptionV3's largest 3x3 kernel
	b.SetBytes(int64(len(w.data) * 4))
	for b.Loop() {
		convKernel(w)
	}
}
