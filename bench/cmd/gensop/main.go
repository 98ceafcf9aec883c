// Command gensop writes a synthetic SOP of N steps for the benchmarks:
// gensop STEPS ROLES PHASES > big.sop.yaml
package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/relsop/relsop/internal/synth"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: gensop STEPS ROLES PHASES")
		os.Exit(2)
	}
	n := make([]int, 3)
	for i, a := range os.Args[1:] {
		v, err := strconv.Atoi(a)
		if err != nil || v < 1 {
			fmt.Fprintf(os.Stderr, "gensop: %q is not a positive number\n", a)
			os.Exit(2)
		}
		n[i] = v
	}
	fmt.Print(synth.SOP(n[0], n[1], n[2]))
}
