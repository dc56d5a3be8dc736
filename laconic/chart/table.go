package chart

import (
	"fmt"
	"html"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/janpfeifer/gonb/gonbui"
)

// TableHTML returns an HTML table of a record batch: one header cell per
// column, numbers right-aligned (floating-point values with 6 significant
// digits), nulls empty. With maxRows > 0 only the first maxRows rows are
// shown, followed by a line saying how many were left out.
func TableHTML(rec arrow.RecordBatch, maxRows int) (string, error) {
	if rec == nil {
		return "", fmt.Errorf("chart: TableHTML of a nil record batch")
	}
	rows := int(rec.NumRows())
	shown := rows
	if maxRows > 0 && maxRows < rows {
		shown = maxRows
	}
	var b strings.Builder
	b.WriteString(`<table class="laconic-table" style="border-collapse:collapse;font-family:monospace;font-size:12px">` + "\n<thead><tr>")
	cols := int(rec.NumCols())
	numeric := make([]bool, cols)
	for j := 0; j < cols; j++ {
		numeric[j] = isNumeric(rec.Column(j).DataType())
		fmt.Fprintf(&b, `<th style="%s;border-bottom:1px solid #999;padding:2px 8px">%s</th>`, align(numeric[j]), html.EscapeString(rec.ColumnName(j)))
	}
	b.WriteString("</tr></thead>\n<tbody>\n")
	for i := 0; i < shown; i++ {
		b.WriteString("<tr>")
		for j := 0; j < cols; j++ {
			s, err := cellText(rec.Column(j), i)
			if err != nil {
				return "", fmt.Errorf("chart: column %q: %w", rec.ColumnName(j), err)
			}
			fmt.Fprintf(&b, `<td style="%s;padding:2px 8px">%s</td>`, align(numeric[j]), html.EscapeString(s))
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody></table>\n")
	if shown < rows {
		fmt.Fprintf(&b, "<p style=\"font-size:12px\">%d of %d rows shown.</p>\n", shown, rows)
	}
	return b.String(), nil
}

func align(numeric bool) string {
	if numeric {
		return "text-align:right"
	}
	return "text-align:left"
}

// cellText formats one cell for a table: floats with 6 significant digits,
// other types as the pivot adapters format them, nulls as "".
func cellText(a arrow.Array, i int) (string, error) {
	if a.IsNull(i) {
		return "", nil
	}
	switch c := a.(type) {
	case *array.Float32:
		return strconv.FormatFloat(float64(c.Value(i)), 'g', 6, 32), nil
	case *array.Float64:
		return strconv.FormatFloat(c.Value(i), 'g', 6, 64), nil
	}
	if s, ok := textAt(a, i); ok {
		return s, nil
	}
	return "", fmt.Errorf("unsupported type %s", a.DataType())
}

// DisplayTable shows a record batch as an HTML table (see TableHTML) in the
// output of the current GoNB notebook cell. It returns ErrNotNotebook
// outside GoNB.
func DisplayTable(rec arrow.RecordBatch, maxRows int) error {
	if !gonbui.IsNotebook {
		return fmt.Errorf("chart: DisplayTable: %w", ErrNotNotebook)
	}
	page, err := TableHTML(rec, maxRows)
	if err != nil {
		return err
	}
	gonbui.DisplayHTML(page)
	gonbui.Sync()
	return nil
}
