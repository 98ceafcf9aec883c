// Package host reads what the benchmarks report about the machine they ran
// on (Linux): the load average, the CPU model and the benchmark's own CPU
// time. Results are only comparable with the load they were measured
// under, so every benchmark prints it.
package host

import (
	"os"
	"strings"
	"syscall"
	"time"
)

// LoadAvg is the 1-, 5- and 15-minute load average, or "unknown".
func LoadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// CPUModel is the first CPU's model name, or "unknown".
func CPUModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	for line := range strings.SplitSeq(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// OwnCPU is the CPU time this process has used, user and system; 0 when
// it cannot be read.
func OwnCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
