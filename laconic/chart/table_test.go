package chart

import (
	"errors"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

func TestTableHTML(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := newRecord(mem,
		col{name: "model", values: []string{"<b>net</b>", "b", "c"}},
		col{name: "speedup", values: []float64{1.0 / 3, 40, 2}, null: []bool{false, true, false}},
		col{name: "macs", values: []int64{10, 20, 30}},
		col{name: "enc", values: []string{"csd", "csd", "binary"}, dict: true},
	)
	defer rec.Release()
	for _, tc := range []struct {
		max      int
		want     []string
		wantNot  []string
		rowsSeen int
	}{
		{0, []string{"<th", ">model</th>", "&lt;b&gt;net&lt;/b&gt;", ">0.333333</td>", `text-align:right;padding:2px 8px"></td>`, ">binary</td>"}, []string{"rows shown"}, 3},
		{2, []string{"2 of 3 rows shown."}, []string{">c</td>"}, 2},
		{5, nil, []string{"rows shown"}, 3},
	} {
		page, err := TableHTML(rec, tc.max)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range tc.want {
			if !strings.Contains(page, w) {
				t.Errorf("max %d: table lacks %q:\n%s", tc.max, w, page)
			}
		}
		for _, w := range tc.wantNot {
			if strings.Contains(page, w) {
				t.Errorf("max %d: table has %q", tc.max, w)
			}
		}
		if n := strings.Count(page, "<tr>") - 1; n != tc.rowsSeen {
			t.Errorf("max %d: %d rows, want %d", tc.max, n, tc.rowsSeen)
		}
	}
	if _, err := TableHTML(nil, 0); err == nil {
		t.Error("nil record: no error")
	}
	if err := DisplayTable(rec, 0); !errors.Is(err, ErrNotNotebook) {
		t.Errorf("DisplayTable error = %v", err)
	}
}
