// Package atomicfile writes files so that readers never see a half-written
// one: the content goes to a temporary file in the same directory, which is
// synced and renamed over the destination only when writing succeeded.
package atomicfile
