package dnnsim

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/laconiclab/toolkit/laconic/nn"
)

func TestKindFromName(t *testing.T) {
	for _, tc := range []struct {
		name string
		want nn.LayerKind
	}{
		{"conv1", nn.KindConv},
		{"fc6", nn.KindDense},
		{"inner_prod_1", nn.KindDense},
		{"classifier.Linear", nn.KindDense},
		{"lstm_1", nn.KindLSTM},
		{"fc_lstm", nn.KindDense}, // dense markers are tested first
		{"FC6", nn.KindConv},      // case-sensitive
		{"LSTM1", nn.KindConv},
		{"linear", nn.KindConv},
		{"inception_3a-1x1", nn.KindConv},
		{"conv_fcn", nn.KindDense}, // any substring counts
	} {
		if got := KindFromName(tc.name); got != tc.want {
			t.Errorf("KindFromName(%q) = %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestParseTraceParams(t *testing.T) {
	p := func(name, input string, v ...int) TraceParam {
		return TraceParam{Name: name, Input: input, Nn: v[0], Kx: v[1], Ky: v[2], Stride: v[3], Padding: v[4], Line: v[5]}
	}
	for _, tc := range []struct {
		name, in string
		want     []TraceParam
	}{
		{"six columns", "conv1,96,11,11,4,0\nfc6,4096,1,1,1,0\n",
			[]TraceParam{p("conv1", "", 96, 11, 11, 4, 0, 1), p("fc6", "", 4096, 1, 1, 1, 0, 2)}},
		{"seven columns", "conv1,data,96,11,11,4,0\nconv2,pool1,256,5,5,1,2",
			[]TraceParam{p("conv1", "data", 96, 11, 11, 4, 0, 1), p("conv2", "pool1", 256, 5, 5, 1, 2, 2)}},
		{"mixed forms", "conv1,96,11,11,4,0\nconv2,conv1,256,5,5,1,2\n",
			[]TraceParam{p("conv1", "", 96, 11, 11, 4, 0, 1), p("conv2", "conv1", 256, 5, 5, 1, 2, 2)}},
		{"spaces CRLF blank lines BOM", "\ufeff conv1 , 96, 11 ,11,4 ,0 \r\n\r\n   \r\nfc6,4096,1,1,1,0\r\n\r\n",
			[]TraceParam{p("conv1", "", 96, 11, 11, 4, 0, 1), p("fc6", "", 4096, 1, 1, 1, 0, 4)}},
		{"trailing comma", "conv1,96,11,11,4,0,\n",
			[]TraceParam{p("conv1", "", 96, 11, 11, 4, 0, 1)}},
		{"dense with zero kernel", "fc6,4096,0,0,0,0\n",
			[]TraceParam{p("fc6", "", 4096, 0, 0, 0, 0, 1)}},
		{"non-square kernel", "conv_a,8,3,1,2,1\n",
			[]TraceParam{p("conv_a", "", 8, 3, 1, 2, 1, 1)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseTraceParams(strings.NewReader(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %+v\nwant %+v", got, tc.want)
			}
			// Encoding and parsing again gives the same layers (line
			// numbers aside).
			var buf bytes.Buffer
			if err := EncodeTraceParams(&buf, got); err != nil {
				t.Fatal(err)
			}
			again, err := ParseTraceParams(&buf)
			if err != nil {
				t.Fatal(err)
			}
			for i := range again {
				again[i].Line = got[i].Line
			}
			if !reflect.DeepEqual(again, got) {
				t.Fatalf("re-encoded: %+v", again)
			}
		})
	}
}

func TestParseTraceParamsErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{"empty", "", []string{"no layers"}},
		{"blank only", "\n \r\n", []string{"no layers"}},
		{"five fields", "conv1,96,11,11,4\n", []string{"line 1", "5 fields"}},
		{"eight fields", "conv1,96,11,11,4,0\nconv2,a,b,1,2,3,4,5\n", []string{"line 2", "8 fields"}},
		{"not an integer", "conv1,96,11,11,4,0\n\nconv2,96,x,3,1,1\n", []string{"line 3", "conv2", "Kx", `"x"`}},
		{"float", "conv1,96,1.5,11,4,0\n", []string{"line 1", "Kx"}},
		{"negative padding", "conv1,96,11,11,4,-1\n", []string{"line 1", "padding = -1"}},
		{"zero filters", "fc6,0,1,1,1,0\n", []string{"line 1", "Nn = 0"}},
		{"zero stride conv", "conv1,96,11,11,0,0\n", []string{"line 1", "stride = 0"}},
		{"zero kernel conv", "conv1,96,0,11,1,0\n", []string{"line 1", "Kx = 0"}},
		{"huge", "conv1,99999999999,1,1,1,0\n", []string{"line 1", "Nn"}},
		{"duplicate", "conv1,96,11,11,4,0\nconv1,96,11,11,4,0\n", []string{"line 2", "already defined on line 1"}},
		{"slash in name", "incept/1x1,96,1,1,1,0\n", []string{"line 1", "file name"}},
		{"empty name", ",96,1,1,1,0\n", []string{"line 1", "empty layer name"}},
		{"header line", "name,Nn,Kx,Ky,stride,padding\n", []string{"line 1", "Nn"}},
		{"long line", strings.Repeat("x", maxLine+10), []string{"line 1", "longer than"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseTraceParams(strings.NewReader(tc.in))
			mustContain(t, err, tc.want...)
		})
	}
}

func TestEncodeTraceParamsErrors(t *testing.T) {
	for _, p := range []TraceParam{
		{Name: "", Nn: 1, Kx: 1, Ky: 1, Stride: 1},
		{Name: "a,b", Nn: 1, Kx: 1, Ky: 1, Stride: 1},
		{Name: "conv", Input: "x,y", Nn: 1, Kx: 1, Ky: 1, Stride: 1},
		{Name: " conv", Nn: 1, Kx: 1, Ky: 1, Stride: 1},
		{Name: "conv", Nn: 1, Kx: 0, Ky: 1, Stride: 1},
		{Name: "conv", Nn: 1, Kx: 1, Ky: 1, Stride: 1, Padding: -2},
	} {
		if err := EncodeTraceParams(&bytes.Buffer{}, []TraceParam{p}); err == nil {
			t.Errorf("%+v accepted", p)
		}
	}
}

// The precision.txt example of the DNNsim README (eight layers): its
// negative fractions and weight magnitudes are rejected.
const readmePrecision = `magnitude (+1 of the sign), fraction, wgt_magnitude, wgt_fraction
9;9;8;9;9;8;6;4;
-1;-2;-3;-3;-3;-3;-1;0;
2;1;1;1;1;-3;-4;-1;
7;8;7;8;8;9;8;8;
`

// validPrecision is an eight-layer precision.txt within the rules.
const validPrecision = `magnitude (+1 of the sign), fraction, wgt_magnitude, wgt_fraction
9;9;8;9;9;8;6;4;
1;2;3;3;3;3;1;0;
2;1;1;1;1;3;4;1;
7;8;7;8;8;9;8;8;
`

func TestParsePrecision(t *testing.T) {
	got, err := ParsePrecision(strings.NewReader(validPrecision))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Layers) != 8 {
		t.Fatalf("%d layers", len(got.Layers))
	}
	// Magnitudes lose the sign bit: 9 -> 8, 2 -> 1, 1 -> 0.
	want := []LayerPrecision{{8, 1, 1, 7}, {8, 2, 0, 8}, {7, 3, 0, 7}, {8, 3, 0, 8},
		{8, 3, 0, 8}, {7, 3, 2, 9}, {5, 1, 3, 8}, {3, 0, 0, 8}}
	if !reflect.DeepEqual(got.Layers, want) {
		t.Fatalf("got %+v\nwant %+v", got.Layers, want)
	}
	// Widths with the sign: act 9+1 = 10 bits, weights 2+7 = 9 bits.
	if got.Layers[0].ActBits() != 10 || got.Layers[0].WgtBits() != 9 || got.Layers[6].WgtBits() != 12 {
		t.Fatalf("bits %d %d %d", got.Layers[0].ActBits(), got.Layers[0].WgtBits(), got.Layers[6].WgtBits())
	}
	// Encode writes the file's numbers back.
	var buf bytes.Buffer
	if err := got.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	if lines := strings.SplitN(buf.String(), "\n", 2); lines[1] != strings.SplitN(validPrecision, "\n", 2)[1] {
		t.Fatalf("encoded:\n%s", buf.String())
	}
	again, err := ParsePrecision(&buf)
	if err != nil || !reflect.DeepEqual(again, got) {
		t.Fatalf("round trip: %v %+v", err, again)
	}

	for _, tc := range []struct {
		name, in string
		want     []LayerPrecision
	}{
		{"no trailing semicolons, CRLF, spaces", "h\r\n 9 ; 16 \r\n1;0\r\n2;1\r\n7;15\r\n", []LayerPrecision{{8, 1, 1, 7}, {15, 0, 0, 15}}},
		{"blank lines and extra lines", "h\n\n9;\n\n1;\n2;\n7;\nignored;line\n", []LayerPrecision{{8, 1, 1, 7}}},
		{"numeric header is still a header", "1;2;3\n9\n1\n2\n7\n", []LayerPrecision{{8, 1, 1, 7}}},
		{"sign only, whole container", "h\n1;\n15;\n16;\n0;\n", []LayerPrecision{{0, 15, 15, 0}}},
		{"sign below the binary point", "h\n0;\n8;\n0;\n9;\n", []LayerPrecision{{-1, 8, -1, 9}}},
	} {
		got, err := ParsePrecision(strings.NewReader(tc.in))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !reflect.DeepEqual(got.Layers, tc.want) {
			t.Fatalf("%s: %+v", tc.name, got.Layers)
		}
	}
}

func TestParsePrecisionErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{"empty", "", []string{"0 value lines"}},
		{"three lines", "h\n9;\n-1;\n2;\n", []string{"3 value lines", "want 4"}},
		{"not an integer", "h\n9;9;\n-1;x;\n2;2;\n7;7;\n", []string{"line 3", "activation fraction", "value 2", `"x"`}},
		{"no values", "h\n;\n;\n;\n;\n", []string{"line 2", "value 1"}},
		{"empty value", "h\n9;;9;\n-1;-1;-1;\n2;2;2;\n7;7;7;\n", []string{"line 2", "value 2"}},
		{"too wide", "h\n9;\n9;\n2;\n7;\n", []string{"lines 2 and 3", "layer 0", "18 bits", "16-bit container"}},
		{"no bits", "h\n0;\n0;\n2;\n7;\n", []string{"lines 2 and 3", "layer 0", "0 bits"}},
		{"weights too wide", "h\n9;\n1;\n2;\n15;\n", []string{"lines 4 and 5", "weight format", "17 bits"}},
		{"negative fraction", "h\n9;9;\n1;-1;\n2;2;\n7;7;\n", []string{"line 3", "activation fraction", "layer 1", "-1, want >= 0"}},
		{"negative magnitude", "h\n9;9;\n1;1;\n2;-3;\n7;7;\n", []string{"line 4", "weight magnitude", "layer 1", "-3, want >= 0"}},
		{"magnitude -1", "h\n-1;\n1;\n2;\n7;\n", []string{"line 2", "layer 0", "-1, want >= 0"}},
		{"DNNsim README example", readmePrecision, []string{"line 3", "layer 0", "-1, want >= 0"}},
		{"more values on one line", "h\n9;9;9\n1;1\n2;2\n7;7\n", []string{"line 3", "has 2 values", "line 2", "has 3"}},
		{"fewer values on the last line", "h\n9;9\n1;1\n2;2\n7\n", []string{"line 5", "weight fraction", "has 1 values"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParsePrecision(strings.NewReader(tc.in))
			mustContain(t, err, tc.want...)
		})
	}
}

