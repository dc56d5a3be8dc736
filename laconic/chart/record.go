package chart

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// Pivot names the columns of a tidy table (one row per observation) that
// become a figure's categories, series and values. Categories and series
// appear in the order of their first row, so a table sorted the way it
// should be drawn needs no further ordering.
//
// Text columns (string, large string, string dictionaries), integer,
// floating-point and boolean columns can name categories and series; their
// cells are formatted as text (floats in the shortest form that reads back
// exactly). Value columns must be integer or floating-point; a null value
// is a missing value.
type Pivot struct {
	Category string `json:"category"`
	// Series is the column whose values name the series; when empty there
	// is one series, named after Value.
	Series string `json:"series,omitempty"`
	Value  string `json:"value"`
	// Where keeps only the rows whose column (key) formatted as text equals
	// the given text, for example {"model": "mobilenet_v2", "scheme": "We+Ae"}.
	Where map[string]string `json:"where,omitempty"`
}

// Validate checks that the category and value columns are named.
func (p Pivot) Validate() error {
	if p.Category == "" {
		return fmt.Errorf("chart: pivot: no category column named")
	}
	if p.Value == "" {
		return fmt.Errorf("chart: pivot: no value column named")
	}
	return nil
}

// GroupedFromRecord pivots a tidy table into grouped bars: one category per
// distinct value of column category, one series per distinct value of
// column series (one series named after value when series is ""), bar
// heights from column value. It is Pivot{category, series, value,
// nil}.Grouped(rec).
func GroupedFromRecord(rec arrow.RecordBatch, category, series, value string) (Grouped, error) {
	return Pivot{Category: category, Series: series, Value: value}.Grouped(rec)
}

// Grouped pivots rec into grouped bars (see GroupedFromRecord). Missing
// (category, series) pairs become NaN (gaps); a pair that appears twice is
// an error, since a figure shows one value per pair: filter with Where.
func (p Pivot) Grouped(rec arrow.RecordBatch) (Grouped, error) {
	pv, err := p.pivot(rec, false)
	if err != nil {
		return Grouped{}, err
	}
	return Grouped{Title: p.Value, YLabel: p.Value, XLabel: p.Category, Categories: pv.categories, Series: pv.series}, nil
}

// XYFromRecord pivots a tidy table into lines: one line per distinct value
// of column series (one line named after y when series is ""), points
// (x, y) from the numeric columns x and y in row order.
func XYFromRecord(rec arrow.RecordBatch, x, y, series string) (XY, error) {
	return Pivot{Category: x, Series: series, Value: y}.XY(rec)
}

// XY pivots rec into lines: the category column must be numeric and gives
// the x of each point. Rows with a null x are an error; a null y is a
// missing point.
func (p Pivot) XY(rec arrow.RecordBatch) (XY, error) {
	pv, err := p.pivot(rec, true)
	if err != nil {
		return XY{}, err
	}
	return XY{Title: p.Value, XLabel: p.Category, YLabel: p.Value, Series: pv.xy}, nil
}

// PanelsFromRecord pivots a tidy table into a Panels figure with one panel
// per value column (for example "speedup" and "energy_efficiency"), each
// labelled with its column name.
func PanelsFromRecord(rec arrow.RecordBatch, category, series string, values ...string) (Panels, error) {
	if len(values) == 0 {
		return Panels{}, fmt.Errorf("chart: no value columns for the panels")
	}
	var out Panels
	for i, v := range values {
		pv, err := Pivot{Category: category, Series: series, Value: v}.pivot(rec, false)
		if err != nil {
			return Panels{}, err
		}
		if i == 0 {
			out.Categories = pv.categories
			out.XLabel = category
			out.Title = strings.Join(values, " and ")
		}
		out.Panels = append(out.Panels, Panel{YLabel: v, Series: pv.series})
	}
	return out, nil
}

// HistogramFromRecord builds a term-count histogram from a table with one
// row per (series, term count): column terms holds the non-negative integer
// term count, column count how many values have it, and column series names
// the series (one series named after count when series is ""). It is
// Pivot{terms, series, count, nil}.Histogram(rec).
func HistogramFromRecord(rec arrow.RecordBatch, terms, count, series string) (Histogram, error) {
	return Pivot{Category: terms, Series: series, Value: count}.Histogram(rec)
}

// Histogram pivots rec into a term-count histogram: the category column
// holds integer term counts in [0, 65536], the value column the number of
// values with that count. Rows with the same series and term count add up
// (for example the layers of a network, when Where keeps one tensor and
// encoding); term counts missing from the table count zero, null counts
// count nothing.
func (p Pivot) Histogram(rec arrow.RecordBatch) (Histogram, error) {
	xy, err := p.XY(rec)
	if err != nil {
		return Histogram{}, err
	}
	h := Histogram{Title: p.Value, XLabel: p.Category}
	for _, s := range xy.Series {
		bins := 0
		for _, k := range s.X {
			if k < 0 || k != math.Trunc(k) || k > 1<<16 {
				return Histogram{}, fmt.Errorf("chart: column %q: term count %v, want an integer in [0, 65536]", p.Category, k)
			}
			bins = max(bins, int(k)+1)
		}
		vals := make([]float64, bins)
		for j, k := range s.X {
			if !math.IsNaN(s.Y[j]) {
				vals[int(k)] += s.Y[j]
			}
		}
		h.Series = append(h.Series, Series{Name: s.Name, Values: vals})
	}
	return h, nil
}

