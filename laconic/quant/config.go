package quant

import (
	"fmt"

	"github.com/laconiclab/toolkit/laconic/nn"
)

// Config selects a quantization. The zero Mag/Frac with Scheme Fixed16
// means 0:15 (weights' default); set Profiled to choose the split per
// tensor (ProfileFixed16) instead.
type Config struct {
	Scheme Scheme `json:"scheme"`
	// Mag and Frac are the fixed-point magnitude (sign excluded) and
	// fraction bits of Fixed16, Mag+Frac = 15; unused by other schemes.
	Mag  int `json:"mag"`
	Frac int `json:"frac"`
	// Profiled chooses Mag and Frac per tensor from its largest magnitude
	// (Fixed16 only).
	Profiled bool `json:"profiled,omitempty"`
}

// DefaultActivationFixed returns DNNsim's default for activations without
// a precision file: 16-bit fixed point with 13 magnitude and 2 fraction
// bits (as the toolkit's notes on DNNsim describe it).
func DefaultActivationFixed() Config { return Config{Scheme: SchemeFixed16, Mag: 13, Frac: 2} }

// DefaultWeightFixed returns DNNsim's default for weights without a
// precision file: 16-bit fixed point with 0 magnitude and 15 fraction bits.
func DefaultWeightFixed() Config { return Config{Scheme: SchemeFixed16, Mag: 0, Frac: 15} }

// Validate checks the configuration.
func (c Config) Validate() error {
	if _, err := ParseScheme(string(c.Scheme)); err != nil {
		return err
	}
	if c.Scheme != SchemeFixed16 {
		if c.Profiled || c.Mag != 0 || c.Frac != 0 {
			return fmt.Errorf("quant: %s takes no mag/frac/profiled settings (got mag=%d frac=%d profiled=%v)", c.Scheme, c.Mag, c.Frac, c.Profiled)
		}
		return nil
	}
	if c.Profiled {
		if c.Mag != 0 || c.Frac != 0 {
			return fmt.Errorf("quant: profiled fixed16 chooses mag/frac itself: leave them 0 (got mag=%d frac=%d)", c.Mag, c.Frac)
		}
		return nil
	}
	return checkSplit(c.Mag, c.Frac)
}

// String names the configuration for tables' provenance: "fixed16:13.2",
// "fixed16:profiled", "affine8" or "raw".
func (c Config) String() string {
	switch {
	case c.Scheme == SchemeFixed16 && c.Profiled:
		return "fixed16:profiled"
	case c.Scheme == SchemeFixed16:
		return fmt.Sprintf("fixed16:%d.%d", c.Mag, c.Frac)
	}
	return string(c.Scheme)
}

// Quantize applies the configuration to t.
func (c Config) Quantize(t *nn.Tensor) (*Tensor, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	switch c.Scheme {
	case SchemeFixed16:
		if c.Profiled {
			return Fixed16Profiled(t)
		}
		return Fixed16(t, c.Mag, c.Frac)
	case SchemeAffine8:
		return Affine8(t)
	}
	return RawCodes(t)
}