func TestLayerPrecisionValidate(t *testing.T) {
	if err := DefaultLayerPrecision().Validate(); err != nil {
		t.Fatal(err)
	}
	if err := DefaultPrecision(3).Validate(); err != nil || len(DefaultPrecision(3).Layers) != 3 {
		t.Fatal(err)
	}
	for _, p := range []LayerPrecision{{16, 0, 0, 15}, {-1, 0, 0, 15}, {13, 2, 0, 16}, {13, 2, -2, 0}} {
		if err := p.Validate(); err == nil {
			t.Errorf("%+v accepted", p)
		}
	}
	if err := (&Precision{}).Validate(); err == nil {
		t.Error("empty precision accepted")
	}
	var nilPrec *Precision
	if err := nilPrec.Validate(); err == nil {
		t.Error("nil precision accepted")
	}
}

func TestTraceName(t *testing.T) {
	for _, tc := range []struct {
		name string
		kind nn.LayerKind
		want string
	}{
		{"conv1", nn.KindConv, "conv1"},
		{"fc6", nn.KindDense, "fc6"},
		{"dense_1", nn.KindDense, "fc_dense_1"},
		{"Conv2D/3", nn.KindConv, "Conv2D-3"},
		{"block_1_expand/Conv2D", nn.KindConv, "block_1_expand-Conv2D"},
		{"conv_fc", nn.KindConv, "conv_f_c"},
		{"head.Linear", nn.KindConv, "head.Line_ar"},
		{"my_lstm_conv", nn.KindDepthwise, "my_l_stm_conv"},
		{"inner_prod", nn.KindGrouped, "inner-prod"},
		{"lstm_1", nn.KindLSTM, "lstm_1"},
		{"rnn", nn.KindLSTM, "lstm_rnn"},
		{"fc_lstm", nn.KindLSTM, "f_c_lstm"},
		{"encoder_fc", nn.KindDense, "en_coder_fc"},
		{"a b,c", nn.KindConv, "a-b-c"},
		{"Linear", nn.KindDense, "Linear"},
	} {
		got, err := TraceName(tc.name, tc.kind)
		if err != nil {
			t.Fatalf("%q: %v", tc.name, err)
		}
		if got != tc.want {
			t.Errorf("TraceName(%q, %s) = %q, want %q", tc.name, tc.kind, got, tc.want)
		}
		kind := KindFromName(got)
		if isDenseKind(tc.kind) && kind != tc.kind || !isDenseKind(tc.kind) && kind != nn.KindConv {
			t.Errorf("%q reads back as %s", got, kind)
		}
	}
	if _, err := TraceName("", nn.KindConv); err == nil {
		t.Error("empty name accepted")
	}
	if _, err := TraceName("x", "pool"); err == nil {
		t.Error("unknown kind accepted")
	}
}
