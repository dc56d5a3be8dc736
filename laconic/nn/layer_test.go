package nn

import (
	"strings"
	"testing"
)

// slowMACs counts the multiplies of a layer by visiting every one of them.
func slowMACs(l Layer) int64 {
	var n int64
	for b := 0; b < l.N; b++ {
		for k := 0; k < l.K; k++ {
			for oy := 0; oy < l.OutH(); oy++ {
				for ox := 0; ox < l.OutW(); ox++ {
					for c := 0; c < l.C/l.Groups; c++ {
						for r := 0; r < l.R; r++ {
							for s := 0; s < l.S; s++ {
								n++
							}
						}
					}
				}
			}
		}
	}
	return n
}

func TestLayerGeometry(t *testing.T) {
	tests := []struct {
		name       string
		l          Layer
		outH, outW int
		macs       int64
	}{
		{"conv3x3 same", Layer{Name: "c", Kind: KindConv, N: 1, C: 3, H: 8, W: 8, K: 4, R: 3, S: 3, StrideH: 1, StrideW: 1, Pad: Pad{1, 1, 1, 1}, Groups: 1}, 8, 8, 4 * 64 * 27},
		{"strided asymmetric", Layer{Name: "c", Kind: KindConv, N: 2, C: 2, H: 7, W: 5, K: 3, R: 3, S: 2, StrideH: 2, StrideW: 3, Pad: Pad{0, 1, 1, 0}, Groups: 1}, 3, 2, 2 * 3 * 3 * 2 * 2 * 3 * 2},
		{"depthwise", Layer{Name: "d", Kind: KindDepthwise, N: 1, C: 8, H: 4, W: 4, K: 8, R: 3, S: 3, StrideH: 1, StrideW: 1, Pad: Pad{1, 1, 1, 1}, Groups: 8}, 4, 4, 8 * 16 * 9},
		{"grouped", Layer{Name: "g", Kind: KindGrouped, N: 1, C: 8, H: 2, W: 2, K: 4, R: 1, S: 1, StrideH: 1, StrideW: 1, Groups: 2}, 2, 2, 4 * 4 * 4},
		{"dense", Layer{Name: "fc", Kind: KindDense, N: 3, C: 10, H: 1, W: 1, K: 5, R: 1, S: 1, StrideH: 1, StrideW: 1, Groups: 1}, 1, 1, 150},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.l.Validate(); err != nil {
				t.Fatal(err)
			}
			if tc.l.OutH() != tc.outH || tc.l.OutW() != tc.outW {
				t.Errorf("output %dx%d, want %dx%d", tc.l.OutH(), tc.l.OutW(), tc.outH, tc.outW)
			}
			if got, slow := tc.l.MACs(), slowMACs(tc.l); got != tc.macs || got != slow {
				t.Errorf("MACs = %d, want %d (loop nest: %d)", got, tc.macs, slow)
			}
			act := NewTensor(tc.l.InputShape()...)
			wgt := NewTensor(tc.l.WeightShape()...)
			if err := tc.l.CheckTensors(act, wgt); err != nil {
				t.Errorf("CheckTensors: %v", err)
			}
		})
	}
}

func TestLayerValidateErrors(t *testing.T) {
	good := Layer{Name: "conv1", Kind: KindConv, N: 1, C: 4, H: 5, W: 5, K: 2, R: 3, S: 3, StrideH: 1, StrideW: 1, Groups: 1}
	tests := []struct {
		name   string
		mutate func(*Layer)
		want   string
	}{
		{"zero channels", func(l *Layer) { l.C = 0 }, "C = 0"},
		{"negative stride", func(l *Layer) { l.StrideW = -1 }, "StrideW"},
		{"negative pad", func(l *Layer) { l.Pad.Left = -2 }, "negative padding"},
		{"groups do not divide", func(l *Layer) { l.Groups = 3 }, "groups 3"},
		{"kernel too large", func(l *Layer) { l.R = 9 }, "larger than padded input"},
		{"dense with kernel", func(l *Layer) { l.Kind = KindDense }, "needs H=W=R=S=Groups=1"},
		{"unknown kind", func(l *Layer) { l.Kind = "pool" }, "unknown kind"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := good
			tc.mutate(&l)
			err := l.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "conv1") {
				t.Errorf("Validate() = %v, want an error naming the layer and containing %q", err, tc.want)
			}
		})
	}
}

func TestCheckTensorsMismatch(t *testing.T) {
	l := Layer{Name: "conv1", Kind: KindConv, N: 1, C: 4, H: 5, W: 5, K: 2, R: 3, S: 3, StrideH: 1, StrideW: 1, Groups: 1}
	tests := []struct {
		name     string
		act, wgt *Tensor
		want     string
	}{
		{"nil", nil, NewTensor(2, 4, 3, 3), "missing"},
		{"activations", NewTensor(1, 4, 5, 4), NewTensor(2, 4, 3, 3), "activations have shape"},
		{"weights", NewTensor(1, 4, 5, 5), NewTensor(2, 3, 3, 3), "weights have shape"},
		{"data length", &Tensor{Shape: []int{1, 4, 5, 5}, Data: make([]float32, 3)}, NewTensor(2, 4, 3, 3), "needs 100 values"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := l.CheckTensors(tc.act, tc.wgt)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("CheckTensors = %v, want error containing %q", err, tc.want)
			}
		})
	}
}
