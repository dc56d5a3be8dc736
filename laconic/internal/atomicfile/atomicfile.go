package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// maxLinks bounds the symbolic links followed to a destination (Linux's
// own limit is 40).
const maxLinks = 40

// Target is where Write puts the bytes meant for a path.
type Target struct {
	// Path is the file written: the given path, or the end of its chain of
	// symbolic links.
	Path string
	// InPlace is true for special files (devices, FIFOs, sockets and
	// everything reached through /dev or /proc, such as /dev/stdout): they
	// are opened and written as they are, never replaced.
	InPlace bool
	// Exists reports whether Path exists.
	Exists bool
	// Mode is the permission of an existing regular file, kept by Write.
	Mode fs.FileMode
}

// Resolve says how Write treats path: symbolic links are followed to their
// destination (so the link stays a link and its destination is written),
// special files and anything under /dev or /proc are written in place, and
// regular files (existing or not) are replaced atomically. A directory is
// an error.
func Resolve(path string) (Target, error) {
	if path == "" {
		return Target{}, errors.New("empty path")
	}
	p := path
	for range maxLinks {
		if isSpecialTree(p) {
			st, err := os.Stat(p)
			if err == nil && st.IsDir() {
				return Target{}, fmt.Errorf("%s is a directory", path)
			}
			return Target{Path: p, InPlace: true, Exists: err == nil}, nil
		}
		st, err := os.Lstat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return Target{Path: p}, nil
		case err != nil:
			return Target{}, err
		case st.Mode()&fs.ModeSymlink != 0:
			dest, err := os.Readlink(p)
			if err != nil {
				return Target{}, err
			}
			if !filepath.IsAbs(dest) {
				dest = filepath.Join(filepath.Dir(p), dest)
			}
			p = dest
			continue
		case st.IsDir():
			return Target{}, fmt.Errorf("%s is a directory", path)
		case st.Mode().IsRegular():
			return Target{Path: p, Exists: true, Mode: st.Mode().Perm()}, nil
		}
		return Target{Path: p, InPlace: true, Exists: true}, nil
	}
	return Target{}, fmt.Errorf("%s: more than %d symbolic links", path, maxLinks)
}

// isSpecialTree reports whether p lies in /dev or /proc, where names such
// as /dev/stdout and /proc/self/fd/1 stand for open files that must never
// be replaced.
func isSpecialTree(p string) bool {
	p = filepath.Clean(p)
	for _, root := range []string{"/dev", "/proc"} {
		if p == root || strings.HasPrefix(p, root+"/") {
			return true
		}
	}
	return false
}

// Write creates or replaces path with what write produces.
//
// A regular file (or a new one) is written atomically: to a temporary file
// in the same directory, synced and renamed over path only when writing
// succeeded, so on any error path is left as it was and no temporary file
// remains. Missing parent directories are created. A symbolic link keeps
// being a link: its destination is written the same way, in the
// destination's directory. Special files (devices such as /dev/null,
// FIFOs, /dev/stdout and other names under /dev and /proc) are opened and
// written in place (regular files reached through /dev or /proc are
// appended to, as a shell's redirection left them). Every write, flush and
// close error is returned, so /dev/full gives an error.
func Write(path string, write func(w io.Writer) error) error {
	t, err := Resolve(path)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if t.InPlace {
		return writeInPlace(path, t, write)
	}
	return writeAtomic(path, t, write)
}

func writeInPlace(path string, t Target, write func(w io.Writer) error) (err error) {
	flag := os.O_WRONLY
	if st, err := os.Stat(t.Path); err == nil && st.Mode().IsRegular() {
		flag |= os.O_APPEND
	}
	f, err := os.OpenFile(t.Path, flag, 0)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close %s: %w", path, cerr)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<16)
	if err := write(bw); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func writeAtomic(path string, t Target, write func(w io.Writer) error) (err error) {
	dir := filepath.Dir(t.Path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create directory for %s: %w", path, err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(t.Path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("create temporary file for %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	if err = write(bw); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	mode := fs.FileMode(0o644)
	if t.Exists {
		mode = t.Mode
	}
	if err = f.Chmod(mode); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", path, err)
	}
	if err = os.Rename(tmp, t.Path); err != nil {
		return fmt.Errorf("rename into %s: %w", path, err)
	}
	return nil
}

// WriteBytes is Write for content already in memory.
func WriteBytes(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// CheckWritable reports, before any work is done, whether Write(path, ...)
// can succeed as far as the file system can tell: path is not a directory,
// a special file can be opened for writing, and a regular file can be
// created in its directory (or in the nearest existing ancestor, when the
// directories are still to be created). It creates and removes a probe file
// and leaves nothing behind; FIFOs are only checked for permission, since
// opening one would wait for a reader.
func CheckWritable(path string) error {
	t, err := Resolve(path)
	if err != nil {
		return err
	}
	if t.InPlace {
		st, err := os.Stat(t.Path)
		if err != nil {
			return err
		}
		if st.Mode()&fs.ModeNamedPipe != 0 {
			if st.Mode().Perm()&0o222 == 0 {
				return fmt.Errorf("%s: FIFO not writable", path)
			}
			return nil
		}
		f, err := os.OpenFile(t.Path, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			return err
		}
		return f.Close()
	}
	if err := CheckDir(filepath.Dir(t.Path)); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// CheckDir reports whether files can be created in dir: dir is a directory
// (or does not exist yet and the nearest existing ancestor is one) and a
// probe file can be created and removed there.
func CheckDir(dir string) error {
	d := filepath.Clean(dir)
	for {
		st, err := os.Stat(d)
		if err == nil {
			if !st.IsDir() {
				return fmt.Errorf("%s is not a directory", d)
			}
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		parent := filepath.Dir(d)
		if parent == d {
			return err
		}
		d = parent
	}
	f, err := os.CreateTemp(d, ".laconic-probe-*")
	if err != nil {
		return fmt.Errorf("cannot create files in %s: %w", d, err)
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}