// ColumnsFromRecord turns a wide table into grouped bars: one category per
// row (named by column category, which must not repeat), one series per
// value column, named after the column. For example the per-layer
// characterisation table with columns act_zero_fraction and
// wgt_zero_fraction gives two bars per layer.
func ColumnsFromRecord(rec arrow.RecordBatch, category string, columns ...string) (Grouped, error) {
	if len(columns) == 0 {
		return Grouped{}, fmt.Errorf("chart: no value columns named")
	}
	g := Grouped{Title: strings.Join(columns, ", "), XLabel: category}
	for i, c := range columns {
		pv, err := Pivot{Category: category, Value: c}.pivot(rec, false)
		if err != nil {
			return Grouped{}, err
		}
		if i == 0 {
			g.Categories = pv.categories
		}
		g.Series = append(g.Series, pv.series...)
	}
	return g, nil
}

type pivoted struct {
	categories []string
	series     []Series
	xy         []XYSeries
}

func (p Pivot) pivot(rec arrow.RecordBatch, numericCategory bool) (pivoted, error) {
	if err := p.Validate(); err != nil {
		return pivoted{}, err
	}
	if rec == nil {
		return pivoted{}, fmt.Errorf("chart: pivot of a nil record batch")
	}
	get := func(name, role string) (arrow.Array, error) {
		idx := rec.Schema().FieldIndices(name)
		if len(idx) == 0 {
			names := make([]string, rec.NumCols())
			for i := range names {
				names[i] = rec.ColumnName(i)
			}
			return nil, fmt.Errorf("chart: table has no %s column %q (columns: %s)", role, name, strings.Join(names, ", "))
		}
		if len(idx) > 1 {
			return nil, fmt.Errorf("chart: table has %d columns named %q", len(idx), name)
		}
		return rec.Column(idx[0]), nil
	}
	catCol, err := get(p.Category, "category")
	if err != nil {
		return pivoted{}, err
	}
	valCol, err := get(p.Value, "value")
	if err != nil {
		return pivoted{}, err
	}
	if !isNumeric(valCol.DataType()) {
		return pivoted{}, fmt.Errorf("chart: value column %q has type %s, want an integer or floating-point column", p.Value, valCol.DataType())
	}
	if numericCategory && !isNumeric(catCol.DataType()) {
		return pivoted{}, fmt.Errorf("chart: x column %q has type %s, want an integer or floating-point column", p.Category, catCol.DataType())
	}
	if !numericCategory && !isText(catCol.DataType()) {
		return pivoted{}, fmt.Errorf("chart: category column %q has unsupported type %s", p.Category, catCol.DataType())
	}
	var serCol arrow.Array
	if p.Series != "" {
		if serCol, err = get(p.Series, "series"); err != nil {
			return pivoted{}, err
		}
		if !isText(serCol.DataType()) {
			return pivoted{}, fmt.Errorf("chart: series column %q has unsupported type %s", p.Series, serCol.DataType())
		}
	}
	type filter struct {
		name string
		col  arrow.Array
		want string
	}
	keys := make([]string, 0, len(p.Where))
	for k := range p.Where {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var filters []filter
	for _, k := range keys {
		col, err := get(k, "filter")
		if err != nil {
			return pivoted{}, err
		}
		if !isText(col.DataType()) {
			return pivoted{}, fmt.Errorf("chart: filter column %q has unsupported type %s", k, col.DataType())
		}
		filters = append(filters, filter{k, col, p.Where[k]})
	}

	var out pivoted
	catIndex := map[string]int{}
	serIndex := map[string]int{}
	var seriesNames []string
	type cell struct{ cat, ser int }
	cells := map[cell]float64{}
	seen := map[cell]int64{}
	xs := map[int][]float64{}
	ys := map[int][]float64{}
	rows := int(rec.NumRows())
	matched := 0
rowLoop:
	for r := 0; r < rows; r++ {
		for _, f := range filters {
			s, ok := textAt(f.col, r)
			if !ok || s != f.want {
				continue rowLoop
			}
		}
		matched++
		serName := p.Value
		if serCol != nil {
			s, ok := textAt(serCol, r)
			if !ok {
				return pivoted{}, fmt.Errorf("chart: series column %q is null in row %d", p.Series, r)
			}
			serName = s
		}
		si, ok := serIndex[serName]
		if !ok {
			si = len(seriesNames)
			serIndex[serName] = si
			seriesNames = append(seriesNames, serName)
		}
		y, ok := numAt(valCol, r)
		if !ok {
			y = math.NaN()
		}
		if numericCategory {
			x, ok := numAt(catCol, r)
			if !ok {
				return pivoted{}, fmt.Errorf("chart: x column %q is null in row %d", p.Category, r)
			}
			xs[si] = append(xs[si], x)
			ys[si] = append(ys[si], y)
			continue
		}
		catName, ok := textAt(catCol, r)
		if !ok {
			return pivoted{}, fmt.Errorf("chart: category column %q is null in row %d", p.Category, r)
		}
		ci, ok := catIndex[catName]
		if !ok {
			ci = len(out.categories)
			catIndex[catName] = ci
			out.categories = append(out.categories, catName)
		}
		k := cell{ci, si}
		if first, dup := seen[k]; dup {
			return pivoted{}, fmt.Errorf("chart: rows %d and %d both give %s = %q, %s = %q: one value per pair expected (narrow the table with Pivot.Where)",
				first, r, p.Category, catName, seriesLabel(p), serName)
		}
		seen[k] = int64(r)
		cells[k] = y
	}
	if matched == 0 {
		if len(filters) > 0 {
			return pivoted{}, fmt.Errorf("chart: no row of the table matches %s", whereText(p.Where, keys))
		}
		return pivoted{}, fmt.Errorf("chart: the table has no rows")
	}
	for si, name := range seriesNames {
		if numericCategory {
			out.xy = append(out.xy, XYSeries{Name: name, X: xs[si], Y: ys[si]})
			continue
		}
		vals := make([]float64, len(out.categories))
		for ci := range vals {
			v, ok := cells[cell{ci, si}]
			if !ok {
				v = math.NaN()
			}
			vals[ci] = v
		}
		out.series = append(out.series, Series{Name: name, Values: vals})
	}
	return out, nil
}

func seriesLabel(p Pivot) string {
	if p.Series == "" {
		return "series"
	}
	return p.Series
}

func whereText(w map[string]string, keys []string) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s = %q", k, w[k])
	}
	return strings.Join(parts, " and ")
}

