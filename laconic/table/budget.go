package table

import (
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// The Arrow and Parquet decoders size some buffers from lengths written in
// the file (page sizes, dictionary sizes) before reading the bytes those
// lengths describe. The readers therefore allocate through a budget: at
// most readBudgetBase + readBudgetPerByte × (file size) bytes may be live
// at once while decoding a file. A valid file needs far less (its decoded
// columns are at most a few times its size unless constant columns
// compress extremely well); a file beyond it is reported as corrupt.
const (
	readBudgetBase    = 64 << 20
	readBudgetPerByte = 1024
)

var errBudget = errors.New("decoding needs more memory than the file's size allows")

// budgetAllocator passes allocations to an allocator while the bytes live
// through it stay within a budget, and panics with errBudget beyond it (the
// readers recover the panic into an error).
type budgetAllocator struct {
	memory.Allocator
	left atomic.Int64
}

func newBudget(mem memory.Allocator, size int) *budgetAllocator {
	b := &budgetAllocator{Allocator: mem}
	b.left.Store(readBudgetBase + readBudgetPerByte*int64(size))
	return b
}

func (b *budgetAllocator) take(n int) {
	if n > 0 && b.left.Add(-int64(n)) < 0 {
		b.left.Add(int64(n))
		panic(fmt.Errorf("%w (%d more bytes asked)", errBudget, n))
	}
}

func (b *budgetAllocator) Allocate(n int) []byte {
	b.take(n)
	return b.Allocator.Allocate(n)
}

func (b *budgetAllocator) Reallocate(n int, old []byte) []byte {
	b.take(n - len(old))
	out := b.Allocator.Reallocate(n, old)
	if n < len(old) {
		b.left.Add(int64(len(old) - n))
	}
	return out
}

func (b *budgetAllocator) Free(bs []byte) {
	b.left.Add(int64(len(bs)))
	b.Allocator.Free(bs)
}
