package tfjs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// maxDepth bounds the nesting of objects and arrays in a literal.
const maxDepth = 512

// SyntaxError reports a malformed literal and where it is.
type SyntaxError struct {
	Offset int    // byte offset in the input
	Msg    string // what was expected
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("offset %d: %s", e.Offset, e.Msg) }

// JSLiteralToJSON converts one JavaScript literal (the whole input, with
// surrounding white space) into JSON. It accepts the subset that minified
// TensorFlow.js model bundles use:
//
//   - objects with unquoted identifier keys, quoted keys or numeric keys, and
//     arrays (a trailing comma is allowed, holes are not);
//   - strings in double or single quotes with the escapes \" \' \\ \/ \b \f
//     \n \r \t \v \0 \xHH \uHHHH;
//   - decimal numbers, including the forms .5, 5., -.5 and exponents;
//   - true, false, null, !0 (true), !1 (false) and void 0 (null).
//
// Anything else (comments, hexadecimal or octal numbers, expressions,
// identifiers as values, template strings) is a *SyntaxError.
func JSLiteralToJSON(src []byte) ([]byte, error) {
	p := &litParser{src: src}
	p.skipSpace()
	if err := p.value(0); err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos != len(p.src) {
		return nil, p.errorf("unexpected %s after the literal", p.describe())
	}
	return p.out.Bytes(), nil
}

// UnwrapJS finds the value assigned to "exports" in a minified JavaScript
// module (as in "a.exports={...}" or "exports=\"...\"") and returns it as
// JSON. The value must be an object, array or string literal (see
// JSLiteralToJSON) followed by one of "}", ")", ";", "," or the end of the
// file.
func UnwrapJS(src []byte) ([]byte, error) {
	start, err := findExports(src)
	if err != nil {
		return nil, err
	}
	p := &litParser{src: src, pos: start}
	if err := p.value(0); err != nil {
		return nil, err
	}
	if err := p.checkAfterValue(); err != nil {
		return nil, err
	}
	return p.out.Bytes(), nil
}

// unwrapJSString is UnwrapJS for a string value; it returns the string's
// bytes without building JSON (shards hold megabytes of base64).
func unwrapJSString(src []byte) ([]byte, error) {
	start, err := findExports(src)
	if err != nil {
		return nil, err
	}
	p := &litParser{src: src, pos: start}
	if p.pos >= len(p.src) || (p.src[p.pos] != '"' && p.src[p.pos] != '\'') {
		return nil, p.errorf("exports is not assigned a string")
	}
	s, err := p.str()
	if err != nil {
		return nil, err
	}
	if err := p.checkAfterValue(); err != nil {
		return nil, err
	}
	return s, nil
}

// findExports returns the offset of the first literal assigned to exports.
func findExports(src []byte) (int, error) {
	key := []byte("exports")
	from := 0
	for {
		i := bytes.Index(src[from:], key)
		if i < 0 {
			return 0, &SyntaxError{Offset: len(src), Msg: `no literal assigned to "exports" (want exports={...} or exports="...")`}
		}
		i += from
		from = i + len(key)
		if i > 0 && isIdentPart(src[i-1]) {
			continue
		}
		j := from
		for j < len(src) && isSpace(src[j]) {
			j++
		}
		if j >= len(src) || src[j] != '=' || (j+1 < len(src) && src[j+1] == '=') {
			continue
		}
		j++
		for j < len(src) && isSpace(src[j]) {
			j++
		}
		if j < len(src) && (src[j] == '{' || src[j] == '[' || src[j] == '"' || src[j] == '\'') {
			return j, nil
		}
	}
}

type litParser struct {
	src []byte
	pos int
	out bytes.Buffer
}

func (p *litParser) errorf(format string, args ...any) error {
	return &SyntaxError{Offset: p.pos, Msg: fmt.Sprintf(format, args...)}
}

func (p *litParser) describe() string {
	if p.pos >= len(p.src) {
		return "end of input"
	}
	r, _ := utf8.DecodeRune(p.src[p.pos:])
	return strconv.QuoteRune(r)
}

