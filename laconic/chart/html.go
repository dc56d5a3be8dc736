package chart

import (
	"bytes"
	"fmt"

	"github.com/laconiclab/toolkit/laconic/internal/atomicfile"
)

// HTML returns the chart as a standalone HTML page with the echarts library
// inlined (no script is loaded from anywhere), so the page works offline
// and as a single file. It fails with an error wrapping ErrNoEcharts when
// the library is not installed.
func HTML(c *Chart) ([]byte, error) {
	if c == nil {
		return nil, fmt.Errorf("chart: HTML of a nil chart")
	}
	lib, err := echartsForScript()
	if err != nil {
		return nil, err
	}
	header := "<script type=\"text/javascript\">\n" + string(lib) + "\n</script>"
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ec.ClearPresetJSAssets()
	c.ec.AddCustomizedHeaders(header)
	defer c.ec.CustomizedHeaders.Remove(header)
	var buf bytes.Buffer
	if err := c.render.Render(&buf); err != nil {
		return nil, fmt.Errorf("chart %s: render HTML: %w", c.id, err)
	}
	return buf.Bytes(), nil
}

// SaveHTML writes the chart as a standalone HTML page (see HTML) to path,
// atomically: on error the file is left as it was.
func SaveHTML(c *Chart, path string) error {
	page, err := HTML(c)
	if err != nil {
		return err
	}
	return atomicfile.WriteBytes(path, page)
}
