package npy

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"

	"github.com/laconiclab/toolkit/laconic/internal/atomicfile"
	"github.com/laconiclab/toolkit/laconic/nn"
)

// Write stores t in path as a little-endian float32 C-order .npy file with
// the header numpy.save would write. The file is replaced atomically: on
// error, path is left as it was. Missing directories are created.
func Write(path string, t *nn.Tensor) error {
	if err := check(t); err != nil {
		return fmt.Errorf("npy: write %s: %w", path, err)
	}
	if err := atomicfile.Write(path, func(w io.Writer) error { return encode(w, t) }); err != nil {
		return fmt.Errorf("npy: %w", err)
	}
	return nil
}

// Encode writes t to w in the .npy format, as Write does.
func Encode(w io.Writer, t *nn.Tensor) error {
	if err := check(t); err != nil {
		return fmt.Errorf("npy: encode: %w", err)
	}
	if err := encode(w, t); err != nil {
		return fmt.Errorf("npy: encode: %w", err)
	}
	return nil
}

func check(t *nn.Tensor) error {
	if t == nil {
		return fmt.Errorf("nil tensor")
	}
	if err := t.Validate(); err != nil {
		return err
	}
	if len(t.Shape) > MaxRank {
		return fmt.Errorf("rank %d exceeds the .npy limit of %d", len(t.Shape), MaxRank)
	}
	return nil
}

func encode(w io.Writer, t *nn.Tensor) error {
	if _, err := w.Write(encodeHeader("<f4", t.Shape)); err != nil {
		return err
	}
	buf := make([]byte, 4*min(len(t.Data), 1<<14))
	for i := 0; i < len(t.Data); {
		m := min(len(buf)/4, len(t.Data)-i)
		for j, v := range t.Data[i : i+m] {
			binary.LittleEndian.PutUint32(buf[4*j:], math.Float32bits(v))
		}
		if _, err := w.Write(buf[:4*m]); err != nil {
			return err
		}
		i += m
	}
	return nil
}
