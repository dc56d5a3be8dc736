package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteCreatesAndReplaces(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "dir", "table.csv")
	for _, content := range []string{"first\n", "second, longer\n"} {
		if err := WriteBytes(path, []byte(content)); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != content {
			t.Fatalf("content %q (%v), want %q", got, err, content)
		}
	}
	assertOnly(t, filepath.Dir(path), "table.csv")
}

func TestWriteFailureKeepsOriginal(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.parquet")
	if err := WriteBytes(path, []byte("original")); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("encoder failed")
	err := Write(path, func(w io.Writer) error {
		fmt.Fprint(w, "half-writ")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Write error = %v, want it to wrap %v", err, boom)
	}
	got, _ := os.ReadFile(path)
	if string(got) != "original" {
		t.Errorf("after a failed write the file holds %q", got)
	}
	assertOnly(t, dir, "out.parquet")
}

func TestWriteFailureCreatesNothing(t *testing.T) {
	dir := t.TempDir()
	err := Write(filepath.Join(dir, "new.csv"), func(w io.Writer) error { return errors.New("no rows") })
	if err == nil {
		t.Fatal("no error")
	}
	assertOnly(t, dir)
}

func TestWriteUnwritableDirectory(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteBytes(filepath.Join(blocker, "x.csv"), []byte("x")); err == nil {
		t.Error("writing below a regular file succeeded")
	}
}

// assertOnly fails unless dir holds exactly the named entries (no
// temporary files left behind).
func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if fmt.Sprint(got) != fmt.Sprint(names) {
		t.Errorf("directory holds %v, want %v", got, names)
	}
}
