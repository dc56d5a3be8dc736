package npy

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"codeberg.org/sbinet/npyio/npz"

	"github.com/laconiclab/toolkit/laconic/nn"
)

// ReadNPZ reads every array of an .npz archive (numpy.savez or
// numpy.savez_compressed) into a map keyed by the member name without its
// ".npy" suffix ("arr_0", or the keyword given to savez). Members that are
// not .npy files, and names that repeat, are errors naming the archive and
// the member.
func ReadNPZ(path string) (map[string]*nn.Tensor, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("npy: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("npy: %w", err)
	}
	return readNPZ(f, st.Size(), path)
}

// readNPZ reads an archive of the given size from r; path names it in errors.
func readNPZ(r io.ReaderAt, size int64, path string) (out map[string]*nn.Tensor, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("npy: read %s: %w: corrupt archive: %v", path, ErrFormat, p)
		}
	}()
	z, err := npz.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("npy: read %s: %w: %v", path, ErrFormat, err)
	}
	out = make(map[string]*nn.Tensor)
	for _, member := range z.Keys() {
		if strings.HasSuffix(member, "/") {
			continue // a directory entry
		}
		key, ok := strings.CutSuffix(member, ".npy")
		if !ok {
			return nil, fmt.Errorf("npy: read %s: %w: member %q is not a .npy array", path, ErrUnsupported, member)
		}
		if _, dup := out[key]; dup {
			return nil, fmt.Errorf("npy: read %s: %w: member %q appears twice", path, ErrFormat, member)
		}
		rc, err := z.Open(member)
		if err != nil {
			return nil, fmt.Errorf("npy: read %s: member %q: %w: %v", path, member, ErrFormat, err)
		}
		t, err := decodeStream(rc)
		if err == nil {
			// Read on a little so that a stored member's checksum is
			// verified at its end (trailing bytes beyond this are ignored).
			_, err = io.CopyN(io.Discard, rc, 1<<16)
			if errors.Is(err, io.EOF) {
				err = nil
			} else if err != nil {
				err = fmt.Errorf("%w: %v", ErrFormat, err)
			}
		}
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("npy: read %s: member %q: %w", path, member, err)
		}
		out[key] = t
	}
	return out, nil
}
