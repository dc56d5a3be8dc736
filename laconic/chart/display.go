package chart

import (
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
)

// ErrNotNotebook is returned by Display, DisplaySVG and DisplayTable outside a GoNB
// notebook kernel.
var ErrNotNotebook = errors.New("not running in a GoNB notebook")

// displayState is the file in GoNB's per-kernel temporary directory that
// counts the charts displayed since the kernel started: every cell runs as
// a new process, so the count cannot live in memory.
const displayState = "laconic-chart-displays"

// Display shows the chart in the output of the current GoNB notebook cell.
//
// The output carries the chart in three forms (see NotebookBundle), so that
// it survives wherever the notebook is opened: a static image
// (image/svg+xml, and image/png when rsvg-convert is installed), which
// Jupyter shows even in a notebook it does not trust and which static
// viewers show; and the interactive echarts version (text/html: tooltips,
// legend toggling), which a trusted notebook shows in its place. Jupyter
// sanitises the text/html form of an untrusted notebook, removing its
// scripts; that form therefore also holds the static image inside the chart
// element, which the script replaces.
//
// The first chart displayed after the kernel starts carries the echarts
// library itself (about 1 MB, wrapped so that require.js in classic
// Jupyter does not capture it); later ones use it. A saved notebook thus
// shows its interactive charts when the cells were run in order from a
// fresh kernel; a chart whose page lacks the library keeps its static image
// and says so below it. Element ids are the chart's ID followed by the
// count of displays in the kernel, so re-running a notebook gives the same
// outputs.
//
// The static image needs Node.js and echarts (make setup-charts); Display
// returns an error wrapping ErrNoNode or ErrNoEcharts (and shows it in the
// cell) when either is missing, and ErrNotNotebook outside GoNB. Without
// rsvg-convert the PNG form is left out and a notice says so on stderr.
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
	b, err := NotebookBundle(c, c.id+"_"+strconv.Itoa(n), n == 1)
	if err != nil {
		// Not counted: the next chart carries the library again.
		gonbui.DisplayHTML(errorHTML(err))
		gonbui.Sync()
		return err
	}
	if err := setDisplayCount(n); err != nil {
		return err
	}
	sendBundle(b)
	return nil
}

// DisplaySVG shows only the static rendering of the chart (see SVG) in the
// output of the current GoNB notebook cell, as image/svg+xml (and image/png
// when rsvg-convert is installed): it needs no script to view and is shown
// by untrusted notebooks and static viewers alike.
func DisplaySVG(c *Chart, width, height int) error {
	if c == nil {
		return fmt.Errorf("chart: DisplaySVG of a nil chart")
	}
	if !gonbui.IsNotebook {
		return fmt.Errorf("chart %s: DisplaySVG: %w; use SaveSVG", c.id, ErrNotNotebook)
	}
	b, err := staticBundle(c, width, height)
	if err != nil {
		gonbui.DisplayHTML(errorHTML(err))
		gonbui.Sync()
		return err
	}
	sendBundle(b)
	return nil
}

// Bundle is one notebook output: its representations by MIME type, with
// Jupyter's metadata (the PNG's display size).
type Bundle struct {
	// Data maps a MIME type ("image/svg+xml", "image/png", "text/html") to
	// the representation: text for SVG and HTML, the file's bytes for PNG.
	Data map[string]any
	// Metadata holds {"image/png": {"width": w, "height": h}}: the PNG is
	// rendered at twice the chart's size and shown at its size.
	Metadata map[string]any
	// Notice, when not empty, explains a representation that was left out.
	Notice string
}

// PNGScale is the scale of the PNG representation of a notebook chart.
const PNGScale = 2

// NotebookBundle returns the output Display sends for the chart: the static
// image (SVG, and PNG when rsvg-convert is installed) and the interactive
// HTML fragment of NotebookHTML, whose chart element holds the static image
// until the script draws the interactive chart in its place.
func NotebookBundle(c *Chart, elementID string, withLibrary bool) (Bundle, error) {
	b, err := staticBundle(c, 0, 0)
	if err != nil {
		return Bundle{}, err
	}
	page, err := notebookHTML(c, elementID, withLibrary, b.Data[string(protocol.MIMEImageSVG)].(string))
	if err != nil {
		return Bundle{}, err
	}
	b.Data[string(protocol.MIMETextHTML)] = page
	return b, nil
}

