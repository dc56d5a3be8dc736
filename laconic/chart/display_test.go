package chart

import (
	"errors"
	"strings"
	"testing"
)

func TestNotebookHTML(t *testing.T) {
	c, err := Bars(grouped())
	if err != nil {
		t.Fatal(err)
	}
	opt, _ := c.Option()
	for _, withLib := range []bool{false, true} {
		if withLib {
			needEcharts(t)
		}
		page, err := NotebookHTML(c, "chart_potential_speedup_3", withLib)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{`id="chart_potential_speedup_3"`, `getElementById("chart_potential_speedup_3")`, "chart.setOption(" + opt + ")", "the echarts library is not loaded"} {
			if !strings.Contains(page, want) {
				t.Errorf("withLibrary=%v: fragment lacks %q", withLib, want)
			}
		}
		if strings.Contains(page, `id="chart_potential_speedup"`) {
			t.Error("the chart's own id is still in the element")
		}
		hasLib := strings.Contains(page, "(function (define, exports, module) {")
		if hasLib != withLib {
			t.Errorf("withLibrary=%v: library wrapper present = %v", withLib, hasLib)
		}
		if scriptSrc.MatchString(page) {
			t.Error("fragment loads a script")
		}
		if strings.Contains(page, "let goecharts_") {
			t.Error("fragment declares global variables")
		}
	}
	if _, err := NotebookHTML(c, "bad id", false); err == nil {
		t.Error("bad element id: no error")
	}
}

func TestDisplayOutsideNotebook(t *testing.T) {
	c, _ := Bars(grouped())
	if err := Display(c); !errors.Is(err, ErrNotNotebook) {
		t.Errorf("Display error = %v, want ErrNotNotebook", err)
	}
	if err := DisplaySVG(c, 0, 0); !errors.Is(err, ErrNotNotebook) {
		t.Errorf("DisplaySVG error = %v, want ErrNotNotebook", err)
	}
	if err := Display(nil); err == nil {
		t.Error("Display(nil): no error")
	}
}

func TestDisplayCount(t *testing.T) {
	t.Setenv("GONB_TMP_DIR", t.TempDir())
	for want := 0; want <= 3; want++ {
		n, err := displayCount()
		if err != nil || n != want {
			t.Fatalf("displayCount = %d, %v; want %d", n, err, want)
		}
		if err := setDisplayCount(n + 1); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("GONB_TMP_DIR", "")
	if _, err := displayCount(); !errors.Is(err, ErrNotNotebook) {
		t.Errorf("error = %v", err)
	}
}
