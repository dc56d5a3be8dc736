package chart

import (
	"errors"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/janpfeifer/gonb/gonbui"
)

// ErrNotNotebook is returned by Display, DisplaySVG and DisplayTable outside a GoNB
// notebook kernel.
var ErrNotNotebook = errors.New("not running in a GoNB notebook")

// displayState is the file in GoNB's per-kernel temporary directory that
// counts the charts displayed since the kernel started: every cell runs as
// a new process, so the count cannot live in memory.
const displayState = "laconic-chart-displays"

// Display shows the chart in the output of the current GoNB notebook cell,
// interactive (tooltips, legend toggling), rendered by echarts in the
// browser.
//
// The first chart displayed after the kernel starts carries the echarts
// library itself (about 1 MB, wrapped so that require.js in classic
// Jupyter does not capture it); later ones use it. A saved notebook thus
// shows its charts when the cells were run in order from a fresh kernel;
// a chart whose page lacks the library says so in its place instead of
// staying blank. Element ids are the chart's ID followed by the count of
// displays in the kernel, so re-running a notebook gives the same outputs.
//
// Display returns an error wrapping ErrNoEcharts (and shows it in the cell)
// when the library is not installed, and ErrNotNotebook outside GoNB.
func Display(c *Chart) error {
	if c == nil {
		return fmt.Errorf("chart: Display of a nil chart")
	}
	if !gonbui.IsNotebook {
		return fmt.Errorf("chart %s: Display: %w; use SaveHTML or SaveSVG", c.id, ErrNotNotebook)
	}
	n, err := displayCount()
	if err != nil {
		return err
	}
	n++
	page, err := NotebookHTML(c, c.id+"_"+strconv.Itoa(n), n == 1)
	if err != nil {
		// Not counted: the next chart carries the library again.
		gonbui.DisplayHTML(errorHTML(err))
		gonbui.Sync()
		return err
	}
	if err := setDisplayCount(n); err != nil {
		return err
	}
	gonbui.DisplayHTML(page)
	gonbui.Sync()
	return nil
}

// DisplaySVG shows a static SVG rendering of the chart (see SVG) in the
// output of the current GoNB notebook cell. Static output needs no script
// to view, so it also shows where notebook scripts do not run.
func DisplaySVG(c *Chart, width, height int) error {
	if c == nil {
		return fmt.Errorf("chart: DisplaySVG of a nil chart")
	}
	if !gonbui.IsNotebook {
		return fmt.Errorf("chart %s: DisplaySVG: %w; use SaveSVG", c.id, ErrNotNotebook)
	}
	svg, err := SVG(c, width, height)
	if err != nil {
		gonbui.DisplayHTML(errorHTML(err))
		gonbui.Sync()
		return err
	}
	gonbui.DisplayHTML("<div>" + string(svg) + "</div>")
	gonbui.Sync()
	return nil
}

// displayCount returns the number of charts displayed since the kernel
// started.
func displayCount() (int, error) {
	p, err := displayStatePath()
	if err != nil {
		return 0, err
	}
	b, err := os.ReadFile(p)
	if os.IsNotExist(err) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("chart: Display: read display count: %w", err)
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || n < 0 {
		return 0, nil // unreadable: start again, carrying the library
	}
	return n, nil
}

func setDisplayCount(n int) error {
	p, err := displayStatePath()
	if err != nil {
		return err
	}
	if err := os.WriteFile(p, []byte(strconv.Itoa(n)+"\n"), 0o644); err != nil {
		return fmt.Errorf("chart: Display: record display count: %w", err)
	}
	return nil
}

func displayStatePath() (string, error) {
	dir := os.Getenv("GONB_TMP_DIR")
	if dir == "" {
		return "", fmt.Errorf("chart: Display: GONB_TMP_DIR is not set: %w", ErrNotNotebook)
	}
	return filepath.Join(dir, displayState), nil
}

// NotebookHTML returns the HTML fragment Display sends for the chart: the
// element (from the chart's snippet) with the given element id, the echarts
// library when withLibrary is set, and a script that draws the option into
// the element, or writes a message there when echarts is missing.
func NotebookHTML(c *Chart, elementID string, withLibrary bool) (string, error) {
	if c == nil {
		return "", fmt.Errorf("chart: NotebookHTML of a nil chart")
	}
	if !validID(elementID) {
		return "", fmt.Errorf("chart %s: element id %q: want letters, digits and underscores, starting with a letter", c.id, elementID)
	}
	sn := c.Snippet()
	option, err := c.Option()
	if err != nil {
		return "", err
	}
	element := strings.Replace(strings.TrimSpace(sn.Element), `id="`+c.id+`"`, `id="`+elementID+`"`, 1)
	if !strings.Contains(element, `id="`+elementID+`"`) {
		return "", fmt.Errorf("chart %s: unexpected go-echarts element %.120q", c.id, sn.Element)
	}
	var b strings.Builder
	b.WriteString(element)
	b.WriteString("\n")
	if withLibrary {
		lib, err := echartsForScript()
		if err != nil {
			return "", err
		}
		b.WriteString("<script type=\"text/javascript\">\n(function (define, exports, module) {\n")
		b.Write(lib)
		b.WriteString("\n}).call(window);\n</script>\n")
	}
	fmt.Fprintf(&b, `<script type="text/javascript">
(function () {
  var el = document.getElementById(%q);
  if (!el) { return; }
  if (typeof window.echarts === "undefined") {
    el.style.height = "auto";
    el.innerHTML = %q;
    return;
  }
  var chart = window.echarts.init(el, null, { renderer: "svg" });
  chart.setOption(%s);
})();
</script>
`, elementID, missingLibraryHTML, option)
	return b.String(), nil
}

const missingLibraryHTML = `<p style="color:#b00020;font-family:sans-serif">laconic/chart: the echarts library is not loaded in this page, so this chart cannot be drawn. ` +
	`The first chart displayed after a kernel start carries it: restart the kernel and run all cells.</p>`

func errorHTML(err error) string {
	return `<pre style="color:#b00020;white-space:pre-wrap">` + html.EscapeString(err.Error()) + `</pre>`
}
