// Command dotcross reads Graphviz's `dot -Tjson` output on standard input
// and prints how many edge crossings it has, counted by the same counter as
// relsop stats, so the two layouts of one graph can be compared.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/relsop/relsop/internal/diagram"
)

func main() {
	var g struct {
		Edges []struct {
			Draw []struct {
				Op     string      `json:"op"`
				Points [][]float64 `json:"points"`
			} `json:"_draw_"`
		} `json:"edges"`
	}
	if err := json.NewDecoder(os.Stdin).Decode(&g); err != nil {
		fmt.Fprintln(os.Stderr, "dotcross: input is not dot -Tjson output:", err)
		os.Exit(2)
	}
	var edges []diagram.Edge
	for _, e := range g.Edges {
		var pts []diagram.Point
		for _, d := range e.Draw {
			if d.Op == "b" || d.Op == "B" {
				pts = append(pts, bezier(d.Points)...)
			}
		}
		edges = append(edges, diagram.Edge{Points: pts})
	}
	fmt.Println(diagram.Crossings(edges))
}

// bezier flattens a piecewise cubic Bézier curve into 16 segments a piece.
func bezier(p [][]float64) []diagram.Point {
	var out []diagram.Point
	for i := 0; i+3 < len(p); i += 3 {
		for s := 0; s <= 16; s++ {
			if s == 0 && i > 0 {
				continue
			}
			u := float64(s) / 16
			a, b, c, d := (1-u)*(1-u)*(1-u), 3*u*(1-u)*(1-u), 3*u*u*(1-u), u*u*u
			out = append(out, diagram.Point{
				X: a*p[i][0] + b*p[i+1][0] + c*p[i+2][0] + d*p[i+3][0],
				Y: a*p[i][1] + b*p[i+1][1] + c*p[i+2][1] + d*p[i+3][1],
			})
		}
	}
	return out
}
