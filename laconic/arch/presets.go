package arch

import (
	"fmt"
	"sort"
	"strings"

	"github.com/laconiclab/toolkit/laconic/terms"
)

// Preset names.
const (
	PresetBase2K     = "BASE-2K"
	PresetLac128     = "LAC-128"
	PresetLac256     = "LAC-256"
	PresetLac512     = "LAC-512"
	PresetLac1K      = "LAC-1K"
	PresetStripes    = "STR-2K"
	PresetDynStripes = "DSTR-2K"
	PresetPragmatic  = "PRA-2K"
	PresetDNNsimLac  = "DNNSIM-LAC"
	PresetDNNsimBase = "DNNSIM-BASE"
)

// Buffer and off-chip assumptions shared by the paper-style presets. None
// of these numbers is published for Laconic [U]; they are ours:
//
//   - weight buffer 2 MiB per tile (DaDianNao's per-tile eDRAM weight
//     buffer size, used as an order of magnitude);
//   - activation buffer 256 KiB;
//   - off-chip bandwidth 256 bits per cycle (32 GB/s at 1 GHz, two
//     64-bit DDR4-2000 channels).
const (
	presetWeightBuffer = 2 << 20
	presetActBuffer    = 256 << 10
	presetOffChip      = 256
)

func lacPreset(name string, wires int) Config {
	return Config{
		Name:    name,
		Model:   Laconic,
		Columns: 16,
		Rows:    wires / 16,
		Lanes:   16,
		Sync:    SyncTile,
		// csd: the minimal signed-power-of-two count, what an on-the-fly
		// encoder can produce [assumption].
		Encoding: terms.CSD,
		ZeroCost: 1,
		Memory: Memory{
			WeightWires:         wires,
			ActWires:            16 * 16 * 5,
			WeightBufferBytes:   presetWeightBuffer,
			ActBufferBytes:      presetActBuffer,
			OffChipBitsPerCycle: presetOffChip,
		},
		Baseline: PresetBase2K,
		Description: fmt.Sprintf("Laconic, %d-wire weight interface: 16 windows x %d filters x 16 lanes of LPEs, tile lock-step, csd terms",
			wires, wires/16),
	}
}

// presets returns fresh copies of every preset, in display order.
//
// Geometry reading (the papers do not publish it [U]): the bit-parallel
// baseline BASE-2K is one DaDianNao-like tile that multiplies one window by
// 8 filters x 16 channels per cycle, so its weight interface carries
// 8 x 16 weights x 16 bits = 2048 wires per cycle, the reading of
// PAPER.md section 3. A LAC-W configuration gives each weight lane one wire:
// W/16 filters x 16 lanes, weights sent term by term (a 16-bit term is a
// sign and a 4-bit exponent, 5 bits; 8-bit: 4 bits), and processes 16
// windows at once so that each weight term is reused by 16 LPEs. The
// activation interface carries one term per activation lane per cycle
// (16 windows x 16 lanes x 5 bits). Stripes and Pragmatic keep the baseline's
// 8 filters x 16 lanes and 2048-wire bit-parallel weight interface and, as
// in their papers, replace each bit-parallel window by 16 serial windows.
func presets() []Config {
	base := Config{
		Name:     PresetBase2K,
		Model:    BitParallel,
		Columns:  1,
		Rows:     8,
		Lanes:    16,
		Sync:     SyncTile,
		ZeroCost: 1,
		Memory: Memory{
			WeightWires:         8 * 16 * 16,
			ActWires:            1 * 16 * 16,
			WeightBufferBytes:   presetWeightBuffer,
			ActBufferBytes:      presetActBuffer,
			OffChipBitsPerCycle: presetOffChip,
		},
		Baseline:    PresetBase2K,
		Description: "bit-parallel baseline: 1 window x 8 filters x 16 lanes of 16-bit MACs per cycle, 2048-wire weight interface",
	}
	serial := func(name string, m Model, desc string) Config {
		c := base
		c.Name, c.Model, c.Columns, c.Description = name, m, 16, desc
		return c
	}
	str := serial(PresetStripes, Stripes, "Stripes: 16 windows x 8 filters x 16 lanes, activations bit-serial at the layer's profiled precision")
	str.Precision = PrecisionProfiled
	str.Memory.ActWires = 16 * 16 // one bit per activation lane per cycle
	dstr := serial(PresetDynStripes, Stripes, "Dynamic Stripes: as STR-2K with the precision of the activations processed together")
	dstr.Precision = PrecisionDynamic
	dstr.Memory.ActWires = 16 * 16
	pra := serial(PresetPragmatic, Pragmatic, "Pragmatic: 16 windows x 8 filters x 16 lanes, activations term-serial (binary one-bit offsets), tile lock-step")
	pra.Encoding = terms.Binary
	pra.Memory.ActWires = 16 * 16 * 5
	dlac := Config{
		Name:           PresetDNNsimLac,
		Model:          Laconic,
		Columns:        16,
		Rows:           256,
		Lanes:          16,
		Sync:           SyncTile,
		Encoding:       terms.DNNsim,
		ZeroCost:       1,
		FoldFirstLayer: true,
		Baseline:       PresetDNNsimBase,
		Description:    "DNNsim's paper-era Laconic cycle model: 16 windows x 256 filters x 16 lanes in lock-step, dnnsim terms, zero product = 1 cycle, no memory limits",
	}
	dbase := dlac
	dbase.Name, dbase.Model, dbase.Encoding = PresetDNNsimBase, BitParallel, ""
	dbase.Description = "DNNsim-matching bit-parallel baseline: one cycle per step of the DNNSIM-LAC loop nest"
	return []Config{
		base,
		lacPreset(PresetLac128, 128),
		lacPreset(PresetLac256, 256),
		lacPreset(PresetLac512, 512),
		lacPreset(PresetLac1K, 1024),
		str, dstr, pra,
		dlac, dbase,
	}
}

// Presets returns a copy of every named configuration, in display order.
// See the package documentation for the assumptions each one makes.
func Presets() []Config { return presets() }

// PresetNames returns the preset names in display order.
func PresetNames() []string {
	ps := presets()
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
	}
	return out
}

// Preset returns a copy of the named configuration (case-insensitive).
func Preset(name string) (Config, error) {
	for _, p := range presets() {
		if strings.EqualFold(p.Name, name) {
			return p, nil
		}
	}
	names := PresetNames()
	sort.Strings(names)
	return Config{}, fmt.Errorf("arch: unknown preset %q (want one of %s)", name, strings.Join(names, ", "))
}

// ParsePresets resolves a comma-separated list of preset names.
func ParsePresets(list string) ([]Config, error) {
	var out []Config
	for _, n := range strings.Split(list, ",") {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		c, err := Preset(n)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("arch: no preset named in %q", list)
	}
	return out, nil
}

// DefaultConfig returns a valid starting configuration for a model: the
// 16-window x 8-filter x 16-lane geometry with BASE-2K's memory system.
func DefaultConfig(m Model) Config {
	var c Config
	switch m {
	case Laconic:
		c = lacPreset("laconic", 1024)
	case Stripes:
		c, _ = Preset(PresetStripes)
	case Pragmatic:
		c, _ = Preset(PresetPragmatic)
	default:
		c, _ = Preset(PresetBase2K)
	}
	c.Name = string(m)
	if m != BitParallel && m != Laconic && m != Stripes && m != Pragmatic {
		c.Model = m // invalid on purpose: Validate reports it
	}
	return c
}
