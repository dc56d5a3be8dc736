package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
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

func TestWriteFIFOInPlace(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	got := make(chan string, 1)
	go func() {
		f, err := os.Open(path)
		if err != nil {
			got <- "open: " + err.Error()
			return
		}
		defer f.Close()
		b, err := io.ReadAll(f)
		if err != nil {
			got <- "read: " + err.Error()
			return
		}
		got <- string(b)
	}()
	if err := WriteBytes(path, []byte("through the pipe\n")); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "through the pipe\n" {
		t.Errorf("reader got %q", s)
	}
	st, err := os.Lstat(path)
	if err != nil || st.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("after the write %s is %v (%v), want the FIFO still there", path, st.Mode(), err)
	}
	assertOnly(t, filepath.Dir(path), "pipe")
}

func TestWriteDevFull(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	err := WriteBytes("/dev/full", []byte("x"))
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("writing /dev/full: %v, want ENOSPC", err)
	}
	st, err := os.Lstat("/dev/full")
	if err != nil || st.Mode()&fs.ModeCharDevice == 0 {
		t.Errorf("/dev/full is now %v (%v), want the device", st.Mode(), err)
	}
	if err := CheckWritable("/dev/full"); err != nil {
		t.Errorf("CheckWritable(/dev/full) = %v: opening it works, only writes fail", err)
	}
}

func TestWriteDevNull(t *testing.T) {
	if err := WriteBytes("/dev/null", []byte("discarded")); err != nil {
		t.Fatal(err)
	}
	st, err := os.Lstat("/dev/null")
	if err != nil || st.Mode()&fs.ModeCharDevice == 0 {
		t.Errorf("/dev/null is now %v (%v)", st.Mode(), err)
	}
}

func TestWriteSymlinkKeepsLink(t *testing.T) {
	for _, tc := range []struct {
		name     string
		relative bool
		existing bool
	}{
		{"absolute, existing", false, true},
		{"relative, existing", true, true},
		{"dangling", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			destDir := filepath.Join(dir, "real")
			if err := os.Mkdir(destDir, 0o755); err != nil {
				t.Fatal(err)
			}
			dest := filepath.Join(destDir, "table.csv")
			if tc.existing {
				if err := os.WriteFile(dest, []byte("old"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			target := dest
			if tc.relative {
				target = filepath.Join("real", "table.csv")
			}
			link := filepath.Join(dir, "link.csv")
			if err := os.Symlink(target, link); err != nil {
				t.Fatal(err)
			}
			if err := WriteBytes(link, []byte("new")); err != nil {
				t.Fatal(err)
			}
			st, err := os.Lstat(link)
			if err != nil || st.Mode()&fs.ModeSymlink == 0 {
				t.Fatalf("%s is %v (%v) after the write, want a symbolic link", link, st.Mode(), err)
			}
			if got, _ := os.Readlink(link); got != target {
				t.Errorf("link points at %q, want %q", got, target)
			}
			if b, _ := os.ReadFile(dest); string(b) != "new" {
				t.Errorf("destination holds %q, want new", b)
			}
			if st, _ := os.Stat(dest); tc.existing && st.Mode().Perm() != 0o600 {
				t.Errorf("destination mode %v, want the original 0600 kept", st.Mode().Perm())
			}
			assertOnly(t, destDir, "table.csv")
		})
	}
}

func TestWriteDirectoryIsError(t *testing.T) {
	dir := t.TempDir()
	if err := WriteBytes(dir, []byte("x")); err == nil {
		t.Error("writing over a directory succeeded")
	}
	if err := CheckWritable(dir); err == nil {
		t.Error("CheckWritable accepts a directory")
	}
}

func TestCheckWritable(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path string
		ok   bool
	}{
		{filepath.Join(dir, "new.csv"), true},
		{filepath.Join(dir, "a", "b", "new.csv"), true},
		{blocker, true},
		{filepath.Join(blocker, "x.csv"), false},
		{filepath.Join(blocker, "sub", "x.csv"), false},
		{"", false},
	} {
		err := CheckWritable(tc.path)
		if (err == nil) != tc.ok {
			t.Errorf("CheckWritable(%q) = %v, want ok=%v", tc.path, err, tc.ok)
		}
	}
	assertOnly(t, dir, "file")
	if err := CheckDir(blocker); err == nil {
		t.Error("CheckDir accepts a regular file")
	}
}
