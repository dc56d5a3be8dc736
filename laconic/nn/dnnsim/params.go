package dnnsim

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/laconiclab/toolkit/laconic/nn"
)

// MaxParam bounds every number in trace_params.csv (filters, kernel size,
// stride, padding); larger values are rejected as malformed.
const MaxParam = 1 << 24

// maxLine bounds the length of one line of a text file this package reads.
const maxLine = 1 << 20

// TraceParam is one line of trace_params.csv: a compute layer as DNNsim
// describes it.
type TraceParam struct {
	Name string `json:"name"`
	// Input is the input layer's name (7-column form); empty in the
	// 6-column form.
	Input   string `json:"input,omitempty"`
	Nn      int    `json:"nn"` // filters (outputs)
	Kx      int    `json:"kx"` // kernel extent along the activations' third axis (X)
	Ky      int    `json:"ky"` // kernel extent along the fourth axis (Y)
	Stride  int    `json:"stride"`
	Padding int    `json:"padding"`
	// Line is the 1-based line of the file the layer was read from (0 when
	// it was not read from a file).
	Line int `json:"line,omitempty"`
}

// KindFromName classifies a layer by its name as DNNsim does: a name that
// contains "fc", "inner_prod" or "Linear" is fully connected (dense); else
// one that contains "lstm" is an LSTM; anything else is a convolution. The
// match is a case-sensitive substring test, in that order: "FC6" and "LSTM1"
// are convolutions, "fc_lstm" is dense. A convolution's grouping (grouped,
// depthwise) is decided later from its weights.
//
// DNNsim's trace reader also types names containing "decoder" or "encoder"
// as sequence-to-sequence layers of its training mode; those are not part
// of the inference layout and the three rules above apply to them here.
func KindFromName(name string) nn.LayerKind {
	switch {
	case strings.Contains(name, "fc"), strings.Contains(name, "inner_prod"), strings.Contains(name, "Linear"):
		return nn.KindDense
	case strings.Contains(name, "lstm"):
		return nn.KindLSTM
	default:
		return nn.KindConv
	}
}

var paramNames = []string{"Nn", "Kx", "Ky", "stride", "padding"}

func (p *TraceParam) fields() []*int { return []*int{&p.Nn, &p.Kx, &p.Ky, &p.Stride, &p.Padding} }

// Validate checks the name (non-empty, usable in a file name and in a CSV
// line) and the numbers: all in 0..MaxParam, Nn at least 1, and Kx, Ky and
// stride at least 1 for a convolution.
func (p TraceParam) Validate() error {
	if err := checkName(p.Name); err != nil {
		return err
	}
	for _, s := range []string{p.Name, p.Input} {
		if strings.ContainsAny(s, ",\n\r") || strings.TrimSpace(s) != s {
			return fmt.Errorf("name %q cannot hold commas, line breaks or leading/trailing spaces", s)
		}
	}
	conv := !isDenseKind(KindFromName(p.Name))
	for i, v := range p.fields() {
		lo := 0
		if i == 0 || conv && i <= 3 {
			lo = 1
		}
		if *v < lo || *v > MaxParam {
			return fmt.Errorf("layer %q: %s = %d, want %d..%d", p.Name, paramNames[i], *v, lo, MaxParam)
		}
	}
	return nil
}

func isDenseKind(k nn.LayerKind) bool { return k == nn.KindDense || k == nn.KindLSTM }

// checkName rejects layer names that cannot be part of a file name.
func checkName(name string) error {
	if name == "" {
		return errors.New("empty layer name")
	}
	for _, r := range name {
		if r == '/' || r == '\\' || r < ' ' || r == 0x7f {
			return fmt.Errorf("layer name %q contains %q, which cannot be part of a file name", name, r)
		}
	}
	return nil
}

// ParseTraceParams reads trace_params.csv: one layer a line, no header,
// either name,Nn,Kx,Ky,stride,padding or name,input_name,Nn,Kx,Ky,stride,
// padding (the forms may be mixed). Spaces around fields, blank lines, CRLF
// line ends, a UTF-8 byte-order mark and one trailing comma are tolerated.
// Every number must be an integer in 0..MaxParam; Nn must be at least 1,
// and so must Kx, Ky and stride of a convolution (dense and LSTM lines keep
// theirs but do not use them). Layer names must be unique and usable in a
// file name. Errors give the line number.
func ParseTraceParams(r io.Reader) ([]TraceParam, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	var out []TraceParam
	seen := map[string]int{}
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
		}
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		fields := strings.Split(text, ",")
		if len(fields) > 1 && strings.TrimSpace(fields[len(fields)-1]) == "" {
			fields = fields[:len(fields)-1] // one trailing comma, as DNNsim's reader ignores it
		}
		for i := range fields {
			fields[i] = strings.TrimSpace(fields[i])
		}
		p := TraceParam{Name: fields[0], Line: line}
		var nums []string
		switch len(fields) {
		case 6:
			nums = fields[1:]
		case 7:
			p.Input = fields[1]
			nums = fields[2:]
		default:
			return nil, fmt.Errorf("line %d: %d fields, want 6 (name,Nn,Kx,Ky,stride,padding) or 7 (name,input_name,Nn,Kx,Ky,stride,padding)", line, len(fields))
		}
		if prev, dup := seen[p.Name]; dup {
			return nil, fmt.Errorf("line %d: layer %q is already defined on line %d", line, p.Name, prev)
		}
		seen[p.Name] = line
		for i, s := range nums {
			v, err := strconv.Atoi(s)
			if err != nil {
				return nil, fmt.Errorf("line %d: layer %q: %s = %q, want an integer", line, p.Name, paramNames[i], s)
			}
			*p.fields()[i] = v
		}
		if err := p.Validate(); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		out = append(out, p)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("line %d: longer than %d bytes", line+1, maxLine)
		}
		return nil, err
	}
	if len(out) == 0 {
		return nil, errors.New("no layers (the file is empty)")
	}
	return out, nil
}

// EncodeTraceParams writes params in trace_params.csv form: the 7-column
// form for a layer whose Input is set, the 6-column form otherwise. Each
// layer must pass Validate.
func EncodeTraceParams(w io.Writer, params []TraceParam) error {
	var b strings.Builder
	for i, p := range params {
		if err := p.Validate(); err != nil {
			return fmt.Errorf("layer %d: %w", i, err)
		}
		b.WriteString(p.Name)
		if p.Input != "" {
			b.WriteString("," + p.Input)
		}
		fmt.Fprintf(&b, ",%d,%d,%d,%d,%d\n", p.Nn, p.Kx, p.Ky, p.Stride, p.Padding)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
