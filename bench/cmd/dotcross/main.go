// Command dotcross reads Graphviz's `dot -Tjson` output on standard input
// and prints how many edge crossings it has, counted by the same counter as
// relsop stats, so the two layouts of one graph can be compared.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/export/dot"
)

func main() {
	data, err := io.ReadAll(os.Stdin)
	if err == nil {
		var edges []diagram.Edge
		if edges, err = dot.LaidOutEdges(data); err == nil {
			fmt.Println(diagram.Crossings(edges))
			return
		}
	}
	fmt.Fprintln(os.Stderr, "dotcross:", err)
	os.Exit(2)
}
