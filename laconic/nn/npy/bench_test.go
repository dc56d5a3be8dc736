package npy

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/laconiclab/toolkit/laconic/nn"
)

var benchSizes = []int{1 << 10, 1 << 16, 1 << 20} // elements: 4 KiB, 256 KiB, 4 MiB

func benchTensor(n int) *nn.Tensor {
	rng := rand.New(rand.NewPCG(9, 9))
	t := nn.NewTensor(n)
	for i := range t.Data {
		t.Data[i] = rng.Float32()
	}
	return t
}

// BenchmarkRead reads float32 files from disk (the page cache).
func BenchmarkRead(b *testing.B) {
	dir := b.TempDir()
	for _, n := range benchSizes {
		path := filepath.Join(dir, fmt.Sprint(n)+".npy")
		if err := Write(path, benchTensor(n)); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("f4/n=%d", n), func(b *testing.B) {
			b.SetBytes(int64(4 * n))
			for b.Loop() {
				if _, err := Read(path); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDecodeData compares the float32 fast path with npyio's decoder
// on the same bytes.
func BenchmarkDecodeData(b *testing.B) {
	for _, n := range benchSizes {
		var buf bytes.Buffer
		encode(&buf, benchTensor(n))
		data := buf.Bytes()[128:]
		b.Run(fmt.Sprintf("fast/n=%d", n), func(b *testing.B) {
			b.SetBytes(int64(4 * n))
			for b.Loop() {
				decodeF4LE(bytes.NewReader(data), n)
			}
		})
		b.Run(fmt.Sprintf("npyio/n=%d", n), func(b *testing.B) {
			b.SetBytes(int64(4 * n))
			for b.Loop() {
				decodeNpyio(bytes.NewReader(data), "<f4", n)
			}
		})
	}
}

func BenchmarkWrite(b *testing.B) {
	dir := b.TempDir()
	for _, n := range benchSizes {
		t := benchTensor(n)
		path := filepath.Join(dir, "w.npy")
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.SetBytes(int64(4 * n))
			for b.Loop() {
				if err := Write(path, t); err != nil {
					b.Fatal(err)
				}
			}
		})
		os.Remove(path)
	}
}
