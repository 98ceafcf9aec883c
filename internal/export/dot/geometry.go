package dot

import (
	"encoding/json"
	"fmt"

	"github.com/relsop/relsop/internal/diagram"
)

// LaidOutEdges reads the edges of Graphviz's `dot -Tjson` output as
// polylines (each cubic Bézier piece flattened into 16 segments), so that
// dot's layout can be scored by relsop's own counters (diagram.Crossings).
func LaidOutEdges(dotJSON []byte) ([]diagram.Edge, error) {
	var g struct {
		Edges []struct {
			Draw []struct {
				Op     string      `json:"op"`
				Points [][]float64 `json:"points"`
			} `json:"_draw_"`
		} `json:"edges"`
	}
	if err := json.Unmarshal(dotJSON, &g); err != nil {
		return nil, fmt.Errorf("not dot -Tjson output: %w", err)
	}
	edges := make([]diagram.Edge, 0, len(g.Edges))
	for _, e := range g.Edges {
		var pts []diagram.Point
		for _, d := range e.Draw {
			if d.Op == "b" || d.Op == "B" {
				pts = append(pts, flatten(d.Points)...)
			}
		}
		edges = append(edges, diagram.Edge{Points: pts})
	}
	return edges, nil
}

// flatten turns a piecewise cubic Bézier curve into a polyline.
func flatten(p [][]float64) []diagram.Point {
	var out []diagram.Point
	for i := 0; i+3 < len(p); i += 3 {
		if len(p[i]) < 2 || len(p[i+1]) < 2 || len(p[i+2]) < 2 || len(p[i+3]) < 2 {
			continue
		}
		for s := 0; s <= 16; s++ {
			if s == 0 && i > 0 {
				continue // the piece starts where the last one ended
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
