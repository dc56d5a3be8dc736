package laconic

import (
	"context"
	"strings"
	"testing"

	"github.com/laconiclab/toolkit/laconic/arch"
)

func TestAttributeGapErrors(t *testing.T) {
	cfg, _ := arch.Preset(arch.PresetLac128)
	if _, err := AttributeGap(context.Background(), 42, []string{"x.jpg"}, cfg, arch.DefaultGapOptions(), nil); err == nil {
		t.Fatal("a model of type int accepted")
	}
	var r *GapResult
	r.Release() // nil-safe
	if _, err := AttributeGap(context.Background(), &Model{}, nil, cfg, arch.DefaultGapOptions(), nil); err == nil || !strings.Contains(err.Error(), "AttributeGap") {
		t.Fatalf("err = %v", err)
	}
}
