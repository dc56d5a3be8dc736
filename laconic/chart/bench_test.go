package chart

import (
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

func benchGrouped(cats, series int) Grouped {
	g := Grouped{Title: "bench", LogY: true}
	for c := 0; c < cats; c++ {
		g.Categories = append(g.Categories, fmt.Sprintf("layer_%03d", c))
	}
	for s := 0; s < series; s++ {
		vals := make([]float64, cats)
		for c := range vals {
			vals[c] = float64(1 + (c*7+s*13)%97)
		}
		g.Series = append(g.Series, Series{Name: fmt.Sprintf("scheme_%d", s), Values: vals})
	}
	return g
}

// BenchmarkBarsOption builds a grouped bar chart and renders its option.
func BenchmarkBarsOption(b *testing.B) {
	for _, size := range []struct{ cats, series int }{{6, 12}, {60, 12}} {
		g := benchGrouped(size.cats, size.series)
		b.Run(fmt.Sprintf("%dx%d", size.cats, size.series), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				c, err := Bars(g)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := c.Option(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPivot pivots a tidy table (rows = categories x series).
func BenchmarkPivot(b *testing.B) {
	mem := memory.NewGoAllocator()
	for _, size := range []struct{ cats, series int }{{60, 12}, {1000, 12}} {
		var cats, sers []string
		var vals []float64
		for c := 0; c < size.cats; c++ {
			for s := 0; s < size.series; s++ {
				cats = append(cats, fmt.Sprintf("layer_%04d", c))
				sers = append(sers, fmt.Sprintf("scheme_%d", s))
				vals = append(vals, float64(c*s))
			}
		}
		rec := newRecord(mem, col{name: "layer", values: cats}, col{name: "scheme", values: sers, dict: true}, col{name: "speedup", values: vals})
		b.Run(fmt.Sprintf("rows=%d", len(cats)), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := GroupedFromRecord(rec, "layer", "scheme", "speedup"); err != nil {
					b.Fatal(err)
				}
			}
		})
		rec.Release()
	}
}

// BenchmarkHTML renders a standalone page (inlining about 1 MB of echarts).
func BenchmarkHTML(b *testing.B) {
	c, err := Bars(benchGrouped(6, 12))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := Echarts(); err != nil {
		b.Skip(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := HTML(c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSVG renders one SVG with Node.js (one process a figure).
func BenchmarkSVG(b *testing.B) {
	c, err := Bars(benchGrouped(6, 12))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := nodePath(); err != nil {
		b.Skip(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := SVG(c, 0, 0); err != nil {
			b.Fatal(err)
		}
	}
}
