// Command fetch builds and extracts the fidelity photo set.
//
//	fetch -root DIR -list data/imageset/fidelity.tsv -out DIR
//
// extracts every listed photo from the Debian packages unpacked (dpkg-deb
// -x) under -root into -out, checking each SHA-256; scripts/
// fetch-fidelity-images.sh runs it. With -generate it instead scans the
// unpacked packages and writes the list: the photos of GCompris' photo
// activities with their credits (the README blocks inside the resource
// files, else the package's debian/copyright), deduplicated by source URL,
// file hash and pixel hash, plus the listed darknet and scikit-image
// photos.
package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	_ "golang.org/x/image/webp"

	"github.com/laconiclab/toolkit/laconic/imageset"
	"github.com/laconiclab/toolkit/laconic/internal/atomicfile"
)

const rccDir = "usr/share/gcompris-qt/rcc"

// photoActivities are GCompris' activities whose resources are photos
// (details and paintings are left out: mostly paintings).
var photoActivities = []string{
	"categorization", "explore_monuments", "erase", "explore_world_animals",
	"explore_farm_animals", "explore_world_music", "louis-braille", "leftright", "clickgame",
}

// notPhotos are entries of the photo activities that are drawings or
// paintings (looked at one by one).
var notPhotos = map[string]bool{
	"gcompris/src/activities/louis-braille/resource/chart.webp": true, // a braille chart, drawn
	"gcompris/src/activities/louis-braille/resource/louis.webp": true, // a painted portrait
}

// minSide is the smallest short side kept: the models take 224 to 299
// pixels, and the clickgame sprites and small icons are not photographs.
const minSide = 224

const gcomprisPackage = "gcompris-qt-data 3.1-2"

// extra are the photos of the other packages, with the licences
// data/images/PROVENANCE.md documents.
var extra = []imageset.Image{
	{File: "skimage_chelsea.png", Licence: "CC0", Author: "Stefan van der Walt", Package: "python3-skimage 0.19.3-8", Origin: "usr/lib/python3/dist-packages/skimage/data/chelsea.png"},
	{File: "skimage_coffee.png", Licence: "CC0", Author: "Rachel Michetti", Package: "python3-skimage 0.19.3-8", Origin: "usr/lib/python3/dist-packages/skimage/data/coffee.png"},
	{File: "skimage_astronaut.png", Licence: "public-domain", Author: "NASA", Package: "python3-skimage 0.19.3-8", Origin: "usr/lib/python3/dist-packages/skimage/data/astronaut.png"},
	{File: "skimage_rocket.jpg", Licence: "public-domain", Author: "SpaceX", Package: "python3-skimage 0.19.3-8", Origin: "usr/lib/python3/dist-packages/skimage/data/rocket.jpg"},
}

func init() {
	for _, n := range []string{"dog", "eagle", "giraffe", "horses", "kite", "person"} {
		extra = append(extra, imageset.Image{
			File: "darknet_" + n + ".jpg", Licence: "GPL-3.0+ or MIT or WTFPL", Author: "Joseph Redmon (package copyright)",
			Package: "darknet 0.0.0+git20180914.61c9d02e-2+b4", Origin: "usr/share/darknet/data/" + n + ".jpg",
		})
	}
}

func main() {
	root := flag.String("root", "", "directory the Debian packages were unpacked into (dpkg-deb -x)")
	list := flag.String("list", imageset.ListPath, "the photo list")
	out := flag.String("out", "", "directory to extract the photos into")
	generate := flag.Bool("generate", false, "scan -root and write -list instead of extracting")
	flag.Parse()
	var err error
	if *root == "" {
		err = errors.New("-root is required")
	} else if *generate {
		err = generateList(*root, *list)
	} else if *out == "" {
		err = errors.New("-out is required")
	} else {
		err = extract(*root, *list, *out)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "fidelity-images:", err)
		os.Exit(1)
	}
}

func sum(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

// rccFiles caches the content of the resource files.
type rccFiles map[string]map[string][]byte

func (c rccFiles) get(root, rcc string) (map[string][]byte, error) {
	if m, ok := c[rcc]; ok {
		return m, nil
	}
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rcc)))
	if err != nil {
		return nil, err
	}
	files, err := imageset.ReadRCC(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", rcc, err)
	}
	m := make(map[string][]byte, len(files))
	for _, f := range files {
		m[f.Path] = f.Data
	}
	c[rcc] = m
	return m, nil
}

func content(root string, c rccFiles, origin string) ([]byte, error) {
	if rcc, entry, ok := strings.Cut(origin, "!"); ok {
		m, err := c.get(root, rcc)
		if err != nil {
			return nil, err
		}
		b, ok := m[entry]
		if !ok {
			return nil, fmt.Errorf("%s has no entry %s", rcc, entry)
		}
		return b, nil
	}
	return os.ReadFile(filepath.Join(root, filepath.FromSlash(origin)))
}

