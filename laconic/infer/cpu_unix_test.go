//go:build unix

package infer

import (
	"syscall"
	"time"
)

// cpuSeconds returns the user and system CPU time of the process so far,
// which, unlike wall time, does not grow when other processes compete for
// the cores.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}
