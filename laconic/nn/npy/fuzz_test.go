package npy

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func addGoldenSeeds(f *testing.F, ext string) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"+ext))
	if len(files) == 0 {
		f.Fatalf("no %s seeds", ext)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzDecode: any input either decodes to a valid tensor that re-encodes
// and decodes to the same bits, or returns an error; it never panics.
func FuzzDecode(f *testing.F) {
	addGoldenSeeds(f, ".npy")
	for _, c := range corruptCases() {
		f.Add(c.data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Decode(bytes.NewReader(data))
		if err != nil {
			return
		}
		if err := got.Validate(); err != nil {
			t.Fatalf("decoded an invalid tensor: %v", err)
		}
		var buf bytes.Buffer
		if err := Encode(&buf, got); err != nil {
			t.Fatal(err)
		}
		again, err := Decode(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(again.Shape, got.Shape) || !sameBits(again.Data, got.Data) {
			t.Fatal("re-encoding changed the tensor")
		}
	})
}

// FuzzRead runs the file path (size known from the file system), which
// takes a different route from Decode.
func FuzzRead(f *testing.F) {
	addGoldenSeeds(f, ".npy")
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "f.npy")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		h, herr := ReadHeader(path)
		got, err := Read(path)
		if (herr == nil) != (err == nil) && herr != nil {
			t.Fatalf("ReadHeader failed (%v) but Read succeeded", herr)
		}
		if err == nil && !slices.Equal(got.Shape, h.Shape) {
			t.Fatalf("Read shape %v, header %v", got.Shape, h.Shape)
		}
	})
}

// FuzzReadNPZ: archives never panic.
func FuzzReadNPZ(f *testing.F) {
	addGoldenSeeds(f, ".npz")
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := readNPZ(bytes.NewReader(data), int64(len(data)), "fuzz.npz")
		if err != nil {
			return
		}
		for k, v := range m {
			if err := v.Validate(); err != nil {
				t.Fatalf("member %q: %v", k, err)
			}
		}
	})
}
