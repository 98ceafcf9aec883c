#!/usr/bin/env bash
# Runs relsop and Graphviz dot on the same graphs side by side: each
# template and generated SOPs of 100, 300 and 1,000 steps (12 roles, 8
# phases). For each it prints the wall time of `relsop render -o x.svg` and
# of `dot -Tsvg` on relsop's DOT export (lanes as clusters), their ratio,
# the same net of each tool's start-up (its time on a two-step flow), and
# the edge crossings of both layouts counted by the same counter.
# Usage: bench/layout_vs_dot.sh [RUNS]   (default 5 runs per measurement)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
command -v dot >/dev/null || { echo "dot (graphviz) is not installed: apt-get install graphviz" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/relsop" ./cmd/relsop
go build -o "$work/gensop" ./bench/cmd/gensop
go build -o "$work/dotcross" ./bench/cmd/dotcross

inputs=()
for t in internal/templates/*.sop.yaml; do inputs+=("$t"); done
for n in 100 300 1000; do
  "$work/gensop" "$n" 12 8 > "$work/synthetic-$n.sop.yaml"
  inputs+=("$work/synthetic-$n.sop.yaml")
done

# shellcheck source=bench/timing.sh
source bench/timing.sh

# Start-up: each tool on the smallest flow it can draw.
cat > "$work/tiny.sop.yaml" <<'YAML'
id: tiny
title: Tiny
roles:
  - id: a
    name: A
steps:
  - id: s
    name: Start
    owner: a
    kind: start
    next: e
  - id: e
    name: End
    owner: a
    kind: end
YAML
"$work/relsop" export "$work/tiny.sop.yaml" --format dot -o "$work/tiny.dot"
r0=$(best_ms "$work/relsop" render "$work/tiny.sop.yaml" -o "$work/tiny.svg")
d0=$(best_ms dot -Tsvg "$work/tiny.dot" -o "$work/tiny.dot.svg")
# /bin/true does nothing: its time is what starting any program costs on
# this machine (fork, exec, exit), the floor under both tools' times.
f0=$(best_ms /bin/true)
echo "start-up (two-step flow): relsop $r0 ms, dot $d0 ms; starting a program that does nothing (/bin/true) takes $f0 ms here"
echo

printf '%-28s %6s %12s %12s %9s %9s %10s %10s\n' input steps relsop_ms dot_ms ratio net_ratio relsop_x dot_x
for in in "${inputs[@]}"; do
  name=$(basename "$in" .sop.yaml)
  "$work/relsop" export "$in" --format dot -o "$work/$name.dot"
  steps=$("$work/relsop" stats "$in" --format json | awk -F': ' '/"nodes"/ { gsub(",", "", $2); print $2 }')
  r_ms=$(best_ms "$work/relsop" render "$in" -o "$work/$name.svg")
  d_ms=$(best_ms timeout 300 dot -Tsvg "$work/$name.dot" -o "$work/$name.dot.svg")
  r_x=$("$work/relsop" stats "$in" --format json | awk -F': ' '/"crossings"/ { gsub(",", "", $2); print $2 }')
  if [ "$d_ms" = fail ]; then
    ratio="-"; net="-"; d_x="fail"
  else
    ratio=$(awk -v a="$d_ms" -v b="$r_ms" 'BEGIN { printf "%.1fx", a / b }')
    net=$(awk -v a="$d_ms" -v a0="$d0" -v b="$r_ms" -v b0="$r0" 'BEGIN { if (b - b0 <= 0 || a - a0 <= 0) print "-"; else printf "%.1fx", (a - a0) / (b - b0) }')
    d_x=$(timeout 300 dot -Tjson "$work/$name.dot" 2>/dev/null | "$work/dotcross" || echo fail)
  fi
  printf '%-28s %6s %12s %12s %9s %9s %10s %10s\n' "$name" "$steps" "$r_ms" "$d_ms" "$ratio" "$net" "$r_x" "$d_x"
done
echo
echo "ratio = dot time / relsop time (whole process, best of $runs runs);"
echo "net_ratio = the same with each tool's start-up time taken off; _x = edge crossings"

# Many graphs in one process, as when a folder of SOPs is drawn in CI:
# start-up is paid once, so this compares the drawing itself. dot draws
# its inputs one after another on one core; relsop draws on every core,
# and with GOMAXPROCS=1 on one, like dot.
copies=25
batch="$work/batch"
mkdir -p "$batch"
for t in internal/templates/*.sop.yaml; do
  name=$(basename "$t" .sop.yaml)
  for i in $(seq "$copies"); do
    cp "$t" "$batch/$name-$i.sop.yaml"
    cp "$work/$name.dot" "$batch/$name-$i.dot"
  done
done
n=$(ls "$batch"/*.sop.yaml | wc -l)
r_all=$(best_ms "$work/relsop" render "$batch"/*.sop.yaml -o "$work/batch-out")
r_one=$(best_ms env GOMAXPROCS=1 "$work/relsop" render "$batch"/*.sop.yaml -o "$work/batch-out")
d_all=$(best_ms dot -Tsvg -O "$batch"/*.dot)
echo
echo "$n templates in one process ($copies copies of each), ms per template:"
awk -v n="$n" -v r="$r_all" -v r1="$r_one" -v d="$d_all" 'BEGIN {
  printf "  dot %.2f, relsop on one core %.2f (%.1fx), relsop on every core %.2f (%.1fx)\n",
    d / n, r1 / n, d / r1, r / n, d / r
}'
