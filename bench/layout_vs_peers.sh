#!/usr/bin/env bash
# Runs relsop and the diagram-as-code tools a team would otherwise draw its
# release process with, side by side on the same graphs: each template and
# generated SOPs of 100 and 300 steps (12 roles, 8 phases), given to each
# tool as relsop exports them (lanes as containers or subgraphs).
#
#   - D2 (the d2 command, with its dagre and its ELK layout): the wall time
#     of `d2 --layout L in.d2 out.svg` against `relsop render in.sop.yaml
#     -o out.svg`, both whole processes.
#   - Mermaid (in headless Chromium, where it runs): mermaid.render timed in
#     the page, against relsop's own layout + SVG time (`relsop stats`,
#     layout_ms + render_ms), since neither includes a start-up.
#
# Graphviz dot has its own script, bench/layout_vs_dot.sh.
# Usage: bench/layout_vs_peers.sh [RUNS]   (default 3 runs per measurement;
# a tool that takes over a second on a graph is run once on it)
# Needs: d2 (go install oss.terrastruct.com/d2@v0.7.2), and for Mermaid
# chromium and `npm ci` in tools/js; a missing tool's columns say "-".
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
limit=120 # seconds a peer may take on one graph before it counts as failed

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/relsop" ./cmd/relsop
go build -o "$work/gensop" ./bench/cmd/gensop
go build -o "$work/mermaidtime" ./bench/cmd/mermaidtime

have_d2=1
command -v d2 >/dev/null || { have_d2=0; echo "d2 is not installed (go install oss.terrastruct.com/d2@v0.7.2): no D2 columns" >&2; }
mermaid_js=tools/js/node_modules/mermaid/dist/mermaid.min.js
have_mermaid=1
if [ ! -f "$mermaid_js" ] || ! { [ -x /usr/bin/chromium ] || command -v chromium >/dev/null; }; then
  have_mermaid=0
  echo "Mermaid needs chromium and npm ci in tools/js: no Mermaid columns" >&2
fi

inputs=()
for t in internal/templates/*.sop.yaml; do inputs+=("$t"); done
for n in 100 300; do
  "$work/gensop" "$n" 12 8 > "$work/synthetic-$n.sop.yaml"
  inputs+=("$work/synthetic-$n.sop.yaml")
done

# shellcheck source=bench/timing.sh
source bench/timing.sh
once_over_ms=1000 # a peer that takes over a second on a graph is run once on it

# peer_ms CMD...: best_ms of a peer, which counts as failed after $limit s.
peer_ms() { best_ms timeout "$limit" "$@"; }

# draw_ms FILE: relsop's fastest layout + SVG of FILE over $runs processes.
draw_ms() {
  local best=""
  for _ in $(seq "$runs"); do
    local ms
    ms=$("$work/relsop" stats "$1" --format json | awk -F': ' '/"layout_ms"|"render_ms"/ { gsub(",", "", $2); s += $2 } END { printf "%.3f", s }')
    if [ -z "$best" ] || awk -v a="$ms" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$ms; fi
  done
  echo "$best"
}

ratio() { # ratio PEER_MS RELSOP_MS
  case "$1" in fail|-) echo "-" ;; *) awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0fx", a / b }' ;; esac
}

for in in "${inputs[@]}"; do
  name=$(basename "$in" .sop.yaml)
  # (their notes on large SOPs, which the peers columns show anyway, are dropped)
  "$work/relsop" export "$in" --format d2 -o "$work/$name.d2" 2>/dev/null
  "$work/relsop" export "$in" --format mermaid -o "$work/$name.mmd" 2>/dev/null
done

# Mermaid draws every graph in one browser session.
declare -A mermaid
if [ "$have_mermaid" = 1 ]; then
  while IFS=$'\t' read -r file ms; do
    case "$ms" in fail*) mermaid[${file%.mmd}]=fail; echo "Mermaid on ${file%.mmd}: $ms" >&2 ;; *) mermaid[${file%.mmd}]=$ms ;; esac
  done < <("$work/mermaidtime" -runs "$runs" -mermaid "$mermaid_js" "$work"/*.mmd)
fi

if [ "$have_d2" = 1 ]; then
  cat > "$work/tiny.d2" <<'D2'
a -> b
D2
  echo "start-up: relsop $(best_ms "$work/relsop" version) ms, d2 $(best_ms d2 "$work/tiny.d2" "$work/tiny.svg") ms (a two-node graph)"
fi
echo

printf '%-22s %5s %9s %10s %7s %10s %7s %9s %10s %7s\n' input steps relsop_ms d2_dagre ratio d2_elk ratio draw_ms mermaid ratio
for in in "${inputs[@]}"; do
  name=$(basename "$in" .sop.yaml)
  steps=$("$work/relsop" stats "$in" --format json | awk -F': ' '/"nodes"/ { gsub(",", "", $2); print $2 }')
  r_ms=$(best_ms "$work/relsop" render "$in" -o "$work/$name.svg")
  dagre=- elk=-
  if [ "$have_d2" = 1 ]; then
    dagre=$(peer_ms d2 --layout dagre "$work/$name.d2" "$work/$name.dagre.svg")
    elk=$(peer_ms d2 --layout elk "$work/$name.d2" "$work/$name.elk.svg")
  fi
  draw=$(draw_ms "$in")
  m=${mermaid[$name]:--}
  printf '%-22s %5s %9s %10s %7s %10s %7s %9s %10s %7s\n' "$name" "$steps" "$r_ms" "$dagre" "$(ratio "$dagre" "$r_ms")" \
    "$elk" "$(ratio "$elk" "$r_ms")" "$draw" "$m" "$(ratio "$m" "$draw")"
done
echo
echo "relsop_ms, d2_*: whole process, ms, best of $runs runs (one when over a second); fail = gave up or over ${limit} s"
echo "draw_ms: relsop's layout + SVG in process; mermaid: mermaid.render in Chromium, ms; ratio = peer time / relsop time"
