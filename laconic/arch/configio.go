package arch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
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
