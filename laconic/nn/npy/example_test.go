package npy_test

import (
	"bytes"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/nn/npy"
)

func ExampleWrite() {
	dir, err := os.MkdirTemp("", "npy-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "w.npy")

	t := &nn.Tensor{Shape: []int{2, 3}, Data: []float32{1, 2, 3, 4, 5, 6}}
	if err := npy.Write(path, t); err != nil {
		log.Fatal(err)
	}
	back, err := npy.Read(path)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(back.Shape, back.Data)
	// Output: [2 3] [1 2 3 4 5 6]
}

func ExampleRead() {
	// A file numpy wrote in Fortran order: it comes back in C order.
	t, err := npy.Read(filepath.Join("testdata", "f4_fortran_2x3x4.npy"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(t.Shape, t.Data[:5])

	// Integer files are converted to float32.
	t, err = npy.Read(filepath.Join("testdata", "i2_be_2x2.npy"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(t.Shape, t.Data)
	// Output:
	// [2 3 4] [-2.5 -2 -1.5 -1 -0.5]
	// [2 2] [-2000 -1000 0 1000]
}

func ExampleReadHeader() {
	h, err := npy.ReadHeader(filepath.Join("testdata", "f4_c_2x3.npy"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(h.DType, h.Shape, h.Fortran, h.DataOffset, h.DataSize())
	// Output: <f4 [2 3] false 128 24
}

func ExampleReadNPZ() {
	arrays, err := npy.ReadNPZ(filepath.Join("testdata", "pair.npz"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(arrays["a"].Shape, arrays["a"].Data)
	fmt.Println(arrays["b"].Shape, arrays["b"].Data)
	// Output:
	// [2 3] [-0.5 -0.25 0 0.25 0.5 0.75]
	// [3] [0 7 14]
}

func ExampleEncode() {
	var buf bytes.Buffer
	if err := npy.Encode(&buf, &nn.Tensor{Shape: []int{3}, Data: []float32{0.5, -1, 2}}); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d bytes, header %q\n", buf.Len(), buf.Bytes()[10:60])
	t, err := npy.Decode(&buf)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(t.Shape, t.Data)
	// Output:
	// 140 bytes, header "{'descr': '<f4', 'fortran_order': False, 'shape': "
	// [3] [0.5 -1 2]
}

func ExampleDecode() {
	// A truncated file is an error, never a panic.
	_, err := npy.Decode(bytes.NewReader([]byte("\x93NUMPY\x01\x00\x40\x00{'descr'")))
	fmt.Println(err)
	// Output: npy: decode: npy: truncated data: header length 64 runs past the end of the file
}
