package imageset

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// EnvDir is the environment variable that overrides the directory holding
// the fetched photos.
const EnvDir = "LACONIC_IMAGES"

// ListPath is the committed list's path under the repository root.
const ListPath = "data/imageset/fidelity.tsv"

// HeldOutThreshold splits the set: an image whose SHA-256 starts with a
// byte below it is held out (85/256, about a third of the images), every
// other image is a search image.
const HeldOutThreshold = 0x55

// Split names the two parts of the set.
type Split string

const (
	// Search images are the ones a precision search may look at.
	Search Split = "search"
	// HeldOut images are only used to report a chosen profile's fidelity.
	HeldOut Split = "heldout"
)

// SplitOf returns the split of an image from its SHA-256 in hex.
func SplitOf(sha string) Split {
	if len(sha) >= 2 {
		if b, err := strconv.ParseUint(sha[:2], 16, 8); err == nil && b < HeldOutThreshold {
			return HeldOut
		}
	}
	return Search
}

// Image is one photo of the list.
type Image struct {
	// File is the photo's name in the cache directory.
	File string `json:"file"`
	// SHA256 is the hex SHA-256 of the file's bytes.
	SHA256        string `json:"sha256"`
	Width, Height int    `json:"-"`
	// Licence, Author and Source are as the package's credits give them
	// (Source is the original's URL when the credits name one).
	Licence string `json:"licence"`
	Author  string `json:"author"`
	Source  string `json:"source"`
	// Package is the Debian package and version; Origin the path inside
	// it (for a resource collection: the .rcc file, "!", the entry).
	Package string `json:"package"`
	Origin  string `json:"origin"`
}

// Split returns the image's split (see SplitOf).
func (im Image) Split() Split { return SplitOf(im.SHA256) }

// columns are the list's header, in order.
var columns = []string{"file", "sha256", "width", "height", "licence", "author", "source_url", "package", "origin"}