func (p *litParser) checkAfterValue() error {
	p.skipSpace()
	if p.pos == len(p.src) {
		return nil
	}
	switch p.src[p.pos] {
	case '}', ')', ';', ',':
		return nil
	}
	return p.errorf("unexpected %s after the exported literal", p.describe())
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isIdentStart(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isIdentPart(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (p *litParser) skipSpace() {
	for p.pos < len(p.src) && isSpace(p.src[p.pos]) {
		p.pos++
	}
}

func (p *litParser) hasPrefix(s string) bool {
	return bytes.HasPrefix(p.src[p.pos:], []byte(s))
}

// keyword matches a whole word at the current position.
func (p *litParser) keyword(w string) bool {
	if !p.hasPrefix(w) {
		return false
	}
	end := p.pos + len(w)
	return end == len(p.src) || !isIdentPart(p.src[end])
}

func (p *litParser) value(depth int) error {
	if depth > maxDepth {
		return p.errorf("literal nested deeper than %d levels", maxDepth)
	}
	if p.pos >= len(p.src) {
		return p.errorf("unexpected end of input, want a value")
	}
	switch c := p.src[p.pos]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"' || c == '\'':
		s, err := p.str()
		if err != nil {
			return err
		}
		writeJSONString(&p.out, s)
		return nil
	case c == '-' || c == '.' || isDigit(c):
		return p.number()
	case c == '!':
		switch {
		case p.hasPrefix("!0"):
			p.out.WriteString("true")
		case p.hasPrefix("!1"):
			p.out.WriteString("false")
		default:
			return p.errorf("only !0 and !1 are accepted after '!'")
		}
		if end := p.pos + 2; end < len(p.src) && isIdentPart(p.src[end]) {
			return p.errorf("only !0 and !1 are accepted after '!'")
		}
		p.pos += 2
		return nil
	case p.keyword("true"), p.keyword("false"), p.keyword("null"):
		for _, w := range []string{"true", "false", "null"} {
			if p.keyword(w) {
				p.out.WriteString(w)
				p.pos += len(w)
				return nil
			}
		}
	case p.keyword("void"):
		p.pos += len("void")
		if p.pos >= len(p.src) || !isSpace(p.src[p.pos]) {
			return p.errorf("only \"void 0\" is accepted")
		}
		p.skipSpace()
		if !p.keyword("0") {
			return p.errorf("only \"void 0\" is accepted")
		}
		p.pos++
		p.out.WriteString("null")
		return nil
	}
	return p.errorf("unexpected %s, want a value", p.describe())
}

func (p *litParser) object(depth int) error {
	p.pos++ // {
	p.out.WriteByte('{')
	p.skipSpace()
	first := true
	for {
		if p.pos >= len(p.src) {
			return p.errorf("unexpected end of input in an object")
		}
		if p.src[p.pos] == '}' {
			p.pos++
			p.out.WriteByte('}')
			return nil
		}
		if !first {
			p.out.WriteByte(',')
		}
		first = false
		if err := p.key(); err != nil {
			return err
		}
		p.skipSpace()
		if p.pos >= len(p.src) || p.src[p.pos] != ':' {
			return p.errorf("unexpected %s, want ':' after an object key", p.describe())
		}
		p.pos++
		p.out.WriteByte(':')
		p.skipSpace()
		if err := p.value(depth + 1); err != nil {
			return err
		}
		p.skipSpace()
		if p.pos >= len(p.src) {
			return p.errorf("unexpected end of input in an object")
		}
		switch p.src[p.pos] {
		case ',':
			p.pos++
			p.skipSpace()
		case '}':
		default:
			return p.errorf("unexpected %s, want ',' or '}' in an object", p.describe())
		}
	}
}

func (p *litParser) key() error {
	c := p.src[p.pos]
	switch {
	case c == '"' || c == '\'':
		s, err := p.str()
		if err != nil {
			return err
		}
		writeJSONString(&p.out, s)
	case isIdentStart(c):
		start := p.pos
		for p.pos < len(p.src) && isIdentPart(p.src[p.pos]) {
			p.pos++
		}
		writeJSONString(&p.out, p.src[start:p.pos])
	case isDigit(c):
		start := p.pos
		for p.pos < len(p.src) && isDigit(p.src[p.pos]) {
			p.pos++
		}
		if p.pos-start > 1 && p.src[start] == '0' {
			p.pos = start
			return p.errorf("numeric object key with a leading zero")
		}
		writeJSONString(&p.out, p.src[start:p.pos])
	default:
		return p.errorf("unexpected %s, want an object key", p.describe())
	}
	return nil
}

func (p *litParser) array(depth int) error {
	p.pos++ // [
	p.out.WriteByte('[')
	p.skipSpace()
	first := true
	for {
		if p.pos >= len(p.src) {
			return p.errorf("unexpected end of input in an array")
		}
		if p.src[p.pos] == ']' {
			p.pos++
			p.out.WriteByte(']')
			return nil
		}
		if p.src[p.pos] == ',' {
			return p.errorf("array holes are not accepted")
		}
		if !first {
			p.out.WriteByte(',')
		}
		first = false
		if err := p.value(depth + 1); err != nil {
			return err
		}
		p.skipSpace()
		if p.pos >= len(p.src) {
			return p.errorf("unexpected end of input in an array")
		}
		switch p.src[p.pos] {
		case ',':
			p.pos++
			p.skipSpace()
		case ']':
		default:
			return p.errorf("unexpected %s, want ',' or ']' in an array", p.describe())
		}
	}
}

// number accepts -?(digits[.digits?]|.digits)([eE][+-]?digits)?.
func (p *litParser) number() error {
	start := p.pos
	if p.src[p.pos] == '-' {
		p.pos++
	}
	intStart := p.pos
	for p.pos < len(p.src) && isDigit(p.src[p.pos]) {
		p.pos++
	}
	intDigits := p.pos - intStart
	if intDigits > 1 && p.src[intStart] == '0' {
		p.pos = intStart
		return p.errorf("octal or zero-prefixed numbers are not accepted")
	}
	if p.pos < len(p.src) && (p.src[p.pos] == 'x' || p.src[p.pos] == 'X' || p.src[p.pos] == 'o' || p.src[p.pos] == 'b') {
		return p.errorf("only decimal numbers are accepted")
	}
	fracDigits := 0
	if p.pos < len(p.src) && p.src[p.pos] == '.' {
		p.pos++
		fs := p.pos
		for p.pos < len(p.src) && isDigit(p.src[p.pos]) {
			p.pos++
		}
		fracDigits = p.pos - fs
	}
	if intDigits == 0 && fracDigits == 0 {
		p.pos = start
		return p.errorf("malformed number")
	}
	if p.pos < len(p.src) && (p.src[p.pos] == 'e' || p.src[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.src) && (p.src[p.pos] == '+' || p.src[p.pos] == '-') {
			p.pos++
		}
		es := p.pos
		for p.pos < len(p.src) && isDigit(p.src[p.pos]) {
			p.pos++
		}
		if p.pos == es {
			return p.errorf("malformed number exponent")
		}
	}
	if p.pos < len(p.src) && (isIdentPart(p.src[p.pos]) || p.src[p.pos] == '.') {
		return p.errorf("malformed number")
	}
	v, err := strconv.ParseFloat(string(p.src[start:p.pos]), 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		p.pos = start
		return p.errorf("number %q is out of range", p.src[start:min(len(p.src), start+40)])
	}
	if v == 0 && p.src[start] == '-' {
		v = 0 // JSON has no negative zero worth keeping
	}
	p.out.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
	return nil
}

// str parses a quoted string and returns its UTF-8 bytes.
func (p *litParser) str() ([]byte, error) {
	quote := p.src[p.pos]
	p.pos++
	start := p.pos
	// Fast path: no escapes.
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == quote {
			s := p.src[start:p.pos]
			p.pos++
			if !utf8.Valid(s) {
				return nil, &SyntaxError{Offset: start, Msg: "string is not valid UTF-8"}
			}
			return s, nil
		}
		if c == '\\' || c == '\n' || c == '\r' {
			break
		}
		p.pos++
	}
	buf := append([]byte(nil), p.src[start:p.pos]...)
	for {
		if p.pos >= len(p.src) {
			return nil, p.errorf("unterminated string")
		}
		c := p.src[p.pos]
		switch {
		case c == quote:
			p.pos++
			if !utf8.Valid(buf) {
				return nil, &SyntaxError{Offset: start, Msg: "string is not valid UTF-8"}
			}
			return buf, nil
		case c == '\n' || c == '\r':
			return nil, p.errorf("line break inside a string")
		case c != '\\':
			buf = append(buf, c)
			p.pos++
			continue
		}
		p.pos++ // backslash
		if p.pos >= len(p.src) {
			return nil, p.errorf("unterminated string")
		}
		e := p.src[p.pos]
		p.pos++
		switch e {
		case '"', '\'', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'v':
			buf = append(buf, '\v')
		case '0':
			if p.pos < len(p.src) && isDigit(p.src[p.pos]) {
				return nil, p.errorf("octal escapes are not accepted")
			}
			buf = append(buf, 0)
		case 'x':
			v, ok := p.hex(2)
			if !ok {
				return nil, p.errorf(`malformed \x escape`)
			}
			buf = utf8.AppendRune(buf, rune(v))
		case 'u':
			v, ok := p.hex(4)
			if !ok {
				return nil, p.errorf(`malformed \u escape`)
			}
			r := rune(v)
			if r >= 0xD800 && r < 0xDC00 && p.hasPrefix(`\u`) {
				save := p.pos
				p.pos += 2
				if lo, ok := p.hex(4); ok && lo >= 0xDC00 && lo < 0xE000 {
					r = 0x10000 + (r-0xD800)<<10 + (rune(lo) - 0xDC00)
				} else {
					p.pos = save
				}
			}
			buf = utf8.AppendRune(buf, r) // lone surrogates become U+FFFD
		default:
			return nil, p.errorf("unknown escape \\%c", e)
		}
	}
}

func (p *litParser) hex(n int) (int, bool) {
	if p.pos+n > len(p.src) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(p.src[p.pos:p.pos+n]), 16, 32)
	if err != nil {
		return 0, false
	}
	p.pos += n
	return int(v), true
}

// writeJSONString writes s (valid UTF-8) as a JSON string.
func writeJSONString(out *bytes.Buffer, s []byte) {
	simple := true
	for _, c := range s {
		if c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			simple = false
			break
		}
	}
	if simple {
		out.WriteByte('"')
		out.Write(s)
		out.WriteByte('"')
		return
	}
	b, err := json.Marshal(string(s))
	if err != nil {
		panic(errors.New("tfjs: cannot encode a string: " + err.Error())) // unreachable: strings are valid UTF-8
	}
	out.Write(b)
}
