package chart

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
)

// EchartsVersion is the echarts release the toolkit installs and tests
// against (npm package echarts, file dist/echarts.min.js).
const EchartsVersion = "5.6.0"

// EchartsEnv names the environment variable that points at echarts.min.js
// (or at an echarts package directory holding dist/echarts.min.js). When it
// is unset the library is looked up in the repository cache
// .cache/npm/node_modules/echarts/dist/echarts.min.js, from the working
// directory upwards and then from this package's source directory upwards.
const EchartsEnv = "LACONIC_ECHARTS"

// ErrNoEcharts is returned (wrapped) when the echarts library cannot be
// found: run `make setup-charts` or set LACONIC_ECHARTS.
var ErrNoEcharts = errors.New("echarts library not found")

// cacheRel is where scripts/setup-charts.sh installs the library, relative
// to the repository root.
var cacheRel = filepath.Join(".cache", "npm", "node_modules", "echarts", "dist", "echarts.min.js")

// EchartsPath returns the path of echarts.min.js, or an error wrapping
// ErrNoEcharts that lists where it looked and how to install it.
func EchartsPath() (string, error) {
	if env := os.Getenv(EchartsEnv); env != "" {
		p := env
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			p = filepath.Join(p, "dist", "echarts.min.js")
		}
		if st, err := os.Stat(p); err != nil || st.IsDir() {
			return "", fmt.Errorf("chart: %s=%s: %s does not exist: %w; point it at echarts.min.js or unset it and run `make setup-charts`", EchartsEnv, env, p, ErrNoEcharts)
		}
		return p, nil
	}
	var tried []string
	for _, dir := range searchStarts() {
		for {
			p := filepath.Join(dir, cacheRel)
			if st, err := os.Stat(p); err == nil && !st.IsDir() {
				return p, nil
			}
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				tried = append(tried, p)
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	where := "the repository cache " + cacheRel
	if len(tried) > 0 {
		where = strings.Join(tried, ", ")
	}
	return "", fmt.Errorf("chart: %w (looked in %s): run `make setup-charts` (installs echarts@%s with npm) or set %s to an echarts.min.js", ErrNoEcharts, where, EchartsVersion, EchartsEnv)
}

var libCache struct {
	sync.Mutex
	path string
	size int64
	mod  int64
	data []byte
	safe []byte // data passed through scriptSafe
}

// Echarts returns the content of echarts.min.js (see EchartsPath). The file
// is read once and kept while it does not change; callers must not modify
// the returned bytes.
func Echarts() ([]byte, error) {
	data, _, err := echarts()
	return data, err
}

// echartsForScript returns the library made safe to inline in a <script>
// element (see scriptSafe).
func echartsForScript() ([]byte, error) {
	_, safe, err := echarts()
	return safe, err
}

func echarts() (data, safe []byte, err error) {
	p, err := EchartsPath()
	if err != nil {
		return nil, nil, err
	}
	st, err := os.Stat(p)
	if err != nil {
		return nil, nil, fmt.Errorf("chart: echarts library %s: %w", p, err)
	}
	libCache.Lock()
	defer libCache.Unlock()
	if libCache.path == p && libCache.size == st.Size() && libCache.mod == st.ModTime().UnixNano() {
		return libCache.data, libCache.safe, nil
	}
	data, err = os.ReadFile(p)
	if err != nil {
		return nil, nil, fmt.Errorf("chart: read echarts library: %w", err)
	}
	if !bytes.Contains(data, []byte("echarts")) || !bytes.Contains(data, []byte("setOption")) {
		return nil, nil, fmt.Errorf("chart: %s does not look like the echarts library (no \"setOption\" in it): %w; run `make setup-charts`", p, ErrNoEcharts)
	}
	safe = scriptSafe(data)
	libCache.path, libCache.size, libCache.mod = p, st.Size(), st.ModTime().UnixNano()
	libCache.data, libCache.safe = data, safe
	return data, safe, nil
}

// scriptSafe makes JavaScript safe to place inside a <script> element: no
// "</script" or "<!--" sequence can end or confuse the element. Inside
// string literals and regular expressions "<\/" means the same as "</".
func scriptSafe(js []byte) []byte {
	return unsafeInScript.ReplaceAllFunc(js, func(m []byte) []byte {
		if m[1] == '!' {
			return []byte(`<\!--`)
		}
		return append([]byte(`<\/`), m[2:]...)
	})
}

var unsafeInScript = regexp.MustCompile(`(?i)</script|<!--`)

// searchStarts returns the directories from which EchartsPath walks up:
// the working directory and this package's source directory.
var searchStarts = func() []string {
	var starts []string
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		starts = append(starts, filepath.Dir(file))
	}
	return starts
}
