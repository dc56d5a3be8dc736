// Package atomicfile writes output files so that readers never see a
// half-written one, without ever turning a special file into a regular one.
//
// A regular file (or a new one) gets its content through a temporary file in
// the same directory, which is synced and renamed over the destination only
// when writing succeeded. A symbolic link is followed to its destination,
// which is written the same way, so the link stays a link. Special files
// (devices, FIFOs, /dev/stdout and other names under /dev and /proc) are
// written in place. Every write, flush and close error is returned.
// CheckWritable and CheckDir let a program check its output paths before it
// starts expensive work.
package atomicfile