func staticBundle(c *Chart, width, height int) (Bundle, error) {
	if c == nil {
		return Bundle{}, fmt.Errorf("chart: static rendering of a nil chart")
	}
	if width == 0 {
		width = c.width
	}
	if height == 0 {
		height = c.height
	}
	svg, err := SVG(c, width, height)
	if err != nil {
		return Bundle{}, err
	}
	b := Bundle{Data: map[string]any{string(protocol.MIMEImageSVG): string(svg)}}
	png, err := ConvertSVG(svg, "png", PNGScale)
	switch {
	case errors.Is(err, ErrNoRsvg):
		b.Notice = fmt.Sprintf("chart %s: no PNG form in the notebook output: %v", c.id, err)
	case err != nil:
		return Bundle{}, fmt.Errorf("chart %s: %w", c.id, err)
	default:
		b.Data[string(protocol.MIMEImagePNG)] = png
		// map[string]int: a type GoNB registers for its pipe to the kernel.
		b.Metadata = map[string]any{string(protocol.MIMEImagePNG): map[string]int{"width": width, "height": height}}
	}
	return b, nil
}

func sendBundle(b Bundle) {
	if b.Notice != "" {
		fmt.Fprintln(os.Stderr, b.Notice)
	}
	data := make(map[protocol.MIMEType]any, len(b.Data))
	for k, v := range b.Data {
		data[protocol.MIMEType(k)] = v
	}
	gonbui.SendData(&protocol.DisplayData{Data: data, Metadata: b.Metadata})
	gonbui.Sync()
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

// NotebookHTML returns the interactive HTML fragment for the chart: the
// element (from the chart's snippet) with the given element id, the echarts
// library when withLibrary is set, and a script that draws the option into
// the element, or writes a message there when echarts is missing.
func NotebookHTML(c *Chart, elementID string, withLibrary bool) (string, error) {
	return notebookHTML(c, elementID, withLibrary, "")
}

// notebookHTML is NotebookHTML with a static SVG rendering placed inside the
// chart element (as an image, which sanitisers keep) until the script
// replaces it; staticSVG may be empty.
func notebookHTML(c *Chart, elementID string, withLibrary bool, staticSVG string) (string, error) {
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
	idAttr := `id="` + elementID + `"`
	element := strings.Replace(strings.TrimSpace(sn.Element), `id="`+c.id+`"`, idAttr, 1)
	at := strings.Index(element, idAttr)
	end := -1
	if at >= 0 {
		end = strings.Index(element[at:], "></div>")
	}
	if end < 0 {
		return "", fmt.Errorf("chart %s: unexpected go-echarts element %.120q", c.id, sn.Element)
	}
	if staticSVG != "" {
		end += at + 1
		img := `<img alt="` + html.EscapeString(c.title) + `" src="data:image/svg+xml;base64,` + base64.StdEncoding.EncodeToString([]byte(staticSVG)) + `">`
		element = element[:end] + img + element[end:]
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
    el.insertAdjacentHTML("beforeend", %q);
    return;
  }
  el.innerHTML = "";
  var chart = window.echarts.init(el, null, { renderer: "svg" });
  chart.setOption(%s);
})();
</script>
`, elementID, missingLibraryHTML, option)
	return b.String(), nil
}

const missingLibraryHTML = `<p style="color:#b00020;font-family:sans-serif">laconic/chart: the echarts library is not loaded in this page, so this chart is shown as a static image. ` +
	`The first chart displayed after a kernel start carries it: restart the kernel and run all cells.</p>`

func errorHTML(err error) string {
	return `<pre style="color:#b00020;white-space:pre-wrap">` + html.EscapeString(err.Error()) + `</pre>`
}
