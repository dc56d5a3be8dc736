// Package npy reads and writes NumPy .npy files and reads .npz archives as
// toolkit tensors (nn.Tensor, float32, row-major).
//
// # Reading
//
// Read, ReadHeader, Decode and ReadNPZ accept format versions 1.0, 2.0 and
// 3.0 and these element types, converted to float32:
//
//	float32 (f4)                      exact
//	float16 (f2)                      exact
//	float64 (f8)                      rounded to the nearest float32; out of range becomes ±Inf
//	int8, int16, uint8, uint16        exact
//	int32, int64                      exact up to 2^24 in magnitude, rounded to the nearest float32 beyond
//
// in either byte order ('<' little-endian, '>' big-endian, '|' for one-byte
// types). Other types (bool, uint32/64, complex, strings, structured and
// object arrays) are rejected with ErrUnsupported. Arrays stored in Fortran
// (column-major) order are transposed into C order, so the returned tensor
// always has the file's shape with row-major data.
//
// The header is parsed and validated by this package before any data is
// touched: the magic string, the version, a header length no larger than the
// file (and than MaxHeaderLen), a Python dictionary with exactly the keys
// 'descr', 'fortran_order' and 'shape', at most MaxRank non-negative
// dimensions, and a data size that the file actually holds. Corrupt or
// truncated files therefore return an error (wrapping ErrFormat or
// ErrTruncated and naming the file) and never cause a panic; memory is
// allocated only for data that is really there (Read checks the declared
// size against the file size before allocating; Decode and ReadNPZ grow
// their buffers as bytes arrive). Bytes after the data are ignored, as
// NumPy does.
//
// Element decoding uses codeberg.org/sbinet/npyio, fed with a header that
// this package rebuilds from the validated one; little-endian float32 in C
// order, the common case of trace files, is decoded by a direct loop that
// the tests check bit for bit against npyio on random data.
//
// # Writing
//
// Write and Encode store a tensor as little-endian float32 in C order,
// version 1.0 (2.0 when the header would not fit), with the same header
// bytes numpy.save produces: keys in sorted order, room for the first axis
// to grow to 21 digits, and padding so the data starts at a multiple of 64
// bytes. Write replaces the file atomically.
//
// # Archives
//
// ReadNPZ reads every "<key>.npy" member of an .npz archive (stored or
// deflate-compressed, as numpy.savez and numpy.savez_compressed make them)
// into a map keyed by the member name without ".npy". A member is
// decompressed as far as its header says its data extends, plus up to 64 KiB
// so that the checksum at its end is verified.
package npy
