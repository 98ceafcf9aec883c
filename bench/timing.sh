# Sourced by the bench scripts: how they time a command.
#
# best_ms CMD...: the fastest of $runs runs of CMD, in milliseconds; "fail"
# when the command fails (the peers give up on some large graphs). With
# $once_over_ms set, a command whose run takes longer than that is run only
# once (a slow peer would otherwise take minutes per graph). The clock is
# bash's own EPOCHREALTIME: timing with `date` would add the start of two
# more processes, about 1 ms, to every measurement.
best_ms() {
  local best="" t0 t1 us
  for _ in $(seq "$runs"); do
    t0=$EPOCHREALTIME
    if ! "$@" >/dev/null 2>&1; then echo fail; return; fi
    t1=$EPOCHREALTIME
    us=$(( 10#${t1/[.,]/} - 10#${t0/[.,]/} ))
    if [ -z "$best" ] || [ "$us" -lt "$best" ]; then best=$us; fi
    if [ -n "${once_over_ms:-}" ] && [ "$us" -gt $(( once_over_ms * 1000 )) ]; then break; fi
  done
  awk -v us="$best" 'BEGIN { printf "%.1f", us / 1000 }'
}
