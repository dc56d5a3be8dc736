package quant

import (
	"fmt"
	"math/bits"
)

// DefaultGroup is the default number of consecutive channels that share a
// dynamic precision: 16, the number of lanes a Laconic processing element
// feeds per cycle (16 activation-weight term pairs, ISCA 2019). Bit-serial
// designs detect precision per group of values processed together; the
// group size is a parameter because their exact grouping is a design
// choice.
const DefaultGroup = 16

// precisionOf returns the bits needed to hold a code whose largest
// magnitude is m (see Precision).
func precisionOf(m uint32, signed bool, width int) int {
	p := bits.Len32(m)
	if signed {
		p = min(p+1, width)
	}
	return p
}

func magnitudeOf(c int32) uint32 {
	if c < 0 {
		return uint32(-int64(c))
	}
	return uint32(c)
}

// Precision returns the number of bits needed to hold every code of q:
//
//   - signed codes: the magnitude bits of the largest |code| plus one sign
//     bit, bits.Len(max |code|) + 1, capped at q.Bits (only the most
//     negative code -2^(Bits-1) would need more, and two's complement
//     holds it in Bits bits); a tensor of zeros has precision 1.
//   - unsigned codes: bits.Len(max code); a tensor of zeros has precision 0.
//
// An empty tensor has precision 0.
func Precision(q *Tensor) int {
	var m uint32
	for _, c := range q.Codes {
		m = max(m, magnitudeOf(c))
	}
	if len(q.Codes) == 0 {
		return 0
	}
	return precisionOf(m, q.Signed, q.Bits)
}

// groupLayout checks q for group profiling and returns the batch, channel
// and per-channel (spatial) sizes.
func groupLayout(q *Tensor, group int) (n, c, s int, err error) {
	if q == nil {
		return 0, 0, 0, fmt.Errorf("quant: nil tensor")
	}
	if group < 1 {
		return 0, 0, 0, fmt.Errorf("quant: group of %d channels: want at least 1 (default %d)", group, DefaultGroup)
	}
	if len(q.Shape) < 2 {
		return 0, 0, 0, fmt.Errorf("quant: group precision needs channels on axis 1 (N x C or N x C x H x W), tensor has shape %v", q.Shape)
	}
	for _, d := range q.Shape {
		if d < 0 {
			return 0, 0, 0, fmt.Errorf("quant: negative dimension in shape %v", q.Shape)
		}
	}
	n, c, s = q.Shape[0], q.Shape[1], 1
	for _, d := range q.Shape[2:] {
		s *= d
	}
	if n*c*s != len(q.Codes) {
		return 0, 0, 0, fmt.Errorf("quant: shape %v needs %d codes, have %d", q.Shape, n*c*s, len(q.Codes))
	}
	return n, c, s, nil
}

// forEachGroup calls fn with the element indices of every group: group
// consecutive channels (axis 1) at one batch index and one position of the
// remaining axes; a trailing partial group is its own group. idx is reused
// between calls.
func forEachGroup(q *Tensor, group int, fn func(idx []int)) error {
	n, c, s, err := groupLayout(q, group)
	if err != nil {
		return err
	}
	idx := make([]int, 0, group)
	for b := 0; b < n; b++ {
		for g := 0; g < c; g += group {
			ge := min(c, g+group)
			for p := 0; p < s; p++ {
				idx = idx[:0]
				for ch := g; ch < ge; ch++ {
					idx = append(idx, (b*c+ch)*s+p)
				}
				fn(idx)
			}
		}
	}
	return nil
}

// GroupPrecisions returns, for every element of q, the precision (as
// Precision defines it) of its group: the group consecutive channels (axis
// 1 of an N x C x H x W or N x C tensor; further axes are positions) that
// contain it, at the same batch index and position. Channels split into
// groups 0..group-1, group..2*group-1, ...; a trailing partial group is its
// own group. This is the dynamic per-group precision of Dynamic Stripes
// and of the "Ap" potential with groups of DefaultGroup channels.
func GroupPrecisions(q *Tensor, group int) ([]uint8, error) {
	out := make([]uint8, len(q.Codes))
	err := forEachGroup(q, group, func(idx []int) {
		var m uint32
		for _, i := range idx {
			m = max(m, magnitudeOf(q.Codes[i]))
		}
		p := uint8(precisionOf(m, q.Signed, q.Bits))
		for _, i := range idx {
			out[i] = p
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// GroupProfile summarises the dynamic per-group precisions of a tensor.
type GroupProfile struct {
	Group  int `json:"group"`  // channels per group
	Groups int `json:"groups"` // number of groups (partial ones included)
	// MeanPerGroup is the mean precision over groups, each counted once.
	MeanPerGroup float64 `json:"mean_per_group"`
	// MeanPerValue is the mean over elements of their group's precision
	// (partial groups weigh less); it is what bit-serial work scales with.
	MeanPerValue float64 `json:"mean_per_value"`
	Max          int     `json:"max"` // largest group precision, Precision(q)
}

// ProfileGroups returns the per-group precision summary of q for groups
// of group channels (see GroupPrecisions).
func ProfileGroups(q *Tensor, group int) (GroupProfile, error) {
	gp := GroupProfile{Group: group}
	var sumGroups, sumValues, values int64
	err := forEachGroup(q, group, func(idx []int) {
		var m uint32
		for _, i := range idx {
			m = max(m, magnitudeOf(q.Codes[i]))
		}
		p := precisionOf(m, q.Signed, q.Bits)
		gp.Groups++
		gp.Max = max(gp.Max, p)
		sumGroups += int64(p)
		sumValues += int64(p) * int64(len(idx))
		values += int64(len(idx))
	})
	if err != nil {
		return GroupProfile{}, err
	}
	if gp.Groups > 0 {
		gp.MeanPerGroup = float64(sumGroups) / float64(gp.Groups)
	}
	if values > 0 {
		gp.MeanPerValue = float64(sumValues) / float64(values)
	}
	return gp, nil
}