func isNumeric(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64,
		arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64,
		arrow.FLOAT32, arrow.FLOAT64:
		return true
	}
	return false
}

func isText(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.STRING, arrow.LARGE_STRING, arrow.BOOL:
		return true
	case arrow.DICTIONARY:
		return isText(t.(*arrow.DictionaryType).ValueType)
	}
	return isNumeric(t)
}

// numAt returns cell i of a numeric column; false for a null.
func numAt(a arrow.Array, i int) (float64, bool) {
	if a.IsNull(i) {
		return 0, false
	}
	switch c := a.(type) {
	case *array.Int8:
		return float64(c.Value(i)), true
	case *array.Int16:
		return float64(c.Value(i)), true
	case *array.Int32:
		return float64(c.Value(i)), true
	case *array.Int64:
		return float64(c.Value(i)), true
	case *array.Uint8:
		return float64(c.Value(i)), true
	case *array.Uint16:
		return float64(c.Value(i)), true
	case *array.Uint32:
		return float64(c.Value(i)), true
	case *array.Uint64:
		return float64(c.Value(i)), true
	case *array.Float32:
		return float64(c.Value(i)), true
	case *array.Float64:
		return c.Value(i), true
	}
	return 0, false
}

// textAt returns cell i of a text-like column formatted as text; false for
// a null.
func textAt(a arrow.Array, i int) (string, bool) {
	if a.IsNull(i) {
		return "", false
	}
	switch c := a.(type) {
	case *array.String:
		return c.Value(i), true
	case *array.LargeString:
		return c.Value(i), true
	case *array.Boolean:
		return strconv.FormatBool(c.Value(i)), true
	case *array.Float32:
		return strconv.FormatFloat(float64(c.Value(i)), 'g', -1, 32), true
	case *array.Float64:
		return strconv.FormatFloat(c.Value(i), 'g', -1, 64), true
	case *array.Int8:
		return strconv.FormatInt(int64(c.Value(i)), 10), true
	case *array.Int16:
		return strconv.FormatInt(int64(c.Value(i)), 10), true
	case *array.Int32:
		return strconv.FormatInt(int64(c.Value(i)), 10), true
	case *array.Int64:
		return strconv.FormatInt(c.Value(i), 10), true
	case *array.Uint8:
		return strconv.FormatUint(uint64(c.Value(i)), 10), true
	case *array.Uint16:
		return strconv.FormatUint(uint64(c.Value(i)), 10), true
	case *array.Uint32:
		return strconv.FormatUint(uint64(c.Value(i)), 10), true
	case *array.Uint64:
		return strconv.FormatUint(c.Value(i), 10), true
	case *array.Dictionary:
		return textAt(c.Dictionary(), c.GetValueIndex(i))
	}
	return "", false
}
