package arch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// maxConfigFile bounds the size of a configuration file.
const maxConfigFile = 1 << 20

// ParseConfigs reads one configuration (a JSON object) or several (a JSON
// array of objects) in Config's JSON form. Unknown fields are errors, and
// every configuration is validated; origin names the input in errors.
func ParseConfigs(r io.Reader, origin string) ([]Config, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxConfigFile+1))
	if err != nil {
		return nil, fmt.Errorf("arch: %s: %w", origin, err)
	}
	if len(data) > maxConfigFile {
		return nil, fmt.Errorf("arch: %s: configuration file larger than %d bytes", origin, maxConfigFile)
	}
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, fmt.Errorf("arch: %s: empty configuration file (want a JSON object or array of objects)", origin)
	}
	var cfgs []Config
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if data[0] == '[' {
		err = dec.Decode(&cfgs)
	} else {
		var c Config
		err = dec.Decode(&c)
		cfgs = []Config{c}
	}
	if err != nil {
		return nil, fmt.Errorf("arch: %s: %v (see arch.Config for the fields)", origin, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("arch: %s: trailing data after the configuration", origin)
	}
	if len(cfgs) == 0 {
		return nil, fmt.Errorf("arch: %s: no configuration in the array", origin)
	}
	for i, c := range cfgs {
		if c.Name == "" {
			return nil, fmt.Errorf("arch: %s: configuration %d has no name", origin, i)
		}
		if err := c.Validate(); err != nil {
			return nil, fmt.Errorf("arch: %s: %w", origin, err)
		}
	}
	return cfgs, nil
}

// LoadConfigs reads configurations from a JSON file (see ParseConfigs).
func LoadConfigs(path string) ([]Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("arch: %w", err)
	}
	defer f.Close()
	return ParseConfigs(f, path)
}

// Set returns c with fields changed by assignments of the form key=value,
// key being a field of Config's JSON form ("rows", "sync", "queue_depth",
// ...) or of its memory ("weight_wires", or "memory.weight_wires"). Values
// are JSON numbers and booleans, or plain text for text fields ("lpe",
// "csd"). The result is validated; errors name the assignment.
func (c Config) Set(assignments ...string) (Config, error) {
	var fields, mem map[string]json.RawMessage
	if err := json.Unmarshal([]byte(c.JSON()), &fields); err != nil {
		return Config{}, fmt.Errorf("arch: %w", err)
	}
	if err := json.Unmarshal(fields["memory"], &mem); err != nil {
		return Config{}, fmt.Errorf("arch: %w", err)
	}
	for _, a := range assignments {
		key, value, ok := strings.Cut(a, "=")
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if !ok || key == "" {
			return Config{}, fmt.Errorf("arch: %q: want key=value (keys: %s)", a, strings.Join(settableKeys(fields, mem), ", "))
		}
		target, name := fields, key
		if k, isMem := strings.CutPrefix(key, "memory."); isMem {
			target, name = mem, k
		} else if _, inMem := mem[key]; inMem {
			target = mem
		}
		old, known := target[name]
		if !known || key == "memory" {
			return Config{}, fmt.Errorf("arch: %q: unknown key %q (keys: %s)", a, key, strings.Join(settableKeys(fields, mem), ", "))
		}
		raw := json.RawMessage(value)
		if len(old) > 0 && old[0] == '"' || !json.Valid(raw) {
			quoted, _ := json.Marshal(value)
			raw = quoted
		}
		target[name] = raw
	}
	m, err := json.Marshal(mem)
	if err != nil {
		return Config{}, fmt.Errorf("arch: %w", err)
	}
	fields["memory"] = m
	data, err := json.Marshal(fields)
	if err != nil {
		return Config{}, fmt.Errorf("arch: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var out Config
	if err := dec.Decode(&out); err != nil {
		return Config{}, fmt.Errorf("arch: configuration %q: %s: %v", c.Name, strings.Join(assignments, ","), err)
	}
	if err := out.Validate(); err != nil {
		return Config{}, fmt.Errorf("%w (set %s)", err, strings.Join(assignments, ","))
	}
	return out, nil
}

// settableKeys lists the keys Set accepts, sorted.
func settableKeys(fields, mem map[string]json.RawMessage) []string {
	var keys []string
	for k := range fields {
		if k != "memory" {
			keys = append(keys, k)
		}
	}
	for k := range mem {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
