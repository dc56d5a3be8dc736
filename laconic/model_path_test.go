package laconic_test

import (
	"context"
	"strings"
	"testing"

	"github.com/laconiclab/toolkit/laconic"
)

func TestUnknownModelPointsAtPaths(t *testing.T) {
	_, err := laconic.Simulate(context.Background(), "no-such-model-or-path", []string{"x.png"}, []string{"LAC-128"})
	if err == nil || !strings.Contains(err.Error(), "LoadModelFile") {
		t.Errorf("unknown name: %v, want a pointer to LoadModelFile", err)
	}
}