func extract(root, list, out string) error {
	f, err := os.Open(list)
	if err != nil {
		return err
	}
	defer f.Close()
	images, err := imageset.ParseList(f)
	if err != nil {
		return fmt.Errorf("%s: %w", list, err)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	c := rccFiles{}
	for _, im := range images {
		b, err := content(root, c, im.Origin)
		if err != nil {
			return fmt.Errorf("%s (%s): %w", im.File, im.Package, err)
		}
		if got := sum(b); got != im.SHA256 {
			return fmt.Errorf("%s: %s in %s has sha256 %s, want %s: the package changed", im.File, im.Origin, im.Package, got, im.SHA256)
		}
		if err := atomicfile.WriteBytes(filepath.Join(out, im.File), b); err != nil {
			return err
		}
	}
	fmt.Printf("fidelity-images: %d photos in %s\n", len(images), out)
	return nil
}

// debianCredits parses the DEP-5 copyright file into credits keyed by the
// file's stem (directory and name without extension): the package renamed
// .jpg/.png to .webp after the file was written.
func debianCredits(file string) (map[string]imageset.Credit, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	out := map[string]imageset.Credit{}
	url := regexp.MustCompile(`https?://\S+`)
	for _, stanza := range strings.Split(string(data), "\n\n") {
		var files []string
		var cr imageset.Credit
		field := ""
		sc := bufio.NewScanner(strings.NewReader(stanza))
		for sc.Scan() {
			line := sc.Text()
			val := line
			if line != "" && line[0] != ' ' && line[0] != '\t' {
				k, v, _ := strings.Cut(line, ":")
				field, val = strings.ToLower(k), v
			}
			val = strings.TrimSpace(val)
			switch field {
			case "files":
				files = append(files, strings.Fields(val)...)
			case "copyright":
				if cr.Author == "" {
					cr.Author = val
				}
			case "license":
				if cr.Licence == "" {
					cr.Licence = val
				}
			case "comment":
				if cr.Source == "" {
					cr.Source = url.FindString(val)
				}
			}
		}
		for _, f := range files {
			out[strings.TrimSuffix(f, path.Ext(f))] = cr
		}
	}
	return out, nil
}

func generateList(root, list string) error {
	deb, err := debianCredits(filepath.Join(root, "usr/share/doc/gcompris-qt-data/copyright"))
	if err != nil {
		return err
	}
	c := rccFiles{}
	var images []imageset.Image
	seenSource, seenHash, seenPixels := map[string]string{}, map[string]string{}, map[string]string{}
	var skipped []string
	add := func(im imageset.Image, b []byte) {
		cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
		if err != nil {
			skipped = append(skipped, im.Origin+": "+err.Error())
			return
		}
		if min(cfg.Width, cfg.Height) < minSide {
			return
		}
		img, _, err := image.Decode(bytes.NewReader(b))
		if err != nil {
			skipped = append(skipped, im.Origin+": "+err.Error())
			return
		}
		im.Width, im.Height, im.SHA256 = cfg.Width, cfg.Height, sum(b)
		px := pixelHash(img)
		switch {
		case seenHash[im.SHA256] != "":
			skipped = append(skipped, im.Origin+": same bytes as "+seenHash[im.SHA256])
		case seenPixels[px] != "":
			skipped = append(skipped, im.Origin+": same pixels as "+seenPixels[px])
		case im.Source != "" && seenSource[im.Source] != "":
			skipped = append(skipped, im.Origin+": same source as "+seenSource[im.Source])
		default:
			seenHash[im.SHA256], seenPixels[px] = im.File, im.File
			if im.Source != "" {
				seenSource[im.Source] = im.File
			}
			images = append(images, im)
		}
	}
	for _, act := range photoActivities {
		rcc := rccDir + "/" + act + ".rcc"
		m, err := c.get(root, rcc)
		if err != nil {
			return err
		}
		credits := map[string]imageset.Credit{}
		var readmes []string
		for p := range m {
			if path.Base(p) == "README" {
				readmes = append(readmes, p)
			}
		}
		sort.Strings(readmes)
		for _, p := range readmes {
			for _, cr := range imageset.ParseCredits(m[p]) {
				for _, f := range cr.Files {
					credits[path.Join(path.Dir(p), f)] = cr
				}
			}
		}
		var paths []string
		for p := range m {
			if ext := path.Ext(p); ext == ".webp" || ext == ".jpg" || ext == ".png" {
				paths = append(paths, p)
			}
		}
		sort.Strings(paths)
		for _, p := range paths {
			if notPhotos[p] {
				skipped = append(skipped, p+": not a photograph")
				continue
			}
			cr, ok := credits[p]
			if !ok {
				stem := strings.TrimSuffix(strings.TrimPrefix(p, "gcompris/"), path.Ext(p))
				cr, ok = deb[stem]
			}
			if !ok || cr.Licence == "" {
				skipped = append(skipped, p+": no credit")
				continue
			}
			rel := strings.TrimPrefix(p, "gcompris/src/activities/")
			rel = strings.Replace(rel, "/resource/", "/", 1)
			rel = strings.Replace(rel, "/images/", "/", 1)
			im := imageset.Image{
				File: strings.ReplaceAll(rel, "/", "_"), Licence: cr.Licence, Author: cr.Author, Source: cr.Source,
				Package: gcomprisPackage, Origin: rcc + "!" + p,
			}
			add(im, m[p])
		}
	}
	for _, im := range extra {
		b, err := content(root, c, im.Origin)
		if err != nil {
			return err
		}
		add(im, b)
	}
	for _, s := range skipped {
		fmt.Fprintln(os.Stderr, "skipped", s)
	}
	fmt.Fprintf(os.Stderr, "%d photos listed\n", len(images))
	return atomicfile.Write(list, func(w io.Writer) error { return imageset.WriteList(w, images) })
}

// pixelHash hashes the decoded RGBA pixels, so re-encoded copies of one
// photo are found.
func pixelHash(img image.Image) string {
	h := sha256.New()
	b := img.Bounds()
	fmt.Fprintf(h, "%dx%d;", b.Dx(), b.Dy())
	row := make([]byte, 0, 8*b.Dx())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row = row[:0]
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			row = append(row, byte(r>>8), byte(g>>8), byte(bl>>8), byte(a>>8))
		}
		h.Write(row)
	}
	return hex.EncodeToString(h.Sum(nil))
}
