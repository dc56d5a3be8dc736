package imageset

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"path"
	"unicode/utf16"
)

// RCC format constants (Qt resource collection, binary form).
const (
	rccMagic     = "qres"
	rccEntrySize = 22 // name(4) flags(2) {count(4) first(4) | country(2) lang(2) data(4)} mtime(8)
	// entry flags
	rccCompressed     = 1
	rccDirectory      = 2
	rccCompressedZstd = 4
	// maxRCCFile bounds one decompressed entry, so a corrupt length prefix
	// cannot make the reader allocate without limit.
	maxRCCFile = 64 << 20
)

// RCCFile is one file of a Qt resource collection.
type RCCFile struct {
	// Path is the file's path inside the collection, slash-separated,
	// without a leading slash.
	Path string
	// Data is the file's content, decompressed.
	Data []byte
}

// ReadRCC parses a binary Qt resource collection (.rcc, format versions 1
// to 3, as Qt's rcc tool writes them) and returns its files in tree order.
// Entries compressed with zlib (flag 1, a 4-byte big-endian length
// followed by a zlib stream) are decompressed; zstd-compressed entries
// (flag 4, Qt 6) are reported as an error naming the file. The layout is:
// a header ("qres", version, tree, data and names offsets, and from
// version 3 a flags word), then a tree of fixed-size entries whose first
// entry is the root directory; a directory lists a contiguous range of
// child entries, a file points to a 4-byte-length-prefixed blob in the data
// area; names are a 2-byte length, a 4-byte hash and UTF-16BE characters.
// Every offset and count is checked against the buffer, so corrupt input
// returns an error and never panics.
func ReadRCC(data []byte) ([]RCCFile, error) {
	r := rccReader{b: data}
	if len(data) < 20 || string(data[:4]) != rccMagic {
		return nil, errors.New("rcc: not a Qt resource file (no \"qres\" header)")
	}
	version := r.u32(4)
	if version < 1 || version > 3 {
		return nil, fmt.Errorf("rcc: format version %d, want 1..3", version)
	}
	r.tree, r.data, r.names = r.u32(8), r.u32(12), r.u32(16)
	r.entry = 14
	if version >= 2 {
		r.entry = rccEntrySize
	}
	var files []RCCFile
	// Directories are walked with an explicit stack; visited guards
	// against cycles in corrupt trees.
	type dir struct {
		index  uint32
		prefix string
	}
	stack := []dir{{0, ""}}
	visited := map[uint32]bool{}
	for len(stack) > 0 {
		d := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if visited[d.index] {
			return nil, fmt.Errorf("rcc: directory entry %d is reached twice (corrupt tree)", d.index)
		}
		visited[d.index] = true
		e, err := r.entryAt(d.index)
		if err != nil {
			return nil, err
		}
		if e.flags&rccDirectory == 0 {
			return nil, fmt.Errorf("rcc: entry %d should be a directory", d.index)
		}
		if e.count > uint32(len(data))/uint32(r.entry) {
			return nil, fmt.Errorf("rcc: directory %q claims %d children, more than the file can hold", d.prefix, e.count)
		}
		// Push children in reverse so they are visited in tree order.
		var subdirs []dir
		for i := uint32(0); i < e.count; i++ {
			ci := e.first + i
			c, err := r.entryAt(ci)
			if err != nil {
				return nil, err
			}
			name, err := r.name(c.name)
			if err != nil {
				return nil, fmt.Errorf("rcc: entry %d: %w", ci, err)
			}
			p := path.Join(d.prefix, name)
			if c.flags&rccDirectory != 0 {
				subdirs = append(subdirs, dir{ci, p})
				continue
			}
			content, err := r.blob(c)
			if err != nil {
				return nil, fmt.Errorf("rcc: %s: %w", p, err)
			}
			files = append(files, RCCFile{Path: p, Data: content})
		}
		for i := len(subdirs) - 1; i >= 0; i-- {
			stack = append(stack, subdirs[i])
		}
	}
	return files, nil
}

type rccReader struct {
	b                 []byte
	tree, data, names uint32
	entry             int
}

type rccEntry struct {
	name         uint32
	flags        uint16
	count, first uint32 // directories
	offset       uint32 // files
}

func (r *rccReader) u32(off int) uint32 { return binary.BigEndian.Uint32(r.b[off:]) }

// span returns b[off:off+n] or an error when it is out of range.
func (r *rccReader) span(off uint64, n uint64, what string) ([]byte, error) {
	if off > uint64(len(r.b)) || n > uint64(len(r.b))-off {
		return nil, fmt.Errorf("%s at offset %d (+%d bytes) is past the end of the file (%d bytes)", what, off, n, len(r.b))
	}
	return r.b[off : off+n], nil
}

func (r *rccReader) entryAt(i uint32) (rccEntry, error) {
	b, err := r.span(uint64(r.tree)+uint64(i)*uint64(r.entry), uint64(r.entry), fmt.Sprintf("rcc: tree entry %d", i))
	if err != nil {
		return rccEntry{}, err
	}
	e := rccEntry{name: binary.BigEndian.Uint32(b), flags: binary.BigEndian.Uint16(b[4:])}
	if e.flags&rccDirectory != 0 {
		e.count, e.first = binary.BigEndian.Uint32(b[6:]), binary.BigEndian.Uint32(b[10:])
	} else {
		e.offset = binary.BigEndian.Uint32(b[10:])
	}
	return e, nil
}

func (r *rccReader) name(off uint32) (string, error) {
	h, err := r.span(uint64(r.names)+uint64(off), 6, "name")
	if err != nil {
		return "", err
	}
	n := uint64(binary.BigEndian.Uint16(h))
	b, err := r.span(uint64(r.names)+uint64(off)+6, 2*n, "name")
	if err != nil {
		return "", err
	}
	u := make([]uint16, n)
	for i := range u {
		u[i] = binary.BigEndian.Uint16(b[2*i:])
	}
	s := string(utf16.Decode(u))
	if s == "" || s == "." || s == ".." || bytes.ContainsAny([]byte(s), "/\\\x00") {
		return "", fmt.Errorf("invalid name %q", s)
	}
	return s, nil
}

func (r *rccReader) blob(e rccEntry) ([]byte, error) {
	off := uint64(r.data) + uint64(e.offset)
	h, err := r.span(off, 4, "data")
	if err != nil {
		return nil, err
	}
	b, err := r.span(off+4, uint64(binary.BigEndian.Uint32(h)), "data")
	if err != nil {
		return nil, err
	}
	switch {
	case e.flags&rccCompressedZstd != 0:
		return nil, errors.New("zstd-compressed entry (Qt 6 rcc) is not supported; rebuild the file with rcc --compress-algo zlib")
	case e.flags&rccCompressed == 0:
		return bytes.Clone(b), nil
	}
	if len(b) < 4 {
		return nil, errors.New("compressed entry shorter than its 4-byte length prefix")
	}
	want := binary.BigEndian.Uint32(b)
	if want > maxRCCFile {
		return nil, fmt.Errorf("compressed entry claims %d bytes, more than the %d-byte limit", want, maxRCCFile)
	}
	zr, err := zlib.NewReader(bytes.NewReader(b[4:]))
	if err != nil {
		return nil, fmt.Errorf("zlib: %w", err)
	}
	out, err := io.ReadAll(io.LimitReader(zr, int64(want)+1))
	if err != nil {
		return nil, fmt.Errorf("zlib: %w", err)
	}
	if uint32(len(out)) != want {
		return nil, fmt.Errorf("decompressed to %d bytes, the header says %d", len(out), want)
	}
	return out, nil
}
