package imageset

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"path"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode/utf16"
)

// writeRCC builds a version-3 resource collection holding files (path ->
// content), zlib-compressing every entry when compress is set. It is the
// test's independent writer: the tree is laid out breadth-first, each
// directory's children contiguous and sorted, as Qt's rcc does.
func writeRCC(files map[string][]byte, compress bool) []byte {
	type node struct {
		name     string
		children []*node
		data     []byte
		isDir    bool
	}
	root := &node{isDir: true}
	for p, d := range files {
		cur := root
		parts := strings.Split(p, "/")
		for i, part := range parts {
			var next *node
			for _, c := range cur.children {
				if c.name == part {
					next = c
				}
			}
			if next == nil {
				next = &node{name: part, isDir: i < len(parts)-1}
				cur.children = append(cur.children, next)
			}
			if i == len(parts)-1 {
				next.data = d
			}
			cur = next
		}
	}
	var order []*node
	queue := []*node{root}
	index := map[*node]int{}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		index[n] = len(order)
		order = append(order, n)
		sort.Slice(n.children, func(i, j int) bool { return n.children[i].name < n.children[j].name })
		queue = append(queue, n.children...)
	}
	// First child index: children are enqueued in order, so a directory's
	// first child's index is known once all nodes are numbered.
	var names, data, tree bytes.Buffer
	nameOff := map[*node]int{}
	dataOff := map[*node]int{}
	for _, n := range order[1:] {
		nameOff[n] = names.Len()
		u := utf16.Encode([]rune(n.name))
		binary.Write(&names, binary.BigEndian, uint16(len(u)))
		binary.Write(&names, binary.BigEndian, uint32(0))
		binary.Write(&names, binary.BigEndian, u)
		if !n.isDir {
			dataOff[n] = data.Len()
			blob := n.data
			if compress {
				var z bytes.Buffer
				binary.Write(&z, binary.BigEndian, uint32(len(n.data)))
				w := zlib.NewWriter(&z)
				w.Write(n.data)
				w.Close()
				blob = z.Bytes()
			}
			binary.Write(&data, binary.BigEndian, uint32(len(blob)))
			data.Write(blob)
		}
	}
	for _, n := range order {
		binary.Write(&tree, binary.BigEndian, uint32(nameOff[n]))
		if n.isDir {
			first := 0
			if len(n.children) > 0 {
				first = index[n.children[0]]
			}
			binary.Write(&tree, binary.BigEndian, uint16(rccDirectory))
			binary.Write(&tree, binary.BigEndian, uint32(len(n.children)))
			binary.Write(&tree, binary.BigEndian, uint32(first))
		} else {
			flags := uint16(0)
			if compress {
				flags = rccCompressed
			}
			binary.Write(&tree, binary.BigEndian, flags)
			binary.Write(&tree, binary.BigEndian, uint32(0)) // country, language
			binary.Write(&tree, binary.BigEndian, uint32(dataOff[n]))
		}
		binary.Write(&tree, binary.BigEndian, uint64(0)) // mtime
	}
	const header = 24
	var out bytes.Buffer
	out.WriteString(rccMagic)
	binary.Write(&out, binary.BigEndian, uint32(3))
	binary.Write(&out, binary.BigEndian, uint32(header+data.Len()+names.Len())) // tree
	binary.Write(&out, binary.BigEndian, uint32(header))                        // data
	binary.Write(&out, binary.BigEndian, uint32(header+data.Len()))             // names
	binary.Write(&out, binary.BigEndian, uint32(0))                             // flags
	out.Write(data.Bytes())
	out.Write(names.Bytes())
	out.Write(tree.Bytes())
	return out.Bytes()
}

var sampleFiles = map[string][]byte{
	"gcompris/src/README":         []byte("Copyright: A\nLicense: CC0\nFiles: a.webp\n"),
	"gcompris/src/a.webp":         []byte("RIFF....WEBP"),
	"gcompris/src/sub/b.jpg":      bytes.Repeat([]byte{0xff, 0xd8}, 300),
	"gcompris/src/sub/deep/c.png": {},
	"gcompris/top.txt":            []byte("é ü"),
}

func TestReadRCCRoundTrip(t *testing.T) {
	for _, compress := range []bool{false, true} {
		files, err := ReadRCC(writeRCC(sampleFiles, compress))
		if err != nil {
			t.Fatalf("compress=%v: %v", compress, err)
		}
		got := map[string][]byte{}
		for _, f := range files {
			got[f.Path] = f.Data
		}
		if len(got) != len(sampleFiles) {
			t.Errorf("compress=%v: %d files, want %d", compress, len(got), len(sampleFiles))
		}
		for p, want := range sampleFiles {
			if !bytes.Equal(got[p], want) {
				t.Errorf("compress=%v: %s = %q, want %q", compress, p, got[p], want)
			}
		}
	}
}

func TestReadRCCErrors(t *testing.T) {
	good := writeRCC(sampleFiles, true)
	corrupt := func(off int, b ...byte) []byte {
		c := slices.Clone(good)
		copy(c[off:], b)
		return c
	}
	tree := int(binary.BigEndian.Uint32(good[8:]))
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "not a Qt resource"},
		{"magic", corrupt(0, 'x'), "not a Qt resource"},
		{"version", corrupt(4, 0, 0, 0, 9), "version 9"},
		{"tree past end", corrupt(8, 0x7f, 0, 0, 0), "past the end"},
		{"truncated", good[:len(good)-30], "past the end"},
		{"child count", corrupt(tree+6, 0x7f, 0xff, 0xff, 0xff), "children"},
		{"root not dir", corrupt(tree+4, 0, 0), "should be a directory"},
		{"cycle", corrupt(tree+10, 0, 0, 0, 0), "reached twice"},
	}
	for _, tc := range tests {
		_, err := ReadRCC(tc.data)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

// FuzzReadRCC checks that no input makes ReadRCC panic and that what it
// returns has clean paths.
func FuzzReadRCC(f *testing.F) {
	f.Add(writeRCC(sampleFiles, true))
	f.Add(writeRCC(sampleFiles, false))
	f.Add(writeRCC(map[string][]byte{"x": []byte("y")}, true))
	f.Add([]byte("qres\x00\x00\x00\x03"))
	f.Fuzz(func(t *testing.T, data []byte) {
		files, err := ReadRCC(data)
		if err != nil {
			return
		}
		for _, fl := range files {
			if path.Clean(fl.Path) != fl.Path || strings.HasPrefix(fl.Path, "/") || strings.HasPrefix(fl.Path, "..") {
				t.Fatalf("unclean path %q", fl.Path)
			}
		}
	})
}
