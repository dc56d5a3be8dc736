package imageset

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParseCredits(t *testing.T) {
	readme := `Copyright: Timothee Giet, 2018
License: CC-BY-SA 4.0
Files:
key.svg
egypt/egypt.svg

Copyright: Daniel Schwen
License: CC-BY-SA 4.0
Source: https://commons.wikimedia.org/wiki/File:Chichen_Itza_3.jpg
Files:
wonders/chichenItza.webp
Copyright: aussiegall
Source: https://commons.wikimedia.org/wiki/File:Pollinationn.jpg
License: CC-BY-2.0
Comments: cropping, sharpening
Files: bee.webp

free text without fields
`
	got := ParseCredits([]byte(readme))
	want := []Credit{
		{Author: "Timothee Giet, 2018", Licence: "CC-BY-SA 4.0", Files: []string{"key.svg", "egypt/egypt.svg"}},
		{Author: "Daniel Schwen", Licence: "CC-BY-SA 4.0", Source: "https://commons.wikimedia.org/wiki/File:Chichen_Itza_3.jpg", Files: []string{"wonders/chichenItza.webp"}},
		{Author: "aussiegall", Licence: "CC-BY-2.0", Source: "https://commons.wikimedia.org/wiki/File:Pollinationn.jpg", Files: []string{"bee.webp"}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d credits %+v, want %d", len(got), got, len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Author != w.Author || g.Licence != w.Licence || g.Source != w.Source || !slices.Equal(g.Files, w.Files) {
			t.Errorf("credit %d = %+v, want %+v", i, g, w)
		}
	}
}

func FuzzParseCredits(f *testing.F) {
	f.Add([]byte("Copyright: a\nLicense: b\nFiles: c d\n\n"))
	f.Add([]byte("Files:\n x\nSource: http://y\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, c := range ParseCredits(b) {
			if len(c.Files) == 0 {
				t.Fatal("credit without files")
			}
		}
	})
}

func TestSplitOf(t *testing.T) {
	tests := []struct {
		sha  string
		want Split
	}{
		{"00ab", HeldOut}, {"54ff", HeldOut}, {"55", Search}, {"ff", Search}, {"", Search}, {"zz", Search},
	}
	for _, tc := range tests {
		if got := SplitOf(tc.sha); got != tc.want {
			t.Errorf("SplitOf(%q) = %s, want %s", tc.sha, got, tc.want)
		}
	}
}

func hexSum(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

func TestListRoundTripAndOpen(t *testing.T) {
	dir := t.TempDir()
	var images []Image
	for i, content := range []string{"one", "two", "three"} {
		name := []string{"a.jpg", "b.webp", "c.png"}[i]
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		images = append(images, Image{File: name, SHA256: hexSum([]byte(content)), Width: 10 + i, Height: 20, Licence: "CC0", Author: "X", Package: "p 1", Origin: "o/" + name})
	}
	var buf bytes.Buffer
	if err := WriteList(&buf, images); err != nil {
		t.Fatal(err)
	}
	got, err := ParseList(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, images) {
		t.Fatalf("round trip: got %+v, want %+v", got, images)
	}
	list := filepath.Join(dir, "list.tsv")
	if err := os.WriteFile(list, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	set, err := Open(list, dir)
	if err != nil {
		t.Fatal(err)
	}
	all := set.Paths("")
	s, h := set.Paths(Search), set.Paths(HeldOut)
	if len(all) != 3 || len(s)+len(h) != 3 {
		t.Errorf("paths: all %v, search %v, held out %v", all, s, h)
	}
	fs, fh, err := SplitFiles(all)
	if err != nil || !slices.Equal(fs, s) || !slices.Equal(fh, h) {
		t.Errorf("SplitFiles = %v %v %v, want %v %v", fs, fh, err, s, h)
	}
	// A changed photo is reported with the way to fetch the set.
	if err := os.WriteFile(filepath.Join(dir, "b.webp"), []byte("changed"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(list, dir); err == nil || !strings.Contains(err.Error(), "b.webp") || !strings.Contains(err.Error(), "make fidelity-images") {
		t.Errorf("changed photo: err = %v", err)
	}
}

func TestParseListErrors(t *testing.T) {
	header := strings.Join(columns, "\t") + "\n"
	sha := strings.Repeat("ab", 32)
	row := func(f ...string) string { return strings.Join(f, "\t") + "\n" }
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "empty list"},
		{"header", "file\tsha\n", "line 1: header"},
		{"fields", header + "a\tb\n", "line 2: 2 fields"},
		{"file", header + row("x/y", sha, "1", "1", "CC0", "", "", "", ""), "plain file name"},
		{"sha", header + row("a", "12", "1", "1", "CC0", "", "", "", ""), "sha256"},
		{"width", header + row("a", sha, "0", "1", "CC0", "", "", "", ""), "width"},
		{"height", header + row("a", sha, "1", "x", "CC0", "", "", "", ""), "height"},
		{"licence", header + row("a", sha, "1", "1", "", "", "", "", ""), "no licence"},
		{"twice", header + row("a", sha, "1", "1", "CC0", "", "", "", "") + row("a", sha, "1", "1", "CC0", "", "", "", ""), "listed twice"},
	}
	for _, tc := range tests {
		_, err := ParseList(strings.NewReader(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
}

func FuzzParseList(f *testing.F) {
	f.Add([]byte(strings.Join(columns, "\t") + "\na\t" + strings.Repeat("0", 64) + "\t1\t1\tCC0\t\t\t\t\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		images, err := ParseList(bytes.NewReader(b))
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := WriteList(&buf, images); err != nil {
			t.Fatal(err)
		}
		again, err := ParseList(&buf)
		if err != nil || !slices.Equal(again, images) {
			t.Fatalf("re-parse: %v", err)
		}
	})
}

// TestCommittedList checks the committed list: enough photos, a licence
// for each, no duplicate hash or source, both splits large enough.
func TestCommittedList(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(ListPath)))
	if err != nil {
		t.Fatal(err)
	}
	images, err := ParseList(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(images) < 200 {
		t.Errorf("%d photos, want >= 200", len(images))
	}
	hashes, sources := map[string]bool{}, map[string]bool{}
	held := 0
	for _, im := range images {
		if hashes[im.SHA256] || (im.Source != "" && sources[im.Source]) {
			t.Errorf("%s: duplicate hash or source", im.File)
		}
		hashes[im.SHA256], sources[im.Source] = true, true
		if im.Split() == HeldOut {
			held++
		}
	}
	if held < 50 || len(images)-held < 100 {
		t.Errorf("split: %d held out of %d", held, len(images))
	}
}
