package chart

import (
	"fmt"
	"math"
	"strconv"
)

// Histogram is the data of a term-count histogram: Series[i].Values[k] is
// how many values of series i (an encoding, or a tensor) have k terms. The
// series may have different lengths; the bins run from 0 to the longest.
type Histogram struct {
	ID       string `json:"id,omitempty"`
	Title    string `json:"title"`
	Subtitle string `json:"subtitle,omitempty"`
	XLabel   string `json:"x_label,omitempty"` // "terms" when empty
	YLabel   string `json:"y_label,omitempty"` // "values" or "% of values" when empty
	// Percent draws every series as percentages of its own total, so that
	// tensors of different sizes compare.
	Percent bool     `json:"percent,omitempty"`
	LogY    bool     `json:"log_y,omitempty"`
	Series  []Series `json:"series"`
	Width   int      `json:"width,omitempty"`
	Height  int      `json:"height,omitempty"`
}

// Validate checks that the counts are finite and non-negative.
func (h Histogram) Validate() error {
	g := Grouped{ID: h.ID, Title: h.Title, Width: h.Width, Height: h.Height}
	if err := g.frame().validate(); err != nil {
		return err
	}
	if len(h.Series) == 0 {
		return fmt.Errorf("chart %q: no series", h.Title)
	}
	names := make([]string, len(h.Series))
	for i, s := range h.Series {
		names[i] = s.Name
		if len(s.Values) == 0 {
			return fmt.Errorf("chart %q: series %q has no bins", h.Title, s.Name)
		}
		total := 0.0
		for k, c := range s.Values {
			if math.IsNaN(c) || math.IsInf(c, 0) || c < 0 {
				return fmt.Errorf("chart %q: series %q, %d terms: count %v, want a finite value >= 0", h.Title, s.Name, k, c)
			}
			total += c
		}
		if h.Percent && total == 0 {
			return fmt.Errorf("chart %q: series %q counts nothing, cannot show percentages", h.Title, s.Name)
		}
	}
	return unique(h.Title, "series", names)
}

// Grouped returns the histogram as grouped bars: categories "0", "1", ...
// up to the longest series (shorter ones padded with zeros) and, with
// Percent, values scaled to percentages of each series' total.
func (h Histogram) Grouped() (Grouped, error) {
	if err := h.Validate(); err != nil {
		return Grouped{}, err
	}
	bins := 0
	for _, s := range h.Series {
		bins = max(bins, len(s.Values))
	}
	g := Grouped{
		ID: h.ID, Title: h.Title, Subtitle: h.Subtitle, XLabel: h.XLabel, YLabel: h.YLabel,
		LogY: h.LogY, Width: h.Width, Height: h.Height,
	}
	if g.XLabel == "" {
		g.XLabel = "terms"
	}
	if g.YLabel == "" {
		g.YLabel = "values"
		if h.Percent {
			g.YLabel = "% of values"
		}
	}
	for k := 0; k < bins; k++ {
		g.Categories = append(g.Categories, strconv.Itoa(k))
	}
	for _, s := range h.Series {
		vals := make([]float64, bins)
		copy(vals, s.Values)
		if h.Percent {
			total := 0.0
			for _, c := range s.Values {
				total += c
			}
			for k := range vals {
				vals[k] = 100 * vals[k] / total
			}
		}
		g.Series = append(g.Series, Series{Name: s.Name, Values: vals})
	}
	return g, nil
}

// TermHistogram builds a term-count histogram as grouped bars.
func TermHistogram(h Histogram) (*Chart, error) {
	g, err := h.Grouped()
	if err != nil {
		return nil, err
	}
	return Bars(g)
}