// WriteList writes images as the list's TSV: a header line, then one line
// per image; fields must not contain tabs or newlines.
func WriteList(w io.Writer, images []Image) error {
	var b strings.Builder
	b.WriteString(strings.Join(columns, "\t") + "\n")
	for i, im := range images {
		f := []string{im.File, im.SHA256, strconv.Itoa(im.Width), strconv.Itoa(im.Height), im.Licence, im.Author, im.Source, im.Package, im.Origin}
		for j, v := range f {
			if strings.ContainsAny(v, "\t\n\r") {
				return fmt.Errorf("imageset: image %d (%s): field %s contains a tab or newline", i+1, im.File, columns[j])
			}
		}
		b.WriteString(strings.Join(f, "\t") + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ParseList reads a list written by WriteList. Errors give the line and
// the column.
func ParseList(r io.Reader) ([]Image, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return nil, err
		}
		return nil, errors.New("empty list, want a header line: " + strings.Join(columns, " "))
	}
	if got := strings.TrimRight(sc.Text(), "\r"); got != strings.Join(columns, "\t") {
		return nil, fmt.Errorf("line 1: header %q, want the tab-separated columns %s", got, strings.Join(columns, ", "))
	}
	var out []Image
	seen := map[string]int{}
	for line := 2; sc.Scan(); line++ {
		text := strings.TrimRight(sc.Text(), "\r")
		if text == "" {
			continue
		}
		f := strings.Split(text, "\t")
		if len(f) != len(columns) {
			return nil, fmt.Errorf("line %d: %d fields, want %d (%s)", line, len(f), len(columns), strings.Join(columns, ", "))
		}
		im := Image{File: f[0], SHA256: f[1], Licence: f[4], Author: f[5], Source: f[6], Package: f[7], Origin: f[8]}
		if im.File == "" || strings.ContainsAny(im.File, `/\`) || im.File == "." || im.File == ".." {
			return nil, fmt.Errorf("line %d: file %q: want a plain file name", line, im.File)
		}
		if b, err := hex.DecodeString(im.SHA256); err != nil || len(b) != sha256.Size || strings.ToLower(im.SHA256) != im.SHA256 {
			return nil, fmt.Errorf("line %d (%s): sha256 %q is not 64 lower-case hex digits", line, im.File, im.SHA256)
		}
		var err error
		if im.Width, err = strconv.Atoi(f[2]); err != nil || im.Width < 1 {
			return nil, fmt.Errorf("line %d (%s): width %q, want a positive integer", line, im.File, f[2])
		}
		if im.Height, err = strconv.Atoi(f[3]); err != nil || im.Height < 1 {
			return nil, fmt.Errorf("line %d (%s): height %q, want a positive integer", line, im.File, f[3])
		}
		if im.Licence == "" {
			return nil, fmt.Errorf("line %d (%s): no licence", line, im.File)
		}
		if prev, ok := seen[im.File]; ok {
			return nil, fmt.Errorf("line %d: file %s is listed twice (first on line %d)", line, im.File, prev)
		}
		seen[im.File] = line
		out = append(out, im)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// Set is the list together with the directory holding the photos.
type Set struct {
	Dir    string
	Images []Image
}

// Paths returns the photos' paths, in list order, of the given split, or
// of all images when split is "".
func (s *Set) Paths(split Split) []string {
	var out []string
	for _, im := range s.Images {
		if split == "" || im.Split() == split {
			out = append(out, filepath.Join(s.Dir, im.File))
		}
	}
	return out
}

// Open reads the list at list and checks that every photo is in dir with
// the listed SHA-256. The error for a missing or changed photo says how to
// fetch the set.
func Open(list, dir string) (*Set, error) {
	data, err := os.ReadFile(list)
	if err != nil {
		return nil, fmt.Errorf("imageset: %w", err)
	}
	images, err := ParseList(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("imageset: %s: %w", list, err)
	}
	if len(images) == 0 {
		return nil, fmt.Errorf("imageset: %s lists no images", list)
	}
	missing := 0
	var first string
	for _, im := range images {
		p := filepath.Join(dir, im.File)
		got, err := fileSHA256(p)
		if err != nil || got != im.SHA256 {
			if missing == 0 {
				first = p
				if err == nil {
					first += " (sha256 " + got + ", want " + im.SHA256 + ")"
				}
			}
			missing++
		}
	}
	if missing > 0 {
		return nil, fmt.Errorf("imageset: %d of the %d photos of %s are missing or changed in %s, first %s: run `make fidelity-images` (scripts/fetch-fidelity-images.sh) to extract them from the Debian packages", missing, len(images), list, dir, first)
	}
	return &Set{Dir: dir, Images: images}, nil
}

// Default opens the committed list with the photos in DefaultDir.
func Default() (*Set, error) {
	root, err := RepoRoot()
	if err != nil {
		return nil, err
	}
	dir, err := DefaultDir()
	if err != nil {
		return nil, err
	}
	return Open(filepath.Join(root, filepath.FromSlash(ListPath)), dir)
}

// DefaultDir returns $LACONIC_IMAGES if set, else data/fidelity-images
// under the repository root (git-ignored).
func DefaultDir() (string, error) {
	if d := os.Getenv(EnvDir); d != "" {
		return filepath.Abs(d)
	}
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, "data", "fidelity-images"), nil
}

// RepoRoot walks up from the working directory to the directory holding
// ListPath.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("imageset: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(ListPath))); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("imageset: %s not found above the working directory: run from inside the toolkit's repository or give the list's path", ListPath)
		}
		dir = parent
	}
}

// SplitFiles splits any photo files by the SHA-256 of their bytes, as the
// committed list is split, keeping their order.
func SplitFiles(paths []string) (search, heldOut []string, err error) {
	for _, p := range paths {
		sum, err := fileSHA256(p)
		if err != nil {
			return nil, nil, fmt.Errorf("imageset: %w", err)
		}
		if SplitOf(sum) == HeldOut {
			heldOut = append(heldOut, p)
		} else {
			search = append(search, p)
		}
	}
	return search, heldOut, nil
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
